//! The asset register: imports with a dry run and a diff, idempotent re-imports, errors that
//! name where, support status on the test clock (14 November 2026), the unsupported systems
//! report with plans and acceptances, the census and lifecycle updates.

use crate::util::{DAY, cli, fields, scope_of};
use hygeia_core::CoreError;
use hygeia_core::assets::ImportOptions;
use hygeia_domain::assets::lifecycle::Support;
use hygeia_domain::page::PageRequest;
use hygeia_testkit::{Backend, TestApp, dual_test};

/// Every stored software record, read by the database's own JSON functions (not by the
/// store's Rust): `with records (org_id, asset_id, esu, product_key, product_id, cycle)`.
fn records(backend: Backend) -> &'static str {
    match backend {
        Backend::Sqlite => {
            "with records as (select l.org_id, l.asset_id, a.esu_enrolled as esu, json_extract(e.value, '$[4]') as product_key, \
             json_extract(e.value, '$[7]') as product_id, json_extract(e.value, '$[8]') as cycle \
             from software_lists l join assets a on a.id = l.asset_id, json_each(l.software) e)"
        }
        Backend::Postgres => {
            "with records as (select l.org_id, l.asset_id, a.esu_enrolled as esu, e ->> 4 as product_key, \
             e ->> 7 as product_id, e ->> 8 as cycle \
             from software_lists l join assets a on a.id = l.asset_id cross join lateral json_array_elements(l.software::json) e)"
        }
    }
}

pub const REGISTER: &str = "Asset Tag,Name,Type,Criticality,Operating System,OS Version,ESU,Software,Internet facing\n\
    RVX-0001,pacs-01,server,critical,Microsoft Windows Server 2012 R2 Standard,,yes,SQL Server 2016,no\n\
    RVX-0002,ward7-pc-01,desktop,medium,Windows 10 Enterprise,10.0.19045.5011,yes,Google Chrome==120.0.6099.71,no\n\
    RVX-0003,ward7-pc-02,desktop,medium,Windows 10 Enterprise,10.0.19045.5011,no,,no\n\
    RVX-0004,web-01,server,high,cpe:2.3:o:microsoft:windows_server_2016:-:*:*:*:*:*:*:*,,no,pkg:npm/lodash@4.17.20,yes\n\
    RVX-0005,infusion-07,medical device,critical,,,no,Acme Infusion Manager==2.1,no\n";

