//! Improvement actions over the API: the plan, one action, adding and replacing one.

use super::super::dto::{PageQuery, Paged, time};
use crate::error::{ApiError, pointed};
use crate::extract::{ApiBody, ApiCaller, ApiQuery, api_id};
use crate::state::AppState;
use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use hygeia_core::{ActionInput, ActionRow, CoreError};
use hygeia_domain::ids::{ActionId, IncidentId, OrgId};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

#[derive(Serialize, ToSchema)]
pub struct ActionDto {
    pub id: Uuid,
    /// `ACT-0007`.
    pub reference: String,
    pub title: String,
    pub detail: String,
    pub owner: String,
    /// `YYYY-MM-DD`.
    pub due_on: Option<String>,
    /// open, in_progress, done or cancelled.
    pub status: String,
    pub overdue: bool,
    /// The incident it was raised from, if any.
    pub incident_id: Option<String>,
    /// The assessment item it was raised against, as `assessment-id:ref_id`, if any.
    pub assessment_item: Option<String>,
    pub updated_by: String,
    pub updated_at: String,
}

impl From<ActionRow> for ActionDto {
    fn from(r: ActionRow) -> Self {
        let a = r.action;
        Self {
            id: a.id.0,
            reference: a.reference,
            title: a.title,
            detail: a.detail,
            owner: a.owner,
            due_on: a.due_on,
            status: a.status.code().into(),
            overdue: r.overdue,
            incident_id: a
                .source
                .as_ref()
                .filter(|(k, _)| *k == hygeia_domain::governance::actions::ActionSource::Incident)
                .map(|(_, id)| id.clone()),
            assessment_item: a
                .source
                .filter(|(k, _)| *k == hygeia_domain::governance::actions::ActionSource::Assessment)
                .map(|(_, id)| id),
            updated_by: a.updated_by,
            updated_at: time(a.updated_at),
        }
    }
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ActionRequest {
    pub title: String,
    #[serde(default)]
    pub detail: String,
    #[serde(default)]
    pub owner: String,
    /// `YYYY-MM-DD`, or empty.
    #[serde(default)]
    pub due_on: String,
    /// open (the default), in_progress, done or cancelled.
    #[serde(default)]
    pub status: String,
    /// On creation only: the incident the action comes from.
    #[serde(default)]
    pub incident_id: Option<String>,
}

impl ActionRequest {
    fn input(&self) -> ActionInput {
        ActionInput {
            title: self.title.clone(),
            detail: self.detail.clone(),
            owner: self.owner.clone(),
            due_on: self.due_on.clone(),
            status: self.status.clone(),
        }
    }
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ActionQuery {
    /// Include done and cancelled actions.
    #[serde(default)]
    pub all: bool,
    pub limit: Option<u32>,
    pub offset: Option<u64>,
}

/// The improvement plan: live actions first, soonest due first.
#[utoipa::path(get, path = "/orgs/{org_id}/actions", tag = "governance", params(("org_id" = String, Path), ActionQuery),
    responses((status = 200, body = Paged<ActionDto>), (status = 403, body = crate::error::Problem), (status = 404, body = crate::error::Problem)))]
pub async fn list_actions(
    State(state): State<AppState>,
    ApiCaller(actor): ApiCaller,
    Path(org_id): Path<String>,
    ApiQuery(q): ApiQuery<ActionQuery>,
) -> Result<Json<Paged<ActionDto>>, ApiError> {
    let scope = state.core.scope(&actor, api_id::<OrgId>(&org_id)?).await?;
    let page = PageQuery {
        limit: q.limit,
        offset: q.offset,
    }
    .page();
    Ok(Json(Paged::from(
        state.core.actions(&scope, !q.all, page).await?,
        ActionDto::from,
    )))
}

/// Adds an improvement action (from an incident with `incident_id`).
#[utoipa::path(post, path = "/orgs/{org_id}/actions", tag = "governance", params(("org_id" = String, Path)), request_body = ActionRequest,
    responses((status = 201, body = ActionDto), (status = 403, body = crate::error::Problem), (status = 404, body = crate::error::Problem), (status = 422, body = crate::error::Problem)))]
pub async fn add_action(
    State(state): State<AppState>,
    ApiCaller(actor): ApiCaller,
    Path(org_id): Path<String>,
    body: ApiBody,
) -> Result<(StatusCode, Json<ActionDto>), ApiError> {
    let scope = state.core.scope(&actor, api_id::<OrgId>(&org_id)?).await?;
    let body: ActionRequest = body.parse()?;
    let incident = match body.incident_id.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        Some(raw) => Some(
            raw.parse::<IncidentId>()
                .map_err(|_| CoreError::field("/incident_id", "is not an incident id"))?,
        ),
        None => None,
    };
    let action = state
        .core
        .add_action(&scope, body.input(), incident)
        .await
        .map_err(pointed)?;
    let row = state.core.action(&scope, action.id).await?;
    Ok((StatusCode::CREATED, Json(row.into())))
}

/// One action.
#[utoipa::path(get, path = "/orgs/{org_id}/actions/{action_id}", tag = "governance", params(("org_id" = String, Path), ("action_id" = String, Path)),
    responses((status = 200, body = ActionDto), (status = 403, body = crate::error::Problem), (status = 404, body = crate::error::Problem)))]
pub async fn get_action(
    State(state): State<AppState>,
    ApiCaller(actor): ApiCaller,
    Path((org_id, action_id)): Path<(String, String)>,
) -> Result<Json<ActionDto>, ApiError> {
    let scope = state.core.scope(&actor, api_id::<OrgId>(&org_id)?).await?;
    Ok(Json(
        state.core.action(&scope, api_id::<ActionId>(&action_id)?).await?.into(),
    ))
}

/// Replaces an action's title, detail, owner, due date and status.
#[utoipa::path(put, path = "/orgs/{org_id}/actions/{action_id}", tag = "governance", params(("org_id" = String, Path), ("action_id" = String, Path)), request_body = ActionRequest,
    responses((status = 200, body = ActionDto), (status = 403, body = crate::error::Problem), (status = 404, body = crate::error::Problem), (status = 422, body = crate::error::Problem)))]
pub async fn update_action(
    State(state): State<AppState>,
    ApiCaller(actor): ApiCaller,
    Path((org_id, action_id)): Path<(String, String)>,
    body: ApiBody,
) -> Result<Json<ActionDto>, ApiError> {
    let scope = state.core.scope(&actor, api_id::<OrgId>(&org_id)?).await?;
    let id = api_id::<ActionId>(&action_id)?;
    let body: ActionRequest = body.parse()?;
    state
        .core
        .update_action(&scope, id, body.input())
        .await
        .map_err(pointed)?;
    Ok(Json(state.core.action(&scope, id).await?.into()))
}
