//! An organisation's answers to alerts: its response, the matches behind the pre-fill, its
//! updates, and its record over time.

use super::super::audit::append;
use super::super::{Arg, Repo, expect_one, int};
use super::{ALERT_COLUMNS, RESPONSE_COLUMNS, alert, response, verdict};
use crate::StoreError;
use crate::model::{Alert, AlertMatch, AlertResponse, AlertUpdate, NewAudit};
use hygeia_domain::alerts::matching::Verdict;
use hygeia_domain::ids::{AlertId, AlertUpdateId, AssetId, OrgId};
use hygeia_domain::page::{Page, PageRequest};

impl Repo {
    pub async fn get_response(&self, alert: AlertId, org: OrgId) -> Result<AlertResponse, StoreError> {
        self.read_one(
            composed!(
                "select {RESPONSE_COLUMNS} from alert_responses r join orgs o on o.id = r.org_id \
                 where r.alert_id = $1 and r.org_id = $2"
            ),
            &[alert.0.into(), org.0.into()],
            response,
        )
        .await
    }

    /// The organisation's alert record: its responses, newest alert first, with each alert.
    pub async fn responses_of(
        &self,
        org: OrgId,
        page: PageRequest,
    ) -> Result<Page<(Alert, AlertResponse)>, StoreError> {
        let args = [
            Arg::Id(org.0),
            Arg::Int(i64::from(page.limit)),
            Arg::Int(int(page.offset)),
        ];
        let alert_cols: String = ALERT_COLUMNS
            .split(", ")
            .map(|c| format!("a.{c}"))
            .collect::<Vec<_>>()
            .join(", ");
        let items = self
            .read_all(
                composed!(
                    "select {alert_cols}, r.alert_id, r.org_id, o.name as org_name, r.prefill, r.prefill_reason, r.matched_at, \
                     r.applicability, r.applicability_reason, r.justification, r.acknowledged_at, r.acknowledged_by, \
                     r.last_update_at, r.closed_at, r.closed_by, r.remediation \
                     from alert_responses r join alerts a on a.id = r.alert_id join orgs o on o.id = r.org_id \
                     where r.org_id = $1 and a.status = 'published' order by a.published_at desc, a.id desc limit $2 offset $3"
                ),
                &args,
                |r| Ok((alert(r)?, response(r)?)),
            )
            .await?;
        self.page_of(
            page,
            items,
            "select count(*) as n from alert_responses r join alerts a on a.id = r.alert_id \
             where r.org_id = $1 and a.status = 'published'",
            &args[..1],
        )
        .await
    }

    pub async fn alert_matches(&self, alert: AlertId, org: OrgId) -> Result<Vec<AlertMatch>, StoreError> {
        self.read_all(
            "select m.asset_id, a.name, m.verdict, m.reason from alert_matches m join assets a on a.id = m.asset_id \
             where m.alert_id = $1 and m.org_id = $2 order by m.verdict, a.name limit 5000",
            &[alert.0.into(), org.0.into()],
            |r| {
                Ok(AlertMatch {
                    asset_id: AssetId(r.id("asset_id")?),
                    asset_name: r.text("name")?,
                    verdict: verdict(r, "verdict")?,
                    reason: r.text("reason")?,
                })
            },
        )
        .await
    }

    /// Writes an organisation's response as the use case built it, with its audit record.
    pub async fn save_response(&self, r: &AlertResponse, audit: &NewAudit) -> Result<(), StoreError> {
        let mut tx = self.begin_write().await?;
        let changed = sqlx::query(
            "update alert_responses set applicability = $3, applicability_reason = $4, justification = $5, \
             acknowledged_at = $6, acknowledged_by = $7, last_update_at = $8, closed_at = $9, closed_by = $10, \
             remediation = $11 where alert_id = $1 and org_id = $2",
        )
        .bind(r.alert_id.0)
        .bind(r.org_id.0)
        .bind(r.applicability.map(Verdict::as_str))
        .bind(&r.applicability_reason)
        .bind(&r.justification)
        .bind(r.acknowledged_at)
        .bind(&r.acknowledged_by)
        .bind(r.last_update_at)
        .bind(r.closed_at)
        .bind(&r.closed_by)
        .bind(&r.remediation)
        .execute(&mut *tx)
        .await?;
        expect_one(changed.rows_affected())?;
        append(&mut tx, audit).await?;
        self.commit(tx).await?;
        Ok(())
    }

    pub async fn add_alert_update(
        &self,
        id: AlertUpdateId,
        alert: AlertId,
        org: OrgId,
        update: &AlertUpdate,
        audit: &NewAudit,
    ) -> Result<(), StoreError> {
        let (body, by, at) = (&update.body, &update.posted_by, update.posted_at);
        let mut tx = self.begin_write().await?;
        let changed = sqlx::query("update alert_responses set last_update_at = $3 where alert_id = $1 and org_id = $2")
            .bind(alert.0)
            .bind(org.0)
            .bind(at)
            .execute(&mut *tx)
            .await?;
        expect_one(changed.rows_affected())?;
        sqlx::query("insert into alert_updates (id, alert_id, org_id, body, posted_by, posted_at) values ($1, $2, $3, $4, $5, $6)")
            .bind(id.0)
            .bind(alert.0)
            .bind(org.0)
            .bind(body)
            .bind(by)
            .bind(at)
            .execute(&mut *tx)
            .await?;
        append(&mut tx, audit).await?;
        self.commit(tx).await?;
        Ok(())
    }

    pub async fn alert_updates(&self, alert: AlertId, org: OrgId) -> Result<Vec<AlertUpdate>, StoreError> {
        self.read_all(
            "select body, posted_by, posted_at from alert_updates where alert_id = $1 and org_id = $2 order by posted_at limit 1000",
            &[alert.0.into(), org.0.into()],
            |r| Ok(AlertUpdate { body: r.text("body")?, posted_by: r.text("posted_by")?, posted_at: r.int("posted_at")? }),
        )
        .await
    }
}
