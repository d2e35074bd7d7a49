//! The incident page: facts, reporting and deadlines, assessment, tasks, timeline.

use super::super::{Errors, Layout, Section, ok, page, parse_id, when};
use super::*;
use crate::error::PageError;
use crate::extract::SignedIn;
use crate::state::AppState;
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::response::Response;
use hygeia_core::{CoreError, IncidentView, Scope};
use hygeia_domain::FieldError;
use hygeia_domain::ids::{IncidentId, OrgId, TaskId};
use hygeia_domain::incidents::IncidentStatus;
use hygeia_domain::incidents::clocks::ClockState;
use hygeia_domain::incidents::grid::{Harm, Likelihood};
use hygeia_domain::incidents::reportability::{Decision, Verdict};
use hygeia_domain::permissions::Permission;
use hygeia_store::model::Incident;
use serde::Deserialize;

struct ClockRow {
    title: String,
    /// Where to write (or update) this stage's report.
    notify: String,
    submitted: bool,
    due: String,
    state: &'static str,
    /// The NHS.UK tag colour for the state.
    tag: &'static str,
}

struct StandingRow {
    title: String,
    verdict: Option<&'static str>,
    recipients: String,
    reasons: Vec<String>,
    rationale: String,
    decided: String,
    clocks: Vec<ClockRow>,
}

struct TaskRow {
    id: TaskId,
    title: String,
    who: &'static str,
    done: Option<String>,
}

struct SentRow {
    link: String,
    report: String,
    version: u32,
    submitted: String,
    on_time: bool,
    status: &'static str,
}

struct EventRow {
    at: String,
    actor: String,
    kind: String,
    body: String,
}

/// The assessment form's values: the recorded facts, or what was just posted.
#[derive(Default)]
pub(super) struct FactsValues {
    pub(super) personal_data: bool,
    pub(super) likelihood: String,
    pub(super) harm: String,
    pub(super) essential_service_disrupted: bool,
    pub(super) users_affected: String,
    pub(super) regions_affected: String,
    pub(super) significant_impact: String,
    pub(super) severe_disruption_or_loss: bool,
    pub(super) damage_to_others: bool,
    pub(super) capable_of_significant_impact: bool,
    pub(super) rationale: String,
}

