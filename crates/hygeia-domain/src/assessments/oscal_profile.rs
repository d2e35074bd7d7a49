//! OSCAL 1.x profiles: a selection of controls from a catalog. A profile is resolved here
//! against a catalog already in the library: the controls it includes (by id, or all),
//! minus those it excludes, with the groups and parent controls above them kept so the tree
//! stays whole (those become headings, not answered themselves). Parameter settings and
//! alterations (`modify`) change the controls' text, which the library does not hold, so they
//! are not applied; the profile's own title, version and publisher name the result.

use super::framework::{AnswerKind, Framework};
use super::oscal::{ImportError, read_located, slug, validated};
use serde::Deserialize;
use std::collections::{HashMap, HashSet};

#[derive(Deserialize)]
struct Document {
    profile: Profile,
}

#[derive(Deserialize)]
struct Profile {
    metadata: Metadata,
    imports: Vec<Import>,
}

#[derive(Deserialize)]
struct Metadata {
    title: String,
    version: String,
    #[serde(default)]
    parties: Vec<Party>,
}

#[derive(Deserialize)]
struct Party {
    #[serde(default)]
    name: Option<String>,
}

#[derive(Deserialize)]
struct Import {
    #[serde(default, rename = "include-all")]
    include_all: Option<serde_json::Value>,
    #[serde(default, rename = "include-controls")]
    include_controls: Vec<Selection>,
    #[serde(default, rename = "exclude-controls")]
    exclude_controls: Vec<Selection>,
}

#[derive(Deserialize)]
struct Selection {
    #[serde(default, rename = "with-ids")]
    with_ids: Vec<String>,
}

fn read(json: &str) -> Result<Profile, ImportError> {
    let doc: Document = read_located(json, |_, message| message)?;
    Ok(doc.profile)
}

