//! The improvement plan and the risk register, in pages and over the API, and on the
//! incident page.

use crate::util::*;
use axum::http::{Method, StatusCode};
use hygeia_testkit::dual_test;
use serde_json::json;

dual_test! {
    async fn actions_and_risks_over_the_api(backend: Backend) {
        let Some(w) = Web::new(backend).await else { return };
        let org = w.t.app.org_by_ods("RVX").await.unwrap().id;
        let token = w.token("security@riverside.example").await;
        let now = w.now_s() * 1000;
        let incident = w.api(Method::POST, &format!("/orgs/{org}/incidents"), Some(&token), Some(json!({
            "title": "Mailbox takeover", "category": "phishing", "severity": "medium",
            "detected_at": jiff::Timestamp::from_millisecond(now - 120_000).unwrap().to_string(),
            "aware_at": jiff::Timestamp::from_millisecond(now - 60_000).unwrap().to_string(),
        }))).await;
        assert_eq!(incident.status, StatusCode::CREATED, "{}", incident.body);
        let inc = incident.json()["id"].as_str().unwrap().to_owned();

        let bad = w.api(Method::POST, &format!("/orgs/{org}/actions"), Some(&token), Some(json!({"title": "", "due_on": "soon"}))).await;
        assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
        let pointers: Vec<String> = bad.json()["errors"].as_array().unwrap().iter().map(|e| e["pointer"].as_str().unwrap().to_owned()).collect();
        assert_eq!(pointers, ["/title", "/due_on"]);
        let added = w.api(Method::POST, &format!("/orgs/{org}/actions"), Some(&token), Some(json!({"title": "Conditional access for mail", "owner": "IT", "due_on": "2027-02-01", "incident_id": inc}))).await;
        assert_eq!(added.status, StatusCode::CREATED, "{}", added.body);
        let action = added.json();
        assert_eq!((action["reference"].as_str(), action["status"].as_str()), (Some("ACT-0001"), Some("open")));
        let id = action["id"].as_str().unwrap();
        let done = w.api(Method::PUT, &format!("/orgs/{org}/actions/{id}"), Some(&token), Some(json!({"title": "Conditional access for mail", "status": "done"}))).await;
        assert_eq!(done.json()["status"], "done");
        assert_eq!(w.api(Method::GET, &format!("/orgs/{org}/actions"), Some(&token), None).await.json()["total"], 0);
        assert_eq!(w.api(Method::GET, &format!("/orgs/{org}/actions?all=true"), Some(&token), None).await.json()["total"], 1);

        let risk = w.api(Method::POST, &format!("/orgs/{org}/risks"), Some(&token), Some(json!({"title": "Mailbox takeover by phishing", "likelihood": 4, "impact": 3, "treatment": "treat", "owner": "SIRO"}))).await;
        assert_eq!(risk.status, StatusCode::CREATED, "{}", risk.body);
        assert_eq!((risk.json()["score"].as_u64(), risk.json()["rating"].as_str()), (Some(12), Some("high")));
        let rid = risk.json()["id"].as_str().unwrap().to_owned();
        let bad = w.api(Method::POST, &format!("/orgs/{org}/risks"), Some(&token), Some(json!({"title": "x", "likelihood": 7, "impact": 1, "treatment": "hope", "owner": "x"}))).await;
        let pointers: Vec<String> = bad.json()["errors"].as_array().unwrap().iter().map(|e| e["pointer"].as_str().unwrap().to_owned()).collect();
        assert_eq!(pointers, ["/likelihood", "/treatment"]);
        let linked = w.api(Method::POST, &format!("/orgs/{org}/risks/{rid}/incidents"), Some(&token), Some(json!({"incident_id": inc}))).await;
        assert_eq!(linked.status, StatusCode::NO_CONTENT, "{}", linked.body);
        let both = w.api(Method::GET, &format!("/orgs/{org}/incidents/{inc}/governance"), Some(&token), None).await.json();
        assert_eq!((both["actions"].as_array().unwrap().len(), both["risks"].as_array().unwrap().len()), (1, 1));
        assert_eq!(w.api(Method::GET, &format!("/orgs/{org}/risks/{rid}"), Some(&token), None).await.json()["incident_ids"][0], inc);
        assert_eq!(w.api(Method::DELETE, &format!("/orgs/{org}/risks/{rid}/incidents/{inc}"), Some(&token), None).await.status, StatusCode::NO_CONTENT);

        // A contributor adds actions but not risks; a viewer reads both.
        let contributor = w.token("contributor@riverside.example").await;
        assert_eq!(w.api(Method::POST, &format!("/orgs/{org}/risks"), Some(&contributor), Some(json!({"title": "x", "likelihood": 1, "impact": 1, "treatment": "treat", "owner": "x"}))).await.status, StatusCode::FORBIDDEN);
        assert_eq!(w.api(Method::POST, &format!("/orgs/{org}/actions"), Some(&contributor), Some(json!({"title": "Patch the mail gateway"}))).await.status, StatusCode::CREATED);
        let viewer = w.token("viewer@riverside.example").await;
        assert_eq!(w.api(Method::GET, &format!("/orgs/{org}/risks"), Some(&viewer), None).await.json()["total"], 1);
    }
}

