//! A sent report with the regulator's reviews, a received one as the regulator sees it,
//! and either as a PDF.

use super::super::{Errors, Layout, Section, ok, page, parse_id, when};
use crate::error::PageError;
use crate::extract::SignedIn;
use crate::state::AppState;
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use hygeia_core::{NotificationView, Scope};
use hygeia_domain::FieldError;
use hygeia_domain::ids::{NotificationId, OrgId};
use hygeia_domain::permissions::Permission;
use hygeia_store::model::Session;
use serde::Deserialize;

struct ReviewRow {
    at: String,
    by: String,
    status: &'static str,
    message: String,
}

#[derive(Template)]
#[template(path = "orgs/notification.html")]
struct NotificationPage {
    layout: Layout,
    errors: Errors,
    org_id: OrgId,
    /// As the regulator sees it (from the inbox) rather than as its sender.
    received: bool,
    can_review: bool,
    id: NotificationId,
    incident_link: Option<String>,
    sender: String,
    reference: String,
    incident_title: String,
    regime: &'static str,
    stage_title: String,
    version: u32,
    submitted: String,
    submitted_by: String,
    due: String,
    on_time: bool,
    late_reason: String,
    status: &'static str,
    digest: String,
    fields: Vec<(&'static str, String)>,
    reviews: Vec<ReviewRow>,
    message: String,
    /// For the regulator: awareness-time changes since submission, which move deadlines.
    awareness: Vec<String>,
    /// For the regulator: reports asked for on this notification, and what it may ask for.
    requests: Vec<String>,
    requestable: Vec<(String, String)>,
    ask: AskValues,
}

/// The request form's values, kept beside its errors.
#[derive(Default)]
pub(super) struct AskValues {
    pub(super) stage: String,
    pub(super) due_at: String,
    pub(super) message: String,
}

fn notification_page(
    scope: &Scope,
    session: &Session,
    v: NotificationView,
    received: bool,
    errors: Vec<FieldError>,
    message: String,
    notice: Option<&str>,
) -> NotificationPage {
    let zone = &scope.org.time_zone;
    let n = v.notification;
    NotificationPage {
        layout: Layout::for_scope(
            "Notification",
            scope,
            session,
            if received { Section::Inbox } else { Section::Incidents },
        )
        .with_notice(notice),
        errors: Errors::from(errors),
        org_id: scope.org.id,
        received,
        can_review: received && scope.allows(Permission::NotificationsReview),
        id: n.id,
        incident_link: (!received).then(|| format!("/orgs/{}/incidents/{}", scope.org.id, n.incident_id)),
        sender: v.sender_name,
        reference: v.incident_reference,
        incident_title: v.incident_title,
        regime: n.regime.label(),
        stage_title: v.stage_title,
        version: n.version,
        submitted: when(n.submitted_at, zone),
        submitted_by: n.submitted_by.clone(),
        due: n.due_at.map_or_else(|| "when asked".to_owned(), |t| when(t, zone)),
        on_time: n.on_time,
        late_reason: n.late_reason.clone(),
        status: n.review_status.label(),
        digest: n.digest.clone(),
        fields: n.entries.iter().map(|e| (e.field.label(), e.value.clone())).collect(),
        reviews: v
            .reviews
            .into_iter()
            .map(|r| ReviewRow {
                at: when(r.at, zone),
                by: r.reviewed_by,
                status: r.status.label(),
                message: r.message,
            })
            .collect(),
        message,
        awareness: v
            .awareness_changes
            .into_iter()
            .map(|(at, by, what)| format!("{} ({}, {by})", what, when(at, zone)))
            .collect(),
        requests: Vec::new(),
        requestable: if received && scope.allows(Permission::NotificationsReview) {
            hygeia_core::requestable_stages(n.regime)
        } else {
            Vec::new()
        },
        ask: AskValues::default(),
    }
}

/// What a received notification's page shows besides the notification: a form's errors and
/// values, or a notice.
pub(super) struct Shown {
    pub(super) status: StatusCode,
    pub(super) errors: Vec<FieldError>,
    pub(super) message: String,
    pub(super) ask: AskValues,
    pub(super) notice: Option<&'static str>,
}

impl Shown {
    pub(super) fn notice(notice: Option<&'static str>) -> Self {
        Shown {
            status: StatusCode::OK,
            errors: Vec::new(),
            message: String::new(),
            ask: AskValues::default(),
            notice,
        }
    }

