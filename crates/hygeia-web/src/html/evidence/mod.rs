//! The evidence library's pages: the library with its add form, an item with its versions
//! and links, downloads, and attaching evidence to an incident. Uploads are multipart forms
//! (see `files`), checked against the session's CSRF token once read.

mod attach;
mod item;
mod library;

use crate::error::PageError;
use crate::files::UploadForm;
use crate::state::AppState;
use axum::Router;
use axum::http::StatusCode;
use axum::routing::{get, post};
use hygeia_core::{CoreError, EvidenceContent, EvidenceRow};
use hygeia_domain::FieldError;
use hygeia_domain::evidence::{ReviewState, human_size};
use hygeia_store::model::Session;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/orgs/{org_id}/evidence", get(library::list).post(library::add))
        .route(
            "/orgs/{org_id}/evidence/{evidence_id}",
            get(item::show).post(item::update),
        )
        .route(
            "/orgs/{org_id}/evidence/{evidence_id}/versions",
            post(item::add_version),
        )
        .route(
            "/orgs/{org_id}/evidence/{evidence_id}/versions/{version}/download",
            get(item::download),
        )
        .route("/orgs/{org_id}/incidents/{incident_id}/evidence", post(attach::upload))
        .route(
            "/orgs/{org_id}/incidents/{incident_id}/evidence/link",
            post(attach::link),
        )
        .route(
            "/orgs/{org_id}/incidents/{incident_id}/evidence/{evidence_id}/unlink",
            post(attach::unlink),
        )
}

/// A row of an evidence list, ready to show.
pub(crate) struct ItemRow {
    pub id: String,
    pub title: String,
    pub kind: &'static str,
    pub what: String,
    pub version: i64,
    pub review: String,
    pub review_tag: &'static str,
    pub download: Option<String>,
    pub url: Option<String>,
}

pub(crate) fn item_row(org_id: &str, r: &EvidenceRow) -> ItemRow {
    let i = &r.item;
    let v = &i.latest;
    let (review, review_tag) = match r.review_state {
        ReviewState::NoDate => ("No review date".to_owned(), ""),
        ReviewState::Current => (format!("Review by {}", i.review_by.as_deref().unwrap_or("")), ""),
        ReviewState::DueSoon => (
            format!("Review due {}", i.review_by.as_deref().unwrap_or("")),
            "nhsuk-tag--orange",
        ),
        ReviewState::Overdue => (
            format!("Review overdue since {}", i.review_by.as_deref().unwrap_or("")),
            "nhsuk-tag--red",
        ),
    };
    let what = match (&v.file_name, &v.url, &v.note) {
        (Some(name), _, _) => format!(
            "{name} ({}, {})",
            human_size(v.size_bytes.and_then(|s| u64::try_from(s).ok()).unwrap_or(0)),
            v.media_type.as_deref().map(media_label).unwrap_or("file")
        ),
        (None, Some(url), _) => url.clone(),
        (None, None, Some(note)) => note.chars().take(120).collect(),
        _ => String::new(),
    };
    ItemRow {
        id: i.id.to_string(),
        title: i.title.clone(),
        kind: i.kind.code(),
        what,
        version: v.version,
        review,
        review_tag,
        download: v
            .sha256
            .as_ref()
            .map(|_| format!("/orgs/{org_id}/evidence/{}/versions/{}/download", i.id, v.version)),
        url: v.url.clone(),
    }
}

/// The label of a stored media type, for people.
fn media_label(mime: &str) -> &'static str {
    use hygeia_domain::evidence::sniff as s;
    for t in s::ALL {
        if t.mime == mime {
            return t.label;
        }
    }
    "file"
}

/// The content of an add or new-version form: the file if one came, else the link, else the
/// note. Field names carry `prefix` where the form shares its page with others.
pub(crate) fn content_of(form: &mut UploadForm, prefix: &str) -> Result<EvidenceContent, CoreError> {
    if let Some(file) = form.file.take() {
        return Ok(EvidenceContent::File(file));
    }
    let url = form.val(&format!("{prefix}url"));
    if !url.trim().is_empty() {
        return Ok(EvidenceContent::Link(url));
    }
    let note = form.val(&format!("{prefix}note"));
    if !note.trim().is_empty() {
        return Ok(EvidenceContent::Note(note));
    }
    Err(CoreError::field("file", "Choose a file, or give a link or a note"))
}

/// Adds the item an evidence form on another record's page posts (fields named `evidence_…`),
/// linked to that record. A form without the session's CSRF token is an error page (the outer
/// error); problems with what was typed come back (the inner one) for the page to show.
pub(crate) async fn add_posted(
    state: &crate::state::AppState,
    scope: &hygeia_core::Scope,
    session: &Session,
    multipart: axum::extract::Multipart,
    link: (hygeia_domain::evidence::LinkTarget, String),
) -> Result<Result<(), CoreError>, PageError> {
    let mut form = match crate::files::read_upload(&state.core, scope, multipart, "evidence_file").await {
        Ok(form) => form,
        Err(e) => return Ok(Err(e)),
    };
    check_csrf(&form, session)?;
    let title = form.val("evidence_title");
    let review_by = form.val("evidence_review_by");
    let content = match content_of(&mut form, "evidence_") {
        Ok(c) => c,
        Err(e) => return Ok(Err(e)),
    };
    Ok(state
        .core
        .add_evidence(
            scope,
            hygeia_core::EvidenceInput {
                title,
                review_by,
                content,
                link: Some(link),
            },
        )
        .await
        .map(|_| ()))
}

/// Refuses a multipart form without the session's CSRF token.
pub(crate) fn check_csrf(form: &UploadForm, session: &Session) -> Result<(), PageError> {
    let sent = form.val("csrf");
    if sent.is_empty() || !crate::extract::constant_time_eq(sent.as_bytes(), session.csrf_token.as_bytes()) {
        return Err(PageError(CoreError::Forbidden(
            "send a form from a page of this session",
        )));
    }
    Ok(())
}

/// Form problems as field errors with the page's status (a file over the limit is one);
/// anything else is an error page.
pub(crate) fn form_errors(e: CoreError) -> Result<(StatusCode, Vec<FieldError>), PageError> {
    match e {
        CoreError::Validation(errors) => Ok((StatusCode::UNPROCESSABLE_ENTITY, errors)),
        e @ CoreError::TooLarge { .. } => Ok((
            StatusCode::PAYLOAD_TOO_LARGE,
            vec![FieldError::new("file", crate::error::public_detail(&e))],
        )),
        other => Err(other.into()),
    }
}
