//! The regulator's inbox, its review of a report, and its request for a report the regime
//! asks for on request.

use super::super::{Layout, Section, ok, parse_id, when};
use super::view::{AskValues, Shown, received_page};
use crate::error::PageError;
use crate::extract::{CsrfForm, SignedIn};
use crate::state::AppState;
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use hygeia_core::CoreError;
use hygeia_domain::FieldError;
use hygeia_domain::ids::{NotificationId, OrgId};
use hygeia_domain::incidents::notification::ReviewStatus;
use hygeia_domain::page::PageRequest;
use serde::Deserialize;

/// The regulator asks for a report the regime asks for on request.
pub(super) async fn ask(
    State(state): State<AppState>,
    Path((org_id, notification_id)): Path<(String, String)>,
    form: CsrfForm<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let scope = state.core.scope(&form.actor, parse_id::<OrgId>(&org_id)?).await?;
    let id = parse_id::<NotificationId>(&notification_id)?;
    let get = |k: &str| {
        form.form
            .iter()
            .find(|(key, _)| key == k)
            .map(|(_, v)| v.trim().to_owned())
            .unwrap_or_default()
    };
    let values = AskValues {
        stage: get("stage"),
        due_at: get("due_at"),
        message: get("request_message"),
    };
    let mut errors = Vec::new();
    let zone = jiff::tz::TimeZone::get(&scope.org.time_zone).unwrap_or(jiff::tz::TimeZone::UTC);
    let due = super::super::incidents::parse_local(&values.due_at, &zone, "due_at", &mut errors);
    let result = if errors.is_empty() {
        state
            .core
            .request_report(&scope, id, &values.stage, due, &values.message)
            .await
            .map(|_| ())
    } else {
        Err(CoreError::Validation(errors))
    };
    match result {
        Ok(()) => Ok(Redirect::to(&format!("/orgs/{}/inbox/{id}?requested=1", scope.org.id)).into_response()),
        Err(CoreError::Validation(errors)) => {
            let errors = errors
                .into_iter()
                .map(|e| {
                    let (field, label) = match e.field.as_str() {
                        "due_at" => ("due_at", "Deadline"),
                        "message" => ("request_message", "Message"),
                        _ => ("stage", "Report"),
                    };
                    FieldError::new(field, format!("{label} {}", e.message))
                })
                .collect();
            received_page(
                &state,
                &scope,
                &form.session,
                id,
                Shown {
                    ask: values,
                    ..Shown::invalid(errors)
                },
            )
            .await
        }
        Err(e) => Err(e.into()),
    }
}

pub(super) async fn review(
    State(state): State<AppState>,
    Path((org_id, notification_id)): Path<(String, String)>,
    form: CsrfForm<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let scope = state.core.scope(&form.actor, parse_id::<OrgId>(&org_id)?).await?;
    let id = parse_id::<NotificationId>(&notification_id)?;
    let get = |k: &str| {
        form.form
            .iter()
            .find(|(key, _)| key == k)
            .map(|(_, v)| v.clone())
            .unwrap_or_default()
    };
    let (status, message) = (get("status"), get("message"));
    match state.core.review_notification(&scope, id, &status, &message).await {
        Ok(()) => Ok(Redirect::to(&format!("/orgs/{}/inbox/{id}?reviewed=1", scope.org.id)).into_response()),
        Err(CoreError::Validation(errors)) => {
            let errors = errors
                .into_iter()
                .map(|e| {
                    let label = if e.field == "message" { "Message" } else { "Review" };
                    FieldError::new(e.field, format!("{label} {}", e.message))
                })
                .collect();
            received_page(
                &state,
                &scope,
                &form.session,
                id,
                Shown {
                    message,
                    ..Shown::invalid(errors)
                },
            )
            .await
        }
        Err(e) => Err(e.into()),
    }
}

struct InboxRow {
    id: NotificationId,
    sender: String,
    reference: String,
    regime: &'static str,
    stage: String,
    version: u32,
    submitted: String,
    on_time: bool,
    status: &'static str,
    needs_review: bool,
}

#[derive(Template)]
#[template(path = "orgs/inbox.html")]
struct InboxPage {
    layout: Layout,
    org_id: OrgId,
    rows: Vec<InboxRow>,
    total: u64,
    next_offset: Option<u64>,
    records: Vec<(String, u64, u64)>,
}

#[derive(Deserialize)]
pub(super) struct Offset {
    offset: Option<u64>,
}

pub(super) async fn inbox(
    State(state): State<AppState>,
    signed_in: SignedIn,
    Path(org_id): Path<String>,
    Query(q): Query<Offset>,
) -> Result<Response, PageError> {
    let scope = state.core.scope(&signed_in.actor, parse_id::<OrgId>(&org_id)?).await?;
    let found = state.core.inbox(&scope, PageRequest::new(Some(50), q.offset)).await?;
    let records = state.core.sender_records(&scope).await?;
    let zone = &scope.org.time_zone;
    Ok(ok(&InboxPage {
        layout: Layout::for_scope("Notifications received", &scope, &signed_in.session, Section::Inbox),
        org_id: scope.org.id,
        next_offset: found.next_offset(),
        total: found.total,
        rows: found
            .items
            .into_iter()
            .map(|r| InboxRow {
                id: r.notification.id,
                sender: r.sender_name,
                reference: r.incident_reference,
                regime: r.notification.regime.label(),
                stage: r.notification.stage.clone(),
                version: r.notification.version,
                submitted: when(r.notification.submitted_at, zone),
                on_time: r.notification.on_time,
                status: r.notification.review_status.label(),
                needs_review: r.notification.review_status == ReviewStatus::Submitted,
            })
            .collect(),
        records: records.into_iter().map(|r| (r.org_name, r.on_time, r.late)).collect(),
    }))
}
