//! National alerts, each organisation's response, the matches behind its pre-fill, and the
//! delegations that let a group answer for its members.

use super::audit::append;
use super::{Arg, Cols, Db, Repo, expect_one, int, numbered_list, numbered_pairs, value_rows};
use crate::StoreError;
use crate::model::{Alert, AlertMatch, AlertResponse, AlertStatus, AlertUpdate, Exposure, NewAudit, ResponseFilter};
use hygeia_domain::alerts::alert::{AlertSource, Deadlines, Severity};
use hygeia_domain::alerts::matching::Verdict;
use hygeia_domain::ids::{AlertId, AlertUpdateId, AssetId, OrgId};
use hygeia_domain::page::{Page, PageRequest};
use std::collections::{HashMap, HashSet};

const ALERT_COLUMNS: &str = "id, publisher_id, reference, title, severity, summary, cves, products, actions, source, \
     acknowledge_hours, first_update_days, remediate_days, status, published_at, revision, created_by, created_at, \
     updated_by, updated_at";

fn json<T: serde::de::DeserializeOwned>(row: &dyn Cols, col: &str) -> Result<T, StoreError> {
    serde_json::from_str(&row.text(col)?).map_err(|e| StoreError::Corrupt(format!("{col}: {e}")))
}

fn alert(row: &dyn Cols) -> Result<Alert, StoreError> {
    let severity = row.text("severity")?;
    let source = row.text("source")?;
    let status = row.text("status")?;
    let hours =
        |c: &str| -> Result<Option<u32>, StoreError> { Ok(row.opt_int(c)?.and_then(|v| u32::try_from(v).ok())) };
    Ok(Alert {
        id: AlertId(row.id("id")?),
        publisher_id: OrgId(row.id("publisher_id")?),
        reference: row.text("reference")?,
        title: row.text("title")?,
        severity: Severity::parse(&severity).ok_or_else(|| StoreError::Corrupt(format!("severity: {severity}")))?,
        summary: row.text("summary")?,
        cves: json(row, "cves")?,
        products: json(row, "products")?,
        actions: json(row, "actions")?,
        source: [AlertSource::Manual, AlertSource::Csaf, AlertSource::Kev]
            .into_iter()
            .find(|s| s.as_str() == source)
            .ok_or_else(|| StoreError::Corrupt(format!("source: {source}")))?,
        deadlines: Deadlines {
            acknowledge_hours: hours("acknowledge_hours")?,
            first_update_days: hours("first_update_days")?.unwrap_or(3),
            remediate_days: hours("remediate_days")?,
        },
        status: [AlertStatus::Draft, AlertStatus::Published, AlertStatus::Withdrawn]
            .into_iter()
            .find(|s| s.code() == status)
            .ok_or_else(|| StoreError::Corrupt(format!("status: {status}")))?,
        published_at: row.opt_int("published_at")?,
        revision: row.int("revision")?,
        created_by: row.text("created_by")?,
        created_at: row.int("created_at")?,
        updated_by: row.text("updated_by")?,
        updated_at: row.int("updated_at")?,
    })
}

fn verdict(row: &dyn Cols, col: &str) -> Result<Verdict, StoreError> {
    let v = row.text(col)?;
    Verdict::parse(&v).ok_or_else(|| StoreError::Corrupt(format!("{col}: {v}")))
}

const RESPONSE_COLUMNS: &str = "r.alert_id, r.org_id, o.name as org_name, r.prefill, r.prefill_reason, r.matched_at, \
     r.applicability, r.applicability_reason, r.justification, r.acknowledged_at, r.acknowledged_by, r.last_update_at, \
     r.closed_at, r.closed_by, r.remediation";

fn response(row: &dyn Cols) -> Result<AlertResponse, StoreError> {
    Ok(AlertResponse {
        alert_id: AlertId(row.id("alert_id")?),
        org_id: OrgId(row.id("org_id")?),
        org_name: row.text("org_name")?,
        prefill: verdict(row, "prefill")?,
        prefill_reason: row.text("prefill_reason")?,
        matched_at: row.int("matched_at")?,
        applicability: row.opt_text("applicability")?.and_then(|v| Verdict::parse(&v)),
        applicability_reason: row.opt_text("applicability_reason")?,
        justification: row.opt_text("justification")?,
        acknowledged_at: row.opt_int("acknowledged_at")?,
        acknowledged_by: row.opt_text("acknowledged_by")?,
        last_update_at: row.opt_int("last_update_at")?,
        closed_at: row.opt_int("closed_at")?,
        closed_by: row.opt_text("closed_by")?,
        remediation: row.opt_text("remediation")?,
    })
}

