//! Changing one's own password.

use super::{Errors, Layout, Section, ok, page};
use crate::extract::{ClientAddr, CsrfForm, SignedIn};
use crate::state::AppState;
use askama::Template;
use axum::Router;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use hygeia_core::CoreError;
use serde::Deserialize;

pub fn router() -> Router<AppState> {
    Router::new().route("/account/password", get(show).post(change))
}

#[derive(Template)]
#[template(path = "account/password.html")]
struct PasswordPage {
    layout: Layout,
    errors: Errors,
}

async fn show(signed_in: SignedIn) -> Response {
    let layout = Layout::signed_in(
        "Change your password",
        &signed_in.actor.user,
        &signed_in.session,
        Section::Account,
    );
    ok(&PasswordPage {
        layout,
        errors: Errors::default(),
    })
}

#[derive(Deserialize)]
struct PasswordForm {
    #[serde(default)]
    current_password: String,
    #[serde(default)]
    new_password: String,
}

async fn change(State(state): State<AppState>, ClientAddr(addr): ClientAddr, form: CsrfForm<PasswordForm>) -> Response {
    let result = state
        .core
        .change_password(&form.actor, &form.form.current_password, &form.form.new_password, &addr)
        .await;
    let layout = Layout::signed_in(
        "Change your password",
        &form.actor.user,
        &form.session,
        Section::Account,
    );
    match result {
        Ok(()) => ok(&PasswordPage {
            layout: layout.with_notice(Some("Your password was changed. You were signed out everywhere else.")),
            errors: Errors::default(),
        }),
        Err(CoreError::Validation(errors)) => page(
            StatusCode::UNPROCESSABLE_ENTITY,
            &PasswordPage {
                layout,
                errors: Errors::from(errors),
            },
        ),
        Err(e) => crate::error::PageError(e).into_response(),
    }
}
