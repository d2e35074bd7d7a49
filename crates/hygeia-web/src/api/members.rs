//! Members and invitations over the API.

use super::dto::{
    CreateInvitationRequest, CreatedInvitationDto, InvitationDto, MemberDto, PageQuery, Paged, UpdateMemberRequest,
};
use crate::error::ApiError;
use crate::extract::{ApiBody, ApiCaller, ApiQuery, api_id};
use crate::state::AppState;
use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use hygeia_core::NewInvitation;
use hygeia_domain::ids::{InvitationId, OrgId, UserId};

/// Members of the organisation.
#[utoipa::path(get, path = "/orgs/{org_id}/members", tag = "members", params(("org_id" = String, Path), PageQuery),
    responses((status = 200, body = Paged<MemberDto>), (status = 403, body = crate::error::Problem), (status = 404, body = crate::error::Problem)))]
pub async fn list_members(
    State(state): State<AppState>,
    ApiCaller(actor): ApiCaller,
    Path(org_id): Path<String>,
    ApiQuery(q): ApiQuery<PageQuery>,
) -> Result<Json<Paged<MemberDto>>, ApiError> {
    let scope = state.core.scope(&actor, api_id::<OrgId>(&org_id)?).await?;
    Ok(Json(Paged::from(
        state.core.members(&scope, q.page()).await?,
        MemberDto::from,
    )))
}

/// Changes a member's role (owners).
#[utoipa::path(patch, path = "/orgs/{org_id}/members/{user_id}", tag = "members", params(("org_id" = String, Path), ("user_id" = String, Path)), request_body = UpdateMemberRequest,
    responses((status = 204), (status = 403, body = crate::error::Problem), (status = 404, body = crate::error::Problem), (status = 409, body = crate::error::Problem), (status = 422, body = crate::error::Problem)))]
pub async fn update_member(
    State(state): State<AppState>,
    ApiCaller(actor): ApiCaller,
    Path((org_id, user_id)): Path<(String, String)>,
    body: ApiBody,
) -> Result<StatusCode, ApiError> {
    let scope = state.core.scope(&actor, api_id::<OrgId>(&org_id)?).await?;
    let body: UpdateMemberRequest = body.parse()?;
    state
        .core
        .change_role(&scope, api_id::<UserId>(&user_id)?, &body.role)
        .await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Removes a member (owners).
#[utoipa::path(delete, path = "/orgs/{org_id}/members/{user_id}", tag = "members", params(("org_id" = String, Path), ("user_id" = String, Path)),
    responses((status = 204), (status = 403, body = crate::error::Problem), (status = 404, body = crate::error::Problem), (status = 409, body = crate::error::Problem)))]
pub async fn remove_member(
    State(state): State<AppState>,
    ApiCaller(actor): ApiCaller,
    Path((org_id, user_id)): Path<(String, String)>,
) -> Result<StatusCode, ApiError> {
    let scope = state.core.scope(&actor, api_id::<OrgId>(&org_id)?).await?;
    state.core.remove_member(&scope, api_id::<UserId>(&user_id)?).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Open invitations of the organisation.
#[utoipa::path(get, path = "/orgs/{org_id}/invitations", tag = "members", params(("org_id" = String, Path)),
    responses((status = 200, body = Vec<InvitationDto>), (status = 403, body = crate::error::Problem), (status = 404, body = crate::error::Problem)))]
pub async fn list_invitations(
    State(state): State<AppState>,
    ApiCaller(actor): ApiCaller,
    Path(org_id): Path<String>,
) -> Result<Json<Vec<InvitationDto>>, ApiError> {
    let scope = state.core.scope(&actor, api_id::<OrgId>(&org_id)?).await?;
    Ok(Json(
        state
            .core
            .open_invitations(&scope)
            .await?
            .into_iter()
            .map(InvitationDto::from)
            .collect(),
    ))
}

/// Invites someone (owners). The response carries the secret link, once.
#[utoipa::path(post, path = "/orgs/{org_id}/invitations", tag = "members", params(("org_id" = String, Path)), request_body = CreateInvitationRequest,
    responses((status = 201, body = CreatedInvitationDto), (status = 403, body = crate::error::Problem), (status = 404, body = crate::error::Problem), (status = 422, body = crate::error::Problem)))]
pub async fn create_invitation(
    State(state): State<AppState>,
    ApiCaller(actor): ApiCaller,
    Path(org_id): Path<String>,
    body: ApiBody,
) -> Result<(StatusCode, Json<CreatedInvitationDto>), ApiError> {
    let scope = state.core.scope(&actor, api_id::<OrgId>(&org_id)?).await?;
    let body: CreateInvitationRequest = body.parse()?;
    let (invitation, token) = state
        .core
        .invite(
            &scope,
            NewInvitation {
                email: body.email,
                role: body.role,
            },
        )
        .await?;
    Ok((
        StatusCode::CREATED,
        Json(CreatedInvitationDto {
            invitation: invitation.into(),
            accept_path: format!("/invitations/{token}"),
        }),
    ))
}

/// Withdraws an open invitation (owners).
#[utoipa::path(delete, path = "/orgs/{org_id}/invitations/{invitation_id}", tag = "members", params(("org_id" = String, Path), ("invitation_id" = String, Path)),
    responses((status = 204), (status = 403, body = crate::error::Problem), (status = 404, body = crate::error::Problem)))]
pub async fn revoke_invitation(
    State(state): State<AppState>,
    ApiCaller(actor): ApiCaller,
    Path((org_id, invitation_id)): Path<(String, String)>,
) -> Result<StatusCode, ApiError> {
    let scope = state.core.scope(&actor, api_id::<OrgId>(&org_id)?).await?;
    state
        .core
        .revoke_invitation(&scope, api_id::<InvitationId>(&invitation_id)?)
        .await?;
    Ok(StatusCode::NO_CONTENT)
}