dual_test! {
    async fn a_register_imports_with_a_dry_run_and_reimports_idempotently(backend: Backend) {
        let Some(t) = TestApp::with_demo(backend).await else { return };
        let lead = cli(&t.app, "security@riverside.example").await;
        let scope = scope_of(&t.app, &lead, "RVX").await;
        let dry = ImportOptions { dry_run: true, ..ImportOptions::default() };
        let report = t.app.import_assets(&scope, "register.csv", REGISTER, &dry, None).await.unwrap();
        assert_eq!(report.diff.added.len(), 5);
        assert_eq!(t.db.count("select count(*) from assets").await, 0, "a dry run writes nothing");
        let seen = std::sync::Mutex::new(Vec::new());
        let progress = |done: usize, of: usize| seen.lock().unwrap().push((done, of));
        let report = t.app.import_assets(&scope, "register.csv", REGISTER, &ImportOptions::default(), Some(&progress)).await.unwrap();
        assert_eq!((report.assets, report.software), (5, 8));
        assert_eq!(seen.lock().unwrap().last(), Some(&(5, 5)));
        assert_eq!(report.unknown, vec!["pkg:npm/lodash@4.17.20", "Acme Infusion Manager"], "unknown identities are kept and reported");
        let software = format!("{} select count(*) from records", records(backend));
        assert_eq!(t.db.count(&software).await, 8);
        // The same file again changes nothing.
        let again = t.app.import_assets(&scope, "register.csv", REGISTER, &ImportOptions::default(), None).await.unwrap();
        assert!(again.diff.is_empty(), "{:?}", again.diff);
        assert_eq!(again.diff.unchanged, 5);
        // A changed file: one row gone, one changed, one new.
        let next = REGISTER.replace("RVX-0003,ward7-pc-02,desktop,medium,Windows 10 Enterprise,10.0.19045.5011,no,,no\n", "")
            .replace("RVX-0004,web-01,server,high", "RVX-0004,web-01,server,critical")
            + "RVX-0006,mri-console,medical_device,high,Windows 7 Professional SP1,,no,,no\n";
        let report = t.app.import_assets(&scope, "register.csv", &next, &ImportOptions::default(), None).await.unwrap();
        assert_eq!(report.diff.added, vec!["RVX-0006"]);
        assert_eq!(report.diff.changed, vec![("RVX-0004".to_owned(), vec!["criticality".to_owned()])]);
        assert_eq!(report.diff.removed, vec!["RVX-0003"]);
        assert_eq!(t.db.count("select count(*) from assets").await, 5);
        // The software lists have no foreign keys (migration 0020): the writer keeps them whole.
        let orphans = "select count(*) from software_lists l where not exists \
            (select 1 from assets a where a.id = l.asset_id and a.org_id = l.org_id)";
        assert_eq!(t.db.count(orphans).await, 0, "no software list outlives its asset");
        assert_eq!(t.db.count(&software).await, 8);
        let gone = t.app.assets(&scope, None, Some("pacs-01"), PageRequest::default()).await.unwrap().items[0].id;
        t.app.delete_asset(&scope, gone).await.unwrap();
        assert_eq!(t.db.count(orphans).await, 0, "a deleted asset takes its software with it");
        assert_eq!(t.db.count(&software).await, 6);
        // Export imports back unchanged.
        let csv = t.app.export_assets_csv(&scope).await.unwrap();
        let back = t.app.import_assets(&scope, "export.csv", &csv, &ImportOptions { dry_run: true, ..ImportOptions::default() }, None).await.unwrap();
        assert!(back.diff.is_empty(), "{:?}", back.diff);
        let audit = t.db.count("select count(*) from audit_log where action = 'assets.import'").await;
        assert_eq!(audit, 3);
        assert_eq!(t.db.count("select count(*) from audit_log where action = 'asset.delete'").await, 1);
    }
}

dual_test! {
    async fn bad_files_name_the_place_and_write_nothing(backend: Backend) {
        let Some(t) = TestApp::with_demo(backend).await else { return };
        let lead = cli(&t.app, "security@riverside.example").await;
        let scope = scope_of(&t.app, &lead, "RVX").await;
        let bad = REGISTER.replace("RVX-0004,web-01,server", "RVX-0004,web-01,toaster");
        let e = t.app.import_assets(&scope, "register.csv", &bad, &ImportOptions::default(), None).await.unwrap_err();
        assert_eq!(fields(e), vec!["register.csv line 5, column kind"]);
        let e = t.app.import_assets(&scope, "bom.json", "{\"bomFormat\":\"CycloneDX\",\"specVersion\":\"1.6\",\"components\":[{\"name\":7}]}", &ImportOptions::default(), None).await.unwrap_err();
        assert_eq!(fields(e), vec!["bom.json /components/0/name"]);
        let e = t.app.import_assets(&scope, "x.json", "{\"hello\": 1}", &ImportOptions::default(), None).await.unwrap_err();
        assert_eq!(fields(e), vec!["x.json line 1"]);
        assert_eq!(t.db.count("select count(*) from assets").await, 0);
        // Viewers read the register but cannot import.
        let viewer = cli(&t.app, "viewer@riverside.example").await;
        let vscope = scope_of(&t.app, &viewer, "RVX").await;
        let e = t.app.import_assets(&vscope, "register.csv", REGISTER, &ImportOptions::default(), None).await.unwrap_err();
        assert!(matches!(e, CoreError::Forbidden(_)), "{e:?}");
    }
}

