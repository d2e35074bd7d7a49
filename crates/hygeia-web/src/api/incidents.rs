//! The incident register over the API.

use super::dto::{PageQuery, Paged};
use super::incident_dto::{
    AssessedDto, AssessmentRequest, IncidentDetailDto, IncidentDto, IncidentRequest, NoteRequest, StatusRequest,
};
use crate::error::ApiError;
use crate::extract::{ApiBody, ApiCaller, ApiQuery, api_id};
use crate::state::AppState;
use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use hygeia_domain::ids::{IncidentId, OrgId};
use serde::Deserialize;
use utoipa::IntoParams;

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct IncidentQuery {
    /// Only incidents that are not closed.
    #[serde(default)]
    pub open: bool,
    pub limit: Option<u32>,
    pub offset: Option<u64>,
}

/// The organisation's incident register, most recent awareness first.
#[utoipa::path(get, path = "/orgs/{org_id}/incidents", tag = "incidents", params(("org_id" = String, Path), IncidentQuery),
    responses((status = 200, body = Paged<IncidentDto>), (status = 403, body = crate::error::Problem), (status = 404, body = crate::error::Problem)))]
pub async fn list_incidents(
    State(state): State<AppState>,
    ApiCaller(actor): ApiCaller,
    Path(org_id): Path<String>,
    ApiQuery(q): ApiQuery<IncidentQuery>,
) -> Result<Json<Paged<IncidentDto>>, ApiError> {
    let scope = state.core.scope(&actor, api_id::<OrgId>(&org_id)?).await?;
    let page = PageQuery {
        limit: q.limit,
        offset: q.offset,
    }
    .page();
    Ok(Json(Paged::from(
        state.core.incidents(&scope, q.open, page).await?,
        IncidentDto::from,
    )))
}

/// Reports an incident.
#[utoipa::path(post, path = "/orgs/{org_id}/incidents", tag = "incidents", params(("org_id" = String, Path)), request_body = IncidentRequest,
    responses((status = 201, body = IncidentDto), (status = 403, body = crate::error::Problem), (status = 404, body = crate::error::Problem), (status = 422, body = crate::error::Problem)))]
pub async fn report_incident(
    State(state): State<AppState>,
    ApiCaller(actor): ApiCaller,
    Path(org_id): Path<String>,
    body: ApiBody,
) -> Result<(StatusCode, Json<IncidentDto>), ApiError> {
    let scope = state.core.scope(&actor, api_id::<OrgId>(&org_id)?).await?;
    let body: IncidentRequest = body.parse()?;
    let incident = state.core.report_incident(&scope, body.into_input()?).await?;
    Ok((StatusCode::CREATED, Json(incident.into())))
}

/// One incident with its timeline, decisions and statutory clocks.
#[utoipa::path(get, path = "/orgs/{org_id}/incidents/{incident_id}", tag = "incidents", params(("org_id" = String, Path), ("incident_id" = String, Path)),
    responses((status = 200, body = IncidentDetailDto), (status = 403, body = crate::error::Problem), (status = 404, body = crate::error::Problem)))]
pub async fn get_incident(
    State(state): State<AppState>,
    ApiCaller(actor): ApiCaller,
    Path((org_id, incident_id)): Path<(String, String)>,
) -> Result<Json<IncidentDetailDto>, ApiError> {
    let scope = state.core.scope(&actor, api_id::<OrgId>(&org_id)?).await?;
    let view = state.core.incident(&scope, api_id::<IncidentId>(&incident_id)?).await?;
    Ok(Json(view.into()))
}

/// Replaces an incident's editable fields (send `version` from the last read).
#[utoipa::path(put, path = "/orgs/{org_id}/incidents/{incident_id}", tag = "incidents", params(("org_id" = String, Path), ("incident_id" = String, Path)), request_body = IncidentRequest,
    responses((status = 200, body = IncidentDto), (status = 403, body = crate::error::Problem), (status = 404, body = crate::error::Problem), (status = 409, body = crate::error::Problem), (status = 422, body = crate::error::Problem)))]
pub async fn update_incident(
    State(state): State<AppState>,
    ApiCaller(actor): ApiCaller,
    Path((org_id, incident_id)): Path<(String, String)>,
    body: ApiBody,
) -> Result<Json<IncidentDto>, ApiError> {
    let scope = state.core.scope(&actor, api_id::<OrgId>(&org_id)?).await?;
    let id = api_id::<IncidentId>(&incident_id)?;
    let body: IncidentRequest = body.parse()?;
    let incident = state.core.update_incident(&scope, id, body.into_input()?).await?;
    Ok(Json(incident.into()))
}

/// Moves an incident along its lifecycle.
#[utoipa::path(post, path = "/orgs/{org_id}/incidents/{incident_id}/status", tag = "incidents", params(("org_id" = String, Path), ("incident_id" = String, Path)), request_body = StatusRequest,
    responses((status = 200, body = IncidentDto), (status = 403, body = crate::error::Problem), (status = 404, body = crate::error::Problem), (status = 422, body = crate::error::Problem)))]
