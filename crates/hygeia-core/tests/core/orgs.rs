//! Creating and editing organisations.

use crate::util::*;
use hygeia_core::{CoreError, NewOrg, OrgPatch};
use hygeia_testkit::{TestApp, dual_test};

dual_test! {
    async fn bad_input_names_every_field_and_writes_nothing(backend: Backend) {
        let Some(t) = TestApp::with_demo(backend).await else { return };
        let admin = cli(&t.app, "admin@hygeia.example").await;
        let before = t.app.store().list_orgs(Default::default()).await.unwrap().total;
        let err = t
            .app
            .create_org(Some(&admin), NewOrg {
                name: " ".into(),
                ods_code: "R-1".into(),
                org_type: "hospital".into(),
                regimes: vec!["uk_nis".into(), "nis3".into()],
                parent_ods: Some("NOPE1".into()),
                regulator_ods: Some("RVX".into()),
                ..Default::default()
            })
            .await
            .unwrap_err();
        assert_eq!(fields(err), ["name", "ods_code", "org_type", "regimes", "parent_ods", "regulator_ods"]);
        assert_eq!(t.app.store().list_orgs(Default::default()).await.unwrap().total, before);
    }
}

dual_test! {
    async fn ods_codes_are_unique_and_only_admins_create(backend: Backend) {
        let Some(t) = TestApp::with_demo(backend).await else { return };
        let admin = cli(&t.app, "admin@hygeia.example").await;
        let dup = NewOrg { name: "Copy".into(), ods_code: "rvx".into(), org_type: "trust".into(), ..Default::default() };
        assert!(matches!(t.app.create_org(Some(&admin), dup.clone()).await, Err(CoreError::Conflict(m)) if m.contains("ODS code")));
        let owner = cli(&t.app, "viewer@riverside.example").await;
        let fresh = NewOrg { ods_code: "RZZ".into(), ..dup };
        assert!(matches!(t.app.create_org(Some(&owner), fresh.clone()).await, Err(CoreError::Forbidden(_))));
        let org = t.app.create_org(Some(&admin), fresh).await.unwrap();
        assert_eq!(org.ods_code.as_str(), "RZZ");
    }
}

dual_test! {
    async fn edits_are_audited_with_before_and_after_and_stale_edits_refused(backend: Backend) {
        let Some(t) = TestApp::with_demo(backend).await else { return };
        let admin = cli(&t.app, "admin@hygeia.example").await;
        let user = t.app.create_user(Some(&admin), hygeia_core::NewUser {
            email: "new.owner@riverside.example".into(), display_name: "New Owner".into(),
            password: "quartz-ferry-tulip-77".into(), is_platform_admin: false,
        }).await.unwrap();
        let trust = t.app.org_by_ods("RVX").await.unwrap();
        t.app.add_member_directly(trust.id, user.id, "owner").await.unwrap();
        let owner = cli(&t.app, "new.owner@riverside.example").await;
        let scope = scope_of(&t.app, &owner, "RVX").await;
        let seen = scope.org.updated_at;
        t.clock.advance_ms(1000);
        let after = t.app.update_org(&scope, OrgPatch {
            name: Some("Riverside Hospitals".into()),
            regimes: Some(vec!["uk_nis".into(), "uk_gdpr".into(), "eu_nis2".into()]),
            time_zone: Some("Europe/Dublin".into()),
            expected_updated_at: Some(seen),
            ..Default::default()
        }).await.unwrap();
        assert_eq!(after.name, "Riverside Hospitals");
        let log = t.app.audit_log(&scope, Default::default()).await.unwrap();
        let last = &log.items[0].event;
        assert_eq!(last.action, "org.update");
        assert_eq!(last.actor_label, "new.owner@riverside.example");
        assert_eq!(last.changes["name"], serde_json::json!(["Riverside University Hospitals NHS Foundation Trust", "Riverside Hospitals"]));
        assert_eq!(last.changes["regimes"], serde_json::json!(["uk_nis,uk_gdpr", "uk_nis,uk_gdpr,eu_nis2"]));
        assert!(last.changes.get("is_oes").is_none(), "unchanged fields are not listed");

        let stale = t.app.update_org(&scope, OrgPatch { name: Some("Lost update".into()), expected_updated_at: Some(seen), ..Default::default() }).await;
        assert!(matches!(stale, Err(CoreError::Conflict(_))));
        let bad_tz = t.app.update_org(&scope, OrgPatch { time_zone: Some("Mars/Olympus".into()), ..Default::default() }).await.unwrap_err();
        assert_eq!(fields(bad_tz), ["time_zone"]);
    }
}
