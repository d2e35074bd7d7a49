//! National alerts over the API: an organisation's alert record and responses, a group's
//! answers for its members, and the national team's publishing, KEV catalogue and exposure
//! views (a regulator sees exposure for its remit).

use super::assets::{paged, text_body};
use crate::error::ApiError;
use crate::extract::{ApiBody, ApiCaller, ApiQuery, api_id};
use crate::state::AppState;
use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use hygeia_core::CoreError;
use hygeia_core::alerts::{AlertInput, ResponseStep};
use hygeia_domain::ids::{AlertId, OrgId};
use hygeia_domain::page::PageRequest;
use serde::Deserialize;
use serde_json::{Value, json};
use utoipa::{IntoParams, ToSchema};

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct PageParams {
    pub limit: Option<u32>,
    pub offset: Option<u64>,
}

/// The organisation's alert record: every published alert with its response, newest first.
#[utoipa::path(get, path = "/orgs/{org_id}/alerts", tag = "alerts", params(("org_id" = String, Path), PageParams),
    responses((status = 200, body = Object), (status = 403, body = crate::error::Problem), (status = 404, body = crate::error::Problem)))]
pub async fn alert_record(
    State(state): State<AppState>,
    ApiCaller(actor): ApiCaller,
    Path(org_id): Path<String>,
    ApiQuery(q): ApiQuery<PageParams>,
) -> Result<Json<Value>, ApiError> {
    let scope = state.core.scope(&actor, api_id::<OrgId>(&org_id)?).await?;
    Ok(Json(paged(
        state
            .core
            .alert_record(&scope, PageRequest::new(q.limit, q.offset))
            .await?,
    )))
}

/// The organisation's response to one alert: the pre-fill with the assets behind it and
/// why, its answers, updates and deadlines.
#[utoipa::path(get, path = "/orgs/{org_id}/alerts/{alert_id}", tag = "alerts", params(("org_id" = String, Path), ("alert_id" = String, Path)),
    responses((status = 200, body = Object), (status = 403, body = crate::error::Problem), (status = 404, body = crate::error::Problem)))]
pub async fn get_response(
    State(state): State<AppState>,
    ApiCaller(actor): ApiCaller,
    Path((org_id, alert_id)): Path<(String, String)>,
) -> Result<Json<Value>, ApiError> {
    let scope = state.core.scope(&actor, api_id::<OrgId>(&org_id)?).await?;
    Ok(Json(json!(
        state.core.alert_response(&scope, api_id::<AlertId>(&alert_id)?).await?
    )))
}

/// One step of the response: `{"action": "acknowledge"}`, `{"action": "applicability",
/// "applicability": "not_affected", "justification": "component_not_present", "reason": ...}`,
/// `{"action": "update", "body": ...}` or `{"action": "close", "remediation": ...}`.
#[utoipa::path(post, path = "/orgs/{org_id}/alerts/{alert_id}/response", tag = "alerts", params(("org_id" = String, Path), ("alert_id" = String, Path)), request_body = Object,
    responses((status = 200, body = Object), (status = 403, body = crate::error::Problem), (status = 404, body = crate::error::Problem), (status = 409, body = crate::error::Problem), (status = 422, body = crate::error::Problem)))]
pub async fn respond(
    State(state): State<AppState>,
    ApiCaller(actor): ApiCaller,
    Path((org_id, alert_id)): Path<(String, String)>,
    body: ApiBody,
) -> Result<Json<Value>, ApiError> {
    let scope = state.core.scope(&actor, api_id::<OrgId>(&org_id)?).await?;
    let id = api_id::<AlertId>(&alert_id)?;
    let step: ResponseStep = body.parse()?;
    Ok(Json(json!(state.core.respond(&scope, id, &step).await?)))
}

#[derive(Deserialize, ToSchema)]
pub struct MembersRequest {
    /// The member organisations to answer for (each must allow it).
    pub members: Vec<String>,
    /// The step, as for one organisation's response.
    #[schema(value_type = Object)]
    pub step: Value,
}

