//! Improvement actions and the risk register over the API.

use super::dto::{PageQuery, Paged, time};
use crate::error::ApiError;
use crate::extract::{ApiBody, ApiCaller, ApiQuery, api_id};
use crate::state::AppState;
use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use hygeia_core::{ActionInput, ActionRow, CoreError, RiskInput, RiskRow};
use hygeia_domain::FieldError;
use hygeia_domain::ids::{ActionId, IncidentId, OrgId, RiskId};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

/// Errors name the JSON pointer of the field.
fn pointed(e: CoreError) -> CoreError {
    match e {
        CoreError::Validation(errors) => CoreError::Validation(
            errors
                .into_iter()
                .map(|e| FieldError::new(format!("/{}", e.field), e.message))
                .collect(),
        ),
        other => other,
    }
}

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

#[derive(Serialize, ToSchema)]
pub struct RiskDto {
    pub id: Uuid,
    /// `RSK-0003`.
    pub reference: String,
    pub title: String,
    pub description: String,
    pub likelihood: u8,
    pub impact: u8,
    /// likelihood × impact, 1 to 25.
    pub score: u8,
    /// low, medium, high or very_high.
    pub rating: String,
    /// treat, tolerate, transfer or terminate.
    pub treatment: String,
    pub owner: String,
    /// open or closed.
    pub status: String,
    pub review_by: Option<String>,
    pub updated_by: String,
    pub updated_at: String,
}

impl From<RiskRow> for RiskDto {
    fn from(r: RiskRow) -> Self {
        let k = r.risk;
        Self {
            id: k.id.0,
            reference: k.reference,
            title: k.title,
            description: k.description,
            likelihood: k.likelihood,
            impact: k.impact,
            score: r.score,
            rating: serde_json::to_value(r.rating)
                .ok()
                .and_then(|v| v.as_str().map(str::to_owned))
                .unwrap_or_default(),
            treatment: k.treatment.code().into(),
            owner: k.owner,
            status: k.status.code().into(),
            review_by: k.review_by,
            updated_by: k.updated_by,
            updated_at: time(k.updated_at),
        }
    }
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RiskRequest {
    pub title: String,
    #[serde(default)]
    pub description: String,
    /// 1 to 5.
    pub likelihood: u8,
    /// 1 to 5.
    pub impact: u8,
    /// treat, tolerate, transfer or terminate.
    pub treatment: String,
    pub owner: String,
    /// open (the default) or closed.
    #[serde(default)]
    pub status: String,
    /// `YYYY-MM-DD`, or empty.
    #[serde(default)]
    pub review_by: String,
}

impl RiskRequest {
    fn input(&self) -> RiskInput {
        RiskInput {
            title: self.title.clone(),
            description: self.description.clone(),
            likelihood: self.likelihood.to_string(),
            impact: self.impact.to_string(),
            treatment: self.treatment.clone(),
            owner: self.owner.clone(),
            status: self.status.clone(),
            review_by: self.review_by.clone(),
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct RiskDetailDto {
    #[serde(flatten)]
    pub risk: RiskDto,
    /// Ids of the incidents linked to the risk.
    pub incident_ids: Vec<Uuid>,
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RiskLinkRequest {
    pub incident_id: String,
}

/// The risk register, open risks first, highest score first.
#[utoipa::path(get, path = "/orgs/{org_id}/risks", tag = "governance", params(("org_id" = String, Path), PageQuery),
    responses((status = 200, body = Paged<RiskDto>), (status = 403, body = crate::error::Problem), (status = 404, body = crate::error::Problem)))]
pub async fn list_risks(
    State(state): State<AppState>,
    ApiCaller(actor): ApiCaller,
    Path(org_id): Path<String>,
    ApiQuery(q): ApiQuery<PageQuery>,
) -> Result<Json<Paged<RiskDto>>, ApiError> {
    let scope = state.core.scope(&actor, api_id::<OrgId>(&org_id)?).await?;
    Ok(Json(Paged::from(
        state.core.risks(&scope, q.page()).await?,
        RiskDto::from,
    )))
}

/// Adds a risk to the register.
#[utoipa::path(post, path = "/orgs/{org_id}/risks", tag = "governance", params(("org_id" = String, Path)), request_body = RiskRequest,
    responses((status = 201, body = RiskDto), (status = 403, body = crate::error::Problem), (status = 404, body = crate::error::Problem), (status = 422, body = crate::error::Problem)))]
pub async fn add_risk(
    State(state): State<AppState>,
    ApiCaller(actor): ApiCaller,
    Path(org_id): Path<String>,
    body: ApiBody,
) -> Result<(StatusCode, Json<RiskDto>), ApiError> {
    let scope = state.core.scope(&actor, api_id::<OrgId>(&org_id)?).await?;
    let body: RiskRequest = body.parse()?;
    let row = state.core.add_risk(&scope, body.input()).await.map_err(pointed)?;
    Ok((StatusCode::CREATED, Json(row.into())))
}

/// One risk with the incidents linked to it.
#[utoipa::path(get, path = "/orgs/{org_id}/risks/{risk_id}", tag = "governance", params(("org_id" = String, Path), ("risk_id" = String, Path)),
    responses((status = 200, body = RiskDetailDto), (status = 403, body = crate::error::Problem), (status = 404, body = crate::error::Problem)))]
