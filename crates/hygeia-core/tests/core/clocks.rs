//! Kept clocks: the worker's tick, reminders queued once per threshold, and the lists that
//! read them.

use crate::util::*;
use hygeia_core::{FactsInput, IncidentInput};
use hygeia_domain::incidents::clocks::ClockState;
use hygeia_testkit::{START_MS, TestApp, dual_test};

dual_test! {
    async fn the_tick_moves_clocks_and_queues_each_reminder_once(backend: Backend) {
        let Some(t) = TestApp::with_demo(backend).await else { return };
        let lead = scope_of(&t.app, &cli(&t.app, "security@riverside.example").await, "RVX").await;
        let aware = START_MS - 2 * HOUR;
        let inc = t.app.report_incident(&lead, IncidentInput {
            title: "Ransomware".into(), category: "ransomware".into(), severity: "high".into(),
            detected_at: Some(aware - HOUR), aware_at: Some(aware), ..IncidentInput::default()
        }).await.unwrap();
        assert!(t.app.open_clocks(&lead).await.unwrap().is_empty(), "no clock before a decision");
        t.app.assess_incident(&lead, inc.id, FactsInput {
            personal_data: true, likelihood: Some("likely".into()), harm: Some("minor".into()),
            essential_service_disrupted: true, significant_impact: Some("yes".into()),
            rationale: "Both apply".into(), ..FactsInput::default()
        }).await.unwrap();
        let open = t.app.open_clocks(&lead).await.unwrap();
        assert_eq!(open.len(), 2);
        assert!(open.iter().all(|c| c.clock.state == ClockState::Due && c.clock.due_at == Some(aware + 72 * HOUR)));

        assert_eq!(t.app.tick().await.unwrap().reminders_queued, 0, "nothing due yet");
        t.clock.set_ms(aware + 61 * HOUR);
        let report = t.app.tick().await.unwrap();
        assert_eq!((report.now_due_soon, report.now_overdue), (2, 0));
        // Each reminder goes to whoever reported it and to the senior executive.
        assert_eq!(report.reminders_queued, 4);
        let mail = t.app.store().pending_mail(100, 5).await.unwrap();
        let mut to: Vec<&str> = mail.iter().map(|m| m.recipient.as_str()).collect();
        to.sort_unstable();
        to.dedup();
        assert_eq!(to, ["security@riverside.example", "siro@riverside.example"]);
        assert!(mail[0].subject.starts_with("Due soon: ") && mail[0].subject.contains("INC-2026-0001"), "{}", mail[0].subject);
        assert_eq!(t.app.tick().await.unwrap().reminders_queued, 0, "once per threshold");

        t.clock.set_ms(aware + 72 * HOUR + 1);
        let report = t.app.tick().await.unwrap();
        assert_eq!((report.now_overdue, report.reminders_queued), (2, 4));
        let inspector = scope_of(&t.app, &cli(&t.app, "inspector@regulator.example").await, "X26CA").await;
        assert_eq!(t.app.overdue_and_late(&inspector, Default::default()).await.unwrap().total, 2);

        // Submitting late keeps it on the regulator's list, as late rather than overdue.
        let draft = t.app.notification_draft(&lead, inc.id, "uk_nis", "notification").await.unwrap();
        let values: Vec<(String, String)> = draft.entries.iter().map(|e| (e.field.code().to_owned(), "x".to_owned())).collect();
        t.app.submit_notification(&lead, inc.id, "uk_nis", "notification", &values, "Systems were down").await.unwrap();
        let listed = t.app.overdue_and_late(&inspector, Default::default()).await.unwrap();
        let mut states: Vec<ClockState> = listed.items.iter().map(|c| c.clock.state).collect();
        states.sort();
        assert_eq!(states, [ClockState::Overdue, ClockState::SubmittedLate]);
        assert_eq!(t.app.open_clocks(&lead).await.unwrap().len(), 1);

        // A later awareness time (with its reason) moves the deadline: the clock is due again
        // and may remind again.
        t.app.update_incident(&lead, inc.id, IncidentInput {
            title: "Ransomware".into(), category: "ransomware".into(), severity: "high".into(),
            detected_at: Some(aware - HOUR), aware_at: Some(aware + 10 * HOUR),
            change_reason: "Confirmed only at the evening review".into(), ..IncidentInput::default()
        }).await.unwrap();
        let open = t.app.open_clocks(&lead).await.unwrap();
        assert_eq!(open.len(), 1);
        assert_eq!(open[0].clock.state, ClockState::DueSoon);
        assert_eq!(t.app.tick().await.unwrap().reminders_queued, 2);
    }
}

dual_test! {
    async fn reminders_arrive_by_smtp_at_the_right_simulated_times(backend: Backend) {
        let Some(t) = TestApp::with_demo(backend).await else { return };
        let sink = hygeia_testkit::smtp_sink::SmtpSink::start().await;
        let mail = hygeia_core::mail::MailConfig { smtp_url: sink.url(), from: "Hygeia <hygeia@example.nhs.uk>".into() };
        let lead = scope_of(&t.app, &cli(&t.app, "ig@riverside.example").await, "RVX").await;
        let aware = START_MS - HOUR;
        let inc = t.app.report_incident(&lead, IncidentInput {
            title: "Laptop left on a train".into(), category: "lost_device".into(), severity: "medium".into(),
            detected_at: Some(aware), aware_at: Some(aware), ..IncidentInput::default()
        }).await.unwrap();
        t.app.assess_incident(&lead, inc.id, FactsInput {
            personal_data: true, likelihood: Some("likely".into()), harm: Some("minor".into()),
            rationale: "Unencrypted spreadsheet of patients".into(), ..FactsInput::default()
        }).await.unwrap();

        // A mail server that is down: the reminder waits in the outbox and is tried again.
        t.clock.set_ms(aware + 60 * HOUR + 1);
        t.app.tick().await.unwrap();
        let down = hygeia_core::mail::MailConfig { smtp_url: "smtp://127.0.0.1:1".into(), from: mail.from.clone() };
        let failed = t.app.deliver_mail(&down).await.unwrap();
        assert_eq!((failed.sent, failed.failed), (0, 2));
        assert!(sink.messages().is_empty());

        let sent = t.app.deliver_mail(&mail).await.unwrap();
        assert_eq!((sent.sent, sent.failed), (2, 0));
        let got = sink.messages();
        let mut to: Vec<String> = got.iter().flat_map(|m| m.to.clone()).collect();
        to.sort();
        assert_eq!(to, ["ig@riverside.example", "siro@riverside.example"]);
        assert_eq!(got[0].header("Subject").unwrap(), "Due soon: Breach notification for INC-2026-0001");
        assert!(got[0].text().contains(&format!("/orgs/{}/incidents/{}", lead.org.id, inc.id)), "{}", got[0].text());
        assert_eq!(t.app.deliver_mail(&mail).await.unwrap().sent, 0, "sent once");

        t.clock.set_ms(aware + 72 * HOUR + 1);
        t.app.tick().await.unwrap();
        t.app.deliver_mail(&mail).await.unwrap();
        let got = sink.messages();
        assert_eq!(got.len(), 4);
        assert!(got[2..].iter().all(|m| m.header("Subject").unwrap().starts_with("Overdue: ")));
    }
}
