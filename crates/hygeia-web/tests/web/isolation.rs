//! Tenant isolation as a full matrix: every API route (read from the generated OpenAPI
//! document, so a new route cannot be missed) and every page route (read from the page
//! modules' source, likewise), for every role, against another organisation's ids. Anything
//! but 404 is a leak.

use crate::util::*;
use axum::http::{Method, StatusCode};
use hygeia_core::{NewInvitation, NewOrg, NewToken, NewUser};
use hygeia_testkit::dual_test;

/// Accounts holding every role there is: organisation roles at the trust, regulator roles at
/// the regulator, the national team's publisher, and the platform administrator.
const CALLERS: &[&str] = &[
    "owner@riverside.example",
    "siro@riverside.example",
    "security@riverside.example",
    "ig@riverside.example",
    "contributor@riverside.example",
    "viewer@riverside.example",
    "auditor@assurance.example",
    "inspector@regulator.example",
    "analyst@regulator.example",
    "publisher@ncoc.example",
    "admin@hygeia.example",
];

/// Another organisation nobody above can reach, with a member, an invitation and a token.
struct Foreign {
    org: String,
    user: String,
    invitation: String,
    token: String,
    incident: String,
    notification: String,
    task: String,
    evidence: String,
    action: String,
    risk: String,
    assessment: String,
    asset: String,
    alert: String,
    name: String,
}

async fn foreign(w: &Web) -> Foreign {
    let app = &w.t.app;
    let org = app
        .create_org(
            None,
            NewOrg {
                name: "Faraway Community Trust".into(),
                ods_code: "RFA".into(),
                org_type: "trust".into(),
                regimes: vec!["uk_gdpr".into()],
                ..NewOrg::default()
            },
        )
        .await
        .unwrap();
    let user = app
        .create_user(
            None,
            NewUser {
                email: "owner@faraway.example".into(),
                display_name: "Far Owner".into(),
                password: "quartz-ferry-tulip-77".into(),
                is_platform_admin: false,
            },
        )
        .await
        .unwrap();
    app.add_member_directly(org.id, user.id, "owner").await.unwrap();
    let actor = app.cli_actor(user.clone());
    let scope = app.scope(&actor, org.id).await.unwrap();
    let (invitation, _) = app
        .invite(
            &scope,
            NewInvitation {
                email: "x@faraway.example".into(),
                role: "viewer".into(),
            },
        )
        .await
        .unwrap();
    let token = app
        .create_token(
            &actor,
            NewToken {
                name: "far".into(),
                ..NewToken::default()
            },
        )
        .await
        .unwrap();
    let incident = app
        .report_incident(
            &scope,
            hygeia_core::IncidentInput {
                title: "Faraway outage".into(),
                category: "loss_of_service".into(),
                severity: "low".into(),
                detected_at: Some(w.now_s() * 1000 - 60_000),
                aware_at: Some(w.now_s() * 1000),
                ..hygeia_core::IncidentInput::default()
            },
        )
        .await
        .unwrap();
    app.assess_incident(
        &scope,
        incident.id,
        hygeia_core::FactsInput {
            personal_data: true,
            likelihood: Some("likely".into()),
            harm: Some("minor".into()),
            rationale: "Patient list emailed to the wrong practice".into(),
            ..hygeia_core::FactsInput::default()
        },
    )
    .await
    .unwrap();
    let draft = app
        .notification_draft(&scope, incident.id, "uk_gdpr", "notification")
        .await
        .unwrap();
    let values: Vec<(String, String)> = draft
        .entries
        .iter()
        .map(|e| (e.field.code().to_owned(), "Faraway outage details".to_owned()))
        .collect();
    let notification = app
        .submit_notification(&scope, incident.id, "uk_gdpr", "notification", &values, "")
        .await
        .unwrap();
    let task = app.incident_tasks(&scope, incident.id).await.unwrap()[0].id;
    let mut upload = app.begin_upload(&scope, "faraway.pdf").await.unwrap();
    upload.push(b"%PDF-1.7 Faraway outage evidence").await.unwrap();
    let evidence = app
        .add_evidence(
            &scope,
            hygeia_core::EvidenceInput {
                title: "Faraway outage evidence".into(),
                review_by: String::new(),
                content: hygeia_core::EvidenceContent::File(upload.finish().await.unwrap()),
                link: Some((hygeia_domain::evidence::LinkTarget::Incident, incident.id.to_string())),
            },
        )
        .await
        .unwrap();
    let action = app
        .add_action(
            &scope,
            hygeia_core::ActionInput {
                title: "Faraway outage lesson".into(),
                ..Default::default()
            },
            Some(incident.id),
        )
        .await
        .unwrap();
    let risk = app
        .add_risk(
            &scope,
            hygeia_core::RiskInput {
                title: "Faraway outage risk".into(),
                likelihood: "3".into(),
                impact: "3".into(),
                treatment: "treat".into(),
                owner: "Far Owner".into(),
                ..Default::default()
            },
        )
        .await
        .unwrap();
    app.link_risk(&scope, risk.risk.id, incident.id).await.unwrap();
    app.install_built_in_frameworks().await.unwrap();
    let caf = app
        .frameworks()
        .await
        .unwrap()
        .into_iter()
        .find(|f| f.key == "ncsc-caf")
        .unwrap();
    let assessment = app
        .start_assessment(
            &scope,
            hygeia_core::assessments::StartInput {
                framework_id: caf.id.to_string(),
                title: "Faraway outage assessment".into(),
                period: "2025-26".into(),
                ..Default::default()
            },
        )
        .await
        .unwrap();
    let report = app
        .import_assets(
            &scope,
            "far.csv",
            "key,name,kind,os\nFAR-1,Faraway outage server,server,Windows Server 2012 R2\n",
            &hygeia_core::assets::ImportOptions::default(),
            None,
        )
        .await
        .unwrap();
    assert_eq!(report.assets, 1);
    let far_asset = app
        .assets(&scope, None, None, hygeia_domain::page::PageRequest::new(None, None))
        .await
        .unwrap()
        .items[0]
        .id;
    // A published national alert that the faraway trust is affected by.
    let publisher = app.cli_actor(app.user_by_email("publisher@ncoc.example").await.unwrap());
    let ncoc = app
        .scope(&publisher, app.org_by_ods("X26NC").await.unwrap().id)
        .await
        .unwrap();
    let alert = app
        .create_alert(
            &ncoc,
            &hygeia_core::alerts::AlertInput {
                reference: "CC-FAR".into(),
                title: "Faraway outage alert".into(),
                severity: "high".into(),
                products: vec![hygeia_core::alerts::ProductLineInput {
                    identity: "Windows Server 2012 R2".into(),
                    ..Default::default()
                }],
                ..Default::default()
            },
        )
        .await
        .unwrap();
    app.publish_alert(&ncoc, alert.alert.id).await.unwrap();
    Foreign {
        asset: far_asset.to_string(),
        alert: alert.alert.id.to_string(),
        assessment: assessment.to_string(),
        action: action.id.to_string(),
        risk: risk.risk.id.to_string(),
        evidence: evidence.to_string(),
        task: task.to_string(),
        org: org.id.to_string(),
        incident: incident.id.to_string(),
        notification: notification.id.to_string(),
        user: user.id.to_string(),
        invitation: invitation.id.to_string(),
        token: token.token.id.to_string(),
        name: org.name,
    }
}

