//! Mail in the outbox, and webhooks with their deliveries.

use super::Notification;
use hygeia_domain::ids::*;
use serde::Serialize;

/// A message in the outbox.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Mail {
    pub id: MailId,
    pub recipient: String,
    pub subject: String,
    pub body: String,
    pub created_at: i64,
    pub attempts: i64,
}

/// An organisation's webhook for its notifications.
#[derive(Debug, Clone, PartialEq)]
pub struct Webhook {
    pub url: String,
    /// Signs each delivery; shown to the organisation once, never logged.
    pub secret: String,
    pub updated_by: String,
    pub updated_at: i64,
}

/// One delivery of an event to a webhook, with where its attempts stand.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct WebhookDelivery {
    pub id: hygeia_domain::ids::DeliveryId,
    pub org_id: OrgId,
    pub notification_id: NotificationId,
    /// `notification.submitted`.
    pub event: String,
    pub url: String,
    #[serde(skip)]
    pub body: String,
    pub created_at: i64,
    pub attempts: i64,
    pub last_attempt_at: Option<i64>,
    pub last_status: Option<i64>,
    pub last_error: Option<String>,
    pub delivered_at: Option<i64>,
}

/// What else a submission sends, composed from the stored notification (its version and
/// digest are settled inside the write).
#[derive(Clone, Copy, Default)]
pub struct Deliveries<'a> {
    pub mail: Option<&'a (dyn Fn(&Notification) -> Mail + Sync)>,
    pub webhook: Option<&'a (dyn Fn(&Notification) -> WebhookDelivery + Sync)>,
}
