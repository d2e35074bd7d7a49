//! The incident register: reporting, bad input, status, notes, reportability and clocks.

use crate::util::*;
use hygeia_core::{CoreError, FactsInput, IncidentInput};
use hygeia_domain::incidents::clocks::ClockState;
use hygeia_domain::incidents::reportability::Verdict;
use hygeia_domain::org::Regime;
use hygeia_testkit::{START_MS, TestApp, dual_test};

fn ransomware() -> IncidentInput {
    IncidentInput {
        title: "Ransomware on the imaging servers".into(),
        category: "ransomware".into(),
        severity: "high".into(),
        description: "PACS servers encrypted overnight.".into(),
        occurred_at: Some(START_MS - 10 * HOUR),
        detected_at: Some(START_MS - 3 * HOUR),
        aware_at: Some(START_MS - 2 * HOUR),
        aware_note: "Confirmed by the on-call engineer".into(),
        disruption_start: Some(START_MS - 10 * HOUR),
        data_categories: vec!["health".into()],
        ..IncidentInput::default()
    }
}

dual_test! {
    async fn report_assess_and_watch_the_clocks(backend: Backend) {
        let Some(t) = TestApp::with_demo(backend).await else { return };
        let lead = scope_of(&t.app, &cli(&t.app, "security@riverside.example").await, "RVX").await;
        let inc = t.app.report_incident(&lead, ransomware()).await.unwrap();
        assert_eq!(inc.reference, "INC-2026-0001");
        let second = t.app.report_incident(&lead, IncidentInput { title: "Phish".into(), category: "phishing".into(), ..ransomware() }).await.unwrap();
        assert_eq!(second.reference, "INC-2026-0002", "numbered per organisation and year");

        let view = t.app.incident(&lead, inc.id).await.unwrap();
        assert_eq!(view.standings.iter().map(|s| s.regime).collect::<Vec<_>>(), [Regime::UkNis, Regime::UkGdpr]);
        assert!(view.standings.iter().all(|s| s.decision.is_none() && s.clocks.is_empty()), "nothing decided yet");
        assert_eq!(view.events.len(), 1);

        let assessed = t.app.assess_incident(&lead, inc.id, FactsInput {
            personal_data: true,
            likelihood: Some("likely".into()),
            harm: Some("serious".into()),
            essential_service_disrupted: true,
            significant_impact: Some("yes".into()),
            rationale: "Imaging down across two sites; patient records on the servers".into(),
            ..FactsInput::default()
        }).await.unwrap();
        assert!(assessed.decisions.iter().all(|d| d.verdict == Verdict::Reportable), "{assessed:?}");
        let gdpr = assessed.decisions.iter().find(|d| d.regime == Regime::UkGdpr).unwrap();
        assert_eq!(gdpr.recipients.len(), 2, "ICO and DHSC / NHS England");

        let view = t.app.incident(&lead, inc.id).await.unwrap();
        let nis = view.standings.iter().find(|s| s.regime == Regime::UkNis).unwrap();
        let clock = &nis.clocks[0];
        assert_eq!(clock.due_at, Some(inc.aware_at + 72 * HOUR));
        assert_eq!(clock.state, ClockState::Due);
        assert_eq!(view.history.len(), 2);
        assert!(view.incident.facts.personal_data, "the facts decided on are kept");

        t.clock.set_ms(inc.aware_at + 61 * HOUR);
        let view = t.app.incident(&lead, inc.id).await.unwrap();
        assert_eq!(view.standings[0].clocks[0].state, ClockState::DueSoon);
        t.clock.set_ms(inc.aware_at + 72 * HOUR + 1);
        let view = t.app.incident(&lead, inc.id).await.unwrap();
        assert_eq!(view.standings[0].clocks[0].state, ClockState::Overdue);

        // A new assessment says what it changed.
        let again = t.app.assess_incident(&lead, inc.id, FactsInput {
            personal_data: true,
            likelihood: Some("not_likely".into()),
            harm: Some("serious".into()),
            essential_service_disrupted: true,
            significant_impact: Some("yes".into()),
            rationale: "Backups show the records were not taken".into(),
            ..FactsInput::default()
        }).await.unwrap();
        assert_eq!(again.changes, ["UK GDPR: Reportable → Not reportable"]);
    }
}

dual_test! {
    async fn bad_input_names_each_field_and_writes_nothing(backend: Backend) {
        let Some(t) = TestApp::with_demo(backend).await else { return };
        let lead = scope_of(&t.app, &cli(&t.app, "security@riverside.example").await, "RVX").await;
        let bad = IncidentInput {
            title: " ".into(),
            category: "meteor".into(),
            occurred_at: Some(START_MS - HOUR),
            detected_at: Some(START_MS - 2 * HOUR),
            aware_at: Some(START_MS + HOUR),
            data_categories: vec!["gossip".into()],
            ..ransomware()
        };
        let err = t.app.report_incident(&lead, bad).await.unwrap_err();
        assert_eq!(fields(err), ["title", "category", "data_categories", "aware_at", "detected_at"]);
        let missing = IncidentInput { aware_at: None, ..ransomware() };
        assert_eq!(fields(t.app.report_incident(&lead, missing).await.unwrap_err()), ["aware_at"]);
        assert_eq!(t.app.incidents(&lead, false, Default::default()).await.unwrap().total, 0);

        let inc = t.app.report_incident(&lead, ransomware()).await.unwrap();
        let no_reason = t.app.assess_incident(&lead, inc.id, FactsInput::default()).await.unwrap_err();
        assert_eq!(fields(no_reason), ["rationale"]);
        let odd = FactsInput { harm: Some("awful".into()), significant_impact: Some("maybe".into()), rationale: "x".into(), ..FactsInput::default() };
        assert_eq!(fields(t.app.assess_incident(&lead, inc.id, odd).await.unwrap_err()), ["harm", "significant_impact"]);
    }
}

