//! The framework library over the API: shared by every organisation, so readable by any
//! caller; added to by platform administrators.

use crate::error::ApiError;
use crate::extract::{ApiCaller, ApiQuery};
use crate::state::AppState;
use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::IntoResponse;
use hygeia_core::CoreError;
use hygeia_store::model::StoredFramework;
use serde::Serialize;
use utoipa::ToSchema;

#[derive(Serialize, ToSchema)]
pub struct FrameworkDto {
    /// What an assessment names as its `framework_id`.
    pub id: uuid::Uuid,
    pub key: String,
    pub version: String,
    pub title: String,
    pub publisher: String,
    pub source_url: Option<String>,
    pub licence: String,
    /// built_in or imported.
    pub origin: String,
    pub node_count: i64,
    pub imported_by: String,
    pub imported_at: String,
}

impl From<StoredFramework> for FrameworkDto {
    fn from(f: StoredFramework) -> Self {
        Self {
            id: f.id.0,
            key: f.key,
            version: f.version,
            title: f.title,
            publisher: f.publisher,
            source_url: f.source_url,
            licence: f.licence,
            origin: f.origin,
            node_count: f.node_count,
            imported_by: f.imported_by,
            imported_at: super::dto::time(f.imported_at),
        }
    }
}

/// Every framework version in the library.
#[utoipa::path(get, path = "/frameworks", tag = "frameworks",
    responses((status = 200, body = Vec<FrameworkDto>), (status = 401, body = crate::error::Problem)))]
pub async fn list_frameworks(
    State(state): State<AppState>,
    ApiCaller(_actor): ApiCaller,
) -> Result<Json<Vec<FrameworkDto>>, ApiError> {
    Ok(Json(
        state.core.frameworks().await?.into_iter().map(Into::into).collect(),
    ))
}

/// Adds a framework version: the body is an OSCAL catalog or a `hygeia.framework/v1` file
/// (JSON, told apart by its first key) or a CISO Assistant library (YAML). All of it or
/// nothing; errors name the JSON pointer (or the line, for text that does not parse).
#[utoipa::path(post, path = "/frameworks", tag = "frameworks", params(ImportQuery),
    request_body(content = Object, content_type = "application/json", description = "An OSCAL catalog, a hygeia.framework/v1 document, a CISO Assistant library (YAML, sent as text), or an OSCAL profile (with ?catalog=)"),
    responses((status = 201, body = FrameworkDto), (status = 403, body = crate::error::Problem), (status = 409, body = crate::error::Problem), (status = 413, body = crate::error::Problem), (status = 422, body = crate::error::Problem)))]
pub async fn import_framework(
    State(state): State<AppState>,
    ApiCaller(actor): ApiCaller,
    ApiQuery(q): ApiQuery<ImportQuery>,
    body: axum::body::Bytes,
) -> Result<(StatusCode, Json<FrameworkDto>), ApiError> {
    let text = std::str::from_utf8(&body).map_err(|_| CoreError::field("body", "is not UTF-8 text"))?;
    let stored = match q.catalog.as_deref() {
        Some(catalog) => {
            state
                .core
                .import_profile(Some(&actor), "body", text, q.key.as_deref(), catalog)
                .await?
        }
        None => {
            state
                .core
                .import_framework(Some(&actor), "body", text, q.key.as_deref())
                .await?
        }
    };
    Ok((StatusCode::CREATED, Json(stored.into())))
}

#[derive(serde::Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ImportQuery {
    /// The library key to file it under (default: the file's own, or the title's slug).
    pub key: Option<String>,
    /// For an OSCAL profile: the catalog in the library it selects from, as `KEY/VERSION`.
    pub catalog: Option<String>,
}

/// One framework version as a `hygeia.framework/v1` document, nodes included.
#[utoipa::path(get, path = "/frameworks/{key}/{version}", tag = "frameworks", params(("key" = String, Path), ("version" = String, Path)),
    responses((status = 200, description = "The framework", content_type = "application/json"), (status = 404, body = crate::error::Problem)))]
pub async fn export_framework(
    State(state): State<AppState>,
    ApiCaller(_actor): ApiCaller,
    Path((key, version)): Path<(String, String)>,
) -> Result<axum::response::Response, ApiError> {
    let text = state.core.export_framework(&key, &version).await?;
    Ok(([(axum::http::header::CONTENT_TYPE, "application/json")], text).into_response())
}

