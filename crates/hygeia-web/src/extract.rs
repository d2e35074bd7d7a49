//! Extractors named for what they require: an API caller with a bearer token, a signed-in
//! browser session, a form carrying the session's CSRF token.

use crate::error::{ApiError, problem_response};
use crate::html::render_error_page;
use crate::state::AppState;
use axum::extract::{ConnectInfo, FromRequest, FromRequestParts, Request};
use axum::http::request::Parts;
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use hygeia_core::{Actor, CoreError};
use hygeia_store::model::{MfaState, Session};
use serde::de::DeserializeOwned;
use std::net::SocketAddr;

/// Reads one cookie from the request.
pub fn cookie<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v)
}

/// An API caller, authenticated by `Authorization: Bearer <token>`.
pub struct ApiCaller(pub Actor);

impl FromRequestParts<AppState> for ApiCaller {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        let token = parts
            .headers
            .get(header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.strip_prefix("Bearer ").or_else(|| v.strip_prefix("bearer ")))
            .map(str::trim)
            .ok_or(ApiError::Core(CoreError::Unauthenticated))?;
        let actor = state
            .core
            .token_actor(token)
            .await?
            .ok_or(ApiError::Core(CoreError::Unauthenticated))?;
        Ok(ApiCaller(actor))
    }
}

/// A browser session in any state of sign-in (for the MFA pages themselves).
pub struct AnySession {
    pub actor: Actor,
    pub session: Session,
}

impl AnySession {
    async fn find(parts: &Parts, state: &AppState) -> Result<Option<Self>, CoreError> {
        let Some(token) = cookie(&parts.headers, state.session_cookie()) else {
            return Ok(None);
        };
        let Some(actor) = state.core.session_actor(token).await? else {
            return Ok(None);
        };
        let Some(session) = actor.session().cloned() else {
            return Ok(None);
        };
        Ok(Some(AnySession { actor, session }))
    }
}

fn page_failure(e: CoreError) -> Response {
    crate::error::PageError(e).into_response()
}

impl FromRequestParts<AppState> for AnySession {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        match Self::find(parts, state).await {
            Ok(Some(s)) => Ok(s),
            Ok(None) => Err(Redirect::to("/sign-in").into_response()),
            Err(e) => Err(page_failure(e)),
        }
    }
}

/// A fully signed-in browser session. A session still waiting for its one-time code, or
/// for MFA to be set up, is sent there first.
pub struct SignedIn {
    pub actor: Actor,
    pub session: Session,
}

impl FromRequestParts<AppState> for SignedIn {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        let any = AnySession::from_request_parts(parts, state).await?;
        match any.session.mfa_state {
            MfaState::Complete => Ok(SignedIn {
                actor: any.actor,
                session: any.session,
            }),
            MfaState::Pending => Err(Redirect::to("/sign-in/mfa").into_response()),
            MfaState::SetupRequired => Err(Redirect::to("/account/mfa").into_response()),
        }
    }
}

/// A session if there is one (the sign-in page, invitation links).
pub struct MaybeSession(pub Option<AnySession>);

impl FromRequestParts<AppState> for MaybeSession {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        AnySession::find(parts, state)
            .await
            .map(MaybeSession)
            .map_err(page_failure)
    }
}

/// The client's address, for throttling: the socket peer, or the first `X-Forwarded-For` hop
/// when configured to sit behind a trusted proxy.
pub struct ClientAddr(pub String);

impl FromRequestParts<AppState> for ClientAddr {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        if state.web.trust_forwarded_for
            && let Some(first) = parts
                .headers
                .get("x-forwarded-for")
                .and_then(|v| v.to_str().ok())
                .and_then(|v| v.split(',').next())
                .map(str::trim)
                .filter(|v| !v.is_empty())
        {
            return Ok(ClientAddr(first.to_owned()));
        }
        let peer = parts
            .extensions
            .get::<ConnectInfo<SocketAddr>>()
            .map(|c| c.0.ip().to_string());
        Ok(ClientAddr(peer.unwrap_or_else(|| "unknown".into())))
    }
}

#[derive(serde::Deserialize)]
struct CsrfField {
    #[serde(default)]
    csrf: String,
}

async fn read_body(req: Request, state: &AppState) -> Result<bytes::Bytes, Response> {
    axum::body::to_bytes(req.into_body(), state.web.max_body_bytes)
        .await
        .map_err(|_| {
            render_error_page(
                StatusCode::PAYLOAD_TOO_LARGE,
                "Too large",
                "The form sent was too large.",
            )
        })
}

fn parse_form<T: DeserializeOwned>(body: &[u8]) -> Result<T, Response> {
    let deserializer = serde_urlencoded::Deserializer::new(form_urlencoded::parse(body));
    serde_path_to_error::deserialize(deserializer).map_err(|e| {
        let field = e.path().to_string();
        render_error_page(
            StatusCode::BAD_REQUEST,
            "The form could not be read",
            &format!("The field '{field}' is not valid: {}", e.inner()),
        )
    })
}

/// A form from a signed-in session, accepted only with the session's CSRF token.
pub struct CsrfForm<T> {
    pub actor: Actor,
    pub session: Session,
    pub form: T,
}

