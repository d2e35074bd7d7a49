//! National alerts end to end: the publisher's draft and publication, matching against every
//! organisation's assets with reasons, responses and their deadlines, a group answering for
//! its members, the exposure view, CSAF and KEV imports, and re-matching on asset changes.

use crate::assets::REGISTER;
use crate::util::{HOUR, cli, fields, scope_of};
use hygeia_core::CoreError;
use hygeia_core::alerts::{AlertImport, AlertInput, ProductLineInput, ResponseStep};
use hygeia_core::assets::ImportOptions;
use hygeia_domain::alerts::matching::Verdict;
use hygeia_domain::page::PageRequest;
use hygeia_testkit::{TestApp, dual_test};

fn server_2012_alert() -> AlertInput {
    AlertInput {
        reference: "CC-9001".into(),
        title: "Remote code execution in Windows Server 2012 R2".into(),
        severity: "high".into(),
        summary: "Exploited in the wild.".into(),
        cves: vec!["CVE-2026-12345".into()],
        products: vec![ProductLineInput {
            identity: "cpe:2.3:o:microsoft:windows_server_2012:r2:*:*:*:*:*:*:*".into(),
            versions: None,
            status: None,
        }],
        actions: vec!["Isolate affected servers and apply the out-of-band update.".into()],
        ..AlertInput::default()
    }
}

dual_test! {
    async fn a_published_alert_is_matched_answered_and_seen_across_the_sector(backend: Backend) {
        let Some(t) = TestApp::with_demo(backend).await else { return };
        let lead = cli(&t.app, "security@riverside.example").await;
        let trust = scope_of(&t.app, &lead, "RVX").await;
        t.app.import_assets(&trust, "register.csv", REGISTER, &ImportOptions::default(), None).await.unwrap();
        let publisher = cli(&t.app, "publisher@ncoc.example").await;
        let ncoc = scope_of(&t.app, &publisher, "X26NC").await;
        assert!(matches!(t.app.create_alert(&trust, &server_2012_alert()).await.unwrap_err(), CoreError::Forbidden(_)));
        let draft = t.app.create_alert(&ncoc, &server_2012_alert()).await.unwrap();
        assert_eq!(draft.alert.deadlines.acknowledge_hours, Some(48));
        // Organisations do not see drafts.
        assert!(matches!(t.app.alert(&trust, draft.alert.id).await.unwrap_err(), CoreError::NotFound));
        let published = t.app.publish_alert(&ncoc, draft.alert.id).await.unwrap();
        assert_eq!(published.acknowledge_by, Some(t.app.now_ms() + 48 * HOUR));

        let mine = t.app.alert_response(&trust, draft.alert.id).await.unwrap();
        assert_eq!(mine.prefill, Verdict::Affected);
        assert_eq!(mine.matches.len(), 1);
        assert_eq!(mine.matches[0].asset_name, "pacs-01");
        assert!(mine.prefill_reason.contains("1 asset likely affected"), "{}", mine.prefill_reason);
        let gp = cli(&t.app, "practice@meadowlane.example").await;
        let practice = scope_of(&t.app, &gp, "Y99001").await;
        assert_eq!(t.app.alert_response(&practice, draft.alert.id).await.unwrap().prefill, Verdict::NotAffected);

        // Overriding the pre-fill needs a reason; not affected needs a justification or reason.
        let override_step = ResponseStep::Applicability { applicability: "not_affected".into(), reason: String::new(), justification: None };
        assert_eq!(fields(t.app.respond(&trust, draft.alert.id, &override_step).await.unwrap_err()), vec!["reason"]);
        let e = t.app.respond(&trust, draft.alert.id, &ResponseStep::Update { body: "Working on it".into() }).await.unwrap_err();
        assert!(matches!(e, CoreError::Conflict(_)), "updates come after acknowledging");
        t.clock.advance_ms(50 * HOUR);
        let late = t.app.alert_response(&trust, draft.alert.id).await.unwrap();
        assert!(late.acknowledge_overdue);
        let acked = t.app.respond(&trust, draft.alert.id, &ResponseStep::Acknowledge).await.unwrap();
        assert_eq!(acked.state, "acknowledged");
        assert_eq!(acked.first_update_due, Some(t.app.now_ms() + 3 * 24 * HOUR));
        t.app.respond(&trust, draft.alert.id, &ResponseStep::Applicability { applicability: "affected".into(), reason: String::new(), justification: None }).await.unwrap();
        t.app.respond(&trust, draft.alert.id, &ResponseStep::Update { body: "PACS isolated; update scheduled".into() }).await.unwrap();

        // The national team sees everything; the regulator its remit.
        let all = t.app.alert_exposure(&ncoc, draft.alert.id, "all", PageRequest::new(None, None)).await.unwrap();
        assert_eq!((all.organisations, all.affected, all.acknowledged, all.overdue), (6, 1, 1, 5));
        let affected = t.app.alert_exposure(&ncoc, draft.alert.id, "affected", PageRequest::new(None, None)).await.unwrap();
        assert_eq!(affected.responses.items.len(), 1);
        assert_eq!(affected.responses.items[0].org_name, trust.org.name);
        let inspector = cli(&t.app, "inspector@regulator.example").await;
        let regulator = scope_of(&t.app, &inspector, "X26CA").await;
        let remit = t.app.alert_exposure(&regulator, draft.alert.id, "all", PageRequest::new(None, None)).await.unwrap();
        assert_eq!(remit.organisations, 6);
        let detail = t.app.exposure_detail(&regulator, draft.alert.id, trust.org_id()).await.unwrap();
        assert_eq!(detail.updates.len(), 1);
        let record = t.app.member_alert_record(&regulator, trust.org_id(), PageRequest::new(None, None)).await.unwrap();
        assert_eq!(record.items[0].state, "acknowledged");
        assert!(matches!(t.app.alert_exposure(&trust, draft.alert.id, "all", PageRequest::new(None, None)).await.unwrap_err(), CoreError::Forbidden(_)));

        let closed = t.app.respond(&trust, draft.alert.id, &ResponseStep::Close { remediation: "Upgraded to Server 2022".into() }).await.unwrap();
        assert_eq!(closed.state, "closed");
        let record = t.app.alert_record(&trust, PageRequest::new(None, None)).await.unwrap();
        assert_eq!(record.items.len(), 1);
        assert_eq!(t.db.count("select count(*) from audit_log where action = 'alert.response'").await, 4);
    }
}