dual_test! {
    async fn the_plan_the_register_and_the_incident_page(backend: Backend) {
        let Some(w) = Web::new(backend).await else { return };
        let org = w.t.app.org_by_ods("RVX").await.unwrap().id;
        w.t.app.seed_demo_incident().await.unwrap();
        let cookie = w.sign_in("security@riverside.example", None).await;
        let register = w.get(&format!("/orgs/{org}/risks"), Some(&cookie)).await;
        assert_eq!(register.status, StatusCode::OK);
        let csrf = register.csrf();
        let missing = w.post_form(&format!("/orgs/{org}/risks"), Some(&cookie), &[("csrf", &csrf), ("title", "Ransomware encrypts PACS"), ("likelihood", "6")]).await;
        assert_eq!(missing.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(missing.body.contains("must be a whole number from 1 to 5") && missing.body.contains("value=\"Ransomware encrypts PACS\""), "the form keeps what was typed");
        let added = w.post_form(&format!("/orgs/{org}/risks"), Some(&cookie), &[("csrf", &csrf), ("title", "Ransomware encrypts PACS"), ("likelihood", "3"), ("impact", "5"), ("treatment", "treat"), ("owner", "SIRO")]).await;
        assert_eq!(added.status, StatusCode::SEE_OTHER);
        let risk_path = added.header("location").to_owned();
        assert!(w.get(&risk_path, Some(&cookie)).await.body.contains("15 Very high"));

        // On the demo incident: link the risk and raise an action from it.
        let incidents = w.get(&format!("/orgs/{org}/incidents"), Some(&cookie)).await;
        let table = incidents.body.find("id=\"incidents\"").unwrap();
        let start = table + incidents.body[table..].find(&format!("/orgs/{org}/incidents/")).unwrap();
        let incident_path = incidents.body[start..].split('"').next().unwrap().to_owned();
        let page = w.get(&incident_path, Some(&cookie)).await;
        assert!(page.body.contains("Link a risk from the register"));
        let risk_id = risk_path.rsplit('/').next().unwrap();
        let linked = w.post_form(&format!("{incident_path}/risks"), Some(&cookie), &[("csrf", &csrf), ("risk_id", risk_id)]).await;
        assert_eq!(linked.status, StatusCode::SEE_OTHER);
        let no_title = w.post_form(&format!("{incident_path}/actions"), Some(&cookie), &[("csrf", &csrf), ("action_title", "")]).await;
        assert_eq!(no_title.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(no_title.body.contains("id=\"action_title-error\""));
        let action = w.post_form(&format!("{incident_path}/actions"), Some(&cookie), &[("csrf", &csrf), ("action_title", "Offline backups for PACS"), ("action_due_on", "2027-03-01")]).await;
        assert_eq!(action.status, StatusCode::SEE_OTHER);
        let page = w.get(&incident_path, Some(&cookie)).await;
        assert!(page.body.contains("ACT-0001: Offline backups for PACS") && page.body.contains("RSK-0001: Ransomware encrypts PACS"), "{}", page.body);
        assert!(w.get(&risk_path, Some(&cookie)).await.body.contains("INC-2026-0001"));

        // The plan moves the action on, and it returns to the incident when asked.
        let plan = w.get(&format!("/orgs/{org}/actions"), Some(&cookie)).await;
        let marker = format!("/orgs/{org}/actions/");
        let at = plan.body.find(&marker).unwrap() + marker.len();
        let action_id = plan.body[at..].split('/').next().unwrap().to_owned();
        let moved = w.post_form(&format!("/orgs/{org}/actions/{action_id}/status"), Some(&cookie), &[("csrf", &csrf), ("status", "in_progress"), ("back", "incident")]).await;
        assert_eq!(moved.status, StatusCode::SEE_OTHER);
        assert!(moved.header("location").ends_with("#actions") && moved.header("location").contains("/incidents/"));
        assert!(w.get(&incident_path, Some(&cookie)).await.body.contains("In progress)"));
    }
}
