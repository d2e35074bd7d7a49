//! The audit log over the API.

use super::dto::{AuditDto, PageQuery, Paged};
use crate::error::ApiError;
use crate::extract::{ApiCaller, ApiQuery, api_id};
use crate::state::AppState;
use axum::Json;
use axum::extract::{Path, State};
use hygeia_domain::ids::OrgId;

/// The organisation's audit log, newest first, with each record's chain hash.
#[utoipa::path(get, path = "/orgs/{org_id}/audit", tag = "audit", params(("org_id" = String, Path), PageQuery),
    responses((status = 200, body = Paged<AuditDto>), (status = 403, body = crate::error::Problem), (status = 404, body = crate::error::Problem)))]
pub async fn audit_log(
    State(state): State<AppState>,
    ApiCaller(actor): ApiCaller,
    Path(org_id): Path<String>,
    ApiQuery(q): ApiQuery<PageQuery>,
) -> Result<Json<Paged<AuditDto>>, ApiError> {
    let scope = state.core.scope(&actor, api_id::<OrgId>(&org_id)?).await?;
    Ok(Json(Paged::from(
        state.core.audit_log(&scope, q.page()).await?,
        AuditDto::from,
    )))
}
