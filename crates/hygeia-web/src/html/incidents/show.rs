//! The incident page: facts, reporting and deadlines, assessment, tasks, timeline.

use super::super::{Errors, Layout, Section, ok, page, parse_id, when};
use super::rows::{
    EventRow, SentRow, StandingRow, TaskRow, disruption_line, sent_row, standing_row, task_row, verdict_line,
};
use super::*;
use crate::error::PageError;
use crate::extract::SignedIn;
use crate::state::AppState;
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::response::Response;
use hygeia_core::{CoreError, IncidentView, Scope};
use hygeia_domain::FieldError;
use hygeia_domain::ids::{IncidentId, OrgId};
use hygeia_domain::incidents::IncidentStatus;
use hygeia_domain::incidents::grid::{Harm, Likelihood};
use hygeia_domain::incidents::reportability::Facts;
use hygeia_domain::permissions::Permission;
use hygeia_store::model::Incident;
use serde::Deserialize;

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
    let org = scope.org.id.to_string();
    let i = view.incident;
    let notify_base = format!("/orgs/{org}/incidents/{}/notify", i.id);
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
        disruption: disruption_line(&i, zone),
        data_categories: i
            .details
            .data_categories
            .iter()
            .map(|c| c.label())
            .collect::<Vec<_>>()
            .join(", "),
        standings: view
            .standings
            .into_iter()
            .map(|s| standing_row(s, &notify_base, zone))
            .collect(),
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
        tasks: view.tasks.iter().map(|t| task_row(t, zone)).collect(),
        sent: view.notifications.iter().map(|n| sent_row(n, &org, zone)).collect(),
        f: f.unwrap_or_else(|| FactsValues::of(&i.facts)),
        previewing: false,
        likelihoods: choices(Likelihood::ALL, Likelihood::code, Likelihood::label),
        harms: choices(Harm::ALL, Harm::code, Harm::label),
        note,
        evidence: view
            .evidence
            .iter()
            .map(|r| crate::html::evidence::item_row(&org, r))
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
            .map(|a| crate::html::governance::action_line(&org, a))
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

impl FactsValues {
    /// The assessment form's values as the incident's facts stand (the rationale starts
    /// empty: each assessment gives its own).
    fn of(facts: &Facts) -> Self {
        FactsValues {
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
        }
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
