//! Migrations that move data: a database written in the shape before the migration reads
//! the same after it.

use hygeia_domain::ids::{AssetId, OrgId};
use hygeia_testkit::{Backend, TestDb, dual_test};

fn id(backend: Backend, id: uuid::Uuid) -> String {
    match backend {
        Backend::Sqlite => format!("x'{}'", id.simple()),
        Backend::Postgres => format!("'{id}'"),
    }
}

dual_test! {
    async fn software_rows_become_one_list_per_asset_with_presence_lines(backend: Backend) {
        let Some(db) = TestDb::new(backend).await else { return };
        let store = hygeia_core::Store::open(Some(&db.url), std::path::Path::new(".")).await.unwrap();
        store.migrate_through(19).await.unwrap();
        let (org, server, blank) = (uuid::Uuid::now_v7(), uuid::Uuid::now_v7(), uuid::Uuid::now_v7());
        let (t, f) = match backend {
            Backend::Sqlite => ("1", "0"),
            Backend::Postgres => ("true", "false"),
        };
        let asset = |a: uuid::Uuid, key: &str| {
            format!(
                "insert into assets (id, org_id, asset_key, name, kind, addresses, criticality, essential_services, \
                 internet_facing, esu_enrolled, source, created_by, created_at, updated_by, updated_at) \
                 values ({}, {}, '{key}', '{key}', 'server', '[]', 'high', '[]', {f}, {t}, 'csv', 't', 0, 't', 0);",
                id(backend, a),
                id(backend, org)
            )
        };
        let software = |ord: i32, os: &str, identity: &str, given: &str, key: &str, version: &str, product: &str, cycle: &str| {
            format!(
                "insert into asset_software (asset_id, ord, org_id, is_os, identity, given_version, id_kind, product_key, \
                 version, scheme, product_id, cycle) values ({}, {ord}, {}, {os}, '{identity}', {given}, 'name', '{key}', \
                 {version}, 'dotted', {product}, {cycle});",
                id(backend, server),
                id(backend, org)
            )
        };
        db.execute_raw(&format!(
            "insert into orgs (id, name, ods_code, org_type, regimes, is_oes, parent_id, regulator_id, require_mfa, time_zone, \
             created_at, updated_at) values ({}, 'Old practice', 'OLD1', 'gp_practice', 'uk_gdpr', {f}, null, null, {f}, \
             'Europe/London', 0, 0);{}{}{}{}",
            id(backend, org),
            asset(server, "S-1"),
            asset(blank, "S-2"),
            // Written out of order: the list keeps the order of `ord`.
            software(1, f, "Acme \"Viewer\"", "null", "name::acme_viewer", "'5.2'", "null", "null"),
            software(0, t, "Windows Server 2012 R2", "'6.3'", "name::windows_server_2012_r2", "null", "'windows-server'", "'2012-r2'"),
        ))
        .await;
        store.migrate().await.unwrap();
        assert_eq!(store.schema_version().await.unwrap(), 23);
        let read = store.get_asset(OrgId(org), AssetId(server)).await.unwrap();
        let lines: Vec<_> = read
            .software
            .iter()
            .map(|s| (s.is_os, s.identity.as_str(), s.given_version.as_deref(), s.product_id.as_deref(), s.cycle.as_deref(), s.version.as_deref()))
            .collect();
        assert_eq!(
            lines,
            vec![
                (true, "Windows Server 2012 R2", Some("6.3"), Some("windows-server"), Some("2012-r2"), None),
                (false, "Acme \"Viewer\"", None, None, None, Some("5.2")),
            ]
        );
        assert!(store.get_asset(OrgId(org), AssetId(blank)).await.unwrap().software.is_empty(), "an asset with no rows runs nothing");
        assert_eq!(db.count("select count(*) from software_lists where unplaced = 1").await, 1);
        assert_eq!(db.count("select count(*) from software_presence").await, 2);
        assert_eq!(db.count("select count(*) from software_presence where product_id = '' and cycle = '' and assets = 1").await, 1);
        let named = format!("select count(*) from software_presence where asset_ids = '[\"{}\"]'", server.simple());
        assert_eq!(db.count(&named).await, 2, "a line of few assets names them");
        // The moved data is what matching reads.
        let found = store.match_candidates(&["name::acme_viewer".to_owned()], &[], &[], None).await.unwrap();
        assert_eq!(found.iter().map(|c| c.asset_id.0).collect::<Vec<_>>(), vec![server]);
    }
}
