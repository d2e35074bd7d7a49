//! Working on an assessment together: a plan for its gaps, comments on its items, and
//! answers offered by counterparts.

use super::super::dto::time;
use super::*;
use crate::error::{ApiError, pointed};
use crate::extract::{ApiBody, ApiCaller, ApiQuery, api_id};
use crate::state::AppState;
use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use hygeia_core::CoreError;
use hygeia_domain::ids::{AssessmentId, OrgId};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PlanRequest {
    /// Who owns the raised actions (default: the caller).
    #[serde(default)]
    pub owner: String,
    /// YYYY-MM-DD.
    pub due_on: String,
}

#[derive(Serialize, ToSchema)]
pub struct PlanDto {
    /// How many actions were raised.
    pub raised: usize,
    pub assessment: AssessmentDetailDto,
}

/// Raises an improvement action for every gap not yet covered (the generated improvement plan).
#[utoipa::path(post, path = "/orgs/{org_id}/assessments/{assessment_id}/plan", tag = "assessments", params(("org_id" = String, Path), ("assessment_id" = String, Path)), request_body = PlanRequest,
    responses((status = 200, body = PlanDto), (status = 403, body = crate::error::Problem), (status = 404, body = crate::error::Problem), (status = 422, body = crate::error::Problem)))]
pub async fn plan_gaps(
    State(state): State<AppState>,
    ApiCaller(actor): ApiCaller,
    Path((org_id, assessment_id)): Path<(String, String)>,
    body: ApiBody,
) -> Result<Json<PlanDto>, ApiError> {
    let scope = state.core.scope(&actor, api_id::<OrgId>(&org_id)?).await?;
    let id = api_id::<AssessmentId>(&assessment_id)?;
    let b: PlanRequest = body.parse()?;
    let raised = state
        .core
        .plan_gaps(&scope, id, &b.owner, &b.due_on)
        .await
        .map_err(pointed)?;
    Ok(Json(PlanDto {
        raised,
        assessment: (&state.core.assessment(&scope, id).await?).into(),
    }))
}

#[derive(Serialize, ToSchema)]
pub struct CommentDto {
    pub id: Uuid,
    pub ref_id: String,
    pub body: String,
    pub author: String,
    pub created_at: String,
}

impl From<hygeia_store::model::AssessmentComment> for CommentDto {
    fn from(c: hygeia_store::model::AssessmentComment) -> Self {
        Self {
            id: c.id,
            ref_id: c.ref_id,
            body: c.body,
            author: c.author,
            created_at: time(c.created_at),
        }
    }
}

#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct CommentQuery {
    /// Only the comments on this item.
    pub ref_id: Option<String>,
}

/// The comments on an assessment's items, oldest first.
#[utoipa::path(get, path = "/orgs/{org_id}/assessments/{assessment_id}/comments", tag = "assessments", params(("org_id" = String, Path), ("assessment_id" = String, Path), CommentQuery),
    responses((status = 200, body = Vec<CommentDto>), (status = 404, body = crate::error::Problem)))]
pub async fn list_comments(
    State(state): State<AppState>,
    ApiCaller(actor): ApiCaller,
    Path((org_id, assessment_id)): Path<(String, String)>,
    ApiQuery(q): ApiQuery<CommentQuery>,
) -> Result<Json<Vec<CommentDto>>, ApiError> {
    let scope = state.core.scope(&actor, api_id::<OrgId>(&org_id)?).await?;
    let id = api_id::<AssessmentId>(&assessment_id)?;
    let found = state.core.item_comments(&scope, id, q.ref_id.as_deref()).await?;
    Ok(Json(found.into_iter().map(Into::into).collect()))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CommentRequest {
    pub ref_id: String,
    pub body: String,
}

/// Adds a comment on one item of an assessment.
#[utoipa::path(post, path = "/orgs/{org_id}/assessments/{assessment_id}/comments", tag = "assessments", params(("org_id" = String, Path), ("assessment_id" = String, Path)), request_body = CommentRequest,
    responses((status = 201, body = CommentDto), (status = 403, body = crate::error::Problem), (status = 404, body = crate::error::Problem), (status = 422, body = crate::error::Problem)))]
pub async fn add_comment(
    State(state): State<AppState>,
    ApiCaller(actor): ApiCaller,
    Path((org_id, assessment_id)): Path<(String, String)>,
    body: ApiBody,
) -> Result<(StatusCode, Json<CommentDto>), ApiError> {
    let scope = state.core.scope(&actor, api_id::<OrgId>(&org_id)?).await?;
    let id = api_id::<AssessmentId>(&assessment_id)?;
    let b: CommentRequest = body.parse()?;
    let c = state
        .core
        .comment_on_item(&scope, id, &b.ref_id, &b.body)
        .await
        .map_err(pointed)?;
    Ok((StatusCode::CREATED, Json(c.into())))
}

#[derive(Serialize, ToSchema)]
pub struct CounterpartDto {
    pub framework_key: String,
    pub ref_id: String,
    /// equal, subset, superset or intersects: how the counterpart relates to this item.
    pub relation: String,
}

#[derive(Serialize, ToSchema)]
pub struct OfferDto {
    pub evidence_id: Uuid,
    pub title: String,
    /// The mapped requirement it is linked to.
    pub framework_key: String,
    pub ref_id: String,
    pub relation: String,
}

#[derive(Serialize, ToSchema)]
pub struct OffersDto {
    pub counterparts: Vec<CounterpartDto>,
    /// Evidence linked to counterparts and not yet to this item: link it to reuse it.
    pub evidence: Vec<OfferDto>,
}

/// An item's counterparts in mapped frameworks, and the organisation's evidence for them that
/// could be reused here.
#[utoipa::path(get, path = "/orgs/{org_id}/assessments/{assessment_id}/items/{ref_id}/offers", tag = "assessments", params(("org_id" = String, Path), ("assessment_id" = String, Path), ("ref_id" = String, Path)),
    responses((status = 200, body = OffersDto), (status = 404, body = crate::error::Problem)))]
pub async fn item_offers(
    State(state): State<AppState>,
    ApiCaller(actor): ApiCaller,
    Path((org_id, assessment_id, ref_id)): Path<(String, String, String)>,
) -> Result<Json<OffersDto>, ApiError> {
    let scope = state.core.scope(&actor, api_id::<OrgId>(&org_id)?).await?;
    let view = state
        .core
        .assessment(&scope, api_id::<AssessmentId>(&assessment_id)?)
        .await?;
    if !view
        .framework
        .nodes
        .iter()
        .any(|n| n.ref_id == ref_id && n.assessable())
    {
        return Err(CoreError::NotFound.into());
    }
    let key = &view.assessment.framework_key;
    let already: Vec<Uuid> = view
        .evidence
        .get(&ref_id)
        .map(|v| v.iter().map(|i| i.id.0).collect())
        .unwrap_or_default();
    let counterparts = state.core.counterparts(key, &ref_id).await?;
    let offers = state.core.evidence_offers(&scope, key, &ref_id, &already).await?;
    Ok(Json(OffersDto {
        counterparts: counterparts
            .into_iter()
            .map(|c| CounterpartDto {
                framework_key: c.framework_key,
                ref_id: c.ref_id,
                relation: c.relation.code().into(),
            })
            .collect(),
        evidence: offers
            .into_iter()
            .map(|o| OfferDto {
                evidence_id: o.item.id.0,
                title: o.item.title,
                framework_key: o.framework_key,
                ref_id: o.ref_id,
                relation: o.relation.code().into(),
            })
            .collect(),
    }))
}
