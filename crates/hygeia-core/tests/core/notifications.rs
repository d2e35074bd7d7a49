//! Notifications to the regulator: drafts, submission with versions and lateness, the
//! regulator's inbox and reviews, and the clocks they settle.

use crate::util::*;
use hygeia_core::{CoreError, FactsInput, IncidentInput};
use hygeia_domain::incidents::clocks::ClockState;
use hygeia_domain::incidents::notification::ReviewStatus;
use hygeia_domain::incidents::regimes::ContentField;
use hygeia_testkit::{START_MS, TestApp, dual_test};

async fn reportable_incident(t: &TestApp) -> (hygeia_core::Scope, hygeia_domain::ids::IncidentId) {
    let lead = scope_of(&t.app, &cli(&t.app, "security@riverside.example").await, "RVX").await;
    let inc = t
        .app
        .report_incident(
            &lead,
            IncidentInput {
                title: "Ransomware on imaging".into(),
                category: "ransomware".into(),
                severity: "critical".into(),
                description: "PACS encrypted".into(),
                detected_at: Some(START_MS - 3 * HOUR),
                aware_at: Some(START_MS - 2 * HOUR),
                essential_services: "Diagnostic imaging".into(),
                disruption_start: Some(START_MS - 3 * HOUR),
                ..IncidentInput::default()
            },
        )
        .await
        .unwrap();
    t.app
        .assess_incident(
            &lead,
            inc.id,
            FactsInput {
                personal_data: true,
                likelihood: Some("likely".into()),
                harm: Some("adverse".into()),
                essential_service_disrupted: true,
                significant_impact: Some("yes".into()),
                rationale: "Imaging down; images at risk".into(),
                ..FactsInput::default()
            },
        )
        .await
        .unwrap();
    (lead, inc.id)
}

fn filled(draft: &hygeia_core::NotificationDraft) -> Vec<(String, String)> {
    draft
        .entries
        .iter()
        .map(|e| {
            (
                e.field.code().to_owned(),
                if e.value.is_empty() {
                    "Stated by the test".to_owned()
                } else {
                    e.value.clone()
                },
            )
        })
        .collect()
}

dual_test! {
    async fn submit_on_time_then_update_and_the_regulator_reviews(backend: Backend) {
        let Some(t) = TestApp::with_demo(backend).await else { return };
        let (lead, incident) = reportable_incident(&t).await;
        let draft = t.app.notification_draft(&lead, incident, "uk_nis", "notification").await.unwrap();
        assert!(!draft.late);
        assert_eq!(draft.due_at, Some(START_MS - 2 * HOUR + 72 * HOUR));
        let operator = draft.entries.iter().find(|e| e.field == ContentField::OperatorName).unwrap();
        assert_eq!(operator.value, "Riverside University Hospitals NHS Foundation Trust");
        assert!(draft.entries.iter().any(|e| e.field == ContentField::EssentialServices && e.value == "Diagnostic imaging"));

        let mut missing = filled(&draft);
        missing.retain(|(f, _)| f != "nature_and_impact");
        missing.push(("root_cause".into(), "x".into()));
        missing.push(("shoe_size".into(), "9".into()));
        let err = t.app.submit_notification(&lead, incident, "uk_nis", "notification", &missing, "").await.unwrap_err();
        assert_eq!(fields(err), ["shoe_size", "nature_and_impact", "root_cause"]);

        let first = t.app.submit_notification(&lead, incident, "uk_nis", "notification", &filled(&draft), "").await.unwrap();
        assert_eq!((first.version, first.on_time, first.previous_id), (1, true, None));
        assert_eq!(first.digest.len(), 64);
        let regulator = t.app.org_by_ods("X26CA").await.unwrap();
        assert_eq!(first.recipient_org_id, Some(regulator.id));
        let view = t.app.incident(&lead, incident).await.unwrap();
        let nis = view.standings.iter().find(|s| s.regime.code() == "uk_nis").unwrap();
        assert_eq!(nis.clocks[0].state, ClockState::SubmittedOnTime);

        let update = t.app.submit_notification(&lead, incident, "uk_nis", "notification", &filled(&draft), "").await.unwrap();
        assert_eq!((update.version, update.previous_id), (2, Some(first.id)));
        assert_ne!(update.digest, first.digest, "the version is part of what is signed");

        // The regulator's inbox, reviews and the sender's view of them.
        let inspector = scope_of(&t.app, &cli(&t.app, "inspector@regulator.example").await, "X26CA").await;
        let inbox = t.app.inbox(&inspector, Default::default()).await.unwrap();
        assert_eq!(inbox.total, 2);
        assert_eq!(inbox.items[0].incident_reference, "INC-2026-0001");
        let err = t.app.review_notification(&inspector, first.id, "revision_requested", " ").await.unwrap_err();
        assert_eq!(fields(err), ["message"]);
        t.app.review_notification(&inspector, first.id, "revision_requested", "Say how many sites are affected").await.unwrap();
        t.app.review_notification(&inspector, update.id, "accepted", "").await.unwrap();
        let seen = t.app.sent_notification(&lead, first.id).await.unwrap();
        assert_eq!(seen.notification.review_status, ReviewStatus::RevisionRequested);
        assert_eq!(seen.reviews[0].message, "Say how many sites are affected");
        // Moving the awareness time afterwards needs a reason, and the regulator is shown it.
        t.app.update_incident(&lead, incident, IncidentInput {
            title: "Ransomware on imaging".into(), category: "ransomware".into(), severity: "critical".into(),
            description: "PACS encrypted".into(), detected_at: Some(START_MS - 3 * HOUR), aware_at: Some(START_MS - 3 * HOUR),
            essential_services: "Diagnostic imaging".into(), disruption_start: Some(START_MS - 3 * HOUR),
            change_reason: "The SOC confirmed it an hour earlier".into(), ..IncidentInput::default()
        }).await.unwrap();
        let seen = t.app.received_notification(&inspector, first.id).await.unwrap();
        assert_eq!(seen.awareness_changes.len(), 1);
        assert!(seen.awareness_changes[0].2.contains("Reason: The SOC confirmed it an hour earlier"));
        let records = t.app.sender_records(&inspector).await.unwrap();
        assert_eq!((records.len(), records[0].on_time, records[0].late), (1, 1, 0), "only first submissions count");
        assert!(t.app.verify_audit().await.unwrap().broken.is_none());
    }
}