dual_test! {
    async fn asset_changes_rematch_alerts_in_force(backend: Backend) {
        let Some(t) = TestApp::with_demo(backend).await else { return };
        let publisher = cli(&t.app, "publisher@ncoc.example").await;
        let ncoc = scope_of(&t.app, &publisher, "X26NC").await;
        let mut input = server_2012_alert();
        input.products.push(ProductLineInput { identity: "Acme Infusion Manager".into(), versions: Some("<=2.1".into()), status: None });
        let draft = t.app.create_alert(&ncoc, &input).await.unwrap();
        t.app.publish_alert(&ncoc, draft.alert.id).await.unwrap();
        let lead = cli(&t.app, "security@riverside.example").await;
        let trust = scope_of(&t.app, &lead, "RVX").await;
        assert_eq!(t.app.alert_response(&trust, draft.alert.id).await.unwrap().prefill, Verdict::NotAffected);
        t.app.import_assets(&trust, "register.csv", REGISTER, &ImportOptions::default(), None).await.unwrap();
        let mine = t.app.alert_response(&trust, draft.alert.id).await.unwrap();
        assert_eq!(mine.prefill, Verdict::Affected);
        let names: Vec<&str> = mine.matches.iter().map(|m| m.asset_name.as_str()).collect();
        assert_eq!(names, vec!["infusion-07", "pacs-01"], "the server by release and the pump by name and range");

        // A re-match that finds what the last one found writes nothing: no pre-fill is
        // marked as matched again, and the matches stay.
        t.clock.advance_ms(HOUR);
        let edited = t.app.now_ms();
        t.app.update_alert(&ncoc, draft.alert.id, &input).await.unwrap();
        let since = |at: i64| format!("select count(*) from alert_responses where matched_at >= {at}");
        assert_eq!(t.db.count(&since(edited)).await, 0);
        assert_eq!(t.db.count("select count(*) from alert_matches").await, 2);

        // One asset upgraded: its match goes, the other stays, and only this pre-fill moves.
        t.clock.advance_ms(HOUR);
        let imported = t.app.now_ms();
        let server_upgraded = REGISTER.replace("Microsoft Windows Server 2012 R2 Standard", "Windows Server 2022");
        t.app.import_assets(&trust, "register.csv", &server_upgraded, &ImportOptions::default(), None).await.unwrap();
        let mine = t.app.alert_response(&trust, draft.alert.id).await.unwrap();
        assert_eq!(mine.prefill, Verdict::Affected);
        assert!(mine.prefill_reason.starts_with("1 asset likely affected"), "{}", mine.prefill_reason);
        let names: Vec<&str> = mine.matches.iter().map(|m| m.asset_name.as_str()).collect();
        assert_eq!(names, vec!["infusion-07"]);
        assert_eq!(t.db.count(&since(imported)).await, 1);

        let upgraded = server_upgraded.replace("Acme Infusion Manager==2.1", "Acme Infusion Manager==2.2");
        t.app.import_assets(&trust, "register.csv", &upgraded, &ImportOptions::default(), None).await.unwrap();
        let mine = t.app.alert_response(&trust, draft.alert.id).await.unwrap();
        assert_eq!(mine.prefill, Verdict::NotAffected, "{}", mine.prefill_reason);
        assert!(mine.matches.is_empty());
        assert_eq!(t.db.count("select count(*) from alert_matches").await, 0);
    }
}

