//! The organisation's signed webhook over the API.

use super::dto::time;
use crate::error::ApiError;
use crate::extract::{ApiBody, ApiCaller, api_id};
use crate::state::AppState;
use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use hygeia_domain::ids::OrgId;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct WebhookRequest {
    /// An https:// address.
    pub url: String,
}

#[derive(Serialize, ToSchema)]
pub struct WebhookCreated {
    pub url: String,
    /// Signs every delivery (`Hygeia-Signature: t=SECONDS,v1=HEX`, HMAC-SHA256 of
    /// `SECONDS.BODY`). Returned only here: keep it.
    pub secret: String,
}

#[derive(Serialize, ToSchema)]
pub struct DeliveryDto {
    pub id: uuid::Uuid,
    pub notification_id: uuid::Uuid,
    pub event: String,
    pub created_at: String,
    pub attempts: i64,
    pub last_status: Option<i64>,
    pub last_error: Option<String>,
    pub delivered_at: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub struct WebhookDto {
    pub url: String,
    pub updated_by: String,
    pub updated_at: String,
    /// The latest deliveries, newest first.
    pub deliveries: Vec<DeliveryDto>,
}

/// The organisation's webhook and its latest deliveries (404 when none is set).
#[utoipa::path(get, path = "/orgs/{org_id}/webhook", tag = "notifications", params(("org_id" = String, Path)),
    responses((status = 200, body = WebhookDto), (status = 403, body = crate::error::Problem), (status = 404, body = crate::error::Problem)))]
pub async fn get_webhook(
    State(state): State<AppState>,
    ApiCaller(actor): ApiCaller,
    Path(org_id): Path<String>,
) -> Result<Json<WebhookDto>, ApiError> {
    let scope = state.core.scope(&actor, api_id::<OrgId>(&org_id)?).await?;
    let hook = state
        .core
        .webhook(&scope)
        .await?
        .ok_or(hygeia_core::CoreError::NotFound)?;
    Ok(Json(WebhookDto {
        url: hook.url,
        updated_by: hook.updated_by,
        updated_at: time(hook.updated_at),
        deliveries: hook
            .recent
            .into_iter()
            .map(|d| DeliveryDto {
                id: d.id.0,
                notification_id: d.notification_id.0,
                event: d.event,
                created_at: time(d.created_at),
                attempts: d.attempts,
                last_status: d.last_status,
                last_error: d.last_error,
                delivered_at: d.delivered_at.map(time),
            })
            .collect(),
    }))
}

/// Sets the webhook's address and makes a new signing secret.
#[utoipa::path(put, path = "/orgs/{org_id}/webhook", tag = "notifications", params(("org_id" = String, Path)), request_body = WebhookRequest,
    responses((status = 200, body = WebhookCreated), (status = 403, body = crate::error::Problem), (status = 404, body = crate::error::Problem), (status = 422, body = crate::error::Problem)))]
pub async fn put_webhook(
    State(state): State<AppState>,
    ApiCaller(actor): ApiCaller,
    Path(org_id): Path<String>,
    body: ApiBody,
) -> Result<Json<WebhookCreated>, ApiError> {
    let scope = state.core.scope(&actor, api_id::<OrgId>(&org_id)?).await?;
    let body: WebhookRequest = body.parse()?;
    let secret = state
        .core
        .set_webhook(&scope, &body.url)
        .await
        .map_err(crate::error::pointed)?;
    let url = state.core.webhook(&scope).await?.map(|h| h.url).unwrap_or_default();
    Ok(Json(WebhookCreated { url, secret }))
}

/// Removes the webhook; queued deliveries are not sent.
#[utoipa::path(delete, path = "/orgs/{org_id}/webhook", tag = "notifications", params(("org_id" = String, Path)),
    responses((status = 204), (status = 403, body = crate::error::Problem), (status = 404, body = crate::error::Problem)))]
pub async fn delete_webhook(
    State(state): State<AppState>,
    ApiCaller(actor): ApiCaller,
    Path(org_id): Path<String>,
) -> Result<StatusCode, ApiError> {
    let scope = state.core.scope(&actor, api_id::<OrgId>(&org_id)?).await?;
    state.core.remove_webhook(&scope).await?;
    Ok(StatusCode::NO_CONTENT)
}