dual_test! {
    async fn support_status_and_the_unsupported_systems_report(backend: Backend) {
        let Some(t) = TestApp::with_demo(backend).await else { return };
        let lead = cli(&t.app, "security@riverside.example").await;
        let scope = scope_of(&t.app, &lead, "RVX").await;
        t.app.import_assets(&scope, "register.csv", REGISTER, &ImportOptions::default(), None).await.unwrap();
        let page = t.app.assets(&scope, None, None, PageRequest::new(Some(50), None)).await.unwrap();
        let status = |name: &str| page.items.iter().find(|a| a.name == name).map(|a| a.support);
        // 14 November 2026: Server 2012 R2's last ESU year ended on 13 October 2026.
        assert_eq!(status("pacs-01"), Some(Support::Unsupported));
        // Windows 10 with ESU bought is covered; without it, unsupported.
        assert_eq!(status("ward7-pc-01"), Some(Support::Unsupported), "Chrome 120 is long out of support");
        assert_eq!(status("ward7-pc-02"), Some(Support::Unsupported));
        // Server 2016 ends on 12 January 2027: within 90 days.
        assert_eq!(status("web-01"), Some(Support::EndingSoon));
        assert_eq!(status("infusion-07"), Some(Support::Unknown));
        let pc = page.items.iter().find(|a| a.name == "ward7-pc-01").unwrap();
        let os = pc.software.iter().find(|s| s.is_os).unwrap();
        assert_eq!(os.support, Support::ExtendedSupport);
        assert_eq!(os.support_ends.map(|d| d.to_string()), Some("2028-10-10".into()));

        let report = t.app.unsupported_report(&scope, 90).await.unwrap();
        let items: Vec<(&str, &str)> = report.unsupported.iter().map(|i| (i.asset_name.as_str(), i.cycle.as_str())).collect();
        assert!(items.contains(&("pacs-01", "2012-r2")), "{items:?}");
        assert!(items.contains(&("pacs-01", "2016")), "SQL Server 2016 ended on 14 July 2026: {items:?}");
        assert!(items.contains(&("ward7-pc-02", "10")));
        assert!(report.ending_soon.iter().any(|i| i.asset_name == "web-01"));
        assert_eq!(report.open_items, report.unsupported.len());
        let pacs = report.unsupported.iter().find(|i| i.cycle == "2012-r2").unwrap();

        // A plan from the security lead; an acceptance only from the senior executive.
        t.app.treat_unsupported(&scope, pacs.asset_id, "windows-server", "2012-r2", false, "Move PACS to Server 2022 in the spring upgrade", "2027-04-30").await.unwrap();
        let e = t.app.treat_unsupported(&scope, pacs.asset_id, "windows-server", "2012-r2", true, "Isolated VLAN", "2027-01-31").await.unwrap_err();
        assert!(matches!(e, CoreError::Forbidden(_)));
        let siro = cli(&t.app, "siro@riverside.example").await;
        let sscope = scope_of(&t.app, &siro, "RVX").await;
        let e = t.app.treat_unsupported(&sscope, pacs.asset_id, "windows-server", "2012-r2", true, "Isolated", "2028-06-01").await.unwrap_err();
        assert_eq!(fields(e), vec!["date"], "an acceptance holds for at most a year");
        t.app.treat_unsupported(&sscope, pacs.asset_id, "windows-server", "2012-r2", true, "Isolated VLAN until the upgrade", "2026-12-31").await.unwrap();
        let report = t.app.unsupported_report(&scope, 90).await.unwrap();
        let pacs = report.unsupported.iter().find(|i| i.cycle == "2012-r2").unwrap();
        assert_eq!(pacs.treatment_state, "accepted");
        assert_eq!(pacs.treatment.as_ref().and_then(|t| t.signed_by.clone()), Some(siro.user.display_name.clone()));
        // Past its date the acceptance lapses and the item is open again.
        t.clock.advance_ms(60 * DAY);
        let report = t.app.unsupported_report(&scope, 90).await.unwrap();
        let pacs = report.unsupported.iter().find(|i| i.cycle == "2012-r2").unwrap();
        assert_eq!(pacs.treatment_state, "acceptance_expired");
        assert_eq!(t.db.count("select count(*) from audit_log where action in ('unsupported.plan', 'unsupported.accept')").await, 2);
    }
}

