//! The framework library: every framework version, and one version's tree of nodes. Shared by
//! all organisations, so any signed-in person may read it.
//!
//! This module lists the library and imports into it; `version` shows one version's tree,
//! `profiles` edits a version's target profiles.

mod profiles;
mod version;

use super::{Errors, Layout, Section, page, when};
use crate::error::PageError;
use crate::extract::SignedIn;
use crate::state::AppState;
use askama::Template;
use axum::Router;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use hygeia_core::CoreError;
use hygeia_core::mappings::MappingSummary;
use hygeia_domain::FieldError;
use hygeia_store::model::StoredFramework;
use profiles::{edit_profile, save_profile};
use version::show;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/frameworks", get(list))
        .route("/frameworks/import", axum::routing::post(import))
        .route("/frameworks/{key}/{version}", get(show))
        .route(
            "/frameworks/{key}/{version}/profiles/{profile}",
            get(edit_profile).post(save_profile),
        )
}

#[derive(Template)]
#[template(path = "frameworks.html")]
struct LibraryPage {
    layout: Layout,
    errors: Errors,
    can_import: bool,
    key: String,
    rows: Vec<(StoredFramework, String)>,
    mappings: Vec<MappingSummary>,
}

async fn list(State(state): State<AppState>, signed_in: SignedIn) -> Result<Response, PageError> {
    render_library(&state, &signed_in, StatusCode::OK, Vec::new(), String::new()).await
}

async fn render_library(
    state: &AppState,
    signed_in: &SignedIn,
    status: StatusCode,
    errors: Vec<FieldError>,
    key: String,
) -> Result<Response, PageError> {
    let rows = state
        .core
        .frameworks()
        .await?
        .into_iter()
        .map(|f| {
            let at = when(f.imported_at, "Europe/London");
            (f, at)
        })
        .collect();
    Ok(page(
        status,
        &LibraryPage {
            layout: Layout::signed_in(
                "Framework library",
                &signed_in.actor.user,
                &signed_in.session,
                Section::Account,
            ),
            errors: Errors::from(errors),
            can_import: signed_in.actor.user.is_platform_admin && !signed_in.actor.read_only(),
            key,
            rows,
            mappings: state.core.mappings().await?,
        },
    ))
}

/// A framework or mapping file uploaded by a platform administrator: told apart by content
/// like `hygeia framework import`, all of it or nothing; problems come back on the page.
async fn import(
    State(state): State<AppState>,
    signed_in: SignedIn,
    multipart: Result<axum::extract::Multipart, axum::extract::multipart::MultipartRejection>,
) -> Result<Response, PageError> {
    let mut body = crate::files::multipart(multipart)?;
    let unreadable =
        |e: axum::extract::multipart::MultipartError| CoreError::field("file", &format!("could not be read ({e})"));
    let (mut csrf, mut key, mut name, mut bytes) = (String::new(), String::new(), String::new(), Vec::new());
    while let Some(mut field) = body.next_field().await.map_err(unreadable)? {
        match field.name() {
            Some("csrf") => csrf = field.text().await.map_err(unreadable)?,
            Some("key") => key = field.text().await.map_err(unreadable)?.trim().to_owned(),
            Some("file") => {
                name = field.file_name().unwrap_or("upload").to_owned();
                while let Some(chunk) = field.chunk().await.map_err(unreadable)? {
                    if bytes.len() + chunk.len() > hygeia_core::frameworks::MAX_FRAMEWORK_BYTES {
                        return Err(PageError(CoreError::TooLarge {
                            limit_bytes: hygeia_core::frameworks::MAX_FRAMEWORK_BYTES as u64,
                        }));
                    }
                    bytes.extend_from_slice(&chunk);
                }
            }
            _ => {}
        }
    }
    if csrf.is_empty() || !crate::extract::constant_time_eq(csrf.as_bytes(), signed_in.session.csrf_token.as_bytes()) {
        return Err(PageError(CoreError::Forbidden(
            "send a form from a page of this session",
        )));
    }
    let Ok(text) = String::from_utf8(bytes) else {
        let errors = vec![FieldError::new("file", "is not UTF-8 text")];
        return render_library(&state, &signed_in, StatusCode::UNPROCESSABLE_ENTITY, errors, key).await;
    };
    if text.trim().is_empty() {
        let errors = vec![FieldError::new("file", "choose a file to import")];
        return render_library(&state, &signed_in, StatusCode::UNPROCESSABLE_ENTITY, errors, key).await;
    }
    let actor = Some(&signed_in.actor);
    let is_mapping = hygeia_domain::assessments::library_format::detect(&text)
        == Some(hygeia_domain::assessments::library_format::FileKind::Mapping);
    let done = if is_mapping {
        state
            .core
            .import_mapping(actor, &name, &text)
            .await
            .map(|_| "/frameworks#mappings".to_owned())
    } else {
        let key = Some(key.as_str()).filter(|k| !k.is_empty());
        state
            .core
            .import_framework(actor, &name, &text, key)
            .await
            .map(|f| format!("/frameworks/{}/{}", f.key, f.version))
    };
    match done {
        Ok(to) => Ok(Redirect::to(&to).into_response()),
        Err(CoreError::Validation(errors)) => {
            // The import names the file and place; the form shows it against the file input.
            let errors = errors
                .into_iter()
                .map(|e| FieldError::new("file", format!("{} {}", e.field, e.message)))
                .collect();
            render_library(&state, &signed_in, StatusCode::UNPROCESSABLE_ENTITY, errors, key).await
        }
        Err(CoreError::Conflict(m)) => {
            render_library(
                &state,
                &signed_in,
                StatusCode::CONFLICT,
                vec![FieldError::new("file", m)],
                key,
            )
            .await
        }
        Err(e) => Err(PageError(e)),
    }
}
