//! The publication rules beyond grades, end to end: the NDG-standard DSPT by category with
//! Approaching Standards from an improvement plan (and not twice in a row), the regulator's
//! plan approval and completion moving a CAF-aligned publication's standing, comments on
//! items, mappings and the evidence they offer, and editing a profile.

use crate::util::*;
use hygeia_core::assessments::{AnswerInput, OutcomeInput, StartInput};
use hygeia_core::{ActionInput, CoreError, EvidenceContent, EvidenceInput};
use hygeia_domain::assessments::caf::Grade;
use hygeia_domain::assessments::framework::{NodeKind, Profile};
use hygeia_domain::assessments::mapping::Relation;
use hygeia_domain::evidence::LinkTarget;
use hygeia_testkit::{TestApp, dual_test};

dual_test! {
    async fn the_ndg_dspt_reaches_approaching_standards_once_with_a_plan(backend: Backend) {
        let Some(t) = TestApp::with_demo(backend).await else { return };
        t.app.install_built_in_frameworks().await.unwrap();
        let ndg = t.app.frameworks().await.unwrap().into_iter().find(|f| f.key == "dspt-ndg").unwrap();
        let lead = scope_of(&t.app, &cli(&t.app, "security@riverside.example").await, "RVX").await;
        let siro = scope_of(&t.app, &cli(&t.app, "siro@riverside.example").await, "RVX").await;
        let start = StartInput {
            framework_id: ndg.id.to_string(),
            title: "DSPT 2025-26".into(),
            period: "2025-26".into(),
            due_on: "2026-06-30".into(),
            profile: "category-4".into(),
            ..Default::default()
        };
        let err = t.app.start_assessment(&lead, StartInput { profile: String::new(), ..start.clone() }).await.unwrap_err();
        assert_eq!(fields(err), ["profile"], "the category decides what applies");
        let id = t.app.start_assessment(&lead, start.clone()).await.unwrap();
        let view = t.app.assessment(&lead, id).await.unwrap();
        assert_eq!(view.scorecard.total.items, 45);
        assert_eq!(view.scorecard.status, Some("Standards Not Met"));
        assert_eq!(view.scorecard.gaps.len(), 29);

        // Every item Approaching Standards needs, met.
        let approaching: Vec<String> = view.framework.nodes.iter()
            .filter(|n| n.kind == NodeKind::EvidenceItem && n.approaching_in("category-4"))
            .map(|n| n.ref_id.clone()).collect();
        let answers: Vec<AnswerInput> = approaching.iter()
            .map(|r| AnswerInput { ref_id: r.clone(), value: "met".into(), ..Default::default() }).collect();
        t.app.save_answers(&lead, id, view.assessment.row_version, &answers).await.unwrap();
        let view = t.app.assessment(&lead, id).await.unwrap();
        assert!(view.scorecard.approaching_gaps.is_empty());
        assert_eq!(view.scorecard.gaps.len(), 13, "29 mandatory, 16 of them in the Approaching set");
        assert_eq!(view.scorecard.status, Some("Standards Not Met"), "no plan yet");

        // The generated plan: one action per gap; then Approaching Standards.
        let err = t.app.plan_gaps(&lead, id, "", "someday").await.unwrap_err();
        assert_eq!(fields(err), ["due_on"]);
        assert_eq!(t.app.plan_gaps(&lead, id, "Practice manager", "2026-12-31").await.unwrap(), 13);
        assert_eq!(t.app.plan_gaps(&lead, id, "", "2026-12-31").await.unwrap(), 0, "covered gaps get no second action");
        let view = t.app.assessment(&lead, id).await.unwrap();
        assert!(view.scorecard.unplanned.is_empty());
        assert_eq!(view.scorecard.status, Some("Approaching Standards"));
        t.app.publish_assessment(&siro, id, view.assessment.row_version).await.unwrap();
        let published = t.app.assessment(&lead, id).await.unwrap();
        assert_eq!(published.assessment.standing.as_deref(), Some("Approaching Standards"));

        // The next period cannot publish at Approaching Standards again, plan or not.
        let next = t.app.start_assessment(&lead, StartInput { period: "2026-27".into(), copy_from: id.to_string(), ..start }).await.unwrap();
        t.app.plan_gaps(&lead, next, "", "2027-06-30").await.unwrap();
        let view = t.app.assessment(&lead, next).await.unwrap();
        assert!(view.scorecard.unplanned.is_empty() && view.scorecard.approaching_gaps.is_empty());
        assert_eq!(view.scorecard.status, Some("Standards Not Met"));

        // Comments on an item: a conversation, audited, on real items only.
        let c = t.app.comment_on_item(&lead, next, "1.1.1", "ICO number renewed in May?").await.unwrap();
        assert_eq!(c.author, lead.actor.label());
        assert_eq!(fields(t.app.comment_on_item(&lead, next, "99.9", "x").await.unwrap_err()), ["ref_id"]);
        assert_eq!(fields(t.app.comment_on_item(&lead, next, "1.1.1", "  ").await.unwrap_err()), ["body"]);
        let all = t.app.item_comments(&lead, next, None).await.unwrap();
        assert_eq!(all.len(), 1);
        assert!(t.app.item_comments(&lead, next, Some("1.1.2")).await.unwrap().is_empty());
        let viewer = scope_of(&t.app, &cli(&t.app, "viewer@riverside.example").await, "RVX").await;
        assert!(matches!(t.app.comment_on_item(&viewer, next, "1.1.1", "x").await, Err(CoreError::Forbidden(_))));
    }
}

