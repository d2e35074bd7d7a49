//! The two big writes of an asset import on PostgreSQL: one statement per batch over column
//! arrays (`unnest`). PostgreSQL parses and plans a multi-row `values` with tens of thousands
//! of parameters for every batch; an array is one parameter (BENCHMARKS.md).

use super::ops::{ASSET_UPSERT, KEYED_ASSETS, LIST_UPSERT, Registered, SoftwareList, Tx, to_json};
use crate::StoreError;
use crate::model::AssetRecord;
use hygeia_domain::ids::OrgId;

/// Rows per statement: bounds the arrays held at once, not the statement count.
const BATCH: usize = 10_000;

/// Writes the assets: a plain insert when `upsert` is false (keys the locked transaction found
/// absent), else an upsert by key (an existing asset keeps its id).
pub(super) async fn write_assets(tx: &mut Tx<'_>, assets: &[&AssetRecord], upsert: bool) -> Result<(), StoreError> {
    let conflict = if upsert { ASSET_UPSERT } else { "" };
    for chunk in assets.chunks(BATCH) {
        sqlx::query(sqlx::AssertSqlSafe(format!(
            "insert into assets (id, org_id, asset_key, name, kind, hostname, addresses, owner, location, \
             criticality, essential_services, internet_facing, manufacturer, model, patchable, esu_enrolled, source, \
             created_by, created_at, updated_by, updated_at) \
             select * from unnest($1::uuid[], $2::uuid[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], \
             $8::text[], $9::text[], $10::text[], $11::text[], $12::boolean[], $13::text[], $14::text[], \
             $15::boolean[], $16::boolean[], $17::text[], $18::text[], $19::bigint[], $20::text[], $21::bigint[]){conflict}"
        )))
        .bind(chunk.iter().map(|a| a.id.0).collect::<Vec<_>>())
        .bind(chunk.iter().map(|a| a.org_id.0).collect::<Vec<_>>())
        .bind(chunk.iter().map(|a| a.key.as_str()).collect::<Vec<_>>())
        .bind(chunk.iter().map(|a| a.name.as_str()).collect::<Vec<_>>())
        .bind(chunk.iter().map(|a| a.kind.as_str()).collect::<Vec<_>>())
        .bind(chunk.iter().map(|a| a.hostname.as_deref()).collect::<Vec<_>>())
        .bind(chunk.iter().map(|a| to_json(&a.addresses)).collect::<Vec<_>>())
        .bind(chunk.iter().map(|a| a.owner.as_deref()).collect::<Vec<_>>())
        .bind(chunk.iter().map(|a| a.location.as_deref()).collect::<Vec<_>>())
        .bind(chunk.iter().map(|a| a.criticality.as_str()).collect::<Vec<_>>())
        .bind(chunk.iter().map(|a| to_json(&a.essential_services)).collect::<Vec<_>>())
        .bind(chunk.iter().map(|a| a.internet_facing).collect::<Vec<_>>())
        .bind(chunk.iter().map(|a| a.manufacturer.as_deref()).collect::<Vec<_>>())
        .bind(chunk.iter().map(|a| a.model.as_deref()).collect::<Vec<_>>())
        .bind(chunk.iter().map(|a| a.patchable).collect::<Vec<_>>())
        .bind(chunk.iter().map(|a| a.esu_enrolled).collect::<Vec<_>>())
        .bind(chunk.iter().map(|a| a.source.as_str()).collect::<Vec<_>>())
        .bind(chunk.iter().map(|a| a.created_by.as_str()).collect::<Vec<_>>())
        .bind(chunk.iter().map(|a| a.created_at).collect::<Vec<_>>())
        .bind(chunk.iter().map(|a| a.updated_by.as_str()).collect::<Vec<_>>())
        .bind(chunk.iter().map(|a| a.updated_at).collect::<Vec<_>>())
        .execute(&mut **tx)
        .await?;
    }
    Ok(())
}

/// Writes the software lists: a plain insert when `upsert` is false (assets that have none
/// yet), else each over the one its asset had.
pub(super) async fn write_software_lists(
    tx: &mut Tx<'_>,
    lists: &[SoftwareList],
    upsert: bool,
) -> Result<(), StoreError> {
    let conflict = if upsert { LIST_UPSERT } else { "" };
    for chunk in lists.chunks(BATCH) {
        sqlx::query(sqlx::AssertSqlSafe(format!(
            "insert into software_lists (org_id, asset_id, software, unplaced) \
             select * from unnest($1::uuid[], $2::uuid[], $3::text[], $4::bigint[]){conflict}"
        )))
        .bind(chunk.iter().map(|r| r.0.0).collect::<Vec<_>>())
        .bind(chunk.iter().map(|r| r.1).collect::<Vec<_>>())
        .bind(chunk.iter().map(|r| r.2.as_str()).collect::<Vec<_>>())
        .bind(chunk.iter().map(|r| r.3).collect::<Vec<_>>())
        .execute(&mut **tx)
        .await?;
    }
    Ok(())
}

/// Each of the organisation's assets with these keys (see `Registered`): one statement, the
/// keys passed as one array (planned for its values: see `LIST_BATCH`).
pub(super) async fn assets_of_keys(tx: &mut Tx<'_>, org: OrgId, keys: &[&str]) -> Result<Vec<Registered>, StoreError> {
    Ok(
        sqlx::query_as(sqlx::AssertSqlSafe(format!("{KEYED_ASSETS} and a.asset_key = any($2)")))
            .persistent(false)
            .bind(org.0)
            .bind(keys)
            .fetch_all(&mut **tx)
            .await?,
    )
}

/// Holds the organisation's row until the transaction ends, so that two writes to its asset
/// register take turns: each moves the census and presence lines from what it read before
/// writing. `no key update` leaves inserts that refer to the organisation free.
pub(super) async fn lock_org(tx: &mut Tx<'_>, org: OrgId) -> Result<(), StoreError> {
    sqlx::query("select id from orgs where id = $1 for no key update")
        .bind(org.0)
        .fetch_optional(&mut **tx)
        .await?;
    Ok(())
}

/// The texts of the JSON array bound as parameter `n`, as a subquery (`x in {…}`).
pub(super) fn json_texts(n: usize) -> String {
    format!("(select jsonb_array_elements_text(${n}::jsonb))")
}
