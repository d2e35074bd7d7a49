//! The framework library: imports from OSCAL, CISO Assistant libraries and our own format, all
//! or nothing, exported back unchanged.

use crate::util::*;
use hygeia_core::CoreError;
use hygeia_domain::assessments::framework::AnswerKind;
use hygeia_testkit::{TestApp, dual_test};

const TINY: &str = r#"{"format": "hygeia.framework/v1", "framework": {
  "key": "tiny-caf", "version": "0.1", "title": "A tiny CAF-shaped test framework", "publisher": "Hygeia tests",
  "licence": "OGL-UK-3.0", "source_url": null,
  "nodes": [
    {"ref_id": "A", "kind": "objective", "title": "Managing security risk", "answer": "none"},
    {"ref_id": "A1", "parent": "A", "kind": "principle", "title": "Governance", "answer": "none"},
    {"ref_id": "A1.a", "parent": "A1", "kind": "outcome", "title": "Board direction", "answer": "caf_grade"},
    {"ref_id": "A1.a.NA.1", "parent": "A1.a", "kind": "indicator", "title": "No board-level discussion of security", "answer": "statement", "level": "NA"}
  ]}}"#;

/// The NIST catalog among the shared data sets, if they are beside the repository.
fn nist_catalog() -> Option<(String, String)> {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/data/oscal");
    let path = dir.join("NIST_SP-800-53_rev5_catalog_2021-06-08.json");
    match std::fs::read_to_string(&path) {
        Ok(text) => Some((path.display().to_string(), text)),
        Err(_) => {
            eprintln!(
                "skipped the NIST catalog import: {} is absent (see shared/data/SOURCES.md)",
                path.display()
            );
            None
        }
    }
}

dual_test! {
    async fn frameworks_import_whole_or_not_at_all_and_export_unchanged(backend: Backend) {
        let Some(t) = TestApp::with_demo(backend).await else { return };
        let stored = t.app.import_framework(None, "tiny.json", TINY, None).await.unwrap();
        assert_eq!((stored.key.as_str(), stored.node_count, stored.origin.as_str()), ("tiny-caf", 4, "imported"));
        let exported = t.app.export_framework("tiny-caf", "0.1").await.unwrap();
        let again = hygeia_domain::assessments::library_format::parse(&exported).unwrap();
        let original = hygeia_domain::assessments::library_format::parse(TINY).unwrap();
        assert_eq!(again, original, "export gives back what was imported");
        let err = t.app.import_framework(None, "tiny.json", TINY, None).await.unwrap_err();
        assert!(matches!(err, CoreError::Conflict(ref m) if m.contains("never replaced")), "{err:?}");

        // Broken files are refused with file and place, and leave nothing.
        let broken = TINY.replace("\"parent\": \"A1\"", "\"parent\": \"B9\"");
        let err = t.app.import_framework(None, "broken.json", &broken, Some("broken")).await.unwrap_err();
        assert!(matches!(err, CoreError::Validation(ref e) if e[0].field == "broken.json /framework/nodes/2/parent"), "{err:?}");
        let err = t.app.import_framework(None, "list.json", "[1, 2]", None).await.unwrap_err();
        assert!(matches!(err, CoreError::Validation(ref e) if e[0].field == "list.json"), "{err:?}");
        assert_eq!(t.app.frameworks().await.unwrap().len(), 1);
        assert_eq!(t.db.count("select count(*) as n from framework_nodes").await, 4);

        // Only platform administrators add to the library.
        let owner = cli(&t.app, "owner@riverside.example").await;
        assert!(matches!(t.app.import_framework(Some(&owner), "x.json", TINY, Some("other")).await, Err(CoreError::Forbidden(_))));

        if let Some((name, text)) = nist_catalog() {
            let admin = cli(&t.app, "admin@hygeia.example").await;
            let nist = t.app.import_framework(Some(&admin), &name, &text, Some("nist-sp-800-53")).await.unwrap();
            assert!(nist.node_count > 1_000, "{}", nist.node_count);
            assert_eq!(nist.version, "5.0.1");
            let nodes = t.db.count("select count(*) as n from framework_nodes").await;
            assert_eq!(nodes, 4 + nist.node_count);
            let exported = t.app.export_framework("nist-sp-800-53", "5.0.1").await.unwrap();
            assert!(exported.contains("\"ref_id\": \"ac-2.1\""));

            // The MODERATE baseline profile resolved against it selects the same 287 controls
            // as NIST's own resolved-profile catalog, which imports too.
            let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/data/oscal");
            let profile = std::fs::read_to_string(dir.join("NIST_SP-800-53_rev5_MODERATE-baseline_profile.json")).unwrap();
            let err = t.app.import_framework(Some(&admin), "moderate.json", &profile, None).await.unwrap_err();
            assert!(format!("{err:?}").contains("--catalog"), "{err:?}");
            let err = t.app.import_profile(Some(&admin), "moderate.json", &profile, None, "nist-sp-800-53/9").await.unwrap_err();
            assert!(format!("{err:?}").contains("not in the framework library"), "{err:?}");
            let moderate = t.app.import_profile(Some(&admin), "moderate.json", &profile, Some("nist-moderate"), "nist-sp-800-53/5.0.1").await.unwrap();
            let ours = t.app.framework_by_id(moderate.id).await.unwrap();
            let mut selected: Vec<String> = ours.nodes.iter().filter(|n| n.assessable()).map(|n| n.ref_id.clone()).collect();
            assert_eq!(selected.len(), 287);
            let resolved = std::fs::read_to_string(dir.join("NIST_SP-800-53_rev5_MODERATE-baseline-resolved-profile_catalog.json")).unwrap();
            let theirs = t.app.import_framework(Some(&admin), "resolved.json", &resolved, Some("nist-moderate-resolved")).await.unwrap();
            let theirs = t.app.framework_by_id(theirs.id).await.unwrap();
            let mut nist: Vec<String> = theirs.nodes.iter().filter(|n| n.kind == hygeia_domain::assessments::framework::NodeKind::Control).map(|n| n.ref_id.clone()).collect();
            selected.sort();
            nist.sort();
            assert_eq!(selected, nist, "the same controls as NIST's resolution");
        }
    }
}