dual_test! {
    async fn an_approved_plan_moves_a_caf_aligned_publication_to_approaching_then_met(backend: Backend) {
        let Some(t) = TestApp::with_demo(backend).await else { return };
        t.app.install_built_in_frameworks().await.unwrap();
        let dspt = t.app.frameworks().await.unwrap().into_iter().find(|f| f.key == "dspt-caf").unwrap();
        let lead = scope_of(&t.app, &cli(&t.app, "security@riverside.example").await, "RVX").await;
        let siro = scope_of(&t.app, &cli(&t.app, "siro@riverside.example").await, "RVX").await;
        let inspector = scope_of(&t.app, &cli(&t.app, "inspector@regulator.example").await, "X26CA").await;
        let id = t.app.start_assessment(&lead, StartInput {
            framework_id: dspt.id.to_string(), title: "DSPT 2025-26".into(), period: "2025-26".into(),
            due_on: "2026-06-30".into(), profile: "nhs-england-2025-26".into(), ..Default::default()
        }).await.unwrap();
        let v = t.app.assessment(&lead, id).await.unwrap().assessment.row_version;
        t.app.save_outcome(&lead, id, v, &OutcomeInput { ref_id: "E4.a".into(), override_grade: "achieved".into(), override_reason: "Records policy approved and audited in March.".into(), ..Default::default() }).await.unwrap();
        let v = t.app.assessment(&lead, id).await.unwrap().assessment.row_version;
        t.app.publish_assessment(&siro, id, v).await.unwrap();
        assert_eq!(t.app.assessment(&lead, id).await.unwrap().assessment.standing.as_deref(), Some("Standards Not Met"));

        // No plan, nothing to approve; an approval needs its reason.
        assert_eq!(fields(t.app.review_assessment(&inspector, id, "plan_approved", "Plan is credible.").await.unwrap_err()), ["outcome"]);
        assert_eq!(t.app.plan_gaps(&lead, id, "CISO", "2026-06-30").await.unwrap(), 46, "every outcome but E4.a");
        assert_eq!(fields(t.app.review_assessment(&inspector, id, "plan_approved", "").await.unwrap_err()), ["comment"]);
        assert_eq!(fields(t.app.review_assessment(&inspector, id, "plan_completed", "").await.unwrap_err()), ["outcome"], "not yet approaching");
        t.app.review_assessment(&inspector, id, "plan_approved", "Plan is credible and resourced.").await.unwrap();
        assert_eq!(t.app.assessment(&lead, id).await.unwrap().assessment.standing.as_deref(), Some("Approaching Standards"));
        let summary = t.app.sector_summary(&inspector).await.unwrap();
        assert!(summary.results.iter().any(|(k, _, r, n)| k == "dspt-caf" && r == "Approaching Standards" && *n == 1), "{:?}", summary.results);

        // Completed only when every action is done.
        match t.app.review_assessment(&inspector, id, "plan_completed", "").await {
            Err(CoreError::Validation(e)) => assert!(e[0].message.contains("open actions: ACT-"), "{}", e[0].message),
            other => panic!("{other:?}"),
        }
        for row in t.app.assessment_actions(&lead, id).await.unwrap() {
            let a = row.action;
            t.app.update_action(&lead, a.id, ActionInput { title: a.title, detail: a.detail, owner: a.owner, due_on: a.due_on.unwrap_or_default(), status: "done".into() }).await.unwrap();
        }
        t.app.review_assessment(&inspector, id, "plan_completed", "").await.unwrap();
        assert_eq!(t.app.assessment(&lead, id).await.unwrap().assessment.standing.as_deref(), Some("Standards Met"));
    }
}