/// A group (an ICB, a care group) takes the same step for members that let it answer for
/// them; each member's result is listed.
#[utoipa::path(post, path = "/orgs/{org_id}/alerts/{alert_id}/members-response", tag = "alerts", params(("org_id" = String, Path), ("alert_id" = String, Path)), request_body = MembersRequest,
    responses((status = 200, body = Object), (status = 403, body = crate::error::Problem), (status = 404, body = crate::error::Problem), (status = 422, body = crate::error::Problem)))]
pub async fn respond_for_members(
    State(state): State<AppState>,
    ApiCaller(actor): ApiCaller,
    Path((org_id, alert_id)): Path<(String, String)>,
    body: ApiBody,
) -> Result<Json<Value>, ApiError> {
    let scope = state.core.scope(&actor, api_id::<OrgId>(&org_id)?).await?;
    let id = api_id::<AlertId>(&alert_id)?;
    let r: MembersRequest = body.parse()?;
    let step: ResponseStep = serde_json::from_value(r.step).map_err(|e| CoreError::field("/step", &e.to_string()))?;
    let mut members = Vec::new();
    for (i, m) in r.members.iter().enumerate() {
        members.push(
            m.parse::<OrgId>()
                .map_err(|_| CoreError::field(&format!("/members/{i}"), "is not an organisation id"))?,
        );
    }
    let results = state.core.respond_for_members(&scope, id, &members, &step).await?;
    let out: Vec<Value> = results
        .into_iter()
        .map(|(o, r)| match r {
            Ok(()) => json!({"org_id": o, "done": true}),
            Err(e) => json!({"org_id": o, "done": false, "error": e}),
        })
        .collect();
    Ok(Json(json!({"results": out})))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DelegationRequest {
    /// Let the parent group answer alerts for this organisation.
    pub allow: bool,
}

/// Lets the organisation's parent group answer alerts for it, or stops it.
#[utoipa::path(put, path = "/orgs/{org_id}/alert-delegation", tag = "alerts", params(("org_id" = String, Path)), request_body = DelegationRequest,
    responses((status = 200, body = Object), (status = 403, body = crate::error::Problem), (status = 404, body = crate::error::Problem), (status = 422, body = crate::error::Problem)))]
pub async fn delegate(
    State(state): State<AppState>,
    ApiCaller(actor): ApiCaller,
    Path(org_id): Path<String>,
    body: ApiBody,
) -> Result<Json<Value>, ApiError> {
    let scope = state.core.scope(&actor, api_id::<OrgId>(&org_id)?).await?;
    let r: DelegationRequest = body.parse()?;
    let group = state.core.allow_group_responses(&scope, r.allow).await?;
    Ok(Json(json!({"group_id": group})))
}

/// The national team's list: drafts and published alerts, newest first.
#[utoipa::path(get, path = "/orgs/{org_id}/national-alerts", tag = "alerts", params(("org_id" = String, Path), PageParams),
    responses((status = 200, body = Object), (status = 403, body = crate::error::Problem), (status = 404, body = crate::error::Problem)))]
pub async fn list_alerts(
    State(state): State<AppState>,
    ApiCaller(actor): ApiCaller,
    Path(org_id): Path<String>,
    ApiQuery(q): ApiQuery<PageParams>,
) -> Result<Json<Value>, ApiError> {
    let scope = state.core.scope(&actor, api_id::<OrgId>(&org_id)?).await?;
    Ok(Json(paged(
        state.core.alerts(&scope, PageRequest::new(q.limit, q.offset)).await?,
    )))
}

