//! The caller's own API tokens. Tokens are created from a signed-in browser session or the
//! command line, never by another token.

use super::dto::TokenDto;
use crate::error::ApiError;
use crate::extract::{ApiCaller, api_id};
use crate::state::AppState;
use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use hygeia_domain::ids::TokenId;

/// Your API tokens, revoked ones included.
#[utoipa::path(get, path = "/tokens", tag = "account", responses((status = 200, body = Vec<TokenDto>), (status = 401, body = crate::error::Problem)))]
pub async fn list_tokens(
    State(state): State<AppState>,
    ApiCaller(actor): ApiCaller,
) -> Result<Json<Vec<TokenDto>>, ApiError> {
    Ok(Json(
        state
            .core
            .my_tokens(&actor)
            .await?
            .into_iter()
            .map(TokenDto::from)
            .collect(),
    ))
}

/// Revokes one of your tokens (this one included).
#[utoipa::path(delete, path = "/tokens/{token_id}", tag = "account", params(("token_id" = String, Path)),
    responses((status = 204), (status = 403, body = crate::error::Problem), (status = 404, body = crate::error::Problem)))]
pub async fn revoke_token(
    State(state): State<AppState>,
    ApiCaller(actor): ApiCaller,
    Path(token_id): Path<String>,
) -> Result<StatusCode, ApiError> {
    state.core.revoke_token(&actor, api_id::<TokenId>(&token_id)?).await?;
    Ok(StatusCode::NO_CONTENT)
}
