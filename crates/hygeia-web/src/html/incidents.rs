//! The incident register pages: the list, reporting and editing, and the incident page with
//! its clocks, reportability assessment, status, notes and timeline.

use super::{Errors, Layout, Section, ok, page, parse_id, when};
use crate::error::PageError;
use crate::extract::{CsrfForm, SignedIn};
use crate::state::AppState;
use askama::Template;
use axum::Router;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use hygeia_core::{CoreError, FactsInput, IncidentInput, IncidentView, Scope};
use hygeia_domain::FieldError;
use hygeia_domain::ids::{IncidentId, OrgId, TaskId};
use hygeia_domain::incidents::clocks::ClockState;
use hygeia_domain::incidents::grid::{Harm, Likelihood};
use hygeia_domain::incidents::reportability::{Decision, Verdict};
use hygeia_domain::incidents::{DataCategory, IncidentCategory, IncidentSeverity, IncidentStatus};
use hygeia_domain::page::PageRequest;
use hygeia_domain::permissions::Permission;
use hygeia_store::model::Incident;
use serde::Deserialize;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/orgs/{org_id}/incidents", get(list).post(create))
        .route("/orgs/{org_id}/incidents/new", get(new_form))
        .route("/orgs/{org_id}/incidents/{incident_id}", get(show))
        .route("/orgs/{org_id}/incidents/{incident_id}/edit", get(edit_form).post(edit))
        .route("/orgs/{org_id}/incidents/{incident_id}/status", post(set_status))
        .route("/orgs/{org_id}/incidents/{incident_id}/notes", post(add_note))
        .route("/orgs/{org_id}/incidents/{incident_id}/assess", post(assess))
        .route("/orgs/{org_id}/incidents/{incident_id}/tasks", post(add_task))
        .route(
            "/orgs/{org_id}/incidents/{incident_id}/tasks/{task_id}",
            post(tick_task),
        )
}

/// A posted form as name/value pairs (checkboxes are absent when unticked; some names repeat).
struct Fields(Vec<(String, String)>);

impl Fields {
    fn val(&self, name: &str) -> String {
        self.0
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.trim().to_owned())
            .unwrap_or_default()
    }
    fn all(&self, name: &str) -> Vec<String> {
        self.0
            .iter()
            .filter(|(k, _)| k == name)
            .map(|(_, v)| v.clone())
            .collect()
    }
    fn flag(&self, name: &str) -> bool {
        self.0.iter().any(|(k, _)| k == name)
    }
}

fn tz(scope: &Scope) -> jiff::tz::TimeZone {
    jiff::tz::TimeZone::get(&scope.org.time_zone).unwrap_or(jiff::tz::TimeZone::UTC)
}

/// A `datetime-local` value (`2026-11-23T09:30`) read on the organisation's wall clock.
fn parse_local(raw: &str, tz: &jiff::tz::TimeZone, field: &str, errors: &mut Vec<FieldError>) -> Option<i64> {
    if raw.is_empty() {
        return None;
    }
    match raw
        .parse::<jiff::civil::DateTime>()
        .ok()
        .and_then(|dt| dt.to_zoned_datetime(tz.clone()).ok())
    {
        Some(z) => Some(z.timestamp().as_millisecond()),
        None => {
            errors.push(FieldError::new(
                field,
                "must be a date and time, for example 2026-11-23 09:30",
            ));
            None
        }
    }
}

/// The value a `datetime-local` input shows for a time.
fn local_input(ms: Option<i64>, tz: &jiff::tz::TimeZone) -> String {
    ms.and_then(|ms| jiff::Timestamp::from_millisecond(ms).ok())
        .map(|t| t.to_zoned_datetime(tz.clone()).strftime("%Y-%m-%dT%H:%M").to_string())
        .unwrap_or_default()
}

