//! A regulator's view of its remit: the published assessments, and its reviews of them.

use super::super::dto::{PageQuery, Paged};
use super::*;
use crate::error::{ApiError, pointed};
use crate::extract::{ApiBody, ApiCaller, ApiQuery, api_id};
use crate::state::AppState;
use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use hygeia_domain::ids::{AssessmentId, OrgId};

/// For a regulator: the published assessments of its remit, latest first.
#[utoipa::path(get, path = "/orgs/{org_id}/oversight/assessments", tag = "assessments", params(("org_id" = String, Path), PageQuery),
    responses((status = 200, body = Paged<RemitAssessmentDto>), (status = 403, body = crate::error::Problem), (status = 404, body = crate::error::Problem)))]
pub async fn remit_assessments(
    State(state): State<AppState>,
    ApiCaller(actor): ApiCaller,
    Path(org_id): Path<String>,
    ApiQuery(q): ApiQuery<PageQuery>,
) -> Result<Json<Paged<RemitAssessmentDto>>, ApiError> {
    let scope = state.core.scope(&actor, api_id::<OrgId>(&org_id)?).await?;
    Ok(Json(Paged::from(
        state.core.remit_assessments(&scope, q.page()).await?,
        RemitAssessmentDto::from,
    )))
}

/// For a regulator: records a review outcome on a published assessment of its remit.
#[utoipa::path(post, path = "/orgs/{org_id}/oversight/assessments/{assessment_id}/reviews", tag = "assessments", params(("org_id" = String, Path), ("assessment_id" = String, Path)), request_body = ReviewRequest,
    responses((status = 204), (status = 403, body = crate::error::Problem), (status = 404, body = crate::error::Problem), (status = 422, body = crate::error::Problem)))]
pub async fn review(
    State(state): State<AppState>,
    ApiCaller(actor): ApiCaller,
    Path((org_id, assessment_id)): Path<(String, String)>,
    body: ApiBody,
) -> Result<StatusCode, ApiError> {
    let scope = state.core.scope(&actor, api_id::<OrgId>(&org_id)?).await?;
    let id = api_id::<AssessmentId>(&assessment_id)?;
    let b: ReviewRequest = body.parse()?;
    state
        .core
        .review_assessment(&scope, id, &b.outcome, &b.comment)
        .await
        .map_err(pointed)?;
    Ok(StatusCode::NO_CONTENT)
}
