//! The incident register over the API and in pages: reporting, bad input named by pointer or
//! field, assessment, clocks, status and notes.

use crate::util::*;
use axum::http::{Method, StatusCode};
use hygeia_testkit::dual_test;
use serde_json::json;

const HOUR_MS: i64 = 3_600_000;

/// An RFC 3339 time `hours` before the test clock's now.
fn rfc3339(w: &Web, hours_ago: i64) -> String {
    jiff::Timestamp::from_millisecond(w.now_s() * 1000 - hours_ago * HOUR_MS)
        .unwrap()
        .to_string()
}

/// A `datetime-local` value on the London wall clock, `hours` before now.
fn local(w: &Web, hours_ago: i64) -> String {
    let tz = jiff::tz::TimeZone::get("Europe/London").unwrap();
    jiff::Timestamp::from_millisecond(w.now_s() * 1000 - hours_ago * HOUR_MS)
        .unwrap()
        .to_zoned_datetime(tz)
        .strftime("%Y-%m-%dT%H:%M")
        .to_string()
}

dual_test! {
    async fn the_register_over_the_api(backend: Backend) {
        let Some(w) = Web::new(backend).await else { return };
        let token = w.token("security@riverside.example").await;
        let org = w.t.app.org_by_ods("RVX").await.unwrap().id;
        let base = format!("/orgs/{org}/incidents");

        let bad = w.api(Method::POST, &base, Some(&token), Some(json!({
            "title": "Outage", "category": "meteor", "severity": "low",
            "detected_at": rfc3339(&w, 3), "aware_at": "yesterday-ish"
        }))).await;
        assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", bad.body);
        let pointers: Vec<String> = bad.json()["errors"].as_array().unwrap().iter().map(|e| e["pointer"].as_str().unwrap().to_owned()).collect();
        assert_eq!(pointers, ["/aware_at"], "times are read first: {}", bad.body);
        let bad = w.api(Method::POST, &base, Some(&token), Some(json!({
            "title": "Outage", "category": "meteor", "severity": "low",
            "detected_at": rfc3339(&w, 3), "aware_at": rfc3339(&w, -1)
        }))).await;
        let pointers: Vec<String> = bad.json()["errors"].as_array().unwrap().iter().map(|e| e["pointer"].as_str().unwrap().to_owned()).collect();
        assert_eq!(pointers, ["/category", "/aware_at"], "{}", bad.body);
        assert_eq!(w.api(Method::GET, &base, Some(&token), None).await.json()["total"], 0, "nothing half-written");

        let created = w.api(Method::POST, &base, Some(&token), Some(json!({
            "title": "Ransomware on imaging", "category": "ransomware", "severity": "critical",
            "detected_at": rfc3339(&w, 3), "aware_at": rfc3339(&w, 2), "data_categories": ["health"]
        }))).await;
        assert_eq!(created.status, StatusCode::CREATED, "{}", created.body);
        let incident = created.json();
        assert_eq!(incident["reference"], "INC-2026-0001");
        let path = format!("{base}/{}", incident["id"].as_str().unwrap());

        let assessed = w.api(Method::POST, &format!("{path}/assessments"), Some(&token), Some(json!({
            "personal_data": true, "likelihood": "likely", "harm": "minor",
            "essential_service_disrupted": true, "significant_impact": true,
            "rationale": "Imaging down at both sites"
        }))).await;
        assert_eq!(assessed.status, StatusCode::CREATED, "{}", assessed.body);
        let decisions = assessed.json()["decisions"].clone();
        let verdicts: Vec<&str> = decisions.as_array().unwrap().iter().map(|d| d["verdict"].as_str().unwrap()).collect();
        assert_eq!(verdicts, ["reportable", "reportable"]);

        let detail = w.api(Method::GET, &path, Some(&token), None).await.json();
        assert_eq!(detail["regimes"][0]["regime"], "uk_nis");
        assert_eq!(detail["regimes"][0]["clocks"][0]["state"], "due");
        assert_eq!(detail["regimes"][0]["clocks"][0]["due_at"], json!(rfc3339(&w, 2 - 72)));
        assert_eq!(detail["decisions"].as_array().unwrap().len(), 2);

        let moved = w.api(Method::POST, &format!("{path}/status"), Some(&token), Some(json!({"status": "contained"}))).await;
        assert_eq!(moved.json()["status"], "contained");
        let back = w.api(Method::POST, &format!("{path}/status"), Some(&token), Some(json!({"status": "reported"}))).await;
        assert_eq!(back.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(back.json()["errors"][0]["pointer"], "/status");
        assert_eq!(w.api(Method::POST, &format!("{path}/notes"), Some(&token), Some(json!({"note": "Vendor engaged"}))).await.status, StatusCode::NO_CONTENT);
        let timeline = w.api(Method::GET, &path, Some(&token), None).await.json()["timeline"].as_array().unwrap().len();
        assert_eq!(timeline, 4, "created, decision, status, note");

        // A read-only token reads but cannot write.
        let reader = w.read_token("security@riverside.example").await;
        assert_eq!(w.api(Method::GET, &path, Some(&reader), None).await.status, StatusCode::OK);
        assert_eq!(w.api(Method::POST, &format!("{path}/notes"), Some(&reader), Some(json!({"note": "x"}))).await.status, StatusCode::FORBIDDEN);
    }
}

dual_test! {
    async fn report_and_assess_in_the_browser_pages(backend: Backend) {
        let Some(w) = Web::new(backend).await else { return };
        let cookie = w.sign_in("security@riverside.example", None).await;
        let org = w.t.app.org_by_ods("RVX").await.unwrap().id;
        let form = w.get(&format!("/orgs/{org}/incidents/new"), Some(&cookie)).await;
        assert_eq!(form.status, StatusCode::OK);
        let csrf = form.csrf();

        let bad = w.post_form(&format!("/orgs/{org}/incidents"), Some(&cookie), &[
            ("csrf", &csrf), ("title", ""), ("category", "phishing"), ("severity", "low"),
            ("detected_at", "not a time"), ("aware_at", &local(&w, 1)), ("patients_affected", "-3"),
        ]).await;
        assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(bad.body.contains("href=\"#detected_at\"") && bad.body.contains("href=\"#patients_affected\""), "{}", bad.body);

        let made = w.post_form(&format!("/orgs/{org}/incidents"), Some(&cookie), &[
            ("csrf", &csrf), ("title", "Phishing of ward staff"), ("category", "phishing"), ("severity", "medium"),
            ("detected_at", &local(&w, 3)), ("aware_at", &local(&w, 2)), ("data_categories", "contact"),
            ("suspected_malicious", "on"),
        ]).await;
        assert_eq!(made.status, StatusCode::SEE_OTHER, "{}", made.body);
        let at = made.header("location").to_owned();
        let page = w.get(&at, Some(&cookie)).await;
        assert!(page.body.contains("INC-2026-0001") && page.body.contains("Not assessed yet"), "{}", page.body);

        let no_reason = w.post_form(&format!("{}/assess", at.split('?').next().unwrap()), Some(&cookie), &[("csrf", &csrf), ("personal_data", "on")]).await;
        assert_eq!(no_reason.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(no_reason.body.contains("href=\"#rationale\""));
        let assessed = w.post_form(&format!("{}/assess", at.split('?').next().unwrap()), Some(&cookie), &[
            ("csrf", &csrf), ("personal_data", "on"), ("likelihood", "likely"), ("harm", "adverse"), ("rationale", "Credentials and contact details taken"),
        ]).await;
        assert_eq!(assessed.status, StatusCode::SEE_OTHER);
        let page = w.get(assessed.header("location"), Some(&cookie)).await;
        assert!(page.body.contains("Reportable") && page.body.contains("Information Commissioner"), "{}", page.body);
        assert!(page.body.contains("nhsuk-tag--blue\">Due<"), "the 72-hour clock runs: {}", page.body);
        // A preview of other facts shows what would change, and records nothing.
        let before = w.t.app.store().decisions(org, at.split('?').next().unwrap().rsplit('/').next().unwrap().parse().unwrap()).await.unwrap().len();
        let preview = w.post_form(&format!("{}/assess", at.split('?').next().unwrap()), Some(&cookie), &[
            ("csrf", &csrf), ("personal_data", "on"), ("likelihood", "not_likely"), ("harm", "adverse"), ("preview", "1"),
        ]).await;
        assert_eq!(preview.status, StatusCode::OK);
        assert!(preview.body.contains("These facts would change: UK GDPR: Reportable → Not reportable"), "{}", preview.body);
        let after = w.t.app.store().decisions(org, at.split('?').next().unwrap().rsplit('/').next().unwrap().parse().unwrap()).await.unwrap().len();
        assert_eq!(before, after, "a preview records nothing");
        let list = w.get(&format!("/orgs/{org}/incidents"), Some(&cookie)).await;
        assert!(list.body.contains("Phishing of ward staff"));
    }
}

/// Recomputes an export's digest as `docs/notification-schema.md` describes it.
fn digest_of(export: &serde_json::Value) -> String {
    use sha2::{Digest, Sha256};
    let n = &export["notification"];
    let mut text = format!(
        "{}\n{}\n{}\n{}\n",
        export["schema"].as_str().unwrap(),
        n["regime"].as_str().unwrap(),
        n["stage"].as_str().unwrap(),
        n["version"]
    );
    for f in export["fields"].as_array().unwrap() {
        text.push_str(&format!(
            "{}={}\n",
            f["field"].as_str().unwrap(),
            f["value"].as_str().unwrap().replace('\n', "\\n")
        ));
    }
    Sha256::digest(text.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

dual_test! {
    async fn notify_the_regulator_and_read_its_review(backend: Backend) {
        let Some(w) = Web::new(backend).await else { return };
        let token = w.token("security@riverside.example").await;
        let org = w.t.app.org_by_ods("RVX").await.unwrap().id;
        let created = w.api(Method::POST, &format!("/orgs/{org}/incidents"), Some(&token), Some(json!({
            "title": "Email sent to the wrong ward", "category": "data_breach", "severity": "medium",
            "detected_at": rfc3339(&w, 3), "aware_at": rfc3339(&w, 2), "data_subjects": 40
        }))).await.json();
        let path = format!("/orgs/{org}/incidents/{}", created["id"].as_str().unwrap());
        let early = w.api(Method::POST, &format!("{path}/notifications"), Some(&token), Some(json!({
            "regime": "uk_gdpr", "stage": "notification", "fields": {}
        }))).await;
        assert_eq!(early.status, StatusCode::UNPROCESSABLE_ENTITY, "not assessed reportable yet");
        assert_eq!(early.json()["errors"][0]["pointer"], "/regime");
        w.api(Method::POST, &format!("{path}/assessments"), Some(&token), Some(json!({
            "personal_data": true, "likelihood": "likely", "harm": "minor", "rationale": "Names and diagnoses"
        }))).await;
        let fields = json!({
            "operator_name": "Riverside", "aware_at": "2 hours ago", "nature_and_impact": "Misaddressed email",
            "data_categories_and_numbers": "40 patients", "contact": "dpo@riverside.example",
            "likely_consequences": "Distress", "measures": "Recall requested"
        });
        let missing = w.api(Method::POST, &format!("{path}/notifications"), Some(&token), Some(json!({
            "regime": "uk_gdpr", "stage": "notification", "fields": {"operator_name": "Riverside"}
        }))).await;
        assert_eq!(missing.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(missing.json()["errors"][0]["pointer"], "/aware_at");
        let sent = w.api(Method::POST, &format!("{path}/notifications"), Some(&token), Some(json!({
            "regime": "uk_gdpr", "stage": "notification", "fields": fields
        }))).await;
        assert_eq!(sent.status, StatusCode::CREATED, "{}", sent.body);
        let id = sent.json()["id"].as_str().unwrap().to_owned();
        let export = w.api(Method::GET, &format!("/orgs/{org}/notifications/{id}"), Some(&token), None).await.json();
        assert_eq!(export["schema"], "hygeia.notification/v1");
        assert_eq!(export["fields"][0]["field"], "operator_name", "in the regime's order");
        assert_eq!(digest_of(&export), export["notification"]["digest"].as_str().unwrap(), "the documented digest");

        // The regulator (MFA required for its roles) sees it, asks for a revision.
        let _ = w.enable_mfa("inspector@regulator.example").await;
        let inspector = w.token("inspector@regulator.example").await;
        let regulator = w.t.app.org_by_ods("X26CA").await.unwrap().id;
        let inbox = w.api(Method::GET, &format!("/orgs/{regulator}/inbox"), Some(&inspector), None).await.json();
        assert_eq!(inbox["total"], 1);
        assert_eq!(inbox["items"][0]["sender"], "Riverside University Hospitals NHS Foundation Trust");
        let no_message = w.api(Method::POST, &format!("/orgs/{regulator}/inbox/{id}/reviews"), Some(&inspector), Some(json!({"status": "revision_requested"}))).await;
        assert_eq!(no_message.json()["errors"][0]["pointer"], "/message");
        let reviewed = w.api(Method::POST, &format!("/orgs/{regulator}/inbox/{id}/reviews"), Some(&inspector), Some(json!({"status": "revision_requested", "message": "Add the ward"}))).await;
        assert_eq!(reviewed.status, StatusCode::NO_CONTENT);
        let export = w.api(Method::GET, &format!("/orgs/{org}/notifications/{id}"), Some(&token), None).await.json();
        assert_eq!(export["notification"]["review_status"], "revision_requested");
        assert_eq!(export["reviews"][0]["message"], "Add the ward");
        // The sender cannot review, and cannot read the inbox.
        assert_eq!(w.api(Method::GET, &format!("/orgs/{regulator}/inbox"), Some(&token), None).await.status, StatusCode::NOT_FOUND);

        // In the pages: the regulator's inbox and the review form.
        let secret = w.enable_mfa("analyst@regulator.example").await;
        let cookie = w.sign_in("analyst@regulator.example", Some(&secret)).await;
        let page = w.get(&format!("/orgs/{regulator}/inbox"), Some(&cookie)).await;
        assert!(page.body.contains("INC-2026-0001") && page.body.contains("On time"), "{}", page.body);
        let detail = w.get(&format!("/orgs/{regulator}/inbox/{id}"), Some(&cookie)).await;
        assert!(detail.body.contains("Misaddressed email") && detail.body.contains("Record review"));
        let csrf = detail.csrf();
        let bad = w.post_form(&format!("/orgs/{regulator}/inbox/{id}/review"), Some(&cookie), &[("csrf", &csrf), ("status", "revision_requested")]).await;
        assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(bad.body.contains("href=\"#message\""));
        let ok = w.post_form(&format!("/orgs/{regulator}/inbox/{id}/review"), Some(&cookie), &[("csrf", &csrf), ("status", "accepted")]).await;
        assert_eq!(ok.status, StatusCode::SEE_OTHER);
    }
}

dual_test! {
    async fn the_response_plan_and_an_incident_tasks_in_pages(backend: Backend) {
        let Some(w) = Web::new(backend).await else { return };
        let cookie = w.sign_in("security@riverside.example", None).await;
        let org = w.t.app.org_by_ods("RVX").await.unwrap().id;
        let plan = w.get(&format!("/orgs/{org}/response-plan"), Some(&cookie)).await;
        assert_eq!(plan.status, StatusCode::OK);
        assert!(plan.body.contains("id=\"ransomware\"") && plan.body.contains("default: edit it to fit"));
        let form = w.get(&format!("/orgs/{org}/response-plan/phishing"), Some(&cookie)).await;
        assert!(form.body.contains("security_lead: Reset the passwords"), "the form shows the text form");
        let csrf = form.csrf();
        let bad = w.post_form(&format!("/orgs/{org}/response-plan/phishing"), Some(&cookie), &[("csrf", &csrf), ("tasks", ""), ("contacts", "")]).await;
        assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(bad.body.contains("Tasks, a playbook needs at least one task"), "{}", bad.body);
        let saved = w.post_form(&format!("/orgs/{org}/response-plan/phishing"), Some(&cookie), &[("csrf", &csrf), ("tasks", "ig_lead: Ask who clicked\nBlock the sender"), ("contacts", "Desk: 4000")]).await;
        assert_eq!(saved.status, StatusCode::SEE_OTHER);
        assert_eq!(w.get(&format!("/orgs/{org}/response-plan/meteor"), Some(&cookie)).await.status, StatusCode::NOT_FOUND);

        let made = w.post_form(&format!("/orgs/{org}/incidents"), Some(&cookie), &[
            ("csrf", &csrf), ("title", "Phish"), ("category", "phishing"), ("severity", "low"),
            ("detected_at", &local(&w, 2)), ("aware_at", &local(&w, 1)),
        ]).await;
        let at = made.header("location").split('?').next().unwrap().to_owned();
        let page = w.get(&at, Some(&cookie)).await;
        assert!(page.body.contains("0 of 2 done") && page.body.contains("Ask who clicked"), "{}", page.body);
        let task = w.t.app.incident_tasks(&w.t.app.scope(&w.t.app.cli_actor(w.t.app.user_by_email("security@riverside.example").await.unwrap()), org).await.unwrap(), at.rsplit('/').next().unwrap().parse().unwrap()).await.unwrap()[0].id;
        let ticked = w.post_form(&format!("{at}/tasks/{task}"), Some(&cookie), &[("csrf", &csrf), ("done", "1")]).await;
        assert_eq!(ticked.status, StatusCode::SEE_OTHER);
        assert!(w.get(&at, Some(&cookie)).await.body.contains("1 of 2 done"));
    }
}

dual_test! {
    async fn the_regulator_thresholds_page(backend: Backend) {
        let Some(w) = Web::new(backend).await else { return };
        let secret = w.enable_mfa("inspector@regulator.example").await;
        let cookie = w.sign_in("inspector@regulator.example", Some(&secret)).await;
        let regulator = w.t.app.org_by_ods("X26CA").await.unwrap().id;
        let page = w.get(&format!("/orgs/{regulator}/thresholds"), Some(&cookie)).await;
        assert_eq!(page.status, StatusCode::OK);
        assert!(page.body.contains("DHSC and NHS England") && page.body.contains("Save thresholds"));
        let csrf = page.csrf();
        let grid = [("grid_recipient", "Information Commissioner's Office (ICO)"), ("grid_likelihood_0", "likely"), ("grid_harm_0", "minor"),
                    ("grid_recipient", "DHSC and NHS England"), ("grid_likelihood_1", "likely"), ("grid_harm_1", "serious")];
        let mut bad = vec![("csrf", csrf.as_str()), ("users_affected_at_least", "lots")];
        bad.extend_from_slice(&grid);
        let reply = w.post_form(&format!("/orgs/{regulator}/thresholds"), Some(&cookie), &bad).await;
        assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(reply.body.contains("href=\"#users_affected_at_least\""));
        let mut good = vec![("csrf", csrf.as_str()), ("users_affected_at_least", "2000"), ("disruption_minutes_at_least", "240")];
        good.extend_from_slice(&grid);
        assert_eq!(w.post_form(&format!("/orgs/{regulator}/thresholds"), Some(&cookie), &good).await.status, StatusCode::SEE_OTHER);
        let after = w.get(&format!("/orgs/{regulator}/thresholds"), Some(&cookie)).await;
        assert!(after.body.contains("value=\"2000\"") && after.body.contains("value=\"240\""));
    }
}

dual_test! {
    async fn tasks_and_thresholds_over_the_api(backend: Backend) {
        let Some(w) = Web::new(backend).await else { return };
        let token = w.token("security@riverside.example").await;
        let org = w.t.app.org_by_ods("RVX").await.unwrap().id;
        let created = w.api(Method::POST, &format!("/orgs/{org}/incidents"), Some(&token), Some(json!({
            "title": "Lost laptop", "category": "lost_device", "severity": "low",
            "detected_at": rfc3339(&w, 2), "aware_at": rfc3339(&w, 1)
        }))).await.json();
        let path = format!("/orgs/{org}/incidents/{}", created["id"].as_str().unwrap());
        assert_eq!(w.api(Method::POST, &format!("{path}/tasks"), Some(&token), Some(json!({"title": "Ask the train company"}))).await.status, StatusCode::NO_CONTENT);
        let tasks = w.api(Method::GET, &path, Some(&token), None).await.json()["tasks"].clone();
        let last = tasks.as_array().unwrap().last().unwrap().clone();
        assert_eq!(last["title"], "Ask the train company");
        let done = w.api(Method::POST, &format!("{path}/tasks/{}", last["id"].as_str().unwrap()), Some(&token), Some(json!({"done": true}))).await;
        assert_eq!(done.status, StatusCode::NO_CONTENT);
        let tasks = w.api(Method::GET, &path, Some(&token), None).await.json()["tasks"].clone();
        assert_eq!(tasks.as_array().unwrap().last().unwrap()["done_by"], "security@riverside.example");

        let _ = w.enable_mfa("inspector@regulator.example").await;
        let inspector = w.token("inspector@regulator.example").await;
        let regulator = w.t.app.org_by_ods("X26CA").await.unwrap().id;
        let now = w.api(Method::GET, &format!("/orgs/{regulator}/thresholds"), Some(&inspector), None).await.json();
        assert_eq!(now["grid"][1]["harm_at_least"], "serious");
        let bad = w.api(Method::PUT, &format!("/orgs/{regulator}/thresholds"), Some(&inspector), Some(json!({
            "users_affected_at_least": 1000, "disruption_minutes_at_least": null, "regions_affected_at_least": null,
            "grid": [{"recipient": "Nobody", "likelihood_at_least": "likely", "harm_at_least": "dire"}]
        }))).await;
        assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
        let pointers: Vec<String> = bad.json()["errors"].as_array().unwrap().iter().map(|e| e["pointer"].as_str().unwrap().to_owned()).collect();
        assert_eq!(pointers, ["/grid/0/recipient", "/grid/0/harm_at_least"]);
        let good = w.api(Method::PUT, &format!("/orgs/{regulator}/thresholds"), Some(&inspector), Some(json!({
            "users_affected_at_least": 1000, "disruption_minutes_at_least": null, "regions_affected_at_least": 2,
            "grid": [{"recipient": "DHSC and NHS England", "likelihood_at_least": "likely", "harm_at_least": "adverse"}]
        }))).await;
        assert_eq!(good.status, StatusCode::NO_CONTENT);
        let now = w.api(Method::GET, &format!("/orgs/{regulator}/thresholds"), Some(&inspector), None).await.json();
        assert_eq!((now["users_affected_at_least"].clone(), now["grid"][1]["harm_at_least"].clone()), (json!(1000), json!("adverse")));
    }
}
