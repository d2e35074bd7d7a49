//! Signing in: passwords, throttling, sessions, MFA.

use crate::util::*;
use hygeia_core::CoreError;
use hygeia_domain::totp;
use hygeia_store::model::MfaState;
use hygeia_testkit::{TestApp, dual_test};

dual_test! {
    async fn wrong_email_and_wrong_password_answer_alike(backend: Backend) {
        let Some(t) = TestApp::with_demo(backend).await else { return };
        let wrong_password = t.app.sign_in("viewer@riverside.example", "not the password", "192.0.2.9").await;
        let no_account = t.app.sign_in("nobody@riverside.example", "not the password", "192.0.2.9").await;
        assert!(matches!(wrong_password, Err(CoreError::Unauthenticated)));
        assert!(matches!(no_account, Err(CoreError::Unauthenticated)));
        let ok = t.app.sign_in("  Viewer@Riverside.example ", PASSWORD, "192.0.2.9").await.expect("case-insensitive email");
        assert_eq!(ok.session.mfa_state, MfaState::Complete);
    }
}

dual_test! {
    async fn ten_failures_per_account_then_refused_until_the_window_passes(backend: Backend) {
        let Some(t) = TestApp::with_demo(backend).await else { return };
        for i in 0..10 {
            // Different source addresses: the account limit must hold on its own.
            let r = t.app.sign_in("viewer@riverside.example", "wrong", &format!("198.51.100.{i}")).await;
            assert!(matches!(r, Err(CoreError::Unauthenticated)), "attempt {i}");
        }
        let refused = t.app.sign_in("viewer@riverside.example", PASSWORD, "203.0.113.1").await;
        assert!(matches!(refused, Err(CoreError::TooManyAttempts { .. })), "even the right password is refused");
        t.clock.advance_ms(5 * 60_000 + 1);
        assert!(t.app.sign_in("viewer@riverside.example", PASSWORD, "203.0.113.1").await.is_ok());
    }
}

dual_test! {
    async fn ten_failures_per_source_address_then_refused(backend: Backend) {
        let Some(t) = TestApp::with_demo(backend).await else { return };
        for i in 0..10 {
            let _ = t.app.sign_in(&format!("guess{i}@riverside.example"), "wrong", "198.51.100.77").await;
        }
        let refused = t.app.sign_in("viewer@riverside.example", PASSWORD, "198.51.100.77").await;
        assert!(matches!(refused, Err(CoreError::TooManyAttempts { .. })));
        assert!(t.app.sign_in("viewer@riverside.example", PASSWORD, "198.51.100.78").await.is_ok());
    }
}

dual_test! {
    async fn sessions_expire_when_idle_and_at_the_absolute_limit(backend: Backend) {
        let Some(t) = TestApp::with_demo(backend).await else { return };
        assert_eq!((t.app.config().session_idle_ms, t.app.config().session_absolute_ms), (8 * HOUR, 12 * HOUR));
        let signed = t.app.sign_in("viewer@riverside.example", PASSWORD, "192.0.2.1").await.unwrap();
        t.clock.advance_ms(7 * HOUR);
        assert!(t.app.session_actor(token_of(&signed)).await.unwrap().is_some(), "alive, and its idle time restarts");
        t.clock.advance_ms(5 * HOUR - 60_000);
        assert!(t.app.session_actor(token_of(&signed)).await.unwrap().is_some(), "use slid the idle expiry forward");
        t.clock.advance_ms(2 * 60_000);
        assert!(t.app.session_actor(token_of(&signed)).await.unwrap().is_none(), "12 hours after sign-in it ends");

        let other = t.app.sign_in("viewer@riverside.example", PASSWORD, "192.0.2.1").await.unwrap();
        t.clock.advance_ms(8 * HOUR + 1);
        assert!(t.app.session_actor(token_of(&other)).await.unwrap().is_none(), "8 idle hours end it");
    }
}

