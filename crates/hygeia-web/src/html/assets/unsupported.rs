//! The unsupported systems report (DSPT standard 8) and its treatments: a remediation plan,
//! or a risk acceptance the senior executive signs until a date.

use super::super::{Errors, Layout, Section, page, parse_id, when};
use super::support_tag;
use crate::error::PageError;
use crate::extract::{CsrfForm, SignedIn};
use crate::state::AppState;
use askama::Template;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use hygeia_core::assets::{DEFAULT_WARN_DAYS, UnsupportedItem};
use hygeia_core::{CoreError, Scope};
use hygeia_domain::FieldError;
use hygeia_domain::ids::{AssetId, OrgId};
use hygeia_domain::permissions::Permission;
use hygeia_store::model::Session;

pub(crate) struct ItemLine {
    pub asset_id: String,
    pub asset_name: String,
    pub release: String,
    pub product_id: String,
    pub cycle: String,
    pub tag: &'static str,
    pub status: &'static str,
    pub ends: String,
    pub state: &'static str,
    pub state_tag: &'static str,
    pub treatment: String,
}

fn item_line(i: &UnsupportedItem, tz: &str) -> ItemLine {
    let (tag, status) = support_tag(i.support);
    let (state, state_tag) = match i.treatment_state {
        "plan" => ("Remediation planned", "nhsuk-tag--blue"),
        "accepted" => ("Risk accepted", "nhsuk-tag--purple"),
        "acceptance_expired" => ("Acceptance expired: open again", "nhsuk-tag--red"),
        _ => ("No plan or acceptance", "nhsuk-tag--red"),
    };
    let treatment = i
        .treatment
        .as_ref()
        .map(|t| {
            let by = t
                .signed_by
                .as_ref()
                .map_or_else(|| t.recorded_by.clone(), |s| format!("signed by {s}"));
            format!(
                "{} (until {}; {by}, {})",
                t.detail,
                t.target_date.clone().unwrap_or_default(),
                when(t.recorded_at, tz)
            )
        })
        .unwrap_or_default();
    ItemLine {
        asset_id: i.asset_id.to_string(),
        asset_name: i.asset_name.clone(),
        release: i.release.clone(),
        product_id: i.product_id.clone(),
        cycle: i.cycle.clone(),
        tag,
        status,
        ends: i.support_ends.map(|d| d.to_string()).unwrap_or_else(|| "–".into()),
        state,
        state_tag,
        treatment,
    }
}

#[derive(Template)]
#[template(path = "orgs/unsupported.html")]
struct ReportPage {
    layout: Layout,
    errors: Errors,
    org_id: OrgId,
    today: String,
    unsupported: Vec<ItemLine>,
    ending_soon: Vec<ItemLine>,
    open_items: usize,
    can_plan: bool,
    can_accept: bool,
}

async fn render(
    state: &AppState,
    scope: &Scope,
    session: &Session,
    status: StatusCode,
    errors: Vec<FieldError>,
) -> Result<Response, PageError> {
    let r = state.core.unsupported_report(scope, DEFAULT_WARN_DAYS).await?;
    let tz = scope.org.time_zone.as_str();
    Ok(page(
        status,
        &ReportPage {
            layout: Layout::for_scope("Unsupported systems", scope, session, Section::Unsupported),
            errors: Errors::from(errors),
            org_id: scope.org.id,
            today: r.today.to_string(),
            unsupported: r.unsupported.iter().map(|i| item_line(i, tz)).collect(),
            ending_soon: r.ending_soon.iter().map(|i| item_line(i, tz)).collect(),
            open_items: r.open_items,
            can_plan: scope.allows(Permission::AssetsManage),
            can_accept: scope.allows(Permission::UnsupportedAccept),
        },
    ))
}

pub(super) async fn report(
    State(state): State<AppState>,
    signed_in: SignedIn,
    Path(org_id): Path<String>,
) -> Result<Response, PageError> {
    let scope = state.core.scope(&signed_in.actor, parse_id::<OrgId>(&org_id)?).await?;
    render(&state, &scope, &signed_in.session, StatusCode::OK, Vec::new()).await
}

pub(super) async fn treat(
    State(state): State<AppState>,
    Path(org_id): Path<String>,
    form: CsrfForm<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let scope = state.core.scope(&form.actor, parse_id::<OrgId>(&org_id)?).await?;
    let v = |k: &str| super::super::val(&form.form, k);
    let asset = parse_id::<AssetId>(&v("asset_id"))?;
    let acceptance = v("kind") == "acceptance";
    match state
        .core
        .treat_unsupported(
            &scope,
            asset,
            &v("product_id"),
            &v("cycle"),
            acceptance,
            &v("detail"),
            &v("date"),
        )
        .await
    {
        Ok(()) => Ok(Redirect::to(&format!("/orgs/{}/unsupported", scope.org.id)).into_response()),
        Err(CoreError::Validation(errors)) => {
            render(&state, &scope, &form.session, StatusCode::UNPROCESSABLE_ENTITY, errors).await
        }
        Err(e) => Err(e.into()),
    }
}