dual_test! {
    async fn the_census_counts_organisations_and_assets_per_unsupported_release(backend: Backend) {
        let Some(t) = TestApp::with_demo(backend).await else { return };
        let lead = cli(&t.app, "security@riverside.example").await;
        let trust = scope_of(&t.app, &lead, "RVX").await;
        t.app.import_assets(&trust, "register.csv", REGISTER, &ImportOptions::default(), None).await.unwrap();
        let gp = cli(&t.app, "practice@meadowlane.example").await;
        let practice = scope_of(&t.app, &gp, "Y99001").await;
        let csv = "key,name,kind,os\nMLS-1,reception,end_user_device,Windows 7 Professional\nMLS-2,server,server,Windows Server 2012 R2\n";
        t.app.import_assets(&practice, "gp.csv", csv, &ImportOptions::default(), None).await.unwrap();
        let inspector = cli(&t.app, "inspector@regulator.example").await;
        let regulator = scope_of(&t.app, &inspector, "X26CA").await;
        let census = t.app.census(&regulator, None, None, false).await.unwrap();
        let line = census.iter().find(|l| l.product_id == "windows-server" && l.cycle == "2012-r2").unwrap();
        assert_eq!((line.organisations, line.assets, line.assets_in_esu), (2, 2, 1));
        assert_eq!(line.support, Support::Unsupported);
        assert!(census.iter().all(|l| l.support != Support::Supported));
        let gps = t.app.census(&regulator, Some(hygeia_domain::org::OrgType::GpPractice), None, false).await.unwrap();
        let line = gps.iter().find(|l| l.cycle == "2012-r2").unwrap();
        assert_eq!(line.organisations, 1);
        assert!(gps.iter().any(|l| l.product_id == "windows" && l.cycle == "7"));
        assert!(!gps.iter().any(|l| l.product_id == "mssqlserver"));
        // The national team sees the whole sector (no remit): the same two organisations.
        let ncoc = cli(&t.app, "publisher@ncoc.example").await;
        let national = scope_of(&t.app, &ncoc, "X26NC").await;
        let whole = t.app.census(&national, None, None, false).await.unwrap();
        let line = whole.iter().find(|l| l.cycle == "2012-r2").unwrap();
        assert_eq!((line.organisations, line.assets), (2, 2));
        // Narrowed to a parent: the ICB holds both; the care group neither.
        let parents = t.app.census_parents(&regulator).await.unwrap();
        let icb = parents.iter().find(|(_, n)| n == "Riverside Integrated Care Board").unwrap().0;
        let care = parents.iter().find(|(_, n)| n == "Oakwood Care Group").unwrap().0;
        let under_icb = t.app.census(&regulator, None, Some(icb), false).await.unwrap();
        assert_eq!(under_icb.iter().find(|l| l.cycle == "2012-r2").map(|l| l.organisations), Some(2));
        assert!(t.app.census(&regulator, None, Some(care), false).await.unwrap().is_empty());
        // Members of a trust do not see the sector.
        assert!(matches!(t.app.census(&trust, None, None, false).await.unwrap_err(), CoreError::Forbidden(_)));
        // Imports adjust the census lines by what they touched; after a department's file kept
        // beside the register, a changed operating system and ESU enrolment, and a removal, the
        // lines are what a full recount gives.
        let keep = ImportOptions { keep_missing: true, ..ImportOptions::default() };
        let ward = "key,name,kind,os,esu\nW-1,w1,end_user_device,Windows 7 Professional,yes\nW-2,w2,server,Windows Server 2012 R2,no\n";
        t.app.import_assets(&trust, "ward.csv", ward, &keep, None).await.unwrap();
        let ward = "key,name,kind,os,esu\nW-1,w1,end_user_device,Windows 10 Enterprise,no\nW-2,w2,server,Windows Server 2012 R2,yes\n";
        t.app.import_assets(&trust, "ward.csv", ward, &keep, None).await.unwrap();
        let shorter = REGISTER.replace("RVX-0001,pacs-01,server,critical,Microsoft Windows Server 2012 R2 Standard,,yes,SQL Server 2016,no\n", "");
        let shorter = format!("{shorter}W-1,w1,laptop,medium,Windows 10 Enterprise,,no,,no\nW-2,w2,server,high,Windows Server 2012 R2,,yes,,no\n");
        let r = t.app.import_assets(&trust, "register.csv", &shorter, &ImportOptions::default(), None).await.unwrap();
        assert_eq!(r.diff.removed, vec!["RVX-0001"]);
        let recount = format!("{}, r as (select s.org_id, s.product_id, s.cycle, count(distinct s.asset_id) as n, \
            count(distinct case when s.esu then s.asset_id end) as e from records s \
            where s.product_id is not null and s.cycle is not null group by s.org_id, s.product_id, s.cycle) \
            select (select count(*) from r left join software_census c on c.org_id = r.org_id and c.product_id = r.product_id \
            and c.cycle = r.cycle where c.assets is null or c.assets <> r.n or c.esu_assets <> r.e) \
            + (select count(*) from software_census c left join r on c.org_id = r.org_id and c.product_id = r.product_id \
            and c.cycle = r.cycle where r.n is null)", records(backend));
        assert_eq!(t.db.count(&recount).await, 0, "the adjusted census is the recounted one");
        let presence = format!("{}, r as (select s.org_id, s.product_key, coalesce(s.product_id, '') as product_id, \
            coalesce(s.cycle, '') as cycle, count(distinct s.asset_id) as n from records s \
            group by s.org_id, s.product_key, coalesce(s.product_id, ''), coalesce(s.cycle, '')) \
            select (select count(*) from r left join software_presence p on p.org_id = r.org_id and p.product_key = r.product_key \
            and p.product_id = r.product_id and p.cycle = r.cycle where p.assets is null or p.assets <> r.n) \
            + (select count(*) from software_presence p left join r on p.org_id = r.org_id and p.product_key = r.product_key \
            and p.product_id = r.product_id and p.cycle = r.cycle where r.n is null)", records(backend));
        assert_eq!(t.db.count(&presence).await, 0, "the adjusted presence lines are the recounted ones");
        let census = t.app.census(&regulator, None, None, false).await.unwrap();
        let line = census.iter().find(|l| l.product_id == "windows-server" && l.cycle == "2012-r2").unwrap();
        assert_eq!((line.organisations, line.assets, line.assets_in_esu), (2, 2, 1), "pacs-01 went, W-2 came in ESU");
    }
}

