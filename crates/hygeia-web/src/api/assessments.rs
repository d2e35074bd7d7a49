//! Assessments over the API: start, read (with the scorecard), list and save answers, publish,
//! the sealed snapshot and OSCAL assessment results; and for regulators, the published
//! assessments of the remit and their reviews.

use super::dto::{PageQuery, Paged, time};
use crate::error::ApiError;
use crate::extract::{ApiBody, ApiCaller, ApiQuery, api_id};
use crate::state::AppState;
use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use hygeia_core::CoreError;
use hygeia_core::assessments::{AnswerInput, AssessmentView, StartInput};
use hygeia_domain::FieldError;
use hygeia_domain::assessments::scorecard::{GroupSummary, OutcomeResult, Tally};
use hygeia_domain::ids::{AssessmentId, OrgId};
use hygeia_store::model::{FrameworkAssessment, PublishedAssessment, StoredAnswer};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

/// Errors name the JSON pointer of the field.
fn pointed(e: CoreError) -> CoreError {
    match e {
        CoreError::Validation(errors) => CoreError::Validation(
            errors
                .into_iter()
                .map(|e| {
                    let field = if e.field.starts_with('/') {
                        e.field
                    } else {
                        format!("/{}", e.field)
                    };
                    FieldError::new(field, e.message)
                })
                .collect(),
        ),
        other => other,
    }
}

#[derive(Serialize, ToSchema)]
pub struct AssessmentDto {
    pub id: Uuid,
    /// `ASM-0003`.
    pub reference: String,
    pub framework_id: Uuid,
    pub framework_key: String,
    pub framework_version: String,
    pub title: String,
    pub period: String,
    pub due_on: Option<String>,
    pub scope: String,
    pub profile: Option<String>,
    /// draft, published or superseded.
    pub status: String,
    /// The publication number for its framework and period (0 while a draft).
    pub version: i64,
    pub supersedes: Option<Uuid>,
    pub result: Option<String>,
    /// What a publication counts as across a sector (Standards Met, Approaching Standards,
    /// Pass …); an approved improvement plan can move it.
    pub standing: Option<String>,
    /// SHA-256 of the sealed snapshot, once published.
    pub digest: Option<String>,
    /// Send it back when saving answers or publishing: a stale value is refused (409).
    pub row_version: i64,
    pub updated_by: String,
    pub updated_at: String,
    pub published_by: Option<String>,
    pub published_at: Option<String>,
}