/// A draft alert: reference, title, severity, CVEs, products (identity, versions, status),
/// required actions; deadlines default by severity (48 h to acknowledge a high alert).
#[utoipa::path(post, path = "/orgs/{org_id}/national-alerts", tag = "alerts", params(("org_id" = String, Path)), request_body = Object,
    responses((status = 201, body = Object), (status = 403, body = crate::error::Problem), (status = 404, body = crate::error::Problem), (status = 422, body = crate::error::Problem)))]
pub async fn create_alert(
    State(state): State<AppState>,
    ApiCaller(actor): ApiCaller,
    Path(org_id): Path<String>,
    body: ApiBody,
) -> Result<(StatusCode, Json<Value>), ApiError> {
    let scope = state.core.scope(&actor, api_id::<OrgId>(&org_id)?).await?;
    let input: AlertInput = body.parse()?;
    Ok((
        StatusCode::CREATED,
        Json(json!(state.core.create_alert(&scope, &input).await?)),
    ))
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct FileParams {
    /// The file's name, for error messages.
    pub file: Option<String>,
}

/// Imports a CSAF 2.0 advisory (a draft alert) or a CISA KEV catalogue (replacing the
/// catalogue, with what changed since the last snapshot), told apart by content.
#[utoipa::path(post, path = "/orgs/{org_id}/national-alerts/import", tag = "alerts", params(("org_id" = String, Path), FileParams),
    request_body(content = Object, content_type = "application/json", description = "A CSAF 2.0 document or a KEV catalogue"),
    responses((status = 200, body = Object), (status = 403, body = crate::error::Problem), (status = 404, body = crate::error::Problem), (status = 413, body = crate::error::Problem), (status = 422, body = crate::error::Problem)))]
pub async fn import_alerts(
    State(state): State<AppState>,
    ApiCaller(actor): ApiCaller,
    Path(org_id): Path<String>,
    ApiQuery(q): ApiQuery<FileParams>,
    body: axum::body::Bytes,
) -> Result<Json<Value>, ApiError> {
    let scope = state.core.scope(&actor, api_id::<OrgId>(&org_id)?).await?;
    let file = q.file.as_deref().unwrap_or("body");
    Ok(Json(json!(
        state.core.import_alert_file(&scope, file, text_body(&body)?).await?
    )))
}

/// Replaces an alert's content; a published alert is matched again (answers are kept).
#[utoipa::path(put, path = "/orgs/{org_id}/national-alerts/{alert_id}", tag = "alerts", params(("org_id" = String, Path), ("alert_id" = String, Path)), request_body = Object,
    responses((status = 200, body = Object), (status = 403, body = crate::error::Problem), (status = 404, body = crate::error::Problem), (status = 409, body = crate::error::Problem), (status = 422, body = crate::error::Problem)))]
pub async fn update_alert(
    State(state): State<AppState>,
    ApiCaller(actor): ApiCaller,
    Path((org_id, alert_id)): Path<(String, String)>,
    body: ApiBody,
) -> Result<Json<Value>, ApiError> {
    let scope = state.core.scope(&actor, api_id::<OrgId>(&org_id)?).await?;
    let id = api_id::<AlertId>(&alert_id)?;
    let input: AlertInput = body.parse()?;
    Ok(Json(json!(state.core.update_alert(&scope, id, &input).await?)))
}

/// Publishes a draft: clocks start and every organisation's response is pre-filled.
#[utoipa::path(post, path = "/orgs/{org_id}/national-alerts/{alert_id}/publish", tag = "alerts", params(("org_id" = String, Path), ("alert_id" = String, Path)),
    responses((status = 200, body = Object), (status = 403, body = crate::error::Problem), (status = 404, body = crate::error::Problem), (status = 409, body = crate::error::Problem)))]
pub async fn publish(
    State(state): State<AppState>,
    ApiCaller(actor): ApiCaller,
    Path((org_id, alert_id)): Path<(String, String)>,
) -> Result<Json<Value>, ApiError> {
    let scope = state.core.scope(&actor, api_id::<OrgId>(&org_id)?).await?;
    Ok(Json(json!(
        state.core.publish_alert(&scope, api_id::<AlertId>(&alert_id)?).await?
    )))
}

