//! An organisation's own assessments: list, start, read, answer, publish, and the sealed
//! snapshot and OSCAL results of a published one.

use super::super::dto::{PageQuery, Paged};
use super::*;
use crate::error::{ApiError, pointed};
use crate::extract::{ApiBody, ApiCaller, ApiQuery, api_id};
use crate::state::AppState;
use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use hygeia_core::assessments::{AnswerInput, StartInput};
use hygeia_domain::ids::{AssessmentId, OrgId};

/// The organisation's assessments, newest first.
#[utoipa::path(get, path = "/orgs/{org_id}/assessments", tag = "assessments", params(("org_id" = String, Path), PageQuery),
    responses((status = 200, body = Paged<AssessmentDto>), (status = 403, body = crate::error::Problem), (status = 404, body = crate::error::Problem)))]
pub async fn list_assessments(
    State(state): State<AppState>,
    ApiCaller(actor): ApiCaller,
    Path(org_id): Path<String>,
    ApiQuery(q): ApiQuery<PageQuery>,
) -> Result<Json<Paged<AssessmentDto>>, ApiError> {
    let scope = state.core.scope(&actor, api_id::<OrgId>(&org_id)?).await?;
    Ok(Json(Paged::from(
        state.core.assessments(&scope, q.page()).await?,
        |a| AssessmentDto::from(&a),
    )))
}

/// Starts an assessment of a framework version for a period.
#[utoipa::path(post, path = "/orgs/{org_id}/assessments", tag = "assessments", params(("org_id" = String, Path)), request_body = StartRequest,
    responses((status = 201, body = AssessmentDetailDto), (status = 403, body = crate::error::Problem), (status = 404, body = crate::error::Problem), (status = 422, body = crate::error::Problem)))]
pub async fn start_assessment(
    State(state): State<AppState>,
    ApiCaller(actor): ApiCaller,
    Path(org_id): Path<String>,
    body: ApiBody,
) -> Result<(StatusCode, Json<AssessmentDetailDto>), ApiError> {
    let scope = state.core.scope(&actor, api_id::<OrgId>(&org_id)?).await?;
    let b: StartRequest = body.parse()?;
    let id = state
        .core
        .start_assessment(
            &scope,
            StartInput {
                framework_id: b.framework_id,
                title: b.title,
                period: b.period,
                due_on: b.due_on,
                scope: b.scope,
                profile: b.profile,
                copy_from: b.copy_from,
            },
        )
        .await
        .map_err(pointed)?;
    let view = state.core.assessment(&scope, id).await?;
    Ok((StatusCode::CREATED, Json((&view).into())))
}

/// An assessment with its scorecard: totals, each group and each graded outcome.
#[utoipa::path(get, path = "/orgs/{org_id}/assessments/{assessment_id}", tag = "assessments", params(("org_id" = String, Path), ("assessment_id" = String, Path)),
    responses((status = 200, body = AssessmentDetailDto), (status = 403, body = crate::error::Problem), (status = 404, body = crate::error::Problem)))]
pub async fn get_assessment(
    State(state): State<AppState>,
    ApiCaller(actor): ApiCaller,
    Path((org_id, assessment_id)): Path<(String, String)>,
) -> Result<Json<AssessmentDetailDto>, ApiError> {
    let scope = state.core.scope(&actor, api_id::<OrgId>(&org_id)?).await?;
    let view = state
        .core
        .assessment(&scope, api_id::<AssessmentId>(&assessment_id)?)
        .await?;
    Ok(Json((&view).into()))
}

/// Every stored answer of an assessment (statements, outcomes and items), in one read.
#[utoipa::path(get, path = "/orgs/{org_id}/assessments/{assessment_id}/answers", tag = "assessments", params(("org_id" = String, Path), ("assessment_id" = String, Path)),
    responses((status = 200, body = Vec<AnswerDto>), (status = 403, body = crate::error::Problem), (status = 404, body = crate::error::Problem)))]
pub async fn list_answers(
    State(state): State<AppState>,
    ApiCaller(actor): ApiCaller,
    Path((org_id, assessment_id)): Path<(String, String)>,
) -> Result<Json<Vec<AnswerDto>>, ApiError> {
    let scope = state.core.scope(&actor, api_id::<OrgId>(&org_id)?).await?;
    let answers = state
        .core
        .assessment_answers(&scope, api_id::<AssessmentId>(&assessment_id)?)
        .await?;
    Ok(Json(answers.into_iter().map(AnswerDto::from).collect()))
}

