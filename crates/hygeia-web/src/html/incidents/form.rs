//! Reporting and editing an incident.

use super::super::{Errors, Layout, Section, ok, page, parse_id};
use super::*;
use crate::error::PageError;
use crate::extract::{CsrfForm, SignedIn};
use crate::state::AppState;
use askama::Template;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use hygeia_core::{CoreError, IncidentInput, Scope};
use hygeia_domain::FieldError;
use hygeia_domain::ids::{IncidentId, OrgId};
use hygeia_domain::incidents::{DataCategory, IncidentCategory, IncidentSeverity};
use hygeia_domain::permissions::Permission;
use hygeia_store::model::Incident;

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

pub(super) async fn new_form(
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

pub(super) async fn create(
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

pub(super) async fn edit_form(
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

pub(super) async fn edit(
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
