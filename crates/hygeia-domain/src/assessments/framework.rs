//! A framework as data: a tree of nodes (objectives, principles, outcomes, indicators,
//! standards, controls …), each with its reference id, title, a summary, and whether and how it
//! is answered. Built-in catalogues and imported ones (OSCAL, our own format) all become this,
//! and `validate` is the one gate they pass before they are stored.

use crate::validation::{FieldError, Invalid};
use serde::{Deserialize, Serialize};
use std::collections::HashSet;

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
    /// For CAF indicators: the column, `NA`, `PA` or `A`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub level: Option<String>,
}

impl Node {
    pub fn assessable(&self) -> bool {
        self.answer != AnswerKind::None
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
        if errors.len() >= 50 {
            errors.push(FieldError::new("nodes", "more problems follow; fix these first"));
            break;
        }
    }
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