/// A CISO Assistant library in its published shape, written for this test.
const CISO: &str = "urn: urn:example:risk:library:clinic-basics
ref_id: clinic-basics
name: Clinic basics
version: 3
provider: Example Board
objects:
  framework:
    urn: urn:example:risk:framework:clinic-basics
    ref_id: clinic-basics
    name: Clinic security basics
    requirement_nodes:
    - urn: urn:example:risk:req_node:clinic-basics:p
      assessable: false
      ref_id: P
      name: People
    - urn: urn:example:risk:req_node:clinic-basics:p.1
      assessable: true
      parent_urn: urn:example:risk:req_node:clinic-basics:p
      ref_id: P.1
      name: Training
      description: Every member of staff completes security awareness training each year.
";

dual_test! {
    async fn a_ciso_assistant_library_imports_with_located_errors(backend: Backend) {
        let Some(t) = TestApp::with_demo(backend).await else { return };
        let admin = cli(&t.app, "admin@hygeia.example").await;
        let broken = CISO.replace("parent_urn: urn:example:risk:req_node:clinic-basics:p\n", "parent_urn: urn:example:elsewhere\n");
        let err = t.app.import_framework(Some(&admin), "clinic.yaml", &broken, None).await.unwrap_err();
        assert_eq!(fields(err), ["clinic.yaml /objects/framework/requirement_nodes/1/parent_urn"]);
        assert!(t.app.frameworks().await.unwrap().is_empty(), "nothing half-imported");

        let stored = t.app.import_framework(Some(&admin), "clinic.yaml", CISO, None).await.unwrap();
        assert_eq!((stored.key.as_str(), stored.version.as_str(), stored.node_count), ("clinic-basics", "3", 2));
        let f = t.app.framework_by_id(stored.id).await.unwrap();
        let p1 = f.nodes.iter().find(|n| n.ref_id == "P.1").unwrap();
        assert_eq!((p1.parent.as_deref(), p1.answer), (Some("P"), AnswerKind::MetNotMet));
        // It exports as our own format, which reads back the same.
        let exported = t.app.export_framework("clinic-basics", "3").await.unwrap();
        assert_eq!(hygeia_domain::assessments::library_format::parse(&exported).unwrap(), *f);
    }
}