dual_test! {
    async fn a_late_notification_needs_its_reasons(backend: Backend) {
        let Some(t) = TestApp::with_demo(backend).await else { return };
        let (lead, incident) = reportable_incident(&t).await;
        t.clock.set_ms(START_MS - 2 * HOUR + 72 * HOUR + 1);
        let draft = t.app.notification_draft(&lead, incident, "uk_gdpr", "notification").await.unwrap();
        assert!(draft.late);
        let mut values = filled(&draft);
        values.retain(|(f, _)| f != "reason_for_delay");
        let err = t.app.submit_notification(&lead, incident, "uk_gdpr", "notification", &values, "").await.unwrap_err();
        assert_eq!(fields(err), ["reason_for_delay", "late_reason"]);
        values.push(("reason_for_delay".into(), "Forensics took three days".into()));
        let late = t.app.submit_notification(&lead, incident, "uk_gdpr", "notification", &values, "Waited for forensics").await.unwrap();
        assert!(!late.on_time);
        let view = t.app.incident(&lead, incident).await.unwrap();
        let gdpr = view.standings.iter().find(|s| s.regime.code() == "uk_gdpr").unwrap();
        assert_eq!(gdpr.clocks[0].state, ClockState::SubmittedLate);
    }
}

dual_test! {
    async fn only_reportable_stages_and_only_the_right_people(backend: Backend) {
        let Some(t) = TestApp::with_demo(backend).await else { return };
        let (lead, incident) = reportable_incident(&t).await;
        assert_eq!(fields(t.app.notification_draft(&lead, incident, "eu_nis2", "notification").await.unwrap_err()), ["regime"]);
        assert_eq!(fields(t.app.notification_draft(&lead, incident, "uk_nis", "final").await.unwrap_err()), ["stage"]);
        let contributor = scope_of(&t.app, &cli(&t.app, "contributor@riverside.example").await, "RVX").await;
        assert!(matches!(t.app.notification_draft(&contributor, incident, "uk_nis", "notification").await, Err(CoreError::Forbidden(_))));
        let gp = scope_of(&t.app, &cli(&t.app, "practice@meadowlane.example").await, "Y99001").await;
        assert!(matches!(t.app.notification_draft(&gp, incident, "uk_nis", "notification").await, Err(CoreError::NotFound)));
        assert!(matches!(t.app.inbox(&gp, Default::default()).await, Err(CoreError::Forbidden(_))));
        // A sent notification is not reachable from another organisation.
        let draft = t.app.notification_draft(&lead, incident, "uk_nis", "notification").await.unwrap();
        let sent = t.app.submit_notification(&lead, incident, "uk_nis", "notification", &filled(&draft), "").await.unwrap();
        assert!(matches!(t.app.sent_notification(&gp, sent.id).await, Err(CoreError::NotFound)));
        assert!(matches!(t.app.review_notification(&lead, sent.id, "accepted", "").await, Err(CoreError::Forbidden(_))));
    }
}