dual_test! {
    async fn a_lifecycle_update_changes_dates_and_places_software_it_now_knows(backend: Backend) {
        let Some(t) = TestApp::with_demo(backend).await else { return };
        let lead = cli(&t.app, "security@riverside.example").await;
        let scope = scope_of(&t.app, &lead, "RVX").await;
        let csv = "key,name,kind,software\nA-1,app,application,pkg:generic/acmepacs@5.2\n";
        let report = t.app.import_assets(&scope, "a.csv", csv, &ImportOptions::default(), None).await.unwrap();
        assert_eq!(report.unknown_count, 1);
        let page = "---\ntitle: Acme PACS\npermalink: /acmepacs\nidentifiers:\n  - purl: pkg:generic/acmepacs\nreleases:\n  - releaseCycle: \"5\"\n    releaseDate: 2020-01-01\n    eol: 2025-12-31\n---\n";
        let admin = cli(&t.app, "admin@hygeia.example").await;
        let e = t.app.import_lifecycle(Some(&lead), "acmepacs.md", page, "").await.unwrap_err();
        assert!(matches!(e, CoreError::Forbidden(_)));
        let done = t.app.import_lifecycle(Some(&admin), "acmepacs.md", page, "vendor notice 2025-06").await.unwrap();
        assert_eq!((done.product.as_str(), done.added.clone(), done.newly_placed), ("acmepacs", vec!["5".to_owned()], 1));
        let assets = t.app.assets(&scope, None, None, PageRequest::new(None, None)).await.unwrap();
        assert_eq!(assets.items[0].support, Support::Unsupported);
        // An update of a built-in product keeps what the file cannot know.
        let data = "{\"releases\": {\"2016\": {\"eol\": \"2027-06-30\"}}}";
        let done = t.app.import_lifecycle(None, "windows-server.json", data, "").await.unwrap();
        assert_eq!(done.changed, vec!["2016".to_owned()]);
        let catalogue = t.app.lifecycle_catalogue().await.unwrap();
        let ws = catalogue.products.iter().find(|p| p.id == "windows-server").unwrap();
        assert!(ws.releases.iter().any(|r| r.cycle == "2012-r2" && r.builds == vec!["6.3".to_owned()]));
        let e = t.app.import_lifecycle(None, "bad.json", "{\"releases\": {\"9\": {\"eol\": \"soon\"}}}", "").await.unwrap_err();
        assert_eq!(fields(e), vec!["bad.json /releases/9/eol"]);
    }
}

