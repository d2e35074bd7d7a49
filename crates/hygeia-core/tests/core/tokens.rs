//! API tokens: hashed, scoped, expiring, revocable, with last use recorded.

use crate::util::*;
use hygeia_core::{CoreError, NewToken};
use hygeia_testkit::{TestApp, dual_test};

dual_test! {
    async fn tokens_expire_are_revoked_and_record_last_use(backend: Backend) {
        let Some(t) = TestApp::with_demo(backend).await else { return };
        let viewer = session(&t.app, "viewer@riverside.example").await;
        let bad = t.app.create_token(&viewer, NewToken { name: " ".into(), expires_in_days: Some(0), ..Default::default() }).await.unwrap_err();
        assert!(matches!(bad, CoreError::Validation(ref e) if e.iter().map(|e| e.field.as_str()).collect::<Vec<_>>() == ["name", "expires_in_days"]));
        let created = t.app.create_token(&viewer, NewToken { name: "script".into(), expires_in_days: Some(1), ..Default::default() }).await.unwrap();
        assert!(created.secret.starts_with("hyt_"));
        assert!(t.app.my_tokens(&viewer).await.unwrap()[0].last_used_at.is_none());
        assert!(t.app.token_actor(&created.secret).await.unwrap().is_some());
        assert!(t.app.my_tokens(&viewer).await.unwrap()[0].last_used_at.is_some());
        assert!(t.app.token_actor("hyt_made_up").await.unwrap().is_none());
        t.clock.advance_ms(86_400_000 + 1);
        assert!(t.app.token_actor(&created.secret).await.unwrap().is_none(), "expired");

        let second = t.app.create_token(&viewer, NewToken { name: "other".into(), ..Default::default() }).await.unwrap();
        t.app.revoke_token(&viewer, second.token.id).await.unwrap();
        assert!(t.app.token_actor(&second.secret).await.unwrap().is_none(), "revoked");
        assert!(matches!(t.app.revoke_token(&viewer, second.token.id).await, Err(CoreError::NotFound)));
        // Nobody revokes another person's token.
        let third = t.app.create_token(&viewer, NewToken { name: "mine".into(), ..Default::default() }).await.unwrap();
        let other = session(&t.app, "ig@riverside.example").await;
        assert!(matches!(t.app.revoke_token(&other, third.token.id).await, Err(CoreError::NotFound)));
        // Revocation takes effect at once, even for a token that was just used (and cached).
        assert!(t.app.token_actor(&third.secret).await.unwrap().is_some());
        t.app.revoke_token(&viewer, third.token.id).await.unwrap();
        assert!(t.app.token_actor(&third.secret).await.unwrap().is_none(), "no stale cache");
    }
}
