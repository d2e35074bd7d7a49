//! Organisations over the API.

use super::dto::{CreateOrgRequest, MyOrgDto, OrgDto, PageQuery, Paged, UpdateOrgRequest};
use crate::error::ApiError;
use crate::extract::{ApiBody, ApiCaller, ApiJson, ApiQuery, api_id};
use crate::state::AppState;
use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use hygeia_core::{NewOrg, OrgPatch};
use hygeia_domain::ids::OrgId;
use hygeia_domain::page::Page;

/// The caller's organisations, with their role in each.
#[utoipa::path(get, path = "/orgs", tag = "organisations", params(PageQuery),
    responses((status = 200, body = Paged<MyOrgDto>), (status = 401, body = crate::error::Problem)))]
pub async fn list_my_orgs(
    State(state): State<AppState>,
    ApiCaller(actor): ApiCaller,
    ApiQuery(q): ApiQuery<PageQuery>,
) -> Result<Json<Paged<MyOrgDto>>, ApiError> {
    let all = state.core.my_orgs(&actor).await?;
    let page = q.page();
    let total = all.len() as u64;
    let items = all
        .into_iter()
        .skip(usize::try_from(page.offset).unwrap_or(usize::MAX))
        .take(page.limit as usize)
        .collect();
    let page = Page {
        items,
        total,
        limit: page.limit,
        offset: page.offset,
    };
    Ok(Json(Paged::from(page, |m| MyOrgDto {
        role: m.role.code().into(),
        org: m.org.into(),
    })))
}

/// Creates an organisation (platform administrators).
#[utoipa::path(post, path = "/orgs", tag = "organisations", request_body = CreateOrgRequest,
    responses((status = 201, body = OrgDto), (status = 403, body = crate::error::Problem), (status = 409, body = crate::error::Problem), (status = 422, body = crate::error::Problem)))]
pub async fn create_org(
    State(state): State<AppState>,
    ApiCaller(actor): ApiCaller,
    ApiJson(body): ApiJson<CreateOrgRequest>,
) -> Result<(StatusCode, Json<OrgDto>), ApiError> {
    let org = state
        .core
        .create_org(
            Some(&actor),
            NewOrg {
                name: body.name,
                ods_code: body.ods_code,
                org_type: body.org_type,
                regimes: body.regimes,
                is_oes: body.is_oes,
                parent_ods: body.parent_ods,
                regulator_ods: body.regulator_ods,
                require_mfa: body.require_mfa,
            },
        )
        .await?;
    Ok((StatusCode::CREATED, Json(org.into())))
}

/// One organisation the caller can reach.
#[utoipa::path(get, path = "/orgs/{org_id}", tag = "organisations", params(("org_id" = String, Path)),
    responses((status = 200, body = OrgDto), (status = 404, body = crate::error::Problem)))]
pub async fn get_org(
    State(state): State<AppState>,
    ApiCaller(actor): ApiCaller,
    Path(org_id): Path<String>,
) -> Result<Json<OrgDto>, ApiError> {
    let scope = state.core.scope(&actor, api_id::<OrgId>(&org_id)?).await?;
    Ok(Json(scope.org.into()))
}

/// Changes the organisation's profile (owners).
#[utoipa::path(patch, path = "/orgs/{org_id}", tag = "organisations", params(("org_id" = String, Path)), request_body = UpdateOrgRequest,
    responses((status = 200, body = OrgDto), (status = 403, body = crate::error::Problem), (status = 404, body = crate::error::Problem), (status = 409, body = crate::error::Problem), (status = 422, body = crate::error::Problem)))]
pub async fn update_org(
    State(state): State<AppState>,
    ApiCaller(actor): ApiCaller,
    Path(org_id): Path<String>,
    body: ApiBody,
) -> Result<Json<OrgDto>, ApiError> {
    let scope = state.core.scope(&actor, api_id::<OrgId>(&org_id)?).await?;
    let body: UpdateOrgRequest = body.parse()?;
    let patch = OrgPatch {
        name: body.name,
        regimes: body.regimes,
        is_oes: body.is_oes,
        require_mfa: body.require_mfa,
        time_zone: body.time_zone,
        expected_updated_at: body.version,
    };
    Ok(Json(state.core.update_org(&scope, patch).await?.into()))
}

/// The organisations in a regulator's remit (regulator roles, on their own body's id).
#[utoipa::path(get, path = "/orgs/{org_id}/remit", tag = "oversight", params(("org_id" = String, Path), PageQuery),
    responses((status = 200, body = Paged<OrgDto>), (status = 403, body = crate::error::Problem), (status = 404, body = crate::error::Problem)))]
pub async fn remit(
    State(state): State<AppState>,
    ApiCaller(actor): ApiCaller,
    Path(org_id): Path<String>,
    ApiQuery(q): ApiQuery<PageQuery>,
) -> Result<Json<Paged<OrgDto>>, ApiError> {
    let scope = state.core.scope(&actor, api_id::<OrgId>(&org_id)?).await?;
    let page = state.core.remit(&scope, q.page()).await?;
    Ok(Json(Paged::from(page, OrgDto::from)))
}
