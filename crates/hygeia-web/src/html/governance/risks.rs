//! The risk register, one risk's page with its linked incidents, and their forms.

use super::super::{Errors, Layout, Section, page, parse_id};
use super::{RiskLine, risk_line, val};
use crate::error::PageError;
use crate::extract::{CsrfForm, SignedIn};
use crate::state::AppState;
use askama::Template;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use hygeia_core::{CoreError, RiskInput, Scope};
use hygeia_domain::FieldError;
use hygeia_domain::governance::risks::Treatment;
use hygeia_domain::ids::{OrgId, RiskId};
use hygeia_domain::page::PageRequest;
use hygeia_domain::permissions::Permission;
use hygeia_store::model::Session;

fn input(form: &[(String, String)]) -> RiskInput {
    RiskInput {
        title: val(form, "title"),
        description: val(form, "description"),
        likelihood: val(form, "likelihood"),
        impact: val(form, "impact"),
        treatment: val(form, "treatment"),
        owner: val(form, "owner"),
        status: val(form, "status"),
        review_by: val(form, "review_by"),
    }
}

fn treatments() -> Vec<(&'static str, &'static str)> {
    Treatment::ALL.iter().map(|t| (t.code(), t.label())).collect()
}

fn scale() -> Vec<(&'static str, &'static str)> {
    vec![
        ("1", "1 (lowest)"),
        ("2", "2"),
        ("3", "3"),
        ("4", "4"),
        ("5", "5 (highest)"),
    ]
}

#[derive(Template)]
#[template(path = "orgs/risks.html")]
struct RegisterPage {
    layout: Layout,
    errors: Errors,
    org_id: OrgId,
    rows: Vec<RiskLine>,
    total: u64,
    can_manage: bool,
    v: RiskInput,
    treatments: Vec<(&'static str, &'static str)>,
    scale: Vec<(&'static str, &'static str)>,
}

async fn render_list(
    state: &AppState,
    scope: &Scope,
    session: &Session,
    status: StatusCode,
    errors: Vec<FieldError>,
    v: RiskInput,
) -> Result<Response, PageError> {
    let found = state.core.risks(scope, PageRequest::new(Some(200), Some(0))).await?;
    Ok(page(
        status,
        &RegisterPage {
            layout: Layout::for_scope("Risk register", scope, session, Section::Risks),
            errors: Errors::from(errors),
            org_id: scope.org.id,
            total: found.total,
            rows: found.items.iter().map(risk_line).collect(),
            can_manage: scope.allows(Permission::RisksManage),
            v,
            treatments: treatments(),
            scale: scale(),
        },
    ))
}

pub(super) async fn list(
    State(state): State<AppState>,
    signed_in: SignedIn,
    Path(org_id): Path<String>,
) -> Result<Response, PageError> {
    let scope = state.core.scope(&signed_in.actor, parse_id::<OrgId>(&org_id)?).await?;
    render_list(
        &state,
        &scope,
        &signed_in.session,
        StatusCode::OK,
        Vec::new(),
        RiskInput::default(),
    )
    .await
}

pub(super) async fn add(
    State(state): State<AppState>,
    Path(org_id): Path<String>,
    form: CsrfForm<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let scope = state.core.scope(&form.actor, parse_id::<OrgId>(&org_id)?).await?;
    let v = input(&form.form);
    match state.core.add_risk(&scope, v.clone()).await {
        Ok(r) => Ok(Redirect::to(&format!("/orgs/{}/risks/{}", scope.org.id, r.risk.id)).into_response()),
        Err(CoreError::Validation(errors)) => {
            render_list(
                &state,
                &scope,
                &form.session,
                StatusCode::UNPROCESSABLE_ENTITY,
                errors,
                v,
            )
            .await
        }
        Err(e) => Err(e.into()),
    }
}

#[derive(Template)]
#[template(path = "orgs/risk.html")]
struct RiskPage {
    layout: Layout,
    errors: Errors,
    org_id: OrgId,
    line: RiskLine,
    description: String,
    review_by: String,
    incidents: Vec<(String, String, String)>,
    can_manage: bool,
    v: RiskInput,
    treatments: Vec<(&'static str, &'static str)>,
    scale: Vec<(&'static str, &'static str)>,
}

async fn render_risk(
    state: &AppState,
    scope: &Scope,
    session: &Session,
    id: RiskId,
    status: StatusCode,
    errors: Vec<FieldError>,
    posted: Option<RiskInput>,
) -> Result<Response, PageError> {
    let (row, incidents) = state.core.risk(scope, id).await?;
    let r = &row.risk;
    let v = posted.unwrap_or_else(|| RiskInput {
        title: r.title.clone(),
        description: r.description.clone(),
        likelihood: r.likelihood.to_string(),
        impact: r.impact.to_string(),
        treatment: r.treatment.code().into(),
        owner: r.owner.clone(),
        status: r.status.code().into(),
        review_by: r.review_by.clone().unwrap_or_default(),
    });
    Ok(page(
        status,
        &RiskPage {
            layout: Layout::for_scope(&r.title, scope, session, Section::Risks),
            errors: Errors::from(errors),
            org_id: scope.org.id,
            description: r.description.clone(),
            review_by: r.review_by.clone().unwrap_or_else(|| "No review date".into()),
            incidents: incidents
                .into_iter()
                .map(|(i, reference, title)| (format!("/orgs/{}/incidents/{i}", scope.org.id), reference, title))
                .collect(),
            line: risk_line(&row),
            can_manage: scope.allows(Permission::RisksManage),
            v,
            treatments: treatments(),
            scale: scale(),
        },
    ))
}

pub(super) async fn show(
    State(state): State<AppState>,
    signed_in: SignedIn,
    Path((org_id, risk_id)): Path<(String, String)>,
) -> Result<Response, PageError> {
    let scope = state.core.scope(&signed_in.actor, parse_id::<OrgId>(&org_id)?).await?;
    let id = parse_id::<RiskId>(&risk_id)?;
    render_risk(&state, &scope, &signed_in.session, id, StatusCode::OK, Vec::new(), None).await
}

pub(super) async fn update(
    State(state): State<AppState>,
    Path((org_id, risk_id)): Path<(String, String)>,
    form: CsrfForm<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let scope = state.core.scope(&form.actor, parse_id::<OrgId>(&org_id)?).await?;
    let id = parse_id::<RiskId>(&risk_id)?;
    let v = input(&form.form);
    match state.core.update_risk(&scope, id, v.clone()).await {
        Ok(_) => Ok(Redirect::to(&format!("/orgs/{}/risks/{id}", scope.org.id)).into_response()),
        Err(CoreError::Validation(errors)) => {
            render_risk(
                &state,
                &scope,
                &form.session,
                id,
                StatusCode::UNPROCESSABLE_ENTITY,
                errors,
                Some(v),
            )
            .await
        }
        Err(e) => Err(e.into()),
    }
}