fn parse_count<T: std::str::FromStr>(raw: &str, field: &str, errors: &mut Vec<FieldError>) -> Option<T> {
    if raw.is_empty() {
        return None;
    }
    match raw.parse::<T>() {
        Ok(n) => Some(n),
        Err(_) => {
            errors.push(FieldError::new(field, "must be a whole number, 0 or more"));
            None
        }
    }
}

/// What the incident form shows: the values as typed (or as stored, for an edit).
#[derive(Default, Clone)]
struct FormValues {
    title: String,
    category: String,
    severity: String,
    description: String,
    occurred_at: String,
    detected_at: String,
    aware_at: String,
    aware_note: String,
    essential_services: String,
    systems_affected: String,
    disruption_start: String,
    disruption_end: String,
    patients_affected: String,
    data_subjects: String,
    records_affected: String,
    data_categories: Vec<String>,
    patient_safety_impact: bool,
    cross_border: bool,
    suspected_malicious: bool,
    third_party: bool,
    root_cause: String,
    lessons_learned: String,
    change_reason: String,
    version: String,
}

impl FormValues {
    fn from_fields(f: &Fields) -> Self {
        FormValues {
            title: f.val("title"),
            category: f.val("category"),
            severity: f.val("severity"),
            description: f.val("description"),
            occurred_at: f.val("occurred_at"),
            detected_at: f.val("detected_at"),
            aware_at: f.val("aware_at"),
            aware_note: f.val("aware_note"),
            essential_services: f.val("essential_services"),
            systems_affected: f.val("systems_affected"),
            disruption_start: f.val("disruption_start"),
            disruption_end: f.val("disruption_end"),
            patients_affected: f.val("patients_affected"),
            data_subjects: f.val("data_subjects"),
            records_affected: f.val("records_affected"),
            data_categories: f.all("data_categories"),
            patient_safety_impact: f.flag("patient_safety_impact"),
            cross_border: f.flag("cross_border"),
            suspected_malicious: f.flag("suspected_malicious"),
            third_party: f.flag("third_party"),
            root_cause: f.val("root_cause"),
            lessons_learned: f.val("lessons_learned"),
            change_reason: f.val("change_reason"),
            version: f.val("version"),
        }
    }

    fn from_incident(i: &Incident, tz: &jiff::tz::TimeZone) -> Self {
        let d = &i.details;
        let count = |n: Option<u64>| n.map(|n| n.to_string()).unwrap_or_default();
        FormValues {
            title: i.title.clone(),
            category: i.category.code().into(),
            severity: i.severity.code().into(),
            description: d.description.clone(),
            occurred_at: local_input(i.occurred_at, tz),
            detected_at: local_input(Some(i.detected_at), tz),
            aware_at: local_input(Some(i.aware_at), tz),
            aware_note: d.aware_note.clone(),
            essential_services: d.essential_services.clone(),
            systems_affected: d.systems_affected.clone(),
            disruption_start: local_input(d.disruption_start, tz),
            disruption_end: local_input(d.disruption_end, tz),
            patients_affected: count(d.patients_affected),
            data_subjects: count(d.data_subjects),
            records_affected: count(d.records_affected),
            data_categories: d.data_categories.iter().map(|c| c.code().to_owned()).collect(),
            patient_safety_impact: d.patient_safety_impact,
            cross_border: d.cross_border,
            suspected_malicious: d.suspected_malicious,
            third_party: d.third_party,
            root_cause: d.root_cause.clone(),
            lessons_learned: d.lessons_learned.clone(),
            change_reason: String::new(),
            version: i.updated_at.to_string(),
        }
    }

