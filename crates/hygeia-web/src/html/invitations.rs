//! Opening an invitation link: join as the signed-in person, or create the invited account.

use super::sign_in::start_session;
use super::{Errors, Layout, ok, page};
use crate::error::PageError;
use crate::extract::{MaybeSession, PublicForm};
use crate::state::AppState;
use askama::Template;
use axum::Router;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use hygeia_core::{AcceptInvitation, CoreError, InvitationView};
use hygeia_store::model::MfaState;
use serde::Deserialize;

pub fn router() -> Router<AppState> {
    Router::new().route("/invitations/{token}", get(show).post(accept))
}

#[derive(Template)]
#[template(path = "invitation.html")]
struct InvitationPage {
    layout: Layout,
    errors: Errors,
    view: InvitationView,
    token: String,
    signed_in_as: Option<String>,
    display_name: String,
}

fn signed_in_email(session: &MaybeSession) -> Option<String> {
    session
        .0
        .as_ref()
        .filter(|s| s.session.mfa_state == MfaState::Complete)
        .map(|s| s.actor.user.email.to_string())
}

async fn show(
    State(state): State<AppState>,
    session: MaybeSession,
    Path(token): Path<String>,
) -> Result<Response, PageError> {
    let view = state.core.invitation(&token).await?;
    let mut layout = Layout::public("Join an organisation");
    if let Some(s) = &session.0 {
        layout.csrf = s.session.csrf_token.clone();
    }
    Ok(ok(&InvitationPage {
        layout,
        errors: Errors::default(),
        signed_in_as: signed_in_email(&session),
        view,
        token,
        display_name: String::new(),
    }))
}

#[derive(Deserialize)]
struct AcceptForm {
    #[serde(default)]
    display_name: String,
    #[serde(default)]
    password: String,
}

/// Accepting needs no CSRF token of its own: the secret invitation token in the address is
/// one, and it is spent by use.
async fn accept(
    State(state): State<AppState>,
    session: MaybeSession,
    Path(token): Path<String>,
    PublicForm(form): PublicForm<AcceptForm>,
) -> Result<Response, PageError> {
    let actor = session
        .0
        .as_ref()
        .filter(|s| s.session.mfa_state == MfaState::Complete)
        .map(|s| &s.actor);
    let new_account = actor.is_none().then(|| AcceptInvitation {
        display_name: form.display_name.clone(),
        password: form.password,
    });
    match state.core.accept_invitation(&token, actor, new_account).await {
        Ok((_, Some(signed_in))) => Ok(start_session(&state, &signed_in)),
        Ok((org, None)) => Ok(Redirect::to(&format!("/orgs/{org}")).into_response()),
        Err(CoreError::Validation(errors)) => {
            let view = state.core.invitation(&token).await?;
            Ok(page(
                StatusCode::UNPROCESSABLE_ENTITY,
                &InvitationPage {
                    layout: Layout::public("Join an organisation"),
                    errors: Errors::from(errors),
                    signed_in_as: signed_in_email(&session),
                    view,
                    token,
                    display_name: form.display_name,
                },
            ))
        }
        Err(e) => Err(e.into()),
    }
}
