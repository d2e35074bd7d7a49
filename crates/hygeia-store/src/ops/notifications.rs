//! Notifications to regulators and the regulators' reviews. A sender reads its own through its
//! organisation; a regulator reads what reached its inbox (`recipient_org_id`). No statement
//! here changes a notification's content once it is written.

use super::audit::append;
use super::clocks::queue_mail;
use super::clocks::replace_clocks;
use super::{Cols, Repo, expect_one, int};
use crate::StoreError;
use crate::model::{ClockRow, Deliveries, NewAudit, Notification, ReceivedNotification, Review, SenderRecord};
use hygeia_domain::ids::{IncidentId, NotificationId, OrgId, ReviewId};
use hygeia_domain::incidents::notification::ReviewStatus;
use hygeia_domain::org::Regime;
use hygeia_domain::page::{Page, PageRequest};

const COLUMNS: &str = "n.id, n.org_id, n.incident_id, n.recipient_org_id, n.regime, n.stage, n.version, n.previous_id, \
     n.entries, n.due_at, n.submitted_at, n.on_time, n.late_reason, n.submitted_by, n.digest, n.review_status, n.reviewed_at";

fn notification(row: &dyn Cols) -> Result<Notification, StoreError> {
    Ok(Notification {
        id: NotificationId(row.id("id")?),
        org_id: OrgId(row.id("org_id")?),
        incident_id: IncidentId(row.id("incident_id")?),
        recipient_org_id: row.opt_id("recipient_org_id")?.map(OrgId),
        regime: Regime::parse(&row.text("regime")?, "regime")?,
        stage: row.text("stage")?,
        version: u32::try_from(row.int("version")?).map_err(|e| StoreError::Corrupt(format!("version: {e}")))?,
        previous_id: row.opt_id("previous_id")?.map(NotificationId),
        entries: serde_json::from_str(&row.text("entries")?)
            .map_err(|e| StoreError::Corrupt(format!("entries: {e}")))?,
        due_at: row.opt_int("due_at")?,
        submitted_at: row.int("submitted_at")?,
        on_time: row.flag("on_time")?,
        late_reason: row.text("late_reason")?,
        submitted_by: row.text("submitted_by")?,
        digest: row.text("digest")?,
        review_status: ReviewStatus::parse(&row.text("review_status")?, "review_status")?,
        reviewed_at: row.opt_int("reviewed_at")?,
    })
}

fn received(row: &dyn Cols) -> Result<ReceivedNotification, StoreError> {
    Ok(ReceivedNotification {
        notification: notification(row)?,
        sender_name: row.text("sender_name")?,
        incident_reference: row.text("incident_reference")?,
        incident_title: row.text("incident_title")?,
    })
}

impl Repo {
    /// The address an organisation's notifications also go to by e-mail, if any.
    pub async fn delivery_email(&self, org: OrgId) -> Result<Option<String>, StoreError> {
        self.read_opt(
            "select email from notification_delivery where org_id = $1",
            &[org.0.into()],
            |r| r.text("email"),
        )
        .await
    }

    /// Sets (or, with an empty address, clears) where notifications also go by e-mail.
    pub async fn set_delivery_email(
        &self,
        org: OrgId,
        email: &str,
        by: &str,
        at: i64,
        audit: &NewAudit,
    ) -> Result<(), StoreError> {
        let mut tx = self.begin_write().await?;
        if email.is_empty() {
            sqlx::query("delete from notification_delivery where org_id = $1")
                .bind(org.0)
                .execute(&mut *tx)
                .await?;
        } else {
            sqlx::query(
                "insert into notification_delivery (org_id, email, updated_by, updated_at) values ($1, $2, $3, $4) \
                 on conflict (org_id) do update set email = excluded.email, updated_by = excluded.updated_by, \
                 updated_at = excluded.updated_at",
            )
            .bind(org.0)
            .bind(email)
            .bind(by)
            .bind(at)
            .execute(&mut *tx)
            .await?;
        }
        append(&mut tx, audit).await?;
        self.commit(tx).await?;
        Ok(())
    }

