//! The incident page's governance forms: raise an improvement action from the incident, and
//! link or unlink a risk from the register.

use super::super::incidents::show_incident_with_errors;
use super::super::parse_id;
use super::val;
use crate::error::PageError;
use crate::extract::CsrfForm;
use crate::state::AppState;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use hygeia_core::{ActionInput, CoreError};
use hygeia_domain::FieldError;
use hygeia_domain::ids::{IncidentId, OrgId, RiskId};

pub(super) async fn add_action(
    State(state): State<AppState>,
    Path((org_id, incident_id)): Path<(String, String)>,
    form: CsrfForm<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let scope = state.core.scope(&form.actor, parse_id::<OrgId>(&org_id)?).await?;
    let id = parse_id::<IncidentId>(&incident_id)?;
    // Not another organisation's incident, whatever the form holds.
    state.core.incident_reference(&scope, id).await?;
    let input = ActionInput {
        title: val(&form.form, "action_title"),
        detail: String::new(),
        owner: val(&form.form, "action_owner"),
        due_on: val(&form.form, "action_due_on"),
        status: String::new(),
    };
    match state.core.add_action(&scope, input, Some(id)).await {
        Ok(_) => Ok(Redirect::to(&format!("/orgs/{}/incidents/{id}#actions", scope.org.id)).into_response()),
        Err(CoreError::Validation(errors)) => {
            // The incident page has other forms: these fields are named apart.
            let errors = errors
                .into_iter()
                .map(|e| FieldError::new(format!("action_{}", e.field), e.message))
                .collect();
            show_incident_with_errors(
                &state,
                &scope,
                &form.session,
                id,
                StatusCode::UNPROCESSABLE_ENTITY,
                errors,
            )
            .await
        }
        Err(e) => Err(e.into()),
    }
}

pub(super) async fn link_risk(
    State(state): State<AppState>,
    Path((org_id, incident_id)): Path<(String, String)>,
    form: CsrfForm<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let scope = state.core.scope(&form.actor, parse_id::<OrgId>(&org_id)?).await?;
    let id = parse_id::<IncidentId>(&incident_id)?;
    // Not another organisation's incident, whatever was chosen.
    state.core.incident_reference(&scope, id).await?;
    match val(&form.form, "risk_id").parse::<RiskId>() {
        Ok(risk) => {
            state.core.link_risk(&scope, risk, id).await?;
            Ok(Redirect::to(&format!("/orgs/{}/incidents/{id}#risks", scope.org.id)).into_response())
        }
        Err(_) => {
            let errors = vec![FieldError::new("risk_id", "Choose a risk from the register")];
            show_incident_with_errors(
                &state,
                &scope,
                &form.session,
                id,
                StatusCode::UNPROCESSABLE_ENTITY,
                errors,
            )
            .await
        }
    }
}

pub(super) async fn unlink_risk(
    State(state): State<AppState>,
    Path((org_id, incident_id, risk_id)): Path<(String, String, String)>,
    form: CsrfForm<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let scope = state.core.scope(&form.actor, parse_id::<OrgId>(&org_id)?).await?;
    let id = parse_id::<IncidentId>(&incident_id)?;
    let risk = parse_id::<RiskId>(&risk_id)?;
    state.core.unlink_risk(&scope, risk, id).await?;
    Ok(Redirect::to(&format!("/orgs/{}/incidents/{id}#risks", scope.org.id)).into_response())
}
