//! Who the token belongs to.

use super::dto::MeDto;
use crate::extract::ApiCaller;
use axum::Json;

/// The account the bearer token belongs to.
#[utoipa::path(get, path = "/me", tag = "account", responses((status = 200, body = MeDto), (status = 401, body = crate::error::Problem)))]
pub async fn me(ApiCaller(actor): ApiCaller) -> Json<MeDto> {
    Json(MeDto {
        id: actor.user.id.0,
        email: actor.user.email.to_string(),
        display_name: actor.user.display_name.clone(),
        is_platform_admin: actor.user.is_platform_admin,
        mfa_enabled: actor.user.totp_enabled,
        read_only: actor.read_only(),
    })
}
