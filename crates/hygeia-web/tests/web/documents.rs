//! Printable documents: notifications and the response plan as PDF, from pages and the API.

use crate::util::*;
use axum::http::{Method, StatusCode};
use hygeia_testkit::dual_test;

dual_test! {
    async fn notifications_and_the_response_plan_come_as_pdf(backend: Backend) {
        let Some(w) = Web::new(backend).await else { return };
        w.t.app.seed_demo_incident().await.unwrap();
        let regulator = w.t.app.org_by_ods("X26CA").await.unwrap().id;
        let trust = w.t.app.org_by_ods("RVX").await.unwrap().id;
        w.enable_mfa("inspector@regulator.example").await;
        let inspector = w.token("inspector@regulator.example").await;
        let inbox = w.api(Method::GET, &format!("/orgs/{regulator}/inbox"), Some(&inspector), None).await.json();
        let received = &inbox["items"][0]["notification"];
        assert!(received.is_object(), "{inbox}");
        let id = received["id"].as_str().unwrap();
        let digest = received["digest"].as_str().unwrap().to_owned();

        let pdf = w.api(Method::GET, &format!("/orgs/{regulator}/inbox/{id}/pdf"), Some(&inspector), None).await;
        assert_eq!(pdf.status, StatusCode::OK, "{}", pdf.body);
        assert_eq!(pdf.header("content-type"), "application/pdf");
        assert!(pdf.header("content-disposition").starts_with("attachment; filename=\"INC-"));
        assert!(pdf.body.starts_with("%PDF-1.4"));
        assert!(pdf.body.contains("Integrity") && pdf.body.contains("Riverside"), "the sender and the digest section are set");
        assert!(pdf.body.contains(&digest), "the digest is printed");

        // The sender prints its own copy from the page; the plan comes the same way.
        let cookie = w.sign_in("security@riverside.example", None).await;
        let sent = w.get(&format!("/orgs/{trust}/notifications/{id}/pdf"), Some(&cookie)).await;
        assert_eq!((sent.status, sent.header("content-type")), (StatusCode::OK, "application/pdf"));
        let plan_page = w.get(&format!("/orgs/{trust}/response-plan"), Some(&cookie)).await;
        assert!(plan_page.body.contains("/response-plan.pdf"));
        let plan = w.get(&format!("/orgs/{trust}/response-plan.pdf"), Some(&cookie)).await;
        assert_eq!(plan.status, StatusCode::OK);
        assert!(plan.body.contains("(Ransomware or malware)") || plan.body.contains("Ransomware"), "every playbook is in it");
        let token = w.token("security@riverside.example").await;
        let api_plan = w.api(Method::GET, &format!("/orgs/{trust}/response-plan/pdf"), Some(&token), None).await;
        assert_eq!(api_plan.body, plan.body, "the same document either way");

        // Another organisation's notification is not found as a PDF either.
        let gp = w.sign_in("practice@meadowlane.example", None).await;
        let gp_org = w.t.app.org_by_ods("Y99001").await.unwrap().id;
        assert_eq!(w.get(&format!("/orgs/{gp_org}/notifications/{id}/pdf"), Some(&gp)).await.status, StatusCode::NOT_FOUND);
    }
}
