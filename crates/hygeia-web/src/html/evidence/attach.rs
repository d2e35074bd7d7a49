//! Evidence on the incident page: upload a file (or give a link or note) straight onto the
//! incident, attach an item already in the library, or detach one.

use super::super::incidents::show_incident_with_errors;
use super::super::parse_id;
use super::form_errors;
use crate::error::PageError;
use crate::extract::{CsrfForm, SignedIn};
use crate::state::AppState;
use axum::extract::multipart::MultipartRejection;
use axum::extract::{Multipart, Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use hygeia_core::CoreError;
use hygeia_domain::FieldError;
use hygeia_domain::evidence::LinkTarget;
use hygeia_domain::ids::{EvidenceId, IncidentId, OrgId};

fn back(org: OrgId, incident: IncidentId) -> Response {
    Redirect::to(&format!("/orgs/{org}/incidents/{incident}#evidence")).into_response()
}

pub(super) async fn upload(
    State(state): State<AppState>,
    signed_in: SignedIn,
    Path((org_id, incident_id)): Path<(String, String)>,
    multipart: Result<Multipart, MultipartRejection>,
) -> Result<Response, PageError> {
    let scope = state.core.scope(&signed_in.actor, parse_id::<OrgId>(&org_id)?).await?;
    let id = parse_id::<IncidentId>(&incident_id)?;
    // Not another organisation's incident, whatever the body holds.
    state.core.incident_reference(&scope, id).await?;
    let multipart = crate::files::multipart(multipart)?;
    let result = super::add_posted(
        &state,
        &scope,
        &signed_in.session,
        multipart,
        (LinkTarget::Incident, id.to_string()),
    )
    .await?;
    match result {
        Ok(_) => Ok(back(scope.org.id, id)),
        Err(e) => {
            // The incident page has other forms: its evidence fields are named apart.
            let (status, errors) = form_errors(e)?;
            let errors = errors
                .into_iter()
                .map(|e| FieldError::new(format!("evidence_{}", e.field), e.message))
                .collect();
            show_incident_with_errors(&state, &scope, &signed_in.session, id, status, errors).await
        }
    }
}

pub(super) async fn link(
    State(state): State<AppState>,
    Path((org_id, incident_id)): Path<(String, String)>,
    form: CsrfForm<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let scope = state.core.scope(&form.actor, parse_id::<OrgId>(&org_id)?).await?;
    let id = parse_id::<IncidentId>(&incident_id)?;
    state.core.incident_reference(&scope, id).await?;
    let chosen = form
        .form
        .iter()
        .find(|(k, _)| k == "evidence_id")
        .and_then(|(_, v)| v.parse::<EvidenceId>().ok());
    let result = match chosen {
        Some(evidence) => {
            state
                .core
                .link_evidence(&scope, evidence, LinkTarget::Incident, &id.to_string())
                .await
        }
        None => Err(CoreError::field("evidence_id", "Choose an item of the library")),
    };
    match result {
        Ok(()) => Ok(back(scope.org.id, id)),
        Err(e) => {
            let (status, errors) = form_errors(e)?;
            show_incident_with_errors(&state, &scope, &form.session, id, status, errors).await
        }
    }
}

pub(super) async fn unlink(
    State(state): State<AppState>,
    Path((org_id, incident_id, evidence_id)): Path<(String, String, String)>,
    form: CsrfForm<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let scope = state.core.scope(&form.actor, parse_id::<OrgId>(&org_id)?).await?;
    let id = parse_id::<IncidentId>(&incident_id)?;
    let evidence = parse_id::<EvidenceId>(&evidence_id)?;
    state
        .core
        .unlink_evidence(&scope, evidence, LinkTarget::Incident, &id.to_string())
        .await?;
    Ok(back(scope.org.id, id))
}