/// Resolves a profile against `catalog`. Every id the profile names must be in the catalog;
/// the first that is not is reported by its place in the file.
pub fn resolve(json: &str, catalog: &Framework, key: Option<&str>) -> Result<Framework, ImportError> {
    let p = read(json)?;
    let known: HashSet<&str> = catalog.nodes.iter().map(|n| n.ref_id.as_str()).collect();
    let mut included: HashSet<String> = HashSet::new();
    let mut excluded: HashSet<String> = HashSet::new();
    for (i, import) in p.imports.iter().enumerate() {
        if import.include_all.is_some() {
            included.extend(
                catalog
                    .nodes
                    .iter()
                    .filter(|n| n.answer != AnswerKind::None)
                    .map(|n| n.ref_id.clone()),
            );
        }
        for (kind, selections, into) in [
            ("include-controls", &import.include_controls, &mut included),
            ("exclude-controls", &import.exclude_controls, &mut excluded),
        ] {
            for (j, s) in selections.iter().enumerate() {
                for (k, id) in s.with_ids.iter().enumerate() {
                    if !known.contains(id.as_str()) {
                        return Err(ImportError {
                            location: format!("/profile/imports/{i}/{kind}/{j}/with-ids/{k}"),
                            message: format!("'{id}' is not a control of {} {}", catalog.title, catalog.version),
                        });
                    }
                    into.insert(id.clone());
                }
            }
        }
    }
    let selected: HashSet<&str> = included
        .iter()
        .filter(|id| !excluded.contains(*id))
        .map(String::as_str)
        .collect();
    if selected.is_empty() {
        return Err(ImportError {
            location: "/profile/imports".into(),
            message: "selects no control of the catalog".into(),
        });
    }
    // Keep each selected node's ancestors, so the tree stays whole.
    let parent: HashMap<&str, Option<&str>> = catalog
        .nodes
        .iter()
        .map(|n| (n.ref_id.as_str(), n.parent.as_deref()))
        .collect();
    let mut keep: HashSet<&str> = HashSet::new();
    for id in &selected {
        let mut at = Some(*id);
        while let Some(node) = at {
            if !keep.insert(node) {
                break;
            }
            at = parent.get(node).copied().flatten();
        }
    }
    let nodes = catalog
        .nodes
        .iter()
        .filter(|n| keep.contains(n.ref_id.as_str()))
        .map(|n| {
            let mut n = n.clone();
            if !selected.contains(n.ref_id.as_str()) {
                n.answer = AnswerKind::None;
            }
            n
        })
        .collect();
    validated(Framework {
        key: key.map_or_else(|| slug(&p.metadata.title), str::to_owned),
        version: p.metadata.version.clone(),
        title: p.metadata.title.clone(),
        publisher: p
            .metadata
            .parties
            .iter()
            .find_map(|p| p.name.clone())
            .unwrap_or_else(|| catalog.publisher.clone()),
        source_url: catalog.source_url.clone(),
        licence: format!(
            "A selection from {} {}: {}",
            catalog.title, catalog.version, catalog.licence
        ),
        nodes,
        profiles: Vec::new(),
        status_rule: None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::assessments::framework::{Node, NodeKind};

    fn node(id: &str, parent: Option<&str>, answer: AnswerKind) -> Node {
        Node {
            ref_id: id.into(),
            parent: parent.map(Into::into),
            kind: NodeKind::Control,
            title: id.into(),
            summary: String::new(),
            answer,
            level: None,
            applies_to: Vec::new(),
            mandatory_for: Vec::new(),
            source: None,
        }
    }

    fn catalog() -> Framework {
        Framework {
            key: "cat".into(),
            version: "1".into(),
            title: "Catalog".into(),
            publisher: "NIST".into(),
            source_url: None,
            licence: "Public domain".into(),
            nodes: vec![
                node("ac", None, AnswerKind::None),
                node("ac-1", Some("ac"), AnswerKind::MetNotMet),
                node("ac-2", Some("ac"), AnswerKind::MetNotMet),
                node("ac-2.1", Some("ac-2"), AnswerKind::MetNotMet),
                node("at", None, AnswerKind::None),
                node("at-1", Some("at"), AnswerKind::MetNotMet),
            ],
            profiles: Vec::new(),
            status_rule: None,
        }
    }

    fn profile(imports: &str) -> String {
        format!(
            r#"{{"profile": {{"uuid": "x", "metadata": {{"title": "Low baseline", "version": "1.0"}}, "imports": {imports}}}}}"#
        )
    }

    #[test]
    fn selected_controls_keep_their_ancestors_as_headings() {
        let f = resolve(
            &profile(r##"[{"href": "#c", "include-controls": [{"with-ids": ["ac-2.1", "at-1"]}]}]"##),
            &catalog(),
            None,
        )
        .unwrap();
        let ids: Vec<(&str, bool)> = f.nodes.iter().map(|n| (n.ref_id.as_str(), n.assessable())).collect();
        assert_eq!(
            ids,
            [
                ("ac", false),
                ("ac-2", false),
                ("ac-2.1", true),
                ("at", false),
                ("at-1", true)
            ]
        );
        assert_eq!(
            (f.key.as_str(), f.version.as_str(), f.publisher.as_str()),
            ("low-baseline", "1.0", "NIST")
        );
    }

    #[test]
    fn include_all_minus_excluded() {
        let f = resolve(
            &profile(r##"[{"href": "#c", "include-all": {}, "exclude-controls": [{"with-ids": ["ac-2"]}]}]"##),
            &catalog(),
            Some("mine"),
        )
        .unwrap();
        let answered: Vec<&str> = f
            .nodes
            .iter()
            .filter(|n| n.assessable())
            .map(|n| n.ref_id.as_str())
            .collect();
        assert_eq!(answered, ["ac-1", "ac-2.1", "at-1"]);
        assert_eq!(f.key, "mine");
    }

    #[test]
    fn unknown_ids_and_empty_selections_are_named() {
        let e = resolve(
            &profile(r##"[{"href": "#c", "include-controls": [{"with-ids": ["ac-1", "zz-9"]}]}]"##),
            &catalog(),
            None,
        )
        .unwrap_err();
        assert_eq!(e.location, "/profile/imports/0/include-controls/0/with-ids/1");
        assert!(e.message.contains("'zz-9' is not a control"));
        let e = resolve(&profile(r##"[{"href": "#c"}]"##), &catalog(), None).unwrap_err();
        assert_eq!(e.location, "/profile/imports");
        let e = resolve(r#"{"profile": {"metadata": {"title": 1}}}"#, &catalog(), None).unwrap_err();
        assert_eq!(e.location, "/profile/metadata/title");
    }
}
