//! Signed webhooks: an organisation's setting, and the deliveries queued with submissions and
//! worked through by the worker.

use super::audit::append;
use super::{Cols, Repo, Tx, expect_one};
use crate::StoreError;
use crate::model::{NewAudit, Webhook, WebhookDelivery};
use hygeia_domain::ids::{DeliveryId, NotificationId, OrgId};

const DELIVERY_COLUMNS: &str = "id, org_id, notification_id, event, url, body, created_at, attempts, last_attempt_at, \
     last_status, last_error, delivered_at";

fn delivery(row: &dyn Cols) -> Result<WebhookDelivery, StoreError> {
    Ok(WebhookDelivery {
        id: DeliveryId(row.id("id")?),
        org_id: OrgId(row.id("org_id")?),
        notification_id: NotificationId(row.id("notification_id")?),
        event: row.text("event")?,
        url: row.text("url")?,
        body: row.text("body")?,
        created_at: row.int("created_at")?,
        attempts: row.int("attempts")?,
        last_attempt_at: row.opt_int("last_attempt_at")?,
        last_status: row.opt_int("last_status")?,
        last_error: row.opt_text("last_error")?,
        delivered_at: row.opt_int("delivered_at")?,
    })
}

/// Queues a delivery inside the caller's transaction (a submission's).
pub(super) async fn queue_delivery(tx: &mut Tx<'_>, d: &WebhookDelivery) -> Result<(), StoreError> {
    sqlx::query(
        "insert into webhook_deliveries (id, org_id, notification_id, event, url, body, created_at, attempts) \
         values ($1, $2, $3, $4, $5, $6, $7, 0)",
    )
    .bind(d.id.0)
    .bind(d.org_id.0)
    .bind(d.notification_id.0)
    .bind(&d.event)
    .bind(&d.url)
    .bind(&d.body)
    .bind(d.created_at)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

impl Repo {
    pub async fn webhook(&self, org: OrgId) -> Result<Option<Webhook>, StoreError> {
        self.read_opt(
            "select url, secret, updated_by, updated_at from webhooks where org_id = $1",
            &[org.0.into()],
            |r| {
                Ok(Webhook {
                    url: r.text("url")?,
                    secret: r.text("secret")?,
                    updated_by: r.text("updated_by")?,
                    updated_at: r.int("updated_at")?,
                })
            },
        )
        .await
    }

    /// Sets (or, with none, removes) the organisation's webhook.
    pub async fn set_webhook(&self, org: OrgId, hook: Option<&Webhook>, audit: &NewAudit) -> Result<(), StoreError> {
        let mut tx = self.begin_write().await?;
        match hook {
            Some(h) => {
                sqlx::query(
                    "insert into webhooks (org_id, url, secret, updated_by, updated_at) values ($1, $2, $3, $4, $5) \
                     on conflict (org_id) do update set url = excluded.url, secret = excluded.secret, \
                     updated_by = excluded.updated_by, updated_at = excluded.updated_at",
                )
                .bind(org.0)
                .bind(&h.url)
                .bind(&h.secret)
                .bind(&h.updated_by)
                .bind(h.updated_at)
                .execute(&mut *tx)
                .await?;
            }
            None => {
                let gone = sqlx::query("delete from webhooks where org_id = $1")
                    .bind(org.0)
                    .execute(&mut *tx)
                    .await?;
                expect_one(gone.rows_affected())?;
            }
        }
        append(&mut tx, audit).await?;
        self.commit(tx).await?;
        Ok(())
    }

    /// Deliveries due at `now` (never tried, or past their backoff), oldest first, with the
    /// secret to sign each (none when the organisation has since removed its webhook: such a
    /// delivery is not sent). Ones waiting out a backoff are not read, so a receiver that is
    /// down cannot hold up everyone else's deliveries.
    pub async fn pending_deliveries(
        &self,
        now: i64,
        limit: u32,
        max_attempts: i64,
    ) -> Result<Vec<(WebhookDelivery, Option<String>)>, StoreError> {
        self.read_all(
            composed!(
                "select d.{}, w.secret from webhook_deliveries d left join webhooks w on w.org_id = d.org_id \
                 where d.delivered_at is null and d.attempts < $1 and coalesce(d.next_attempt_at, 0) <= $3 \
                 order by d.created_at, d.id limit $2",
                DELIVERY_COLUMNS.replace(", ", ", d.")
            ),
            &[max_attempts.into(), i64::from(limit).into(), now.into()],
            |r| Ok((delivery(r)?, r.opt_text("secret")?)),
        )
        .await
    }

    /// Records an attempt: delivered, or the status or error that stopped it and when to
    /// try again.
    pub async fn delivery_attempted(
        &self,
        id: DeliveryId,
        at: i64,
        status: Option<i64>,
        error: Option<&str>,
        next_attempt_at: Option<i64>,
    ) -> Result<(), StoreError> {
        let mut tx = self.begin_write().await?;
        sqlx::query(
            "update webhook_deliveries set attempts = attempts + 1, last_attempt_at = $2, last_status = $3, \
             last_error = $4, delivered_at = $5, next_attempt_at = $6 where id = $1",
        )
        .bind(id.0)
        .bind(at)
        .bind(status)
        .bind(error)
        .bind(next_attempt_at.is_none().then_some(at))
        .bind(next_attempt_at)
        .execute(&mut *tx)
        .await?;
        self.commit(tx).await?;
        Ok(())
    }

    /// The organisation's latest deliveries, newest first.
    pub async fn recent_deliveries(&self, org: OrgId, limit: u32) -> Result<Vec<WebhookDelivery>, StoreError> {
        self.read_all(
            composed!(
                "select {DELIVERY_COLUMNS} from webhook_deliveries where org_id = $1 \
                 order by created_at desc, id desc limit $2"
            ),
            &[org.0.into(), i64::from(limit).into()],
            delivery,
        )
        .await
    }
}
