//! The signed webhook's settings, in the page and over the API.

use crate::util::*;
use axum::http::{Method, StatusCode};
use hygeia_testkit::dual_test;
use serde_json::json;

dual_test! {
    async fn the_webhook_is_set_shown_once_and_removed(backend: Backend) {
        let Some(w) = Web::new(backend).await else { return };
        let org = w.t.app.org_by_ods("RVX").await.unwrap().id;
        let mfa = w.enable_mfa("owner@riverside.example").await;
        let token = w.token("owner@riverside.example").await;
        let path = format!("/orgs/{org}/webhook");
        assert_eq!(w.api(Method::GET, &path, Some(&token), None).await.status, StatusCode::NOT_FOUND);
        let bad = w.api(Method::PUT, &path, Some(&token), Some(json!({"url": "http://siem.example.nhs.uk/in"}))).await;
        assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(bad.json()["errors"][0]["pointer"], "/url");
        let set = w.api(Method::PUT, &path, Some(&token), Some(json!({"url": "https://siem.example.nhs.uk/in"}))).await;
        assert_eq!(set.status, StatusCode::OK, "{}", set.body);
        let secret = set.json()["secret"].as_str().unwrap().to_owned();
        let got = w.api(Method::GET, &path, Some(&token), None).await;
        assert_eq!(got.json()["url"], "https://siem.example.nhs.uk/in");
        assert!(!got.body.contains(&secret), "the secret is never shown again");
        let lead = w.token("security@riverside.example").await;
        assert_eq!(w.api(Method::PUT, &path, Some(&lead), Some(json!({"url": "https://x.example"}))).await.status, StatusCode::FORBIDDEN);

        // The page: a new secret on the answer to the form, and not on the next visit.
        let cookie = w.sign_in("owner@riverside.example", Some(&mfa)).await;
        let page = w.get(&format!("/orgs/{org}/settings/webhook"), Some(&cookie)).await;
        assert!(page.body.contains("Sending to https://siem.example.nhs.uk/in"));
        let csrf = page.csrf();
        let posted = w.post_form(&format!("/orgs/{org}/settings/webhook"), Some(&cookie), &[("csrf", &csrf), ("url", "https://siem.example.nhs.uk/v2")]).await;
        assert_eq!(posted.status, StatusCode::OK);
        assert!(posted.body.contains("id=\"new-secret\"") && posted.body.contains("whsec_"));
        assert!(!w.get(&format!("/orgs/{org}/settings/webhook"), Some(&cookie)).await.body.contains("whsec_"));
        let removed = w.post_form(&format!("/orgs/{org}/settings/webhook/remove"), Some(&cookie), &[("csrf", &csrf)]).await;
        assert_eq!(removed.status, StatusCode::SEE_OTHER);
        assert_eq!(w.api(Method::DELETE, &path, Some(&token), None).await.status, StatusCode::NOT_FOUND, "nothing left to remove");
    }
}
