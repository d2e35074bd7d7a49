//! Members, roles and invitations.

use crate::util::*;
use hygeia_core::{AcceptInvitation, CoreError, NewInvitation};
use hygeia_store::model::MfaState;
use hygeia_testkit::{TestApp, dual_test};

async fn owner_scope(t: &TestApp, ods: &str) -> hygeia_core::Scope {
    let admin = cli(&t.app, "admin@hygeia.example").await;
    let email = format!("owner.{}@example.nhs.uk", ods.to_lowercase());
    let user = t
        .app
        .create_user(
            Some(&admin),
            hygeia_core::NewUser {
                email: email.clone(),
                display_name: "Owner".into(),
                password: "quartz-ferry-tulip-77".into(),
                is_platform_admin: false,
            },
        )
        .await
        .unwrap();
    let org = t.app.org_by_ods(ods).await.unwrap();
    t.app.add_member_directly(org.id, user.id, "owner").await.unwrap();
    scope_of(&t.app, &cli(&t.app, &email).await, ods).await
}

dual_test! {
    async fn invitation_creates_the_account_and_the_membership_once(backend: Backend) {
        let Some(t) = TestApp::with_demo(backend).await else { return };
        let scope = owner_scope(&t, "Y99001").await;
        let bad = t.app.invite(&scope, NewInvitation { email: "not-an-email".into(), role: "inspector".into() }).await.unwrap_err();
        assert!(matches!(bad, CoreError::Validation(ref e) if e.iter().map(|e| e.field.as_str()).collect::<Vec<_>>() == ["email", "role"]));
        let (inv, token) = t.app.invite(&scope, NewInvitation { email: "Nurse.Lead@MeadowLane.example".into(), role: "ig_lead".into() }).await.unwrap();
        assert_eq!(inv.email.as_str(), "nurse.lead@meadowlane.example");
        assert_eq!(t.app.open_invitations(&scope).await.unwrap().len(), 1);

        let view = t.app.invitation(&token).await.unwrap();
        assert!(!view.account_exists);
        let weak = t.app.accept_invitation(&token, None, Some(AcceptInvitation { display_name: "Nia".into(), password: "password1234".into() })).await;
        assert!(matches!(weak, Err(CoreError::Validation(ref e)) if e[0].field == "password"));
        let (org, session) = t.app.accept_invitation(&token, None, Some(AcceptInvitation { display_name: "Nia Lewis".into(), password: "lantern-orchid-basin-8".into() })).await.unwrap();
        assert_eq!(org, scope.org.id);
        assert_eq!(session.unwrap().session.mfa_state, MfaState::Complete);
        assert!(matches!(t.app.invitation(&token).await, Err(CoreError::NotFound)), "used once");
        let members = t.app.members(&scope, Default::default()).await.unwrap();
        assert!(members.items.iter().any(|m| m.email.as_str() == "nurse.lead@meadowlane.example" && m.role.code() == "ig_lead"));
        let again = t.app.invite(&scope, NewInvitation { email: "nurse.lead@meadowlane.example".into(), role: "viewer".into() }).await;
        assert!(matches!(again, Err(CoreError::Validation(ref e)) if e[0].field == "email"), "already a member");
    }
}

dual_test! {
    async fn invitations_expire_and_can_be_withdrawn(backend: Backend) {
        let Some(t) = TestApp::with_demo(backend).await else { return };
        let scope = owner_scope(&t, "Y99001").await;
        let (_, expiring) = t.app.invite(&scope, NewInvitation { email: "a@meadowlane.example".into(), role: "viewer".into() }).await.unwrap();
        let (withdrawn, token) = t.app.invite(&scope, NewInvitation { email: "b@meadowlane.example".into(), role: "viewer".into() }).await.unwrap();
        t.app.revoke_invitation(&scope, withdrawn.id).await.unwrap();
        assert!(matches!(t.app.invitation(&token).await, Err(CoreError::NotFound)));
        t.clock.advance_ms(t.app.config().invitation_ttl_ms + 1);
        assert!(matches!(t.app.invitation(&expiring).await, Err(CoreError::NotFound)));
    }
}

dual_test! {
    async fn an_existing_account_joins_only_when_signed_in_as_the_invited_address(backend: Backend) {
        let Some(t) = TestApp::with_demo(backend).await else { return };
        let scope = owner_scope(&t, "Y99001").await;
        let (_, token) = t.app.invite(&scope, NewInvitation { email: "viewer@riverside.example".into(), role: "auditor".into() }).await.unwrap();
        assert!(t.app.invitation(&token).await.unwrap().account_exists);
        let anonymous = t.app.accept_invitation(&token, None, Some(AcceptInvitation { display_name: "x".into(), password: "lantern-orchid-basin-8".into() })).await;
        assert!(matches!(anonymous, Err(CoreError::Conflict(_))));
        let someone_else = session(&t.app, "ig@riverside.example").await;
        assert!(matches!(t.app.accept_invitation(&token, Some(&someone_else), None).await, Err(CoreError::Forbidden(_))));
        let invited = session(&t.app, "viewer@riverside.example").await;
        let (org, none) = t.app.accept_invitation(&token, Some(&invited), None).await.unwrap();
        assert!(none.is_none());
        assert!(t.app.scope(&invited, org).await.is_ok());
    }
}

dual_test! {
    async fn roles_change_but_the_last_owner_stays(backend: Backend) {
        let Some(t) = TestApp::with_demo(backend).await else { return };
        let scope = owner_scope(&t, "VOK02").await;
        let me = scope.actor.user.id;
        assert!(matches!(t.app.change_role(&scope, me, "viewer").await, Err(CoreError::Conflict(_))));
        assert!(matches!(t.app.remove_member(&scope, me).await, Err(CoreError::Conflict(_))));
        let manager = t.app.user_by_email("manager@oakwood.example").await.unwrap();
        let wrong = t.app.change_role(&scope, manager.id, "inspector").await.unwrap_err();
        assert!(matches!(wrong, CoreError::Validation(ref e) if e[0].field == "role"), "regulator roles fit only regulators");
        t.app.change_role(&scope, manager.id, "owner").await.unwrap();
        t.app.change_role(&scope, me, "viewer").await.unwrap();
        // Now the old owner is a viewer and cannot manage.
        let demoted = scope_of(&t.app, &scope.actor, "VOK02").await;
        assert!(matches!(t.app.remove_member(&demoted, manager.id).await, Err(CoreError::Forbidden(_))));
        let stranger = hygeia_domain::ids::UserId(uuid::Uuid::now_v7());
        let manager_scope = scope_of(&t.app, &cli(&t.app, "manager@oakwood.example").await, "VOK02").await;
        assert!(matches!(t.app.remove_member(&manager_scope, stranger).await, Err(CoreError::NotFound)));
        t.app.remove_member(&manager_scope, me).await.unwrap();
        assert!(matches!(t.app.scope(&scope.actor, scope.org.id).await, Err(CoreError::NotFound)));
    }
}