dual_test! {
    async fn owners_must_set_up_mfa_then_sign_in_with_a_code(backend: Backend) {
        let Some(t) = TestApp::with_demo(backend).await else { return };
        let first = t.app.sign_in("owner@riverside.example", PASSWORD, "192.0.2.1").await.unwrap();
        assert_eq!(first.session.mfa_state, MfaState::SetupRequired);
        let actor = t.app.session_actor(&first.token).await.unwrap().unwrap();
        // Until MFA is on, no organisation data can be reached.
        let org = t.app.org_by_ods("RVX").await.unwrap();
        assert!(matches!(t.app.scope(&actor, org.id).await, Err(CoreError::MfaRequired)));

        let setup = t.app.start_mfa_setup(&actor).await.unwrap();
        assert!(setup.otpauth_uri.starts_with("otpauth://totp/Hygeia:owner@riverside.example?secret="));
        let secret = data_encoding::BASE32_NOPAD.decode(setup.secret_base32.as_bytes()).unwrap();
        let bad = t.app.confirm_mfa_setup(&actor, "000000").await;
        assert!(matches!(bad, Err(CoreError::Validation(ref e)) if e[0].field == "code"));
        let now_s = t.clock_now_s();
        let (codes, fresh) = t.app.confirm_mfa_setup(&actor, &totp::code_at(&secret, now_s)).await.unwrap();
        assert_eq!(codes.len(), 10);
        let fresh = fresh.expect("session replaced");
        assert_ne!(fresh.token, first.token, "the session token rotates when MFA completes");
        assert!(t.app.session_actor(&first.token).await.unwrap().is_none(), "the old token is dead");

        // Next sign-in asks for a code; a replayed code is refused, a fresh one accepted.
        t.clock.advance_ms(31_000);
        let second = t.app.sign_in("owner@riverside.example", PASSWORD, "192.0.2.1").await.unwrap();
        assert_eq!(second.session.mfa_state, MfaState::Pending);
        let user = t.app.user_by_email("owner@riverside.example").await.unwrap();
        let code = totp::code_at(&secret, t.clock_now_s());
        let done = t.app.complete_mfa(&second.session, &user, &code, "192.0.2.1").await.unwrap();
        assert_eq!(done.session.mfa_state, MfaState::Complete);
        let third = t.app.sign_in("owner@riverside.example", PASSWORD, "192.0.2.1").await.unwrap();
        let replay = t.app.complete_mfa(&third.session, &user, &code, "192.0.2.1").await;
        assert!(matches!(replay, Err(CoreError::Validation(_))), "a code works once");

        // A recovery code works once, in any case and with or without dashes.
        let recovery = codes[0].to_uppercase().replace('-', " ");
        assert!(t.app.complete_mfa(&third.session, &user, &recovery, "192.0.2.1").await.is_ok());
        let fourth = t.app.sign_in("owner@riverside.example", PASSWORD, "192.0.2.1").await.unwrap();
        assert!(t.app.complete_mfa(&fourth.session, &user, &codes[0], "192.0.2.1").await.is_err());
        let actor = t.app.session_actor(&done.token).await.unwrap().unwrap();
        assert_eq!(t.app.recovery_codes_left(&actor).await.unwrap(), 9);
        assert!(t.app.scope(&actor, org.id).await.is_ok());
    }
}

trait NowSeconds {
    fn clock_now_s(&self) -> i64;
}

impl NowSeconds for TestApp {
    fn clock_now_s(&self) -> i64 {
        use hygeia_core::clock::Clock;
        self.clock.now_ms() / 1000
    }
}

dual_test! {
    async fn changing_the_password_needs_the_current_one_and_ends_other_sessions(backend: Backend) {
        let Some(t) = TestApp::with_demo(backend).await else { return };
        let other = t.app.sign_in("viewer@riverside.example", PASSWORD, "192.0.2.1").await.unwrap();
        let me = session(&t.app, "viewer@riverside.example").await;
        let wrong = t.app.change_password(&me, "not it", "heron maple cobalt river", "192.0.2.1").await;
        assert!(matches!(wrong, Err(CoreError::Validation(ref e)) if e[0].field == "current_password"));
        let weak = t.app.change_password(&me, PASSWORD, "password2026!", "192.0.2.1").await;
        assert!(matches!(weak, Err(CoreError::Validation(ref e)) if e[0].field == "new_password"));
        t.app.change_password(&me, PASSWORD, "heron maple cobalt river", "192.0.2.1").await.unwrap();
        assert!(t.app.session_actor(&other.token).await.unwrap().is_none(), "other sessions end");
        assert!(t.app.session_actor(&t.app.sign_in("viewer@riverside.example", "heron maple cobalt river", "192.0.2.3").await.unwrap().token).await.unwrap().is_some());
        assert!(matches!(t.app.sign_in("viewer@riverside.example", PASSWORD, "192.0.2.2").await, Err(CoreError::Unauthenticated)));
        assert!(t.app.sign_in("viewer@riverside.example", "heron maple cobalt river", "192.0.2.2").await.is_ok());
    }
}

dual_test! {
    async fn an_operator_can_reset_mfa_for_a_lost_phone(backend: Backend) {
        let Some(t) = TestApp::with_demo(backend).await else { return };
        let signed = t.app.sign_in("owner@riverside.example", PASSWORD, "192.0.2.1").await.unwrap();
        let actor = t.app.session_actor(&signed.token).await.unwrap().unwrap();
        let setup = t.app.start_mfa_setup(&actor).await.unwrap();
        let secret = data_encoding::BASE32_NOPAD.decode(setup.secret_base32.as_bytes()).unwrap();
        let (_, fresh) = t.app.confirm_mfa_setup(&actor, &totp::code_at(&secret, t.clock_now_s())).await.unwrap();
        let fresh = fresh.unwrap();
        t.app.reset_mfa("owner@riverside.example").await.unwrap();
        assert!(t.app.session_actor(&fresh.token).await.unwrap().is_none(), "sessions end");
        let again = t.app.sign_in("owner@riverside.example", PASSWORD, "192.0.2.1").await.unwrap();
        assert_eq!(again.session.mfa_state, MfaState::SetupRequired, "set up again at next sign-in");
        assert!(matches!(t.app.reset_mfa("nobody@riverside.example").await, Err(CoreError::NotFound)));
    }
}
