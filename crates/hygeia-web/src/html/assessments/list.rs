//! The organisation's assessments and the form that starts one.

use super::super::{Errors, Layout, Section, page, parse_id, when};
use super::{status_tag, val};
use crate::error::PageError;
use crate::extract::{CsrfForm, SignedIn};
use crate::state::AppState;
use askama::Template;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use hygeia_core::assessments::StartInput;
use hygeia_core::{CoreError, Scope};
use hygeia_domain::FieldError;
use hygeia_domain::ids::OrgId;
use hygeia_domain::page::PageRequest;
use hygeia_domain::permissions::Permission;
use hygeia_store::model::Session;

pub(super) struct Line {
    pub id: String,
    pub reference: String,
    pub title: String,
    pub framework: String,
    pub period: String,
    pub status: &'static str,
    pub tag: &'static str,
    pub result: String,
    pub updated: String,
}

#[derive(Template)]
#[template(path = "orgs/assessments.html")]
struct ListPage {
    layout: Layout,
    errors: Errors,
    org_id: OrgId,
    lines: Vec<Line>,
    can_start: bool,
    frameworks: Vec<(String, String)>,
    profiles: Vec<(String, String)>,
    earlier: Vec<(String, String)>,
    v: StartInput,
}

async fn render(
    state: &AppState,
    scope: &Scope,
    session: &Session,
    status: StatusCode,
    errors: Vec<FieldError>,
    v: StartInput,
) -> Result<Response, PageError> {
    let found = state
        .core
        .assessments(scope, PageRequest::new(Some(200), Some(0)))
        .await?;
    let zone = &scope.org.time_zone;
    let lines: Vec<Line> = found
        .items
        .iter()
        .map(|a| Line {
            id: a.id.to_string(),
            reference: a.reference.clone(),
            title: a.title.clone(),
            framework: super::framework_label(&a.framework_title, &a.framework_version),
            period: a.period.clone(),
            status: a.status.label(),
            tag: status_tag(a.status),
            result: a.result.clone().unwrap_or_default(),
            updated: when(a.updated_at, zone),
        })
        .collect();
    let can_start = scope.allows(Permission::AssessmentsEdit);
    let mut frameworks = Vec::new();
    let mut profiles = Vec::new();
    if can_start {
        for f in state.core.frameworks().await? {
            let label = format!("{} ({} {})", f.title, f.key, f.version);
            for p in &state.core.framework_by_id(f.id).await?.profiles {
                profiles.push((p.key.clone(), format!("{} — for {}", p.title, f.title)));
            }
            frameworks.push((f.id.to_string(), label));
        }
    }
    profiles.sort();
    profiles.dedup_by(|a, b| a.0 == b.0);
    let earlier = found
        .items
        .iter()
        .map(|a| {
            (
                a.id.to_string(),
                format!("{} {} ({}, {})", a.reference, a.title, a.period, a.status.label()),
            )
        })
        .collect();
    Ok(page(
        status,
        &ListPage {
            layout: Layout::for_scope("Assessments", scope, session, Section::Assessments),
            errors: Errors::from(errors),
            org_id: scope.org.id,
            lines,
            can_start,
            frameworks,
            profiles,
            earlier,
            v,
        },
    ))
}

pub(super) async fn list(
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
        StartInput::default(),
    )
    .await
}

pub(super) async fn start(
    State(state): State<AppState>,
    Path(org_id): Path<String>,
    form: CsrfForm<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let scope = state.core.scope(&form.actor, parse_id::<OrgId>(&org_id)?).await?;
    let f = &form.form;
    let v = StartInput {
        framework_id: val(f, "framework_id"),
        title: val(f, "title"),
        period: val(f, "period"),
        due_on: val(f, "due_on"),
        scope: val(f, "scope"),
        profile: val(f, "profile"),
        copy_from: val(f, "copy_from"),
    };
    match state.core.start_assessment(&scope, v.clone()).await {
        Ok(id) => Ok(Redirect::to(&format!("/orgs/{}/assessments/{id}", scope.org.id)).into_response()),
        Err(CoreError::Validation(errors)) => {
            render(
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