pub async fn set_status(
    State(state): State<AppState>,
    ApiCaller(actor): ApiCaller,
    Path((org_id, incident_id)): Path<(String, String)>,
    body: ApiBody,
) -> Result<Json<IncidentDto>, ApiError> {
    let scope = state.core.scope(&actor, api_id::<OrgId>(&org_id)?).await?;
    let id = api_id::<IncidentId>(&incident_id)?;
    let body: StatusRequest = body.parse()?;
    let incident = state
        .core
        .set_incident_status(&scope, id, &body.status, &body.note)
        .await?;
    Ok(Json(incident.into()))
}

/// Adds a note to the incident's timeline.
#[utoipa::path(post, path = "/orgs/{org_id}/incidents/{incident_id}/notes", tag = "incidents", params(("org_id" = String, Path), ("incident_id" = String, Path)), request_body = NoteRequest,
    responses((status = 204), (status = 403, body = crate::error::Problem), (status = 404, body = crate::error::Problem), (status = 422, body = crate::error::Problem)))]
pub async fn add_note(
    State(state): State<AppState>,
    ApiCaller(actor): ApiCaller,
    Path((org_id, incident_id)): Path<(String, String)>,
    body: ApiBody,
) -> Result<StatusCode, ApiError> {
    let scope = state.core.scope(&actor, api_id::<OrgId>(&org_id)?).await?;
    let id = api_id::<IncidentId>(&incident_id)?;
    let body: NoteRequest = body.parse()?;
    state.core.add_incident_note(&scope, id, &body.note).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Records a reportability assessment: every regime the organisation is under is applied to
/// the facts, and each decision is kept with the rationale.
#[utoipa::path(post, path = "/orgs/{org_id}/incidents/{incident_id}/assessments", tag = "incidents", params(("org_id" = String, Path), ("incident_id" = String, Path)), request_body = AssessmentRequest,
    responses((status = 201, body = AssessedDto), (status = 403, body = crate::error::Problem), (status = 404, body = crate::error::Problem), (status = 422, body = crate::error::Problem)))]
pub async fn assess(
    State(state): State<AppState>,
    ApiCaller(actor): ApiCaller,
    Path((org_id, incident_id)): Path<(String, String)>,
    body: ApiBody,
) -> Result<(StatusCode, Json<AssessedDto>), ApiError> {
    let scope = state.core.scope(&actor, api_id::<OrgId>(&org_id)?).await?;
    let id = api_id::<IncidentId>(&incident_id)?;
    let body: AssessmentRequest = body.parse()?;
    let assessed = state.core.assess_incident(&scope, id, body.into()).await?;
    Ok((
        StatusCode::CREATED,
        Json(AssessedDto {
            decisions: assessed.decisions.into_iter().map(Into::into).collect(),
            changes: assessed.changes,
        }),
    ))
}

/// A statutory deadline with the incident and organisation it belongs to.
#[derive(serde::Serialize, utoipa::ToSchema)]
pub struct DeadlineDto {
    pub org_id: uuid::Uuid,
    pub org_name: String,
    pub incident_id: uuid::Uuid,
    pub reference: String,
    pub incident_title: String,
    pub regime: String,
    pub stage: String,
    pub title: String,
    pub due_at: Option<String>,
    pub submitted_at: Option<String>,
    /// due, due_soon, overdue, submitted_on_time or submitted_late.
    pub state: String,
}

impl From<hygeia_store::model::ClockListing> for DeadlineDto {
    fn from(l: hygeia_store::model::ClockListing) -> Self {
        DeadlineDto {
            org_id: l.clock.org_id.0,
            org_name: l.org_name,
            incident_id: l.clock.incident_id.0,
            reference: l.reference,
            incident_title: l.incident_title,
            regime: l.clock.regime.code().into(),
            stage: l.clock.stage,
            title: l.clock.title,
            due_at: l.clock.due_at.map(super::dto::time),
            submitted_at: l.clock.submitted_at.map(super::dto::time),
            state: l.clock.state.code().into(),
        }
    }
}

/// The organisation's statutory deadlines that still need action, soonest first.
#[utoipa::path(get, path = "/orgs/{org_id}/deadlines", tag = "incidents", params(("org_id" = String, Path)),
    responses((status = 200, body = Vec<DeadlineDto>), (status = 403, body = crate::error::Problem), (status = 404, body = crate::error::Problem)))]
pub async fn deadlines(
    State(state): State<AppState>,
    ApiCaller(actor): ApiCaller,
    Path(org_id): Path<String>,
) -> Result<Json<Vec<DeadlineDto>>, ApiError> {
    let scope = state.core.scope(&actor, api_id::<OrgId>(&org_id)?).await?;
    Ok(Json(
        state
            .core
            .open_clocks(&scope)
            .await?
            .into_iter()
            .map(Into::into)
            .collect(),
    ))
}

