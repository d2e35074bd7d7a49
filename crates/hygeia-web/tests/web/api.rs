//! The JSON API: authentication, problem details naming the input, paging, write limits.

use crate::util::*;
use axum::http::{Method, StatusCode};
use hygeia_testkit::dual_test;
use serde_json::json;

dual_test! {
    async fn bearer_tokens_authenticate_and_nothing_else_does(backend: Backend) {
        let Some(w) = Web::new(backend).await else { return };
        let none = w.api(Method::GET, "/me", None, None).await;
        assert_eq!(none.status, StatusCode::UNAUTHORIZED);
        assert_eq!(none.header("content-type"), "application/problem+json");
        assert!(none.header("www-authenticate").starts_with("Bearer"));
        assert_eq!(none.json()["code"], "unauthenticated");
        assert_eq!(w.api(Method::GET, "/me", Some("hyt_forged"), None).await.status, StatusCode::UNAUTHORIZED);
        // A browser session cookie does not authenticate the API (no CSRF exposure there).
        let cookie = w.sign_in("viewer@riverside.example", None).await;
        let req = axum::http::Request::get("/api/v1/me").header("cookie", cookie).body(axum::body::Body::empty()).unwrap();
        assert_eq!(w.send(req).await.status, StatusCode::UNAUTHORIZED);

        let token = w.token("viewer@riverside.example").await;
        let me = w.api(Method::GET, "/me", Some(&token), None).await.json();
        assert_eq!(me["email"], "viewer@riverside.example");
        let orgs = w.api(Method::GET, "/orgs", Some(&token), None).await.json();
        assert_eq!(orgs["total"], 1);
        assert_eq!(orgs["items"][0]["role"], "viewer");
        assert_eq!(orgs["items"][0]["org"]["ods_code"], "RVX");
    }
}