pub async fn get_risk(
    State(state): State<AppState>,
    ApiCaller(actor): ApiCaller,
    Path((org_id, risk_id)): Path<(String, String)>,
) -> Result<Json<RiskDetailDto>, ApiError> {
    let scope = state.core.scope(&actor, api_id::<OrgId>(&org_id)?).await?;
    let (row, incidents) = state.core.risk(&scope, api_id::<RiskId>(&risk_id)?).await?;
    Ok(Json(RiskDetailDto {
        risk: row.into(),
        incident_ids: incidents.into_iter().map(|(i, _, _)| i.0).collect(),
    }))
}

/// Replaces a risk's fields.
#[utoipa::path(put, path = "/orgs/{org_id}/risks/{risk_id}", tag = "governance", params(("org_id" = String, Path), ("risk_id" = String, Path)), request_body = RiskRequest,
    responses((status = 200, body = RiskDto), (status = 403, body = crate::error::Problem), (status = 404, body = crate::error::Problem), (status = 422, body = crate::error::Problem)))]
pub async fn update_risk(
    State(state): State<AppState>,
    ApiCaller(actor): ApiCaller,
    Path((org_id, risk_id)): Path<(String, String)>,
    body: ApiBody,
) -> Result<Json<RiskDto>, ApiError> {
    let scope = state.core.scope(&actor, api_id::<OrgId>(&org_id)?).await?;
    let id = api_id::<RiskId>(&risk_id)?;
    let body: RiskRequest = body.parse()?;
    Ok(Json(
        state
            .core
            .update_risk(&scope, id, body.input())
            .await
            .map_err(pointed)?
            .into(),
    ))
}

/// Links a risk to an incident of the same organisation.
#[utoipa::path(post, path = "/orgs/{org_id}/risks/{risk_id}/incidents", tag = "governance", params(("org_id" = String, Path), ("risk_id" = String, Path)), request_body = RiskLinkRequest,
    responses((status = 204), (status = 403, body = crate::error::Problem), (status = 404, body = crate::error::Problem)))]
pub async fn link_risk(
    State(state): State<AppState>,
    ApiCaller(actor): ApiCaller,
    Path((org_id, risk_id)): Path<(String, String)>,
    body: ApiBody,
) -> Result<StatusCode, ApiError> {
    let scope = state.core.scope(&actor, api_id::<OrgId>(&org_id)?).await?;
    let id = api_id::<RiskId>(&risk_id)?;
    let body: RiskLinkRequest = body.parse()?;
    let incident = body
        .incident_id
        .trim()
        .parse::<IncidentId>()
        .map_err(|_| CoreError::NotFound)?;
    state.core.link_risk(&scope, id, incident).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Removes a link between a risk and an incident.
#[utoipa::path(delete, path = "/orgs/{org_id}/risks/{risk_id}/incidents/{incident_id}", tag = "governance", params(("org_id" = String, Path), ("risk_id" = String, Path), ("incident_id" = String, Path)),
    responses((status = 204), (status = 403, body = crate::error::Problem), (status = 404, body = crate::error::Problem)))]
pub async fn unlink_risk(
    State(state): State<AppState>,
    ApiCaller(actor): ApiCaller,
    Path((org_id, risk_id, incident_id)): Path<(String, String, String)>,
) -> Result<StatusCode, ApiError> {
    let scope = state.core.scope(&actor, api_id::<OrgId>(&org_id)?).await?;
    state
        .core
        .unlink_risk(&scope, api_id::<RiskId>(&risk_id)?, api_id::<IncidentId>(&incident_id)?)
        .await?;
    Ok(StatusCode::NO_CONTENT)
}

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