dual_test! {
    async fn mapped_requirements_offer_evidence_and_profiles_can_be_edited(backend: Backend) {
        let Some(t) = TestApp::with_demo(backend).await else { return };
        t.app.install_built_in_frameworks().await.unwrap();
        let maps = t.app.mappings().await.unwrap();
        assert!(maps.iter().any(|m| m.from == "ncsc-caf" && m.to == "dspt-caf" && m.pairs == 39), "{maps:?}");
        assert_eq!(maps.len(), hygeia_domain::assessments::builtin::MAPPING_FILES.len());
        t.app.install_built_in_frameworks().await.unwrap();
        assert_eq!(t.app.mappings().await.unwrap().len(), maps.len(), "installing twice adds nothing");

        // Evidence for CAF B5.c is offered when answering the DSPT's B5.c, until it is linked.
        let lead = scope_of(&t.app, &cli(&t.app, "security@riverside.example").await, "RVX").await;
        let evidence = t.app.add_evidence(&lead, EvidenceInput {
            title: "Backup restore test, October".into(),
            review_by: String::new(),
            content: EvidenceContent::Link("https://intranet.example/backup-test".into()),
            link: Some((LinkTarget::Requirement, "ncsc-caf:B5.c".into())),
        }).await.unwrap();
        let offers = t.app.evidence_offers(&lead, "dspt-caf", "B5.c", &[]).await.unwrap();
        assert_eq!(offers.len(), 1);
        assert_eq!((offers[0].item.id, offers[0].relation, offers[0].ref_id.as_str()), (evidence, Relation::Equal, "B5.c"));
        assert!(t.app.evidence_offers(&lead, "dspt-caf", "B5.c", &[evidence.0]).await.unwrap().is_empty());
        let ce = t.app.counterparts("cyber-essentials", "4.4").await.unwrap();
        assert!(ce.iter().any(|c| c.framework_key == "ncsc-caf" && c.ref_id == "B2.a" && c.relation == Relation::Superset), "{ce:?}");
        let other = scope_of(&t.app, &cli(&t.app, "practice@meadowlane.example").await, "Y99001").await;
        assert!(t.app.evidence_offers(&other, "dspt-caf", "B5.c", &[]).await.unwrap().is_empty(), "another organisation's evidence is never offered");

        // Importing a mapping: administrators only, every reference real, all or nothing.
        let admin = cli(&t.app, "admin@hygeia.example").await;
        let bad = r#"{"format": "hygeia.mapping/v1", "mapping": {"from": "dtac", "to": "ncsc-caf", "title": "t", "source": "s",
            "pairs": [{"from": "C3.6", "to": "C1.a", "relation": "intersects"}, {"from": "C3.6", "to": "Z9.z", "relation": "equal"}]}}"#;
        assert_eq!(fields(t.app.import_mapping(Some(&admin), "m.json", bad).await.unwrap_err()), ["m.json /mapping/pairs/1/to"]);
        let in_caf = |c: Vec<hygeia_core::mappings::Counterpart>| c.into_iter().filter(|c| c.framework_key == "ncsc-caf").count();
        assert_eq!(in_caf(t.app.counterparts("dtac", "C3.6").await.unwrap()), 1, "the built-in pairs are untouched");
        let good = bad.replace(r#", {"from": "C3.6", "to": "Z9.z", "relation": "equal"}"#, "");
        assert!(matches!(t.app.import_mapping(Some(&lead.actor), "m.json", &good).await, Err(CoreError::Forbidden(_))));
        let m = t.app.import_mapping(Some(&admin), "m.json", &good).await.unwrap();
        assert_eq!(m.pairs, 1);
        assert_eq!(in_caf(t.app.counterparts("dtac", "C3.4").await.unwrap()), 0, "an import replaces the pairs between its frameworks");
        assert!(!t.app.counterparts("dtac", "C3.4").await.unwrap().is_empty(), "and only those: CAF 4.0's stay");

        // Editing the NHS profile: checked like an import, audited, and drafts follow it.
        let dspt = t.app.frameworks().await.unwrap().into_iter().find(|f| f.key == "dspt-caf").unwrap();
        let mut nhs = t.app.framework_by_id(dspt.id).await.unwrap().profile("nhs-england-2025-26").unwrap().clone();
        nhs.minima.insert("A1.a".into(), Some(Grade::Achieved));
        assert!(matches!(t.app.save_profile(&lead.actor, dspt.id, nhs.clone()).await, Err(CoreError::Forbidden(_))));
        let mut wrong = nhs.clone();
        wrong.minima.insert("E4.a".into(), Some(Grade::PartiallyAchieved));
        assert_eq!(fields(t.app.save_profile(&admin, dspt.id, wrong).await.unwrap_err()), ["minima/E4.a"]);
        t.app.save_profile(&admin, dspt.id, nhs).await.unwrap();
        let f = t.app.framework_by_id(dspt.id).await.unwrap();
        assert_eq!(f.profile("nhs-england-2025-26").unwrap().minima["A1.a"], Some(Grade::Achieved));
        t.app.save_profile(&admin, dspt.id, Profile { key: "trust-stretch".into(), title: "Trust stretch target".into(), summary: String::new(), source: None, minima: Default::default() }).await.unwrap();
        let f = t.app.framework_by_id(dspt.id).await.unwrap();
        assert_eq!(f.profiles.iter().map(|p| p.key.as_str()).collect::<Vec<_>>(), ["nhs-england-2025-26", "trust-stretch"]);
        let id = t.app.start_assessment(&lead, StartInput {
            framework_id: dspt.id.to_string(), title: "DSPT".into(), period: "2025-26".into(), due_on: "2026-06-30".into(),
            profile: "nhs-england-2025-26".into(), ..Default::default()
        }).await.unwrap();
        let view = t.app.assessment(&lead, id).await.unwrap();
        assert_eq!(view.scorecard.outcome("A1.a").unwrap().minimum, Some(Grade::Achieved));
    }
}

