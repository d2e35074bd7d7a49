//! The library: every item of the organisation, searchable, and the form to add one.

use super::super::{Errors, Layout, Section, page, parse_id};
use super::{ItemRow, check_csrf, content_of, form_errors, item_row};
use crate::error::PageError;
use crate::extract::SignedIn;
use crate::files::read_upload;
use crate::state::AppState;
use askama::Template;
use axum::extract::multipart::MultipartRejection;
use axum::extract::{Multipart, Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use hygeia_core::{EvidenceInput, Scope};
use hygeia_domain::FieldError;
use hygeia_domain::evidence::human_size;
use hygeia_domain::ids::OrgId;
use hygeia_domain::page::PageRequest;
use hygeia_domain::permissions::Permission;
use hygeia_store::model::Session;
use serde::Deserialize;

#[derive(Deserialize)]
pub(super) struct ListQuery {
    #[serde(default)]
    q: String,
    offset: Option<u64>,
    added: Option<String>,
}

/// What the add form was sent with, to show again beside its errors.
#[derive(Default)]
pub(crate) struct AddValues {
    pub title: String,
    pub review_by: String,
    pub url: String,
    pub note: String,
}

#[derive(Template)]
#[template(path = "orgs/evidence_list.html")]
struct LibraryPage {
    layout: Layout,
    errors: Errors,
    org_id: OrgId,
    rows: Vec<ItemRow>,
    total: u64,
    q: String,
    q_encoded: String,
    next_offset: Option<u64>,
    can_add: bool,
    limit: String,
    v: AddValues,
}

async fn render(
    state: &AppState,
    scope: &Scope,
    session: &Session,
    q: ListQuery,
    status: StatusCode,
    errors: Vec<FieldError>,
    v: AddValues,
) -> Result<Response, PageError> {
    let found = state
        .core
        .evidence_page(scope, &q.q, PageRequest::new(Some(50), q.offset))
        .await?;
    let org = scope.org.id.to_string();
    let notice = q.added.as_ref().map(|_| "Evidence added.");
    Ok(page(
        status,
        &LibraryPage {
            layout: Layout::for_scope("Evidence", scope, session, Section::Evidence).with_notice(notice),
            errors: Errors::from(errors),
            org_id: scope.org.id,
            next_offset: found.next_offset(),
            total: found.total,
            rows: found.items.iter().map(|r| item_row(&org, r)).collect(),
            q_encoded: form_urlencoded::byte_serialize(q.q.as_bytes()).collect(),
            q: q.q,
            can_add: scope.allows(Permission::EvidenceManage),
            limit: human_size(state.core.max_evidence_bytes()),
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
        q,
        StatusCode::OK,
        Vec::new(),
        AddValues::default(),
    )
    .await
}

pub(super) async fn add(
    State(state): State<AppState>,
    signed_in: SignedIn,
    Path(org_id): Path<String>,
    multipart: Result<Multipart, MultipartRejection>,
) -> Result<Response, PageError> {
    let scope = state.core.scope(&signed_in.actor, parse_id::<OrgId>(&org_id)?).await?;
    let empty = ListQuery {
        q: String::new(),
        offset: None,
        added: None,
    };
    let mut form = match read_upload(&state.core, &scope, crate::files::multipart(multipart)?, "file").await {
        Ok(form) => form,
        Err(e) => {
            let (status, errors) = form_errors(e)?;
            return render(
                &state,
                &scope,
                &signed_in.session,
                empty,
                status,
                errors,
                AddValues::default(),
            )
            .await;
        }
    };
    check_csrf(&form, &signed_in.session)?;
    let v = AddValues {
        title: form.val("title"),
        review_by: form.val("review_by"),
        url: form.val("url"),
        note: form.val("note"),
    };
    let result = match content_of(&mut form, "") {
        Ok(content) => {
            state
                .core
                .add_evidence(
                    &scope,
                    EvidenceInput {
                        title: v.title.clone(),
                        review_by: v.review_by.clone(),
                        content,
                        link: None,
                    },
                )
                .await
        }
        Err(e) => Err(e),
    };
    match result {
        Ok(id) => Ok(Redirect::to(&format!("/orgs/{}/evidence/{id}?added=1", scope.org.id)).into_response()),
        Err(e) => {
            let (status, errors) = form_errors(e)?;
            render(&state, &scope, &signed_in.session, empty, status, errors, v).await
        }
    }
}
