//! Notification pages: writing and submitting a stage's report, a sent report with the
//! regulator's reviews, and the regulator's inbox with its review form.

use super::{Errors, Layout, Section, ok, page, parse_id, when};
use crate::error::PageError;
use crate::extract::{CsrfForm, SignedIn};
use crate::state::AppState;
use askama::Template;
use axum::Router;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use hygeia_core::{CoreError, NotificationDraft, NotificationView, Scope};
use hygeia_domain::FieldError;
use hygeia_domain::ids::{IncidentId, NotificationId, OrgId};
use hygeia_domain::incidents::notification::ReviewStatus;
use hygeia_domain::page::PageRequest;
use hygeia_domain::permissions::Permission;
use hygeia_store::model::Session;
use serde::Deserialize;

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

/// The prefix of the form fields that carry a report's contents (`field:operator_name`).
const FIELD: &str = "field:";

struct FieldRow {
    code: &'static str,
    label: &'static str,
    value: String,
    error: Option<String>,
}

#[derive(Template)]
#[template(path = "orgs/notify.html")]
struct NotifyPage {
    layout: Layout,
    errors: Errors,
    org_id: OrgId,
    incident_id: IncidentId,
    reference: String,
    regime: &'static str,
    regime_title: String,
    stage: String,
    stage_title: String,
    source: String,
    due: String,
    late: bool,
    previous_version: Option<u32>,
    fields: Vec<FieldRow>,
    late_reason: String,
}

fn notify_page(
    scope: &Scope,
    session: &Session,
    d: NotificationDraft,
    values: Option<&[(String, String)]>,
    late_reason: String,
    errors: Vec<FieldError>,
) -> NotifyPage {
    let fields = d
        .entries
        .iter()
        .map(|e| FieldRow {
            code: e.field.code(),
            label: e.field.label(),
            value: values
                .and_then(|v| v.iter().find(|(k, _)| k == e.field.code()).map(|(_, v)| v.clone()))
                .unwrap_or_else(|| e.value.clone()),
            error: errors
                .iter()
                .find(|x| x.field == e.field.code())
                .map(|x| x.message.clone()),
        })
        .collect();
    let errors = errors
        .into_iter()
        .map(|e| {
            let label = hygeia_domain::incidents::regimes::ContentField::parse(&e.field, "field")
                .map(|f| f.label())
                .unwrap_or(if e.field == "late_reason" {
                    "Reason for the late report"
                } else {
                    ""
                });
            FieldError::new(e.field, format!("{label} {}", e.message).trim().to_owned())
        })
        .collect();
    NotifyPage {
        layout: Layout::for_scope("Prepare a notification", scope, session, Section::Incidents),
        errors: Errors::from(errors),
        org_id: scope.org.id,
        incident_id: d.incident.id,
        reference: d.incident.reference.clone(),
        regime: d.regime.code(),
        regime_title: d.regime_title,
        stage: d.stage.code.clone(),
        stage_title: d.stage.title.clone(),
        source: d.stage.source.title.clone(),
        due: d
            .due_at
            .map_or_else(|| "when asked".to_owned(), |t| when(t, &scope.org.time_zone)),
        late: d.late,
        previous_version: d.previous.map(|p| p.version),
        fields,
        late_reason,
    }
}

/// Which report to write. Missing parts are not a malformed request but a report that does
/// not exist: the page answers 404 after the organisation check, like any other unknown id.
#[derive(Deserialize)]
struct StageQuery {
    #[serde(default)]
    regime: String,
    #[serde(default)]
    stage: String,
}

async fn notify_form(
    State(state): State<AppState>,
    signed_in: SignedIn,
    Path((org_id, incident_id)): Path<(String, String)>,
    Query(q): Query<StageQuery>,
) -> Result<Response, PageError> {
    let scope = state.core.scope(&signed_in.actor, parse_id::<OrgId>(&org_id)?).await?;
    let id = parse_id::<IncidentId>(&incident_id)?;
    let d = match state.core.notification_draft(&scope, id, &q.regime, &q.stage).await {
        Ok(d) => d,
        // A regime or stage that does not apply is, for a page address, not found.
        Err(CoreError::Validation(_)) => return Err(CoreError::NotFound.into()),
        Err(e) => return Err(e.into()),
    };
    Ok(ok(&notify_page(
        &scope,
        &signed_in.session,
        d,
        None,
        String::new(),
        Vec::new(),
    )))
}

async fn submit(
    State(state): State<AppState>,
    Path((org_id, incident_id)): Path<(String, String)>,
    form: CsrfForm<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let scope = state.core.scope(&form.actor, parse_id::<OrgId>(&org_id)?).await?;
    let id = parse_id::<IncidentId>(&incident_id)?;
    let get = |k: &str| {
        form.form
            .iter()
            .find(|(key, _)| key == k)
            .map(|(_, v)| v.clone())
            .unwrap_or_default()
    };
    let (regime, stage, late_reason) = (get("regime"), get("stage"), get("late_reason"));
    let values: Vec<(String, String)> = form
        .form
        .iter()
        .filter_map(|(k, v)| k.strip_prefix(FIELD).map(|code| (code.to_owned(), v.clone())))
        .collect();
    match state
        .core
        .submit_notification(&scope, id, &regime, &stage, &values, &late_reason)
        .await
    {
        Ok(n) => {
            Ok(Redirect::to(&format!("/orgs/{}/notifications/{}?submitted=1", scope.org.id, n.id)).into_response())
        }
        Err(CoreError::Validation(errors)) => {
            let d = match state.core.notification_draft(&scope, id, &regime, &stage).await {
                Ok(d) => d,
                Err(CoreError::Validation(_)) => return Err(CoreError::NotFound.into()),
                Err(e) => return Err(e.into()),
            };
            Ok(page(
                StatusCode::UNPROCESSABLE_ENTITY,
                &notify_page(&scope, &form.session, d, Some(&values), late_reason, errors),
            ))
        }
        Err(e) => Err(e.into()),
    }
}

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
struct AskValues {
    stage: String,
    due_at: String,
    message: String,
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
struct Shown {
    status: StatusCode,
    errors: Vec<FieldError>,
    message: String,
    ask: AskValues,
    notice: Option<&'static str>,
}

impl Shown {
    fn notice(notice: Option<&'static str>) -> Self {
        Shown {
            status: StatusCode::OK,
            errors: Vec::new(),
            message: String::new(),
            ask: AskValues::default(),
            notice,
        }
    }

    fn invalid(errors: Vec<FieldError>) -> Self {
        Shown {
            status: StatusCode::UNPROCESSABLE_ENTITY,
            errors,
            ..Shown::notice(None)
        }
    }
}

/// The received notification's page with the requests made on it.
async fn received_page(
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
struct Notice {
    submitted: Option<String>,
    reviewed: Option<String>,
    requested: Option<String>,
}

async fn sent(
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

async fn received(
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

async fn sent_pdf(
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

async fn received_pdf(
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

/// The regulator asks for a report the regime asks for on request.
async fn ask(
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
    let due = super::incidents::parse_local(&values.due_at, &zone, "due_at", &mut errors);
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

async fn review(
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
struct Offset {
    offset: Option<u64>,
}

async fn inbox(
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
