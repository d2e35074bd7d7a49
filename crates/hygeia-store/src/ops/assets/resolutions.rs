//! Re-placing products the dictionary could not place when they were imported, once the
//! catalogue has grown.

use super::super::batch;
use super::super::census_lines::rewrite_lines;
use super::super::{Arg, LIST_BATCH, Repo, int, numbered_list};
use crate::StoreError;
use crate::software_lists::{pack, unpack, unplaced};
use hygeia_domain::ids::{AssetId, OrgId};

impl Repo {
    /// Products the dictionary could not place, for re-placing once the catalogue has grown:
    /// (asset, position in its list, identity, given version), every such product of up to
    /// `limit` assets after `after`'s asset.
    pub async fn unresolved_software(
        &self,
        after: Option<(AssetId, i64)>,
        limit: u32,
    ) -> Result<Vec<(AssetId, i64, String, Option<String>)>, StoreError> {
        let lists = self
            .read_all(
                "select asset_id, software from software_lists where unplaced > 0 and asset_id > $1 order by asset_id limit $2",
                &[Arg::Id(after.map_or(uuid::Uuid::nil(), |(a, _)| a.0)), Arg::Int(i64::from(limit))],
                |r| Ok((AssetId(r.id("asset_id")?), unpack(&r.text("software")?)?)),
            )
            .await?;
        let mut out = Vec::new();
        for (asset, software) in lists {
            for (ord, s) in software.into_iter().enumerate() {
                if s.product_id.is_none() {
                    out.push((asset, int(ord as u64), s.identity, s.given_version));
                }
            }
        }
        Ok(out)
    }

    /// Records where the dictionary now places some products (asset, position, product,
    /// release), and recounts the lines of the organisations they belong to. A product that
    /// was placed or replaced since it was read is left as it is.
    pub async fn set_resolutions(&self, rows: &[(AssetId, i64, String, Option<String>)]) -> Result<(), StoreError> {
        // Per asset: (position, product, release) of each product now placed.
        type Placements<'a> = Vec<(i64, &'a str, Option<&'a str>)>;
        let mut by_asset: std::collections::BTreeMap<uuid::Uuid, Placements<'_>> = Default::default();
        for (asset, ord, product, cycle) in rows {
            by_asset
                .entry(asset.0)
                .or_default()
                .push((*ord, product, cycle.as_deref()));
        }
        let assets: Vec<uuid::Uuid> = by_asset.keys().copied().collect();
        let mut tx = self.begin_write().await?;
        let mut orgs = std::collections::BTreeSet::new();
        for chunk in assets.chunks(LIST_BATCH) {
            let list = numbered_list(1, chunk.len());
            let sql = format!(
                "select org_id, asset_id, software from software_lists where unplaced > 0 and asset_id in {list}"
            );
            let mut q =
                sqlx::query_as::<_, (uuid::Uuid, uuid::Uuid, String)>(sqlx::AssertSqlSafe(sql)).persistent(false);
            for id in chunk {
                q = q.bind(*id);
            }
            for (org, asset, text) in q.fetch_all(&mut *tx).await? {
                let mut software = unpack(&text)?;
                for (ord, product, cycle) in by_asset.get(&asset).into_iter().flatten() {
                    let slot = usize::try_from(*ord).ok().and_then(|i| software.get_mut(i));
                    if let Some(s) = slot.filter(|s| s.product_id.is_none()) {
                        s.product_id = Some((*product).to_owned());
                        s.cycle = cycle.map(str::to_owned);
                    }
                }
                // Only over the list as it was read: an import that replaced it meanwhile
                // (PostgreSQL reads committed data) keeps its own.
                let written = sqlx::query(
                    "update software_lists set software = $3, unplaced = $4 \
                     where org_id = $1 and asset_id = $2 and software = $5",
                )
                .bind(org)
                .bind(asset)
                .bind(pack(&software))
                .bind(unplaced(&software))
                .bind(&text)
                .execute(&mut *tx)
                .await?;
                if written.rows_affected() == 1 {
                    orgs.insert(org);
                }
            }
        }
        for org in orgs {
            batch::lock_org(&mut tx, OrgId(org)).await?;
            rewrite_lines(&mut tx, OrgId(org)).await?;
        }
        self.commit(tx).await?;
        Ok(())
    }
}
