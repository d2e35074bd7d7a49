//! The incident page's forms: status, notes, assessment and tasks.

use super::super::parse_id;
use super::show::{FactsValues, show_preview, show_with_errors};
use super::*;
use crate::error::PageError;
use crate::extract::CsrfForm;
use crate::state::AppState;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use hygeia_core::{CoreError, FactsInput};
use hygeia_domain::ids::{IncidentId, OrgId, TaskId};

pub(super) async fn set_status(
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

pub(super) async fn add_note(
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

pub(super) async fn assess(
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
    if f.flag("preview") && errors.is_empty() {
        return match state.core.preview_assessment(&scope, id, input).await {
            Ok(assessed) => show_preview(&state, &scope, &form.session, id, assessed, values).await,
            Err(e) => show_with_errors(&state, &scope, &form.session, id, e, Some(values), String::new()).await,
        };
    }
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

pub(super) async fn add_task(
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

pub(super) async fn tick_task(
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
