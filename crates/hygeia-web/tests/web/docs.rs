//! The committed documents generated from code must match the code.

#[test]
fn permissions_doc_matches_the_matrix() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../../docs/permissions.md");
    let committed = std::fs::read_to_string(path).unwrap_or_default();
    assert!(
        committed == hygeia_domain::permissions::matrix_markdown(),
        "docs/permissions.md is stale: run `cargo run -- permissions > docs/permissions.md`"
    );
}

#[test]
fn openapi_doc_matches_the_routes() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../../docs/openapi.json");
    let committed = std::fs::read_to_string(path).unwrap_or_default();
    assert!(
        committed.trim_end() == hygeia_web::openapi_document().trim_end(),
        "docs/openapi.json is stale: run `cargo run -- openapi > docs/openapi.json`"
    );
}

#[test]
fn the_openapi_document_is_3_1_and_documents_bearer_auth() {
    let doc: serde_json::Value = serde_json::from_str(&hygeia_web::openapi_document()).unwrap();
    assert!(doc["openapi"].as_str().unwrap().starts_with("3.1"));
    assert_eq!(doc["components"]["securitySchemes"]["bearer"]["scheme"], "bearer");
    assert!(doc["paths"]["/orgs/{org_id}/members"]["get"].is_object());
}