dual_test! {
    async fn bad_bodies_name_the_json_pointer(backend: Backend) {
        let Some(w) = Web::new(backend).await else { return };
        let token = w.token("admin@hygeia.example").await;
        let _ = w.enable_mfa("admin@hygeia.example").await;
        let syntax = w.send(
            axum::http::Request::post("/api/v1/orgs")
                .header("authorization", format!("Bearer {token}"))
                .header("content-type", "application/json")
                .body(axum::body::Body::from("{\"name\": "))
                .unwrap(),
        ).await;
        assert_eq!(syntax.status, StatusCode::BAD_REQUEST);
        let wrong_type = w.api(Method::POST, "/orgs", Some(&token), Some(json!({"name": "X", "ods_code": "RZZ", "org_type": "trust", "regimes": "uk_nis"}))).await;
        assert_eq!(wrong_type.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(wrong_type.json()["errors"][0]["pointer"], "/regimes");
        let invalid = w.api(Method::POST, "/orgs", Some(&token), Some(json!({"name": "", "ods_code": "R", "org_type": "hospital"}))).await;
        assert_eq!(invalid.status, StatusCode::UNPROCESSABLE_ENTITY);
        let pointers: Vec<String> = invalid.json()["errors"].as_array().unwrap().iter().map(|e| e["pointer"].as_str().unwrap().to_owned()).collect();
        assert_eq!(pointers, ["/name", "/ods_code", "/org_type"]);
        let not_json = w.send(
            axum::http::Request::post("/api/v1/orgs")
                .header("authorization", format!("Bearer {token}"))
                .header("content-type", "text/plain")
                .body(axum::body::Body::from("hello"))
                .unwrap(),
        ).await;
        assert_eq!(not_json.status, StatusCode::UNSUPPORTED_MEDIA_TYPE);
        let created = w.api(Method::POST, "/orgs", Some(&token), Some(json!({"name": "New Trust", "ods_code": "rzz", "org_type": "trust", "regimes": ["uk_nis"], "regulator_ods": "X26CA"}))).await;
        assert_eq!(created.status, StatusCode::CREATED, "{}", created.body);
        assert_eq!(created.json()["ods_code"], "RZZ");
        let again = w.api(Method::POST, "/orgs", Some(&token), Some(json!({"name": "New Trust", "ods_code": "RZZ", "org_type": "trust"}))).await;
        assert_eq!(again.status, StatusCode::CONFLICT);
        assert_eq!(again.json()["code"], "conflict");
    }
}

dual_test! {
    async fn lists_page_and_bad_paging_is_named(backend: Backend) {
        let Some(w) = Web::new(backend).await else { return };
        let _ = w.enable_mfa("owner@riverside.example").await;
        let token = w.token("owner@riverside.example").await;
        let trust = w.t.app.org_by_ods("RVX").await.unwrap();
        let first = w.api(Method::GET, &format!("/orgs/{}/members?limit=3", trust.id), Some(&token), None).await.json();
        assert_eq!(first["items"].as_array().unwrap().len(), 3);
        assert_eq!(first["total"], 7);
        assert_eq!(first["next_offset"], 3);
        let last = w.api(Method::GET, &format!("/orgs/{}/members?limit=3&offset=6", trust.id), Some(&token), None).await.json();
        assert_eq!(last["items"].as_array().unwrap().len(), 1);
        assert!(last["next_offset"].is_null());
        let bad = w.api(Method::GET, &format!("/orgs/{}/members?limit=lots", trust.id), Some(&token), None).await;
        assert_eq!(bad.status, StatusCode::BAD_REQUEST);
        assert_eq!(bad.json()["errors"][0]["pointer"], "?limit");
        let audit = w.api(Method::GET, &format!("/orgs/{}/audit?limit=2", trust.id), Some(&token), None).await.json();
        assert_eq!(audit["items"][0]["hash"].as_str().unwrap().len(), 64);
    }
}

dual_test! {
    async fn read_only_tokens_cannot_write_and_roles_are_enforced(backend: Backend) {
        let Some(w) = Web::new(backend).await else { return };
        let _ = w.enable_mfa("owner@riverside.example").await;
        let trust = w.t.app.org_by_ods("RVX").await.unwrap();
        let read_only = w.read_token("owner@riverside.example").await;
        let path = format!("/orgs/{}", trust.id);
        let refused = w.api(Method::PATCH, &path, Some(&read_only), Some(json!({"name": "Renamed"}))).await;
        assert_eq!(refused.status, StatusCode::FORBIDDEN);
        assert_eq!(refused.json()["code"], "forbidden");
        let writer = w.token("owner@riverside.example").await;
        let org = w.api(Method::GET, &path, Some(&writer), None).await.json();
        let renamed = w.api(Method::PATCH, &path, Some(&writer), Some(json!({"name": "Renamed", "version": org["version"]}))).await;
        assert_eq!(renamed.status, StatusCode::OK, "{}", renamed.body);
        let stale = w.api(Method::PATCH, &path, Some(&writer), Some(json!({"name": "Again", "version": org["version"]}))).await;
        assert_eq!(stale.status, StatusCode::CONFLICT);
        let viewer = w.token("viewer@riverside.example").await;
        assert_eq!(w.api(Method::PATCH, &path, Some(&viewer), Some(json!({"name": "No"}))).await.status, StatusCode::FORBIDDEN);
        // Owners without MFA are stopped even with a token.
        let gp = w.t.app.org_by_ods("Y99001").await.unwrap();
        let admin = w.t.app.cli_actor(w.t.app.user_by_email("admin@hygeia.example").await.unwrap());
        let u = w.t.app.create_user(Some(&admin), hygeia_core::NewUser { email: "nomfa@meadowlane.example".into(), display_name: "No MFA".into(), password: "quartz-ferry-tulip-77".into(), is_platform_admin: false }).await.unwrap();
        w.t.app.add_member_directly(gp.id, u.id, "owner").await.unwrap();
        let no_mfa = w.token("nomfa@meadowlane.example").await;
        let r = w.api(Method::GET, &format!("/orgs/{}", gp.id), Some(&no_mfa), None).await;
        assert_eq!((r.status, r.json()["code"].as_str().unwrap()), (StatusCode::FORBIDDEN, "mfa_required"));
    }
}
