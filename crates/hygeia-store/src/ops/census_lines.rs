//! The census lines (`software_census`): per organisation and catalogue release, how many
//! assets run it and how many of those are in paid extended updates. An import moves the
//! lines by what it touched; a deletion or a lifecycle update recounts the organisation.

use super::{LIST_BATCH, Tx, numbered_list};
use crate::StoreError;
use crate::model::AssetRecord;
use hygeia_domain::ids::{AssetId, OrgId};

/// Per catalogue release: how many assets, and how many enrolled in extended updates.
pub(super) type ReleaseCounts = std::collections::HashMap<(String, String), (i64, i64)>;

pub(super) fn add_counts(into: &mut ReleaseCounts, more: ReleaseCounts) {
    for (release, (n, esu)) in more {
        let e = into.entry(release).or_default();
        e.0 += n;
        e.1 += esu;
    }
}

/// What the organisation's assets with these keys run, counted per release, as the
/// transaction sees them now. Assets are looked up first and their software by primary key
/// after: a join let PostgreSQL choose to scan every software row in the sector.
pub(super) async fn releases_of_keys(tx: &mut Tx<'_>, org: OrgId, keys: &[&str]) -> Result<ReleaseCounts, StoreError> {
    let mut assets = Vec::with_capacity(keys.len());
    for chunk in keys.chunks(LIST_BATCH) {
        let list = numbered_list(2, chunk.len());
        let sql = format!("select id, esu_enrolled from assets where org_id = $1 and asset_key in {list}");
        let mut q = sqlx::query_as::<_, (uuid::Uuid, bool)>(sqlx::AssertSqlSafe(sql))
            .persistent(false)
            .bind(org.0);
        for k in chunk {
            q = q.bind(*k);
        }
        assets.extend(q.fetch_all(&mut **tx).await?);
    }
    count_releases(tx, &assets).await
}

/// What the written assets run, counted per release: the rows just inserted are these
/// records, so they need not be read back.
pub(super) fn releases_written(assets: &[AssetRecord]) -> ReleaseCounts {
    let mut out = ReleaseCounts::new();
    for a in assets {
        let mut releases: Vec<(&str, &str)> = a
            .software
            .iter()
            .filter_map(|s| Some((s.product_id.as_deref()?, s.cycle.as_deref()?)))
            .collect();
        releases.sort_unstable();
        releases.dedup();
        for (product, cycle) in releases {
            let e = out.entry((product.to_owned(), cycle.to_owned())).or_default();
            e.0 += 1;
            e.1 += i64::from(a.esu_enrolled);
        }
    }
    out
}

/// The same for assets named by id (those an import removes).
pub(super) async fn releases_of_ids(tx: &mut Tx<'_>, org: OrgId, ids: &[AssetId]) -> Result<ReleaseCounts, StoreError> {
    let mut assets = Vec::with_capacity(ids.len());
    for chunk in ids.chunks(LIST_BATCH) {
        let list = numbered_list(2, chunk.len());
        let sql = format!("select id, esu_enrolled from assets where org_id = $1 and id in {list}");
        let mut q = sqlx::query_as::<_, (uuid::Uuid, bool)>(sqlx::AssertSqlSafe(sql))
            .persistent(false)
            .bind(org.0);
        for id in chunk {
            q = q.bind(id.0);
        }
        assets.extend(q.fetch_all(&mut **tx).await?);
    }
    count_releases(tx, &assets).await
}

/// Per release the assets (of these, with whether each is in extended updates) that run it,
/// each asset counted once however many of its rows name the release.
async fn count_releases(tx: &mut Tx<'_>, assets: &[(uuid::Uuid, bool)]) -> Result<ReleaseCounts, StoreError> {
    let esu: std::collections::HashMap<uuid::Uuid, bool> = assets.iter().copied().collect();
    let mut seen = std::collections::HashSet::new();
    let mut out = ReleaseCounts::new();
    for chunk in assets.chunks(LIST_BATCH) {
        let list = numbered_list(1, chunk.len());
        let sql = format!(
            "select asset_id, product_id, cycle from asset_software where asset_id in {list} \
             and product_id is not null and cycle is not null"
        );
        let mut q = sqlx::query_as::<_, (uuid::Uuid, String, String)>(sqlx::AssertSqlSafe(sql)).persistent(false);
        for (id, _) in chunk {
            q = q.bind(*id);
        }
        for (asset, product, cycle) in q.fetch_all(&mut **tx).await? {
            let enrolled = esu.get(&asset).copied().unwrap_or(false);
            if seen.insert((asset, product.clone(), cycle.clone())) {
                let e = out.entry((product, cycle)).or_default();
                e.0 += 1;
                e.1 += i64::from(enrolled);
            }
        }
    }
    Ok(out)
}

/// Moves the census lines by `after - before` and drops lines no asset runs any more. Exact
/// because a line counts each asset once and only the touched assets changed.
pub(super) async fn adjust_census(
    tx: &mut Tx<'_>,
    org: OrgId,
    before: &ReleaseCounts,
    after: &ReleaseCounts,
) -> Result<(), StoreError> {
    let mut delta = after.clone();
    for (release, (n, esu)) in before {
        let e = delta.entry(release.clone()).or_default();
        e.0 -= n;
        e.1 -= esu;
    }
    delta.retain(|_, d| *d != (0, 0));
    if delta.is_empty() {
        return Ok(());
    }
    for ((product, cycle), (n, esu)) in &delta {
        sqlx::query(
            "insert into software_census (org_id, product_id, cycle, assets, esu_assets) values ($1, $2, $3, $4, $5) \
             on conflict (org_id, product_id, cycle) do update set assets = software_census.assets + excluded.assets, \
             esu_assets = software_census.esu_assets + excluded.esu_assets",
        )
        .bind(org.0)
        .bind(product)
        .bind(cycle)
        .bind(*n)
        .bind(*esu)
        .execute(&mut **tx)
        .await?;
    }
    sqlx::query("delete from software_census where org_id = $1 and assets <= 0")
        .bind(org.0)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

/// The organisation's census lines from its software rows: one per catalogue release, with
/// how many assets run it and how many of those are enrolled in extended updates.
pub(super) async fn rewrite_census(tx: &mut Tx<'_>, org: OrgId) -> Result<(), StoreError> {
    sqlx::query("delete from software_census where org_id = $1")
        .bind(org.0)
        .execute(&mut **tx)
        .await?;
    sqlx::query(
        "insert into software_census (org_id, product_id, cycle, assets, esu_assets) \
         select s.org_id, s.product_id, s.cycle, count(distinct s.asset_id), \
         count(distinct case when a.esu_enrolled then s.asset_id end) \
         from assets a join asset_software s on s.asset_id = a.id \
         where a.org_id = $1 and s.product_id is not null and s.cycle is not null group by s.org_id, s.product_id, s.cycle",
    )
    .bind(org.0)
    .execute(&mut **tx)
    .await?;
    Ok(())
}