    pub(super) fn invalid(errors: Vec<FieldError>) -> Self {
        Shown {
            status: StatusCode::UNPROCESSABLE_ENTITY,
            errors,
            ..Shown::notice(None)
        }
    }
}

/// The received notification's page with the requests made on it.
pub(super) async fn received_page(
    state: &AppState,
    scope: &Scope,
    session: &Session,
    id: NotificationId,
    shown: Shown,
) -> Result<Response, PageError> {
    let Shown {
        status,
        errors,
        message,
        ask,
        notice,
    } = shown;
    let v = state.core.received_notification(scope, id).await?;
    let zone = &scope.org.time_zone;
    let requests = state
        .core
        .requests_on(scope, id)
        .await?
        .into_iter()
        .map(|r| {
            format!(
                "{} by {}, asked {} by {}{}",
                r.stage,
                when(r.due_at, zone),
                when(r.requested_at, zone),
                r.requested_by,
                if r.message.is_empty() {
                    String::new()
                } else {
                    format!(": {}", r.message)
                }
            )
        })
        .collect();
    let mut p = notification_page(scope, session, v, true, errors, message, notice);
    p.requests = requests;
    p.ask = ask;
    Ok(page(status, &p))
}

#[derive(Deserialize)]
pub(super) struct Notice {
    submitted: Option<String>,
    reviewed: Option<String>,
    requested: Option<String>,
}

pub(super) async fn sent(
    State(state): State<AppState>,
    signed_in: SignedIn,
    Path((org_id, notification_id)): Path<(String, String)>,
    Query(q): Query<Notice>,
) -> Result<Response, PageError> {
    let scope = state.core.scope(&signed_in.actor, parse_id::<OrgId>(&org_id)?).await?;
    let v = state
        .core
        .sent_notification(&scope, parse_id::<NotificationId>(&notification_id)?)
        .await?;
    let notice = q
        .submitted
        .is_some()
        .then_some("The notification was submitted. It cannot be changed; send an update if something changes.");
    Ok(ok(&notification_page(
        &scope,
        &signed_in.session,
        v,
        false,
        Vec::new(),
        String::new(),
        notice,
    )))
}

pub(super) async fn received(
    State(state): State<AppState>,
    signed_in: SignedIn,
    Path((org_id, notification_id)): Path<(String, String)>,
    Query(q): Query<Notice>,
) -> Result<Response, PageError> {
    let scope = state.core.scope(&signed_in.actor, parse_id::<OrgId>(&org_id)?).await?;
    let id = parse_id::<NotificationId>(&notification_id)?;
    let notice = match (q.reviewed, q.requested) {
        (Some(_), _) => Some("The review was recorded and the organisation can see it."),
        (_, Some(_)) => Some("The request was sent: the organisation sees it on the incident, with a deadline."),
        _ => None,
    };
    received_page(&state, &scope, &signed_in.session, id, Shown::notice(notice)).await
}

pub(super) async fn sent_pdf(
    State(state): State<AppState>,
    signed_in: SignedIn,
    Path((org_id, notification_id)): Path<(String, String)>,
) -> Result<Response, PageError> {
    let scope = state.core.scope(&signed_in.actor, parse_id::<OrgId>(&org_id)?).await?;
    let v = state
        .core
        .sent_notification(&scope, parse_id::<NotificationId>(&notification_id)?)
        .await?;
    Ok(notification_download(&v, &scope))
}

pub(super) async fn received_pdf(
    State(state): State<AppState>,
    signed_in: SignedIn,
    Path((org_id, notification_id)): Path<(String, String)>,
) -> Result<Response, PageError> {
    let scope = state.core.scope(&signed_in.actor, parse_id::<OrgId>(&org_id)?).await?;
    let v = state
        .core
        .received_notification(&scope, parse_id::<NotificationId>(&notification_id)?)
        .await?;
    Ok(notification_download(&v, &scope))
}

pub(crate) fn notification_download(v: &NotificationView, scope: &Scope) -> Response {
    let name = format!(
        "{}-{}-{}-v{}.pdf",
        v.incident_reference,
        v.notification.regime.code(),
        v.notification.stage,
        v.notification.version
    );
    crate::documents::pdf_response(crate::documents::notification_pdf(v, &scope.org.time_zone), &name)
}
