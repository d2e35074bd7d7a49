//! Setting up multi-factor authentication, and its status.

use super::{Errors, Layout, Section, ok, page};
use crate::extract::{AnySession, CsrfForm};
use crate::state::AppState;
use askama::Template;
use axum::Router;
use axum::extract::State;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use hygeia_core::CoreError;
use hygeia_store::model::MfaState;
use serde::Deserialize;

pub fn router() -> Router<AppState> {
    Router::new().route("/account/mfa", get(mfa_page).post(confirm))
}

#[derive(Template)]
#[template(path = "account/mfa_setup.html")]
struct SetupPage {
    layout: Layout,
    errors: Errors,
    secret: String,
    qr_svg: String,
    required: bool,
}

#[derive(Template)]
#[template(path = "account/mfa_status.html")]
struct StatusPage {
    layout: Layout,
    codes_left: u64,
}

#[derive(Template)]
#[template(path = "account/recovery_codes.html")]
struct CodesPage {
    layout: Layout,
    codes: Vec<String>,
}

#[derive(Deserialize)]
struct ConfirmForm {
    #[serde(default)]
    code: String,
}

/// The QR code authenticator apps scan, as inline SVG (no script, no remote image).
fn qr_svg(uri: &str) -> String {
    match qrcode::QrCode::new(uri.as_bytes()) {
        Ok(code) => {
            let svg = code
                .render::<qrcode::render::svg::Color<'_>>()
                .min_dimensions(200, 200)
                .quiet_zone(true)
                .build();
            match svg.find("<svg") {
                Some(i) => svg[i..].replacen(
                    "<svg",
                    "<svg role=\"img\" aria-label=\"QR code to add Hygeia to an authenticator app\"",
                    1,
                ),
                None => String::new(),
            }
        }
        Err(_) => String::new(),
    }
}

fn layout(any: &AnySession, title: &str) -> Layout {
    Layout::signed_in(title, &any.actor.user, &any.session, Section::Account)
}

async fn setup_page(state: &AppState, any: &AnySession, errors: Errors, status: StatusCode) -> Response {
    match state.core.start_mfa_setup(&any.actor).await {
        Ok(setup) => page(
            status,
            &SetupPage {
                layout: layout(any, "Set up multi-factor authentication"),
                errors,
                qr_svg: qr_svg(&setup.otpauth_uri),
                secret: setup.secret_base32,
                required: any.session.mfa_state == MfaState::SetupRequired,
            },
        ),
        Err(e) => crate::error::PageError(e).into_response(),
    }
}

async fn mfa_page(State(state): State<AppState>, any: AnySession) -> Response {
    if any.session.mfa_state == MfaState::Pending {
        return Redirect::to("/sign-in/mfa").into_response();
    }
    if any.actor.user.totp_enabled {
        return match state.core.recovery_codes_left(&any.actor).await {
            Ok(codes_left) => ok(&StatusPage {
                layout: layout(&any, "Multi-factor authentication"),
                codes_left,
            }),
            Err(e) => crate::error::PageError(e).into_response(),
        };
    }
    setup_page(&state, &any, Errors::default(), StatusCode::OK).await
}

async fn confirm(State(state): State<AppState>, form: CsrfForm<ConfirmForm>) -> Response {
    let any = AnySession {
        actor: form.actor,
        session: form.session,
    };
    match state.core.confirm_mfa_setup(&any.actor, &form.form.code).await {
        Ok((codes, fresh)) => {
            let mut layout = layout(&any, "Save your recovery codes");
            let mut headers = Vec::new();
            if let Some(fresh) = fresh {
                layout.csrf = fresh.session.csrf_token.clone();
                let max_age = state.core.config().session_absolute_ms / 1000;
                headers.push((header::SET_COOKIE, state.session_cookie_header(&fresh.token, max_age)));
            }
            (axum::response::AppendHeaders(headers), ok(&CodesPage { layout, codes })).into_response()
        }
        Err(CoreError::Validation(errors)) => {
            // The secret already shown stays valid: show the same set-up again with the error.
            setup_page(&state, &any, Errors::from(errors), StatusCode::UNPROCESSABLE_ENTITY).await
        }
        Err(e) => crate::error::PageError(e).into_response(),
    }
}
