//! The risk register over the API: the list, one risk with its incidents, adding and
//! replacing one, and linking it to incidents.

use super::super::dto::{PageQuery, Paged, time};
use crate::error::{ApiError, pointed};
use crate::extract::{ApiBody, ApiCaller, ApiQuery, api_id};
use crate::state::AppState;
use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use hygeia_core::{CoreError, RiskInput, RiskRow};
use hygeia_domain::ids::{IncidentId, OrgId, RiskId};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

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
