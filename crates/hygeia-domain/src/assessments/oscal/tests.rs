//! Tests of `oscal`.

use super::*;

const SMALL: &str = r#"{"catalog": {"uuid": "x", "metadata": {"title": "Tiny Catalog 1.0", "version": "1.0",
    "parties": [{"type": "organization", "name": "Example Agency"}]},
    "groups": [{"id": "ac", "title": "Access Control", "controls": [
        {"id": "ac-1", "title": "Policy", "params": [{"id": "ac-1_prm_1", "label": "organization-defined personnel"}],
         "parts": [{"name": "statement", "prose": "Give the policy to {{ insert: param, ac-1_prm_1 }}.",
            "parts": [{"name": "item", "props": [{"name": "label", "value": "a."}], "prose": "Review it yearly."}]},
            {"name": "guidance", "prose": "Not part of the summary."}],
         "controls": [{"id": "ac-1.1", "title": "Enhancement", "parts": []}]},
        {"id": "ac-9", "title": "Old", "props": [{"name": "status", "value": "withdrawn"}]}
    ]}]}}"#;

#[test]
fn groups_controls_and_enhancements_become_a_tree() {
    let f = catalog(SMALL, None).unwrap();
    assert_eq!(
        (f.key.as_str(), f.version.as_str(), f.publisher.as_str()),
        ("tiny-catalog-1-0", "1.0", "Example Agency")
    );
    let ids: Vec<(&str, Option<&str>)> = f
        .nodes
        .iter()
        .map(|n| (n.ref_id.as_str(), n.parent.as_deref()))
        .collect();
    assert_eq!(
        ids,
        [
            ("ac", None),
            ("ac-1", Some("ac")),
            ("ac-1.1", Some("ac-1")),
            ("ac-9", Some("ac"))
        ]
    );
    assert_eq!(
        f.nodes[1].summary,
        "Give the policy to [organization-defined personnel]. a. Review it yearly."
    );
    assert_eq!(
        (f.nodes[3].answer, f.nodes[3].summary.as_str()),
        (AnswerKind::None, "Withdrawn.")
    );
    assert_eq!(f.nodes[1].answer, AnswerKind::MetNotMet);
}

#[test]
fn errors_name_where() {
    let err = catalog(
        "{\"catalog\": {\"metadata\": {\"title\": \"T\", \"version\": \"1\"}, \"groups\": [{\"id\": \"g\"}]}}",
        None,
    )
    .unwrap_err();
    assert_eq!(err.location, "/catalog/groups/0");
    assert!(err.message.contains("title"), "{err}");
    let err = catalog("{\"catalog\": [", None).unwrap_err();
    assert!(err.location.starts_with("line 1, column"), "{err}");
    let err = catalog("{\"profile\": {}}", None).unwrap_err();
    assert!(err.message.contains("not an OSCAL catalog"), "{err}");
    let dup = SMALL.replace("\"ac-9\"", "\"ac-1\"");
    let err = catalog(&dup, None).unwrap_err();
    assert_eq!(err.location, "nodes/3/ref_id");
}

/// The public data sets beside the repository (`../shared/data`), or `HYGEIA_SHARED_DATA`.
fn shared_oscal() -> Option<std::path::PathBuf> {
    let dir = std::env::var_os("HYGEIA_SHARED_DATA")
        .map(std::path::PathBuf::from)
        .unwrap_or_else(|| std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/data"))
        .join("oscal");
    if dir.is_dir() {
        Some(dir)
    } else {
        eprintln!(
            "skipped: no OSCAL data at {} (see shared/data/SOURCES.md)",
            dir.display()
        );
        None
    }
}

#[test]
fn every_shared_oscal_catalog_imports_and_a_profile_is_refused_by_name() {
    let Some(dir) = shared_oscal() else { return };
    let mut catalogs = 0;
    for entry in std::fs::read_dir(&dir).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().and_then(|e| e.to_str()) != Some("json") {
            continue;
        }
        let text = std::fs::read_to_string(&path).unwrap();
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        if name.ends_with("_profile.json") {
            let err = catalog(&text, None).unwrap_err();
            assert!(err.message.contains("not an OSCAL catalog"), "{name}: {err}");
            continue;
        }
        let f = catalog(&text, None).unwrap_or_else(|e| panic!("{name}: {e}"));
        catalogs += 1;
        assert!(f.nodes.iter().any(|n| n.ref_id == "ac-2"), "{name}");
        if name.contains("rev5_catalog") {
            // The full catalog: 20 families, 322 base controls, and their enhancements.
            let groups = f.nodes.iter().filter(|n| n.kind == NodeKind::Group).count();
            let base = f
                .nodes
                .iter()
                .filter(|n| n.kind == NodeKind::Control && n.parent.as_deref().is_some_and(|p| !p.contains('-')))
                .count();
            assert_eq!((groups, base), (20, 322), "{name}");
            let enhancement = f.nodes.iter().find(|n| n.ref_id == "ac-2.1").unwrap();
            assert_eq!(enhancement.parent.as_deref(), Some("ac-2"));
            assert!(f.nodes.len() > 1_000);
            assert!(f.nodes.iter().any(|n| n.summary == "Withdrawn." && !n.assessable()));
        }
    }
    assert!(catalogs >= 2, "{catalogs}");
}

#[test]
fn slugs_are_short_and_plain() {
    assert_eq!(slug("NIST SP 800-53 Rev 5.1.1"), "nist-sp-800-53-rev-5-1-1");
    assert!(slug(&"word ".repeat(40)).len() <= 60);
    assert_eq!(slug("!!!"), "catalog");
}