/// For a regulator: reports overdue now and reports submitted late, across its remit.
#[utoipa::path(get, path = "/orgs/{org_id}/overdue-and-late", tag = "notifications", params(("org_id" = String, Path), PageQuery),
    responses((status = 200, body = Paged<DeadlineDto>), (status = 403, body = crate::error::Problem), (status = 404, body = crate::error::Problem)))]
pub async fn overdue_and_late(
    State(state): State<AppState>,
    ApiCaller(actor): ApiCaller,
    Path(org_id): Path<String>,
    ApiQuery(q): ApiQuery<PageQuery>,
) -> Result<Json<Paged<DeadlineDto>>, ApiError> {
    let scope = state.core.scope(&actor, api_id::<OrgId>(&org_id)?).await?;
    Ok(Json(Paged::from(
        state.core.overdue_and_late(&scope, q.page()).await?,
        DeadlineDto::from,
    )))
}

/// The organisation's incident response plan: every category's playbook.
#[utoipa::path(get, path = "/orgs/{org_id}/response-plan", tag = "incidents", params(("org_id" = String, Path)),
    responses((status = 200, body = Vec<super::incident_dto::PlaybookDto>), (status = 403, body = crate::error::Problem), (status = 404, body = crate::error::Problem)))]
pub async fn response_plan(
    State(state): State<AppState>,
    ApiCaller(actor): ApiCaller,
    Path(org_id): Path<String>,
) -> Result<Json<Vec<super::incident_dto::PlaybookDto>>, ApiError> {
    let scope = state.core.scope(&actor, api_id::<OrgId>(&org_id)?).await?;
    Ok(Json(
        state
            .core
            .response_plan(&scope)
            .await?
            .into_iter()
            .map(Into::into)
            .collect(),
    ))
}

#[derive(serde::Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TaskRequest {
    pub title: String,
}

#[derive(serde::Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TaskDoneRequest {
    /// True to tick the task off, false to undo that.
    pub done: bool,
}

/// Adds a task to an incident.
#[utoipa::path(post, path = "/orgs/{org_id}/incidents/{incident_id}/tasks", tag = "incidents", params(("org_id" = String, Path), ("incident_id" = String, Path)), request_body = TaskRequest,
    responses((status = 204), (status = 403, body = crate::error::Problem), (status = 404, body = crate::error::Problem), (status = 422, body = crate::error::Problem)))]
pub async fn add_task(
    State(state): State<AppState>,
    ApiCaller(actor): ApiCaller,
    Path((org_id, incident_id)): Path<(String, String)>,
    body: ApiBody,
) -> Result<StatusCode, ApiError> {
    let scope = state.core.scope(&actor, api_id::<OrgId>(&org_id)?).await?;
    let body: TaskRequest = body.parse()?;
    state
        .core
        .add_incident_task(&scope, api_id::<IncidentId>(&incident_id)?, &body.title)
        .await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Ticks a task off, or undoes that.
#[utoipa::path(post, path = "/orgs/{org_id}/incidents/{incident_id}/tasks/{task_id}", tag = "incidents", params(("org_id" = String, Path), ("incident_id" = String, Path), ("task_id" = String, Path)), request_body = TaskDoneRequest,
    responses((status = 204), (status = 403, body = crate::error::Problem), (status = 404, body = crate::error::Problem)))]
pub async fn set_task_done(
    State(state): State<AppState>,
    ApiCaller(actor): ApiCaller,
    Path((org_id, incident_id, task_id)): Path<(String, String, String)>,
    body: ApiBody,
) -> Result<StatusCode, ApiError> {
    let scope = state.core.scope(&actor, api_id::<OrgId>(&org_id)?).await?;
    let body: TaskDoneRequest = body.parse()?;
    state
        .core
        .set_task_done(
            &scope,
            api_id::<IncidentId>(&incident_id)?,
            api_id::<hygeia_domain::ids::TaskId>(&task_id)?,
            body.done,
        )
        .await?;
    Ok(StatusCode::NO_CONTENT)
}

/// The incident response plan as a PDF document, for the board and the DSPT.
#[utoipa::path(get, path = "/orgs/{org_id}/response-plan/pdf", tag = "incidents", params(("org_id" = String, Path)),
    responses((status = 200, description = "The plan as PDF", content_type = "application/pdf"), (status = 403, body = crate::error::Problem), (status = 404, body = crate::error::Problem)))]
pub async fn response_plan_pdf(
    State(state): State<AppState>,
    ApiCaller(actor): ApiCaller,
    Path(org_id): Path<String>,
) -> Result<axum::response::Response, ApiError> {
    let scope = state.core.scope(&actor, api_id::<OrgId>(&org_id)?).await?;
    let entries = state.core.response_plan(&scope).await?;
    let pdf = crate::documents::response_plan_pdf(&scope.org.name, &entries, &scope.org.time_zone);
    Ok(crate::documents::pdf_response(
        pdf,
        &format!("{}-response-plan.pdf", scope.org.ods_code),
    ))
}
