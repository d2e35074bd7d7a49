//! What an organisation records against one node of a framework: a value that must fit the
//! node's answer kind, a narrative, an assessor's override for CAF outcomes, an owner and a
//! review flag.

use super::caf::{Grade, Override};
use super::framework::AnswerKind;
use crate::validation::Invalid;
use serde::{Deserialize, Serialize};

pub const NARRATIVE_MAX: usize = 10_000;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Value {
    /// An indicator statement is true.
    True,
    /// A CAF outcome has been worked through (its grade comes from its statements).
    Assessed,
    Met,
    NotMet,
    NotApplicable,
    Compliant,
    NotCompliant,
    Pass,
    Fail,
}

impl Value {
    pub const ALL: &'static [Value] = &[
        Value::True,
        Value::Assessed,
        Value::Met,
        Value::NotMet,
        Value::NotApplicable,
        Value::Compliant,
        Value::NotCompliant,
        Value::Pass,
        Value::Fail,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Value::True => "true",
            Value::Assessed => "assessed",
            Value::Met => "met",
            Value::NotMet => "not_met",
            Value::NotApplicable => "not_applicable",
            Value::Compliant => "compliant",
            Value::NotCompliant => "not_compliant",
            Value::Pass => "pass",
            Value::Fail => "fail",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Value::True => "True",
            Value::Assessed => "Assessed",
            Value::Met => "Met",
            Value::NotMet => "Not met",
            Value::NotApplicable => "Not applicable",
            Value::Compliant => "Compliant",
            Value::NotCompliant => "Not compliant",
            Value::Pass => "Pass",
            Value::Fail => "Fail",
        }
    }

    /// The values a node of this answer kind takes.
    pub fn choices(kind: AnswerKind) -> &'static [Value] {
        match kind {
            AnswerKind::None => &[],
            AnswerKind::CafGrade => &[Value::Assessed],
            AnswerKind::Statement => &[Value::True],
            AnswerKind::MetNotMet => &[Value::Met, Value::NotMet, Value::NotApplicable],
            AnswerKind::Compliant => &[Value::Compliant, Value::NotCompliant],
            AnswerKind::PassFail => &[Value::Pass, Value::Fail],
        }
    }

    pub fn from_code(code: &str) -> Option<Value> {
        Value::ALL.iter().copied().find(|v| v.code() == code)
    }

    /// Reads a submitted value for a node of `kind`; empty means unanswered.
    pub fn parse(code: &str, kind: AnswerKind, field: &str) -> Result<Option<Value>, Invalid> {
        let code = code.trim();
        if code.is_empty() {
            return Ok(None);
        }
        let choices = Value::choices(kind);
        match Value::from_code(code) {
            Some(v) if choices.contains(&v) => Ok(Some(v)),
            _ if choices.is_empty() => Err(Invalid::one(field, "this item is not answered")),
            _ => Err(Invalid::one(
                field,
                format!(
                    "must be one of: {}",
                    choices.iter().map(|v| v.code()).collect::<Vec<_>>().join(", ")
                ),
            )),
        }
    }
}

/// One node's answer.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Answer {
    pub value: Option<Value>,
    pub narrative: String,
    #[serde(rename = "override", default, skip_serializing_if = "Option::is_none")]
    pub assessor_override: Option<Override>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub owner: Option<String>,
    #[serde(default)]
    pub flagged: bool,
}

/// Checks a narrative: at most `NARRATIVE_MAX` characters, trimmed.
pub fn check_narrative(text: &str, field: &str) -> Result<String, Invalid> {
    let text = text.trim();
    if text.chars().count() > NARRATIVE_MAX {
        return Err(Invalid::one(
            field,
            format!("is longer than {NARRATIVE_MAX} characters"),
        ));
    }
    Ok(text.replace("\r\n", "\n"))
}

/// Reads an override from its two form fields: both empty means none.
pub fn parse_override(grade: &str, justification: &str, allows_partial: bool) -> Result<Option<Override>, Invalid> {
    let grade = grade.trim();
    if grade.is_empty() {
        if justification.trim().is_empty() {
            return Ok(None);
        }
        return Err(Invalid::one(
            "override_grade",
            "choose the grade the justification supports",
        ));
    }
    let grade = match grade {
        "achieved" => Grade::Achieved,
        "partially_achieved" => Grade::PartiallyAchieved,
        "not_achieved" => Grade::NotAchieved,
        _ => {
            return Err(Invalid::one(
                "override_grade",
                "must be one of: achieved, partially_achieved, not_achieved",
            ));
        }
    };
    Override::new(grade, justification, allows_partial)
        .map(Some)
        .map_err(|e| {
            Invalid(
                e.0.into_iter()
                    .map(|mut f| {
                        f.field = if f.field == "justification" {
                            "override_reason"
                        } else {
                            "override_grade"
                        }
                        .into();
                        f
                    })
                    .collect(),
            )
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_must_fit_the_kind() {
        assert_eq!(Value::parse("met", AnswerKind::MetNotMet, "v"), Ok(Some(Value::Met)));
        assert_eq!(Value::parse(" ", AnswerKind::MetNotMet, "v"), Ok(None));
        let err = Value::parse("compliant", AnswerKind::MetNotMet, "v").unwrap_err();
        assert_eq!(err.0[0].message, "must be one of: met, not_met, not_applicable");
        assert!(Value::parse("true", AnswerKind::None, "v").is_err());
        for v in Value::ALL {
            assert_eq!(Value::from_code(v.code()), Some(*v));
        }
    }

    #[test]
    fn overrides_need_a_grade_and_a_reason() {
        assert_eq!(parse_override("", "", true), Ok(None));
        assert_eq!(
            parse_override("", "because of compensating controls", true)
                .unwrap_err()
                .0[0]
                .field,
            "override_grade"
        );
        assert_eq!(
            parse_override("achieved", "short", true).unwrap_err().0[0].field,
            "override_reason"
        );
        assert_eq!(
            parse_override("partially_achieved", "compensating controls documented in E12", false)
                .unwrap_err()
                .0[0]
                .field,
            "override_grade"
        );
        let ok = parse_override("achieved", "compensating controls documented in E12", false)
            .unwrap()
            .unwrap();
        assert_eq!(ok.grade, Grade::Achieved);
    }
}