dual_test! {
    async fn awareness_moves_only_with_a_reason_once_decided_and_status_moves_forward(backend: Backend) {
        let Some(t) = TestApp::with_demo(backend).await else { return };
        let lead = scope_of(&t.app, &cli(&t.app, "security@riverside.example").await, "RVX").await;
        let inc = t.app.report_incident(&lead, ransomware()).await.unwrap();
        let earlier = IncidentInput { aware_at: Some(START_MS - 150 * 60_000), ..ransomware() };
        t.app.update_incident(&lead, inc.id, earlier.clone()).await.unwrap();
        t.app.assess_incident(&lead, inc.id, FactsInput { rationale: "No personal data; service unaffected".into(), ..FactsInput::default() }).await.unwrap();
        let moved = IncidentInput { aware_at: Some(START_MS - 170 * 60_000), ..ransomware() };
        assert_eq!(fields(t.app.update_incident(&lead, inc.id, moved.clone()).await.unwrap_err()), ["change_reason"]);
        let with_reason = IncidentInput { change_reason: "The SOC ticket shows an earlier confirmation".into(), ..moved };
        let after = t.app.update_incident(&lead, inc.id, with_reason).await.unwrap();
        assert_eq!(after.aware_at, START_MS - 170 * 60_000);

        let err = t.app.set_incident_status(&lead, inc.id, "contained", "").await.unwrap();
        assert_eq!(err.status.code(), "contained");
        assert_eq!(fields(t.app.set_incident_status(&lead, inc.id, "triage", "").await.unwrap_err()), ["status"]);
        let closed = t.app.set_incident_status(&lead, inc.id, "closed", "Restored from backups").await.unwrap();
        assert!(closed.closed_at.is_some());
        assert_eq!(t.app.incidents(&lead, true, Default::default()).await.unwrap().total, 0, "closed ones leave the open list");
        t.app.add_incident_note(&lead, inc.id, "Lessons learned review booked").await.unwrap();
        let view = t.app.incident(&lead, inc.id).await.unwrap();
        let kinds: Vec<&str> = view.events.iter().map(|e| e.kind.as_str()).collect();
        assert_eq!(kinds, ["created", "change", "awareness", "decision", "change", "awareness", "status", "status", "note"]);
        assert!(view.events[5].body.contains("Reason: The SOC ticket"), "{:?}", view.events[5]);
        assert!(view.events[5].body.starts_with("Awareness time moved from "), "{:?}", view.events[5]);
        assert!(view.events[7].body.contains("Restored from backups"));
        // The whole story is in the audit chain, which still verifies.
        let log = t.app.audit_log(&lead, Default::default()).await.unwrap();
        assert!(log.items.iter().any(|r| r.event.action == "incident.decide"));
        assert!(t.app.verify_audit().await.unwrap().broken.is_none());
    }
}

dual_test! {
    async fn roles_and_other_organisations(backend: Backend) {
        let Some(t) = TestApp::with_demo(backend).await else { return };
        let lead = scope_of(&t.app, &cli(&t.app, "security@riverside.example").await, "RVX").await;
        let inc = t.app.report_incident(&lead, ransomware()).await.unwrap();
        let contributor = scope_of(&t.app, &cli(&t.app, "contributor@riverside.example").await, "RVX").await;
        t.app.add_incident_note(&contributor, inc.id, "Imaging vendor called").await.unwrap();
        let decide = t.app.assess_incident(&contributor, inc.id, FactsInput { rationale: "x".into(), ..FactsInput::default() }).await;
        assert!(matches!(decide, Err(CoreError::Forbidden(_))));
        let viewer = scope_of(&t.app, &cli(&t.app, "viewer@riverside.example").await, "RVX").await;
        assert!(t.app.incident(&viewer, inc.id).await.is_ok());
        assert!(matches!(t.app.report_incident(&viewer, ransomware()).await, Err(CoreError::Forbidden(_))));
        // Another organisation's owner cannot reach the incident through their own scope.
        let gp = scope_of(&t.app, &cli(&t.app, "practice@meadowlane.example").await, "Y99001").await;
        assert!(matches!(t.app.incident(&gp, inc.id).await, Err(CoreError::NotFound)));
        assert!(matches!(t.app.add_incident_note(&gp, inc.id, "x").await, Err(CoreError::NotFound)));
        assert!(matches!(t.app.set_incident_status(&gp, inc.id, "closed", "").await, Err(CoreError::NotFound)));
        assert!(matches!(t.app.assess_incident(&gp, inc.id, FactsInput { rationale: "x".into(), ..FactsInput::default() }).await, Err(CoreError::NotFound)));
        assert!(matches!(t.app.update_incident(&gp, inc.id, ransomware()).await, Err(CoreError::NotFound)));
        assert_eq!(t.app.incidents(&gp, false, Default::default()).await.unwrap().total, 0);
    }
}