    /// The use case's input, or the errors of fields the web layer reads (times, counts).
    fn to_input(&self, tz: &jiff::tz::TimeZone) -> Result<IncidentInput, Vec<FieldError>> {
        let mut e = Vec::new();
        let input = IncidentInput {
            title: self.title.clone(),
            category: self.category.clone(),
            severity: self.severity.clone(),
            description: self.description.clone(),
            occurred_at: parse_local(&self.occurred_at, tz, "occurred_at", &mut e),
            detected_at: parse_local(&self.detected_at, tz, "detected_at", &mut e),
            aware_at: parse_local(&self.aware_at, tz, "aware_at", &mut e),
            aware_note: self.aware_note.clone(),
            essential_services: self.essential_services.clone(),
            systems_affected: self.systems_affected.clone(),
            disruption_start: parse_local(&self.disruption_start, tz, "disruption_start", &mut e),
            disruption_end: parse_local(&self.disruption_end, tz, "disruption_end", &mut e),
            patients_affected: parse_count(&self.patients_affected, "patients_affected", &mut e),
            data_subjects: parse_count(&self.data_subjects, "data_subjects", &mut e),
            records_affected: parse_count(&self.records_affected, "records_affected", &mut e),
            data_categories: self.data_categories.clone(),
            patient_safety_impact: self.patient_safety_impact,
            cross_border: self.cross_border,
            suspected_malicious: self.suspected_malicious,
            third_party: self.third_party,
            root_cause: self.root_cause.clone(),
            lessons_learned: self.lessons_learned.clone(),
            change_reason: self.change_reason.clone(),
            expected_updated_at: self.version.parse().ok(),
        };
        if e.is_empty() { Ok(input) } else { Err(e) }
    }
}

type Choice = (&'static str, &'static str);

#[derive(Template)]
#[template(path = "orgs/incident_form.html")]
struct FormPage {
    layout: Layout,
    errors: Errors,
    action: String,
    heading: &'static str,
    editing: bool,
    v: FormValues,
    categories: Vec<Choice>,
    severities: Vec<Choice>,
    data_categories: Vec<Choice>,
    time_zone: String,
}

fn choices<T: Copy>(all: &[T], code: impl Fn(T) -> &'static str, label: impl Fn(T) -> &'static str) -> Vec<Choice> {
    all.iter().map(|c| (code(*c), label(*c))).collect()
}

fn form_page(
    scope: &Scope,
    session: &hygeia_store::model::Session,
    editing: Option<IncidentId>,
    v: FormValues,
    errors: Vec<FieldError>,
) -> FormPage {
    let (heading, action) = match editing {
        Some(id) => ("Edit incident", format!("/orgs/{}/incidents/{id}/edit", scope.org.id)),
        None => ("Report an incident", format!("/orgs/{}/incidents", scope.org.id)),
    };
    FormPage {
        layout: Layout::for_scope(heading, scope, session, Section::Incidents),
        errors: Errors::from(errors),
        action,
        heading,
        editing: editing.is_some(),
        v,
        categories: choices(IncidentCategory::ALL, IncidentCategory::code, IncidentCategory::label),
        severities: choices(IncidentSeverity::ALL, IncidentSeverity::code, IncidentSeverity::label),
        data_categories: choices(DataCategory::ALL, DataCategory::code, DataCategory::label),
        time_zone: scope.org.time_zone.clone(),
    }
}

/// How each field is named to people, so an error reads "Title is required" in the summary.
const LABELS: &[(&str, &str)] = &[
    ("title", "Title"),
    ("category", "Category"),
    ("severity", "Severity"),
    ("description", "What happened"),
    ("occurred_at", "When it occurred"),
    ("detected_at", "When it was detected"),
    ("aware_at", "When the organisation became aware"),
    ("aware_note", "Why that moment"),
    ("change_reason", "Reason for changing the awareness time"),
    ("essential_services", "Essential services affected"),
    ("systems_affected", "Systems and assets affected"),
    ("disruption_start", "Disruption start"),
    ("disruption_end", "Disruption end"),
    ("patients_affected", "Patients or service users affected"),
    ("data_subjects", "People whose data is involved"),
    ("records_affected", "Records involved"),
    ("data_categories", "Kinds of data"),
    ("root_cause", "Root cause"),
    ("lessons_learned", "Lessons learned"),
    ("likelihood", "Likelihood"),
    ("harm", "Severity of harm"),
    ("users_affected", "Users affected"),
    ("regions_affected", "Regions affected"),
    ("significant_impact", "Significance"),
    ("rationale", "Rationale"),
    ("status", "Status"),
    ("note", "Note"),
    ("task", "Task"),
];

