//! The response plan: default and edited playbooks, and the tasks incidents get from them.

use crate::util::*;
use hygeia_core::{CoreError, IncidentInput};
use hygeia_testkit::{START_MS, TestApp, dual_test};

fn incident(category: &str) -> IncidentInput {
    IncidentInput {
        title: format!("A {category} incident"),
        category: category.into(),
        severity: "medium".into(),
        detected_at: Some(START_MS - 60_000),
        aware_at: Some(START_MS),
        ..IncidentInput::default()
    }
}

dual_test! {
    async fn incidents_start_with_their_playbook_and_organisations_edit_theirs(backend: Backend) {
        let Some(t) = TestApp::with_demo(backend).await else { return };
        let lead = scope_of(&t.app, &cli(&t.app, "security@riverside.example").await, "RVX").await;
        let plan = t.app.response_plan(&lead).await.unwrap();
        assert_eq!(plan.len(), 9, "one playbook per category");
        assert!(plan.iter().all(|e| e.customised.is_none()));

        let ransomware = t.app.report_incident(&lead, incident("ransomware")).await.unwrap();
        let tasks = t.app.incident_tasks(&lead, ransomware.id).await.unwrap();
        assert!(tasks.iter().any(|t| t.title.contains("offline backups")), "{tasks:?}");
        assert_eq!(tasks.len(), hygeia_domain::incidents::playbooks::default_playbook(hygeia_domain::incidents::IncidentCategory::Ransomware).tasks.len());

        let bad = t.app.save_playbook(&lead, "phishing", "security_lead:\nCall the vendor", "Desk").await.unwrap_err();
        assert!(matches!(bad, CoreError::Validation(ref e) if e.len() == 2 && e[0].message.starts_with("line 1")), "{bad:?}");
        t.app.save_playbook(&lead, "phishing", "security_lead: Pull the message from every mailbox\nTell the switchboard", "Service desk: extension 4000").await.unwrap();
        let phishing = t.app.report_incident(&lead, incident("phishing")).await.unwrap();
        let tasks = t.app.incident_tasks(&lead, phishing.id).await.unwrap();
        let titles: Vec<&str> = tasks.iter().map(|t| t.title.as_str()).collect();
        assert_eq!(titles, ["Pull the message from every mailbox", "Tell the switchboard"]);
        assert_eq!(tasks[0].role.map(|r| r.code()), Some("security_lead"));
        let plan = t.app.response_plan(&lead).await.unwrap();
        assert!(plan.iter().find(|e| e.playbook.category.code() == "phishing").unwrap().customised.is_some());

        // Tasks are ticked off and un-ticked, by whoever is working the incident.
        let contributor = scope_of(&t.app, &cli(&t.app, "contributor@riverside.example").await, "RVX").await;
        t.app.set_task_done(&contributor, phishing.id, tasks[0].id, true).await.unwrap();
        let after = t.app.incident_tasks(&lead, phishing.id).await.unwrap();
        assert_eq!(after[0].done_by.as_deref(), Some("contributor@riverside.example"));
        t.app.set_task_done(&contributor, phishing.id, tasks[0].id, false).await.unwrap();
        assert!(t.app.incident_tasks(&lead, phishing.id).await.unwrap()[0].done_at.is_none());
        t.app.add_incident_task(&contributor, phishing.id, "Check the firewall logs").await.unwrap();
        assert_eq!(t.app.incident_tasks(&lead, phishing.id).await.unwrap().len(), 3);
        assert!(matches!(t.app.save_playbook(&contributor, "phishing", "x", "").await, Err(CoreError::Forbidden(_))));

        // Found to be a data breach after all: its playbook's tasks join, without repeats.
        let before = t.app.incident_tasks(&lead, phishing.id).await.unwrap().len();
        t.app.update_incident(&lead, phishing.id, IncidentInput { category: "data_breach".into(), ..incident("phishing") }).await.unwrap();
        let after = t.app.incident_tasks(&lead, phishing.id).await.unwrap();
        let breach = hygeia_domain::incidents::playbooks::default_playbook(hygeia_domain::incidents::IncidentCategory::DataBreach);
        assert_eq!(after.len(), before + breach.tasks.len());
        assert!(after.iter().any(|t| t.title.contains("Caldicott Guardian")));
        t.app.update_incident(&lead, phishing.id, IncidentInput { title: "Renamed".into(), category: "data_breach".into(), ..incident("phishing") }).await.unwrap();
        assert_eq!(t.app.incident_tasks(&lead, phishing.id).await.unwrap().len(), after.len(), "the same category adds nothing");

        // Not across organisations: a task id from elsewhere is not found.
        let gp = scope_of(&t.app, &cli(&t.app, "practice@meadowlane.example").await, "Y99001").await;
        assert!(matches!(t.app.set_task_done(&gp, phishing.id, tasks[0].id, true).await, Err(CoreError::NotFound)));
        assert!(matches!(t.app.add_incident_task(&gp, phishing.id, "x").await, Err(CoreError::NotFound)));
        let gp_plan = t.app.response_plan(&gp).await.unwrap();
        assert!(gp_plan.iter().all(|e| e.customised.is_none()), "another organisation's plan is its own");
    }
}

dual_test! {
    async fn the_demo_has_a_worked_incident(backend: Backend) {
        let Some(t) = TestApp::with_demo(backend).await else { return };
        t.app.seed_demo_incident().await.unwrap();
        let lead = scope_of(&t.app, &cli(&t.app, "security@riverside.example").await, "RVX").await;
        let open = t.app.open_clocks(&lead).await.unwrap();
        assert_eq!(open.len(), 1, "the GDPR notification is still to send");
        let inspector = scope_of(&t.app, &cli(&t.app, "inspector@regulator.example").await, "X26CA").await;
        assert_eq!(t.app.inbox(&inspector, Default::default()).await.unwrap().total, 1);
    }
}
