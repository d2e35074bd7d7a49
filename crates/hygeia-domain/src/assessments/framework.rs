//! A framework as data: a tree of nodes (objectives, principles, outcomes, indicators,
//! standards, controls …), each with its reference id, title, a summary, and whether and how it
//! is answered. Built-in catalogues and imported ones (OSCAL, our own format) all become this,
//! and `validate` is the one gate they pass before they are stored.

use super::caf::Grade;
use crate::validation::{FieldError, Invalid};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, HashMap, HashSet};

/// The most nodes one framework may have (NIST SP 800-53 has about 1,200 with enhancements).
pub const MAX_NODES: usize = 20_000;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum NodeKind {
    Objective,
    Principle,
    Outcome,
    Indicator,
    Standard,
    Assertion,
    EvidenceItem,
    Requirement,
    Question,
    Group,
    Control,
}

/// How a node is answered in an assessment.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AnswerKind {
    /// Not answered itself (a heading, or graded from its children).
    None,
    /// A CAF contributing outcome: graded from its indicator statements.
    CafGrade,
    /// One indicator statement: true or not.
    Statement,
    /// Met, not met or not applicable (DSPT evidence items, controls).
    MetNotMet,
    /// Compliant or not (Cyber Essentials).
    Compliant,
    /// Pass or fail (DTAC sections).
    PassFail,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Node {
    /// The framework's own reference, unique within it (`A1.a`, `A1.a.NA.1`, `ac-2(1)`).
    pub ref_id: String,
    /// The parent's `ref_id`; none at the top.
    #[serde(default)]
    pub parent: Option<String>,
    pub kind: NodeKind,
    pub title: String,
    /// In the catalogue's own words (ours for built-ins).
    #[serde(default)]
    pub summary: String,
    pub answer: AnswerKind,
    /// For CAF indicators: the column, `NA`, `PA` or `A`. For a CAF outcome with no indicator
    /// statements (graded directly by the assessor): `NA A` when it has no Partially-achieved
    /// level; absent when it has all three.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub level: Option<String>,
    /// The organisation types or DSPT categories the node applies to; empty: all. An
    /// assessment whose profile key is one of these values (`category-4`) scores only the nodes
    /// that apply to it.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub applies_to: Vec<String>,
    /// Where answering it is mandatory (types or categories); empty: nowhere by rule. For the
    /// NDG-standard DSPT, `category-4` means mandatory for Standards Met in Category 4 and
    /// `approaching:category-4` mandatory for Approaching Standards there.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub mandatory_for: Vec<String>,
    /// Where this node's facts come from, when it differs from the framework's source.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
}

impl Node {
    pub fn assessable(&self) -> bool {
        self.answer != AnswerKind::None
    }

    /// Whether the node is in scope for an assessment against `profile` (a category or type
    /// when the node names any).
    pub fn applies(&self, profile: Option<&str>) -> bool {
        self.applies_to.is_empty() || profile.is_none_or(|p| self.applies_to.iter().any(|a| a == p))
    }

    /// Mandatory for Standards Met in `category`.
    pub fn mandatory_in(&self, category: &str) -> bool {
        self.mandatory_for.iter().any(|m| m == category)
    }

    /// Mandatory for Approaching Standards in `category`.
    pub fn approaching_in(&self, category: &str) -> bool {
        self.mandatory_for
            .iter()
            .any(|m| m.strip_prefix("approaching:") == Some(category))
    }
}

/// A versioned framework with where it comes from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Framework {
    /// A stable slug (`ncsc-caf`, `nist-sp-800-53`).
    pub key: String,
    pub version: String,
    pub title: String,
    pub publisher: String,
    #[serde(default)]
    pub source_url: Option<String>,
    /// The licence of the catalogue's content.
    pub licence: String,
    /// Parents before their children, in reading order.
    pub nodes: Vec<Node>,
    /// Target profiles: the minimum grade each graded outcome should reach.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub profiles: Vec<Profile>,
    /// A publication status rule beyond the grades, where the framework has one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status_rule: Option<StatusRule>,
}

