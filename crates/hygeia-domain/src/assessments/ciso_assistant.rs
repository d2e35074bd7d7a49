//! CISO Assistant's library files (YAML, as published by intuitem): the framework under
//! `objects.framework`, its requirement nodes listed in order, each naming its parent by URN.
//! A node marked assessable becomes a requirement answered met / not met / not applicable;
//! the others become headings. Every error names where it is: a syntax error by line and
//! column, a wrong shape or a broken reference by JSON pointer into the document.

use super::framework::{AnswerKind, Framework, Node, NodeKind};
use super::oscal::{ImportError, pointer, slug, validated};
use serde::Deserialize;
use std::collections::{HashMap, HashSet};

#[derive(Deserialize)]
struct Library {
    #[serde(default)]
    ref_id: Option<Scalar>,
    #[serde(default)]
    version: Option<Scalar>,
    #[serde(default)]
    provider: Option<String>,
    #[serde(default)]
    copyright: Option<String>,
    objects: Objects,
}

#[derive(Deserialize)]
struct Objects {
    #[serde(default)]
    framework: Option<FrameworkObject>,
}

#[derive(Deserialize)]
struct FrameworkObject {
    #[serde(default)]
    ref_id: Option<Scalar>,
    name: String,
    #[serde(default)]
    requirement_nodes: Vec<RequirementNode>,
}

#[derive(Deserialize)]
struct RequirementNode {
    urn: String,
    #[serde(default)]
    parent_urn: Option<String>,
    #[serde(default)]
    ref_id: Option<Scalar>,
    #[serde(default)]
    name: Option<Scalar>,
    #[serde(default)]
    description: Option<String>,
    #[serde(default)]
    assessable: bool,
}

/// A YAML scalar read as text: libraries write some ids and versions unquoted (`1.1`, `3`).
#[derive(Deserialize)]
#[serde(untagged)]
enum Scalar {
    Text(String),
    Int(i64),
    Float(f64),
    Bool(bool),
}

impl Scalar {
    fn text(&self) -> String {
        match self {
            Scalar::Text(s) => s.trim().to_owned(),
            Scalar::Int(i) => i.to_string(),
            Scalar::Float(f) => f.to_string(),
            Scalar::Bool(b) => b.to_string(),
        }
    }
}

/// Whether `text` looks like a CISO Assistant library: YAML (not JSON) with a top-level
/// `objects:` key.
pub fn detect(text: &str) -> bool {
    let body = text.trim_start_matches('\u{feff}').trim_start();
    !body.starts_with('{') && body.lines().any(|l| l.trim_end() == "objects:")
}

/// Reads a library. `key` names the framework (the slug of its ref_id when none).
pub fn library(yaml: &str, key: Option<&str>) -> Result<Framework, ImportError> {
    let de = serde_norway::Deserializer::from_str(yaml);
    let lib: Library = serde_path_to_error::deserialize(de).map_err(|e| {
        let location = pointer(e.path());
        let inner = e.into_inner();
        match inner.location() {
            Some(at) if is_syntax(&inner.to_string()) => ImportError {
                location: format!("line {}, column {}", at.line(), at.column()),
                message: format!("not YAML: {inner}"),
            },
            _ if location == "/" && inner.to_string().contains("missing field `objects`") => ImportError {
                location,
                message: "not a CISO Assistant library (no top-level \"objects\")".into(),
            },
            _ => ImportError {
                location,
                message: inner.to_string(),
            },
        }
    })?;
    let Some(fw) = lib.objects.framework else {
        return Err(ImportError {
            location: "/objects/framework".into(),
            message: "this library holds no framework (only reference controls, threats or mappings?)".into(),
        });
    };
    let nodes = nodes(&fw.requirement_nodes)?;
    let ref_id = fw
        .ref_id
        .or(lib.ref_id)
        .map(|r| r.text())
        .unwrap_or_else(|| fw.name.clone());
    validated(Framework {
        key: key.map_or_else(|| slug(&ref_id), str::to_owned),
        version: lib.version.map_or_else(|| "1".to_owned(), |v| v.text()),
        title: fw.name.trim().to_owned(),
        publisher: lib
            .provider
            .filter(|p| !p.trim().is_empty())
            .unwrap_or_else(|| "Not stated in the library".into()),
        source_url: None,
        licence: lib
            .copyright
            .filter(|c| !c.trim().is_empty())
            .unwrap_or_else(|| "As stated by the publisher".into()),
        nodes,
        profiles: Vec::new(),
        status_rule: None,
    })
}

/// libyaml's words for text that is not YAML at all, as opposed to YAML of the wrong shape.
fn is_syntax(message: &str) -> bool {
    [
        "while scanning",
        "while parsing",
        "did not find expected",
        "found character that cannot start",
    ]
    .iter()
    .any(|m| message.contains(m))
}

