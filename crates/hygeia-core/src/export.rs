//! The notification export, `hygeia.notification/v1` (documented in
//! `docs/notification-schema.md`): what a sender or regulator downloads, and the body of a
//! webhook delivery. One definition, so the two cannot drift apart.

use crate::NotificationView;
use hygeia_domain::incidents::notification::EXPORT_SCHEMA;
use hygeia_store::model::Notification;
use serde::Serialize;
use utoipa::ToSchema;
use uuid::Uuid;

/// RFC 3339 UTC time from epoch milliseconds.
pub fn time(ms: i64) -> String {
    jiff::Timestamp::from_millisecond(ms)
        .map(|t| t.to_string())
        .unwrap_or_default()
}

#[derive(Serialize, ToSchema)]
pub struct NotificationDto {
    pub id: Uuid,
    pub incident_id: Uuid,
    pub regime: String,
    pub stage: String,
    pub version: u32,
    pub previous_id: Option<Uuid>,
    pub due_at: Option<String>,
    pub submitted_at: String,
    pub on_time: bool,
    /// submitted, received, accepted or revision_requested.
    pub review_status: String,
    /// SHA-256 of the canonical contents (see the export schema).
    pub digest: String,
}

impl From<Notification> for NotificationDto {
    fn from(n: Notification) -> Self {
        NotificationDto {
            id: n.id.0,
            incident_id: n.incident_id.0,
            regime: n.regime.code().into(),
            stage: n.stage,
            version: n.version,
            previous_id: n.previous_id.map(|p| p.0),
            due_at: n.due_at.map(time),
            submitted_at: time(n.submitted_at),
            on_time: n.on_time,
            review_status: n.review_status.code().into(),
            digest: n.digest,
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct ExportField {
    pub field: String,
    pub label: String,
    pub value: String,
}

#[derive(Serialize, ToSchema)]
pub struct ExportReview {
    pub status: String,
    pub message: String,
    pub reviewed_by: String,
    pub at: String,
}

/// A notification as exported: everything needed to read it and check its digest.
#[derive(Serialize, ToSchema)]
pub struct NotificationExport {
    /// Always `hygeia.notification/v1` for this format.
    pub schema: String,
    pub notification: NotificationDto,
    pub stage_title: String,
    pub sender: String,
    pub incident_reference: String,
    pub incident_title: String,
    pub submitted_by: String,
    pub late_reason: String,
    /// In the order the regime lists them; the digest is computed over this order.
    pub fields: Vec<ExportField>,
    pub reviews: Vec<ExportReview>,
}

impl From<NotificationView> for NotificationExport {
    fn from(v: NotificationView) -> Self {
        let n = v.notification;
        NotificationExport {
            schema: EXPORT_SCHEMA.into(),
            stage_title: v.stage_title,
            sender: v.sender_name,
            incident_reference: v.incident_reference,
            incident_title: v.incident_title,
            submitted_by: n.submitted_by.clone(),
            late_reason: n.late_reason.clone(),
            fields: n
                .entries
                .iter()
                .map(|e| ExportField {
                    field: e.field.code().into(),
                    label: e.field.label().into(),
                    value: e.value.clone(),
                })
                .collect(),
            reviews: v
                .reviews
                .into_iter()
                .map(|r| ExportReview {
                    status: r.status.code().into(),
                    message: r.message,
                    reviewed_by: r.reviewed_by,
                    at: time(r.at),
                })
                .collect(),
            notification: n.into(),
        }
    }
}
