//! Signed webhooks: an organisation points Hygeia at an address of its own (its SIEM, a
//! national portal's intake, a ticketing system), and each notification it submits is POSTed
//! there as the `hygeia.notification/v1` export, signed with HMAC-SHA256 so the receiver can
//! tell it came from Hygeia unaltered. Deliveries are queued with the submission and sent by
//! the worker, with retries.

use crate::{CoreError, Hygeia, Scope};
use hmac::{KeyInit, Mac};
use hygeia_domain::ids::DeliveryId;
use hygeia_domain::permissions::Permission;
use hygeia_store::model::{Notification, Webhook, WebhookDelivery};
use serde_json::json;
use sha2::Sha256;
use std::time::Duration;
use url::Url;

/// Attempts before a delivery is given up (with the backoff below, about a day).
pub const MAX_ATTEMPTS: i64 = 12;
/// Deliveries tried per run of the worker.
const BATCH: u32 = 50;
const TIMEOUT: Duration = Duration::from_secs(10);

/// The signature header's value for a body sent at `unix_seconds`: `t=<seconds>,v1=<hex>`,
/// the MAC taken over `<seconds>.<body>` so that a captured delivery cannot be replayed
/// later with a fresh time.
pub fn signature(secret: &str, unix_seconds: i64, body: &[u8]) -> String {
    let mac = <hmac::Hmac<Sha256> as KeyInit>::new_from_slice(secret.as_bytes()).map(|mut mac| {
        mac.update(unix_seconds.to_string().as_bytes());
        mac.update(b".");
        mac.update(body);
        data_encoding::HEXLOWER.encode(&mac.finalize().into_bytes())
    });
    // HMAC takes keys of any length; the error arm is never taken.
    format!("t={unix_seconds},v1={}", mac.unwrap_or_default())
}

/// How long after its last attempt a delivery is tried again: 1, 2, 4 … minutes, at most
/// four hours.
pub fn backoff_ms(attempts: i64) -> i64 {
    let minutes = 1i64 << attempts.clamp(0, 8);
    minutes.min(240) * 60_000
}

/// The webhook setting as the organisation sees it (never the secret after it is made).
#[derive(Debug, Clone)]
pub struct WebhookView {
    pub url: String,
    pub updated_by: String,
    pub updated_at: i64,
    pub recent: Vec<WebhookDelivery>,
}

/// What one run of the worker's delivery did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct WebhookReport {
    pub delivered: u32,
    pub failed: u32,
}

fn check_url(raw: &str) -> Result<Url, CoreError> {
    let url = Url::parse(raw.trim()).map_err(|e| CoreError::field("url", &format!("is not a web address: {e}")))?;
    if !crate::http_post::allowed(&url) {
        return Err(CoreError::field(
            "url",
            "must be an https:// address (http:// only to this machine)",
        ));
    }
    if !url.username().is_empty() || url.password().is_some() {
        return Err(CoreError::field("url", "must not carry a user name or password"));
    }
    Ok(url)
}

impl Hygeia {
    /// Sets the organisation's webhook and makes a new signing secret, returned once.
    pub async fn set_webhook(&self, scope: &Scope, url: &str) -> Result<String, CoreError> {
        scope.require(Permission::OrgEdit)?;
        let url = check_url(url)?;
        let secret = format!(
            "whsec_{}",
            data_encoding::HEXLOWER.encode(&crate::secrets::random_bytes::<32>())
        );
        let hook = Webhook {
            url: url.to_string(),
            secret: secret.clone(),
            updated_by: scope.actor.label(),
            updated_at: self.now_ms(),
        };
        // The secret is not in the audit record: only that a new one was made.
        let audit = self.scope_audit(
            scope,
            "org.webhook.set",
            "org",
            scope.org_id(),
            json!({"url": hook.url, "secret": "new"}),
        );
        self.store.set_webhook(scope.org_id(), Some(&hook), &audit).await?;
        Ok(secret)
    }

    pub async fn remove_webhook(&self, scope: &Scope) -> Result<(), CoreError> {
        scope.require(Permission::OrgEdit)?;
        let audit = self.scope_audit(scope, "org.webhook.remove", "org", scope.org_id(), json!({}));
        Ok(self.store.set_webhook(scope.org_id(), None, &audit).await?)
    }

