//! The publisher's alerts: written, read one by one, listed, and the ones in force.

use super::super::audit::append;
use super::super::{Arg, Repo, int};
use super::{ALERT_COLUMNS, alert};
use crate::StoreError;
use crate::model::{Alert, NewAudit};
use hygeia_domain::ids::AlertId;
use hygeia_domain::page::{Page, PageRequest};

impl Repo {
    pub async fn save_alert(&self, a: &Alert, audit: &NewAudit) -> Result<(), StoreError> {
        let mut tx = self.begin_write().await?;
        sqlx::query(
            "insert into alerts (id, publisher_id, reference, title, severity, summary, cves, products, actions, source, \
             acknowledge_hours, first_update_days, remediate_days, status, published_at, revision, created_by, created_at, \
             updated_by, updated_at) values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, \
             $19, $20) on conflict (id) do update set reference = $3, title = $4, severity = $5, summary = $6, cves = $7, \
             products = $8, actions = $9, acknowledge_hours = $11, first_update_days = $12, remediate_days = $13, \
             status = $14, published_at = $15, revision = $16, updated_by = $19, updated_at = $20",
        )
        .bind(a.id.0)
        .bind(a.publisher_id.0)
        .bind(&a.reference)
        .bind(&a.title)
        .bind(a.severity.as_str())
        .bind(&a.summary)
        .bind(text(&a.cves))
        .bind(text(&a.products))
        .bind(text(&a.actions))
        .bind(a.source.as_str())
        .bind(a.deadlines.acknowledge_hours.map(i64::from))
        .bind(i64::from(a.deadlines.first_update_days))
        .bind(a.deadlines.remediate_days.map(i64::from))
        .bind(a.status.code())
        .bind(a.published_at)
        .bind(a.revision)
        .bind(&a.created_by)
        .bind(a.created_at)
        .bind(&a.updated_by)
        .bind(a.updated_at)
        .execute(&mut *tx)
        .await?;
        append(&mut tx, audit).await?;
        self.commit(tx).await?;
        Ok(())
    }

    pub async fn get_alert(&self, id: AlertId) -> Result<Alert, StoreError> {
        self.read_one(
            composed!("select {ALERT_COLUMNS} from alerts where id = $1"),
            &[id.0.into()],
            alert,
        )
        .await
    }

    /// Alerts, newest first; drafts only when `drafts` (the publisher's view).
    pub async fn alerts_page(&self, drafts: bool, page: PageRequest) -> Result<Page<Alert>, StoreError> {
        let args = [
            Arg::Flag(drafts),
            Arg::Int(i64::from(page.limit)),
            Arg::Int(int(page.offset)),
        ];
        let filter = "($1 = true or status <> 'draft')";
        let items = self
            .read_all(
                composed!(
                    "select {ALERT_COLUMNS} from alerts where {filter} \
                     order by coalesce(published_at, created_at) desc, id desc limit $2 offset $3"
                ),
                &args,
                alert,
            )
            .await?;
        self.page_of(
            page,
            items,
            composed!("select count(*) as n from alerts where {filter}"),
            &args[..1],
        )
        .await
    }

    /// Published alerts still in force (the ones an asset change re-matches).
    pub async fn published_alerts(&self) -> Result<Vec<Alert>, StoreError> {
        self.read_all(
            composed!(
                "select {ALERT_COLUMNS} from alerts where status = 'published' order by published_at limit 10000"
            ),
            &[],
            alert,
        )
        .await
    }
}

/// A list field of the alert as its JSON column holds it.
fn text<T: serde::Serialize>(v: &T) -> String {
    serde_json::to_string(v).unwrap_or_else(|_| "[]".into())
}
