//! Mappings between frameworks: which requirement of one corresponds to which of another, and
//! how (equal, subset, superset, intersects). They are what lets evidence gathered for one
//! framework be offered when answering another. A mapping names frameworks by key, not
//! version, so it holds for every version that has the requirement.
//!
//! The file format is `hygeia.mapping/v1`: the two keys, where the pairs come from, and the
//! pairs. Reading it checks its shape; whether each reference exists is checked against the
//! library when it is imported.

use super::oscal::ImportError;
use serde::{Deserialize, Serialize};
use std::collections::HashSet;

pub const FORMAT: &str = "hygeia.mapping/v1";

/// How the `from` requirement relates to the `to` requirement.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Relation {
    /// The two ask for the same thing.
    Equal,
    /// Meeting `to` meets `from`; `to` asks for more.
    Subset,
    /// Meeting `from` meets `to`; `from` asks for more.
    Superset,
    /// They overlap; neither covers the other.
    Intersects,
}

impl Relation {
    pub fn code(self) -> &'static str {
        match self {
            Relation::Equal => "equal",
            Relation::Subset => "subset",
            Relation::Superset => "superset",
            Relation::Intersects => "intersects",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        [
            Relation::Equal,
            Relation::Subset,
            Relation::Superset,
            Relation::Intersects,
        ]
        .into_iter()
        .find(|r| r.code() == code)
    }

    /// The same relation seen from the other side.
    pub fn inverse(self) -> Self {
        match self {
            Relation::Subset => Relation::Superset,
            Relation::Superset => Relation::Subset,
            other => other,
        }
    }

