//! The regulator's reporting thresholds for its remit.

use super::{Errors, Layout, Section, ok, page, parse_id};
use crate::error::PageError;
use crate::extract::{CsrfForm, SignedIn};
use crate::state::AppState;
use askama::Template;
use axum::Router;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use hygeia_core::{CoreError, Scope, ThresholdsInput};
use hygeia_domain::ids::OrgId;
use hygeia_domain::incidents::grid::{Harm, Likelihood};
use hygeia_domain::permissions::Permission;
use serde::Deserialize;

pub fn router() -> Router<AppState> {
    Router::new().route("/orgs/{org_id}/thresholds", get(show).post(save))
}

struct GridRow {
    index: usize,
    recipient: String,
    likelihood: String,
    harm: String,
}

#[derive(Template)]
#[template(path = "orgs/thresholds.html")]
struct ThresholdsPage {
    layout: Layout,
    errors: Errors,
    org_id: OrgId,
    can_edit: bool,
    users: String,
    minutes: String,
    regions: String,
    grid: Vec<GridRow>,
    likelihoods: Vec<(&'static str, &'static str)>,
    harms: Vec<(&'static str, &'static str)>,
    label: String,
}

#[derive(Deserialize)]
struct Saved {
    saved: Option<String>,
}

fn number(n: Option<impl ToString>) -> String {
    n.map(|n| n.to_string()).unwrap_or_default()
}

async fn render(
    state: &AppState,
    scope: &Scope,
    session: &hygeia_store::model::Session,
    notice: Option<&str>,
) -> Result<ThresholdsPage, PageError> {
    let view = state.core.thresholds(scope).await?;
    Ok(ThresholdsPage {
        layout: Layout::for_scope("Reporting thresholds", scope, session, Section::Thresholds).with_notice(notice),
        errors: Errors::default(),
        org_id: scope.org.id,
        can_edit: scope.allows(Permission::ThresholdsEdit),
        users: number(view.significance.users_affected_at_least),
        minutes: number(view.significance.disruption_minutes_at_least),
        regions: number(view.significance.regions_affected_at_least),
        grid: view
            .grid
            .into_iter()
            .enumerate()
            .map(|(index, (recipient, t))| GridRow {
                index,
                recipient,
                likelihood: t.likelihood_at_least.code().into(),
                harm: t.harm_at_least.code().into(),
            })
            .collect(),
        likelihoods: Likelihood::ALL.iter().map(|l| (l.code(), l.label())).collect(),
        harms: Harm::ALL.iter().map(|h| (h.code(), h.label())).collect(),
        label: view
            .label
            .unwrap_or_else(|| "the published defaults (none set here yet)".into()),
    })
}

async fn show(
    State(state): State<AppState>,
    signed_in: SignedIn,
    Path(org_id): Path<String>,
    Query(q): Query<Saved>,
) -> Result<Response, PageError> {
    let scope = state.core.scope(&signed_in.actor, parse_id::<OrgId>(&org_id)?).await?;
    let notice = q
        .saved
        .is_some()
        .then_some("The thresholds were saved. Decisions from now on are made under them.");
    Ok(ok(&render(&state, &scope, &signed_in.session, notice).await?))
}

async fn save(
    State(state): State<AppState>,
    Path(org_id): Path<String>,
    form: CsrfForm<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let scope = state.core.scope(&form.actor, parse_id::<OrgId>(&org_id)?).await?;
    let get = |k: &str| {
        form.form
            .iter()
            .find(|(key, _)| key == k)
            .map(|(_, v)| v.clone())
            .unwrap_or_default()
    };
    let recipients: Vec<String> = form
        .form
        .iter()
        .filter(|(k, _)| k == "grid_recipient")
        .map(|(_, v)| v.clone())
        .collect();
    let input = ThresholdsInput {
        users_affected_at_least: get("users_affected_at_least"),
        disruption_minutes_at_least: get("disruption_minutes_at_least"),
        regions_affected_at_least: get("regions_affected_at_least"),
        grid: recipients
            .iter()
            .enumerate()
            .map(|(i, r)| {
                (
                    r.clone(),
                    get(&format!("grid_likelihood_{i}")),
                    get(&format!("grid_harm_{i}")),
                )
            })
            .collect(),
    };
    match state.core.save_thresholds(&scope, input).await {
        Ok(()) => Ok(Redirect::to(&format!("/orgs/{}/thresholds?saved=1", scope.org.id)).into_response()),
        Err(CoreError::Validation(errors)) => {
            let mut p = render(&state, &scope, &form.session, None).await?;
            p.users = get("users_affected_at_least");
            p.minutes = get("disruption_minutes_at_least");
            p.regions = get("regions_affected_at_least");
            p.errors = Errors::from(
                errors
                    .into_iter()
                    .map(|e| hygeia_domain::FieldError::new(e.field, format!("The threshold {}", e.message)))
                    .collect(),
            );
            Ok(page(StatusCode::UNPROCESSABLE_ENTITY, &p))
        }
        Err(e) => Err(e.into()),
    }
}