fn labelled(errors: Vec<FieldError>) -> Vec<FieldError> {
    errors
        .into_iter()
        .map(|e| match LABELS.iter().find(|(f, _)| *f == e.field) {
            Some((_, label)) => FieldError::new(e.field, format!("{label} {}", e.message)),
            None => e,
        })
        .collect()
}

fn invalid_status(e: &CoreError) -> StatusCode {
    match e {
        CoreError::Conflict(_) => StatusCode::CONFLICT,
        _ => StatusCode::UNPROCESSABLE_ENTITY,
    }
}

fn field_errors(e: CoreError, conflict_field: &str) -> Result<Vec<FieldError>, PageError> {
    match e {
        CoreError::Validation(errors) => Ok(labelled(errors)),
        CoreError::Conflict(why) => Ok(vec![FieldError::new(conflict_field, why)]),
        other => Err(other.into()),
    }
}

#[derive(Deserialize)]
struct ListQuery {
    #[serde(default)]
    all: Option<String>,
    #[serde(default)]
    offset: Option<u64>,
}

struct Row {
    id: IncidentId,
    reference: String,
    title: String,
    category: &'static str,
    severity: &'static str,
    status: &'static str,
    aware: String,
}

#[derive(Template)]
#[template(path = "orgs/incidents.html")]
struct ListPage {
    layout: Layout,
    org_id: OrgId,
    rows: Vec<Row>,
    total: u64,
    show_all: bool,
    can_report: bool,
    next_offset: Option<u64>,
}

async fn list(
    State(state): State<AppState>,
    signed_in: SignedIn,
    Path(org_id): Path<String>,
    Query(q): Query<ListQuery>,
) -> Result<Response, PageError> {
    let scope = state.core.scope(&signed_in.actor, parse_id::<OrgId>(&org_id)?).await?;
    let show_all = q.all.is_some();
    let found = state
        .core
        .incidents(&scope, !show_all, PageRequest::new(Some(50), q.offset))
        .await?;
    let next_offset = found.next_offset();
    let rows = found
        .items
        .into_iter()
        .map(|i| Row {
            id: i.id,
            reference: i.reference,
            title: i.title,
            category: i.category.label(),
            severity: i.severity.label(),
            status: i.status.label(),
            aware: when(i.aware_at, &scope.org.time_zone),
        })
        .collect();
    Ok(ok(&ListPage {
        layout: Layout::for_scope("Incidents", &scope, &signed_in.session, Section::Incidents),
        org_id: scope.org.id,
        rows,
        total: found.total,
        show_all,
        can_report: scope.allows(Permission::IncidentsManage),
        next_offset,
    }))
}

async fn new_form(
    State(state): State<AppState>,
    signed_in: SignedIn,
    Path(org_id): Path<String>,
) -> Result<Response, PageError> {
    let scope = state.core.scope(&signed_in.actor, parse_id::<OrgId>(&org_id)?).await?;
    scope.require(Permission::IncidentsManage)?;
    let v = FormValues {
        severity: "medium".into(),
        ..FormValues::default()
    };
    Ok(ok(&form_page(&scope, &signed_in.session, None, v, Vec::new())))
}

async fn create(
    State(state): State<AppState>,
    Path(org_id): Path<String>,
    form: CsrfForm<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let scope = state.core.scope(&form.actor, parse_id::<OrgId>(&org_id)?).await?;
    scope.require(Permission::IncidentsManage)?;
    let v = FormValues::from_fields(&Fields(form.form));
    let result = match v.to_input(&tz(&scope)) {
        Ok(input) => state
            .core
            .report_incident(&scope, input)
            .await
            .map_err(|e| (invalid_status(&e), e)),
        Err(errors) => Err((StatusCode::UNPROCESSABLE_ENTITY, CoreError::Validation(errors))),
    };
    match result {
        Ok(incident) => {
            Ok(Redirect::to(&format!("/orgs/{}/incidents/{}?reported=1", scope.org.id, incident.id)).into_response())
        }
        Err((status, e)) => {
            let errors = field_errors(e, "title")?;
            Ok(page(status, &form_page(&scope, &form.session, None, v, errors)))
        }
    }
}

