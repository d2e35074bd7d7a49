//! The framework library over the API and in pages.

use crate::util::*;
use axum::body::Body;
use axum::http::{Method, Request, StatusCode, header};
use hygeia_testkit::dual_test;

const TINY: &str = r#"{"format": "hygeia.framework/v1", "framework": {"key": "tiny", "version": "1", "title": "Tiny framework",
  "publisher": "Tests", "licence": "OGL-UK-3.0", "nodes": [
    {"ref_id": "A", "kind": "objective", "title": "Managing risk", "answer": "none"},
    {"ref_id": "A1.a", "parent": "A", "kind": "outcome", "title": "Board direction", "summary": "The board sets direction.", "answer": "caf_grade"}]}}"#;

async fn post_raw(w: &Web, token: &str, body: &str) -> Reply {
    let req = Request::post("/api/v1/frameworks")
        .header(header::HOST, "hygeia.test")
        .header(header::AUTHORIZATION, format!("Bearer {token}"))
        .header(header::CONTENT_TYPE, "application/json")
        .body(Body::from(body.to_owned()))
        .unwrap();
    w.send(req).await
}

dual_test! {
    async fn the_library_is_read_by_all_and_added_to_by_administrators(backend: Backend) {
        let Some(w) = Web::new(backend).await else { return };
        let admin_mfa = w.enable_mfa("admin@hygeia.example").await;
        let admin = w.token("admin@hygeia.example").await;
        let lead = w.token("security@riverside.example").await;
        assert_eq!(post_raw(&w, &lead, TINY).await.status, StatusCode::FORBIDDEN);
        let added = post_raw(&w, &admin, TINY).await;
        assert_eq!(added.status, StatusCode::CREATED, "{}", added.body);
        assert_eq!(added.json()["node_count"], 2);
        assert_eq!(post_raw(&w, &admin, TINY).await.status, StatusCode::CONFLICT);
        let bad = post_raw(&w, &admin, &TINY.replace("\"answer\": \"none\"", "\"answer\": \"maybe\"")).await;
        assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(bad.body.contains("/framework/nodes/0/answer"), "{}", bad.body);

        let list = w.api(Method::GET, "/frameworks", Some(&lead), None).await.json();
        assert_eq!(list[0]["key"], "tiny");
        let export = w.api(Method::GET, "/frameworks/tiny/1", Some(&lead), None).await;
        assert_eq!(export.status, StatusCode::OK);
        assert!(export.body.contains("\"format\": \"hygeia.framework/v1\"") && export.body.contains("A1.a"));
        assert_eq!(w.api(Method::GET, "/frameworks/tiny/2", Some(&lead), None).await.status, StatusCode::NOT_FOUND);

        // Pages: the library and one version's tree.
        let cookie = w.sign_in("admin@hygeia.example", Some(&admin_mfa)).await;
        let page = w.get("/frameworks", Some(&cookie)).await;
        assert!(page.body.contains("/frameworks/tiny/1") && page.body.contains("Tiny framework"));
        let tree = w.get("/frameworks/tiny/1", Some(&cookie)).await;
        assert!(tree.body.contains("hygeia-depth-1") && tree.body.contains("The board sets direction."));
    }
}
