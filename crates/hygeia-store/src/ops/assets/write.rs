//! Writing the register: an import's assets, lists and lines in one transaction, and the
//! removal of one asset.

use super::super::audit::append;
use super::super::batch;
use super::super::census_lines::{Lines, adjust_lines, lines_of_ids, lines_of_registered, rewrite_lines};
use super::super::{Repo, Tx, expect_one, value_rows};
use super::{Registered, WITH_LISTS};
use crate::StoreError;
use crate::model::{AssetRecord, NewAudit};
use crate::software_lists::{pack, unplaced};
use hygeia_domain::assets::identity::IdentityKind;
use hygeia_domain::ids::{AssetId, OrgId};
use std::collections::HashMap;

impl Repo {
    /// Writes an import: each asset upserted by key with its software list replaced, the keys
    /// in `remove` deleted with everything that hangs off them, the census and presence lines
    /// adjusted by what the touched assets ran before and run now (not recounted over the
    /// whole register, which grows with it).
    pub async fn save_assets(
        &self,
        org: OrgId,
        assets: &[AssetRecord],
        remove: &[AssetId],
        audit: &NewAudit,
    ) -> Result<(), StoreError> {
        let mut tx = self.begin_write().await?;
        batch::lock_org(&mut tx, org).await?;
        // Under the lock the keys found here are the register's until the commit: the rest
        // are inserted plainly, which PostgreSQL does faster than an upsert (BENCHMARKS.md).
        let keys: Vec<&str> = assets.iter().map(|a| a.key.as_str()).collect();
        let registered = assets_of_keys(&mut tx, org, &keys).await?;
        let mut before = lines_of_registered(&registered)?;
        before.add(lines_of_ids(&mut tx, org, remove).await?);
        let ids: HashMap<&str, uuid::Uuid> = registered.iter().map(|r| (r.0.as_str(), r.1)).collect();
        let (old, new): (Vec<&AssetRecord>, Vec<&AssetRecord>) =
            assets.iter().partition(|a| ids.contains_key(a.key.as_str()));
        // The lists to write and the lines the assets will count for are worked out here
        // while the database writes the assets (its statements run in the server, or on
        // SQLite's worker thread). An asset whose key is registered keeps its id, even when
        // another import added it after this one read the register.
        let (inserted, written) = tokio::join!(batch::write_assets(&mut tx, &new, false), async {
            Written::of(assets, |a| ids.get(a.key.as_str()).copied())
        });
        inserted?;
        batch::write_assets(&mut tx, &old, true).await?;
        batch::write_software_lists(&mut tx, &written.new_lists, false).await?;
        batch::write_software_lists(&mut tx, &written.old_lists, true).await?;
        remember_names(&mut tx, assets).await?;
        for id in remove {
            delete_asset_rows(&mut tx, org, *id).await?;
        }
        adjust_lines(&mut tx, org, &before, &written.lines).await?;
        append(&mut tx, audit).await?;
        self.commit(tx).await?;
        Ok(())
    }

    pub async fn delete_asset(&self, org: OrgId, id: AssetId, audit: &NewAudit) -> Result<(), StoreError> {
        let mut tx = self.begin_write().await?;
        batch::lock_org(&mut tx, org).await?;
        let gone = delete_asset_rows(&mut tx, org, id).await?;
        expect_one(gone)?;
        rewrite_lines(&mut tx, org).await?;
        append(&mut tx, audit).await?;
        self.commit(tx).await?;
        Ok(())
    }
}

/// One software list to write: the organisation, the asset's id (as the upsert left it), the
/// list and how many of its products are unplaced.
pub(crate) type SoftwareList = (OrgId, uuid::Uuid, String, i64);

/// What an import writes besides the assets: each asset's packed software list (the new
/// assets' apart, as they are inserted plainly), and the lines its assets count for.
struct Written {
    new_lists: Vec<SoftwareList>,
    old_lists: Vec<SoftwareList>,
    lines: Lines,
}

impl Written {
    /// Under the id `registered` gives an asset already in the register, else the record's.
    fn of(assets: &[AssetRecord], registered: impl Fn(&AssetRecord) -> Option<uuid::Uuid>) -> Self {
        let mut new_lists = Vec::with_capacity(assets.len());
        let mut old_lists = Vec::new();
        let mut lines = Lines::default();
        for a in assets {
            let (id, lists) = match registered(a) {
                Some(id) => (id, &mut old_lists),
                None => (a.id.0, &mut new_lists),
            };
            lists.push((a.org_id, id, pack(&a.software), unplaced(&a.software)));
            lines.add_asset(id, a.esu_enrolled, &a.software);
        }
        Self {
            new_lists,
            old_lists,
            lines,
        }
    }
}

/// The organisation's assets with these keys, as the write transaction finds them.
async fn assets_of_keys(tx: &mut Tx<'_>, org: OrgId, keys: &[&str]) -> Result<Vec<Registered>, StoreError> {
    let keys = serde_json::to_string(keys).map_err(|e| StoreError::Corrupt(format!("asset keys: {e}")))?;
    Ok(sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "select a.asset_key, a.id, a.esu_enrolled, l.software from {} a {WITH_LISTS}",
        batch::assets_with_keys(2)
    )))
    .bind(org.0)
    .bind(keys)
    .fetch_all(&mut **tx)
    .await?)
}

/// Adds the free-text product keys of these assets to `software_names`.
async fn remember_names(tx: &mut Tx<'_>, assets: &[AssetRecord]) -> Result<(), StoreError> {
    let mut names: Vec<&str> = assets
        .iter()
        .flat_map(|a| a.software.iter())
        .filter(|s| s.kind == IdentityKind::Name)
        .map(|s| s.product_key.as_str())
        .collect();
    names.sort_unstable();
    names.dedup();
    for chunk in names.chunks(1000) {
        let mut sql = String::from("insert into software_names (product_key) values ");
        sql.push_str(&value_rows(chunk.len(), 1));
        sql.push_str(" on conflict (product_key) do nothing");
        let mut q = sqlx::query(sqlx::AssertSqlSafe(sql));
        for n in chunk {
            q = q.bind(*n);
        }
        q.execute(&mut **tx).await?;
    }
    Ok(())
}

/// Removes an asset and what refers to it; the number of assets removed.
async fn delete_asset_rows(tx: &mut Tx<'_>, org: OrgId, id: AssetId) -> Result<u64, StoreError> {
    for table in ["software_lists", "alert_matches", "unsupported_treatments"] {
        sqlx::query(sqlx::AssertSqlSafe(format!(
            "delete from {table} where org_id = $1 and asset_id = $2"
        )))
        .bind(org.0)
        .bind(id.0)
        .execute(&mut **tx)
        .await?;
    }
    let gone = sqlx::query("delete from assets where org_id = $1 and id = $2")
        .bind(org.0)
        .bind(id.0)
        .execute(&mut **tx)
        .await?;
    Ok(gone.rows_affected())
}
