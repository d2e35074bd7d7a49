//! A person's own account: their organisations, MFA status, API tokens.

use super::{Errors, Layout, Section, ok, page, parse_id, when};
use crate::error::PageError;
use crate::extract::{CsrfForm, SignedIn};
use crate::state::AppState;
use askama::Template;
use axum::Router;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use hygeia_core::{CoreError, NewToken};
use hygeia_domain::ids::{OrgId, TokenId};
use hygeia_store::model::{ApiToken, Membership};
use serde::Deserialize;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/account", get(account))
        .route("/account/tokens", get(tokens).post(create_token))
        .route("/account/tokens/{token_id}/revoke", post(revoke_token))
}

#[derive(Template)]
#[template(path = "account/account.html")]
struct AccountPage {
    layout: Layout,
    email: String,
    mfa: bool,
    /// Each organisation, and whether it is the one the session works in.
    memberships: Vec<(Membership, bool)>,
}

async fn account(State(state): State<AppState>, signed_in: SignedIn) -> Result<Response, PageError> {
    let memberships = state.core.my_orgs(&signed_in.actor).await?;
    Ok(ok(&AccountPage {
        layout: Layout::signed_in(
            "Your account",
            &signed_in.actor.user,
            &signed_in.session,
            Section::Account,
        ),
        email: signed_in.actor.user.email.to_string(),
        mfa: signed_in.actor.user.totp_enabled,
        memberships: memberships
            .into_iter()
            .map(|m| {
                let current = signed_in.session.current_org_id == Some(m.org.id);
                (m, current)
            })
            .collect(),
    }))
}

pub struct TokenRow {
    pub token: ApiToken,
    pub created: String,
    pub last_used: String,
    pub expires: String,
    pub scope: String,
}

#[derive(Template)]
#[template(path = "account/tokens.html")]
struct TokensPage {
    layout: Layout,
    errors: Errors,
    rows: Vec<TokenRow>,
    orgs: Vec<Membership>,
    new_secret: Option<String>,
    token_name: String,
}

const TZ: &str = "Europe/London";

async fn render(
    state: &AppState,
    signed_in: &SignedIn,
    errors: Errors,
    new_secret: Option<String>,
    name: String,
    status: StatusCode,
) -> Result<Response, PageError> {
    let orgs = state.core.my_orgs(&signed_in.actor).await?;
    let rows = state
        .core
        .my_tokens(&signed_in.actor)
        .await?
        .into_iter()
        .map(|t| TokenRow {
            created: when(t.created_at, TZ),
            last_used: t.last_used_at.map_or_else(|| "Never".into(), |ms| when(ms, TZ)),
            expires: t.revoked_at.map_or_else(
                || t.expires_at.map_or_else(|| "Does not expire".into(), |ms| when(ms, TZ)),
                |ms| format!("Revoked {}", when(ms, TZ)),
            ),
            scope: format!(
                "{}{}",
                if t.read_only { "Read only" } else { "Read and write" },
                t.org_id
                    .and_then(|id| orgs.iter().find(|m| m.org.id == id))
                    .map_or_else(String::new, |m| format!(", {} only", m.org.name))
            ),
            token: t,
        })
        .collect();
    Ok(page(
        status,
        &TokensPage {
            layout: Layout::signed_in(
                "API tokens",
                &signed_in.actor.user,
                &signed_in.session,
                Section::Account,
            ),
            errors,
            rows,
            orgs,
            new_secret,
            token_name: name,
        },
    ))
}

async fn tokens(State(state): State<AppState>, signed_in: SignedIn) -> Result<Response, PageError> {
    render(
        &state,
        &signed_in,
        Errors::default(),
        None,
        String::new(),
        StatusCode::OK,
    )
    .await
}

#[derive(Deserialize)]
struct TokenForm {
    #[serde(default)]
    name: String,
    #[serde(default)]
    access: String,
    #[serde(default)]
    org_id: String,
    #[serde(default)]
    expires_in_days: String,
}

async fn create_token(State(state): State<AppState>, form: CsrfForm<TokenForm>) -> Result<Response, PageError> {
    let signed_in = SignedIn {
        actor: form.actor,
        session: form.session,
    };
    let f = form.form;
    let mut errors = Vec::new();
    let org_id = match f.org_id.trim() {
        "" => None,
        raw => match raw.parse::<OrgId>() {
            Ok(id) => Some(id),
            Err(_) => {
                errors.push(hygeia_domain::FieldError::new(
                    "org_id",
                    "choose one of your organisations",
                ));
                None
            }
        },
    };
    let expires_in_days = match f.expires_in_days.trim() {
        "" => None,
        raw => match raw.parse::<u32>() {
            Ok(d) => Some(d),
            Err(_) => {
                errors.push(hygeia_domain::FieldError::new(
                    "expires_in_days",
                    "enter a number of days, like 90",
                ));
                None
            }
        },
    };
    let result = if errors.is_empty() {
        state
            .core
            .create_token(
                &signed_in.actor,
                NewToken {
                    name: f.name.clone(),
                    read_only: f.access != "write",
                    org_id,
                    expires_in_days,
                },
            )
            .await
    } else {
        Err(CoreError::Validation(errors))
    };
    match result {
        Ok(created) => {
            render(
                &state,
                &signed_in,
                Errors::default(),
                Some(created.secret),
                String::new(),
                StatusCode::OK,
            )
            .await
        }
        Err(CoreError::Validation(errors)) => {
            render(
                &state,
                &signed_in,
                Errors::from(errors),
                None,
                f.name,
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await
        }
        Err(e) => Err(e.into()),
    }
}

#[derive(Deserialize)]
struct Empty {}

async fn revoke_token(
    State(state): State<AppState>,
    Path(token_id): Path<String>,
    form: CsrfForm<Empty>,
) -> Result<Response, PageError> {
    state
        .core
        .revoke_token(&form.actor, parse_id::<TokenId>(&token_id)?)
        .await?;
    Ok(Redirect::to("/account/tokens").into_response())
}