/// Publication statuses some frameworks add to their grades.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum StatusRule {
    /// The CAF-aligned DSPT: Standards Met when every outcome is at or above the profile,
    /// otherwise Standards Not Met (shared/reference/dspt-structure.md §8.1).
    DsptCaf,
    /// The NDG-standard DSPT: Standards Met, Approaching Standards or Standards Not Met from
    /// the evidence items mandatory for the organisation's category (`dspt::status`).
    DsptNdg,
}

impl StatusRule {
    pub fn code(self) -> &'static str {
        match self {
            StatusRule::DsptCaf => "dspt_caf",
            StatusRule::DsptNdg => "dspt_ndg",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        match code {
            "dspt_caf" => Some(StatusRule::DsptCaf),
            "dspt_ndg" => Some(StatusRule::DsptNdg),
            _ => None,
        }
    }
}

/// A target set by a regulator or oversight body (the CAF leaves targets to them): for each
/// graded outcome the lowest grade that meets it, or no minimum.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Profile {
    pub key: String,
    pub title: String,
    #[serde(default)]
    pub summary: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
    /// Outcome `ref_id` → minimum grade (`null`: no minimum). Outcomes left out have none.
    pub minima: BTreeMap<String, Option<Grade>>,
}

impl Framework {
    pub fn profile(&self, key: &str) -> Option<&Profile> {
        self.profiles.iter().find(|p| p.key == key)
    }

    /// Whether a CAF outcome has a Partially-achieved level: any PA indicator under it, or,
    /// for an outcome graded directly, unless its `level` leaves PA out.
    pub fn allows_partial(&self, outcome: &str) -> bool {
        if self.graded_directly(outcome) {
            return self.nodes.iter().find(|n| n.ref_id == outcome).is_none_or(|n| {
                n.level
                    .as_deref()
                    .is_none_or(|l| l.split_whitespace().any(|x| x == "PA"))
            });
        }
        self.nodes
            .iter()
            .any(|n| n.parent.as_deref() == Some(outcome) && n.level.as_deref() == Some("PA"))
    }

    /// A CAF outcome with no indicator statements: the assessor chooses its grade.
    pub fn graded_directly(&self, outcome: &str) -> bool {
        !self
            .nodes
            .iter()
            .any(|n| n.parent.as_deref() == Some(outcome) && n.answer == AnswerKind::Statement)
    }
}

/// Each profile names only graded outcomes of this framework, at a level they have.
fn validate_profiles(f: &Framework, errors: &mut Vec<FieldError>) {
    let answers: HashMap<&str, AnswerKind> = f.nodes.iter().map(|n| (n.ref_id.as_str(), n.answer)).collect();
    let mut keys = HashSet::new();
    for (i, p) in f.profiles.iter().enumerate() {
        if !slug_ok(&p.key) {
            errors.push(FieldError::new(
                format!("profiles/{i}/key"),
                "must be lower-case letters, digits, dots and hyphens, at most 60",
            ));
        } else if !keys.insert(p.key.as_str()) {
            errors.push(FieldError::new(
                format!("profiles/{i}/key"),
                format!("'{}' appears twice", p.key),
            ));
        }
        if p.title.trim().is_empty() {
            errors.push(FieldError::new(format!("profiles/{i}/title"), "is required"));
        }
        for (outcome, minimum) in &p.minima {
            let at = format!("profiles/{i}/minima/{outcome}");
            match answers.get(outcome.as_str()) {
                Some(AnswerKind::CafGrade) => {
                    if *minimum == Some(Grade::PartiallyAchieved) && !f.allows_partial(outcome) {
                        errors.push(FieldError::new(at, "this outcome has no Partially achieved level"));
                    }
                }
                Some(_) => errors.push(FieldError::new(at, "is not a graded outcome")),
                None => errors.push(FieldError::new(at, "is not a node of this framework")),
            }
        }
    }
}

fn slug_ok(s: &str) -> bool {
    !s.is_empty()
        && s.len() <= 60
        && s.chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-' || c == '.')
}