/// The requirement nodes as framework nodes. A node's reference is its `ref_id`, or the last
/// part of its URN when it has none or repeats another's; its parent is found by URN.
fn nodes(list: &[RequirementNode]) -> Result<Vec<Node>, ImportError> {
    let at = |i: usize, field: &str| format!("/objects/framework/requirement_nodes/{i}/{field}");
    let mut by_urn: HashMap<&str, String> = HashMap::new();
    let mut used: HashSet<String> = HashSet::new();
    let mut refs = Vec::with_capacity(list.len());
    for (i, n) in list.iter().enumerate() {
        let urn = n.urn.trim();
        if urn.is_empty() || by_urn.contains_key(urn) {
            return Err(ImportError {
                location: at(i, "urn"),
                message: if urn.is_empty() {
                    "is empty".into()
                } else {
                    format!("'{urn}' is used by an earlier node")
                },
            });
        }
        let tail = urn.rsplit(':').next().unwrap_or(urn).to_owned();
        let own = n.ref_id.as_ref().map(Scalar::text).filter(|r| !r.is_empty());
        let chosen = match own {
            Some(r) if !used.contains(&r) => r,
            _ if !used.contains(&tail) => tail,
            _ => urn.to_owned(),
        };
        used.insert(chosen.clone());
        by_urn.insert(urn, chosen.clone());
        refs.push(chosen);
    }
    let mut out = Vec::with_capacity(list.len());
    for (i, (n, ref_id)) in list.iter().zip(refs).enumerate() {
        let parent = match n.parent_urn.as_deref().map(str::trim).filter(|p| !p.is_empty()) {
            None => None,
            Some(p) => Some(by_urn.get(p).cloned().ok_or_else(|| ImportError {
                location: at(i, "parent_urn"),
                message: format!("'{p}' is not the URN of any node in this library"),
            })?),
        };
        let description = n.description.as_deref().map(str::trim).unwrap_or_default().to_owned();
        let title = n
            .name
            .as_ref()
            .map(Scalar::text)
            .filter(|t| !t.is_empty())
            .unwrap_or_else(|| {
                // Statement nodes often have only a description: its opening words stand as a title.
                let words: Vec<&str> = description.split_whitespace().take(12).collect();
                if words.is_empty() {
                    ref_id.clone()
                } else {
                    words.join(" ")
                }
            });
        out.push(Node {
            ref_id,
            parent,
            kind: if n.assessable {
                NodeKind::Requirement
            } else {
                NodeKind::Group
            },
            title,
            summary: description,
            answer: if n.assessable {
                AnswerKind::MetNotMet
            } else {
                AnswerKind::None
            },
            level: None,
            applies_to: Vec::new(),
            mandatory_for: Vec::new(),
            source: None,
        });
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    const SAMPLE: &str = "urn: urn:example:risk:library:tiny
locale: en
ref_id: tiny-1.0
name: Tiny library
version: 2
provider: Example
copyright: Example licence
objects:
  framework:
    urn: urn:example:risk:framework:tiny
    ref_id: tiny-1.0
    name: Tiny framework
    requirement_nodes:
    - urn: urn:example:risk:req_node:tiny:a
      assessable: false
      depth: 1
      ref_id: A
      name: Governance
    - urn: urn:example:risk:req_node:tiny:a.1
      assessable: true
      depth: 2
      parent_urn: urn:example:risk:req_node:tiny:a
      ref_id: 1.1
      description: Someone is accountable for security and reports to the board every quarter.
    - urn: urn:example:risk:req_node:tiny:a.2
      assessable: true
      parent_urn: urn:example:risk:req_node:tiny:a
      ref_id: 1.1
      name: Second
";

    #[test]
    fn reads_a_library_into_headings_and_requirements() {
        assert!(detect(SAMPLE));
        assert!(!detect("{\"objects\": 1}"));
        let f = library(SAMPLE, None).unwrap();
        assert_eq!(
            (f.key.as_str(), f.version.as_str(), f.title.as_str()),
            ("tiny-1-0", "2", "Tiny framework")
        );
        assert_eq!(
            (f.publisher.as_str(), f.licence.as_str()),
            ("Example", "Example licence")
        );
        let refs: Vec<(&str, Option<&str>, NodeKind)> = f
            .nodes
            .iter()
            .map(|n| (n.ref_id.as_str(), n.parent.as_deref(), n.kind))
            .collect();
        // The repeated ref_id 1.1 falls back to the URN's last part.
        assert_eq!(
            refs,
            [
                ("A", None, NodeKind::Group),
                ("1.1", Some("A"), NodeKind::Requirement),
                ("a.2", Some("A"), NodeKind::Requirement)
            ]
        );
        assert_eq!(
            f.nodes[1].title,
            "Someone is accountable for security and reports to the board every quarter."
        );
        assert_eq!(f.nodes[1].answer, AnswerKind::MetNotMet);
        assert_eq!(library(SAMPLE, Some("mine")).unwrap().key, "mine");
    }

    #[test]
    fn errors_say_where() {
        let broken = SAMPLE.replace(
            "parent_urn: urn:example:risk:req_node:tiny:a\n      ref_id: 1.1\n      name",
            "parent_urn: urn:nowhere\n      ref_id: 1.1\n      name",
        );
        let e = library(&broken, None).unwrap_err();
        assert_eq!(e.location, "/objects/framework/requirement_nodes/2/parent_urn");
        let e = library(
            &SAMPLE.replace(
                "      assessable: true\n      depth: 2",
                "      assessable: maybe\n      depth: 2",
            ),
            None,
        )
        .unwrap_err();
        assert_eq!(e.location, "/objects/framework/requirement_nodes/1/assessable", "{e:?}");
        let e = library("objects:\n  framework:\n    name: \"unterminated\n", None).unwrap_err();
        assert!(e.location.starts_with("line "), "{e:?}");
        let e = library("objects:\n  reference_controls: []\n", None).unwrap_err();
        assert_eq!(e.location, "/objects/framework");
        let dup = SAMPLE.replace(
            "urn: urn:example:risk:req_node:tiny:a.2",
            "urn: urn:example:risk:req_node:tiny:a.1",
        );
        assert_eq!(
            library(&dup, None).unwrap_err().location,
            "/objects/framework/requirement_nodes/2/urn"
        );
    }
}
