//! The asset register, the unsupported systems report, the census and lifecycle updates over
//! the API. Import bodies are the file itself (CSV, CycloneDX JSON or XML, SPDX JSON); errors
//! name the line and column or the JSON pointer in it.

use crate::error::ApiError;
use crate::extract::{ApiBody, ApiCaller, ApiQuery, api_id};
use crate::state::AppState;
use axum::Json;
use axum::extract::{Path, State};
use axum::http::{StatusCode, header};
use axum::response::IntoResponse;
use hygeia_core::CoreError;
use hygeia_core::assets::ImportOptions;
use hygeia_domain::assets::asset::{AssetInput, AssetKind};
use hygeia_domain::ids::{AssetId, OrgId};
use hygeia_domain::org::OrgType;
use hygeia_domain::page::{Page, PageRequest};
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};
use utoipa::{IntoParams, ToSchema};

/// A page as JSON: items, total, limit, offset and the next offset.
pub(crate) fn paged<T: Serialize>(p: Page<T>) -> Value {
    let next = p.next_offset();
    json!({"items": p.items, "total": p.total, "limit": p.limit, "offset": p.offset, "next_offset": next})
}

pub(crate) fn text_body(body: &axum::body::Bytes) -> Result<&str, ApiError> {
    Ok(std::str::from_utf8(body).map_err(|_| CoreError::field("body", "is not UTF-8 text"))?)
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct AssetQuery {
    /// server, end_user_device, network_device, medical_device, iot, cloud_service or application.
    pub kind: Option<String>,
    /// Part of a name, key or hostname.
    pub q: Option<String>,
    pub limit: Option<u32>,
    pub offset: Option<u64>,
}

/// The register: each asset with what it runs and its support status (supported,
/// ending_soon, extended_support, unsupported, unknown).
#[utoipa::path(get, path = "/orgs/{org_id}/assets", tag = "assets", params(("org_id" = String, Path), AssetQuery),
    responses((status = 200, body = Object), (status = 403, body = crate::error::Problem), (status = 404, body = crate::error::Problem)))]
pub async fn list_assets(
    State(state): State<AppState>,
    ApiCaller(actor): ApiCaller,
    Path(org_id): Path<String>,
    ApiQuery(q): ApiQuery<AssetQuery>,
) -> Result<Json<Value>, ApiError> {
    let scope = state.core.scope(&actor, api_id::<OrgId>(&org_id)?).await?;
    let kind = match q.kind.as_deref().filter(|k| !k.is_empty()) {
        Some(k) => Some(AssetKind::parse(k).ok_or_else(|| CoreError::field("kind", "is not a kind of asset"))?),
        None => None,
    };
    let page = PageRequest::new(q.limit, q.offset);
    Ok(Json(paged(
        state.core.assets(&scope, kind, q.q.as_deref(), page).await?,
    )))
}

/// Adds or replaces one asset (by its key), as the register form does.
#[utoipa::path(post, path = "/orgs/{org_id}/assets", tag = "assets", params(("org_id" = String, Path)), request_body = Object,
    responses((status = 201, body = Object), (status = 403, body = crate::error::Problem), (status = 404, body = crate::error::Problem), (status = 422, body = crate::error::Problem)))]
pub async fn save_asset(
    State(state): State<AppState>,
    ApiCaller(actor): ApiCaller,
    Path(org_id): Path<String>,
    body: ApiBody,
) -> Result<(StatusCode, Json<Value>), ApiError> {
    let scope = state.core.scope(&actor, api_id::<OrgId>(&org_id)?).await?;
    let input: AssetInput = body.parse()?;
    let view = state.core.save_asset(&scope, input).await?;
    Ok((StatusCode::CREATED, Json(json!(view))))
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ImportQuery {
    /// Only report what would change.
    #[serde(default)]
    pub dry_run: bool,
    /// Keep assets this source brought before that the file no longer lists.
    #[serde(default)]
    pub keep_missing: bool,
    /// CSV header mappings, `Header=column` separated by `;` (`Kit No=key;Flavour=kind`).
    pub map: Option<String>,
    /// The file's name, for error messages.
    pub file: Option<String>,
}

pub(crate) fn mapping(map: Option<&str>) -> Result<std::collections::HashMap<String, String>, CoreError> {
    let mut out = std::collections::HashMap::new();
    for pair in map
        .unwrap_or_default()
        .split(';')
        .map(str::trim)
        .filter(|p| !p.is_empty())
    {
        let (from, to) = pair
            .split_once('=')
            .ok_or_else(|| CoreError::field("map", &format!("`{pair}` is not Header=column")))?;
        out.insert(from.trim().to_owned(), to.trim().to_owned());
    }
    Ok(out)
}

/// Imports a register (CSV) or an SBOM (CycloneDX 1.2–1.6 JSON or XML, SPDX 2.3 JSON): assets
/// are upserted by key, and what the same source no longer lists is removed. The answer says
/// what was added, changed and removed, and which identities the catalogue does not know.
#[utoipa::path(post, path = "/orgs/{org_id}/assets/import", tag = "assets", params(("org_id" = String, Path), ImportQuery),
    request_body(content = String, content_type = "text/csv", description = "The file: CSV, CycloneDX JSON or XML, or SPDX JSON"),
    responses((status = 200, body = Object), (status = 403, body = crate::error::Problem), (status = 404, body = crate::error::Problem), (status = 413, body = crate::error::Problem), (status = 422, body = crate::error::Problem)))]