/// Replaces the answers of the given nodes, all or none, while the assessment is a draft.
#[utoipa::path(put, path = "/orgs/{org_id}/assessments/{assessment_id}/answers", tag = "assessments", params(("org_id" = String, Path), ("assessment_id" = String, Path)), request_body = SaveAnswersRequest,
    responses((status = 200, body = AssessmentDetailDto), (status = 403, body = crate::error::Problem), (status = 404, body = crate::error::Problem), (status = 409, body = crate::error::Problem), (status = 422, body = crate::error::Problem)))]
pub async fn save_answers(
    State(state): State<AppState>,
    ApiCaller(actor): ApiCaller,
    Path((org_id, assessment_id)): Path<(String, String)>,
    body: ApiBody,
) -> Result<Json<AssessmentDetailDto>, ApiError> {
    let scope = state.core.scope(&actor, api_id::<OrgId>(&org_id)?).await?;
    let id = api_id::<AssessmentId>(&assessment_id)?;
    let b: SaveAnswersRequest = body.parse()?;
    let inputs: Vec<AnswerInput> = b
        .answers
        .into_iter()
        .map(|a| AnswerInput {
            ref_id: a.ref_id,
            value: a.value,
            narrative: a.narrative,
            override_grade: a.override_grade,
            override_reason: a.override_reason,
            owner: a.owner,
            flagged: a.flagged,
        })
        .collect();
    state.core.save_answers(&scope, id, b.row_version, &inputs).await?;
    Ok(Json((&state.core.assessment(&scope, id).await?).into()))
}

/// Signs off and publishes a draft (the senior executive only); returns the digest.
#[utoipa::path(post, path = "/orgs/{org_id}/assessments/{assessment_id}/publish", tag = "assessments", params(("org_id" = String, Path), ("assessment_id" = String, Path)), request_body = PublishRequest,
    responses((status = 200, body = PublishedDto), (status = 403, body = crate::error::Problem), (status = 404, body = crate::error::Problem), (status = 409, body = crate::error::Problem)))]
pub async fn publish(
    State(state): State<AppState>,
    ApiCaller(actor): ApiCaller,
    Path((org_id, assessment_id)): Path<(String, String)>,
    body: ApiBody,
) -> Result<Json<PublishedDto>, ApiError> {
    let scope = state.core.scope(&actor, api_id::<OrgId>(&org_id)?).await?;
    let id = api_id::<AssessmentId>(&assessment_id)?;
    let b: PublishRequest = body.parse()?;
    let digest = state
        .core
        .publish_assessment(&scope, id, b.row_version)
        .await
        .map_err(pointed)?;
    let view = state.core.assessment(&scope, id).await?;
    Ok(Json(PublishedDto {
        assessment: (&view.assessment).into(),
        digest,
    }))
}

fn json_text(body: String) -> Response {
    ([(axum::http::header::CONTENT_TYPE, "application/json")], body).into_response()
}

/// The sealed snapshot of a published assessment: SHA-256 of this exact text is its digest.
#[utoipa::path(get, path = "/orgs/{org_id}/assessments/{assessment_id}/snapshot", tag = "assessments", params(("org_id" = String, Path), ("assessment_id" = String, Path)),
    responses((status = 200, description = "The snapshot (hygeia.assessment-snapshot/v1)", content_type = "application/json"), (status = 404, body = crate::error::Problem)))]
pub async fn snapshot(
    State(state): State<AppState>,
    ApiCaller(actor): ApiCaller,
    Path((org_id, assessment_id)): Path<(String, String)>,
) -> Result<Response, ApiError> {
    let scope = state.core.scope(&actor, api_id::<OrgId>(&org_id)?).await?;
    let id = api_id::<AssessmentId>(&assessment_id)?;
    Ok(json_text(state.core.assessment_snapshot(&scope, id).await?))
}

/// The assessment as OSCAL 1.1 assessment-results.
#[utoipa::path(get, path = "/orgs/{org_id}/assessments/{assessment_id}/assessment-results", tag = "assessments", params(("org_id" = String, Path), ("assessment_id" = String, Path)),
    responses((status = 200, description = "OSCAL assessment-results", content_type = "application/json"), (status = 404, body = crate::error::Problem)))]
pub async fn oscal_results(
    State(state): State<AppState>,
    ApiCaller(actor): ApiCaller,
    Path((org_id, assessment_id)): Path<(String, String)>,
) -> Result<Response, ApiError> {
    let scope = state.core.scope(&actor, api_id::<OrgId>(&org_id)?).await?;
    let view = state
        .core
        .assessment(&scope, api_id::<AssessmentId>(&assessment_id)?)
        .await?;
    Ok(json_text(crate::documents::assessment_results_json(
        &scope.org.name,
        &view,
    )))
}