impl<T: DeserializeOwned + Send> FromRequest<AppState> for CsrfForm<T> {
    type Rejection = Response;

    async fn from_request(req: Request, state: &AppState) -> Result<Self, Self::Rejection> {
        let (mut parts, body) = req.into_parts();
        let any = AnySession::from_request_parts(&mut parts, state).await?;
        let body = read_body(Request::from_parts(parts, body), state).await?;
        let token: CsrfField = parse_form(&body)?;
        if token.csrf.is_empty() || !constant_time_eq(token.csrf.as_bytes(), any.session.csrf_token.as_bytes()) {
            return Err(render_error_page(
                StatusCode::FORBIDDEN,
                "The form has expired",
                "Go back, reload the page and try again.",
            ));
        }
        Ok(CsrfForm {
            actor: any.actor,
            session: any.session,
            form: parse_form(&body)?,
        })
    }
}

/// A form from someone not yet signed in (sign-in, accepting an invitation). Cross-site
/// posting is stopped by the Origin check in `middleware`.
pub struct PublicForm<T>(pub T);

impl<T: DeserializeOwned + Send> FromRequest<AppState> for PublicForm<T> {
    type Rejection = Response;

    async fn from_request(req: Request, state: &AppState) -> Result<Self, Self::Rejection> {
        let body = read_body(req, state).await?;
        Ok(PublicForm(parse_form(&body)?))
    }
}

/// A JSON body whose errors name the JSON pointer of what is wrong.
pub struct ApiJson<T>(pub T);

impl<T: DeserializeOwned + Send> FromRequest<AppState> for ApiJson<T> {
    type Rejection = Response;

    async fn from_request(req: Request, state: &AppState) -> Result<Self, Self::Rejection> {
        ApiBody::from_request(req, state)
            .await?
            .parse()
            .map(ApiJson)
            .map_err(IntoResponse::into_response)
    }
}

/// A JSON body read but not yet parsed. Handlers of organisation-scoped routes take this and
/// parse it after `scope`, so a request about another organisation's data answers 404
/// whatever its body holds.
pub struct ApiBody {
    json_type: bool,
    bytes: axum::body::Bytes,
}

impl FromRequest<AppState> for ApiBody {
    type Rejection = Response;

    async fn from_request(req: Request, state: &AppState) -> Result<Self, Self::Rejection> {
        let json_type = req
            .headers()
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.starts_with("application/json") || v.contains("+json"));
        let bytes = axum::body::to_bytes(req.into_body(), state.web.max_body_bytes)
            .await
            .map_err(|_| {
                problem_response(
                    StatusCode::PAYLOAD_TOO_LARGE,
                    "too_large",
                    "Body too large",
                    "The request body is too large.".into(),
                    &[],
                )
            })?;
        Ok(ApiBody { json_type, bytes })
    }
}

impl ApiBody {
    pub fn parse<T: DeserializeOwned>(&self) -> Result<T, ApiError> {
        if !self.json_type {
            return Err(ApiError::Answer(problem_response(
                StatusCode::UNSUPPORTED_MEDIA_TYPE,
                "unsupported_media_type",
                "Unsupported media type",
                "Send the body as application/json.".into(),
                &[],
            )));
        }
        let mut de = serde_json::Deserializer::from_slice(&self.bytes);
        serde_path_to_error::deserialize(&mut de).map_err(|e| {
            let path = e.path().to_string();
            let pointer = if path == "." {
                "/".to_owned()
            } else {
                format!("/{}", path.replace('.', "/"))
            };
            let field = hygeia_domain::FieldError::new(pointer, e.inner().to_string());
            let status = if e.inner().is_syntax() || e.inner().is_eof() {
                StatusCode::BAD_REQUEST
            } else {
                StatusCode::UNPROCESSABLE_ENTITY
            };
            ApiError::Answer(problem_response(
                status,
                "invalid_body",
                "The request body is not valid",
                e.inner().to_string(),
                &[field],
            ))
        })
    }
}

pub(crate) fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// Query parameters whose errors name the parameter, as problem+json.
pub struct ApiQuery<T>(pub T);

impl<T: DeserializeOwned + Send> FromRequestParts<AppState> for ApiQuery<T> {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, _state: &AppState) -> Result<Self, Self::Rejection> {
        let query = parts.uri.query().unwrap_or_default();
        let deserializer = serde_urlencoded::Deserializer::new(form_urlencoded::parse(query.as_bytes()));
        serde_path_to_error::deserialize(deserializer)
            .map(ApiQuery)
            .map_err(|e| {
                let field = hygeia_domain::FieldError::new(format!("?{}", e.path()), e.inner().to_string());
                problem_response(
                    StatusCode::BAD_REQUEST,
                    "invalid_query",
                    "The query is not valid",
                    e.inner().to_string(),
                    &[field],
                )
            })
    }
}

/// Reads an id from an API path; a malformed id is simply not found.
pub fn api_id<T: std::str::FromStr>(raw: &str) -> Result<T, ApiError> {
    raw.parse().map_err(|_| ApiError::Core(CoreError::NotFound))
}
