//! Server-rendered pages. Each module owns the pages of one feature; `layout` owns the layout
//! every page shares, and this one the router, the error pages and the helpers the pages
//! share (errors beside fields, times in the organisation's zone, ids from the path).

mod account;
mod admin;
mod alerts;
mod assessments;
pub(crate) mod assets;
mod audit;
pub(crate) mod evidence;
mod frameworks;
pub(crate) mod governance;
mod home;
mod incidents;
mod invitations;
mod members;
mod mfa;
mod notifications;
pub(crate) use notifications::notification_download;
mod layout;
mod oversight;
mod password;
mod plans;
mod settings;
mod sign_in;
mod thresholds;
mod webhook;
pub use layout::{Layout, Section};

use crate::state::AppState;
use askama::Template;
use axum::Router;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{Html, IntoResponse, Response};
use hygeia_domain::FieldError;
use hygeia_domain::roles::Role;

pub fn router() -> Router<AppState> {
    Router::new()
        .merge(sign_in::router())
        .merge(mfa::router())
        .merge(password::router())
        .merge(home::router())
        .merge(frameworks::router())
        .merge(members::router())
        .merge(incidents::router())
        .merge(notifications::router())
        .merge(plans::router())
        .merge(evidence::router())
        .merge(governance::router())
        .merge(assets::router())
        .merge(alerts::router())
        .merge(assessments::router())
        .merge(thresholds::router())
        .merge(settings::router())
        .merge(webhook::router())
        .merge(audit::router())
        .merge(account::router())
        .merge(invitations::router())
        .merge(oversight::router())
        .merge(admin::router())
}

/// Field errors of a form, for the error summary and the messages beside each field.
#[derive(Default)]
pub struct Errors {
    pub list: Vec<FieldError>,
}

impl Errors {
    pub fn from(list: Vec<FieldError>) -> Self {
        Self { list }
    }

    pub fn any(&self) -> bool {
        !self.list.is_empty()
    }

    pub fn has(&self, field: &str) -> bool {
        self.get(field).is_some()
    }

    pub fn get(&self, field: &str) -> Option<&str> {
        self.list.iter().find(|e| e.field == field).map(|e| e.message.as_str())
    }
}

/// Renders a template as a page with the given status.
pub fn page(status: StatusCode, template: &impl Template) -> Response {
    match template.render() {
        Ok(html) => (status, Html(html)).into_response(),
        Err(e) => {
            tracing::error!(error = %e, "template failed");
            (
                StatusCode::INTERNAL_SERVER_ERROR,
                "Something went wrong rendering this page.",
            )
                .into_response()
        }
    }
}

pub fn ok(template: &impl Template) -> Response {
    page(StatusCode::OK, template)
}

#[derive(Template)]
#[template(path = "error.html")]
struct ErrorPage<'a> {
    layout: Layout,
    heading: &'a str,
    detail: &'a str,
}

pub fn render_error_page(status: StatusCode, heading: &str, detail: &str) -> Response {
    let mut response = page(
        status,
        &ErrorPage {
            layout: Layout::public(heading),
            heading,
            detail,
        },
    );
    response
        .headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response
}

/// Any address that is not a page: a real 404 page (or problem+json under /api).
pub async fn not_found(uri: axum::http::Uri) -> Response {
    if uri.path().starts_with("/api/") {
        return crate::error::problem_response(
            StatusCode::NOT_FOUND,
            "not_found",
            "Not found",
            "There is no such API endpoint.".into(),
            &[],
        );
    }
    render_error_page(
        StatusCode::NOT_FOUND,
        "Page not found",
        "If you typed the web address, check it is correct. If you pasted it, check you copied all of it.",
    )
}

/// Role choices for a form: (code, label) for every role the organisation type allows.
pub fn role_choices(org_type: hygeia_domain::org::OrgType) -> Vec<(&'static str, &'static str)> {
    Role::for_org_type(org_type)
        .into_iter()
        .map(|r| (r.code(), r.label()))
        .collect()
}

/// Formats epoch milliseconds for people, in the organisation's time zone.
/// A posted form's value by name, trimmed; empty when the form does not have it.
pub(crate) fn val(form: &[(String, String)], name: &str) -> String {
    form.iter()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.trim().to_owned())
        .unwrap_or_default()
}

pub fn when(ms: i64, time_zone: &str) -> String {
    let Ok(ts) = jiff::Timestamp::from_millisecond(ms) else {
        return "-".into();
    };
    match jiff::tz::TimeZone::get(time_zone) {
        Ok(tz) => ts.to_zoned_datetime(tz).strftime("%-d %b %Y %H:%M %Z").to_string(),
        Err(_) => ts.strftime("%-d %b %Y %H:%M UTC").to_string(),
    }
}

/// Reads an id from the path; a malformed id is simply not found.
pub fn parse_id<T: std::str::FromStr>(raw: &str) -> Result<T, crate::error::PageError> {
    raw.parse()
        .map_err(|_| crate::error::PageError(hygeia_core::CoreError::NotFound))
}
