//! An organisation's profile and security settings.

use super::{Errors, Layout, Section, page, parse_id};
use crate::error::PageError;
use crate::extract::{CsrfForm, SignedIn};
use crate::state::AppState;
use askama::Template;
use axum::Router;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use hygeia_core::{CoreError, OrgPatch, Scope};
use hygeia_domain::ids::OrgId;
use hygeia_domain::org::Regime;
use hygeia_domain::permissions::Permission;
use serde::Deserialize;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/orgs/{org_id}/settings", get(show).post(save))
        .route("/orgs/{org_id}/settings/delivery", post(save_delivery))
}

#[derive(Template)]
#[template(path = "orgs/settings.html")]
struct SettingsPage {
    layout: Layout,
    errors: Errors,
    org_id: OrgId,
    org_name: String,
    time_zone: String,
    is_oes: bool,
    require_mfa: bool,
    version: i64,
    regimes: Vec<(&'static str, &'static str, bool)>,
    delivery_email: String,
}

#[derive(Deserialize)]
struct Saved {
    saved: Option<String>,
}

fn regime_choices(selected: &[String]) -> Vec<(&'static str, &'static str, bool)> {
    Regime::ALL
        .iter()
        .map(|r| (r.code(), r.label(), selected.iter().any(|s| s == r.code())))
        .collect()
}

async fn show(
    State(state): State<AppState>,
    signed_in: SignedIn,
    Path(org_id): Path<String>,
    Query(q): Query<Saved>,
) -> Result<Response, PageError> {
    let scope: Scope = state.core.scope(&signed_in.actor, parse_id::<OrgId>(&org_id)?).await?;
    scope.require(Permission::OrgEdit)?;
    let org = &scope.org;
    let selected: Vec<String> = org.regimes.iter().map(|r| r.code().to_owned()).collect();
    Ok(page(
        StatusCode::OK,
        &SettingsPage {
            layout: Layout::for_scope("Settings", &scope, &signed_in.session, Section::Settings)
                .with_notice(q.saved.as_ref().map(|_| "The settings were saved.")),
            errors: Errors::default(),
            org_id: org.id,
            org_name: org.name.clone(),
            time_zone: org.time_zone.clone(),
            is_oes: org.is_oes,
            require_mfa: org.require_mfa,
            version: org.updated_at,
            regimes: regime_choices(&selected),
            delivery_email: state.core.delivery_email(&scope).await?.unwrap_or_default(),
        },
    ))
}

/// The settings form. Checkboxes are absent when unticked, and `regimes` repeats, so the
/// body is read as a list of pairs.
async fn save(
    State(state): State<AppState>,
    Path(org_id): Path<String>,
    form: CsrfForm<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let scope: Scope = state.core.scope(&form.actor, parse_id::<OrgId>(&org_id)?).await?;
    let value = |k: &str| form.form.iter().find(|(key, _)| key == k).map(|(_, v)| v.clone());
    let regimes: Vec<String> = form
        .form
        .iter()
        .filter(|(k, _)| k == "regimes")
        .map(|(_, v)| v.clone())
        .collect();
    let patch = OrgPatch {
        name: value("name"),
        regimes: Some(regimes.clone()),
        is_oes: Some(value("is_oes").is_some()),
        require_mfa: Some(value("require_mfa").is_some()),
        time_zone: value("time_zone"),
        expected_updated_at: value("version").and_then(|v| v.parse().ok()),
    };
    match state.core.update_org(&scope, patch).await {
        Ok(_) => Ok(Redirect::to(&format!("/orgs/{}/settings?saved=1", scope.org.id)).into_response()),
        Err(e @ (CoreError::Validation(_) | CoreError::Conflict(_))) => {
            let (status, errors) = match e {
                CoreError::Validation(errors) => (StatusCode::UNPROCESSABLE_ENTITY, errors),
                CoreError::Conflict(why) => (StatusCode::CONFLICT, vec![hygeia_domain::FieldError::new("name", why)]),
                _ => (StatusCode::INTERNAL_SERVER_ERROR, Vec::new()),
            };
            Ok(page(
                status,
                &SettingsPage {
                    layout: Layout::for_scope("Settings", &scope, &form.session, Section::Settings),
                    errors: Errors::from(errors),
                    org_id: scope.org.id,
                    org_name: value("name").unwrap_or_default(),
                    time_zone: value("time_zone").unwrap_or_default(),
                    is_oes: value("is_oes").is_some(),
                    require_mfa: value("require_mfa").is_some(),
                    version: scope.org.updated_at,
                    regimes: regime_choices(&regimes),
                    delivery_email: state.core.delivery_email(&scope).await?.unwrap_or_default(),
                },
            ))
        }
        Err(e) => Err(e.into()),
    }
}

#[derive(Deserialize)]
struct DeliveryForm {
    #[serde(default)]
    delivery_email: String,
}

/// Where notifications also go by e-mail.
async fn save_delivery(
    State(state): State<AppState>,
    Path(org_id): Path<String>,
    form: CsrfForm<DeliveryForm>,
) -> Result<Response, PageError> {
    let scope: Scope = state.core.scope(&form.actor, parse_id::<OrgId>(&org_id)?).await?;
    match state.core.set_delivery_email(&scope, &form.form.delivery_email).await {
        Ok(()) => Ok(Redirect::to(&format!("/orgs/{}/settings?saved=1", scope.org.id)).into_response()),
        Err(CoreError::Validation(errors)) => {
            let org = &scope.org;
            let selected: Vec<String> = org.regimes.iter().map(|r| r.code().to_owned()).collect();
            let errors = errors
                .into_iter()
                .map(|e| hygeia_domain::FieldError::new(e.field, format!("The e-mail address {}", e.message)))
                .collect();
            Ok(page(
                StatusCode::UNPROCESSABLE_ENTITY,
                &SettingsPage {
                    layout: Layout::for_scope("Settings", &scope, &form.session, Section::Settings),
                    errors: Errors::from(errors),
                    org_id: org.id,
                    org_name: org.name.clone(),
                    time_zone: org.time_zone.clone(),
                    is_oes: org.is_oes,
                    require_mfa: org.require_mfa,
                    version: org.updated_at,
                    regimes: regime_choices(&selected),
                    delivery_email: form.form.delivery_email.clone(),
                },
            ))
        }
        Err(e) => Err(e.into()),
    }
}
