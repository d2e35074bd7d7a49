//! The organisation's signed webhook: where its notifications are also POSTed, the secret to
//! check them with (shown once, when made), and how the latest deliveries went.

use super::{Errors, Layout, Section, page, parse_id, when};
use crate::error::PageError;
use crate::extract::{CsrfForm, SignedIn};
use crate::state::AppState;
use askama::Template;
use axum::Router;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use hygeia_core::{CoreError, Scope};
use hygeia_domain::ids::OrgId;
use hygeia_domain::permissions::Permission;
use hygeia_store::model::Session;
use serde::Deserialize;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/orgs/{org_id}/settings/webhook", get(show).post(set))
        .route("/orgs/{org_id}/settings/webhook/remove", post(remove))
}

struct DeliveryRow {
    at: String,
    outcome: String,
    delivered: bool,
}

#[derive(Template)]
#[template(path = "orgs/webhook.html")]
struct WebhookPage {
    layout: Layout,
    errors: Errors,
    org_id: OrgId,
    url: String,
    configured: Option<String>,
    secret: Option<String>,
    deliveries: Vec<DeliveryRow>,
}

async fn render(
    state: &AppState,
    scope: &Scope,
    session: &Session,
    status: StatusCode,
    errors: Vec<hygeia_domain::FieldError>,
    url: String,
    secret: Option<String>,
) -> Result<Response, PageError> {
    scope.require(Permission::OrgEdit)?;
    let zone = &scope.org.time_zone;
    let hook = state.core.webhook(scope).await?;
    let deliveries = hook
        .as_ref()
        .map(|h| {
            h.recent
                .iter()
                .map(|d| DeliveryRow {
                    at: when(d.created_at, zone),
                    delivered: d.delivered_at.is_some(),
                    outcome: match (d.delivered_at, &d.last_error) {
                        (Some(at), _) => format!("Delivered {} ({} attempts)", when(at, zone), d.attempts),
                        (None, Some(e)) => format!("Not yet delivered after {} attempts: {e}", d.attempts),
                        (None, None) => "Waiting for the worker".to_owned(),
                    },
                })
                .collect()
        })
        .unwrap_or_default();
    let configured = hook
        .as_ref()
        .map(|h| format!("{} (set by {}, {})", h.url, h.updated_by, when(h.updated_at, zone)));
    let url = if url.is_empty() {
        hook.map(|h| h.url).unwrap_or_default()
    } else {
        url
    };
    Ok(page(
        status,
        &WebhookPage {
            layout: Layout::for_scope("Webhook", scope, session, Section::Settings),
            errors: Errors::from(errors),
            org_id: scope.org.id,
            url,
            configured,
            secret,
            deliveries,
        },
    ))
}

async fn show(
    State(state): State<AppState>,
    signed_in: SignedIn,
    Path(org_id): Path<String>,
) -> Result<Response, PageError> {
    let scope = state.core.scope(&signed_in.actor, parse_id::<OrgId>(&org_id)?).await?;
    render(
        &state,
        &scope,
        &signed_in.session,
        StatusCode::OK,
        Vec::new(),
        String::new(),
        None,
    )
    .await
}

#[derive(Deserialize)]
struct UrlForm {
    #[serde(default)]
    url: String,
}

/// Sets the address and makes a new secret, shown on this one answer only.
async fn set(
    State(state): State<AppState>,
    Path(org_id): Path<String>,
    form: CsrfForm<UrlForm>,
) -> Result<Response, PageError> {
    let scope = state.core.scope(&form.actor, parse_id::<OrgId>(&org_id)?).await?;
    match state.core.set_webhook(&scope, &form.form.url).await {
        Ok(secret) => {
            render(
                &state,
                &scope,
                &form.session,
                StatusCode::OK,
                Vec::new(),
                String::new(),
                Some(secret),
            )
            .await
        }
        Err(CoreError::Validation(errors)) => {
            let errors = errors
                .into_iter()
                .map(|e| hygeia_domain::FieldError::new(e.field, format!("The address {}", e.message)))
                .collect();
            render(
                &state,
                &scope,
                &form.session,
                StatusCode::UNPROCESSABLE_ENTITY,
                errors,
                form.form.url.clone(),
                None,
            )
            .await
        }
        Err(e) => Err(e.into()),
    }
}

async fn remove(
    State(state): State<AppState>,
    Path(org_id): Path<String>,
    form: CsrfForm<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let scope = state.core.scope(&form.actor, parse_id::<OrgId>(&org_id)?).await?;
    state.core.remove_webhook(&scope).await?;
    Ok(Redirect::to(&format!("/orgs/{}/settings/webhook", scope.org.id)).into_response())
}
