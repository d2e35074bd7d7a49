//! Who reaches which organisation: members, regulators through their remit, token limits.

use crate::util::*;
use hygeia_core::{CoreError, NewToken};
use hygeia_domain::permissions::{Access, Permission};
use hygeia_domain::roles::Role;
use hygeia_testkit::{TestApp, dual_test};

dual_test! {
    async fn members_reach_their_organisation_and_nothing_else(backend: Backend) {
        let Some(t) = TestApp::with_demo(backend).await else { return };
        let viewer = session(&t.app, "viewer@riverside.example").await;
        let trust = t.app.org_by_ods("RVX").await.unwrap();
        let gp = t.app.org_by_ods("Y99001").await.unwrap();
        let scope = t.app.scope(&viewer, trust.id).await.unwrap();
        assert_eq!(scope.grant.access, Access::Member(Role::Viewer));
        assert!(scope.allows(Permission::OrgView));
        assert!(matches!(scope.require(Permission::OrgEdit), Err(CoreError::Forbidden(_))));
        assert!(matches!(t.app.scope(&viewer, gp.id).await, Err(CoreError::NotFound)), "another organisation is not found");
        let random = hygeia_domain::ids::OrgId(uuid::Uuid::now_v7());
        assert!(matches!(t.app.scope(&viewer, random).await, Err(CoreError::NotFound)), "exactly like a missing one");
    }
}

dual_test! {
    async fn regulators_see_their_remit_read_only_and_nothing_outside_it(backend: Backend) {
        let Some(t) = TestApp::with_demo(backend).await else { return };
        let inspector = cli(&t.app, "inspector@regulator.example").await;
        let trust = t.app.org_by_ods("RVX").await.unwrap();
        let scope = t.app.scope(&inspector, trust.id).await.unwrap();
        assert_eq!(scope.grant.access, Access::Oversight(Role::Inspector));
        assert!(scope.allows(Permission::AuditView));
        assert!(!scope.allows(Permission::OrgEdit));
        assert!(!scope.allows(Permission::MembersManage));
        // The national team is not in the regulator's remit.
        let national = t.app.org_by_ods("X26NC").await.unwrap();
        assert!(matches!(t.app.scope(&inspector, national.id).await, Err(CoreError::NotFound)));
        // The remit list is the regulator's own organisations.
        let own = scope_of(&t.app, &inspector, "X26CA").await;
        let remit = t.app.remit(&own, Default::default()).await.unwrap();
        let codes: Vec<&str> = remit.items.iter().map(|o| o.ods_code.as_str()).collect();
        assert_eq!(remit.total, 6, "{codes:?}");
        assert!(codes.contains(&"RVX") && !codes.contains(&"X26NC"));
        // A trust member cannot list a remit.
        let viewer = cli(&t.app, "viewer@riverside.example").await;
        let trust_scope = scope_of(&t.app, &viewer, "RVX").await;
        assert!(matches!(t.app.remit(&trust_scope, Default::default()).await, Err(CoreError::Forbidden(_))));
    }
}

dual_test! {
    async fn tokens_can_be_limited_to_one_organisation_and_to_reading(backend: Backend) {
        let Some(t) = TestApp::with_demo(backend).await else { return };
        let manager = session(&t.app, "manager@oakwood.example").await;
        let home = t.app.org_by_ods("VOK02").await.unwrap();
        let group = t.app.org_by_ods("VOK01").await.unwrap();
        let created = t
            .app
            .create_token(&manager, NewToken { name: "home only".into(), read_only: true, org_id: Some(home.id), expires_in_days: None })
            .await
            .unwrap();
        let via_token = t.app.token_actor(&created.secret).await.unwrap().unwrap();
        let scope = t.app.scope(&via_token, home.id).await.unwrap();
        assert!(scope.grant.read_only);
        assert!(matches!(t.app.scope(&via_token, group.id).await, Err(CoreError::NotFound)));
        assert_eq!(t.app.my_orgs(&via_token).await.unwrap().len(), 1);
        // A token cannot mint another token.
        let minted = t.app.create_token(&via_token, NewToken { name: "escape".into(), ..Default::default() }).await;
        assert!(matches!(minted, Err(CoreError::Forbidden(_))));
    }
}

dual_test! {
    async fn an_organisation_can_require_mfa_of_everyone(backend: Backend) {
        let Some(t) = TestApp::with_demo(backend).await else { return };
        // The demo regulator enforces MFA; so a viewer there would need it. The GP does not.
        let gp_lead = session(&t.app, "practice@meadowlane.example").await;
        let gp = t.app.org_by_ods("Y99001").await.unwrap();
        assert!(t.app.scope(&gp_lead, gp.id).await.is_ok());
        let admin_scope = {
            let admin = cli(&t.app, "admin@hygeia.example").await;
            let new_owner = t.app.create_user(Some(&admin), hygeia_core::NewUser {
                email: "gp.owner@meadowlane.example".into(),
                display_name: "GP Owner".into(),
                password: "quartz-ferry-tulip-77".into(),
                is_platform_admin: false,
            }).await.unwrap();
            t.app.add_member_directly(gp.id, new_owner.id, "owner").await.unwrap();
            scope_of(&t.app, &cli(&t.app, "gp.owner@meadowlane.example").await, "Y99001").await
        };
        t.app.update_org(&admin_scope, hygeia_core::OrgPatch { require_mfa: Some(true), ..Default::default() }).await.unwrap();
        let again = t.app.session_actor(&t.app.sign_in("practice@meadowlane.example", PASSWORD, "192.0.2.1").await.unwrap().token).await.unwrap().unwrap();
        assert!(matches!(t.app.scope(&again, gp.id).await, Err(CoreError::MfaRequired)));
    }
}
