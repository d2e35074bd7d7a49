//! Assessments through HTTP: the API's scorecard, answers list, batch save with JSON pointers,
//! publication and snapshot; the pages from starting one to the published report and its
//! downloads; and the regulator's published view.

use crate::util::*;
use axum::http::{Method, StatusCode};
use hygeia_testkit::dual_test;
use serde_json::json;

async fn caf_id(w: &Web) -> String {
    w.t.app.install_built_in_frameworks().await.unwrap();
    w.t.app
        .frameworks()
        .await
        .unwrap()
        .into_iter()
        .find(|f| f.key == "ncsc-caf" && f.version == "3.2")
        .unwrap()
        .id
        .to_string()
}

dual_test! {
    async fn an_assessment_over_the_api(backend: Backend) {
        let Some(w) = Web::new(backend).await else { return };
        let org = w.t.app.org_by_ods("RVX").await.unwrap().id;
        let caf = caf_id(&w).await;
        let token = w.token("security@riverside.example").await;
        let bad = w.api(Method::POST, &format!("/orgs/{org}/assessments"), Some(&token), Some(json!({"framework_id": caf, "title": "", "period": "2025-26", "due_on": "June"}))).await;
        assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
        let pointers: Vec<String> = bad.json()["errors"].as_array().unwrap().iter().map(|e| e["pointer"].as_str().unwrap().to_owned()).collect();
        assert_eq!(pointers, ["/title", "/due_on"]);
        let started = w.api(Method::POST, &format!("/orgs/{org}/assessments"), Some(&token), Some(json!({"framework_id": caf, "title": "CAF 2025-26", "period": "2025-26", "profile": "govassure-enhanced"}))).await;
        assert_eq!(started.status, StatusCode::CREATED, "{}", started.body);
        let a = started.json();
        let id = a["assessment"]["id"].as_str().unwrap().to_owned();
        assert_eq!(a["outcomes"].as_array().unwrap().len(), 39);
        assert_eq!(a["total"]["items"], 39);

        // Batch save: all or nothing, errors by JSON pointer; a stale version is a conflict.
        let v = a["assessment"]["row_version"].as_i64().unwrap();
        let bad = w.api(Method::PUT, &format!("/orgs/{org}/assessments/{id}/answers"), Some(&token), Some(json!({"row_version": v, "answers": [
            {"ref_id": "B5.c.A.1", "value": "true"},
            {"ref_id": "B5.c", "value": "met"},
        ]}))).await;
        assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(bad.json()["errors"][0]["pointer"], "/answers/1/value");
        let saved = w.api(Method::PUT, &format!("/orgs/{org}/assessments/{id}/answers"), Some(&token), Some(json!({"row_version": v, "answers": [
            {"ref_id": "B5.c.A.1", "value": "true"}, {"ref_id": "B5.c.A.2", "value": "true"},
            {"ref_id": "B5.c", "value": "assessed", "narrative": "Immutable backups, tested monthly."},
        ]}))).await;
        assert_eq!(saved.status, StatusCode::OK, "{}", saved.body);
        let b5c = saved.json()["outcomes"].as_array().unwrap().iter().find(|o| o["ref_id"] == "B5.c").unwrap().clone();
        assert_eq!((b5c["grade"].as_str(), b5c["meets_profile"].as_bool()), (Some("achieved"), Some(true)));
        let stale = w.api(Method::PUT, &format!("/orgs/{org}/assessments/{id}/answers"), Some(&token), Some(json!({"row_version": v, "answers": []}))).await;
        assert_eq!(stale.status, StatusCode::CONFLICT);
        let answers = w.api(Method::GET, &format!("/orgs/{org}/assessments/{id}/answers"), Some(&token), None).await;
        assert_eq!(answers.json().as_array().unwrap().len(), 3);

        // Publication: the senior executive only; the snapshot hashes to the digest.
        let v = saved.json()["assessment"]["row_version"].as_i64().unwrap();
        assert_eq!(w.api(Method::POST, &format!("/orgs/{org}/assessments/{id}/publish"), Some(&token), Some(json!({"row_version": v}))).await.status, StatusCode::FORBIDDEN);
        let siro = w.token("siro@riverside.example").await;
        let published = w.api(Method::POST, &format!("/orgs/{org}/assessments/{id}/publish"), Some(&siro), Some(json!({"row_version": v}))).await;
        assert_eq!(published.status, StatusCode::OK, "{}", published.body);
        let digest = published.json()["digest"].as_str().unwrap().to_owned();
        let snapshot = w.api(Method::GET, &format!("/orgs/{org}/assessments/{id}/snapshot"), Some(&token), None).await;
        use sha2::Digest;
        let hex: String = sha2::Sha256::digest(snapshot.body.as_bytes()).iter().map(|b| format!("{b:02x}")).collect();
        assert_eq!(hex, digest, "the digest is the SHA-256 of the snapshot as served");
        let edit = w.api(Method::PUT, &format!("/orgs/{org}/assessments/{id}/answers"), Some(&token), Some(json!({"row_version": v + 1, "answers": []}))).await;
        assert_eq!(edit.status, StatusCode::CONFLICT);
        assert!(edit.body.contains("is published and cannot change"), "{}", edit.body);
        let oscal = w.api(Method::GET, &format!("/orgs/{org}/assessments/{id}/assessment-results"), Some(&token), None).await.json();
        let findings = oscal["assessment-results"]["results"][0]["findings"].as_array().unwrap().clone();
        let b5c = findings.iter().find(|f| f["target"]["target-id"] == "B5.c").unwrap();
        assert_eq!(b5c["target"]["status"]["state"], "satisfied");
        assert_eq!(oscal["assessment-results"]["metadata"]["oscal-version"], "1.1.2");

        // The regulator lists it and records a review; the organisation cannot.
        let regulator = w.t.app.org_by_ods("X26CA").await.unwrap().id;
        w.enable_mfa("inspector@regulator.example").await;
        let inspector = w.token("inspector@regulator.example").await;
        let remit = w.api(Method::GET, &format!("/orgs/{regulator}/oversight/assessments"), Some(&inspector), None).await.json();
        assert_eq!(remit["items"][0]["assessment"]["digest"], digest.as_str(), "{remit}");
        let bad = w.api(Method::POST, &format!("/orgs/{regulator}/oversight/assessments/{id}/reviews"), Some(&inspector), Some(json!({"outcome": "maybe"}))).await;
        assert_eq!(bad.json()["errors"][0]["pointer"], "/outcome");
        assert_eq!(w.api(Method::POST, &format!("/orgs/{regulator}/oversight/assessments/{id}/reviews"), Some(&inspector), Some(json!({"outcome": "accepted"}))).await.status, StatusCode::NO_CONTENT);
        assert_eq!(w.api(Method::GET, &format!("/orgs/{org}/oversight/assessments"), Some(&token), None).await.status, StatusCode::FORBIDDEN);
    }
}