/// The condition of a drill-down, over `r` (responses) with `$4` the acknowledge-by instant
/// (the largest integer when the alert has none) and `$5` now.
fn condition(filter: ResponseFilter) -> &'static str {
    match filter {
        ResponseFilter::All => "1 = 1",
        ResponseFilter::Affected => "coalesce(r.applicability, r.prefill) = 'affected'",
        ResponseFilter::Unknown => "coalesce(r.applicability, r.prefill) = 'unknown'",
        ResponseFilter::Acknowledged => "r.acknowledged_at is not null",
        ResponseFilter::Overdue => "r.acknowledged_at is null and $5 > $4",
        ResponseFilter::Remediated => "r.closed_at is not null",
    }
}

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

    /// Writes a matching run. With `org` None it is the whole sector: every organisation that
    /// answers alerts gets a response row (new ones pre-filled not affected), and each pre-fill
    /// becomes what `verdicts` says (not affected where it says nothing); with `org` it is that
    /// organisation alone. Only what changed is written: a re-match that finds what the last
    /// one found writes nothing, so `matched_at` is when the pre-fill took its present value.
    /// Stated applicability, acknowledgements and closures are never touched.
    pub async fn save_matching(
        &self,
        alert: AlertId,
        org: Option<OrgId>,
        verdicts: &[(OrgId, Verdict, String)],
        matches: &[(OrgId, AssetId, Verdict, String)],
        at: i64,
    ) -> Result<(), StoreError> {
        let mut tx = self.begin_write().await?;
        let nil = uuid::Uuid::nil();
        let org_id = org.map_or(nil, |o| o.0);
        // Every organisation that answers alerts gets a response row when the alert is first
        // matched; later sector re-matches find them there (an organisation created since gets
        // its row when its own assets are matched).
        let answered = sqlx::query("select 1 from alert_responses where alert_id = $1 limit 1")
            .bind(alert.0)
            .fetch_optional(&mut *tx)
            .await?;
        if org.is_some() || answered.is_none() {
            sqlx::query(
                "insert into alert_responses (alert_id, org_id, prefill, prefill_reason, matched_at) \
                 select $1, id, 'not_affected', '', $2 from orgs \
                 where org_type not in ('regulator', 'national_team') and ($3 = $4 or id = $3) \
                 on conflict (alert_id, org_id) do nothing",
            )
            .bind(alert.0)
            .bind(at)
            .bind(org_id)
            .bind(nil)
            .execute(&mut *tx)
            .await?;
        }
        // The pre-fills that say something other than "not affected" (a partial index finds
        // them), to compare with this run's.
        let before: HashMap<uuid::Uuid, (String, String)> = sqlx::query_as::<_, (uuid::Uuid, String, String)>(
            "select org_id, prefill, prefill_reason from alert_responses \
             where alert_id = $1 and ($2 = $3 or org_id = $2) and (prefill <> 'not_affected' or prefill_reason <> '')",
        )
        .bind(alert.0)
        .bind(org_id)
        .bind(nil)
        .fetch_all(&mut *tx)
        .await?
        .into_iter()
        .map(|(o, p, r)| (o, (p, r)))
        .collect();
        let found: HashSet<uuid::Uuid> = verdicts.iter().map(|(o, ..)| o.0).collect();
        let cleared: Vec<uuid::Uuid> = before.keys().filter(|o| !found.contains(o)).copied().collect();
        for chunk in cleared.chunks(500) {
            let sql = composed!(
                "update alert_responses set prefill = 'not_affected', prefill_reason = '', matched_at = $2 \
                 where alert_id = $1 and org_id in {}",
                numbered_list(3, chunk.len())
            );
            let mut q = sqlx::query(sql).bind(alert.0).bind(at);
            for o in chunk {
                q = q.bind(*o);
            }
            q.execute(&mut *tx).await?;
        }
        let changed: Vec<&(OrgId, Verdict, String)> = verdicts
            .iter()
            .filter(|(o, v, reason)| before.get(&o.0).is_none_or(|(p, r)| p != v.as_str() || r != reason))
            .collect();
        for chunk in changed.chunks(500) {
            let mut sql = String::from(
                "insert into alert_responses (alert_id, org_id, prefill, prefill_reason, matched_at) values ",
            );
            sql.push_str(&value_rows(chunk.len(), 5));
            sql.push_str(
                " on conflict (alert_id, org_id) do update set prefill = excluded.prefill, \
                 prefill_reason = excluded.prefill_reason, matched_at = excluded.matched_at",
            );
            let mut q = sqlx::query(sqlx::AssertSqlSafe(sql));
            for (o, v, reason) in chunk {
                q = q.bind(alert.0).bind(o.0).bind(v.as_str()).bind(reason).bind(at);
            }
            q.execute(&mut *tx).await?;
        }
        self.save_matches(&mut tx, alert, org_id, matches).await?;
        self.commit(tx).await?;
        Ok(())
    }

    /// The assets behind the pre-fills, brought to `matches` by deleting the ones no longer
    /// found and writing the new and changed ones; the rest stay as they are.
    async fn save_matches(
        &self,
        tx: &mut sqlx::Transaction<'static, Db>,
        alert: AlertId,
        org_id: uuid::Uuid,
        matches: &[(OrgId, AssetId, Verdict, String)],
    ) -> Result<(), StoreError> {
        let nil = uuid::Uuid::nil();
        let before: HashMap<(uuid::Uuid, uuid::Uuid), (String, String)> =
            sqlx::query_as::<_, (uuid::Uuid, uuid::Uuid, String, String)>(
                "select org_id, asset_id, verdict, reason from alert_matches where alert_id = $1 and ($2 = $3 or org_id = $2)",
            )
            .bind(alert.0)
            .bind(org_id)
            .bind(nil)
            .fetch_all(&mut **tx)
            .await?
            .into_iter()
            .map(|(o, a, v, r)| ((o, a), (v, r)))
            .collect();
        let found: HashSet<(uuid::Uuid, uuid::Uuid)> = matches.iter().map(|(o, a, ..)| (o.0, a.0)).collect();
        let gone: Vec<&(uuid::Uuid, uuid::Uuid)> = before.keys().filter(|k| !found.contains(k)).collect();
        for chunk in gone.chunks(400) {
            let sql = composed!(
                "delete from alert_matches where alert_id = $1 and (org_id, asset_id) in (values {})",
                numbered_pairs(2, chunk.len())
            );
            let mut q = sqlx::query(sql).bind(alert.0);
            for (o, a) in chunk {
                q = q.bind(*o).bind(*a);
            }
            q.execute(&mut **tx).await?;
        }
        let changed: Vec<&(OrgId, AssetId, Verdict, String)> = matches
            .iter()
            .filter(|(o, a, v, reason)| {
                before
                    .get(&(o.0, a.0))
                    .is_none_or(|(was, r)| was != v.as_str() || r != reason)
            })
            .collect();
        for chunk in changed.chunks(400) {
            let mut sql =
                String::from("insert into alert_matches (alert_id, org_id, asset_id, verdict, reason) values ");
            sql.push_str(&value_rows(chunk.len(), 5));
            sql.push_str(
                " on conflict (alert_id, org_id, asset_id) do update set verdict = excluded.verdict, reason = excluded.reason",
            );
            let mut q = sqlx::query(sqlx::AssertSqlSafe(sql));
            for (o, a, v, reason) in chunk {
                q = q.bind(alert.0).bind(o.0).bind(a.0).bind(v.as_str()).bind(reason);
            }
            q.execute(&mut **tx).await?;
        }
        Ok(())
    }

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

    /// Counts of the sector's responses to an alert; `regulator` limits it to a remit.
    /// `ack_by` is the acknowledge-by instant (None: no deadline), `now` the current time.
    pub async fn exposure(
        &self,
        alert: AlertId,
        regulator: Option<OrgId>,
        ack_by: Option<i64>,
        now: i64,
    ) -> Result<Exposure, StoreError> {
        let nil = uuid::Uuid::nil();
        self.read_one(
            "select count(*) as organisations, \
             coalesce(sum(case when coalesce(r.applicability, r.prefill) = 'affected' then 1 else 0 end), 0) as affected, \
             coalesce(sum(case when coalesce(r.applicability, r.prefill) = 'unknown' then 1 else 0 end), 0) as unknown, \
             coalesce(sum(case when r.acknowledged_at is not null then 1 else 0 end), 0) as acknowledged, \
             coalesce(sum(case when r.acknowledged_at is null and $5 > $4 then 1 else 0 end), 0) as overdue, \
             coalesce(sum(case when r.closed_at is not null then 1 else 0 end), 0) as remediated \
             from alert_responses r join orgs o on o.id = r.org_id where r.alert_id = $1 and ($2 = $3 or o.regulator_id = $2)",
            &[
                Arg::Id(alert.0),
                Arg::Id(regulator.map_or(nil, |r| r.0)),
                Arg::Id(nil),
                Arg::Int(ack_by.unwrap_or(i64::MAX)),
                Arg::Int(now),
            ],
            |r| {
                let n = |c: &str| -> Result<u64, StoreError> { Ok(u64::try_from(r.int(c)?).unwrap_or(0)) };
                Ok(Exposure {
                    organisations: n("organisations")?,
                    affected: n("affected")?,
                    unknown: n("unknown")?,
                    acknowledged: n("acknowledged")?,
                    overdue: n("overdue")?,
                    remediated: n("remediated")?,
                })
            },
        )
        .await
    }

    /// The drill-down: responses in a state, by organisation name.
    pub async fn exposure_page(
        &self,
        alert: AlertId,
        regulator: Option<OrgId>,
        filter: ResponseFilter,
        ack_by: Option<i64>,
        now: i64,
        page: PageRequest,
    ) -> Result<Page<AlertResponse>, StoreError> {
        let nil = uuid::Uuid::nil();
        let args = [
            Arg::Id(alert.0),
            Arg::Id(regulator.map_or(nil, |r| r.0)),
            Arg::Id(nil),
            Arg::Int(ack_by.unwrap_or(i64::MAX)),
            Arg::Int(now),
            Arg::Int(i64::from(page.limit)),
            Arg::Int(int(page.offset)),
        ];
        let condition = condition(filter);
        let items = self
            .read_all(
                composed!(
                    "select {RESPONSE_COLUMNS} from alert_responses r join orgs o on o.id = r.org_id \
                     where r.alert_id = $1 and ($2 = $3 or o.regulator_id = $2) and {condition} \
                     order by o.name, o.id limit $6 offset $7"
                ),
                &args,
                response,
            )
            .await?;
        self.page_of(
            page,
            items,
            composed!(
                "select count(*) as n from alert_responses r join orgs o on o.id = r.org_id \
                 where r.alert_id = $1 and ($2 = $3 or o.regulator_id = $2) and {condition}"
            ),
            &args[..5],
        )
        .await
    }

    /// Lets (or stops) an organisation's group answer alerts for it.
    pub async fn set_alert_delegation(
        &self,
        org: OrgId,
        group: Option<OrgId>,
        by: &str,
        at: i64,
        audit: &NewAudit,
    ) -> Result<(), StoreError> {
        let mut tx = self.begin_write().await?;
        sqlx::query("delete from alert_delegations where org_id = $1")
            .bind(org.0)
            .execute(&mut *tx)
            .await?;
        if let Some(g) = group {
            sqlx::query(
                "insert into alert_delegations (org_id, group_id, granted_by, granted_at) values ($1, $2, $3, $4)",
            )
            .bind(org.0)
            .bind(g.0)
            .bind(by)
            .bind(at)
            .execute(&mut *tx)
            .await?;
        }
        append(&mut tx, audit).await?;
        self.commit(tx).await?;
        Ok(())
    }

    /// The group an organisation lets answer its alerts, if any.
    pub async fn alert_delegation(&self, org: OrgId) -> Result<Option<OrgId>, StoreError> {
        self.read_opt(
            "select group_id from alert_delegations where org_id = $1",
            &[org.0.into()],
            |r| Ok(OrgId(r.id("group_id")?)),
        )
        .await
    }

    /// The organisations that let `group` answer for them, with their names.
    pub async fn delegated_to(&self, group: OrgId) -> Result<Vec<(OrgId, String)>, StoreError> {
        self.read_all(
            "select o.id, o.name from alert_delegations d join orgs o on o.id = d.org_id where d.group_id = $1 order by o.name",
            &[group.0.into()],
            |r| Ok((OrgId(r.id("id")?), r.text("name")?)),
        )
        .await
    }
}

fn text<T: serde::Serialize>(v: &T) -> String {
    serde_json::to_string(v).unwrap_or_else(|_| "[]".into())
}