dual_test! {
    async fn the_regulator_sets_thresholds_and_decisions_follow_them(backend: Backend) {
        let Some(t) = TestApp::with_demo(backend).await else { return };
        let inspector = scope_of(&t.app, &cli(&t.app, "inspector@regulator.example").await, "X26CA").await;
        let analyst = scope_of(&t.app, &cli(&t.app, "analyst@regulator.example").await, "X26CA").await;
        let view = t.app.thresholds(&analyst).await.unwrap();
        assert_eq!(view.significance.users_affected_at_least, None, "none published");
        assert_eq!(view.grid.len(), 2);
        let input = hygeia_core::ThresholdsInput {
            users_affected_at_least: "1000".into(),
            grid: vec![
                ("Information Commissioner's Office (ICO)".into(), "likely".into(), "minor".into()),
                ("DHSC and NHS England".into(), "likely".into(), "adverse".into()),
            ],
            ..Default::default()
        };
        assert!(matches!(t.app.save_thresholds(&analyst, input.clone()).await, Err(CoreError::Forbidden(_))));
        let bad = hygeia_core::ThresholdsInput { disruption_minutes_at_least: "an hour".into(), ..input.clone() };
        assert_eq!(fields(t.app.save_thresholds(&inspector, bad).await.unwrap_err()), ["disruption_minutes_at_least"]);
        t.app.save_thresholds(&inspector, input).await.unwrap();

        let lead = scope_of(&t.app, &cli(&t.app, "security@riverside.example").await, "RVX").await;
        let inc = t.app.report_incident(&lead, IncidentInput {
            title: "EPR outage".into(), category: "loss_of_service".into(), severity: "high".into(),
            detected_at: Some(START_MS - HOUR), aware_at: Some(START_MS), ..IncidentInput::default()
        }).await.unwrap();
        let assessed = t.app.assess_incident(&lead, inc.id, FactsInput {
            personal_data: true, likelihood: Some("likely".into()), harm: Some("adverse".into()),
            essential_service_disrupted: true, users_affected: Some(5000),
            rationale: "Records unavailable trust-wide".into(), ..FactsInput::default()
        }).await.unwrap();
        let nis = assessed.decisions.iter().find(|d| d.regime.code() == "uk_nis").unwrap();
        assert_eq!(nis.verdict, hygeia_domain::incidents::reportability::Verdict::Reportable, "the regulator's threshold decides");
        assert!(nis.pack_version.starts_with("2026.1+X26CA "), "{}", nis.pack_version);
        let gdpr = assessed.decisions.iter().find(|d| d.regime.code() == "uk_gdpr").unwrap();
        assert_eq!(gdpr.recipients.len(), 2, "DHSC now at Adverse: {gdpr:?}");
    }
}

dual_test! {
    async fn notifications_also_go_by_email_when_an_address_is_set(backend: Backend) {
        let Some(t) = TestApp::with_demo(backend).await else { return };
        let owner = scope_of(&t.app, &cli(&t.app, "owner@riverside.example").await, "RVX").await;
        assert_eq!(fields(t.app.set_delivery_email(&owner, "not an address").await.unwrap_err()), ["delivery_email"]);
        t.app.set_delivery_email(&owner, "Incidents@Regulator.example").await.unwrap();
        assert_eq!(t.app.delivery_email(&owner).await.unwrap().as_deref(), Some("incidents@regulator.example"));
        let (lead, incident) = reportable_incident(&t).await;
        let lead_forbidden = t.app.set_delivery_email(&lead, "x@y.example").await;
        assert!(matches!(lead_forbidden, Err(CoreError::Forbidden(_))));
        let draft = t.app.notification_draft(&lead, incident, "uk_nis", "notification").await.unwrap();
        let sent = t.app.submit_notification(&lead, incident, "uk_nis", "notification", &filled(&draft), "").await.unwrap();

        let sink = hygeia_testkit::smtp_sink::SmtpSink::start().await;
        let mail = hygeia_core::mail::MailConfig { smtp_url: sink.url(), from: "hygeia@example.nhs.uk".into() };
        assert_eq!(t.app.deliver_mail(&mail).await.unwrap().sent, 1);
        let got = &sink.messages()[0];
        assert_eq!(got.to, ["incidents@regulator.example"]);
        assert!(got.header("Subject").unwrap().contains("NIS incident notification v1"));
        assert!(got.text().contains(&sent.digest), "the digest travels with it");

        // Cleared: the next version goes only to the inbox.
        t.app.set_delivery_email(&owner, " ").await.unwrap();
        t.app.submit_notification(&lead, incident, "uk_nis", "notification", &filled(&draft), "").await.unwrap();
        assert_eq!(t.app.deliver_mail(&mail).await.unwrap().sent, 0);
    }
}

