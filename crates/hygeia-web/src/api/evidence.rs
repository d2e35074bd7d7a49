//! The evidence library over the API. Files go up as `multipart/form-data` and come down as
//! attachments with their SHA-256 in `X-Content-SHA256`.

use super::dto::{PageQuery, Paged, time};
use crate::error::ApiError;
use crate::extract::{ApiBody, ApiCaller, ApiQuery, api_id};
use crate::files::{UploadForm, read_upload};
use crate::state::AppState;
use axum::Json;
use axum::extract::multipart::MultipartRejection;
use axum::extract::{Multipart, Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use hygeia_core::{CoreError, EvidenceContent, EvidenceDetail, EvidenceInput, EvidenceRow, Scope};
use hygeia_domain::evidence::LinkTarget;
use hygeia_domain::ids::{EvidenceId, IncidentId, OrgId};
use hygeia_store::model::{EvidenceLink, EvidenceVersion};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

#[derive(Serialize, ToSchema)]
pub struct EvidenceVersionDto {
    pub version: i64,
    pub file_name: Option<String>,
    /// Sniffed from the file's contents, not taken from the uploader.
    pub media_type: Option<String>,
    pub size_bytes: Option<i64>,
    pub sha256: Option<String>,
    pub url: Option<String>,
    pub note: Option<String>,
    pub added_by: String,
    pub added_at: String,
    /// Where to download the file (files only), under `/api/v1`.
    pub content: Option<String>,
}

impl EvidenceVersionDto {
    fn from(org: OrgId, v: EvidenceVersion) -> Self {
        Self {
            content: v
                .sha256
                .as_ref()
                .map(|_| format!("/orgs/{org}/evidence/{}/versions/{}/content", v.evidence_id, v.version)),
            version: v.version,
            file_name: v.file_name,
            media_type: v.media_type,
            size_bytes: v.size_bytes,
            sha256: v.sha256,
            url: v.url,
            note: v.note,
            added_by: v.added_by,
            added_at: time(v.added_at),
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct EvidenceDto {
    pub id: Uuid,
    /// `file`, `link` or `note`.
    pub kind: String,
    pub title: String,
    /// `YYYY-MM-DD`.
    pub review_by: Option<String>,
    /// `no_date`, `current`, `due_soon` (within 30 days) or `overdue`.
    pub review_state: String,
    pub created_by: String,
    pub created_at: String,
    pub updated_at: String,
    pub link_count: i64,
    pub latest: EvidenceVersionDto,
}

impl From<EvidenceRow> for EvidenceDto {
    fn from(r: EvidenceRow) -> Self {
        let i = r.item;
        Self {
            id: i.id.0,
            kind: i.kind.code().into(),
            title: i.title,
            review_by: i.review_by,
            review_state: serde_json::to_value(r.review_state)
                .ok()
                .and_then(|v| v.as_str().map(str::to_owned))
                .unwrap_or_default(),
            created_by: i.created_by,
            created_at: time(i.created_at),
            updated_at: time(i.updated_at),
            link_count: i.link_count,
            latest: EvidenceVersionDto::from(i.org_id, i.latest),
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct EvidenceLinkDto {
    /// `incident`.
    pub target: String,
    pub target_id: String,
    pub linked_by: String,
    pub linked_at: String,
}

impl From<EvidenceLink> for EvidenceLinkDto {
    fn from(l: EvidenceLink) -> Self {
        Self {
            target: l.target_kind.code().into(),
            target_id: l.target_id,
            linked_by: l.linked_by,
            linked_at: time(l.linked_at),
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct EvidenceDetailDto {
    #[serde(flatten)]
    pub item: EvidenceDto,
    /// Newest first.
    pub versions: Vec<EvidenceVersionDto>,
    pub links: Vec<EvidenceLinkDto>,
}

impl From<EvidenceDetail> for EvidenceDetailDto {
    fn from(d: EvidenceDetail) -> Self {
        let org = d.row.item.org_id;
        Self {
            item: d.row.into(),
            versions: d
                .versions
                .into_iter()
                .map(|v| EvidenceVersionDto::from(org, v))
                .collect(),
            links: d.links.into_iter().map(Into::into).collect(),
        }
    }
}

/// A new item (multipart form). Send a `file`, or a `url`, or a `note`.
#[derive(ToSchema)]
#[allow(dead_code)]
pub struct EvidenceUpload {
    pub title: String,
    #[schema(value_type = Option<String>, format = Binary)]
    pub file: Option<Vec<u8>>,
    pub url: Option<String>,
    pub note: Option<String>,
    /// `YYYY-MM-DD`.
    pub review_by: Option<String>,
    /// Attach the new item to this incident.
    pub incident_id: Option<String>,
}

/// A new version (multipart form): a `file`, `url` or `note`, as the item holds.
#[derive(ToSchema)]
#[allow(dead_code)]
pub struct VersionUpload {
    #[schema(value_type = Option<String>, format = Binary)]
    pub file: Option<Vec<u8>>,
    pub url: Option<String>,
    pub note: Option<String>,
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct EvidenceUpdate {
    pub title: String,
    /// `YYYY-MM-DD`, or empty for none.
    #[serde(default)]
    pub review_by: String,
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct LinkRequest {
    /// `incident`.
    pub target: String,
    pub target_id: String,
}

#[derive(Serialize, ToSchema)]
pub struct VersionCreated {
    pub version: i64,
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct EvidenceQuery {
    /// Only items whose title contains this (any case).
    #[serde(default)]
    pub q: String,
    pub limit: Option<u32>,
    pub offset: Option<u64>,
}

fn content(form: &mut UploadForm) -> Result<EvidenceContent, CoreError> {
    if let Some(file) = form.file.take() {
        return Ok(EvidenceContent::File(file));
    }
    match (form.val("url"), form.val("note")) {
        (url, _) if !url.trim().is_empty() => Ok(EvidenceContent::Link(url)),
        (_, note) if !note.trim().is_empty() => Ok(EvidenceContent::Note(note)),
        _ => Err(CoreError::field("file", "send a file, a url or a note")),
    }
}

async fn scope(state: &AppState, actor: &hygeia_core::Actor, org_id: &str) -> Result<Scope, ApiError> {
    Ok(state.core.scope(actor, api_id::<OrgId>(org_id)?).await?)
}

/// The organisation's evidence library, most recently changed first.
#[utoipa::path(get, path = "/orgs/{org_id}/evidence", tag = "evidence", params(("org_id" = String, Path), EvidenceQuery),
    responses((status = 200, body = Paged<EvidenceDto>), (status = 403, body = crate::error::Problem), (status = 404, body = crate::error::Problem)))]
pub async fn list_evidence(
    State(state): State<AppState>,
    ApiCaller(actor): ApiCaller,
    Path(org_id): Path<String>,
    ApiQuery(q): ApiQuery<EvidenceQuery>,
) -> Result<Json<Paged<EvidenceDto>>, ApiError> {
    let scope = scope(&state, &actor, &org_id).await?;
    let page = PageQuery {
        limit: q.limit,
        offset: q.offset,
    }
    .page();
    Ok(Json(Paged::from(
        state.core.evidence_page(&scope, &q.q, page).await?,
        EvidenceDto::from,
    )))
}

/// Adds an item: a file (streamed; its type is sniffed and its SHA-256 kept), a link or a note.
#[utoipa::path(post, path = "/orgs/{org_id}/evidence", tag = "evidence", params(("org_id" = String, Path)),
    request_body(content = EvidenceUpload, content_type = "multipart/form-data"),
    responses((status = 201, body = EvidenceDetailDto), (status = 403, body = crate::error::Problem), (status = 404, body = crate::error::Problem), (status = 413, body = crate::error::Problem), (status = 422, body = crate::error::Problem)))]
pub async fn add_evidence(
    State(state): State<AppState>,
    ApiCaller(actor): ApiCaller,
    Path(org_id): Path<String>,
    body: Result<Multipart, MultipartRejection>,
) -> Result<(StatusCode, Json<EvidenceDetailDto>), ApiError> {
    let scope = scope(&state, &actor, &org_id).await?;
    let mut form = read_upload(&state.core, &scope, crate::files::multipart(body)?, "file").await?;
    let incident = form.val("incident_id");
    let link = if incident.trim().is_empty() {
        None
    } else {
        let id = incident
            .trim()
            .parse::<IncidentId>()
            .map_err(|_| CoreError::field("incident_id", "is not an incident id"))?;
        Some((LinkTarget::Incident, id.to_string()))
    };
    let input = EvidenceInput {
        title: form.val("title"),
        review_by: form.val("review_by"),
        content: content(&mut form)?,
        link,
    };
    let id = state.core.add_evidence(&scope, input).await?;
    let detail = state.core.evidence_detail(&scope, id).await?;
    Ok((StatusCode::CREATED, Json(detail.into())))
}

/// One item with every version and what it is linked to.
#[utoipa::path(get, path = "/orgs/{org_id}/evidence/{evidence_id}", tag = "evidence", params(("org_id" = String, Path), ("evidence_id" = String, Path)),
    responses((status = 200, body = EvidenceDetailDto), (status = 403, body = crate::error::Problem), (status = 404, body = crate::error::Problem)))]
pub async fn get_evidence(
    State(state): State<AppState>,
    ApiCaller(actor): ApiCaller,
    Path((org_id, evidence_id)): Path<(String, String)>,
) -> Result<Json<EvidenceDetailDto>, ApiError> {
    let scope = scope(&state, &actor, &org_id).await?;
    let detail = state
        .core
        .evidence_detail(&scope, api_id::<EvidenceId>(&evidence_id)?)
        .await?;
    Ok(Json(detail.into()))
}

/// Renames an item and sets (or clears) its review-by date.
#[utoipa::path(put, path = "/orgs/{org_id}/evidence/{evidence_id}", tag = "evidence", params(("org_id" = String, Path), ("evidence_id" = String, Path)), request_body = EvidenceUpdate,
    responses((status = 200, body = EvidenceDetailDto), (status = 403, body = crate::error::Problem), (status = 404, body = crate::error::Problem), (status = 422, body = crate::error::Problem)))]
pub async fn update_evidence(
    State(state): State<AppState>,
    ApiCaller(actor): ApiCaller,
    Path((org_id, evidence_id)): Path<(String, String)>,
    body: ApiBody,
) -> Result<Json<EvidenceDetailDto>, ApiError> {
    let scope = scope(&state, &actor, &org_id).await?;
    let id = api_id::<EvidenceId>(&evidence_id)?;
    let body: EvidenceUpdate = body.parse()?;
    state
        .core
        .update_evidence(&scope, id, &body.title, &body.review_by)
        .await?;
    Ok(Json(state.core.evidence_detail(&scope, id).await?.into()))
}

/// Adds a version (multipart): a file, link or note, as the item holds.
#[utoipa::path(post, path = "/orgs/{org_id}/evidence/{evidence_id}/versions", tag = "evidence", params(("org_id" = String, Path), ("evidence_id" = String, Path)),
    request_body(content = VersionUpload, content_type = "multipart/form-data"),
    responses((status = 201, body = VersionCreated), (status = 403, body = crate::error::Problem), (status = 404, body = crate::error::Problem), (status = 413, body = crate::error::Problem), (status = 422, body = crate::error::Problem)))]
pub async fn add_version(
    State(state): State<AppState>,
    ApiCaller(actor): ApiCaller,
    Path((org_id, evidence_id)): Path<(String, String)>,
    body: Result<Multipart, MultipartRejection>,
) -> Result<(StatusCode, Json<VersionCreated>), ApiError> {
    let scope = scope(&state, &actor, &org_id).await?;
    let id = api_id::<EvidenceId>(&evidence_id)?;
    let mut form = read_upload(&state.core, &scope, crate::files::multipart(body)?, "file").await?;
    let version = state.core.add_evidence_version(&scope, id, content(&mut form)?).await?;
    Ok((StatusCode::CREATED, Json(VersionCreated { version })))
}

/// Downloads a file version, as an attachment.
#[utoipa::path(get, path = "/orgs/{org_id}/evidence/{evidence_id}/versions/{version}/content", tag = "evidence", params(("org_id" = String, Path), ("evidence_id" = String, Path), ("version" = i64, Path)),
    responses((status = 200, description = "The file", content_type = "application/octet-stream"), (status = 403, body = crate::error::Problem), (status = 404, body = crate::error::Problem)))]
pub async fn download(
    State(state): State<AppState>,
    ApiCaller(actor): ApiCaller,
    Path((org_id, evidence_id, version)): Path<(String, String, String)>,
) -> Result<Response, ApiError> {
    let scope = scope(&state, &actor, &org_id).await?;
    let id = api_id::<EvidenceId>(&evidence_id)?;
    let version: i64 = version.parse().map_err(|_| CoreError::NotFound)?;
    let v = state.core.evidence_file(&scope, id, version).await?;
    Ok(crate::files::download(state.core.clone(), scope, v))
}

/// Links an item to a record of the same organisation (an incident).
#[utoipa::path(post, path = "/orgs/{org_id}/evidence/{evidence_id}/links", tag = "evidence", params(("org_id" = String, Path), ("evidence_id" = String, Path)), request_body = LinkRequest,
    responses((status = 204), (status = 403, body = crate::error::Problem), (status = 404, body = crate::error::Problem), (status = 422, body = crate::error::Problem)))]
