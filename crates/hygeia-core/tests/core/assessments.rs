//! Assessments end to end through the use cases: start with a profile, tick CAF statements,
//! grades and gaps, overrides, evidence, sign-off by the senior executive only, the sealed
//! snapshot, carrying answers forward, supersession, and the regulator's view and review.

use crate::util::*;
use hygeia_core::assessments::{AnswerInput, OutcomeInput, StartInput};
use hygeia_core::{CoreError, EvidenceContent, EvidenceInput};
use hygeia_domain::assessments::caf::Grade;
use hygeia_domain::assessments::record::{self, Status};
use hygeia_domain::evidence::LinkTarget;
use hygeia_testkit::{TestApp, dual_test};

dual_test! {
    async fn a_caf_assessment_from_start_to_the_regulators_review(backend: Backend) {
        let Some(t) = TestApp::with_demo(backend).await else { return };
        assert_eq!(t.app.install_built_in_frameworks().await.unwrap(), hygeia_domain::assessments::builtin::FILES.len());
        assert_eq!(t.app.install_built_in_frameworks().await.unwrap(), 0, "installing twice adds nothing");
        let caf = t.app.frameworks().await.unwrap().into_iter().find(|f| f.key == "ncsc-caf" && f.version == "3.2").unwrap();
        assert_eq!(caf.origin, "built_in");
        let lead = scope_of(&t.app, &cli(&t.app, "security@riverside.example").await, "RVX").await;

        // Starting checks every field, the profile and the framework.
        let err = t.app.start_assessment(&lead, StartInput { framework_id: "nope".into(), due_on: "soon".into(), ..Default::default() }).await.unwrap_err();
        assert_eq!(fields(err), ["framework_id", "title", "period", "due_on"]);
        let start = StartInput {
            framework_id: caf.id.to_string(),
            title: "CAF self-assessment: patient administration system".into(),
            period: "2025-26".into(),
            due_on: "2026-06-30".into(),
            scope: "PAS and its integration engine".into(),
            profile: "govassure-baseline".into(),
            copy_from: String::new(),
        };
        let err = t.app.start_assessment(&lead, StartInput { profile: "nhs-gold".into(), ..start.clone() }).await.unwrap_err();
        assert_eq!(fields(err), ["profile"]);
        let id = t.app.start_assessment(&lead, start.clone()).await.unwrap();
        let view = t.app.assessment(&lead, id).await.unwrap();
        assert_eq!(view.assessment.reference, "ASM-0001");
        assert_eq!(view.scorecard.outcomes.len(), 39);
        assert_eq!(view.scorecard.total.answered, 0);
        assert_eq!(view.profile_title(), Some("GovAssure Baseline"));

        // A2.a: every Partially-achieved statement true and no Not-achieved one → Partially
        // achieved, which meets Baseline (PA) but would not meet Enhanced (A).
        let pa: Vec<String> = view.framework.nodes.iter()
            .filter(|n| n.parent.as_deref() == Some("A2.a") && n.level.as_deref() == Some("PA"))
            .map(|n| n.ref_id.clone()).collect();
        let v = view.assessment.row_version;
        t.app.save_outcome(&lead, id, v, &OutcomeInput { ref_id: "A2.a".into(), ticked: pa.clone(), narrative: "Risk process in place; threat model pending.".into(), ..Default::default() }).await.unwrap();
        let err = t.app.save_outcome(&lead, id, v, &OutcomeInput { ref_id: "A2.a".into(), ..Default::default() }).await.unwrap_err();
        assert!(matches!(err, CoreError::Conflict(_)), "a stale version is refused: {err:?}");
        let view = t.app.assessment(&lead, id).await.unwrap();
        let a2a = view.scorecard.outcome("A2.a").unwrap();
        assert_eq!((a2a.grade, a2a.meets_profile, a2a.answered), (Grade::PartiallyAchieved, Some(true), true));
        assert_eq!(view.answers["A2.a"].narrative, "Risk process in place; threat model pending.");

        // A1.a has no Partially-achieved column: a PA override is refused; an Achieved one needs
        // a reason and is shown as an override.
        let v = view.assessment.row_version;
        let err = t.app.save_outcome(&lead, id, v, &OutcomeInput { ref_id: "A1.a".into(), override_grade: "partially_achieved".into(), override_reason: "The board met twice on cyber this year.".into(), ticked: vec!["A1.a.Z.9".into()], ..Default::default() }).await.unwrap_err();
        assert_eq!(fields(err), ["ticked", "override_grade"]);
        t.app.save_outcome(&lead, id, v, &OutcomeInput { ref_id: "A1.a".into(), ticked: vec!["A1.a.NA.1".into()], override_grade: "achieved".into(), override_reason: "Board minutes show quarterly cyber reports since May.".into(), ..Default::default() }).await.unwrap();
        let view = t.app.assessment(&lead, id).await.unwrap();
        let a1a = view.scorecard.outcome("A1.a").unwrap();
        assert_eq!((a1a.rule_grade, a1a.grade, a1a.overridden), (Grade::NotAchieved, Grade::Achieved, true));

        // Generic answers are checked against the node's kind and located by JSON pointer.
        let err = t.app.save_answers(&lead, id, view.assessment.row_version, &[
            AnswerInput { ref_id: "B5.c".into(), value: "met".into(), ..Default::default() },
            AnswerInput { ref_id: "Z9.z".into(), ..Default::default() },
        ]).await.unwrap_err();
        assert_eq!(fields(err), ["/answers/0/value", "/answers/1/ref_id"]);
        t.app.save_answers(&lead, id, view.assessment.row_version, &[
            AnswerInput { ref_id: "B5.c".into(), value: "assessed".into(), owner: "Head of infrastructure".into(), flagged: true, ..Default::default() },
        ]).await.unwrap();

        // Evidence linked to a requirement shows on the assessment, and is sealed by hash.
        let evidence = t.app.add_evidence(&lead, EvidenceInput {
            title: "Backup restore test, October".into(),
            review_by: String::new(),
            content: EvidenceContent::Link("https://intranet.example/backup-test".into()),
            link: Some((LinkTarget::Requirement, "ncsc-caf:B5.c".into())),
        }).await.unwrap();
        assert!(t.app.add_evidence(&lead, EvidenceInput {
            title: "Nowhere".into(), review_by: String::new(),
            content: EvidenceContent::Note("n".into()),
            link: Some((LinkTarget::Requirement, "ncsc-caf:Z9.z".into())),
        }).await.is_err(), "a requirement that no framework has cannot be linked");
        let view = t.app.assessment(&lead, id).await.unwrap();
        assert_eq!(view.evidence["B5.c"][0].id, evidence);
        assert_eq!(view.scorecard.total.flagged, 1);
        assert_eq!(view.scorecard.total.answered, 3);

        // Only the senior executive publishes.
        let v = view.assessment.row_version;
        assert!(matches!(t.app.publish_assessment(&lead, id, v).await, Err(CoreError::Forbidden(_))));
        let siro = scope_of(&t.app, &cli(&t.app, "siro@riverside.example").await, "RVX").await;
        assert!(matches!(t.app.publish_assessment(&siro, id, v - 1).await, Err(CoreError::Conflict(_))));
        let digest = t.app.publish_assessment(&siro, id, v).await.unwrap();
        let published = t.app.assessment(&siro, id).await.unwrap();
        assert_eq!(published.assessment.status, Status::Published);
        assert_eq!(published.assessment.digest.as_deref(), Some(digest.as_str()));
        assert_eq!(published.assessment.result.as_deref(), Some("4 of 39 outcomes meet the profile"));

        // The snapshot recomputes to the digest; edits are refused with a clear message.
        let snapshot: serde_json::Value = serde_json::from_str(&t.app.assessment_snapshot(&siro, id).await.unwrap()).unwrap();
        assert_eq!(record::digest(&snapshot), digest);
        assert_eq!(snapshot["evidence"]["B5.c"][0]["url"], "https://intranet.example/backup-test");
        assert_eq!(snapshot["answers"]["A1.a"]["override"]["grade"], "achieved");
        match t.app.save_outcome(&lead, id, published.assessment.row_version, &OutcomeInput { ref_id: "A2.a".into(), ..Default::default() }).await {
            Err(CoreError::Conflict(m)) => assert!(m.contains("ASM-0001 is published and cannot change"), "{m}"),
            other => panic!("{other:?}"),
        }

        // Auditors see it now it is published, but not drafts.
        let auditor = scope_of(&t.app, &cli(&t.app, "auditor@assurance.example").await, "RVX").await;
        assert!(t.app.assessment(&auditor, id).await.is_ok());

        // A revision carries answers forward and supersedes the first on publication.
        let second = t.app.start_assessment(&lead, StartInput { copy_from: id.to_string(), ..start.clone() }).await.unwrap();
        assert!(matches!(t.app.assessment(&auditor, second).await, Err(CoreError::NotFound)), "auditors do not see drafts");
        let seen = t.app.assessments(&auditor, Default::default()).await.unwrap();
        assert_eq!((seen.items.len(), seen.total), (1, 1), "auditors neither see nor count drafts");
        let draft = t.app.assessment(&lead, second).await.unwrap();
        assert_eq!(draft.scorecard.outcome("A2.a").unwrap().grade, Grade::PartiallyAchieved);
        assert_eq!(draft.answers["A1.a"].assessor_override.as_ref().unwrap().grade, Grade::Achieved);
        t.app.publish_assessment(&siro, second, draft.assessment.row_version).await.unwrap();
        let first = t.app.assessment(&lead, id).await.unwrap();
        assert_eq!(first.assessment.status, Status::Superseded);
        let second_view = t.app.assessment(&lead, second).await.unwrap();
        assert_eq!((second_view.assessment.version, second_view.assessment.supersedes), (2, Some(id)));

        // The regulator sees the published one across its remit and records a review.
        let inspector = scope_of(&t.app, &cli(&t.app, "inspector@regulator.example").await, "X26CA").await;
        let remit = t.app.remit_assessments(&inspector, Default::default()).await.unwrap();
        assert_eq!(remit.items.len(), 1);
        assert_eq!(remit.items[0].assessment.id, second);
        assert_eq!(remit.items[0].org_name, "Riverside University Hospitals NHS Foundation Trust");
        let err = t.app.review_assessment(&inspector, second, "challenged", "").await.unwrap_err();
        assert_eq!(fields(err), ["comment"]);
        t.app.review_assessment(&inspector, second, "challenged", "B5.c evidence predates the new backup system.").await.unwrap();
        let (_, seen) = t.app.remit_assessment(&inspector, second).await.unwrap();
        assert_eq!(seen.reviews[0].outcome, "challenged");
        assert_eq!(t.app.assessment(&lead, second).await.unwrap().reviews.len(), 1, "the organisation sees the review");
        let summary = t.app.sector_summary(&inspector).await.unwrap();
        assert_eq!(summary.published, 1);
        assert_eq!(summary.heat_map.len(), 39, "one row per outcome, the superseded publication's grades gone");
        let a2a = summary.heat_map.iter().find(|(r, _)| r == "A2.a").unwrap();
        assert_eq!(a2a.1, [0, 1, 0]);
        // Another regulator's organisation, or a draft, is not in the remit.
        assert!(t.app.remit_assessment(&inspector, id).await.is_ok(), "superseded ones stay readable");
        let third = t.app.start_assessment(&lead, start).await.unwrap();
        assert!(matches!(t.app.remit_assessment(&inspector, third).await, Err(CoreError::NotFound)));
    }
}

