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
        let list = w.get(&format!("/orgs/{org}/incidents"), Some(&cookie)).await;
        assert!(list.body.contains("Phishing of ward staff"));
    }
}
