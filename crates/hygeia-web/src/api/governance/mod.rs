//! Improvement actions and the risk register over the API.
//!
//! `actions` and `risks` hold each area's bodies and handlers; their items are re-exported
//! here, so the router and the OpenAPI document name them as before. An incident's view of
//! both is here.

mod actions;
mod risks;

pub use actions::*;
pub use risks::*;

use crate::error::ApiError;
use crate::extract::{ApiCaller, api_id};
use crate::state::AppState;
use axum::Json;
use axum::extract::{Path, State};
use hygeia_domain::ids::{IncidentId, OrgId};
use serde::Serialize;
use utoipa::ToSchema;

#[derive(Serialize, ToSchema)]
pub struct IncidentGovernanceDto {
    pub actions: Vec<ActionDto>,
    pub risks: Vec<RiskDto>,
}

/// The improvement actions raised from an incident and the risks linked to it.
#[utoipa::path(get, path = "/orgs/{org_id}/incidents/{incident_id}/governance", tag = "governance", params(("org_id" = String, Path), ("incident_id" = String, Path)),
    responses((status = 200, body = IncidentGovernanceDto), (status = 403, body = crate::error::Problem), (status = 404, body = crate::error::Problem)))]
pub async fn incident_governance(
    State(state): State<AppState>,
    ApiCaller(actor): ApiCaller,
    Path((org_id, incident_id)): Path<(String, String)>,
) -> Result<Json<IncidentGovernanceDto>, ApiError> {
    let scope = state.core.scope(&actor, api_id::<OrgId>(&org_id)?).await?;
    let incident = api_id::<IncidentId>(&incident_id)?;
    state.core.incident_reference(&scope, incident).await?;
    Ok(Json(IncidentGovernanceDto {
        actions: state
            .core
            .incident_actions(&scope, incident)
            .await?
            .into_iter()
            .map(Into::into)
            .collect(),
        risks: state
            .core
            .incident_risks(&scope, incident)
            .await?
            .into_iter()
            .map(Into::into)
            .collect(),
    }))
}