/// One mapping between two frameworks in the library.
#[derive(Serialize, ToSchema)]
pub struct MappingDto {
    /// Framework keys.
    pub from: String,
    pub to: String,
    pub pairs: i64,
    /// Who made the mapping and on what basis.
    pub source: String,
}

impl From<hygeia_core::mappings::MappingSummary> for MappingDto {
    fn from(m: hygeia_core::mappings::MappingSummary) -> Self {
        Self {
            from: m.from,
            to: m.to,
            pairs: m.pairs,
            source: m.source,
        }
    }
}

/// The mappings between frameworks: which pairs of frameworks are mapped, and how many pairs.
#[utoipa::path(get, path = "/frameworks/mappings", tag = "frameworks",
    responses((status = 200, body = Vec<MappingDto>), (status = 401, body = crate::error::Problem)))]
pub async fn list_mappings(
    State(state): State<AppState>,
    ApiCaller(_actor): ApiCaller,
) -> Result<Json<Vec<MappingDto>>, ApiError> {
    Ok(Json(state.core.mappings().await?.into_iter().map(Into::into).collect()))
}

/// Imports a `hygeia.mapping/v1` document, replacing the pairs between its two frameworks.
/// Every reference must be a requirement of a version in the library; errors name the JSON
/// pointer.
#[utoipa::path(post, path = "/frameworks/mappings", tag = "frameworks",
    request_body(content = Object, content_type = "application/json", description = "A hygeia.mapping/v1 document"),
    responses((status = 201, body = MappingDto), (status = 403, body = crate::error::Problem), (status = 422, body = crate::error::Problem)))]
pub async fn import_mapping(
    State(state): State<AppState>,
    ApiCaller(actor): ApiCaller,
    body: axum::body::Bytes,
) -> Result<(StatusCode, Json<MappingDto>), ApiError> {
    let text = std::str::from_utf8(&body).map_err(|_| CoreError::field("body", "is not UTF-8 text"))?;
    let m = state.core.import_mapping(Some(&actor), "body", text).await?;
    Ok((StatusCode::CREATED, Json(m.into())))
}

/// A target profile as sent: the minimum grade per graded outcome.
#[derive(serde::Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ProfileRequest {
    pub title: String,
    #[serde(default)]
    pub summary: String,
    #[serde(default)]
    pub source: Option<String>,
    /// Outcome reference → `achieved`, `partially_achieved`, `not_achieved`, or null for no
    /// minimum.
    pub minima: std::collections::BTreeMap<String, Option<String>>,
}

/// Saves a target profile of a framework version (platform administrators): replaces the
/// profile with this key, or adds it. Drafts score against it from then on.
#[utoipa::path(put, path = "/frameworks/{key}/{version}/profiles/{profile}", tag = "frameworks",
    params(("key" = String, Path), ("version" = String, Path), ("profile" = String, Path)), request_body = ProfileRequest,
    responses((status = 204), (status = 403, body = crate::error::Problem), (status = 404, body = crate::error::Problem), (status = 422, body = crate::error::Problem)))]
pub async fn save_profile(
    State(state): State<AppState>,
    ApiCaller(actor): ApiCaller,
    Path((key, version, profile)): Path<(String, String, String)>,
    body: crate::extract::ApiBody,
) -> Result<StatusCode, ApiError> {
    // An unknown version is 404 whatever the body says.
    let id = state.core.framework_id(&key, &version).await?;
    let b: ProfileRequest = body.parse()?;
    let mut minima = std::collections::BTreeMap::new();
    for (outcome, grade) in b.minima {
        let parsed = match grade.as_deref() {
            None => None,
            Some(code) => Some(
                serde_json::from_value(serde_json::Value::String(code.to_owned())).map_err(|_| {
                    CoreError::field(
                        &format!("/minima/{outcome}"),
                        "must be achieved, partially_achieved, not_achieved or null",
                    )
                })?,
            ),
        };
        minima.insert(outcome, parsed);
    }
    state
        .core
        .save_profile(
            &actor,
            id,
            hygeia_domain::assessments::framework::Profile {
                key: profile,
                title: b.title,
                summary: b.summary,
                source: b.source,
                minima,
            },
        )
        .await
        .map_err(crate::error::pointed)?;
    Ok(StatusCode::NO_CONTENT)
}