dual_test! {
    async fn a_regulator_asks_for_an_nis2_intermediate_report_and_its_clock_runs(backend: Backend) {
        let Some(t) = TestApp::with_demo(backend).await else { return };
        let owner = scope_of(&t.app, &cli(&t.app, "owner@riverside.example").await, "RVX").await;
        t.app.update_org(&owner, hygeia_core::OrgPatch { regimes: Some(vec!["uk_gdpr".into(), "uk_nis".into(), "eu_nis2".into()]), ..Default::default() }).await.unwrap();
        let lead = scope_of(&t.app, &cli(&t.app, "security@riverside.example").await, "RVX").await;
        let inc = t.app.report_incident(&lead, IncidentInput {
            title: "Cross-border outage".into(),
            category: "loss_of_service".into(),
            severity: "high".into(),
            detected_at: Some(START_MS - 3 * HOUR),
            aware_at: Some(START_MS - 2 * HOUR),
            ..IncidentInput::default()
        }).await.unwrap();
        t.app.assess_incident(&lead, inc.id, FactsInput {
            severe_disruption_or_loss: true,
            rationale: "Severe disruption of the service".into(),
            ..FactsInput::default()
        }).await.unwrap();
        for stage in ["early_warning", "notification"] {
            let draft = t.app.notification_draft(&lead, inc.id, "eu_nis2", stage).await.unwrap();
            t.app.submit_notification(&lead, inc.id, "eu_nis2", stage, &filled(&draft), "").await.unwrap();
        }
        let inspector = scope_of(&t.app, &cli(&t.app, "inspector@regulator.example").await, "X26CA").await;
        let inbox = t.app.inbox(&inspector, Default::default()).await.unwrap();
        let notified = inbox.items.iter().find(|r| r.notification.stage == "notification").unwrap().notification.id;

        // Only what the regime asks for on request, by a deadline in the future.
        let err = t.app.request_report(&inspector, notified, "final", Some(START_MS + 48 * HOUR), "").await.unwrap_err();
        assert_eq!(fields(err), ["stage"]);
        let err = t.app.request_report(&inspector, notified, "intermediate", Some(START_MS - HOUR), "").await.unwrap_err();
        assert_eq!(fields(err), ["due_at"]);
        let analyst_gp = scope_of(&t.app, &cli(&t.app, "practice@meadowlane.example").await, "Y99001").await;
        assert!(matches!(t.app.request_report(&analyst_gp, notified, "intermediate", Some(START_MS + HOUR), "").await, Err(CoreError::Forbidden(_))));

        let due = START_MS + 48 * HOUR;
        t.app.request_report(&inspector, notified, "intermediate", Some(due), "Root cause so far, please").await.unwrap();
        assert_eq!(t.app.requests_on(&inspector, notified).await.unwrap().len(), 1);

        // The organisation sees the request on its timeline and a clock for it, kept and listed.
        let view = t.app.incident(&lead, inc.id).await.unwrap();
        let nis2 = view.standings.iter().find(|s| s.regime == hygeia_domain::org::Regime::EuNis2).unwrap();
        let intermediate = nis2.clocks.iter().find(|c| c.stage == "intermediate").unwrap();
        assert_eq!((intermediate.due_at, intermediate.state), (Some(due), ClockState::Due));
        assert!(view.events.iter().any(|e| e.kind == "request" && e.body.contains("Root cause so far")), "{:?}", view.events);
        let open = t.app.open_clocks(&lead).await.unwrap();
        assert!(open.iter().any(|c| c.clock.stage == "intermediate" && c.clock.due_at == Some(due)), "{open:?}");

        // Sent in time, it settles; the final report follows a month after the notification.
        t.clock.advance_ms(24 * HOUR);
        let draft = t.app.notification_draft(&lead, inc.id, "eu_nis2", "intermediate").await.unwrap();
        assert_eq!(draft.due_at, Some(due));
        t.app.submit_notification(&lead, inc.id, "eu_nis2", "intermediate", &filled(&draft), "").await.unwrap();
        let view = t.app.incident(&lead, inc.id).await.unwrap();
        let nis2 = view.standings.iter().find(|s| s.regime == hygeia_domain::org::Regime::EuNis2).unwrap();
        assert_eq!(nis2.clocks.iter().find(|c| c.stage == "intermediate").unwrap().state, ClockState::SubmittedOnTime);
        assert!(t.app.open_clocks(&lead).await.unwrap().iter().all(|c| c.clock.stage != "intermediate"));
    }
}

