//! An assessment's answers leaving Hygeia: CSV for spreadsheets, and OSCAL 1.1
//! assessment-results JSON for GRC tools. Both are built from the framework, the answers and
//! the scorecard alone, so an export of a published assessment always matches its snapshot.

use super::answer::{Answer, Value};
use super::framework::{AnswerKind, Framework};
use super::scorecard::Scorecard;
use serde_json::{Value as Json, json};
use sha2::{Digest, Sha256};
use std::collections::HashMap;

/// Quotes a CSV field when it must be, and defuses spreadsheet formulas (a field that starts
/// with `=`, `+`, `-`, `@` or a tab is prefixed with an apostrophe).
fn cell(text: &str) -> String {
    let text = if text.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{text}")
    } else {
        text.to_owned()
    };
    if text.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", text.replace('"', "\"\""))
    } else {
        text
    }
}

/// One row per answerable node (statements included, so the CSV holds every tick).
pub fn answers_csv(framework: &Framework, answers: &HashMap<String, Answer>, card: &Scorecard) -> String {
    let mut out = String::from(
        "ref_id,parent,kind,title,answer,grade,rule_grade,override_reason,profile_minimum,meets_profile,owner,flagged,narrative\r\n",
    );
    for n in framework.nodes.iter().filter(|n| n.answer != AnswerKind::None) {
        let a = answers.get(&n.ref_id);
        let outcome = card.outcome(&n.ref_id);
        let value = a.and_then(|a| a.value).map_or("", Value::code);
        let fields = [
            n.ref_id.as_str(),
            n.parent.as_deref().unwrap_or(""),
            kind_code(n.answer),
            n.title.as_str(),
            value,
            outcome.map_or("", |o| o.grade.label()),
            outcome.map_or("", |o| o.rule_grade.label()),
            a.and_then(|a| a.assessor_override.as_ref())
                .map_or("", |o| o.justification.as_str()),
            outcome.and_then(|o| o.minimum).map_or("", |m| m.label()),
            match outcome.and_then(|o| o.meets_profile) {
                Some(true) => "yes",
                Some(false) => "no",
                None => "",
            },
            a.and_then(|a| a.owner.as_deref()).unwrap_or(""),
            if a.is_some_and(|a| a.flagged) { "yes" } else { "" },
            a.map_or("", |a| a.narrative.as_str()),
        ];
        let row: Vec<String> = fields.iter().map(|f| cell(f)).collect();
        out.push_str(&row.join(","));
        out.push_str("\r\n");
    }
    out
}

fn kind_code(k: AnswerKind) -> &'static str {
    match k {
        AnswerKind::None => "none",
        AnswerKind::CafGrade => "caf_grade",
        AnswerKind::Statement => "statement",
        AnswerKind::MetNotMet => "met_not_met",
        AnswerKind::Compliant => "compliant",
        AnswerKind::PassFail => "pass_fail",
    }
}

/// A stable UUID (version 5 layout) from a seed, so that re-exporting gives the same ids.
pub fn stable_uuid(seed: &str) -> String {
    let h = Sha256::digest(seed.as_bytes());
    let mut b = [0u8; 16];
    b.copy_from_slice(&h[..16]);
    b[6] = (b[6] & 0x0f) | 0x50;
    b[8] = (b[8] & 0x3f) | 0x80;
    let hex: String = b.iter().map(|x| format!("{x:02x}")).collect();
    format!(
        "{}-{}-{}-{}-{}",
        &hex[0..8],
        &hex[8..12],
        &hex[12..16],
        &hex[16..20],
        &hex[20..32]
    )
}

/// What the OSCAL document says about the assessment besides its answers.
pub struct ResultsMeta<'a> {
    pub assessment_id: &'a str,
    pub title: &'a str,
    pub organisation: &'a str,
    pub period: &'a str,
    /// RFC 3339.
    pub started: &'a str,
    /// RFC 3339: the publication time, or now for a draft.
    pub last_modified: &'a str,
    pub status: &'a str,
    pub digest: Option<&'a str>,
}