dual_test! {
    async fn one_asset_by_hand_is_saved_and_found_by_its_key(backend: Backend) {
        let Some(t) = TestApp::with_demo(backend).await else { return };
        let lead = cli(&t.app, "security@riverside.example").await;
        let scope = scope_of(&t.app, &lead, "RVX").await;
        let input: hygeia_domain::assets::asset::AssetInput = serde_json::from_value(serde_json::json!({
            "key": "RVX_100%", "name": "theatre-pc", "kind": "end_user_device", "criticality": "high",
            "os": {"identity": "Windows 7 Professional SP1"}, "software": [{"identity": "Google Chrome", "version": "120.0.1"}]
        }))
        .unwrap();
        let view = t.app.save_asset(&scope, input.clone()).await.unwrap();
        assert_eq!((view.key.as_str(), view.support), ("RVX_100%", Support::Unsupported));
        let again = t.app.save_asset(&scope, input).await.unwrap();
        assert_eq!(again.id, view.id, "the same key is the same asset");
        let bad: hygeia_domain::assets::asset::AssetInput = serde_json::from_value(serde_json::json!({
            "key": "", "name": "x", "kind": "server", "criticality": "low"
        }))
        .unwrap();
        assert_eq!(fields(t.app.save_asset(&scope, bad).await.unwrap_err()), vec!["key"]);
    }
}

dual_test! {
    async fn presence_lines_name_the_few_assets_of_a_product_and_count_the_many(backend: Backend) {
        let Some(t) = TestApp::with_demo(backend).await else { return };
        let lead = cli(&t.app, "security@riverside.example").await;
        let scope = scope_of(&t.app, &lead, "RVX").await;
        let store = t.db.store().await;
        let key = hygeia_domain::assets::asset::SoftwareInput::new("Acme PACS", Some("5.2")).parsed().unwrap().product_key();
        let register = |with_pacs: usize, total: usize| {
            let mut csv = String::from("key,name,kind,software\n");
            for i in 0..total {
                let software = if i < with_pacs { "Acme PACS==5.2; 7-Zip==19.00" } else { "7-Zip==19.00" };
                csv.push_str(&format!("P-{i},pc-{i},server,\"{software}\"\n"));
            }
            csv
        };
        let named = format!("select count(*) from software_presence where product_key = '{key}' and asset_ids is not null");
        let assets = format!("select cast(sum(assets) as bigint) from software_presence where product_key = '{key}'");
        // Forty assets: too many to name, so matching reads the organisation's lists.
        t.app.import_assets(&scope, "r.csv", &register(40, 41), &ImportOptions::default(), None).await.unwrap();
        assert_eq!((t.db.count(&assets).await, t.db.count(&named).await), (40, 0));
        assert_eq!(assets_found(&store, &key).await, 40);
        // Down to three: the organisation is recounted and the line names them.
        t.app.import_assets(&scope, "r.csv", &register(3, 41), &ImportOptions::default(), None).await.unwrap();
        assert_eq!((t.db.count(&assets).await, t.db.count(&named).await), (3, 1));
        assert_eq!(assets_found(&store, &key).await, 3);
        // One more, moved without a recount; then all gone.
        t.app.import_assets(&scope, "r.csv", &register(4, 41), &ImportOptions::default(), None).await.unwrap();
        assert_eq!((t.db.count(&assets).await, t.db.count(&named).await), (4, 1));
        assert_eq!(assets_found(&store, &key).await, 4);
        let pc = t.app.assets(&scope, None, Some("pc-0"), PageRequest::default()).await.unwrap().items[0].id;
        t.app.delete_asset(&scope, pc).await.unwrap();
        assert_eq!(assets_found(&store, &key).await, 3, "a deleted asset is no longer named");
        t.app.import_assets(&scope, "r.csv", &register(0, 41), &ImportOptions::default(), None).await.unwrap();
        assert_eq!(t.db.count(&format!("select count(*) from software_presence where product_key = '{key}'")).await, 0);
        assert_eq!(assets_found(&store, &key).await, 0);
    }
}

/// How many assets matching finds running the product key, across the sector.
async fn assets_found(store: &hygeia_core::Store, key: &str) -> usize {
    let candidates = store.match_candidates(&[key.to_owned()], &[], &[], None).await.unwrap();
    let mut assets: Vec<_> = candidates.iter().map(|c| c.asset_id).collect();
    assets.dedup();
    assets.len()
}