    /// Stores a submission as the next version of its stage (the version and the link to
    /// the previous one are settled inside the write). Returns the stored notification.
    pub async fn submit_notification(
        &self,
        n: &Notification,
        digest_of: &(dyn Fn(u32) -> String + Sync),
        clocks: &[ClockRow],
        deliveries: Deliveries<'_>,
        audit: &NewAudit,
    ) -> Result<Notification, StoreError> {
        let mut tx = self.begin_write().await?;
        let owned = sqlx::query("select 1 from incidents where org_id = $1 and id = $2")
            .bind(n.org_id.0)
            .bind(n.incident_id.0)
            .fetch_optional(&mut *tx)
            .await?;
        expect_one(u64::from(owned.is_some()))?;
        let previous = sqlx::query(
            "select id, version from notifications where incident_id = $1 and regime = $2 and stage = $3 \
             order by version desc limit 1",
        )
        .bind(n.incident_id.0)
        .bind(n.regime.code())
        .bind(&n.stage)
        .fetch_optional(&mut *tx)
        .await?;
        let mut stored = n.clone();
        if let Some(row) = previous {
            stored.previous_id = Some(NotificationId(sqlx::Row::try_get(&row, "id")?));
            let v: i64 = sqlx::Row::try_get(&row, "version")?;
            stored.version = u32::try_from(v + 1).map_err(|e| StoreError::Corrupt(e.to_string()))?;
        } else {
            stored.previous_id = None;
            stored.version = 1;
        }
        stored.digest = digest_of(stored.version);
        let entries = serde_json::to_string(&stored.entries).map_err(|e| StoreError::Database(e.to_string()))?;
        sqlx::query(
            "insert into notifications (id, org_id, incident_id, recipient_org_id, regime, stage, version, previous_id, \
             entries, due_at, submitted_at, on_time, late_reason, submitted_by, digest, review_status, reviewed_at) \
             values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17)",
        )
        .bind(stored.id.0)
        .bind(stored.org_id.0)
        .bind(stored.incident_id.0)
        .bind(stored.recipient_org_id.map(|o| o.0))
        .bind(stored.regime.code())
        .bind(&stored.stage)
        .bind(i64::from(stored.version))
        .bind(stored.previous_id.map(|p| p.0))
        .bind(entries)
        .bind(stored.due_at)
        .bind(stored.submitted_at)
        .bind(stored.on_time)
        .bind(&stored.late_reason)
        .bind(&stored.submitted_by)
        .bind(&stored.digest)
        .bind(stored.review_status.code())
        .bind(stored.reviewed_at)
        .execute(&mut *tx)
        .await?;
        replace_clocks(&mut tx, stored.incident_id, clocks).await?;
        if let Some(compose) = deliveries.mail {
            queue_mail(&mut tx, &compose(&stored)).await?;
        }
        if let Some(compose) = deliveries.webhook {
            super::webhooks::queue_delivery(&mut tx, &compose(&stored)).await?;
        }
        let mut audit = audit.clone();
        if let Some(map) = audit.event.changes.as_object_mut() {
            map.insert("version".into(), stored.version.into());
            map.insert("digest".into(), stored.digest.clone().into());
        }
        append(&mut tx, &audit).await?;
        self.commit(tx).await?;
        Ok(stored)
    }

    /// Every notification of one of `org`'s incidents, by regime, stage and version.
    pub async fn incident_notifications(
        &self,
        org: OrgId,
        incident: IncidentId,
    ) -> Result<Vec<Notification>, StoreError> {
        self.read_all(
            composed!(
                "select {COLUMNS} from notifications n where n.org_id = $1 and n.incident_id = $2 \
                 order by n.regime, n.stage, n.version limit 1000"
            ),
            &[org.0.into(), incident.0.into()],
            notification,
        )
        .await
    }

    /// One of `org`'s own notifications.
    pub async fn sent_notification(&self, org: OrgId, id: NotificationId) -> Result<Notification, StoreError> {
        self.read_one(
            composed!("select {COLUMNS} from notifications n where n.org_id = $1 and n.id = $2"),
            &[org.0.into(), id.0.into()],
            notification,
        )
        .await
    }

    /// A page of a regulator's inbox, newest first.
    pub async fn inbox(&self, regulator: OrgId, page: PageRequest) -> Result<Page<ReceivedNotification>, StoreError> {
        let items = self
            .read_all(
                composed!(
                    "select {COLUMNS}, o.name as sender_name, i.reference as incident_reference, i.title as incident_title \
                     from notifications n join orgs o on o.id = n.org_id join incidents i on i.id = n.incident_id \
                     where n.recipient_org_id = $1 order by n.submitted_at desc, n.id limit $2 offset $3"
                ),
                &[regulator.0.into(), i64::from(page.limit).into(), int(page.offset).into()],
                received,
            )
            .await?;
        self.page_of(
            page,
            items,
            "select count(*) as n from notifications where recipient_org_id = $1",
            &[regulator.0.into()],
        )
        .await
    }