dual_test! {
    async fn an_assessment_through_the_pages(backend: Backend) {
        let Some(w) = Web::new(backend).await else { return };
        let org = w.t.app.org_by_ods("RVX").await.unwrap().id;
        let caf = caf_id(&w).await;
        let cookie = w.sign_in("security@riverside.example", None).await;
        let list = w.get(&format!("/orgs/{org}/assessments"), Some(&cookie)).await;
        assert_eq!(list.status, StatusCode::OK);
        assert!(list.body.contains("GovAssure Baseline"), "profiles are offered");
        let csrf = list.csrf();
        let bad = w.post_form(&format!("/orgs/{org}/assessments"), Some(&cookie), &[("csrf", &csrf), ("framework_id", &caf), ("title", "CAF PAS"), ("period", "")]).await;
        assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(bad.body.contains("id=\"period-error\"") && bad.body.contains("value=\"CAF PAS\""), "the form keeps what was typed");
        let started = w.post_form(&format!("/orgs/{org}/assessments"), Some(&cookie), &[("csrf", &csrf), ("framework_id", &caf), ("title", "CAF PAS"), ("period", "2025-26"), ("profile", "govassure-baseline")]).await;
        assert_eq!(started.status, StatusCode::SEE_OTHER, "{}", started.body);
        let at = started.header("location").to_owned();
        let page = w.get(&at, Some(&cookie)).await;
        assert!(page.body.contains("<svg") && page.body.contains("A1.a Board Direction"), "the chart and the outcomes show");
        let version = page.body.split("name=\"row_version\" value=\"").nth(1).map(|s| s.split('"').next().unwrap().to_owned());
        assert!(version.is_none(), "a security lead sees no publish form");

        // Answer A1.a: every Achieved statement true.
        let item = w.get(&format!("{at}/items/A1.a"), Some(&cookie)).await;
        assert_eq!(item.status, StatusCode::OK);
        assert!(item.body.contains("name=\"ticked\" type=\"checkbox\" value=\"A1.a.A.4\""));
        let v = item.body.split("name=\"row_version\" value=\"").nth(1).unwrap().split('"').next().unwrap().to_owned();
        let short = w.post_form(&format!("{at}/items/A1.a"), Some(&cookie), &[("csrf", &csrf), ("row_version", &v), ("kind", "outcome"), ("override_grade", "achieved"), ("override_reason", "short")]).await;
        assert_eq!(short.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(short.body.contains("id=\"override_reason-error\""), "{}", short.body);
        let ticks: Vec<(&str, &str)> = ["A1.a.A.1", "A1.a.A.2", "A1.a.A.3", "A1.a.A.4"].iter().map(|t| ("ticked", *t)).collect();
        let mut pairs = vec![("csrf", csrf.as_str()), ("row_version", v.as_str()), ("kind", "outcome"), ("narrative", "Board owns cyber risk.")];
        pairs.extend(ticks);
        let saved = w.post_form(&format!("{at}/items/A1.a"), Some(&cookie), &pairs).await;
        assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);
        let again = w.get(&format!("{at}/items/A1.a"), Some(&cookie)).await.body;
        assert!(again.contains("value=\"A1.a.A.4\" checked") && !again.contains("value=\"A1.a.NA.1\" checked"), "the saved statements show ticked");
        assert!(again.contains("Board owns cyber risk."), "the narrative is kept");
        let trail = again.split(" · ").nth(1).unwrap_or_default().split("</span>").next().unwrap_or_default();
        assert!(trail.starts_with("A ") && trail.contains(" › A1 "), "the item names its objective and principle: {trail}");
        let page = w.get(&at, Some(&cookie)).await;
        assert!(page.body.contains("id=\"row-A1.a\""));
        let row = page.body.split("id=\"row-A1.a\"").nth(1).unwrap().split("</tr>").next().unwrap();
        assert!(row.contains(">Achieved<") && row.contains("Meets profile"), "{row}");

        // Evidence uploaded on the item shows there and on the report.
        let upload = w.multipart(&format!("{at}/items/A1.a/evidence"), Some(&cookie), &[("csrf", &csrf), ("evidence_title", "Board minutes, May")], Some(("evidence_file", "minutes.pdf", b"%PDF-1.7 minutes"))).await;
        assert_eq!(upload.status, StatusCode::SEE_OTHER, "{}", upload.body);
        assert!(w.get(&format!("{at}/items/A1.a"), Some(&cookie)).await.body.contains("Board minutes, May"));
        // Each refused form shows the item again with its error beside the field.
        let untitled = w.multipart(&format!("{at}/items/A1.a/evidence"), Some(&cookie), &[("csrf", &csrf), ("evidence_title", "")], Some(("evidence_file", "minutes.pdf", b"%PDF-1.7 minutes"))).await;
        assert_eq!(untitled.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", untitled.body);
        assert!(untitled.body.contains("id=\"evidence_title-error\"") && untitled.body.contains("Board minutes, May"), "{}", untitled.body);
        let unchosen = w.post_form(&format!("{at}/items/A1.a/evidence/link"), Some(&cookie), &[("csrf", &csrf), ("evidence_id", "not-an-id")]).await;
        assert_eq!(unchosen.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", unchosen.body);
        assert!(unchosen.body.contains("id=\"evidence_id-error\""), "{}", unchosen.body);
        let silent = w.post_form(&format!("{at}/items/A1.a/comments"), Some(&cookie), &[("csrf", &csrf), ("body", "  ")]).await;
        assert_eq!(silent.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", silent.body);
        assert!(silent.body.contains("id=\"body-error\""), "{}", silent.body);

        // A gap gets an improvement action, which the report's plan shows.
        let bad = w.post_form(&format!("{at}/items/A2.a/actions"), Some(&cookie), &[("csrf", &csrf), ("action_title", ""), ("action_due_on", "soon")]).await;
        assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(bad.body.contains("id=\"action_title-error\"") && bad.body.contains("id=\"action_due_on-error\""), "{}", bad.body);
        let raised = w.post_form(&format!("{at}/items/A2.a/actions"), Some(&cookie), &[("csrf", &csrf), ("action_title", "Write threat assumptions for PAS"), ("action_owner", "Security lead"), ("action_due_on", "2027-03-31")]).await;
        assert_eq!(raised.status, StatusCode::SEE_OTHER, "{}", raised.body);
        assert!(w.get(&format!("{at}/items/A2.a"), Some(&cookie)).await.body.contains("Write threat assumptions for PAS"));
        assert!(w.get(&format!("/orgs/{org}/actions"), Some(&cookie)).await.body.contains("(from an assessment)"));

        // The SIRO signs off; the page then shows the digest and refuses edits.
        let siro = w.sign_in("siro@riverside.example", None).await;
        let page = w.get(&at, Some(&siro)).await;
        let siro_csrf = page.csrf();
        let v = page.body.split("name=\"row_version\" value=\"").nth(1).unwrap().split('"').next().unwrap().to_owned();
        let unconfirmed = w.post_form(&format!("{at}/publish"), Some(&siro), &[("csrf", &siro_csrf), ("row_version", &v)]).await;
        assert_eq!(unconfirmed.status, StatusCode::UNPROCESSABLE_ENTITY);
        let done = w.post_form(&format!("{at}/publish"), Some(&siro), &[("csrf", &siro_csrf), ("row_version", &v), ("confirm", "yes")]).await;
        assert_eq!(done.status, StatusCode::SEE_OTHER, "{}", done.body);
        let page = w.get(&at, Some(&cookie)).await;
        let digest = page.body.split("id=\"assessment-digest\">").nth(1).unwrap().split('<').next().unwrap().to_owned();
        assert_eq!(digest.len(), 64);
        assert!(!w.get(&format!("{at}/items/A1.a"), Some(&cookie)).await.body.contains("name=\"ticked\""), "a published item has no form");

        let report = w.get(&format!("{at}/report"), Some(&cookie)).await;
        assert!(report.body.contains(&digest) && report.body.contains("Gap to the target profile") && report.body.contains("<svg"));
        assert!(report.body.contains("Write threat assumptions for PAS"), "the plan is on the report");
        let pdf = w.get(&format!("{at}/report.pdf"), Some(&cookie)).await;
        assert_eq!(pdf.header("content-type"), "application/pdf");
        assert!(pdf.body.starts_with("%PDF-"));
        let csv = w.get(&format!("{at}/answers.csv"), Some(&cookie)).await;
        assert!(csv.header("content-type").starts_with("text/csv"));
        assert!(csv.body.starts_with("ref_id,parent,kind,title,answer,grade"));
        assert!(csv.body.contains("A1.a,A1,caf_grade,Board Direction,assessed,Achieved,Achieved,,Achieved,yes,,,Board owns cyber risk."), "{}", csv.body);
        let first = w.get(&format!("{at}/compare"), Some(&cookie)).await;
        assert!(first.body.contains("no earlier assessment"), "{}", first.body);
        let second = w.post_form(&format!("/orgs/{org}/assessments"), Some(&cookie), &[("csrf", &csrf), ("framework_id", &caf), ("title", "CAF PAS next year"), ("period", "2026-27")]).await;
        let next = second.header("location").to_owned();
        let compare = w.get(&format!("{next}/compare"), Some(&cookie)).await;
        assert!(compare.body.contains("2026-27 against"), "{}", compare.body);
        let a1a = compare.body.split("A1.a Board Direction").nth(1).unwrap().split("</tr>").next().unwrap();
        assert!(a1a.contains("Achieved") && a1a.contains("Not yet assessed"), "{a1a}");
        let snapshot = w.get(&format!("{at}/snapshot.json"), Some(&cookie)).await;
        assert!(snapshot.header("content-disposition").starts_with("attachment"));

        // The regulator's page lists it with the sector count.
        let inspector = w.sign_in("inspector@regulator.example", Some(&w.enable_mfa("inspector@regulator.example").await)).await;
        let regulator = w.t.app.org_by_ods("X26CA").await.unwrap().id;
        let remit = w.get(&format!("/orgs/{regulator}/oversight/assessments"), Some(&inspector)).await;
        assert!(remit.body.contains("CAF PAS") && remit.body.contains("id=\"sector-summary\""), "{}", remit.body);
    }
}

dual_test! {
    async fn dspt_plans_comments_mappings_and_profiles_over_http(backend: Backend) {
        let Some(w) = Web::new(backend).await else { return };
        w.t.app.install_built_in_frameworks().await.unwrap();
        let org = w.t.app.org_by_ods("RVX").await.unwrap().id;
        let ndg = w.t.app.frameworks().await.unwrap().into_iter().find(|f| f.key == "dspt-ndg").unwrap().id.to_string();
        let token = w.token("security@riverside.example").await;

        // The NDG-standard DSPT needs a category; its status and gaps come back with it.
        let bad = w.api(Method::POST, &format!("/orgs/{org}/assessments"), Some(&token), Some(json!({"framework_id": ndg, "title": "DSPT", "period": "2025-26"}))).await;
        assert_eq!(bad.json()["errors"][0]["pointer"], "/profile");
        let started = w.api(Method::POST, &format!("/orgs/{org}/assessments"), Some(&token), Some(json!({"framework_id": ndg, "title": "DSPT", "period": "2025-26", "profile": "category-4"}))).await;
        assert_eq!(started.status, StatusCode::CREATED, "{}", started.body);
        let a = started.json();
        let id = a["assessment"]["id"].as_str().unwrap().to_owned();
        assert_eq!((a["status"].as_str(), a["gaps"].as_array().unwrap().len()), (Some("Standards Not Met"), 29));

        // The generated plan over the API; errors by pointer.
        let bad = w.api(Method::POST, &format!("/orgs/{org}/assessments/{id}/plan"), Some(&token), Some(json!({"due_on": "soon"}))).await;
        assert_eq!(bad.json()["errors"][0]["pointer"], "/due_on");
        let planned = w.api(Method::POST, &format!("/orgs/{org}/assessments/{id}/plan"), Some(&token), Some(json!({"due_on": "2026-12-31"}))).await.json();
        assert_eq!(planned["raised"], 29);
        assert!(planned["assessment"]["unplanned"].as_array().unwrap().is_empty());

        // Comments.
        let c = w.api(Method::POST, &format!("/orgs/{org}/assessments/{id}/comments"), Some(&token), Some(json!({"ref_id": "1.1.1", "body": "Renewal due in May"}))).await;
        assert_eq!(c.status, StatusCode::CREATED, "{}", c.body);
        let bad = w.api(Method::POST, &format!("/orgs/{org}/assessments/{id}/comments"), Some(&token), Some(json!({"ref_id": "0.0", "body": "x"}))).await;
        assert_eq!(bad.json()["errors"][0]["pointer"], "/ref_id");
        let listed = w.api(Method::GET, &format!("/orgs/{org}/assessments/{id}/comments?ref_id=1.1.1"), Some(&token), None).await.json();
        assert_eq!(listed[0]["body"], "Renewal due in May");

        // Offers: evidence for Cyber Essentials 5.1 is offered on the DSPT's 6.2.1 (the same requirement).
        let lead = hygeia_core::Actor { user: w.t.app.user_by_email("security@riverside.example").await.unwrap(), credential: hygeia_core::Credential::Cli };
        let lead = w.t.app.scope(&lead, org).await.unwrap();
        w.t.app.add_evidence(&lead, hygeia_core::EvidenceInput {
            title: "Anti-malware console export".into(), review_by: String::new(),
            content: hygeia_core::EvidenceContent::Note("All 412 devices reporting".into()),
            link: Some((hygeia_domain::evidence::LinkTarget::Requirement, "cyber-essentials:5.1".into())),
        }).await.unwrap();
        let offers = w.api(Method::GET, &format!("/orgs/{org}/assessments/{id}/items/6.2.1/offers"), Some(&token), None).await.json();
        assert_eq!(offers["evidence"][0]["title"], "Anti-malware console export");
        assert_eq!(offers["evidence"][0]["relation"], "equal");
        let cookie = w.sign_in("security@riverside.example", None).await;
        let item = w.get(&format!("/orgs/{org}/assessments/{id}/items/6.2.1"), Some(&cookie)).await;
        assert!(item.body.contains("id=\"evidence-offers\"") && item.body.contains("Use it for 6.2.1"), "the item page offers it");
        let item = w.get(&format!("/orgs/{org}/assessments/{id}/items/1.1.1"), Some(&cookie)).await;
        assert!(item.body.contains("Renewal due in May"), "the comment shows on its item");
        let page = w.get(&format!("/orgs/{org}/assessments/{id}"), Some(&cookie)).await;
        assert!(page.body.contains("id=\"plan-covered\"") && page.body.contains("Would publish as"), "the plan covers every gap");

        // Mappings and profiles in the library.
        let maps = w.api(Method::GET, "/frameworks/mappings", Some(&token), None).await.json();
        assert!(maps.as_array().unwrap().iter().any(|m| m["from"] == "ncsc-caf" && m["to"] == "dspt-caf" && m["pairs"] == 39));
        let body = json!({"title": "NHS England expected levels 2025-26", "minima": {"A1.a": "achieved", "E4.a": "partially_achieved"}});
        assert_eq!(w.api(Method::PUT, "/frameworks/dspt-caf/2025-26/profiles/nhs-england-2025-26", Some(&token), Some(body.clone())).await.status, StatusCode::FORBIDDEN);
        let secret = w.enable_mfa("admin@hygeia.example").await;
        let admin = w.token("admin@hygeia.example").await;
        let bad = w.api(Method::PUT, "/frameworks/dspt-caf/2025-26/profiles/nhs-england-2025-26", Some(&admin), Some(body)).await;
        assert_eq!(bad.json()["errors"][0]["pointer"], "/minima/E4.a", "{}", bad.body);
        let ok = w.api(Method::PUT, "/frameworks/dspt-caf/2025-26/profiles/nhs-england-2025-26", Some(&admin), Some(json!({"title": "NHS England expected levels 2025-26", "minima": {"A1.a": "achieved", "E4.a": "achieved"}}))).await;
        assert_eq!(ok.status, StatusCode::NO_CONTENT, "{}", ok.body);
        let admin_cookie = w.sign_in("admin@hygeia.example", Some(&secret)).await;
        let editor = w.get("/frameworks/dspt-caf/2025-26/profiles/nhs-england-2025-26", Some(&admin_cookie)).await;
        assert_eq!(editor.status, StatusCode::OK);
        assert!(editor.body.contains("name=\"min:A1.a\""));
        let csrf = editor.csrf();
        let saved = w.post_form("/frameworks/dspt-caf/2025-26/profiles/trust-stretch", Some(&admin_cookie), &[("csrf", &csrf), ("title", "Trust stretch"), ("min:B5.c", "achieved")]).await;
        assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);
        assert!(w.get("/frameworks/dspt-caf/2025-26", Some(&admin_cookie)).await.body.contains("Trust stretch"));
        assert!(w.get("/frameworks", Some(&cookie)).await.body.contains("id=\"framework-mappings\""));
        assert_eq!(w.get("/frameworks/dspt-caf/2025-26/profiles/nhs-england-2025-26", Some(&cookie)).await.status, StatusCode::FORBIDDEN);

        // Platform administrators import from the library page: a CISO Assistant library here.
        let library = w.get("/frameworks", Some(&admin_cookie)).await;
        assert!(library.body.contains("action=\"/frameworks/import\""));
        assert!(!w.get("/frameworks", Some(&cookie)).await.body.contains("action=\"/frameworks/import\""), "only administrators see the form");
        let yaml = "ref_id: ward-checks\nversion: 1\nobjects:\n  framework:\n    urn: urn:example:risk:framework:ward-checks\n    name: Ward checks\n    requirement_nodes:\n    - urn: urn:example:w:1\n      ref_id: W1\n      name: Screens lock\n      assessable: true\n      parent_urn: urn:example:w:0\n";
        let bad = w.multipart("/frameworks/import", Some(&admin_cookie), &[("csrf", &csrf)], Some(("file", "ward.yaml", yaml.as_bytes()))).await;
        assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(bad.body.contains("ward.yaml /objects/framework/requirement_nodes/0/parent_urn"), "{}", bad.body);
        let good = yaml.replace("      parent_urn: urn:example:w:0\n", "");
        let done = w.multipart("/frameworks/import", Some(&admin_cookie), &[("csrf", &csrf)], Some(("file", "ward.yaml", good.as_bytes()))).await;
        assert_eq!(done.status, StatusCode::SEE_OTHER, "{}", done.body);
        assert_eq!(done.header("location"), "/frameworks/ward-checks/1");
        assert!(w.get("/frameworks/ward-checks/1", Some(&admin_cookie)).await.body.contains("Screens lock"));
        let lead_csrf = w.get("/frameworks", Some(&cookie)).await.csrf();
        let other = w.multipart("/frameworks/import", Some(&cookie), &[("csrf", &lead_csrf)], Some(("file", "ward.yaml", good.as_bytes()))).await;
        assert_eq!(other.status, StatusCode::FORBIDDEN);
    }
}