#[derive(Template)]
#[template(path = "orgs/incident.html")]
struct ShowPage {
    layout: Layout,
    errors: Errors,
    org_id: OrgId,
    i: Incident,
    category: &'static str,
    severity: &'static str,
    status: &'static str,
    occurred: String,
    detected: String,
    aware: String,
    disruption: String,
    data_categories: String,
    standings: Vec<StandingRow>,
    preview: Vec<(String, &'static str, String)>,
    events: Vec<EventRow>,
    history: Vec<(String, String, &'static str, String)>,
    next_statuses: Vec<Choice>,
    can_manage: bool,
    can_decide: bool,
    can_submit: bool,
    sent: Vec<SentRow>,
    tasks: Vec<TaskRow>,
    tasks_done: usize,
    f: FactsValues,
    /// The preview list shows posted facts, not the recorded ones.
    previewing: bool,
    likelihoods: Vec<Choice>,
    harms: Vec<Choice>,
    note: String,
    evidence: Vec<crate::html::evidence::ItemRow>,
    library: Vec<(String, String)>,
    can_see_evidence: bool,
    can_attach: bool,
    actions: Vec<crate::html::governance::ActionLine>,
    action_statuses: Vec<(&'static str, &'static str)>,
    risks: Vec<crate::html::governance::RiskLine>,
    risk_choices: Vec<(String, String)>,
    can_see_governance: bool,
    can_manage_actions: bool,
    can_manage_risks: bool,
}

fn clock_tag(state: ClockState) -> &'static str {
    match state {
        ClockState::Overdue | ClockState::SubmittedLate => "nhsuk-tag--red",
        ClockState::DueSoon => "nhsuk-tag--orange",
        ClockState::Due => "nhsuk-tag--blue",
        ClockState::SubmittedOnTime => "nhsuk-tag--green",
        ClockState::NotDue => "nhsuk-tag--grey",
    }
}

fn verdict_line(d: &Decision) -> (String, &'static str, String) {
    let detail = match d.verdict {
        Verdict::Reportable => format!("to {}", d.recipients.join(", ")),
        Verdict::NeedsInput => format!("needs: {}", d.missing.join(", ")),
        Verdict::NotReportable => d.reasons.join("; "),
    };
    (d.regime.label().to_owned(), d.verdict.label(), detail)
}

fn show_page(
    scope: &Scope,
    session: &hygeia_store::model::Session,
    view: IncidentView,
    errors: Vec<FieldError>,
    f: Option<FactsValues>,
    note: String,
    notice: Option<&str>,
) -> ShowPage {
    let zone = &scope.org.time_zone;
    let i = view.incident;
    let facts = &i.facts;
    let f = f.unwrap_or_else(|| FactsValues {
        personal_data: facts.personal_data,
        likelihood: facts.likelihood.map(|l| l.code().to_owned()).unwrap_or_default(),
        harm: facts.harm.map(|h| h.code().to_owned()).unwrap_or_default(),
        essential_service_disrupted: facts.essential_service_disrupted,
        users_affected: facts.users_affected.map(|n| n.to_string()).unwrap_or_default(),
        regions_affected: facts.regions_affected.map(|n| n.to_string()).unwrap_or_default(),
        significant_impact: match facts.significant_impact {
            Some(true) => "yes".into(),
            Some(false) => "no".into(),
            None => String::new(),
        },
        severe_disruption_or_loss: facts.severe_disruption_or_loss,
        damage_to_others: facts.damage_to_others,
        capable_of_significant_impact: facts.capable_of_significant_impact,
        rationale: String::new(),
    });
    let standings = view
        .standings
        .into_iter()
        .map(|s| StandingRow {
            title: s.title,
            verdict: s.decision.as_ref().map(|d| d.decision.verdict.label()),
            recipients: s
                .decision
                .as_ref()
                .map(|d| d.decision.recipients.join(", "))
                .unwrap_or_default(),
            reasons: s
                .decision
                .as_ref()
                .map(|d| d.decision.reasons.clone())
                .unwrap_or_default(),
            rationale: s.decision.as_ref().map(|d| d.rationale.clone()).unwrap_or_default(),
            decided: s
                .decision
                .as_ref()
                .map(|d| format!("{} by {}", when(d.decided_at, zone), d.decided_by))
                .unwrap_or_default(),
            clocks: s
                .clocks
                .into_iter()
                .map(|c| ClockRow {
                    notify: format!(
                        "/orgs/{}/incidents/{}/notify?regime={}&stage={}",
                        scope.org.id,
                        i.id,
                        s.regime.code(),
                        c.stage
                    ),
                    submitted: c.submitted_at.is_some(),
                    title: c.title,
                    due: c.due_at.map_or_else(|| "Only if asked".to_owned(), |d| when(d, zone)),
                    state: c.state.label(),
                    tag: clock_tag(c.state),
                })
                .collect(),
        })
        .collect();
    let disruption = match (i.details.disruption_start, i.details.disruption_end) {
        (Some(s), Some(e)) => format!("{} to {}", when(s, zone), when(e, zone)),
        (Some(s), None) => format!("since {} (ongoing)", when(s, zone)),
        _ => "None recorded".into(),
    };
    ShowPage {
        layout: Layout::for_scope(&i.reference, scope, session, Section::Incidents).with_notice(notice),
        errors: Errors::from(errors),
        org_id: scope.org.id,
        category: i.category.label(),
        severity: i.severity.label(),
        status: i.status.label(),
        occurred: i.occurred_at.map_or_else(|| "Not known".to_owned(), |t| when(t, zone)),
        detected: when(i.detected_at, zone),
        aware: when(i.aware_at, zone),
        disruption,
        data_categories: i
            .details
            .data_categories
            .iter()
            .map(|c| c.label())
            .collect::<Vec<_>>()
            .join(", "),
        standings,
        preview: view.preview.iter().map(verdict_line).collect(),
        events: view
            .events
            .into_iter()
            .map(|e| EventRow {
                at: when(e.at, zone),
                actor: e.actor_label,
                kind: e.kind,
                body: e.body,
            })
            .collect(),
        history: view
            .history
            .iter()
            .map(|d| {
                (
                    when(d.decided_at, zone),
                    d.decision.regime.label().to_owned(),
                    d.decision.verdict.label(),
                    format!("{} ({})", d.rationale, d.decided_by),
                )
            })
            .collect(),
        next_statuses: IncidentStatus::ALL
            .iter()
            .filter(|s| i.status.can_move_to(**s))
            .map(|s| (s.code(), s.label()))
            .collect(),
        can_manage: scope.allows(Permission::IncidentsManage),
        can_decide: scope.allows(Permission::IncidentsDecide),
        can_submit: scope.allows(Permission::NotificationsSubmit),
        tasks_done: view.tasks.iter().filter(|t| t.done_at.is_some()).count(),
        tasks: view
            .tasks
            .iter()
            .map(|t| TaskRow {
                id: t.id,
                title: t.title.clone(),
                who: t.role.map_or("Incident lead", |r| r.label()),
                done: t
                    .done_at
                    .map(|at| format!("Done {} by {}", when(at, zone), t.done_by.clone().unwrap_or_default())),
            })
            .collect(),
        sent: view
            .notifications
            .iter()
            .map(|n| SentRow {
                link: format!("/orgs/{}/notifications/{}", scope.org.id, n.id),
                report: format!("{}: {}", n.regime.label(), n.stage),
                version: n.version,
                submitted: when(n.submitted_at, zone),
                on_time: n.on_time,
                status: n.review_status.label(),
            })
            .collect(),
        f,
        previewing: false,
        likelihoods: choices(Likelihood::ALL, Likelihood::code, Likelihood::label),
        harms: choices(Harm::ALL, Harm::code, Harm::label),
        note,
        evidence: view
            .evidence
            .iter()
            .map(|r| crate::html::evidence::item_row(&scope.org.id.to_string(), r))
            .collect(),
        library: view
            .library
            .iter()
            .map(|(id, title)| (id.to_string(), title.clone()))
            .collect(),
        can_see_evidence: scope.allows(Permission::EvidenceView),
        can_attach: scope.allows(Permission::EvidenceManage),
        actions: view
            .actions
            .iter()
            .map(|a| crate::html::governance::action_line(&scope.org.id.to_string(), a))
            .collect(),
        action_statuses: crate::html::governance::status_choices(),
        risks: view.risks.iter().map(crate::html::governance::risk_line).collect(),
        risk_choices: view
            .risk_choices
            .iter()
            .map(|(id, label)| (id.to_string(), label.clone()))
            .collect(),
        can_see_governance: scope.allows(Permission::GovernanceView),
        can_manage_actions: scope.allows(Permission::ActionsManage),
        can_manage_risks: scope.allows(Permission::RisksManage),
        i,
    }
}

#[derive(Deserialize)]
pub(super) struct ShowQuery {
    reported: Option<String>,
    saved: Option<String>,
    assessed: Option<String>,
}

pub(super) async fn show(
    State(state): State<AppState>,
    signed_in: SignedIn,
    Path((org_id, incident_id)): Path<(String, String)>,
    Query(q): Query<ShowQuery>,
) -> Result<Response, PageError> {
    let scope = state.core.scope(&signed_in.actor, parse_id::<OrgId>(&org_id)?).await?;
    let view = state
        .core
        .incident(&scope, parse_id::<IncidentId>(&incident_id)?)
        .await?;
    let notice = if q.reported.is_some() {
        Some("The incident was reported. Assess whether it must be notified below.")
    } else if q.assessed.is_some() {
        Some("The reportability decisions were recorded.")
    } else if q.saved.is_some() {
        Some("The incident was saved.")
    } else {
        None
    };
    Ok(ok(&show_page(
        &scope,
        &signed_in.session,
        view,
        Vec::new(),
        None,
        String::new(),
        notice,
    )))
}

/// Re-shows the incident page with errors from one of its forms.
pub(super) async fn show_with_errors(
    state: &AppState,
    scope: &Scope,
    session: &hygeia_store::model::Session,
    id: IncidentId,
    e: CoreError,
    f: Option<FactsValues>,
    note: String,
) -> Result<Response, PageError> {
    let status = invalid_status(&e);
    let errors = field_errors(e, "status")?;
    let view = state.core.incident(scope, id).await?;
    Ok(page(status, &show_page(scope, session, view, errors, f, note, None)))
}

/// The incident page with errors from a form of another feature (evidence).
pub(crate) async fn show_incident_with_errors(
    state: &AppState,
    scope: &Scope,
    session: &hygeia_store::model::Session,
    id: IncidentId,
    status: axum::http::StatusCode,
    errors: Vec<FieldError>,
) -> Result<Response, PageError> {
    let view = state.core.incident(scope, id).await?;
    Ok(page(
        status,
        &show_page(scope, session, view, errors, None, String::new(), None),
    ))
}

/// The incident page with what the posted facts would decide (nothing recorded), and what that
/// would change against the decisions on record.
pub(super) async fn show_preview(
    state: &AppState,
    scope: &Scope,
    session: &hygeia_store::model::Session,
    id: IncidentId,
    assessed: hygeia_core::Assessed,
    f: FactsValues,
) -> Result<Response, PageError> {
    let mut view = state.core.incident(scope, id).await?;
    view.preview = assessed.decisions;
    let notice = if assessed.changes.is_empty() {
        "Preview, not recorded: these facts change no decision on record.".to_owned()
    } else {
        format!(
            "Preview, not recorded. These facts would change: {}.",
            assessed.changes.join("; ")
        )
    };
    let mut p = show_page(scope, session, view, Vec::new(), Some(f), String::new(), Some(&notice));
    p.previewing = true;
    Ok(page(axum::http::StatusCode::OK, &p))
}
