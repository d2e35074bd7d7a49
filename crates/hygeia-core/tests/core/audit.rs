//! The audit chain: written with every change, verified end to end, tampering found.

use crate::util::*;
use hygeia_core::{NewInvitation, OrgPatch};
use hygeia_testkit::{TestApp, dual_test};

async fn busy(t: &TestApp) -> String {
    let admin = cli(&t.app, "admin@hygeia.example").await;
    let user = t
        .app
        .create_user(
            Some(&admin),
            hygeia_core::NewUser {
                email: "chain.owner@riverside.example".into(),
                display_name: "Chain".into(),
                password: "quartz-ferry-tulip-77".into(),
                is_platform_admin: false,
            },
        )
        .await
        .unwrap();
    let trust = t.app.org_by_ods("RVX").await.unwrap();
    t.app.add_member_directly(trust.id, user.id, "owner").await.unwrap();
    let scope = scope_of(&t.app, &cli(&t.app, "chain.owner@riverside.example").await, "RVX").await;
    for i in 0..5 {
        t.clock.advance_ms(10);
        t.app
            .update_org(
                &scope,
                OrgPatch {
                    name: Some(format!("Riverside {i}")),
                    ..Default::default()
                },
            )
            .await
            .unwrap();
    }
    t.app
        .invite(
            &scope,
            NewInvitation {
                email: "x@riverside.example".into(),
                role: "viewer".into(),
            },
        )
        .await
        .unwrap();
    trust.id.to_string()
}

dual_test! {
    async fn every_change_lands_in_an_intact_chain(backend: Backend) {
        let Some(t) = TestApp::with_demo(backend).await else { return };
        let chain = busy(&t).await;
        let report = t.app.verify_audit().await.unwrap();
        assert!(report.broken.is_none(), "{:?}", report.broken);
        let trust = report.chains.iter().find(|c| c.chain == chain).unwrap();
        // create + 7 demo memberships + owner + 5 edits + 1 invitation
        assert_eq!(trust.records, 15);
        assert!(report.chains.iter().any(|c| c.chain == "platform"));
    }
}

dual_test! {
    async fn a_changed_record_is_found_at_that_record(backend: Backend) {
        let Some(t) = TestApp::with_demo(backend).await else { return };
        let chain = busy(&t).await;
        let n = t.db.execute_raw(&format!("update audit_log set actor_label = 'someone else' where chain = '{chain}' and seq = 9")).await;
        assert_eq!(n, 1);
        let broken = t.app.verify_audit().await.unwrap().broken.expect("tampering found");
        assert_eq!((broken.chain.as_str(), broken.seq), (chain.as_str(), 9));
        assert!(broken.reason.contains("changed"));
    }
}

dual_test! {
    async fn removed_records_are_found_in_the_middle_and_at_the_end(backend: Backend) {
        let Some(t) = TestApp::with_demo(backend).await else { return };
        let chain = busy(&t).await;
        t.db.execute_raw(&format!("delete from audit_log where chain = '{chain}' and seq = 15")).await;
        let broken = t.app.verify_audit().await.unwrap().broken.expect("truncation found");
        assert!(broken.reason.contains("removed"), "{broken:?}");
        t.db.execute_raw(&format!("delete from audit_log where chain = '{chain}' and seq = 3")).await;
        let broken = t.app.verify_audit().await.unwrap().broken.expect("gap found");
        assert_eq!(broken.seq, 3);
        t.db.execute_raw(&format!("delete from audit_heads where chain = '{chain}'")).await;
        let broken = t.app.verify_audit().await.unwrap().broken.expect("missing head found");
        assert_eq!(broken.chain, chain);
    }
}
