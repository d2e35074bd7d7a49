//! Notifications over the API: submitting, the export a sender or regulator downloads
//! (`hygeia.notification/v1`, documented in `docs/notification-schema.md`), and the
//! regulator's inbox and reviews.

use super::dto::{PageQuery, Paged, time};
use crate::error::ApiError;
use crate::extract::{ApiBody, ApiCaller, ApiQuery, api_id};
use crate::state::AppState;
use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use hygeia_domain::ids::{IncidentId, NotificationId, OrgId};
use hygeia_store::model::ReceivedNotification;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use utoipa::ToSchema;
use uuid::Uuid;

/// Submit a notification for one stage of one regime.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SubmitRequest {
    /// uk_gdpr, uk_nis, eu_nis2, eu_gdpr or uk_csrb.
    pub regime: String,
    /// The stage code from the regime pack, such as `notification` or `early_warning`.
    pub stage: String,
    /// The report's contents by field code (`operator_name`, `nature_and_impact`, ...).
    pub fields: BTreeMap<String, String>,
    /// Required when the deadline has passed.
    #[serde(default)]
    pub late_reason: String,
}

pub use hygeia_core::export::{NotificationDto, NotificationExport};

#[derive(Serialize, ToSchema)]
pub struct ReceivedDto {
    pub notification: NotificationDto,
    pub sender: String,
    pub sender_id: Uuid,
    pub incident_reference: String,
    pub incident_title: String,
}

impl From<ReceivedNotification> for ReceivedDto {
    fn from(r: ReceivedNotification) -> Self {
        ReceivedDto {
            sender_id: r.notification.org_id.0,
            notification: r.notification.into(),
            sender: r.sender_name,
            incident_reference: r.incident_reference,
            incident_title: r.incident_title,
        }
    }
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ReviewRequest {
    /// received, accepted or revision_requested.
    pub status: String,
    /// Required when asking for a revision.
    #[serde(default)]
    pub message: String,
}

/// Submits a stage's notification to the regulator. Submitted notifications never change;
/// submitting the same stage again creates the next version.
#[utoipa::path(post, path = "/orgs/{org_id}/incidents/{incident_id}/notifications", tag = "notifications", params(("org_id" = String, Path), ("incident_id" = String, Path)), request_body = SubmitRequest,
    responses((status = 201, body = NotificationDto), (status = 403, body = crate::error::Problem), (status = 404, body = crate::error::Problem), (status = 422, body = crate::error::Problem)))]
pub async fn submit(
    State(state): State<AppState>,
    ApiCaller(actor): ApiCaller,
    Path((org_id, incident_id)): Path<(String, String)>,
    body: ApiBody,
) -> Result<(StatusCode, Json<NotificationDto>), ApiError> {
    let scope = state.core.scope(&actor, api_id::<OrgId>(&org_id)?).await?;
    let body: SubmitRequest = body.parse()?;
    let values: Vec<(String, String)> = body.fields.into_iter().collect();
    let n = state
        .core
        .submit_notification(
            &scope,
            api_id::<IncidentId>(&incident_id)?,
            &body.regime,
            &body.stage,
            &values,
            &body.late_reason,
        )
        .await?;
    Ok((StatusCode::CREATED, Json(n.into())))
}

/// Every notification sent about an incident, every version.
#[utoipa::path(get, path = "/orgs/{org_id}/incidents/{incident_id}/notifications", tag = "notifications", params(("org_id" = String, Path), ("incident_id" = String, Path)),
    responses((status = 200, body = Vec<NotificationDto>), (status = 403, body = crate::error::Problem), (status = 404, body = crate::error::Problem)))]
pub async fn list_for_incident(
    State(state): State<AppState>,
    ApiCaller(actor): ApiCaller,
    Path((org_id, incident_id)): Path<(String, String)>,
) -> Result<Json<Vec<NotificationDto>>, ApiError> {
    let scope = state.core.scope(&actor, api_id::<OrgId>(&org_id)?).await?;
    let id = api_id::<IncidentId>(&incident_id)?;
    // Through the incident, so an incident of another organisation is not found.
    let view = state.core.incident(&scope, id).await?;
    Ok(Json(view.notifications.into_iter().map(Into::into).collect()))
}

