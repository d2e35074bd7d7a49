//! Notification pages: writing and submitting a stage's report, a sent report with the
//! regulator's reviews, and the regulator's inbox with its review form.
//!
//! `compose` writes and submits a report, `view` shows a sent or received one (and its PDF),
//! `regulator` is the inbox and what the regulator does with a report: review it, or ask for
//! another.

mod compose;
mod regulator;
mod view;

pub(crate) use view::notification_download;

use crate::state::AppState;
use axum::Router;
use axum::routing::{get, post};
use compose::{notify_form, submit};
use regulator::{ask, inbox, review};
use view::{received, received_pdf, sent, sent_pdf};

pub fn router() -> Router<AppState> {
    Router::new()
        .route(
            "/orgs/{org_id}/incidents/{incident_id}/notify",
            get(notify_form).post(submit),
        )
        .route("/orgs/{org_id}/notifications/{notification_id}", get(sent))
        .route("/orgs/{org_id}/notifications/{notification_id}/pdf", get(sent_pdf))
        .route("/orgs/{org_id}/inbox/{notification_id}/pdf", get(received_pdf))
        .route("/orgs/{org_id}/inbox", get(inbox))
        .route("/orgs/{org_id}/inbox/{notification_id}", get(received))
        .route("/orgs/{org_id}/inbox/{notification_id}/review", post(review))
        .route("/orgs/{org_id}/inbox/{notification_id}/requests", post(ask))
}