async fn edit_form(
    State(state): State<AppState>,
    signed_in: SignedIn,
    Path((org_id, incident_id)): Path<(String, String)>,
) -> Result<Response, PageError> {
    let scope = state.core.scope(&signed_in.actor, parse_id::<OrgId>(&org_id)?).await?;
    scope.require(Permission::IncidentsManage)?;
    let id = parse_id::<IncidentId>(&incident_id)?;
    let view = state.core.incident(&scope, id).await?;
    let v = FormValues::from_incident(&view.incident, &tz(&scope));
    Ok(ok(&form_page(&scope, &signed_in.session, Some(id), v, Vec::new())))
}

async fn edit(
    State(state): State<AppState>,
    Path((org_id, incident_id)): Path<(String, String)>,
    form: CsrfForm<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let scope = state.core.scope(&form.actor, parse_id::<OrgId>(&org_id)?).await?;
    let id = parse_id::<IncidentId>(&incident_id)?;
    scope.require(Permission::IncidentsManage)?;
    let v = FormValues::from_fields(&Fields(form.form));
    let result = match v.to_input(&tz(&scope)) {
        Ok(input) => state
            .core
            .update_incident(&scope, id, input)
            .await
            .map_err(|e| (invalid_status(&e), e)),
        Err(errors) => Err((StatusCode::UNPROCESSABLE_ENTITY, CoreError::Validation(errors))),
    };
    match result {
        Ok(_) => Ok(Redirect::to(&format!("/orgs/{}/incidents/{id}?saved=1", scope.org.id)).into_response()),
        Err((status, e)) => {
            let errors = field_errors(e, "title")?;
            Ok(page(status, &form_page(&scope, &form.session, Some(id), v, errors)))
        }
    }
}

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
struct FactsValues {
    personal_data: bool,
    likelihood: String,
    harm: String,
    essential_service_disrupted: bool,
    users_affected: String,
    regions_affected: String,
    significant_impact: String,
    severe_disruption_or_loss: bool,
    damage_to_others: bool,
    capable_of_significant_impact: bool,
    rationale: String,
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
    likelihoods: Vec<Choice>,
    harms: Vec<Choice>,
    note: String,
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
        likelihoods: choices(Likelihood::ALL, Likelihood::code, Likelihood::label),
        harms: choices(Harm::ALL, Harm::code, Harm::label),
        note,
        i,
    }
}

#[derive(Deserialize)]
struct ShowQuery {
    reported: Option<String>,
    saved: Option<String>,
    assessed: Option<String>,
}