    /// As the relation of a counterpart to the requirement being answered, for a person
    /// reading it.
    pub fn label(self) -> &'static str {
        match self {
            Relation::Equal => "the same requirement",
            Relation::Subset => "covers part of this",
            Relation::Superset => "covers more than this",
            Relation::Intersects => "overlaps this",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Pair {
    pub from: String,
    pub to: String,
    pub relation: Relation,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Mapping {
    /// Framework keys.
    pub from: String,
    pub to: String,
    pub title: String,
    /// Who made the mapping and on what basis.
    pub source: String,
    pub pairs: Vec<Pair>,
}

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct Document {
    format: String,
    mapping: Mapping,
}

/// The most pairs one mapping file may hold.
pub const MAX_PAIRS: usize = 20_000;

pub fn parse(text: &str) -> Result<Mapping, ImportError> {
    let doc: Document = super::oscal::read_located(text, |_, message| message)?;
    let err = |location: String, message: String| ImportError { location, message };
    if doc.format != FORMAT {
        return Err(err(
            "/format".into(),
            format!("'{}' is not a format this build reads ({FORMAT})", doc.format),
        ));
    }
    let m = doc.mapping;
    for (field, key) in [("from", &m.from), ("to", &m.to)] {
        if key.is_empty() || key.len() > 60 {
            return Err(err(format!("/mapping/{field}"), "must be a framework key".into()));
        }
    }
    if m.from == m.to {
        return Err(err(
            "/mapping/to".into(),
            "must be another framework than 'from'".into(),
        ));
    }
    if m.source.trim().is_empty() {
        return Err(err(
            "/mapping/source".into(),
            "say who made the mapping and on what basis".into(),
        ));
    }
    if m.pairs.is_empty() || m.pairs.len() > MAX_PAIRS {
        return Err(err(
            "/mapping/pairs".into(),
            format!("must hold 1 to {MAX_PAIRS} pairs"),
        ));
    }
    let mut seen = HashSet::new();
    for (i, p) in m.pairs.iter().enumerate() {
        for (field, r) in [("from", &p.from), ("to", &p.to)] {
            if r.trim().is_empty() || r.len() > 80 {
                return Err(err(
                    format!("/mapping/pairs/{i}/{field}"),
                    "is required, at most 80 characters".into(),
                ));
            }
        }
        if !seen.insert((p.from.as_str(), p.to.as_str())) {
            return Err(err(
                format!("/mapping/pairs/{i}"),
                format!("{} to {} appears twice", p.from, p.to),
            ));
        }
    }
    Ok(m)
}

pub fn write(m: &Mapping) -> String {
    let doc = Document {
        format: FORMAT.into(),
        mapping: m.clone(),
    };
    serde_json::to_string_pretty(&doc).unwrap_or_default()
}

/// One stored pair, as the library keeps it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Link {
    pub from_key: String,
    pub from_ref: String,
    pub to_key: String,
    pub to_ref: String,
    pub relation: Relation,
}

/// A requirement's counterparts in other frameworks: (framework key, reference, how the
/// counterpart relates to it), from pairs stored in either direction.
pub fn counterparts(links: &[Link], key: &str, ref_id: &str) -> Vec<(String, String, Relation)> {
    let mut out: Vec<(String, String, Relation)> = links
        .iter()
        .filter_map(|l| {
            if l.from_key == key && l.from_ref == ref_id {
                // `from` relates to `to` as stored; the counterpart relates the other way.
                Some((l.to_key.clone(), l.to_ref.clone(), l.relation.inverse()))
            } else if l.to_key == key && l.to_ref == ref_id {
                Some((l.from_key.clone(), l.from_ref.clone(), l.relation))
            } else {
                None
            }
        })
        .collect();
    out.sort_by(|a, b| (&a.0, &a.1).cmp(&(&b.0, &b.1)));
    out.dedup_by(|a, b| a.0 == b.0 && a.1 == b.1);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn doc(pairs: &str) -> String {
        format!(
            r#"{{"format": "hygeia.mapping/v1", "mapping": {{"from": "a", "to": "b", "title": "A to B",
                "source": "ours", "pairs": [{pairs}]}}}}"#
        )
    }

    #[test]
    fn a_mapping_reads_and_writes_back() {
        let m = parse(&doc(r#"{"from": "1", "to": "x", "relation": "subset"}"#)).unwrap();
        assert_eq!(m.pairs[0].relation, Relation::Subset);
        assert_eq!(parse(&write(&m)).unwrap(), m);
    }

    #[test]
    fn problems_are_named_by_pointer() {
        let e = parse(&doc(r#"{"from": "1", "to": "x", "relation": "same"}"#)).unwrap_err();
        assert!(e.location.starts_with("/mapping/pairs/0"), "{e}");
        let e = parse(&doc(
            r#"{"from": "1", "to": "x", "relation": "equal"}, {"from": "1", "to": "x", "relation": "subset"}"#,
        ))
        .unwrap_err();
        assert_eq!(e.location, "/mapping/pairs/1");
        let e = parse(&doc(r#"{"from": "", "to": "x", "relation": "equal"}"#)).unwrap_err();
        assert_eq!(e.location, "/mapping/pairs/0/from");
        assert_eq!(parse(&doc("")).unwrap_err().location, "/mapping/pairs");
    }

    /// Seen from the `to` side, a subset reads as a superset, and each pair is found both ways.
    #[test]
    fn counterparts_are_found_from_either_side() {
        let links = vec![Link {
            from_key: "ce".into(),
            from_ref: "4.4".into(),
            to_key: "caf".into(),
            to_ref: "B2.a".into(),
            relation: Relation::Subset,
        }];
        assert_eq!(
            counterparts(&links, "ce", "4.4"),
            [("caf".into(), "B2.a".into(), Relation::Superset)]
        );
        assert_eq!(
            counterparts(&links, "caf", "B2.a"),
            [("ce".into(), "4.4".into(), Relation::Subset)]
        );
        assert!(counterparts(&links, "caf", "B2.b").is_empty());
        for r in [
            Relation::Equal,
            Relation::Subset,
            Relation::Superset,
            Relation::Intersects,
        ] {
            assert_eq!(r.inverse().inverse(), r);
            assert_eq!(Relation::from_code(r.code()), Some(r));
        }
    }
}
