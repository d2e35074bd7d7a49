//! The browser flows over HTTP: sign-in, MFA, CSRF, organisation switch, invitations, forms.

use crate::util::*;
use axum::http::StatusCode;
use hygeia_testkit::dual_test;

dual_test! {
    async fn sign_in_then_pages_then_sign_out(backend: Backend) {
        let Some(w) = Web::new(backend).await else { return };
        assert_eq!(w.get("/", None).await.header("location"), "/sign-in");
        let bad = w.post_form("/sign-in", None, &[("email", "viewer@riverside.example"), ("password", "nope")]).await;
        assert_eq!(bad.status, StatusCode::UNAUTHORIZED);
        assert!(bad.body.contains("Enter a correct email address and password"));
        let empty = w.post_form("/sign-in", None, &[("email", ""), ("password", "")]).await;
        assert_eq!(empty.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(empty.body.contains("href=\"#email\"") && empty.body.contains("href=\"#password\""));

        let ok = w.post_form("/sign-in", None, &[("email", "viewer@riverside.example"), ("password", PASSWORD)]).await;
        let set = ok.header("set-cookie").to_owned();
        assert!(set.contains("HttpOnly") && set.contains("SameSite=Lax") && set.starts_with("hygeia_session=hys_"), "{set}");
        let cookie = ok.session_cookie();
        let start = w.get("/", Some(&cookie)).await;
        let org_page = start.header("location").to_owned();
        assert!(org_page.starts_with("/orgs/"));
        let overview = w.get(&org_page, Some(&cookie)).await;
        assert_eq!(overview.status, StatusCode::OK);
        assert!(overview.body.contains("Riverside University Hospitals NHS Foundation Trust"));
        assert!(!overview.body.contains(">Settings<"), "a viewer is not offered settings");

        let csrf = overview.csrf();
        let out = w.post_form("/sign-out", Some(&cookie), &[("csrf", &csrf)]).await;
        assert_eq!(out.header("location"), "/sign-in");
        assert!(out.header("set-cookie").contains("Max-Age=0"));
        assert_eq!(w.get(&org_page, Some(&cookie)).await.header("location"), "/sign-in", "the session is gone");
    }
}

dual_test! {
    async fn forms_without_the_csrf_token_or_from_another_site_are_refused(backend: Backend) {
        let Some(w) = Web::new(backend).await else { return };
        let cookie = w.sign_in("viewer@riverside.example", None).await;
        let missing = w.post_form("/sign-out", Some(&cookie), &[]).await;
        assert_eq!(missing.status, StatusCode::FORBIDDEN);
        let wrong = w.post_form("/sign-out", Some(&cookie), &[("csrf", "forged")]).await;
        assert_eq!(wrong.status, StatusCode::FORBIDDEN);
        let page = w.get("/account", Some(&cookie)).await;
        let req = axum::http::Request::post("/sign-out")
            .header("host", "hygeia.test")
            .header("origin", "https://evil.example")
            .header("cookie", &cookie)
            .header("content-type", "application/x-www-form-urlencoded")
            .body(axum::body::Body::from(format!("csrf={}", page.csrf())))
            .unwrap();
        assert_eq!(w.send(req).await.status, StatusCode::FORBIDDEN);
        assert_eq!(w.get("/account", Some(&cookie)).await.status, StatusCode::OK, "still signed in");
    }
}

dual_test! {
    async fn mfa_set_up_and_sign_in_through_the_pages(backend: Backend) {
        let Some(w) = Web::new(backend).await else { return };
        let first = w.post_form("/sign-in", None, &[("email", "inspector@regulator.example"), ("password", PASSWORD)]).await;
        assert_eq!(first.header("location"), "/account/mfa", "regulators must set up MFA");
        let cookie = first.session_cookie();
        assert_eq!(w.get("/", Some(&cookie)).await.header("location"), "/account/mfa", "nothing else until then");
        let setup = w.get("/account/mfa", Some(&cookie)).await;
        assert!(setup.body.contains("<svg"), "a QR code");
        let marker = "id=\"totp-secret\">";
        let start = setup.body.find(marker).unwrap() + marker.len();
        let secret_b32 = setup.body[start..].split('<').next().unwrap().to_owned();
        let secret = data_encoding::BASE32_NOPAD.decode(secret_b32.as_bytes()).unwrap();
        let wrong = w.post_form("/account/mfa", Some(&cookie), &[("csrf", &setup.csrf()), ("code", "123456")]).await;
        assert_eq!(wrong.status, StatusCode::UNPROCESSABLE_ENTITY);
        let secret_after_error = {
            let start = wrong.body.find(marker).unwrap() + marker.len();
            wrong.body[start..].split('<').next().unwrap().to_owned()
        };
        let secret = if secret_after_error == secret_b32 { secret } else { data_encoding::BASE32_NOPAD.decode(secret_after_error.as_bytes()).unwrap() };
        let code = hygeia_domain::totp::code_at(&secret, w.now_s());
        let done = w.post_form("/account/mfa", Some(&cookie), &[("csrf", &wrong.csrf()), ("code", &code)]).await;
        assert_eq!(done.status, StatusCode::OK);
        assert!(done.body.contains("Save your recovery codes"));
        let fresh = done.session_cookie();
        assert_ne!(fresh, cookie, "the session is replaced");
        assert_eq!(w.get("/", Some(&cookie)).await.header("location"), "/sign-in", "the old cookie is dead");
        assert!(w.get("/", Some(&fresh)).await.header("location").starts_with("/orgs/"));

        let again = w.sign_in("inspector@regulator.example", Some(&secret)).await;
        let orgs = w.get("/", Some(&again)).await.header("location").to_owned();
        let oversight = w.get(&format!("{orgs}/oversight"), Some(&again)).await;
        assert_eq!(oversight.status, StatusCode::OK);
        assert!(oversight.body.contains("Meadow Lane Surgery"));
    }
}

dual_test! {
    async fn switching_organisation_and_inviting_a_member(backend: Backend) {
        let Some(w) = Web::new(backend).await else { return };
        let secret = w.enable_mfa("owner@riverside.example").await;
        let cookie = w.sign_in("owner@riverside.example", Some(&secret)).await;
        let trust = w.t.app.org_by_ods("RVX").await.unwrap();
        let members = w.get(&format!("/orgs/{}/members", trust.id), Some(&cookie)).await;
        assert_eq!(members.status, StatusCode::OK);
        let csrf = members.csrf();
        let bad = w.post_form(&format!("/orgs/{}/invitations", trust.id), Some(&cookie), &[("csrf", &csrf), ("email", "nope"), ("role", "inspector")]).await;
        assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(bad.body.contains("href=\"#email\"") && bad.body.contains("href=\"#role\""));
        let made = w.post_form(&format!("/orgs/{}/invitations", trust.id), Some(&cookie), &[("csrf", &csrf), ("email", "new.nurse@riverside.example"), ("role", "contributor")]).await;
        assert_eq!(made.status, StatusCode::OK);
        let marker = "id=\"invitation-link\">";
        let start = made.body.find(marker).unwrap() + marker.len();
        let link = made.body[start..].split('<').next().unwrap().to_owned();
        let path = link.strip_prefix("http://hygeia.test").unwrap().to_owned();
        // With a configured public address, links use it rather than the request's Host.
        let configured = hygeia_web::WebConfig { public_url: Some("https://hygeia.example.nhs.uk/".into()), ..Default::default() };
        let router = hygeia_web::router(hygeia_web::AppState::new(w.t.app.clone(), configured));
        let req = axum::http::Request::post(format!("/orgs/{}/invitations", trust.id))
            .header("host", "attacker.example")
            .header("cookie", &cookie)
            .header("content-type", "application/x-www-form-urlencoded")
            .body(axum::body::Body::from(format!("csrf={csrf}&email=second.nurse%40riverside.example&role=viewer")))
            .unwrap();
        let reply = tower::ServiceExt::oneshot(router, req).await.unwrap();
        let body = http_body_util::BodyExt::collect(reply.into_body()).await.unwrap().to_bytes();
        assert!(String::from_utf8_lossy(&body).contains("https://hygeia.example.nhs.uk/invitations/hyi_"));
        let invite = w.get(&path, None).await;
        assert!(invite.body.contains("Create your account"));
        let joined = w.post_form(&path, None, &[("display_name", "New Nurse"), ("password", "heron-maple-cobalt-19")]).await;
        assert_eq!(joined.status, StatusCode::SEE_OTHER, "{}", joined.body);
        let nurse = joined.session_cookie();
        assert_eq!(w.get("/", Some(&nurse)).await.header("location"), format!("/orgs/{}", trust.id));

        // The security lead is in two organisations and switches between them.
        let lead = w.sign_in("security@riverside.example", None).await;
        let account = w.get("/account", Some(&lead)).await;
        let icb = w.t.app.org_by_ods("QRV").await.unwrap();
        let other = if account.body.contains(&format!("name=\"org_id\" value=\"{}\"", trust.id)) { trust.id } else { icb.id };
        let switched = w.post_form("/session/org", Some(&lead), &[("csrf", &account.csrf()), ("org_id", &other.to_string())]).await;
        assert_eq!(switched.header("location"), format!("/orgs/{other}"));
        assert_eq!(w.get("/", Some(&lead)).await.header("location"), format!("/orgs/{other}"), "remembered in the session");
    }
}

dual_test! {
    async fn changing_the_password_through_the_page(backend: Backend) {
        let Some(w) = Web::new(backend).await else { return };
        let cookie = w.sign_in("viewer@riverside.example", None).await;
        let form = w.get("/account/password", Some(&cookie)).await;
        assert_eq!(form.status, StatusCode::OK);
        let csrf = form.csrf();
        let wrong = w.post_form("/account/password", Some(&cookie), &[("csrf", &csrf), ("current_password", "nope"), ("new_password", "heron maple cobalt river")]).await;
        assert_eq!(wrong.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(wrong.body.contains("href=\"#current_password\""));
        let done = w.post_form("/account/password", Some(&cookie), &[("csrf", &csrf), ("current_password", PASSWORD), ("new_password", "heron maple cobalt river")]).await;
        assert_eq!(done.status, StatusCode::OK);
        assert!(done.body.contains("Your password was changed"));
        assert_eq!(w.get("/account", Some(&cookie)).await.status, StatusCode::OK, "this session stays signed in");
    }
}
