//! The improvement plan: every action, live ones first, with a form to add one.

use super::super::{Errors, Layout, Section, page, parse_id};
use super::{ActionLine, action_line, status_choices, val};
use crate::error::PageError;
use crate::extract::{CsrfForm, SignedIn};
use crate::state::AppState;
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use hygeia_core::{ActionInput, CoreError, Scope};
use hygeia_domain::FieldError;
use hygeia_domain::ids::{ActionId, OrgId};
use hygeia_domain::page::PageRequest;
use hygeia_domain::permissions::Permission;
use hygeia_store::model::Session;
use serde::Deserialize;

#[derive(Deserialize)]
pub(super) struct ListQuery {
    all: Option<String>,
    offset: Option<u64>,
}

#[derive(Template)]
#[template(path = "orgs/actions.html")]
struct PlanPage {
    layout: Layout,
    errors: Errors,
    org_id: OrgId,
    rows: Vec<ActionLine>,
    total: u64,
    show_all: bool,
    next_offset: Option<u64>,
    can_manage: bool,
    statuses: Vec<(&'static str, &'static str)>,
    v: ActionInput,
}

async fn render(
    state: &AppState,
    scope: &Scope,
    session: &Session,
    q: &ListQuery,
    status: StatusCode,
    errors: Vec<FieldError>,
    v: ActionInput,
) -> Result<Response, PageError> {
    let show_all = q.all.is_some();
    let found = state
        .core
        .actions(scope, !show_all, PageRequest::new(Some(100), q.offset))
        .await?;
    let org = scope.org.id.to_string();
    Ok(page(
        status,
        &PlanPage {
            layout: Layout::for_scope("Improvement plan", scope, session, Section::Actions),
            errors: Errors::from(errors),
            org_id: scope.org.id,
            next_offset: found.next_offset(),
            total: found.total,
            rows: found.items.iter().map(|r| action_line(&org, r)).collect(),
            show_all,
            can_manage: scope.allows(Permission::ActionsManage),
            statuses: status_choices(),
            v,
        },
    ))
}

pub(super) async fn list(
    State(state): State<AppState>,
    signed_in: SignedIn,
    Path(org_id): Path<String>,
    Query(q): Query<ListQuery>,
) -> Result<Response, PageError> {
    let scope = state.core.scope(&signed_in.actor, parse_id::<OrgId>(&org_id)?).await?;
    render(
        &state,
        &scope,
        &signed_in.session,
        &q,
        StatusCode::OK,
        Vec::new(),
        ActionInput::default(),
    )
    .await
}

pub(super) async fn add(
    State(state): State<AppState>,
    Path(org_id): Path<String>,
    form: CsrfForm<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let scope = state.core.scope(&form.actor, parse_id::<OrgId>(&org_id)?).await?;
    let input = ActionInput {
        title: val(&form.form, "title"),
        detail: val(&form.form, "detail"),
        owner: val(&form.form, "owner"),
        due_on: val(&form.form, "due_on"),
        status: String::new(),
    };
    match state.core.add_action(&scope, input.clone(), None).await {
        Ok(_) => Ok(Redirect::to(&format!("/orgs/{}/actions", scope.org.id)).into_response()),
        Err(CoreError::Validation(errors)) => {
            let first = ListQuery {
                all: None,
                offset: None,
            };
            render(
                &state,
                &scope,
                &form.session,
                &first,
                StatusCode::UNPROCESSABLE_ENTITY,
                errors,
                input,
            )
            .await
        }
        Err(e) => Err(e.into()),
    }
}

/// Moves an action on; back to where the form was (the plan or the incident).
pub(super) async fn set_status(
    State(state): State<AppState>,
    Path((org_id, action_id)): Path<(String, String)>,
    form: CsrfForm<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let scope = state.core.scope(&form.actor, parse_id::<OrgId>(&org_id)?).await?;
    let id = parse_id::<ActionId>(&action_id)?;
    let action = state
        .core
        .set_action_status(&scope, id, &val(&form.form, "status"))
        .await?;
    let back = match (&action.source, val(&form.form, "back").as_str()) {
        (Some((_, incident)), "incident") => format!("/orgs/{}/incidents/{incident}#actions", scope.org.id),
        _ => format!("/orgs/{}/actions", scope.org.id),
    };
    Ok(Redirect::to(&back).into_response())
}
