//! The two kinds of lines kept per organisation from its assets' software lists:
//! - the census (`software_census`): per catalogue release, how many assets run it and how
//!   many of those are in paid extended updates;
//! - the presence lines (`presence_lines`), where alert matching starts.
//!
//! An import moves the lines by what it touched; a deletion or a re-placement recounts the
//! organisation.

use super::assets::Registered;
use super::presence_lines::{Presence, adjust_presence, delta, write_presence};
use super::{LIST_BATCH, Tx, numbered_list, value_rows};
use crate::StoreError;
use crate::model::SoftwareRecord;
use crate::software_lists::unpack;
use hygeia_domain::ids::{AssetId, OrgId};
use std::collections::{HashMap, HashSet};
use uuid::Uuid;

/// An organisation's lines, or a part of them: per release (product, cycle) the assets and
/// those in extended updates; per (product key, product, cycle) the assets that run it.
#[derive(Debug, Default, Clone, PartialEq)]
pub(super) struct Lines {
    releases: HashMap<(String, String), (i64, i64)>,
    presence: Presence,
}

impl Lines {
    /// Counts one asset: once per release and once per key and placement, however many of
    /// its products name them.
    pub(super) fn add_asset(&mut self, id: Uuid, esu_enrolled: bool, software: &[SoftwareRecord]) {
        let mut releases = HashSet::new();
        let mut presence = HashSet::new();
        for s in software {
            let product = s.product_id.as_deref().unwrap_or("");
            let cycle = s.cycle.as_deref().unwrap_or("");
            if !product.is_empty() && !cycle.is_empty() {
                releases.insert((product, cycle));
            }
            presence.insert((s.product_key.as_str(), product, cycle));
        }
        for (product, cycle) in releases {
            let e = self.releases.entry((product.to_owned(), cycle.to_owned())).or_default();
            e.0 += 1;
            e.1 += i64::from(esu_enrolled);
        }
        for (key, product, cycle) in presence {
            self.presence
                .entry((key.to_owned(), product.to_owned(), cycle.to_owned()))
                .or_default()
                .insert(id);
        }
    }

    pub(super) fn add(&mut self, more: Self) {
        for (release, (n, esu)) in more.releases {
            let e = self.releases.entry(release).or_default();
            e.0 += n;
            e.1 += esu;
        }
        for (line, ids) in more.presence {
            self.presence.entry(line).or_default().extend(ids);
        }
    }

    /// The census part of `self - before`, without the lines that did not move.
    fn releases_minus(&self, before: &Self) -> HashMap<(String, String), (i64, i64)> {
        let mut delta = self.releases.clone();
        for (release, (n, esu)) in &before.releases {
            let e = delta.entry(release.clone()).or_default();
            e.0 -= n;
            e.1 -= esu;
        }
        delta.retain(|_, d| *d != (0, 0));
        delta
    }
}

/// Each of the organisation's assets (`$1`) that has a software list: its id, whether it is in
/// extended updates, and the list.
const LISTED_ASSETS: &str = "select a.id, a.esu_enrolled, l.software from assets a \
     join software_lists l on l.org_id = a.org_id and l.asset_id = a.id where a.org_id = $1";

/// What these assets run (one without a software list runs nothing).
pub(super) fn lines_of_registered(assets: &[Registered]) -> Result<Lines, StoreError> {
    let mut lines = Lines::default();
    for (_, id, esu, software) in assets {
        if let Some(software) = software {
            lines.add_asset(*id, *esu, &unpack(software)?);
        }
    }
    Ok(lines)
}

/// The same for assets named by id (those an import removes).
pub(super) async fn lines_of_ids(tx: &mut Tx<'_>, org: OrgId, ids: &[AssetId]) -> Result<Lines, StoreError> {
    let mut lines = Lines::default();
    for chunk in ids.chunks(LIST_BATCH) {
        let list = numbered_list(2, chunk.len());
        let sql = format!("{LISTED_ASSETS} and a.id in {list}");
        let mut q = sqlx::query_as::<_, (Uuid, bool, String)>(sqlx::AssertSqlSafe(sql))
            .persistent(false)
            .bind(org.0);
        for id in chunk {
            q = q.bind(id.0);
        }
        for (id, esu, software) in q.fetch_all(&mut **tx).await? {
            lines.add_asset(id, esu, &unpack(&software)?);
        }
    }
    Ok(lines)
}

/// Moves the lines by `after - before` and drops lines no asset runs any more. Exact because
/// a line counts each asset once and only the touched assets changed; the organisation is
/// recounted only when a presence line must name assets it could not name before.
pub(super) async fn adjust_lines(tx: &mut Tx<'_>, org: OrgId, before: &Lines, after: &Lines) -> Result<(), StoreError> {
    let releases = after.releases_minus(before);
    write_census(tx, org, &releases, true).await?;
    if releases.values().any(|d| d.0 < 0) {
        sqlx::query("delete from software_census where org_id = $1 and assets <= 0")
            .bind(org.0)
            .execute(&mut **tx)
            .await?;
    }
    if !adjust_presence(tx, org, &delta(&before.presence, &after.presence)).await? {
        rewrite_lines(tx, org).await?;
    }
    Ok(())
}

/// Recounts the organisation's lines from its software lists.
pub(super) async fn rewrite_lines(tx: &mut Tx<'_>, org: OrgId) -> Result<(), StoreError> {
    let rows: Vec<(Uuid, bool, String)> = sqlx::query_as(LISTED_ASSETS).bind(org.0).fetch_all(&mut **tx).await?;
    let mut lines = Lines::default();
    for (id, esu, software) in rows {
        lines.add_asset(id, esu, &unpack(&software)?);
    }
    for table in ["software_census", "software_presence"] {
        sqlx::query(sqlx::AssertSqlSafe(format!("delete from {table} where org_id = $1")))
            .bind(org.0)
            .execute(&mut **tx)
            .await?;
    }
    write_census(tx, org, &lines.releases, false).await?;
    write_presence(tx, org, &lines.presence).await
}

/// Census lines per statement: 5 values each.
const LINE_BATCH: usize = 1000;

/// Writes census lines, adding them to what is there when `add` (a delta), else as new.
async fn write_census(
    tx: &mut Tx<'_>,
    org: OrgId,
    releases: &HashMap<(String, String), (i64, i64)>,
    add: bool,
) -> Result<(), StoreError> {
    let releases: Vec<_> = releases.iter().collect();
    for chunk in releases.chunks(LINE_BATCH) {
        let mut sql =
            String::from("insert into software_census (org_id, product_id, cycle, assets, esu_assets) values ");
        sql.push_str(&value_rows(chunk.len(), 5));
        if add {
            sql.push_str(
                " on conflict (org_id, product_id, cycle) do update set assets = software_census.assets + excluded.assets, \
                 esu_assets = software_census.esu_assets + excluded.esu_assets",
            );
        }
        let mut q = sqlx::query(sqlx::AssertSqlSafe(sql));
        for ((product, cycle), (n, esu)) in chunk {
            q = q.bind(org.0).bind(product).bind(cycle).bind(*n).bind(*esu);
        }
        q.execute(&mut **tx).await?;
    }
    Ok(())
}