fn fill(template: &str, f: &Foreign) -> String {
    template
        .replace("{org_id}", &f.org)
        .replace("{user_id}", &f.user)
        .replace("{invitation_id}", &f.invitation)
        .replace("{token_id}", &f.token)
        .replace("{incident_id}", &f.incident)
        .replace("{notification_id}", &f.notification)
        .replace("{task_id}", &f.task)
        .replace("{evidence_id}", &f.evidence)
        .replace("{action_id}", &f.action)
        .replace("{risk_id}", &f.risk)
        .replace("{assessment_id}", &f.assessment)
        .replace("{asset_id}", &f.asset)
        .replace("{alert_id}", &f.alert)
        .replace("{member_org_id}", &f.org)
        .replace("{cve}", "CVE-2025-53770")
        .replace("{ref_id}", "A1.a")
        .replace("{version}", "1")
        .replace("{target}", "incident")
        .replace("{target_id}", &f.incident)
        .replace("{category}", "ransomware")
        .replace("{token}", "hyi_not_a_real_invitation")
}

/// The page routes, read from the source of the page modules.
fn page_routes() -> Vec<(Method, String)> {
    let mut files = Vec::new();
    let mut dirs = vec![std::path::PathBuf::from(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/src/html"
    ))];
    while let Some(dir) = dirs.pop() {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                dirs.push(path)
            } else {
                files.push(path)
            }
        }
    }
    let mut routes = Vec::new();
    for file in files {
        // Whitespace collapsed, so a route rustfmt spread over several lines is read too.
        let text = std::fs::read_to_string(file)
            .unwrap()
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ")
            .replace(".route( \"", ".route(\"");
        for part in text.split(".route(\"").skip(1) {
            let path = part.split('"').next().unwrap().to_owned();
            let handlers =
                part.split(')').next().unwrap_or_default().to_owned() + part.split("))").next().unwrap_or_default();
            if handlers.contains("get(") {
                routes.push((Method::GET, path.clone()));
            }
            if handlers.contains("post(") {
                routes.push((Method::POST, path.clone()));
            }
        }
    }
    routes.sort_by(|a, b| a.1.cmp(&b.1));
    routes.dedup();
    routes
}