/// The export of one of the organisation's own notifications.
#[utoipa::path(get, path = "/orgs/{org_id}/notifications/{notification_id}", tag = "notifications", params(("org_id" = String, Path), ("notification_id" = String, Path)),
    responses((status = 200, body = NotificationExport), (status = 403, body = crate::error::Problem), (status = 404, body = crate::error::Problem)))]
pub async fn export_sent(
    State(state): State<AppState>,
    ApiCaller(actor): ApiCaller,
    Path((org_id, notification_id)): Path<(String, String)>,
) -> Result<Json<NotificationExport>, ApiError> {
    let scope = state.core.scope(&actor, api_id::<OrgId>(&org_id)?).await?;
    let view = state
        .core
        .sent_notification(&scope, api_id::<NotificationId>(&notification_id)?)
        .await?;
    Ok(Json(view.into()))
}

/// A regulator's inbox, newest first.
#[utoipa::path(get, path = "/orgs/{org_id}/inbox", tag = "notifications", params(("org_id" = String, Path), PageQuery),
    responses((status = 200, body = Paged<ReceivedDto>), (status = 403, body = crate::error::Problem), (status = 404, body = crate::error::Problem)))]
pub async fn inbox(
    State(state): State<AppState>,
    ApiCaller(actor): ApiCaller,
    Path(org_id): Path<String>,
    ApiQuery(q): ApiQuery<PageQuery>,
) -> Result<Json<Paged<ReceivedDto>>, ApiError> {
    let scope = state.core.scope(&actor, api_id::<OrgId>(&org_id)?).await?;
    Ok(Json(Paged::from(
        state.core.inbox(&scope, q.page()).await?,
        ReceivedDto::from,
    )))
}

/// The export of a notification in the regulator's inbox.
#[utoipa::path(get, path = "/orgs/{org_id}/inbox/{notification_id}", tag = "notifications", params(("org_id" = String, Path), ("notification_id" = String, Path)),
    responses((status = 200, body = NotificationExport), (status = 403, body = crate::error::Problem), (status = 404, body = crate::error::Problem)))]
pub async fn export_received(
    State(state): State<AppState>,
    ApiCaller(actor): ApiCaller,
    Path((org_id, notification_id)): Path<(String, String)>,
) -> Result<Json<NotificationExport>, ApiError> {
    let scope = state.core.scope(&actor, api_id::<OrgId>(&org_id)?).await?;
    let view = state
        .core
        .received_notification(&scope, api_id::<NotificationId>(&notification_id)?)
        .await?;
    Ok(Json(view.into()))
}

/// Records the regulator's review of a received notification.
#[utoipa::path(post, path = "/orgs/{org_id}/inbox/{notification_id}/reviews", tag = "notifications", params(("org_id" = String, Path), ("notification_id" = String, Path)), request_body = ReviewRequest,
    responses((status = 204), (status = 403, body = crate::error::Problem), (status = 404, body = crate::error::Problem), (status = 422, body = crate::error::Problem)))]
pub async fn review(
    State(state): State<AppState>,
    ApiCaller(actor): ApiCaller,
    Path((org_id, notification_id)): Path<(String, String)>,
    body: ApiBody,
) -> Result<StatusCode, ApiError> {
    let scope = state.core.scope(&actor, api_id::<OrgId>(&org_id)?).await?;
    let body: ReviewRequest = body.parse()?;
    state
        .core
        .review_notification(
            &scope,
            api_id::<NotificationId>(&notification_id)?,
            &body.status,
            &body.message,
        )
        .await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(serde::Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ReportAskRequest {
    /// A stage the regime asks for on request: `intermediate` under EU NIS2.
    pub stage: String,
    /// RFC 3339.
    pub due_at: String,
    #[serde(default)]
    pub message: String,
}

#[derive(serde::Serialize, utoipa::ToSchema)]
pub struct ReportRequestDto {
    pub id: uuid::Uuid,
    pub notification_id: uuid::Uuid,
    pub regime: String,
    pub stage: String,
    pub due_at: String,
    pub message: String,
    pub requested_by: String,
    pub requested_at: String,
}

impl From<hygeia_store::model::ReportRequest> for ReportRequestDto {
    fn from(r: hygeia_store::model::ReportRequest) -> Self {
        Self {
            id: r.id.0,
            notification_id: r.notification_id.0,
            regime: r.regime.code().into(),
            stage: r.stage,
            due_at: time(r.due_at),
            message: r.message,
            requested_by: r.requested_by,
            requested_at: time(r.requested_at),
        }
    }
}

/// Asks the sender of a received notification for a report the regime asks for on request
/// (the NIS2 intermediate report), by a deadline: the organisation gets a clock for it.
#[utoipa::path(post, path = "/orgs/{org_id}/inbox/{notification_id}/requests", tag = "notifications", params(("org_id" = String, Path), ("notification_id" = String, Path)), request_body = ReportAskRequest,
    responses((status = 201, body = ReportRequestDto), (status = 403, body = crate::error::Problem), (status = 404, body = crate::error::Problem), (status = 422, body = crate::error::Problem)))]