dual_test! {
    async fn the_caf_aligned_dspt_grades_objective_e_directly_and_reports_its_status(backend: Backend) {
        let Some(t) = TestApp::with_demo(backend).await else { return };
        t.app.install_built_in_frameworks().await.unwrap();
        let dspt = t.app.frameworks().await.unwrap().into_iter().find(|f| f.key == "dspt-caf").unwrap();
        assert_eq!(dspt.status_rule.as_deref(), Some("dspt_caf"));
        let lead = scope_of(&t.app, &cli(&t.app, "security@riverside.example").await, "RVX").await;
        let id = t.app.start_assessment(&lead, StartInput {
            framework_id: dspt.id.to_string(),
            title: "DSPT 2025-26".into(),
            period: "2025-26".into(),
            due_on: "2026-06-30".into(),
            profile: "nhs-england-2025-26".into(),
            ..Default::default()
        }).await.unwrap();
        let view = t.app.assessment(&lead, id).await.unwrap();
        assert_eq!(view.scorecard.outcomes.len(), 47);
        assert!(view.scorecard.headline(true).starts_with("Standards Not Met: "));

        // E4.a has no statements and no Partially achieved level: its grade is chosen, with a reason.
        let v = view.assessment.row_version;
        let err = t.app.save_outcome(&lead, id, v, &OutcomeInput { ref_id: "E4.a".into(), ..Default::default() }).await.unwrap_err();
        assert_eq!(fields(err), ["override_grade"]);
        let err = t.app.save_outcome(&lead, id, v, &OutcomeInput { ref_id: "E4.a".into(), override_grade: "partially_achieved".into(), override_reason: "Records policy approved, retention schedule partly applied.".into(), ..Default::default() }).await.unwrap_err();
        assert_eq!(fields(err), ["override_grade"]);
        t.app.save_outcome(&lead, id, v, &OutcomeInput { ref_id: "E4.a".into(), override_grade: "achieved".into(), override_reason: "Records policy approved and audited in March.".into(), ..Default::default() }).await.unwrap();
        let view = t.app.assessment(&lead, id).await.unwrap();
        let e4a = view.scorecard.outcome("E4.a").unwrap();
        assert_eq!((e4a.grade, e4a.meets_profile, e4a.answered), (Grade::Achieved, Some(true), true));
    }
}