dual_test! {
    async fn a_caf_4_assessment_carries_forward_from_3_2_through_the_crosswalk(backend: Backend) {
        let Some(t) = TestApp::with_demo(backend).await else { return };
        t.app.install_built_in_frameworks().await.unwrap();
        let library = t.app.frameworks().await.unwrap();
        let id_of = |key: &str| library.iter().find(|f| f.key == key).unwrap().id.to_string();
        let lead = scope_of(&t.app, &cli(&t.app, "security@riverside.example").await, "RVX").await;
        let start = |key: &str, copy_from: String| StartInput {
            framework_id: id_of(key), title: "CAF".into(), period: "2026-27".into(), due_on: "2027-06-30".into(),
            copy_from, ..Default::default()
        };

        // Last year on 3.2: Assurance (then A2.b) answered with a narrative; a statement of
        // A1.a, which 4.0 extends, ticked.
        let old = t.app.start_assessment(&lead, StartInput { period: "2025-26".into(), ..start("ncsc-caf", String::new()) }).await.unwrap();
        let v = t.app.assessment(&lead, old).await.unwrap().assessment.row_version;
        t.app.save_outcome(&lead, old, v, &OutcomeInput { ref_id: "A2.b".into(), ticked: vec!["A2.b.A.1".into(), "A2.b.A.3".into()], narrative: "Annual penetration test and ISO audit.".into(), ..Default::default() }).await.unwrap();
        let v = t.app.assessment(&lead, old).await.unwrap().assessment.row_version;
        t.app.save_outcome(&lead, old, v, &OutcomeInput { ref_id: "A1.a".into(), ticked: vec!["A1.a.A.2".into()], narrative: "Quarterly board reports.".into(), ..Default::default() }).await.unwrap();

        // This year on 4.0: Assurance's answers land on A2.c, the new A2.b stays blank, A1.a
        // keeps its unchanged statement but not the outcome's narrative (4.0 asks more of it).
        let new = t.app.start_assessment(&lead, start("ncsc-caf-4", old.to_string())).await.unwrap();
        let view = t.app.assessment(&lead, new).await.unwrap();
        assert_eq!(view.scorecard.outcomes.len(), 41);
        assert_eq!(view.answers["A2.c"].narrative, "Annual penetration test and ISO audit.");
        assert!(view.answers.contains_key("A2.c.A.1") && view.answers.contains_key("A2.c.A.3"));
        assert!(!view.answers.keys().any(|k| k.starts_with("A2.b")), "{:?}", view.answers.keys());
        assert!(view.answers.contains_key("A1.a.A.2"));
        assert!(!view.answers.contains_key("A1.a"));

        // Evidence linked to 3.2's Assurance is offered for 4.0's A2.c, not for its A2.b.
        let evidence = t.app.add_evidence(&lead, EvidenceInput {
            title: "Penetration test report".into(), review_by: String::new(),
            content: EvidenceContent::Note("Tested in March.".into()),
            link: Some((LinkTarget::Requirement, "ncsc-caf:A2.b".into())),
        }).await.unwrap();
        let offers = t.app.evidence_offers(&lead, "ncsc-caf-4", "A2.c", &[]).await.unwrap();
        assert_eq!(offers.iter().map(|o| (o.item.id, o.relation)).collect::<Vec<_>>(), [(evidence, Relation::Equal)]);
        assert!(t.app.evidence_offers(&lead, "ncsc-caf-4", "A2.b", &[]).await.unwrap().is_empty());

        // Nothing is equal between Cyber Essentials and the CAF: no carrying across.
        let ce = t.app.start_assessment(&lead, start("cyber-essentials", String::new())).await.unwrap();
        assert_eq!(fields(t.app.start_assessment(&lead, start("ncsc-caf-4", ce.to_string())).await.unwrap_err()), ["copy_from"]);
    }
}