/// Withdraws an alert.
#[utoipa::path(post, path = "/orgs/{org_id}/national-alerts/{alert_id}/withdraw", tag = "alerts", params(("org_id" = String, Path), ("alert_id" = String, Path)),
    responses((status = 200, body = Object), (status = 403, body = crate::error::Problem), (status = 404, body = crate::error::Problem)))]
pub async fn withdraw(
    State(state): State<AppState>,
    ApiCaller(actor): ApiCaller,
    Path((org_id, alert_id)): Path<(String, String)>,
) -> Result<Json<Value>, ApiError> {
    let scope = state.core.scope(&actor, api_id::<OrgId>(&org_id)?).await?;
    Ok(Json(json!(
        state.core.withdraw_alert(&scope, api_id::<AlertId>(&alert_id)?).await?
    )))
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ExposureQuery {
    /// all, affected, unknown, acknowledged, overdue or remediated.
    pub state: Option<String>,
    pub limit: Option<u32>,
    pub offset: Option<u64>,
}

/// The sector's (or remit's) response to an alert: organisations affected, acknowledged,
/// overdue and remediated, and a page of those in one state.
#[utoipa::path(get, path = "/orgs/{org_id}/national-alerts/{alert_id}/exposure", tag = "alerts", params(("org_id" = String, Path), ("alert_id" = String, Path), ExposureQuery),
    responses((status = 200, body = Object), (status = 403, body = crate::error::Problem), (status = 404, body = crate::error::Problem), (status = 422, body = crate::error::Problem)))]
pub async fn exposure(
    State(state): State<AppState>,
    ApiCaller(actor): ApiCaller,
    Path((org_id, alert_id)): Path<(String, String)>,
    ApiQuery(q): ApiQuery<ExposureQuery>,
) -> Result<Json<Value>, ApiError> {
    let scope = state.core.scope(&actor, api_id::<OrgId>(&org_id)?).await?;
    let id = api_id::<AlertId>(&alert_id)?;
    let view = state
        .core
        .alert_exposure(
            &scope,
            id,
            q.state.as_deref().unwrap_or("all"),
            PageRequest::new(q.limit, q.offset),
        )
        .await?;
    let responses = paged(view.responses.clone());
    let mut out = json!(view);
    out["responses"] = responses;
    Ok(Json(out))
}

/// One organisation's response as the sector view drills into it.
#[utoipa::path(get, path = "/orgs/{org_id}/national-alerts/{alert_id}/exposure/{member_org_id}", tag = "alerts", params(("org_id" = String, Path), ("alert_id" = String, Path), ("member_org_id" = String, Path)),
    responses((status = 200, body = Object), (status = 403, body = crate::error::Problem), (status = 404, body = crate::error::Problem)))]
pub async fn exposure_detail(
    State(state): State<AppState>,
    ApiCaller(actor): ApiCaller,
    Path((org_id, alert_id, member)): Path<(String, String, String)>,
) -> Result<Json<Value>, ApiError> {
    let scope = state.core.scope(&actor, api_id::<OrgId>(&org_id)?).await?;
    let view = state
        .core
        .exposure_detail(&scope, api_id::<AlertId>(&alert_id)?, api_id::<OrgId>(&member)?)
        .await?;
    Ok(Json(json!(view)))
}

/// The KEV catalogue: its imports with what each changed, the vendor/product pairs nobody
/// has placed yet, and the confirmed mappings.
#[utoipa::path(get, path = "/orgs/{org_id}/kev", tag = "alerts", params(("org_id" = String, Path)),
    responses((status = 200, body = Object), (status = 403, body = crate::error::Problem), (status = 404, body = crate::error::Problem)))]
