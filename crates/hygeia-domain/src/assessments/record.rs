//! An assessment's own rules: what starting one needs, where it stands in its life (draft,
//! published, superseded), and the digest that seals a publication.
//!
//! A publication freezes a snapshot: the framework version, the answers, the grades and the
//! hashes of the evidence linked to each item. The digest is SHA-256 over the snapshot's
//! canonical JSON (keys in a fixed order, no insignificant white space), so anyone holding the
//! exported snapshot can recompute it and compare it with the digest printed on the report.

use crate::evidence::check_title;
use crate::governance::check_date;
use crate::validation::{Collector, FieldError, Invalid};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    /// Being worked on; answers may change.
    Draft,
    /// Signed off and frozen.
    Published,
    /// A later publication for the same framework and period replaced it.
    Superseded,
}

impl Status {
    pub fn code(self) -> &'static str {
        match self {
            Status::Draft => "draft",
            Status::Published => "published",
            Status::Superseded => "superseded",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Status::Draft => "Draft",
            Status::Published => "Published",
            Status::Superseded => "Superseded",
        }
    }

    pub fn parse(s: &str, field: &str) -> Result<Self, Invalid> {
        match s {
            "draft" => Ok(Status::Draft),
            "published" => Ok(Status::Published),
            "superseded" => Ok(Status::Superseded),
            _ => Err(Invalid::one(field, "must be one of: draft, published, superseded")),
        }
    }

    pub fn is_frozen(self) -> bool {
        self != Status::Draft
    }
}

pub const PERIOD_MAX: usize = 40;
pub const SCOPE_MAX: usize = 2_000;

/// What starting an assessment asks for, checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Start {
    pub title: String,
    pub period: String,
    pub due_on: Option<String>,
    pub scope: String,
}

/// Checks the start form; every problem names its field.
pub fn check_start(title: &str, period: &str, due_on: &str, scope: &str) -> Result<Start, Invalid> {
    let mut c = Collector::new();
    let title = c.check(check_title(title, "title"));
    let period = period.trim();
    if period.is_empty() || period.chars().count() > PERIOD_MAX || period.contains(['\n', '\r']) {
        c.push(FieldError::new(
            "period",
            format!("is required: one line of at most {PERIOD_MAX} characters, such as 2025-26"),
        ));
    }
    let due_on = c.check(check_date(due_on, "due_on"));
    let scope = scope.trim();
    if scope.chars().count() > SCOPE_MAX {
        c.push(FieldError::new(
            "scope",
            format!("is longer than {SCOPE_MAX} characters"),
        ));
    }
    c.finish()?;
    Ok(Start {
        title: title.unwrap_or_default(),
        period: period.to_owned(),
        due_on: due_on.flatten(),
        scope: if scope.is_empty() {
            "Whole organisation".into()
        } else {
            scope.to_owned()
        },
    })
}

/// The canonical text of a snapshot: serde_json with the map keys sorted (it sorts `Value`
/// objects) and no white space.
pub fn canonical(snapshot: &serde_json::Value) -> String {
    serde_json::to_string(snapshot).unwrap_or_default()
}

/// The SHA-256 of the canonical snapshot, in lower-case hex.
pub fn digest(snapshot: &serde_json::Value) -> String {
    hex(&Sha256::digest(canonical(snapshot).as_bytes()))
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn the_start_form_names_each_problem() {
        let err = check_start("", "", "30/06/2026", &"x".repeat(SCOPE_MAX + 1)).unwrap_err();
        let fields: Vec<&str> = err.0.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(fields, ["title", "period", "due_on", "scope"]);
        let ok = check_start(" DSPT ", "2025-26", "2026-06-30", "").unwrap();
        assert_eq!(ok.title, "DSPT");
        assert_eq!(ok.due_on.as_deref(), Some("2026-06-30"));
        assert_eq!(ok.scope, "Whole organisation");
    }

    #[test]
    fn the_digest_ignores_key_order_but_not_content() {
        let a = json!({"b": 1, "a": [1, 2], "c": {"y": true, "x": null}});
        let b: serde_json::Value =
            serde_json::from_str(r#"{"c": {"x": null, "y": true}, "a": [1, 2], "b": 1}"#).unwrap();
        assert_eq!(digest(&a), digest(&b));
        assert_eq!(canonical(&a), r#"{"a":[1,2],"b":1,"c":{"x":null,"y":true}}"#);
        assert_ne!(
            digest(&a),
            digest(&json!({"b": 2, "a": [1, 2], "c": {"y": true, "x": null}}))
        );
        assert_eq!(digest(&a).len(), 64);
    }

    #[test]
    fn only_drafts_change() {
        for s in [Status::Draft, Status::Published, Status::Superseded] {
            assert_eq!(Status::parse(s.code(), "s"), Ok(s));
        }
        assert!(!Status::Draft.is_frozen() && Status::Published.is_frozen());
    }
}
