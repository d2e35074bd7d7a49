//! The asset register's pages: the register with its import form and dry run, one asset,
//! the unsupported systems report with its plans and acceptances, and the sector census.

mod census;
mod form;
mod register;
mod unsupported;

use crate::error::PageError;
use crate::state::AppState;
use axum::Router;
use axum::routing::{get, post};
use hygeia_core::CoreError;
use hygeia_domain::assets::lifecycle::Support;
use hygeia_store::model::Session;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/orgs/{org_id}/assets", get(register::list))
        .route("/orgs/{org_id}/assets/import", post(register::import))
        .route("/orgs/{org_id}/assets/new", get(form::new).post(form::save))
        .route("/orgs/{org_id}/assets/{asset_id}/edit", get(form::edit))
        .route("/orgs/{org_id}/assets/export.csv", get(register::export))
        .route("/orgs/{org_id}/assets/{asset_id}", get(register::show))
        .route("/orgs/{org_id}/assets/{asset_id}/delete", post(register::delete))
        .route(
            "/orgs/{org_id}/unsupported",
            get(unsupported::report).post(unsupported::treat),
        )
        .route("/orgs/{org_id}/census", get(census::census))
}

/// The tag class and words of a support status.
pub(crate) fn support_tag(s: Support) -> (&'static str, &'static str) {
    match s {
        Support::Unsupported => ("nhsuk-tag--red", s.label()),
        Support::ExtendedSupport => ("nhsuk-tag--orange", s.label()),
        Support::EndingSoon => ("nhsuk-tag--yellow", s.label()),
        Support::Supported => ("nhsuk-tag--green", s.label()),
        Support::Unknown => ("nhsuk-tag--grey", s.label()),
    }
}

/// A text upload from a page form: its fields, its file name and its text, refused before it
/// is read whole when it passes `limit`, and refused without the session's form token.
pub(crate) async fn read_upload(
    multipart: Result<axum::extract::Multipart, axum::extract::multipart::MultipartRejection>,
    session: &Session,
    limit: u64,
) -> Result<(Vec<(String, String)>, String, String), PageError> {
    let mut body = crate::files::multipart(multipart)?;
    let unreadable =
        |e: axum::extract::multipart::MultipartError| CoreError::field("file", &format!("could not be read ({e})"));
    let (mut fields, mut name, mut bytes) = (Vec::new(), String::new(), Vec::new());
    while let Some(mut field) = body.next_field().await.map_err(unreadable)? {
        let key = field.name().unwrap_or_default().to_owned();
        if key == "file" {
            name = field.file_name().unwrap_or("upload").to_owned();
            while let Some(chunk) = field.chunk().await.map_err(unreadable)? {
                if (bytes.len() + chunk.len()) as u64 > limit {
                    return Err(PageError(CoreError::TooLarge { limit_bytes: limit }));
                }
                bytes.extend_from_slice(&chunk);
            }
        } else {
            let text = field.text().await.map_err(unreadable)?;
            fields.push((key, text));
        }
    }
    let csrf = fields
        .iter()
        .find(|(k, _)| k == "csrf")
        .map(|(_, v)| v.as_str())
        .unwrap_or("");
    if csrf.is_empty() || !crate::extract::constant_time_eq(csrf.as_bytes(), session.csrf_token.as_bytes()) {
        return Err(PageError(CoreError::Forbidden(
            "send a form from a page of this session",
        )));
    }
    let text = String::from_utf8(bytes).map_err(|_| CoreError::field("file", "is not UTF-8 text"))?;
    Ok((fields, name, text))
}