dual_test! {
    async fn a_group_answers_for_members_that_allow_it(backend: Backend) {
        let Some(t) = TestApp::with_demo(backend).await else { return };
        let publisher = cli(&t.app, "publisher@ncoc.example").await;
        let ncoc = scope_of(&t.app, &publisher, "X26NC").await;
        let draft = t.app.create_alert(&ncoc, &server_2012_alert()).await.unwrap();
        t.app.publish_alert(&ncoc, draft.alert.id).await.unwrap();
        let manager = cli(&t.app, "manager@oakwood.example").await;
        let house = scope_of(&t.app, &manager, "VOK02").await;
        let group = scope_of(&t.app, &manager, "VOK01").await;
        let willow = scope_of(&t.app, &manager, "VOK03").await;
        // A group with no parent has nobody to let answer for it.
        assert_eq!(fields(t.app.allow_group_responses(&group, true).await.unwrap_err()), vec!["allow"]);
        t.app.allow_group_responses(&house, true).await.unwrap();
        let members = t.app.alert_members(&group).await.unwrap();
        assert_eq!(members.len(), 1);
        let done = t
            .app
            .respond_for_members(&group, draft.alert.id, &[house.org_id(), willow.org_id()], &ResponseStep::Acknowledge)
            .await
            .unwrap();
        assert!(done[0].1.is_ok());
        assert!(done[1].1.is_err(), "Willow Court did not allow it");
        let answered = t.app.alert_response(&house, draft.alert.id).await.unwrap();
        assert_eq!(answered.acknowledged_by.as_deref(), Some("manager@oakwood.example"));
        let audit = t.db.count(&format!("select count(*) from audit_log where action = 'alert.response' and chain = '{}'", house.org_id())).await;
        assert_eq!(audit, 1, "the answer lands in the member's own audit chain");
    }
}

dual_test! {
    async fn the_red_hat_openssl_sbom_is_matched_by_an_openssl_advisory(backend: Backend) {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/data");
        let Ok(sbom) = std::fs::read_to_string(dir.join("cyclonedx/redhat/openssl-3.0.7-18.el9_2.cdx_1.6.sbom.json")) else {
            eprintln!("skipped: {} is absent", dir.display());
            return;
        };
        let Some(t) = TestApp::with_demo(backend).await else { return };
        let lead = cli(&t.app, "security@riverside.example").await;
        let trust = scope_of(&t.app, &lead, "RVX").await;
        let report = t.app.import_assets(&trust, "openssl.cdx.json", &sbom, &ImportOptions::default(), None).await.unwrap();
        assert_eq!(report.format, "CycloneDX JSON");
        assert!(report.software > 30);
        // The shared advisories hold no openssl fix, so this one is written as Red Hat writes
        // them: the fixed openssl build for RHEL 9 (epoch 1), by package URL.
        let advisory = include_str!("openssl-advisory.json");
        let publisher = cli(&t.app, "publisher@ncoc.example").await;
        let ncoc = scope_of(&t.app, &publisher, "X26NC").await;
        let AlertImport::Csaf { alert, .. } = t.app.import_alert_file(&ncoc, "rhsa.json", advisory).await.unwrap() else { panic!("not CSAF") };
        t.app.publish_alert(&ncoc, alert.alert.id).await.unwrap();
        let mine = t.app.alert_response(&trust, alert.alert.id).await.unwrap();
        assert_eq!(mine.prefill, Verdict::Affected);
        assert!(mine.matches[0].reason.contains("older than the fixed 1:3.0.7-24.el9"), "{}", mine.matches[0].reason);
    }
}