pub async fn import_assets(
    State(state): State<AppState>,
    ApiCaller(actor): ApiCaller,
    Path(org_id): Path<String>,
    ApiQuery(q): ApiQuery<ImportQuery>,
    body: axum::body::Bytes,
) -> Result<Json<Value>, ApiError> {
    let scope = state.core.scope(&actor, api_id::<OrgId>(&org_id)?).await?;
    let options = ImportOptions {
        mapping: mapping(q.map.as_deref())?,
        dry_run: q.dry_run,
        keep_missing: q.keep_missing,
    };
    let file = q.file.as_deref().unwrap_or("body");
    let report = state
        .core
        .import_assets(&scope, file, text_body(&body)?, &options, None)
        .await?;
    Ok(Json(json!(report)))
}

/// The register as CSV in the documented columns (it imports back unchanged).
#[utoipa::path(get, path = "/orgs/{org_id}/assets/export", tag = "assets", params(("org_id" = String, Path)),
    responses((status = 200, body = String, content_type = "text/csv"), (status = 403, body = crate::error::Problem), (status = 404, body = crate::error::Problem)))]
pub async fn export_assets(
    State(state): State<AppState>,
    ApiCaller(actor): ApiCaller,
    Path(org_id): Path<String>,
) -> Result<impl IntoResponse, ApiError> {
    let scope = state.core.scope(&actor, api_id::<OrgId>(&org_id)?).await?;
    let csv = state.core.export_assets_csv(&scope).await?;
    Ok((
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8"),
            (header::CONTENT_DISPOSITION, "attachment; filename=\"assets.csv\""),
        ],
        csv,
    ))
}

/// One asset with its software and their support status.
#[utoipa::path(get, path = "/orgs/{org_id}/assets/{asset_id}", tag = "assets", params(("org_id" = String, Path), ("asset_id" = String, Path)),
    responses((status = 200, body = Object), (status = 403, body = crate::error::Problem), (status = 404, body = crate::error::Problem)))]
pub async fn get_asset(
    State(state): State<AppState>,
    ApiCaller(actor): ApiCaller,
    Path((org_id, asset_id)): Path<(String, String)>,
) -> Result<Json<Value>, ApiError> {
    let scope = state.core.scope(&actor, api_id::<OrgId>(&org_id)?).await?;
    Ok(Json(json!(
        state.core.asset(&scope, api_id::<AssetId>(&asset_id)?).await?
    )))
}

/// Removes an asset and its matches and treatments.
#[utoipa::path(delete, path = "/orgs/{org_id}/assets/{asset_id}", tag = "assets", params(("org_id" = String, Path), ("asset_id" = String, Path)),
    responses((status = 204), (status = 403, body = crate::error::Problem), (status = 404, body = crate::error::Problem)))]
pub async fn delete_asset(
    State(state): State<AppState>,
    ApiCaller(actor): ApiCaller,
    Path((org_id, asset_id)): Path<(String, String)>,
) -> Result<StatusCode, ApiError> {
    let scope = state.core.scope(&actor, api_id::<OrgId>(&org_id)?).await?;
    state.core.delete_asset(&scope, api_id::<AssetId>(&asset_id)?).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct UnsupportedQuery {
    /// The "ending soon" window in days (default 90).
    pub within_days: Option<i32>,
}

/// The unsupported systems report (DSPT standard 8): every unsupported product on every
/// asset with its treatment (untreated, plan, accepted, acceptance_expired), and those whose
/// support ends within the window.
#[utoipa::path(get, path = "/orgs/{org_id}/unsupported", tag = "assets", params(("org_id" = String, Path), UnsupportedQuery),
    responses((status = 200, body = Object), (status = 403, body = crate::error::Problem), (status = 404, body = crate::error::Problem)))]
