//! Signing in (password, then the one-time code where MFA is on) and out.

use super::{Errors, Layout, ok, page};
use crate::extract::{AnySession, ClientAddr, CsrfForm, MaybeSession, PublicForm};
use crate::state::AppState;
use askama::Template;
use axum::Router;
use axum::extract::State;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use hygeia_core::{CoreError, SignedIn};
use hygeia_domain::FieldError;
use hygeia_store::model::MfaState;
use serde::Deserialize;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/sign-in", get(sign_in_page).post(sign_in))
        .route("/sign-in/mfa", get(code_page).post(code))
        .route("/sign-out", post(sign_out))
}

#[derive(Template)]
#[template(path = "sign_in.html")]
struct SignInPage {
    layout: Layout,
    errors: Errors,
    email: String,
}

#[derive(Template)]
#[template(path = "sign_in_code.html")]
struct CodePage {
    layout: Layout,
    errors: Errors,
}

#[derive(Deserialize)]
struct SignInForm {
    #[serde(default)]
    email: String,
    #[serde(default)]
    password: String,
}

#[derive(Deserialize)]
struct CodeForm {
    #[serde(default)]
    code: String,
}

#[derive(Deserialize)]
pub struct Empty {}

/// Where a new session goes next, with its cookie set.
pub fn start_session(state: &AppState, signed_in: &SignedIn) -> Response {
    let next = match signed_in.session.mfa_state {
        MfaState::Complete => "/",
        MfaState::Pending => "/sign-in/mfa",
        MfaState::SetupRequired => "/account/mfa",
    };
    let max_age = state.core.config().session_absolute_ms / 1000;
    let cookie = state.session_cookie_header(&signed_in.token, max_age);
    ([(header::SET_COOKIE, cookie)], Redirect::to(next)).into_response()
}

async fn sign_in_page(MaybeSession(session): MaybeSession) -> Response {
    if session.is_some_and(|s| s.session.mfa_state == MfaState::Complete) {
        return Redirect::to("/").into_response();
    }
    ok(&SignInPage {
        layout: Layout::public("Sign in"),
        errors: Errors::default(),
        email: String::new(),
    })
}

async fn sign_in(
    State(state): State<AppState>,
    ClientAddr(addr): ClientAddr,
    PublicForm(form): PublicForm<SignInForm>,
) -> Response {
    let mut errors = Vec::new();
    if form.email.trim().is_empty() {
        errors.push(FieldError::new("email", "Enter your email address"));
    }
    if form.password.is_empty() {
        errors.push(FieldError::new("password", "Enter your password"));
    }
    let (status, errors) = if !errors.is_empty() {
        (StatusCode::UNPROCESSABLE_ENTITY, errors)
    } else {
        match state.core.sign_in(&form.email, &form.password, &addr).await {
            Ok(signed_in) => return start_session(&state, &signed_in),
            Err(CoreError::Unauthenticated) => (
                StatusCode::UNAUTHORIZED,
                vec![FieldError::new("email", "Enter a correct email address and password")],
            ),
            Err(e @ CoreError::TooManyAttempts { .. }) => (
                StatusCode::TOO_MANY_REQUESTS,
                vec![FieldError::new("email", crate::error::public_detail(&e))],
            ),
            Err(e) => return crate::error::PageError(e).into_response(),
        }
    };
    page(
        status,
        &SignInPage {
            layout: Layout::public("Sign in"),
            errors: Errors::from(errors),
            email: form.email,
        },
    )
}

async fn code_page(any: AnySession) -> Response {
    if any.session.mfa_state != MfaState::Pending {
        return Redirect::to("/").into_response();
    }
    let mut layout = Layout::public("Enter your security code");
    layout.csrf = any.session.csrf_token.clone();
    ok(&CodePage {
        layout,
        errors: Errors::default(),
    })
}

async fn code(State(state): State<AppState>, ClientAddr(addr): ClientAddr, form: CsrfForm<CodeForm>) -> Response {
    match state
        .core
        .complete_mfa(&form.session, &form.actor.user, &form.form.code, &addr)
        .await
    {
        Ok(signed_in) => start_session(&state, &signed_in),
        Err(CoreError::Validation(errors)) => {
            let mut layout = Layout::public("Enter your security code");
            layout.csrf = form.session.csrf_token.clone();
            page(
                StatusCode::UNPROCESSABLE_ENTITY,
                &CodePage {
                    layout,
                    errors: Errors::from(errors),
                },
            )
        }
        Err(CoreError::Conflict(_)) => Redirect::to("/").into_response(),
        Err(e) => crate::error::PageError(e).into_response(),
    }
}

async fn sign_out(State(state): State<AppState>, form: CsrfForm<Empty>) -> Response {
    if let Err(e) = state.core.sign_out(&form.session).await {
        return crate::error::PageError(e).into_response();
    }
    (
        [(header::SET_COOKIE, state.clear_session_cookie_header())],
        Redirect::to("/sign-in"),
    )
        .into_response()
}
