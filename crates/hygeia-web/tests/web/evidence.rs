//! The evidence library over the API and in pages: multipart uploads, sniffed types, safe
//! downloads, versions, links to incidents, and refusals that name what is wrong.

use crate::util::*;
use axum::http::{Method, StatusCode};
use hygeia_testkit::dual_test;
use serde_json::json;

async fn incident(w: &Web, title: &str) -> String {
    let lead = w.t.app.user_by_email("security@riverside.example").await.unwrap();
    let actor = w.t.app.cli_actor(lead);
    let org = w.t.app.org_by_ods("RVX").await.unwrap().id;
    let scope = w.t.app.scope(&actor, org).await.unwrap();
    let now = w.now_s() * 1000;
    w.t.app
        .report_incident(
            &scope,
            hygeia_core::IncidentInput {
                title: title.into(),
                category: "ransomware".into(),
                severity: "high".into(),
                detected_at: Some(now - 60_000),
                aware_at: Some(now),
                ..hygeia_core::IncidentInput::default()
            },
        )
        .await
        .unwrap()
        .id
        .to_string()
}

dual_test! {
    async fn the_library_over_the_api(backend: Backend) {
        let Some(w) = Web::new(backend).await else { return };
        let token = w.token("security@riverside.example").await;
        let org = w.t.app.org_by_ods("RVX").await.unwrap().id;
        let base = format!("/api/v1/orgs/{org}/evidence");
        let inc = incident(&w, "Malware on a ward PC").await;

        // The part claims to be a PDF; its bytes are HTML, so it is kept as plain text.
        let page = b"<!doctype html><script>alert(1)</script>";
        let added = w.multipart(&base, Some(&token), &[("title", "Quarantine screenshot"), ("incident_id", &inc), ("review_by", "2027-01-31")], Some(("file", "shot;1.pdf", page))).await;
        assert_eq!(added.status, StatusCode::CREATED, "{}", added.body);
        let item = added.json();
        assert_eq!(item["latest"]["media_type"], "text/plain");
        assert_eq!(item["latest"]["file_name"], "shot_1.pdf");
        assert_eq!(item["links"][0]["target_id"], inc);
        let id = item["id"].as_str().unwrap().to_owned();
        let content = item["latest"]["content"].as_str().unwrap().to_owned();

        let file = w.api(Method::GET, &content, Some(&token), None).await;
        assert_eq!(file.status, StatusCode::OK);
        assert_eq!(file.body.as_bytes(), page);
        assert_eq!(file.header("content-type"), "text/plain");
        assert!(file.header("content-disposition").starts_with("attachment; filename=\"shot_1.pdf\""), "{}", file.header("content-disposition"));
        assert!(file.header("content-security-policy").contains("sandbox"));
        assert_eq!(file.header("x-content-type-options"), "nosniff");
        assert_eq!(file.header("x-content-sha256"), item["latest"]["sha256"].as_str().unwrap());

        // A new version, a rename, a link and an unlink.
        let v2 = w.multipart(&format!("{base}/{id}/versions"), Some(&token), &[], Some(("file", "shot.png", b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR"))).await;
        assert_eq!((v2.status, v2.json()["version"].as_i64()), (StatusCode::CREATED, Some(2)), "{}", v2.body);
        let renamed = w.api(Method::PUT, &format!("/orgs/{org}/evidence/{id}"), Some(&token), Some(json!({"title": "Quarantine screenshots", "review_by": ""}))).await;
        assert_eq!(renamed.status, StatusCode::OK, "{}", renamed.body);
        let detail = renamed.json();
        assert_eq!((detail["title"].as_str(), detail["review_state"].as_str()), (Some("Quarantine screenshots"), Some("no_date")));
        assert_eq!(detail["versions"][0]["media_type"], "image/png");
        assert_eq!(detail["versions"].as_array().unwrap().len(), 2);
        let listed = w.api(Method::GET, &format!("/orgs/{org}/incidents/{inc}/evidence"), Some(&token), None).await;
        assert_eq!(listed.json().as_array().unwrap().len(), 1);
        let gone = w.api(Method::DELETE, &format!("/orgs/{org}/evidence/{id}/links/incident/{inc}"), Some(&token), None).await;
        assert_eq!(gone.status, StatusCode::NO_CONTENT);
        assert!(w.api(Method::GET, &format!("/orgs/{org}/incidents/{inc}/evidence"), Some(&token), None).await.json().as_array().unwrap().is_empty());
        let back = w.api(Method::POST, &format!("/orgs/{org}/evidence/{id}/links"), Some(&token), Some(json!({"target": "incident", "target_id": inc}))).await;
        assert_eq!(back.status, StatusCode::NO_CONTENT, "{}", back.body);
        let bad_target = w.api(Method::POST, &format!("/orgs/{org}/evidence/{id}/links"), Some(&token), Some(json!({"target": "risk", "target_id": "1"}))).await;
        assert_eq!(bad_target.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(bad_target.json()["errors"][0]["pointer"], "/target");

        // Links and notes, and what is refused, named.
        let link = w.multipart(&base, Some(&token), &[("title", "Backup policy"), ("url", "https://intranet.example.nhs.uk/backup")], None).await;
        assert_eq!(link.status, StatusCode::CREATED, "{}", link.body);
        assert!(link.json()["latest"]["content"].is_null(), "a link has nothing to download");
        let empty = w.multipart(&base, Some(&token), &[("title", "Nothing")], None).await;
        assert_eq!(empty.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(empty.body.contains("send a file, a url or a note"), "{}", empty.body);
        let not_multipart = w.api(Method::POST, &format!("/orgs/{org}/evidence"), Some(&token), Some(json!({"title": "x"}))).await;
        assert_eq!(not_multipart.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(not_multipart.body.contains("multipart/form-data"), "{}", not_multipart.body);
        let list = w.api(Method::GET, &format!("/orgs/{org}/evidence?q=POLICY"), Some(&token), None).await;
        assert_eq!(list.json()["total"], 1);

        // Read-only tokens read, and cannot add.
        let reader = w.read_token("security@riverside.example").await;
        assert_eq!(w.api(Method::GET, &content, Some(&reader), None).await.status, StatusCode::OK);
        let refused = w.multipart(&base, Some(&reader), &[("title", "x"), ("note", "y")], None).await;
        assert_eq!(refused.status, StatusCode::FORBIDDEN);
    }
}

dual_test! {
    async fn a_file_over_the_limit_is_refused_with_413(backend: Backend) {
        let config = hygeia_core::CoreConfig { max_evidence_bytes: 100_000, ..hygeia_testkit::test_config() };
        let Some(w) = Web::with_config(backend, config).await else { return };
        let token = w.token("security@riverside.example").await;
        let org = w.t.app.org_by_ods("RVX").await.unwrap().id;
        let big = vec![b'a'; 150_000];
        let reply = w.multipart(&format!("/api/v1/orgs/{org}/evidence"), Some(&token), &[("title", "Big")], Some(("file", "big.txt", &big))).await;
        assert_eq!(reply.status, StatusCode::PAYLOAD_TOO_LARGE, "{}", reply.body);
        assert!(reply.body.contains("98 KB"), "{}", reply.body);
        assert_eq!(w.t.db.count("select count(*) as n from evidence").await, 0);

        // In the page, the same refusal sits beside the file field.
        let cookie = w.sign_in("security@riverside.example", None).await;
        let csrf = w.get(&format!("/orgs/{org}/evidence"), Some(&cookie)).await.csrf();
        let page = w.multipart(&format!("/orgs/{org}/evidence"), Some(&cookie), &[("csrf", &csrf), ("title", "Big")], Some(("file", "big.txt", &big))).await;
        assert_eq!(page.status, StatusCode::PAYLOAD_TOO_LARGE);
        assert!(page.body.contains("id=\"file-error\""), "{}", page.body);
    }
}

dual_test! {
    async fn pages_add_version_download_and_attach_evidence(backend: Backend) {
        let Some(w) = Web::new(backend).await else { return };
        let org = w.t.app.org_by_ods("RVX").await.unwrap().id;
        let cookie = w.sign_in("security@riverside.example", None).await;
        let library = w.get(&format!("/orgs/{org}/evidence"), Some(&cookie)).await;
        assert_eq!(library.status, StatusCode::OK);
        assert!(library.body.contains("enctype=\"multipart/form-data\""));
        let csrf = library.csrf();

        let missing = w.multipart(&format!("/orgs/{org}/evidence"), Some(&cookie), &[("csrf", &csrf), ("title", "")], None).await;
        assert_eq!(missing.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(missing.body.contains("Choose a file, or give a link or a note"));
        let forged = w.multipart(&format!("/orgs/{org}/evidence"), Some(&cookie), &[("csrf", "wrong"), ("title", "x"), ("note", "y")], None).await;
        assert_eq!(forged.status, StatusCode::FORBIDDEN);

        let added = w.multipart(&format!("/orgs/{org}/evidence"), Some(&cookie), &[("csrf", &csrf), ("title", "Information security policy"), ("review_by", "2027-03-31")], Some(("file", "policy.pdf", b"%PDF-1.7 policy"))).await;
        assert_eq!(added.status, StatusCode::SEE_OTHER, "{}", added.body);
        let item_path = added.header("location").split('?').next().unwrap().to_owned();
        let item = w.get(&item_path, Some(&cookie)).await;
        assert!(item.body.contains("Information security policy") && item.body.contains("Review by 2027-03-31"), "{}", item.body);
        let download = format!("{item_path}/versions/1/download");
        assert!(item.body.contains(&download));
        let file = w.get(&download, Some(&cookie)).await;
        assert_eq!((file.status, file.body.as_str()), (StatusCode::OK, "%PDF-1.7 policy"));
        assert_eq!(file.header("content-type"), "application/pdf");

        let saved = w.post_form(&item_path, Some(&cookie), &[("csrf", &csrf), ("title", "Information security policy 2026"), ("review_by", "not a date")]).await;
        assert_eq!(saved.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(saved.body.contains("must be a date, YYYY-MM-DD"));
        let v2 = w.multipart(&format!("{item_path}/versions"), Some(&cookie), &[("csrf", &csrf)], Some(("file", "policy-v2.pdf", b"%PDF-1.7 policy v2"))).await;
        assert_eq!(v2.status, StatusCode::SEE_OTHER);
        assert!(w.get(&item_path, Some(&cookie)).await.body.contains("policy-v2.pdf"));

        // On the incident page: attach a new file, attach the policy from the library, detach.
        let inc = incident(&w, "Ransom note on the file server").await;
        let page = w.get(&format!("/orgs/{org}/incidents/{inc}"), Some(&cookie)).await;
        assert!(page.body.contains("No evidence is attached yet") && page.body.contains("Information security policy"), "the library is offered");
        let attached = w.multipart(&format!("/orgs/{org}/incidents/{inc}/evidence"), Some(&cookie), &[("csrf", &csrf), ("evidence_title", "Ransom note photo")], Some(("evidence_file", "note.jpg", b"\xFF\xD8\xFF\xE0 jpeg"))).await;
        assert_eq!(attached.status, StatusCode::SEE_OTHER, "{}", attached.body);
        let no_title = w.multipart(&format!("/orgs/{org}/incidents/{inc}/evidence"), Some(&cookie), &[("csrf", &csrf), ("evidence_title", "")], Some(("evidence_file", "x.jpg", b"\xFF\xD8\xFF"))).await;
        assert_eq!(no_title.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(no_title.body.contains("id=\"evidence_title-error\""), "the error sits by the evidence form's own field");
        let policy_id = item_path.rsplit('/').next().unwrap();
        let linked = w.post_form(&format!("/orgs/{org}/incidents/{inc}/evidence/link"), Some(&cookie), &[("csrf", &csrf), ("evidence_id", policy_id)]).await;
        assert_eq!(linked.status, StatusCode::SEE_OTHER);
        let page = w.get(&format!("/orgs/{org}/incidents/{inc}"), Some(&cookie)).await;
        assert!(page.body.contains("Ransom note photo") && page.body.contains("note.jpg"), "{}", page.body);
        assert_eq!(page.body.matches("/unlink\"").count(), 2);
        let unlinked = w.post_form(&format!("/orgs/{org}/incidents/{inc}/evidence/{policy_id}/unlink"), Some(&cookie), &[("csrf", &csrf)]).await;
        assert_eq!(unlinked.status, StatusCode::SEE_OTHER);
        assert_eq!(w.get(&format!("/orgs/{org}/incidents/{inc}"), Some(&cookie)).await.body.matches("/unlink\"").count(), 1);

        // A viewer reads and downloads, and is offered no forms.
        let viewer = w.sign_in("viewer@riverside.example", None).await;
        let seen = w.get(&item_path, Some(&viewer)).await;
        assert_eq!(seen.status, StatusCode::OK);
        assert!(!seen.body.contains("Add a version"));
        assert!(!w.get(&format!("/orgs/{org}/evidence"), Some(&viewer)).await.body.contains("Add evidence</button>"));
        assert_eq!(w.get(&download, Some(&viewer)).await.status, StatusCode::OK);
    }
}