/// Checks a framework before it is stored; every problem is named by its place (`nodes/12/parent`).
pub fn validate(f: &Framework) -> Result<(), Invalid> {
    let mut errors = Vec::new();
    if !slug_ok(&f.key) {
        errors.push(FieldError::new(
            "key",
            "must be lower-case letters, digits, dots and hyphens, at most 60",
        ));
    }
    if f.version.trim().is_empty() || f.version.len() > 40 {
        errors.push(FieldError::new("version", "is required, at most 40 characters"));
    }
    for (field, value) in [
        ("title", &f.title),
        ("publisher", &f.publisher),
        ("licence", &f.licence),
    ] {
        if value.trim().is_empty() {
            errors.push(FieldError::new(field, "is required"));
        }
    }
    if f.nodes.is_empty() {
        errors.push(FieldError::new("nodes", "has no nodes"));
    }
    if f.nodes.len() > MAX_NODES {
        errors.push(FieldError::new(
            "nodes",
            format!("has {} nodes; at most {MAX_NODES}", f.nodes.len()),
        ));
    }
    let mut seen: HashSet<&str> = HashSet::with_capacity(f.nodes.len());
    for (i, n) in f.nodes.iter().enumerate() {
        let at = |field: &str| format!("nodes/{i}/{field}");
        if n.ref_id.trim().is_empty() || n.ref_id.len() > 80 {
            errors.push(FieldError::new(at("ref_id"), "is required, at most 80 characters"));
        } else if !seen.insert(n.ref_id.as_str()) {
            errors.push(FieldError::new(at("ref_id"), format!("'{}' appears twice", n.ref_id)));
        }
        if n.title.trim().is_empty() {
            errors.push(FieldError::new(at("title"), "is required"));
        }
        if let Some(parent) = &n.parent
            && !seen.contains(parent.as_str())
        {
            errors.push(FieldError::new(
                at("parent"),
                format!("'{parent}' is not a node before this one"),
            ));
        }
        if n.answer == AnswerKind::Statement && !matches!(n.level.as_deref(), Some("NA" | "PA" | "A")) {
            errors.push(FieldError::new(
                at("level"),
                "a statement needs its column: NA, PA or A",
            ));
        }
        if errors.len() >= 50 {
            errors.push(FieldError::new("nodes", "more problems follow; fix these first"));
            break;
        }
    }
    validate_profiles(f, &mut errors);
    if errors.is_empty() {
        Ok(())
    } else {
        Err(Invalid(errors))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    pub(crate) fn node(ref_id: &str, parent: Option<&str>, answer: AnswerKind) -> Node {
        Node {
            ref_id: ref_id.into(),
            parent: parent.map(Into::into),
            kind: NodeKind::Control,
            title: format!("Title of {ref_id}"),
            summary: String::new(),
            answer,
            level: None,
            applies_to: Vec::new(),
            mandatory_for: Vec::new(),
            source: None,
        }
    }

    fn framework(nodes: Vec<Node>) -> Framework {
        Framework {
            key: "test-fw".into(),
            version: "1.0".into(),
            title: "Test".into(),
            publisher: "Us".into(),
            source_url: None,
            licence: "OGL-UK-3.0".into(),
            nodes,
            profiles: Vec::new(),
            status_rule: None,
        }
    }

    #[test]
    fn a_tree_in_order_passes() {
        let f = framework(vec![
            node("a", None, AnswerKind::None),
            node("a.1", Some("a"), AnswerKind::MetNotMet),
        ]);
        assert_eq!(validate(&f), Ok(()));
        assert!(f.nodes[1].assessable() && !f.nodes[0].assessable());
    }

    #[test]
    fn problems_are_named_by_place() {
        let mut f = framework(vec![
            node("a.1", Some("a"), AnswerKind::MetNotMet),
            node("a", None, AnswerKind::None),
            node("a", None, AnswerKind::None),
        ]);
        f.key = "Test FW".into();
        let fields: Vec<String> = validate(&f).unwrap_err().0.into_iter().map(|e| e.field).collect();
        assert_eq!(fields, ["key", "nodes/0/parent", "nodes/2/ref_id"]);
        assert_eq!(validate(&framework(Vec::new())).unwrap_err().0[0].field, "nodes");
    }
}