pub async fn link(
    State(state): State<AppState>,
    ApiCaller(actor): ApiCaller,
    Path((org_id, evidence_id)): Path<(String, String)>,
    body: ApiBody,
) -> Result<StatusCode, ApiError> {
    let scope = scope(&state, &actor, &org_id).await?;
    let id = api_id::<EvidenceId>(&evidence_id)?;
    let body: LinkRequest = body.parse()?;
    let target = LinkTarget::parse(&body.target, "/target").map_err(CoreError::from)?;
    state.core.link_evidence(&scope, id, target, &body.target_id).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Removes a link.
#[utoipa::path(delete, path = "/orgs/{org_id}/evidence/{evidence_id}/links/{target}/{target_id}", tag = "evidence", params(("org_id" = String, Path), ("evidence_id" = String, Path), ("target" = String, Path), ("target_id" = String, Path)),
    responses((status = 204), (status = 403, body = crate::error::Problem), (status = 404, body = crate::error::Problem)))]
pub async fn unlink(
    State(state): State<AppState>,
    ApiCaller(actor): ApiCaller,
    Path((org_id, evidence_id, target, target_id)): Path<(String, String, String, String)>,
) -> Result<StatusCode, ApiError> {
    let scope = scope(&state, &actor, &org_id).await?;
    let id = api_id::<EvidenceId>(&evidence_id)?;
    let target = LinkTarget::parse(&target, "target").map_err(|_| CoreError::NotFound)?;
    state.core.unlink_evidence(&scope, id, target, &target_id).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// The evidence attached to an incident.
#[utoipa::path(get, path = "/orgs/{org_id}/incidents/{incident_id}/evidence", tag = "evidence", params(("org_id" = String, Path), ("incident_id" = String, Path)),
    responses((status = 200, body = Vec<EvidenceDto>), (status = 403, body = crate::error::Problem), (status = 404, body = crate::error::Problem)))]
pub async fn incident_evidence(
    State(state): State<AppState>,
    ApiCaller(actor): ApiCaller,
    Path((org_id, incident_id)): Path<(String, String)>,
) -> Result<Json<Vec<EvidenceDto>>, ApiError> {
    let scope = scope(&state, &actor, &org_id).await?;
    let incident = api_id::<IncidentId>(&incident_id)?;
    // The incident must be the organisation's: an unknown one is 404, not an empty list.
    state.core.incident_reference(&scope, incident).await?;
    let rows = state
        .core
        .evidence_for(&scope, LinkTarget::Incident, &incident.to_string())
        .await?;
    Ok(Json(rows.into_iter().map(Into::into).collect()))
}