dual_test! {
    async fn submissions_go_to_the_organisations_webhook_signed_and_retried(backend: Backend) {
        let Some(t) = TestApp::with_demo(backend).await else { return };
        let sink = hygeia_testkit::http_sink::HttpSink::start().await;
        let owner = scope_of(&t.app, &cli(&t.app, "owner@riverside.example").await, "RVX").await;
        let err = t.app.set_webhook(&owner, "http://siem.example.nhs.uk/hook").await.unwrap_err();
        assert_eq!(fields(err), ["url"]);
        let lead = scope_of(&t.app, &cli(&t.app, "security@riverside.example").await, "RVX").await;
        assert!(matches!(t.app.set_webhook(&lead, &sink.url).await, Err(CoreError::Forbidden(_))));
        let secret = t.app.set_webhook(&owner, &sink.url).await.unwrap();
        assert!(secret.starts_with("whsec_") && secret.len() > 60);
        let audit = t.app.audit_log(&owner, Default::default()).await.unwrap();
        assert!(!serde_json::to_string(&audit.items).unwrap().contains(&secret), "the secret is never in the audit log");

        // A submission queues a delivery; the receiver is down at first.
        let (lead, incident) = reportable_incident(&t).await;
        let draft = t.app.notification_draft(&lead, incident, "uk_gdpr", "notification").await.unwrap();
        let sent = t.app.submit_notification(&lead, incident, "uk_gdpr", "notification", &filled(&draft), "").await.unwrap();
        sink.answer(503);
        let report = t.app.deliver_webhooks().await.unwrap();
        assert_eq!((report.delivered, report.failed), (0, 1));
        let view = t.app.webhook(&lead).await.unwrap().unwrap();
        assert_eq!(view.recent[0].last_status, Some(503));
        assert!(view.recent[0].last_error.as_deref().unwrap().contains("503"));
        // Not again before its backoff, and it holds up nothing queued after it; then delivered.
        sink.answer(202);
        assert_eq!(t.app.deliver_webhooks().await.unwrap(), hygeia_core::webhooks::WebhookReport::default());
        let update = t.app.submit_notification(&lead, incident, "uk_gdpr", "notification", &filled(&draft), "").await.unwrap();
        assert_eq!(t.app.deliver_webhooks().await.unwrap().delivered, 1, "the update goes while the first waits");
        t.clock.advance_ms(61_000);
        assert_eq!(t.app.deliver_webhooks().await.unwrap().delivered, 1);
        assert_eq!(t.app.deliver_webhooks().await.unwrap().delivered, 0, "once delivered, never again");

        let got = sink.received();
        assert_eq!(got.len(), 3);
        assert_eq!(serde_json::from_slice::<serde_json::Value>(&got[1].body).unwrap()["notification"]["id"], update.id.to_string());
        let last = &got[2];
        assert_eq!((last.method.as_str(), last.path.as_str()), ("POST", "/hooks/hygeia"));
        assert_eq!(last.header("hygeia-event"), Some("notification.submitted"));
        assert_eq!(last.header("content-type"), Some("application/json"));
        // The receiver checks the signature with the secret it was given.
        let sig = last.header("hygeia-signature").unwrap();
        let seconds: i64 = sig.trim_start_matches("t=").split(',').next().unwrap().parse().unwrap();
        assert_eq!(sig, hygeia_core::webhooks::signature(&secret, seconds, &last.body));
        assert_eq!(seconds, t.app.now_ms() / 1000);
        let body: serde_json::Value = serde_json::from_slice(&last.body).unwrap();
        assert_eq!(body["schema"], "hygeia.notification/v1");
        assert_eq!(body["notification"]["id"], sent.id.to_string());
        assert_eq!(body["notification"]["digest"], sent.digest);
        assert_eq!(body["sender"], "Riverside University Hospitals NHS Foundation Trust");

        // Removed: later submissions queue nothing.
        t.app.remove_webhook(&owner).await.unwrap();
        assert!(t.app.webhook(&owner).await.unwrap().is_none());
        let third = t.app.submit_notification(&lead, incident, "uk_gdpr", "notification", &filled(&draft), "").await.unwrap();
        assert_eq!(third.version, 3);
        assert_eq!(t.db.count("select count(*) as n from webhook_deliveries").await, 2);
    }
}