pub async fn unsupported(
    State(state): State<AppState>,
    ApiCaller(actor): ApiCaller,
    Path(org_id): Path<String>,
    ApiQuery(q): ApiQuery<UnsupportedQuery>,
) -> Result<Json<Value>, ApiError> {
    let scope = state.core.scope(&actor, api_id::<OrgId>(&org_id)?).await?;
    let days = q
        .within_days
        .unwrap_or(hygeia_core::assets::DEFAULT_WARN_DAYS)
        .clamp(0, 3650);
    Ok(Json(json!(state.core.unsupported_report(&scope, days).await?)))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TreatmentRequest {
    pub asset_id: String,
    /// The catalogue product (`windows-server`).
    pub product_id: String,
    /// The release (`2012-r2`).
    pub cycle: String,
    /// `plan` (a remediation plan) or `acceptance` (a risk acceptance; the senior executive).
    pub kind: String,
    pub detail: String,
    /// A plan's target date, or the last day an acceptance holds (at most a year): YYYY-MM-DD.
    pub date: String,
}

/// Records a remediation plan or a time-boxed risk acceptance for an unsupported product.
#[utoipa::path(post, path = "/orgs/{org_id}/unsupported/treatments", tag = "assets", params(("org_id" = String, Path)), request_body = TreatmentRequest,
    responses((status = 204), (status = 403, body = crate::error::Problem), (status = 404, body = crate::error::Problem), (status = 422, body = crate::error::Problem)))]
pub async fn treat(
    State(state): State<AppState>,
    ApiCaller(actor): ApiCaller,
    Path(org_id): Path<String>,
    body: ApiBody,
) -> Result<StatusCode, ApiError> {
    let scope = state.core.scope(&actor, api_id::<OrgId>(&org_id)?).await?;
    let r: TreatmentRequest = body.parse()?;
    let acceptance = match r.kind.as_str() {
        "plan" => false,
        "acceptance" => true,
        _ => return Err(CoreError::field("/kind", "is not plan or acceptance").into()),
    };
    let asset = api_id::<AssetId>(&r.asset_id)?;
    state
        .core
        .treat_unsupported(&scope, asset, &r.product_id, &r.cycle, acceptance, &r.detail, &r.date)
        .await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct CensusQuery {
    /// Only organisations of this type (trust, gp_practice, care_provider...).
    pub org_type: Option<String>,
    /// Only organisations under this parent (an ICB or region), by id.
    pub parent: Option<String>,
    /// Include supported releases too.
    #[serde(default)]
    pub all: bool,
}

/// The end-of-life census across the sector (the national team) or the remit (a regulator):
/// for each release, how many organisations and assets run it, and how many of those assets
/// are in paid extended support.
#[utoipa::path(get, path = "/orgs/{org_id}/census", tag = "assets", params(("org_id" = String, Path), CensusQuery),
    responses((status = 200, body = Object), (status = 403, body = crate::error::Problem), (status = 404, body = crate::error::Problem)))]
pub async fn census(
    State(state): State<AppState>,
    ApiCaller(actor): ApiCaller,
    Path(org_id): Path<String>,
    ApiQuery(q): ApiQuery<CensusQuery>,
) -> Result<Json<Value>, ApiError> {
    let scope = state.core.scope(&actor, api_id::<OrgId>(&org_id)?).await?;
    let org_type = match q.org_type.as_deref().filter(|t| !t.is_empty()) {
        Some(t) => Some(OrgType::parse(t, "org_type").map_err(CoreError::from)?),
        None => None,
    };
    let parent = match q.parent.as_deref().filter(|p| !p.is_empty()) {
        Some(p) => Some(
            p.parse::<OrgId>()
                .map_err(|_| CoreError::field("parent", "is not an organisation id"))?,
        ),
        None => None,
    };
    Ok(Json(json!(state.core.census(&scope, org_type, parent, q.all).await?)))
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct LifecycleQuery {
    /// The file's name: its stem names the product (`windows-server.json`, `rhel.md`).
    pub file: String,
    /// Where the file came from, kept as its provenance.
    pub source: Option<String>,
}

/// Updates the lifecycle catalogue from an endoflife.date product page (`.md`) or
/// release-data file (`.json`). Platform administrators only.
#[utoipa::path(post, path = "/lifecycle", tag = "assets", params(LifecycleQuery),
    request_body(content = String, content_type = "text/plain", description = "The endoflife.date file"),
    responses((status = 200, body = Object), (status = 403, body = crate::error::Problem), (status = 422, body = crate::error::Problem)))]
pub async fn import_lifecycle(
    State(state): State<AppState>,
    ApiCaller(actor): ApiCaller,
    ApiQuery(q): ApiQuery<LifecycleQuery>,
    body: axum::body::Bytes,
) -> Result<Json<Value>, ApiError> {
    let done = state
        .core
        .import_lifecycle(
            Some(&actor),
            &q.file,
            text_body(&body)?,
            q.source.as_deref().unwrap_or(""),
        )
        .await?;
    Ok(Json(json!(done)))
}
