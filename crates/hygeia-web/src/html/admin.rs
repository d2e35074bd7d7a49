//! Platform administration: every organisation, and creating new ones.

use super::{Errors, Layout, Section, page};
use crate::error::PageError;
use crate::extract::{CsrfForm, SignedIn};
use crate::state::AppState;
use askama::Template;
use axum::Router;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use hygeia_core::{CoreError, NewOrg};
use hygeia_domain::org::OrgType;
use hygeia_domain::page::PageRequest;
use hygeia_store::model::Org;
use serde::Deserialize;

pub fn router() -> Router<AppState> {
    Router::new().route("/admin/orgs", get(list).post(create))
}

#[derive(Template)]
#[template(path = "admin/orgs.html")]
struct AdminOrgsPage {
    layout: Layout,
    errors: Errors,
    orgs: Vec<Org>,
    total: u64,
    types: Vec<(&'static str, &'static str)>,
    form: OrgForm,
}

#[derive(Deserialize, Default)]
struct OrgForm {
    #[serde(default)]
    name: String,
    #[serde(default)]
    ods_code: String,
    #[serde(default)]
    org_type: String,
    #[serde(default)]
    parent_ods: String,
    #[serde(default)]
    regulator_ods: String,
}

#[derive(Deserialize)]
struct Paging {
    offset: Option<u64>,
    created: Option<String>,
}

async fn render(
    state: &AppState,
    signed_in: &SignedIn,
    errors: Errors,
    form: OrgForm,
    offset: Option<u64>,
    notice: Option<&str>,
    status: StatusCode,
) -> Result<Response, PageError> {
    let orgs = state
        .core
        .all_orgs(&signed_in.actor, PageRequest::new(Some(200), offset))
        .await?;
    Ok(page(
        status,
        &AdminOrgsPage {
            layout: Layout::signed_in(
                "Organisations",
                &signed_in.actor.user,
                &signed_in.session,
                Section::Admin,
            )
            .with_notice(notice),
            errors,
            total: orgs.total,
            orgs: orgs.items,
            types: OrgType::ALL.iter().map(|t| (t.code(), t.label())).collect(),
            form,
        },
    ))
}

async fn list(
    State(state): State<AppState>,
    signed_in: SignedIn,
    Query(p): Query<Paging>,
) -> Result<Response, PageError> {
    let notice = p.created.as_ref().map(|_| "The organisation was created.");
    render(
        &state,
        &signed_in,
        Errors::default(),
        OrgForm {
            org_type: "gp_practice".into(),
            ..OrgForm::default()
        },
        p.offset,
        notice,
        StatusCode::OK,
    )
    .await
}

async fn create(State(state): State<AppState>, form: CsrfForm<OrgForm>) -> Result<Response, PageError> {
    let signed_in = SignedIn {
        actor: form.actor,
        session: form.session,
    };
    let f = form.form;
    let input = NewOrg {
        name: f.name.clone(),
        ods_code: f.ods_code.clone(),
        org_type: f.org_type.clone(),
        regimes: vec!["uk_gdpr".into()],
        is_oes: false,
        parent_ods: Some(f.parent_ods.clone()),
        regulator_ods: Some(f.regulator_ods.clone()),
        require_mfa: false,
    };
    match state.core.create_org(Some(&signed_in.actor), input).await {
        Ok(_) => Ok(Redirect::to("/admin/orgs?created=1").into_response()),
        Err(CoreError::Validation(errors)) => {
            render(
                &state,
                &signed_in,
                Errors::from(errors),
                f,
                None,
                None,
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await
        }
        Err(CoreError::Conflict(why)) => {
            let errors = Errors::from(vec![hygeia_domain::FieldError::new("ods_code", why)]);
            render(&state, &signed_in, errors, f, None, None, StatusCode::CONFLICT).await
        }
        Err(e) => Err(e.into()),
    }
}
