//! Improvement actions and the risk register, and how incidents point at them.

use crate::util::*;
use hygeia_core::{ActionInput, CoreError, IncidentInput, RiskInput};
use hygeia_domain::governance::actions::ActionStatus;
use hygeia_domain::governance::risks::Rating;
use hygeia_testkit::{START_MS, TestApp, dual_test};

dual_test! {
    async fn lessons_become_actions_and_incidents_link_to_risks(backend: Backend) {
        let Some(t) = TestApp::with_demo(backend).await else { return };
        let lead = scope_of(&t.app, &cli(&t.app, "security@riverside.example").await, "RVX").await;
        let incident = t.app.report_incident(&lead, IncidentInput {
            title: "Phishing led to a mailbox takeover".into(),
            category: "phishing".into(),
            severity: "medium".into(),
            detected_at: Some(START_MS - 60_000),
            aware_at: Some(START_MS),
            ..IncidentInput::default()
        }).await.unwrap();

        // Actions: numbered per organisation, checked field by field.
        let err = t.app.add_action(&lead, ActionInput { due_on: "next week".into(), status: "finished".into(), ..Default::default() }, Some(incident.id)).await.unwrap_err();
        assert_eq!(fields(err), ["title", "due_on", "status"]);
        let mfa = t.app.add_action(&lead, ActionInput {
            title: "Enforce phishing-resistant MFA on mail".into(),
            owner: "IT security".into(),
            due_on: "2026-10-31".into(),
            ..Default::default()
        }, Some(incident.id)).await.unwrap();
        assert_eq!((mfa.reference.as_str(), mfa.status), ("ACT-0001", ActionStatus::Open));
        let training = t.app.add_action(&lead, ActionInput { title: "Phishing refresher for ward clerks".into(), due_on: "2027-01-31".into(), ..Default::default() }, None).await.unwrap();
        assert_eq!(training.reference, "ACT-0002");
        let from_incident = t.app.incident_actions(&lead, incident.id).await.unwrap();
        assert_eq!(from_incident.len(), 1);
        assert!(from_incident[0].overdue, "31 October has passed on the test clock");
        let plan = t.app.actions(&lead, true, Default::default()).await.unwrap();
        assert_eq!(plan.items.iter().map(|r| r.action.reference.as_str()).collect::<Vec<_>>(), ["ACT-0001", "ACT-0002"], "soonest due first");
        t.app.set_action_status(&lead, mfa.id, "done").await.unwrap();
        assert_eq!(t.app.actions(&lead, true, Default::default()).await.unwrap().total, 1, "done actions leave the live plan");
        assert!(!t.app.incident_actions(&lead, incident.id).await.unwrap()[0].overdue, "a done action is not overdue");

        // Risks: scored and banded; linked to the incident; the register is the accountable roles'.
        let contributor = scope_of(&t.app, &cli(&t.app, "contributor@riverside.example").await, "RVX").await;
        let input = RiskInput {
            title: "Credential phishing against clinical mailboxes".into(),
            likelihood: "4".into(),
            impact: "4".into(),
            treatment: "treat".into(),
            owner: "SIRO".into(),
            ..Default::default()
        };
        assert!(matches!(t.app.add_risk(&contributor, input.clone()).await, Err(CoreError::Forbidden(_))));
        let err = t.app.add_risk(&lead, RiskInput { likelihood: "9".into(), treatment: "ignore".into(), ..Default::default() }).await.unwrap_err();
        assert_eq!(fields(err), ["title", "likelihood", "impact", "treatment", "owner"]);
        let risk = t.app.add_risk(&lead, input.clone()).await.unwrap();
        assert_eq!((risk.risk.reference.as_str(), risk.score, risk.rating), ("RSK-0001", 16, Rating::VeryHigh));
        t.app.link_risk(&lead, risk.risk.id, incident.id).await.unwrap();
        t.app.link_risk(&lead, risk.risk.id, incident.id).await.unwrap();
        let view = t.app.incident(&lead, incident.id).await.unwrap();
        assert_eq!(view.risks.len(), 1, "linking twice changes nothing");
        assert!(view.risk_choices.is_empty(), "the one risk is already linked");
        assert_eq!(view.actions.len(), 1);
        let (_, incidents) = t.app.risk(&lead, risk.risk.id).await.unwrap();
        assert_eq!(incidents[0].1, incident.reference);
        let lowered = t.app.update_risk(&lead, risk.risk.id, RiskInput { likelihood: "2".into(), ..input.clone() }).await.unwrap();
        assert_eq!((lowered.score, lowered.rating), (8, Rating::High));
        t.app.unlink_risk(&lead, risk.risk.id, incident.id).await.unwrap();
        assert!(t.app.incident_risks(&lead, incident.id).await.unwrap().is_empty());

        // Another organisation reaches none of it.
        let gp = scope_of(&t.app, &cli(&t.app, "practice@meadowlane.example").await, "Y99001").await;
        assert!(matches!(t.app.action(&gp, mfa.id).await, Err(CoreError::NotFound)));
        assert!(matches!(t.app.set_action_status(&gp, mfa.id, "cancelled").await, Err(CoreError::NotFound)));
        assert!(matches!(t.app.risk(&gp, risk.risk.id).await, Err(CoreError::NotFound)));
        let gp_risk = t.app.add_risk(&gp, input).await.unwrap();
        assert_eq!(gp_risk.risk.reference, "RSK-0001", "numbered per organisation");
        assert!(matches!(t.app.link_risk(&gp, gp_risk.risk.id, incident.id).await, Err(CoreError::NotFound)));
        assert!(matches!(t.app.add_action(&gp, ActionInput { title: "x".into(), ..Default::default() }, Some(incident.id)).await, Err(CoreError::NotFound)));
        let audit = t.app.audit_log(&lead, Default::default()).await.unwrap();
        assert!(["action.add", "action.update", "risk.add", "risk.link", "risk.update", "risk.unlink"].iter().all(|a| audit.items.iter().any(|r| r.event.action == *a)));
    }
}