    pub async fn webhook(&self, scope: &Scope) -> Result<Option<WebhookView>, CoreError> {
        scope.require(Permission::OrgView)?;
        let Some(hook) = self.store.webhook(scope.org_id()).await? else {
            return Ok(None);
        };
        Ok(Some(WebhookView {
            url: hook.url,
            updated_by: hook.updated_by,
            updated_at: hook.updated_at,
            recent: self.store.recent_deliveries(scope.org_id(), 20).await?,
        }))
    }

    /// The delivery a submission queues when the organisation has a webhook.
    pub(crate) fn webhook_delivery(&self, hook: &Webhook, n: &Notification, body: String) -> WebhookDelivery {
        WebhookDelivery {
            id: DeliveryId(self.new_uuid()),
            org_id: n.org_id,
            notification_id: n.id,
            event: "notification.submitted".into(),
            url: hook.url.clone(),
            body,
            created_at: n.submitted_at,
            attempts: 0,
            last_attempt_at: None,
            last_status: None,
            last_error: None,
            delivered_at: None,
        }
    }

    /// Sends the deliveries that are due: signed with the organisation's current secret,
    /// delivered on any 2xx answer, tried again later otherwise. Run by the worker.
    pub async fn deliver_webhooks(&self) -> Result<WebhookReport, CoreError> {
        let mut report = WebhookReport::default();
        let now = self.now_ms();
        for (d, secret) in self.store.pending_deliveries(now, BATCH, MAX_ATTEMPTS).await? {
            let outcome = match (secret, Url::parse(&d.url)) {
                (None, _) => Err((None, "the organisation has removed its webhook".to_owned())),
                (_, Err(e)) => Err((None, format!("the address is not valid: {e}"))),
                (Some(secret), Ok(url)) => {
                    let seconds = now.div_euclid(1000);
                    let headers = [
                        ("content-type", "application/json".to_owned()),
                        ("user-agent", format!("Hygeia/{}", env!("CARGO_PKG_VERSION"))),
                        ("hygeia-event", d.event.clone()),
                        ("hygeia-delivery", d.id.to_string()),
                        ("hygeia-signature", signature(&secret, seconds, d.body.as_bytes())),
                    ];
                    match crate::http_post::post(&url, &headers, d.body.clone().into_bytes(), TIMEOUT).await {
                        Ok(status) if (200..300).contains(&status) => Ok(status),
                        Ok(status) => Err((Some(status), format!("answered {status}"))),
                        Err(why) => Err((None, why)),
                    }
                }
            };
            match outcome {
                Ok(status) => {
                    report.delivered += 1;
                    self.store
                        .delivery_attempted(d.id, now, Some(i64::from(status)), None, None)
                        .await?;
                }
                Err((status, why)) => {
                    report.failed += 1;
                    tracing::warn!(delivery = %d.id, error = %why, "webhook delivery failed");
                    let retry_at = now + backoff_ms(d.attempts);
                    self.store
                        .delivery_attempted(d.id, now, status.map(i64::from), Some(&why), Some(retry_at))
                        .await?;
                }
            }
        }
        Ok(report)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_signature_covers_time_and_body() {
        let a = signature("whsec_x", 1_700_000_000, b"{}");
        assert!(a.starts_with("t=1700000000,v1="));
        assert_eq!(a.len(), "t=1700000000,v1=".len() + 64);
        assert_ne!(a, signature("whsec_x", 1_700_000_001, b"{}"));
        assert_ne!(a, signature("whsec_x", 1_700_000_000, b"{ }"));
        assert_ne!(a, signature("whsec_y", 1_700_000_000, b"{}"));
        // RFC 4231 test case 2, through the same construction.
        let mut mac = <hmac::Hmac<Sha256> as KeyInit>::new_from_slice(b"Jefe").unwrap();
        mac.update(b"what do ya want for nothing?");
        assert_eq!(
            data_encoding::HEXLOWER.encode(&mac.finalize().into_bytes()),
            "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"
        );
    }

    #[test]
    fn retries_back_off_to_four_hours() {
        assert_eq!(backoff_ms(0), 60_000);
        assert_eq!(backoff_ms(3), 8 * 60_000);
        assert_eq!(backoff_ms(11), 240 * 60_000);
    }

    #[test]
    fn only_https_or_this_machine() {
        assert!(check_url("https://siem.example.nhs.uk/hooks/hygeia").is_ok());
        assert!(check_url("http://127.0.0.1:9000/x").is_ok());
        assert!(check_url("http://siem.example.nhs.uk/x").is_err());
        assert!(check_url("https://user:pw@siem.example.nhs.uk/").is_err());
        assert!(check_url("ftp://x").is_err());
        assert!(check_url("not a url").is_err());
    }
}