pub async fn kev(
    State(state): State<AppState>,
    ApiCaller(actor): ApiCaller,
    Path(org_id): Path<String>,
) -> Result<Json<Value>, ApiError> {
    let scope = state.core.scope(&actor, api_id::<OrgId>(&org_id)?).await?;
    Ok(Json(json!(state.core.kev(&scope).await?)))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct MappingRequest {
    pub vendor_project: String,
    pub product: String,
    /// A CPE, a package URL or a product name.
    pub identity: String,
}

/// Confirms what a KEV vendor/product pair names.
#[utoipa::path(post, path = "/orgs/{org_id}/kev/mappings", tag = "alerts", params(("org_id" = String, Path)), request_body = MappingRequest,
    responses((status = 204), (status = 403, body = crate::error::Problem), (status = 404, body = crate::error::Problem), (status = 422, body = crate::error::Problem)))]
pub async fn kev_mapping(
    State(state): State<AppState>,
    ApiCaller(actor): ApiCaller,
    Path(org_id): Path<String>,
    body: ApiBody,
) -> Result<StatusCode, ApiError> {
    let scope = state.core.scope(&actor, api_id::<OrgId>(&org_id)?).await?;
    let r: MappingRequest = body.parse()?;
    state
        .core
        .confirm_kev_mapping(&scope, &r.vendor_project, &r.product, &r.identity)
        .await?;
    Ok(StatusCode::NO_CONTENT)
}

/// The whole KEV catalogue matched against the sector: for each entry, how many
/// organisations and assets run the product it names.
#[utoipa::path(get, path = "/orgs/{org_id}/kev/exposure", tag = "alerts", params(("org_id" = String, Path)),
    responses((status = 200, body = Object), (status = 403, body = crate::error::Problem), (status = 404, body = crate::error::Problem)))]
pub async fn kev_exposure(
    State(state): State<AppState>,
    ApiCaller(actor): ApiCaller,
    Path(org_id): Path<String>,
) -> Result<Json<Value>, ApiError> {
    let scope = state.core.scope(&actor, api_id::<OrgId>(&org_id)?).await?;
    Ok(Json(json!(state.core.kev_exposure(&scope).await?)))
}

/// A draft alert from one KEV entry.
#[utoipa::path(post, path = "/orgs/{org_id}/kev/{cve}/alert", tag = "alerts", params(("org_id" = String, Path), ("cve" = String, Path)),
    responses((status = 201, body = Object), (status = 403, body = crate::error::Problem), (status = 404, body = crate::error::Problem)))]
pub async fn kev_alert(
    State(state): State<AppState>,
    ApiCaller(actor): ApiCaller,
    Path((org_id, cve)): Path<(String, String)>,
) -> Result<(StatusCode, Json<Value>), ApiError> {
    let scope = state.core.scope(&actor, api_id::<OrgId>(&org_id)?).await?;
    Ok((
        StatusCode::CREATED,
        Json(json!(state.core.alert_from_kev(&scope, &cve).await?)),
    ))
}

/// One organisation's alert record over time, as the national team or its regulator sees it.
#[utoipa::path(get, path = "/orgs/{org_id}/sector/orgs/{member_org_id}/alerts", tag = "alerts", params(("org_id" = String, Path), ("member_org_id" = String, Path), PageParams),
    responses((status = 200, body = Object), (status = 403, body = crate::error::Problem), (status = 404, body = crate::error::Problem)))]
pub async fn member_record(
    State(state): State<AppState>,
    ApiCaller(actor): ApiCaller,
    Path((org_id, member)): Path<(String, String)>,
    ApiQuery(q): ApiQuery<PageParams>,
) -> Result<Json<Value>, ApiError> {
    let scope = state.core.scope(&actor, api_id::<OrgId>(&org_id)?).await?;
    let page = PageRequest::new(q.limit, q.offset);
    Ok(Json(paged(
        state
            .core
            .member_alert_record(&scope, api_id::<OrgId>(&member)?, page)
            .await?,
    )))
}
