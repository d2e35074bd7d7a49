//! Writing what a match run found: each organisation's pre-fill and the assets behind it,
//! changing only what differs from the last run.

use super::super::{Db, Repo, numbered_list, numbered_pairs, value_rows};
use crate::StoreError;
use hygeia_domain::alerts::matching::Verdict;
use hygeia_domain::ids::{AlertId, AssetId, OrgId};
use std::collections::{HashMap, HashSet};

impl Repo {
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
}