    /// One notification in a regulator's inbox.
    pub async fn received_notification(
        &self,
        regulator: OrgId,
        id: NotificationId,
    ) -> Result<ReceivedNotification, StoreError> {
        self.read_one(
            composed!(
                "select {COLUMNS}, o.name as sender_name, i.reference as incident_reference, i.title as incident_title \
                 from notifications n join orgs o on o.id = n.org_id join incidents i on i.id = n.incident_id \
                 where n.recipient_org_id = $1 and n.id = $2"
            ),
            &[regulator.0.into(), id.0.into()],
            received,
        )
        .await
    }

    /// Records a regulator's review of a notification in its inbox.
    pub async fn review_notification(
        &self,
        regulator: OrgId,
        review: &Review,
        audit: &NewAudit,
    ) -> Result<(), StoreError> {
        let mut tx = self.begin_write().await?;
        let done = sqlx::query(
            "update notifications set review_status = $3, reviewed_at = $4 where recipient_org_id = $1 and id = $2",
        )
        .bind(regulator.0)
        .bind(review.notification_id.0)
        .bind(review.status.code())
        .bind(review.at)
        .execute(&mut *tx)
        .await?;
        expect_one(done.rows_affected())?;
        sqlx::query(
            "insert into notification_reviews (id, notification_id, status, message, reviewed_by, at) values ($1, $2, $3, $4, $5, $6)",
        )
        .bind(review.id.0)
        .bind(review.notification_id.0)
        .bind(review.status.code())
        .bind(&review.message)
        .bind(&review.reviewed_by)
        .bind(review.at)
        .execute(&mut *tx)
        .await?;
        append(&mut tx, audit).await?;
        self.commit(tx).await?;
        Ok(())
    }

    /// Changes of the awareness time made to the incident after a received notification was
    /// submitted (they move the deadlines the regulator holds the sender to).
    pub async fn awareness_changes_since(
        &self,
        regulator: OrgId,
        id: NotificationId,
    ) -> Result<Vec<(i64, String, String)>, StoreError> {
        self.read_all(
            "select e.at, e.actor_label, e.body from incident_events e join notifications n on n.incident_id = e.incident_id \
             where n.recipient_org_id = $1 and n.id = $2 and e.kind = 'awareness' and e.at >= n.submitted_at \
             order by e.seq limit 100",
            &[regulator.0.into(), id.0.into()],
            |r| Ok((r.int("at")?, r.text("actor_label")?, r.text("body")?)),
        )
        .await
    }

    /// The reviews of a notification, oldest first. Callers have already shown they may
    /// read the notification itself.
    pub async fn reviews(&self, id: NotificationId) -> Result<Vec<Review>, StoreError> {
        self.read_all(
            "select id, notification_id, status, message, reviewed_by, at from notification_reviews \
             where notification_id = $1 order by at, id limit 1000",
            &[id.0.into()],
            |r| {
                Ok(Review {
                    id: ReviewId(r.id("id")?),
                    notification_id: NotificationId(r.id("notification_id")?),
                    status: ReviewStatus::parse(&r.text("status")?, "status")?,
                    message: r.text("message")?,
                    reviewed_by: r.text("reviewed_by")?,
                    at: r.int("at")?,
                })
            },
        )
        .await
    }

    /// First submissions on time and late, per sender, for a regulator's remit.
    pub async fn sender_records(&self, regulator: OrgId) -> Result<Vec<SenderRecord>, StoreError> {
        self.read_all(
            "select o.id, o.name, sum(case when n.on_time then 1 else 0 end) as on_time, \
             sum(case when n.on_time then 0 else 1 end) as late \
             from notifications n join orgs o on o.id = n.org_id \
             where n.recipient_org_id = $1 and n.version = 1 group by o.id, o.name order by o.name, o.id limit 5000",
            &[regulator.0.into()],
            |r| {
                Ok(SenderRecord {
                    org_id: OrgId(r.id("id")?),
                    org_name: r.text("name")?,
                    on_time: u64::try_from(r.int("on_time")?).unwrap_or(0),
                    late: u64::try_from(r.int("late")?).unwrap_or(0),
                })
            },
        )
        .await
    }
}