pub async fn request_report(
    State(state): State<AppState>,
    ApiCaller(actor): ApiCaller,
    Path((org_id, notification_id)): Path<(String, String)>,
    body: ApiBody,
) -> Result<(StatusCode, Json<ReportRequestDto>), ApiError> {
    let scope = state.core.scope(&actor, api_id::<OrgId>(&org_id)?).await?;
    let id = api_id::<NotificationId>(&notification_id)?;
    let body: ReportAskRequest = body.parse()?;
    let mut errors = Vec::new();
    let due = super::incident_dto::parse_time(Some(&body.due_at), "/due_at", &mut errors);
    if !errors.is_empty() {
        return Err(hygeia_core::CoreError::Validation(errors).into());
    }
    let request = state
        .core
        .request_report(&scope, id, &body.stage, due, &body.message)
        .await
        .map_err(crate::error::pointed)?;
    Ok((StatusCode::CREATED, Json(request.into())))
}

/// The reports asked for on a received notification.
#[utoipa::path(get, path = "/orgs/{org_id}/inbox/{notification_id}/requests", tag = "notifications", params(("org_id" = String, Path), ("notification_id" = String, Path)),
    responses((status = 200, body = Vec<ReportRequestDto>), (status = 403, body = crate::error::Problem), (status = 404, body = crate::error::Problem)))]
pub async fn list_requests(
    State(state): State<AppState>,
    ApiCaller(actor): ApiCaller,
    Path((org_id, notification_id)): Path<(String, String)>,
) -> Result<Json<Vec<ReportRequestDto>>, ApiError> {
    let scope = state.core.scope(&actor, api_id::<OrgId>(&org_id)?).await?;
    let id = api_id::<NotificationId>(&notification_id)?;
    // Not found unless it reached this inbox.
    state.core.received_notification(&scope, id).await?;
    let requests = state.core.requests_on(&scope, id).await?;
    Ok(Json(requests.into_iter().map(Into::into).collect()))
}

/// One of the organisation's own notifications as a PDF document (with its digest).
#[utoipa::path(get, path = "/orgs/{org_id}/notifications/{notification_id}/pdf", tag = "notifications", params(("org_id" = String, Path), ("notification_id" = String, Path)),
    responses((status = 200, description = "The notification as PDF", content_type = "application/pdf"), (status = 403, body = crate::error::Problem), (status = 404, body = crate::error::Problem)))]
pub async fn sent_pdf(
    State(state): State<AppState>,
    ApiCaller(actor): ApiCaller,
    Path((org_id, notification_id)): Path<(String, String)>,
) -> Result<axum::response::Response, ApiError> {
    let scope = state.core.scope(&actor, api_id::<OrgId>(&org_id)?).await?;
    let view = state
        .core
        .sent_notification(&scope, api_id::<NotificationId>(&notification_id)?)
        .await?;
    Ok(crate::html::notification_download(&view, &scope))
}

/// A received notification as a PDF document.
#[utoipa::path(get, path = "/orgs/{org_id}/inbox/{notification_id}/pdf", tag = "notifications", params(("org_id" = String, Path), ("notification_id" = String, Path)),
    responses((status = 200, description = "The notification as PDF", content_type = "application/pdf"), (status = 403, body = crate::error::Problem), (status = 404, body = crate::error::Problem)))]
pub async fn received_pdf(
    State(state): State<AppState>,
    ApiCaller(actor): ApiCaller,
    Path((org_id, notification_id)): Path<(String, String)>,
) -> Result<axum::response::Response, ApiError> {
    let scope = state.core.scope(&actor, api_id::<OrgId>(&org_id)?).await?;
    let view = state
        .core
        .received_notification(&scope, api_id::<NotificationId>(&notification_id)?)
        .await?;
    Ok(crate::html::notification_download(&view, &scope))
}
