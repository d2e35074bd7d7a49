//! The incident response plan: every category's playbook on one printable page (the document
//! for the board and the DSPT), and the form to edit a playbook.

use super::{Errors, Layout, Section, ok, page, parse_id, when};
use crate::error::PageError;
use crate::extract::{CsrfForm, SignedIn};
use crate::state::AppState;
use askama::Template;
use axum::Router;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use hygeia_core::CoreError;
use hygeia_domain::ids::OrgId;
use hygeia_domain::incidents::IncidentCategory;
use hygeia_domain::incidents::playbooks::playbook_text;
use hygeia_domain::permissions::Permission;
use serde::Deserialize;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/orgs/{org_id}/response-plan", get(plan))
        .route("/orgs/{org_id}/response-plan.pdf", get(plan_pdf))
        .route("/orgs/{org_id}/response-plan/{category}", get(edit_form).post(save))
}

struct PlaybookSection {
    code: &'static str,
    title: &'static str,
    tasks: Vec<(String, &'static str)>,
    contacts: Vec<(String, String)>,
    whose: String,
}

#[derive(Template)]
#[template(path = "orgs/response_plan.html")]
struct PlanPage {
    layout: Layout,
    org_id: OrgId,
    org_name: String,
    sections: Vec<PlaybookSection>,
    can_edit: bool,
}

#[derive(Deserialize)]
struct Saved {
    saved: Option<String>,
}

async fn plan_pdf(
    State(state): State<AppState>,
    signed_in: SignedIn,
    Path(org_id): Path<String>,
) -> Result<Response, PageError> {
    let scope = state.core.scope(&signed_in.actor, parse_id::<OrgId>(&org_id)?).await?;
    let entries = state.core.response_plan(&scope).await?;
    let pdf = crate::documents::response_plan_pdf(&scope.org.name, &entries, &scope.org.time_zone);
    Ok(crate::documents::pdf_response(
        pdf,
        &format!("{}-response-plan.pdf", scope.org.ods_code),
    ))
}

async fn plan(
    State(state): State<AppState>,
    signed_in: SignedIn,
    Path(org_id): Path<String>,
    Query(q): Query<Saved>,
) -> Result<Response, PageError> {
    let scope = state.core.scope(&signed_in.actor, parse_id::<OrgId>(&org_id)?).await?;
    let entries = state.core.response_plan(&scope).await?;
    let sections = entries
        .into_iter()
        .map(|e| PlaybookSection {
            code: e.playbook.category.code(),
            title: e.playbook.category.label(),
            tasks: e
                .playbook
                .tasks
                .iter()
                .map(|t| (t.title.clone(), t.role.map_or("Incident lead", |r| r.label())))
                .collect(),
            contacts: e
                .playbook
                .contacts
                .iter()
                .map(|c| (c.name.clone(), c.how.clone()))
                .collect(),
            whose: match e.customised {
                Some((by, at)) => format!("Edited by {by}, {}", when(at, &scope.org.time_zone)),
                None => "Hygeia's default: edit it to fit your organisation".into(),
            },
        })
        .collect();
    Ok(ok(&PlanPage {
        layout: Layout::for_scope("Incident response plan", &scope, &signed_in.session, Section::Incidents)
            .with_notice(q.saved.as_ref().map(|_| "The playbook was saved.")),
        org_id: scope.org.id,
        org_name: scope.org.name.clone(),
        sections,
        can_edit: scope.allows(Permission::PlansEdit),
    }))
}

#[derive(Template)]
#[template(path = "orgs/playbook_form.html")]
struct EditPage {
    layout: Layout,
    errors: Errors,
    org_id: OrgId,
    code: &'static str,
    title: &'static str,
    tasks: String,
    contacts: String,
}

/// A category in the address that is not one is, like any unknown id, not found.
fn category(raw: &str) -> Result<IncidentCategory, PageError> {
    IncidentCategory::parse(raw, "category").map_err(|_| PageError(CoreError::NotFound))
}

async fn edit_form(
    State(state): State<AppState>,
    signed_in: SignedIn,
    Path((org_id, code)): Path<(String, String)>,
) -> Result<Response, PageError> {
    let scope = state.core.scope(&signed_in.actor, parse_id::<OrgId>(&org_id)?).await?;
    scope.require(Permission::PlansEdit)?;
    let c = category(&code)?;
    let entry = state
        .core
        .response_plan(&scope)
        .await?
        .into_iter()
        .find(|e| e.playbook.category == c)
        .ok_or(PageError(CoreError::NotFound))?;
    let (tasks, contacts) = playbook_text(&entry.playbook);
    Ok(ok(&EditPage {
        layout: Layout::for_scope("Edit playbook", &scope, &signed_in.session, Section::Incidents),
        errors: Errors::default(),
        org_id: scope.org.id,
        code: c.code(),
        title: c.label(),
        tasks,
        contacts,
    }))
}

#[derive(Deserialize)]
struct PlaybookForm {
    #[serde(default)]
    tasks: String,
    #[serde(default)]
    contacts: String,
}

async fn save(
    State(state): State<AppState>,
    Path((org_id, code)): Path<(String, String)>,
    form: CsrfForm<PlaybookForm>,
) -> Result<Response, PageError> {
    let scope = state.core.scope(&form.actor, parse_id::<OrgId>(&org_id)?).await?;
    let c = category(&code)?;
    match state
        .core
        .save_playbook(&scope, c.code(), &form.form.tasks, &form.form.contacts)
        .await
    {
        Ok(_) => {
            Ok(Redirect::to(&format!("/orgs/{}/response-plan?saved=1#{}", scope.org.id, c.code())).into_response())
        }
        Err(CoreError::Validation(errors)) => {
            let errors = errors
                .into_iter()
                .map(|e| {
                    let label = if e.field == "tasks" { "Tasks" } else { "Contacts" };
                    hygeia_domain::FieldError::new(e.field, format!("{label}, {}", e.message))
                })
                .collect();
            Ok(page(
                StatusCode::UNPROCESSABLE_ENTITY,
                &EditPage {
                    layout: Layout::for_scope("Edit playbook", &scope, &form.session, Section::Incidents),
                    errors: Errors::from(errors),
                    org_id: scope.org.id,
                    code: c.code(),
                    title: c.label(),
                    tasks: form.form.tasks.clone(),
                    contacts: form.form.contacts.clone(),
                },
            ))
        }
        Err(e) => Err(e.into()),
    }
}