/// Routes that take a multipart upload (a POST to them).
fn is_upload(template: &str) -> bool {
    template.ends_with("/evidence") || template.ends_with("/versions")
}

/// The file field of an upload route: the incident page names its evidence fields apart.
fn upload_field(template: &str) -> &'static str {
    if template.contains("/incidents/") || template.contains("/assessments/") {
        "evidence_file"
    } else {
        "file"
    }
}

fn api_routes() -> Vec<(Method, String)> {
    let doc: serde_json::Value = serde_json::from_str(&hygeia_web::openapi_document()).unwrap();
    let mut routes = Vec::new();
    for (path, item) in doc["paths"].as_object().unwrap() {
        for method in item.as_object().unwrap().keys() {
            routes.push((method.to_uppercase().parse().unwrap(), path.clone()));
        }
    }
    routes
}

dual_test! {
    async fn no_role_reaches_another_organisation_through_any_route(backend: Backend) {
        let Some(w) = Web::new(backend).await else { return };
        let far = foreign(&w).await;
        let api = api_routes();
        let pages = page_routes();
        assert!(api.len() >= 14, "{api:?}");
        assert!(pages.iter().any(|(_, p)| p == "/orgs/{org_id}/members"), "{pages:?}");
        assert!(pages.iter().any(|(_, p)| p == "/orgs/{org_id}/incidents/{incident_id}/tasks/{task_id}"), "page modules in folders are read too: {pages:?}");
        assert!(pages.iter().any(|(_, p)| p == "/orgs/{org_id}/assessments/{assessment_id}/items/{ref_id}/evidence"), "the assessment pages are swept: {pages:?}");
        assert!(api.iter().any(|(_, p)| p == "/orgs/{org_id}/assessments/{assessment_id}/answers"), "the assessment API is swept");
        let mut checked = 0;
        for email in CALLERS {
            let secret = w.enable_mfa(email).await;
            let token = w.token(email).await;
            let cookie = w.sign_in(email, Some(&secret)).await;
            let csrf = w.get("/account", Some(&cookie)).await.csrf();
            for (method, template) in &api {
                let path = fill(template, &far);
                let body = matches!(*method, Method::POST | Method::PATCH).then(|| serde_json::json!({"role": "viewer", "email": "a@b.example", "name": "n"}));
                let reply = w.api(method.clone(), &path, Some(&token), body).await;
                let foreign_id_in_path = template.contains('{');
                if foreign_id_in_path {
                    assert_eq!(reply.status, StatusCode::NOT_FOUND, "{email} {method} {path}: {}", reply.body);
                } else if reply.status.is_success() {
                    assert!(!reply.body.contains(&far.org) && !reply.body.contains(&far.name), "{email} {method} {path} leaks: {}", reply.body);
                }
                checked += 1;
            }
            for (method, template) in &pages {
                if !template.contains('{') {
                    continue;
                }
                let path = fill(template, &far);
                let reply = if *method == Method::GET {
                    w.get(&path, Some(&cookie)).await
                } else if is_upload(template) {
                    w.multipart(&path, Some(&cookie), &[("csrf", &csrf), ("title", "x"), ("evidence_title", "x")], Some((upload_field(template), "x.pdf", b"%PDF-1.7 x"))).await
                } else {
                    w.post_form(&path, Some(&cookie), &[("csrf", &csrf), ("role", "viewer"), ("email", "a@b.example"), ("org_id", &far.org)]).await
                };
                assert_eq!(reply.status, StatusCode::NOT_FOUND, "{email} {method} {path}: {}", reply.body);
                assert!(!reply.body.contains(&far.name), "{email} {method} {path} leaks the name");
                checked += 1;
            }
            let own = w.t.app.org_by_ods("RVX").await.unwrap().id.to_string();
            // A foreign incident under the caller's own organisation answers exactly as an id
            // that exists nowhere (404, or 403 where the role may not do this at all).
            let nowhere = "01a1d948-0000-7000-8000-000000000000";
            let nested = |t: &str| t.contains("{incident_id}") || t.contains("{notification_id}") || t.contains("{evidence_id}") || t.contains("{action_id}") || t.contains("{risk_id}") || t.contains("{assessment_id}") || t.contains("{asset_id}");
            for (method, template) in pages.iter().filter(|(_, t)| nested(t)) {
                let mut replies = Vec::new();
                for id in [None, Some(nowhere)] {
                    let mut path = fill(template, &far).replace(&far.org, &own);
                    if let Some(missing) = id {
                        path = path.replace(&far.incident, missing).replace(&far.notification, missing).replace(&far.task, missing).replace(&far.evidence, missing).replace(&far.action, missing).replace(&far.risk, missing).replace(&far.assessment, missing).replace(&far.asset, missing);
                    }
                    replies.push(if *method == Method::GET {
                        w.get(&path, Some(&cookie)).await
                    } else if is_upload(template) {
                        w.multipart(&path, Some(&cookie), &[("csrf", &csrf), ("title", "x"), ("evidence_title", "x")], Some((upload_field(template), "x.pdf", b"%PDF-1.7 x"))).await
                    } else {
                        w.post_form(&path, Some(&cookie), &[("csrf", &csrf), ("note", "x"), ("status", "closed"), ("rationale", "x"), ("regime", "uk_gdpr"), ("stage", "notification"), ("message", "x"), ("done", "1"), ("task", "x")]).await
                    });
                }
                assert_eq!(replies[0].status, replies[1].status, "{email} {method} {template}: a foreign incident differs from a missing one");
                assert!(matches!(replies[0].status, StatusCode::NOT_FOUND | StatusCode::FORBIDDEN), "{email} {method} {template}: {}", replies[0].status);
                assert!(!replies[0].body.contains("Faraway outage"), "{email} {method} {template} leaks the incident");
                assert!(!replies[0].body.contains("Faraway outage details"), "{email} {method} {template} leaks the notification");
                checked += 1;
            }
            for (method, template) in api.iter().filter(|(_, t)| nested(t)) {
                let mut replies = Vec::new();
                for id in [None, Some(nowhere)] {
                    let mut path = fill(template, &far).replace(&far.org, &own);
                    if let Some(missing) = id {
                        path = path.replace(&far.incident, missing).replace(&far.notification, missing).replace(&far.task, missing).replace(&far.evidence, missing).replace(&far.action, missing).replace(&far.risk, missing).replace(&far.assessment, missing).replace(&far.asset, missing);
                    }
                    // A well-formed body, so that only the id can be what is refused.
                    let body = (*method != Method::GET).then(|| match template.rsplit('/').next() {
                        Some("reviews") if template.contains("{assessment_id}") => serde_json::json!({"outcome": "accepted"}),
                        Some("answers") => serde_json::json!({"row_version": 1, "answers": [{"ref_id": "A1.a", "value": "assessed"}]}),
                        Some("publish") => serde_json::json!({"row_version": 1}),
                        Some("comments") => serde_json::json!({"ref_id": "A1.a", "body": "x"}),
                        Some("plan") => serde_json::json!({"due_on": "2030-01-01"}),
                        Some("status") => serde_json::json!({"status": "closed"}),
                        Some("tasks") => serde_json::json!({"title": "x"}),
                        Some("{task_id}") => serde_json::json!({"done": true}),
                        Some("notes") => serde_json::json!({"note": "x"}),
                        Some("assessments") => serde_json::json!({"rationale": "x"}),
                        Some("notifications") => serde_json::json!({"regime": "uk_gdpr", "stage": "notification", "fields": {}}),
                        Some("reviews") => serde_json::json!({"status": "accepted"}),
                        Some("{evidence_id}") | Some("{action_id}") => serde_json::json!({"title": "x"}),
                        Some("{risk_id}") => serde_json::json!({"title": "x", "likelihood": 1, "impact": 1, "treatment": "treat", "owner": "x"}),
                        Some("incidents") => serde_json::json!({"incident_id": far.incident}),
                        Some("requests") => serde_json::json!({"stage": "intermediate", "due_at": "2030-01-01T00:00:00Z"}),
                        Some("links") => serde_json::json!({"target": "incident", "target_id": far.incident}),
                        _ => serde_json::json!({"title": "x", "category": "other", "severity": "low"}),
                    });
                    replies.push(if *method == Method::POST && is_upload(template) {
                        w.multipart(&format!("/api/v1{path}"), Some(&token), &[("title", "x"), ("incident_id", nowhere)], Some(("file", "x.pdf", b"%PDF-1.7 x"))).await
                    } else {
                        w.api(method.clone(), &path, Some(&token), body).await
                    });
                }
                assert_eq!(replies[0].status, replies[1].status, "{email} {method} {template}: a foreign incident differs from a missing one");
                assert!(matches!(replies[0].status, StatusCode::NOT_FOUND | StatusCode::FORBIDDEN), "{email} {method} {template}: {}", replies[0].status);
                assert!(!replies[0].body.contains("Faraway outage"), "{email} {method} {template} leaks the incident");
                assert!(!replies[0].body.contains("Faraway outage details"), "{email} {method} {template} leaks the notification");
                checked += 1;
            }
            // Switching the session to the foreign organisation is refused too.
            let switch = w.post_form("/session/org", Some(&cookie), &[("csrf", &csrf), ("org_id", &far.org)]).await;
            assert_eq!(switch.status, StatusCode::NOT_FOUND, "{email} switch");
        }
        assert!(checked > 200, "{checked}");
    }
}
