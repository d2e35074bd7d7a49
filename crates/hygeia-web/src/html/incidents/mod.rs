//! The incident register pages: the list, reporting and editing, and the incident page with
//! its clocks, reportability assessment, status, notes, tasks and timeline. This module holds
//! the routes and what the pages share; each page lives in its own file.

mod actions;
mod form;
mod list;
mod rows;
mod show;

use crate::error::PageError;
use crate::state::AppState;
use actions::{add_note, add_task, assess, set_status, tick_task};
use axum::Router;
use axum::http::StatusCode;
use axum::routing::{get, post};
use form::{create, edit, edit_form, new_form};
use hygeia_core::{CoreError, Scope};
use hygeia_domain::FieldError;
use list::list;
use show::show;
pub(crate) use show::show_incident_with_errors;

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
        super::val(&self.0, name)
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
pub(crate) fn parse_local(
    raw: &str,
    tz: &jiff::tz::TimeZone,
    field: &str,
    errors: &mut Vec<FieldError>,
) -> Option<i64> {
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

pub(super) fn labelled(errors: Vec<FieldError>) -> Vec<FieldError> {
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

type Choice = (&'static str, &'static str);

fn choices<T: Copy>(all: &[T], code: impl Fn(T) -> &'static str, label: impl Fn(T) -> &'static str) -> Vec<Choice> {
    all.iter().map(|c| (code(*c), label(*c))).collect()
}