dual_test! {
    async fn every_shared_advisory_and_kev_snapshot_imports(backend: Backend) {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/data");
        if !dir.is_dir() {
            eprintln!("skipped: {} is absent", dir.display());
            return;
        }
        let Some(t) = TestApp::with_demo(backend).await else { return };
        let publisher = cli(&t.app, "publisher@ncoc.example").await;
        let ncoc = scope_of(&t.app, &publisher, "X26NC").await;
        let mut csaf = 0;
        let mut stack = vec![dir.join("csaf")];
        while let Some(d) = stack.pop() {
            for entry in std::fs::read_dir(&d).unwrap().flatten() {
                let p = entry.path();
                let name = p.to_string_lossy().into_owned();
                if p.is_dir() && !name.ends_with("schema") {
                    stack.push(p);
                } else if name.ends_with(".json") && !name.ends_with("feed-tlp-white.json") {
                    let text = std::fs::read_to_string(&p).unwrap();
                    match t.app.import_alert_file(&ncoc, &name, &text).await {
                        Ok(AlertImport::Csaf { .. }) => csaf += 1,
                        other => panic!("{name}: {other:?}"),
                    }
                }
            }
        }
        assert_eq!(csaf, 23);
        let old = std::fs::read_to_string(dir.join("kev/2025-07-28/known_exploited_vulnerabilities.json")).unwrap();
        let new = std::fs::read_to_string(dir.join("kev/2025-08-25/known_exploited_vulnerabilities.json")).unwrap();
        t.app.import_alert_file(&ncoc, "kev-0728.json", &old).await.unwrap();
        let AlertImport::Kev { added, removed, changed, entries, unmapped, .. } = t.app.import_alert_file(&ncoc, "kev-0825.json", &new).await.unwrap() else { panic!() };
        assert_eq!((entries, added.len(), removed.len(), changed.len()), (1404, 13, 0, 4));
        assert!(unmapped > 0 && unmapped < 1404);
        let view = t.app.kev(&ncoc).await.unwrap();
        assert_eq!(view.imports.len(), 2);
        let (vendor, product, _) = view.unmapped[0].clone();
        t.app.confirm_kev_mapping(&ncoc, &vendor, &product, "cpe:2.3:a:example:mapped:*:*:*:*:*:*:*:*").await.unwrap();
        assert!(t.app.kev(&ncoc).await.unwrap().unmapped.len() < view.unmapped.len());
        assert_eq!(fields(t.app.confirm_kev_mapping(&ncoc, "V", "P", "cpe:2.3:x").await.unwrap_err()), vec!["identity"]);
        // The whole catalogue against the sector: the trust runs Windows, so every Windows entry counts it.
        let lead = cli(&t.app, "security@riverside.example").await;
        let trust = scope_of(&t.app, &lead, "RVX").await;
        t.app.import_assets(&trust, "register.csv", REGISTER, &ImportOptions::default(), None).await.unwrap();
        let exposure = t.app.kev_exposure(&ncoc).await.unwrap();
        assert_eq!(exposure.len(), 1404);
        assert!(exposure.iter().any(|e| e.placed_as.as_deref() == Some("windows") && e.organisations == 1));
        let one = t.app.alert_from_kev(&ncoc, "CVE-2025-53770").await.unwrap();
        assert_eq!(one.alert.cves, vec!["CVE-2025-53770".to_owned()]);
        let e = t.app.import_alert_file(&ncoc, "broken.json", &new.replacen("\"dueDate\": \"", "\"dueDate\": \"x", 1)).await.unwrap_err();
        assert!(fields(e)[0].starts_with("broken.json /vulnerabilities/"));
    }
}