async fn show(
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
async fn show_with_errors(
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

async fn set_status(
    State(state): State<AppState>,
    Path((org_id, incident_id)): Path<(String, String)>,
    form: CsrfForm<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let scope = state.core.scope(&form.actor, parse_id::<OrgId>(&org_id)?).await?;
    let id = parse_id::<IncidentId>(&incident_id)?;
    let f = Fields(form.form);
    match state
        .core
        .set_incident_status(&scope, id, &f.val("status"), &f.val("status_note"))
        .await
    {
        Ok(_) => Ok(Redirect::to(&format!("/orgs/{}/incidents/{id}?saved=1", scope.org.id)).into_response()),
        Err(e) => show_with_errors(&state, &scope, &form.session, id, e, None, String::new()).await,
    }
}

async fn add_note(
    State(state): State<AppState>,
    Path((org_id, incident_id)): Path<(String, String)>,
    form: CsrfForm<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let scope = state.core.scope(&form.actor, parse_id::<OrgId>(&org_id)?).await?;
    let id = parse_id::<IncidentId>(&incident_id)?;
    let note = Fields(form.form).val("note");
    match state.core.add_incident_note(&scope, id, &note).await {
        Ok(()) => Ok(Redirect::to(&format!("/orgs/{}/incidents/{id}#timeline", scope.org.id)).into_response()),
        Err(e) => show_with_errors(&state, &scope, &form.session, id, e, None, note).await,
    }
}

async fn assess(
    State(state): State<AppState>,
    Path((org_id, incident_id)): Path<(String, String)>,
    form: CsrfForm<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let scope = state.core.scope(&form.actor, parse_id::<OrgId>(&org_id)?).await?;
    let id = parse_id::<IncidentId>(&incident_id)?;
    let f = Fields(form.form);
    let values = FactsValues {
        personal_data: f.flag("personal_data"),
        likelihood: f.val("likelihood"),
        harm: f.val("harm"),
        essential_service_disrupted: f.flag("essential_service_disrupted"),
        users_affected: f.val("users_affected"),
        regions_affected: f.val("regions_affected"),
        significant_impact: f.val("significant_impact"),
        severe_disruption_or_loss: f.flag("severe_disruption_or_loss"),
        damage_to_others: f.flag("damage_to_others"),
        capable_of_significant_impact: f.flag("capable_of_significant_impact"),
        rationale: f.val("rationale"),
    };
    let mut errors = Vec::new();
    let input = FactsInput {
        personal_data: values.personal_data,
        likelihood: Some(values.likelihood.clone()),
        harm: Some(values.harm.clone()),
        essential_service_disrupted: values.essential_service_disrupted,
        users_affected: parse_count(&values.users_affected, "users_affected", &mut errors),
        regions_affected: parse_count(&values.regions_affected, "regions_affected", &mut errors),
        significant_impact: Some(values.significant_impact.clone()),
        severe_disruption_or_loss: values.severe_disruption_or_loss,
        damage_to_others: values.damage_to_others,
        capable_of_significant_impact: values.capable_of_significant_impact,
        rationale: values.rationale.clone(),
    };
    let result = if errors.is_empty() {
        state.core.assess_incident(&scope, id, input).await.map(|_| ())
    } else {
        Err(CoreError::Validation(errors))
    };
    match result {
        Ok(()) => Ok(Redirect::to(&format!("/orgs/{}/incidents/{id}?assessed=1", scope.org.id)).into_response()),
        Err(e) => show_with_errors(&state, &scope, &form.session, id, e, Some(values), String::new()).await,
    }
}

async fn add_task(
    State(state): State<AppState>,
    Path((org_id, incident_id)): Path<(String, String)>,
    form: CsrfForm<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let scope = state.core.scope(&form.actor, parse_id::<OrgId>(&org_id)?).await?;
    let id = parse_id::<IncidentId>(&incident_id)?;
    let task = Fields(form.form).val("task");
    match state.core.add_incident_task(&scope, id, &task).await {
        Ok(()) => Ok(Redirect::to(&format!("/orgs/{}/incidents/{id}#tasks", scope.org.id)).into_response()),
        Err(e) => show_with_errors(&state, &scope, &form.session, id, e, None, String::new()).await,
    }
}

async fn tick_task(
    State(state): State<AppState>,
    Path((org_id, incident_id, task_id)): Path<(String, String, String)>,
    form: CsrfForm<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let scope = state.core.scope(&form.actor, parse_id::<OrgId>(&org_id)?).await?;
    let id = parse_id::<IncidentId>(&incident_id)?;
    let task = parse_id::<TaskId>(&task_id)?;
    let done = Fields(form.form).val("done") != "0";
    state.core.set_task_done(&scope, id, task, done).await?;
    Ok(Redirect::to(&format!("/orgs/{}/incidents/{id}#tasks", scope.org.id)).into_response())
}