/// OSCAL 1.1 assessment-results: one result with one finding per assessed item, its state
/// satisfied or not (for CAF outcomes: meeting the profile, or Achieved without one).
pub fn oscal_assessment_results(
    framework: &Framework,
    answers: &HashMap<String, Answer>,
    card: &Scorecard,
    meta: &ResultsMeta<'_>,
) -> Json {
    let ns = "https://hygeia.health/ns/oscal";
    let mut findings = Vec::new();
    for n in &framework.nodes {
        if matches!(n.answer, AnswerKind::None | AnswerKind::Statement) {
            continue;
        }
        let a = answers.get(&n.ref_id);
        let (state, mut props) = match card.outcome(&n.ref_id) {
            Some(o) => {
                let ok = o.meets_profile.unwrap_or(o.grade == super::caf::Grade::Achieved);
                let mut props = vec![json!({"name": "caf-grade", "ns": ns, "value": o.grade.label()})];
                if o.overridden {
                    props.push(json!({"name": "assessor-override", "ns": ns, "value": "true"}));
                }
                (if ok { "satisfied" } else { "not-satisfied" }, props)
            }
            None => match a.and_then(|a| a.value) {
                Some(Value::Met | Value::Compliant | Value::Pass | Value::NotApplicable) => ("satisfied", Vec::new()),
                Some(_) => ("not-satisfied", Vec::new()),
                None => continue,
            },
        };
        if let Some(v) = a.and_then(|a| a.value) {
            props.push(json!({"name": "answer", "ns": ns, "value": v.code()}));
        }
        let narrative = a.map_or("", |a| a.narrative.as_str());
        findings.push(json!({
            "uuid": stable_uuid(&format!("{}/finding/{}", meta.assessment_id, n.ref_id)),
            "title": format!("{} {}", n.ref_id, n.title),
            "description": if narrative.is_empty() { "No narrative recorded." } else { narrative },
            "props": props,
            "target": {"type": "objective-id", "target-id": n.ref_id, "status": {"state": state}},
        }));
    }
    let mut doc_props = vec![
        json!({"name": "framework", "ns": ns, "value": framework.key}),
        json!({"name": "framework-version", "ns": ns, "value": framework.version}),
        json!({"name": "status", "ns": ns, "value": meta.status}),
    ];
    if let Some(d) = meta.digest {
        doc_props.push(json!({"name": "snapshot-sha256", "ns": ns, "value": d}));
    }
    json!({"assessment-results": {
        "uuid": stable_uuid(&format!("{}/assessment-results", meta.assessment_id)),
        "metadata": {
            "title": meta.title,
            "last-modified": meta.last_modified,
            "version": meta.period,
            "oscal-version": "1.1.2",
            "props": doc_props,
            "parties": [{"uuid": stable_uuid(&format!("{}/party", meta.assessment_id)), "type": "organization", "name": meta.organisation}],
        },
        "import-ap": {"href": "#"},
        "results": [{
            "uuid": stable_uuid(&format!("{}/result", meta.assessment_id)),
            "title": format!("{} {}", framework.title, meta.period),
            "description": card.headline(card.outcomes.iter().any(|o| o.meets_profile.is_some())),
            "start": meta.started,
            "reviewed-controls": {"control-selections": [{"include-all": {}}]},
            "findings": findings,
        }],
    }})
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cells_are_quoted_and_formulas_defused() {
        assert_eq!(cell("plain"), "plain");
        assert_eq!(cell("a, b"), "\"a, b\"");
        assert_eq!(cell("say \"hi\""), "\"say \"\"hi\"\"\"");
        assert_eq!(cell("=HYPERLINK(\"x\")"), "\"'=HYPERLINK(\"\"x\"\")\"");
        assert_eq!(cell("-1"), "'-1");
    }

    #[test]
    fn stable_uuids_are_well_formed_and_repeatable() {
        let a = stable_uuid("x");
        assert_eq!(a, stable_uuid("x"));
        assert_ne!(a, stable_uuid("y"));
        assert_eq!(a.len(), 36);
        assert_eq!(&a[14..15], "5");
        assert!(matches!(&a[19..20], "8" | "9" | "a" | "b"));
    }
}
