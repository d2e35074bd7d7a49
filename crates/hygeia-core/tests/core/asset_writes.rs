//! The register's write transaction as it meets other writes: an import that finds keys
//! another import added meanwhile keeps their ids, and nothing is written for an
//! organisation that is not there.

use crate::assets::REGISTER;
use crate::util::{cli, scope_of};
use hygeia_core::assets::ImportOptions;
use hygeia_domain::ids::{AssetId, OrgId};
use hygeia_testkit::{TestApp, dual_test};

dual_test! {
    async fn a_write_meeting_keys_another_import_added_keeps_their_ids(backend: Backend) {
        let Some(t) = TestApp::with_demo(backend).await else { return };
        let lead = cli(&t.app, "security@riverside.example").await;
        let scope = scope_of(&t.app, &lead, "RVX").await;
        let store = t.db.store().await;
        t.app.import_assets(&scope, "register.csv", REGISTER, &ImportOptions::default(), None).await.unwrap();
        let org = scope.org_id();
        let first = store.assets_of_source(org, "csv").await.unwrap();
        let lists = "select count(*) from software_lists";
        let census = "select cast(coalesce(sum(assets), 0) as bigint) from software_census";
        let (lists_before, census_before) = (t.db.count(lists).await, t.db.count(census).await);
        // What an import that read the register before the first one wrote would carry: the
        // same keys under ids of its own.
        let late: Vec<_> = first
            .iter()
            .enumerate()
            .map(|(i, a)| hygeia_store::model::AssetRecord { id: AssetId(uuid::Uuid::from_u128(0xfeed_0000 + i as u128)), ..a.clone() })
            .collect();
        let audit = import_audit(&t.app, org, 0xa0d1);
        store.save_assets(org, &late, &[], &audit).await.unwrap();
        let now = store.assets_of_source(org, "csv").await.unwrap();
        let ids = |v: &[hygeia_store::model::AssetRecord]| v.iter().map(|a| (a.key.clone(), a.id)).collect::<Vec<_>>();
        assert_eq!(ids(&now), ids(&first), "the assets keep the ids they had");
        assert_eq!(now.iter().map(|a| &a.software).collect::<Vec<_>>(), first.iter().map(|a| &a.software).collect::<Vec<_>>());
        assert_eq!(t.db.count(lists).await, lists_before, "no list is written under an id no asset has");
        assert_eq!(t.db.count(census).await, census_before, "the lines count each asset once");
    }
}

dual_test! {
    async fn no_asset_is_written_for_an_organisation_that_is_not_there(backend: Backend) {
        // On PostgreSQL the assets have no foreign key to their organisation (migration 0023):
        // the write's lock of the organisation's row is what refuses one that is not there.
        let Some(t) = TestApp::with_demo(backend).await else { return };
        let lead = cli(&t.app, "security@riverside.example").await;
        let scope = scope_of(&t.app, &lead, "RVX").await;
        let store = t.db.store().await;
        t.app.import_assets(&scope, "register.csv", REGISTER, &ImportOptions::default(), None).await.unwrap();
        let nowhere = OrgId(uuid::Uuid::from_u128(0xdead_0001));
        let strays: Vec<_> = store
            .assets_of_source(scope.org_id(), "csv")
            .await
            .unwrap()
            .into_iter()
            .enumerate()
            .map(|(i, a)| hygeia_store::model::AssetRecord {
                id: AssetId(uuid::Uuid::from_u128(0xdead_1000 + i as u128)),
                org_id: nowhere,
                ..a
            })
            .collect();
        let audit = import_audit(&t.app, nowhere, 0xa0d2);
        let (assets, lists, audit_rows) = ("select count(*) from assets", "select count(*) from software_lists", "select count(*) from audit_log");
        let before = (t.db.count(assets).await, t.db.count(lists).await, t.db.count(audit_rows).await);
        let refused = store.save_assets(nowhere, &strays, &[], &audit).await;
        assert!(matches!(refused, Err(hygeia_store::StoreError::NotFound)), "{refused:?}");
        assert_eq!((t.db.count(assets).await, t.db.count(lists).await, t.db.count(audit_rows).await), before, "nothing is written");
        assert!(matches!(store.delete_asset(nowhere, strays[0].id, &audit).await, Err(hygeia_store::StoreError::NotFound)));
    }
}

/// The audit record a store-level import writes in these tests, under the given id.
fn import_audit(app: &hygeia_core::Hygeia, org: OrgId, id: u128) -> hygeia_store::model::NewAudit {
    hygeia_store::model::NewAudit {
        id: hygeia_domain::ids::AuditId(uuid::Uuid::from_u128(id)),
        chain: org.to_string(),
        event: hygeia_domain::audit::AuditEvent {
            at_ms: app.now_ms(),
            actor_id: None,
            actor_label: "system".into(),
            action: "assets.import".into(),
            object_type: "assets".into(),
            object_id: "csv".into(),
            changes: serde_json::json!({}),
        },
    }
}