impl From<&FrameworkAssessment> for AssessmentDto {
    fn from(a: &FrameworkAssessment) -> Self {
        Self {
            id: a.id.0,
            reference: a.reference.clone(),
            framework_id: a.framework_id.0,
            framework_key: a.framework_key.clone(),
            framework_version: a.framework_version.clone(),
            title: a.title.clone(),
            period: a.period.clone(),
            due_on: a.due_on.clone(),
            scope: a.scope.clone(),
            profile: a.profile_key.clone(),
            status: a.status.code().into(),
            version: a.version,
            supersedes: a.supersedes.map(|s| s.0),
            result: a.result.clone(),
            standing: a.standing.clone(),
            digest: a.digest.clone(),
            row_version: a.row_version,
            updated_by: a.updated_by.clone(),
            updated_at: time(a.updated_at),
            published_by: a.published_by.clone(),
            published_at: a.published_at.map(time),
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct TallyDto {
    pub items: usize,
    pub answered: usize,
    pub achieved: usize,
    pub partially_achieved: usize,
    pub not_achieved: usize,
    pub below_profile: usize,
    pub met: usize,
    pub not_met: usize,
    pub not_applicable: usize,
    pub flagged: usize,
    pub progress_percent: u32,
}

impl From<&Tally> for TallyDto {
    fn from(t: &Tally) -> Self {
        Self {
            items: t.items,
            answered: t.answered,
            achieved: t.achieved,
            partially_achieved: t.partially_achieved,
            not_achieved: t.not_achieved,
            below_profile: t.below_profile,
            met: t.met,
            not_met: t.not_met,
            not_applicable: t.not_applicable,
            flagged: t.flagged,
            progress_percent: t.progress(),
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct GroupDto {
    pub ref_id: String,
    pub title: String,
    pub tally: TallyDto,
}

impl From<&GroupSummary> for GroupDto {
    fn from(g: &GroupSummary) -> Self {
        Self {
            ref_id: g.ref_id.clone(),
            title: g.title.clone(),
            tally: (&g.tally).into(),
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct OutcomeDto {
    pub ref_id: String,
    /// achieved, partially_achieved or not_achieved: the grade in force.
    pub grade: String,
    /// The grade the indicator statements give.
    pub rule_grade: String,
    pub overridden: bool,
    pub minimum: Option<String>,
    pub meets_profile: Option<bool>,
    pub answered: bool,
}

fn grade_code(g: hygeia_domain::assessments::caf::Grade) -> String {
    serde_json::to_value(g)
        .ok()
        .and_then(|v| v.as_str().map(str::to_owned))
        .unwrap_or_default()
}

impl From<&OutcomeResult> for OutcomeDto {
    fn from(o: &OutcomeResult) -> Self {
        Self {
            ref_id: o.ref_id.clone(),
            grade: grade_code(o.grade),
            rule_grade: grade_code(o.rule_grade),
            overridden: o.overridden,
            minimum: o.minimum.map(grade_code),
            meets_profile: o.meets_profile,
            answered: o.answered,
        }
    }
}

/// An assessment with its scorecard.
#[derive(Serialize, ToSchema)]
pub struct AssessmentDetailDto {
    pub assessment: AssessmentDto,
    pub total: TallyDto,
    pub groups: Vec<GroupDto>,
    pub outcomes: Vec<OutcomeDto>,
    /// The framework's publication status as the answers stand (DSPT: Standards Met,
    /// Approaching Standards, Standards Not Met); absent where it has no rule.
    pub status: Option<String>,
    /// Items that keep it from Standards Met; the improvement plan covers these.
    pub gaps: Vec<String>,
    /// Items Approaching Standards needs that are not met (NDG-standard DSPT).
    pub approaching_gaps: Vec<String>,
    /// Gaps with no improvement action yet.
    pub unplanned: Vec<String>,
}

impl From<&AssessmentView> for AssessmentDetailDto {
    fn from(v: &AssessmentView) -> Self {
        Self {
            assessment: (&v.assessment).into(),
            total: (&v.scorecard.total).into(),
            groups: v.scorecard.groups.iter().map(Into::into).collect(),
            outcomes: v.scorecard.outcomes.iter().map(Into::into).collect(),
            status: v.scorecard.status.map(str::to_owned),
            gaps: v.scorecard.gaps.clone(),
            approaching_gaps: v.scorecard.approaching_gaps.clone(),
            unplanned: v.scorecard.unplanned.clone(),
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct AnswerDto {
    pub ref_id: String,
    /// true, assessed, met, not_met, not_applicable, compliant, not_compliant, pass or fail.
    pub value: Option<String>,
    pub narrative: String,
    pub override_grade: Option<String>,
    pub override_reason: Option<String>,
    pub owner: Option<String>,
    pub flagged: bool,
    pub updated_by: String,
    pub updated_at: String,
}

impl From<StoredAnswer> for AnswerDto {
    fn from(s: StoredAnswer) -> Self {
        let a = s.answer;
        Self {
            ref_id: s.ref_id,
            value: a.value.map(|v| v.code().to_owned()),
            narrative: a.narrative,
            override_grade: a.assessor_override.as_ref().map(|o| grade_code(o.grade)),
            override_reason: a.assessor_override.map(|o| o.justification),
            owner: a.owner,
            flagged: a.flagged,
            updated_by: s.updated_by,
            updated_at: time(s.updated_at),
        }
    }
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct StartRequest {
    pub framework_id: String,
    pub title: String,
    pub period: String,
    /// `YYYY-MM-DD`, or empty.
    #[serde(default)]
    pub due_on: String,
    #[serde(default)]
    pub scope: String,
    /// A profile key of the framework version (e.g. `govassure-baseline`).
    #[serde(default)]
    pub profile: String,
    /// An earlier assessment of the same framework to carry answers forward from.
    #[serde(default)]
    pub copy_from: String,
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AnswerRequest {
    pub ref_id: String,
    /// Empty or absent: unanswered. For a CAF statement, `true` ticks it.
    #[serde(default)]
    pub value: String,
    #[serde(default)]
    pub narrative: String,
    #[serde(default)]
    pub override_grade: String,
    #[serde(default)]
    pub override_reason: String,
    #[serde(default)]
    pub owner: String,
    #[serde(default)]
    pub flagged: bool,
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SaveAnswersRequest {
    /// The assessment's `row_version` as last read.
    pub row_version: i64,
    /// The nodes to replace; each answer replaces the node's whole answer.
    pub answers: Vec<AnswerRequest>,
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PublishRequest {
    pub row_version: i64,
}

#[derive(Serialize, ToSchema)]
pub struct PublishedDto {
    pub assessment: AssessmentDto,
    /// SHA-256 of the sealed snapshot.
    pub digest: String,
}

#[derive(Serialize, ToSchema)]
pub struct RemitAssessmentDto {
    pub org_id: Uuid,
    pub org_name: String,
    pub org_ods: String,
    pub assessment: AssessmentDto,
}

impl From<PublishedAssessment> for RemitAssessmentDto {
    fn from(p: PublishedAssessment) -> Self {
        Self {
            org_id: p.assessment.org_id.0,
            assessment: (&p.assessment).into(),
            org_name: p.org_name,
            org_ods: p.org_ods,
        }
    }
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ReviewRequest {
    /// accepted, concerns, challenged, plan_approved (Standards Not Met → Approaching
    /// Standards) or plan_completed (Approaching Standards → Standards Met).
    pub outcome: String,
    #[serde(default)]
    pub comment: String,
}

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
