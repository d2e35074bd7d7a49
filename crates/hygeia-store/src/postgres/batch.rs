//! The two big writes of an asset import on PostgreSQL: one statement per batch over column
//! arrays (`unnest`). PostgreSQL parses and plans a multi-row `values` with tens of thousands
//! of parameters for every batch; an array is one parameter (BENCHMARKS.md).

use super::ops::{ASSET_UPSERT, LIST_UPSERT, SoftwareList, Tx, to_json};
use crate::StoreError;
use crate::model::AssetRecord;
use hygeia_domain::ids::OrgId;

/// Rows per statement: bounds the arrays held at once, not the statement count.
const BATCH: usize = 10_000;

/// The select list that turns the array parameters `$1`, `$2`… of these element types into
/// rows. Each array is unnested in the select list, where PostgreSQL walks them in step; in
/// `from unnest(…)` it first copied every row into a tuple store: 5,000 assets took about 57
/// ms against 67, their lists 35 against 44 (BENCHMARKS.md). The arrays are always of one
/// length, so none is padded.
fn unnested(types: &[&str]) -> String {
    let columns: Vec<String> = types
        .iter()
        .enumerate()
        .map(|(i, t)| format!("unnest(${}::{t}[])", i + 1))
        .collect();
    columns.join(", ")
}

/// Writes the assets: a plain insert when `upsert` is false (keys the locked transaction found
/// absent), else an upsert by key (an existing asset keeps its id).
pub(super) async fn write_assets(tx: &mut Tx<'_>, assets: &[&AssetRecord], upsert: bool) -> Result<(), StoreError> {
    let conflict = if upsert { ASSET_UPSERT } else { "" };
    for chunk in assets.chunks(BATCH) {
        sqlx::query(sqlx::AssertSqlSafe(format!(
            "insert into assets (id, org_id, asset_key, name, kind, hostname, addresses, owner, location, \
             criticality, essential_services, internet_facing, manufacturer, model, patchable, esu_enrolled, source, \
             created_by, created_at, updated_by, updated_at) \
             select {}{conflict}",
            unnested(&[
                "uuid", "uuid", "text", "text", "text", "text", "text", "text", "text", "text", "text", "boolean",
                "text", "text", "boolean", "boolean", "text", "text", "bigint", "text", "bigint"
            ])
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
             select {}{conflict}",
            unnested(&["uuid", "uuid", "text", "bigint"])
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

/// Holds the organisation's row until the transaction ends, so that two writes to its asset
/// register take turns: each moves the census and presence lines from what it read before
/// writing. `no key update` leaves inserts that refer to the organisation free. An
/// organisation that is not there is not found: this is what keeps assets from naming one,
/// since the assets' foreign key is gone (migration 0023).
pub(super) async fn lock_org(tx: &mut Tx<'_>, org: OrgId) -> Result<(), StoreError> {
    sqlx::query("select id from orgs where id = $1 for no key update")
        .bind(org.0)
        .fetch_optional(&mut **tx)
        .await?
        .map(|_| ())
        .ok_or(StoreError::NotFound)
}

/// The organisation's (`$1`) assets whose keys are in the JSON array bound as parameter `n`,
/// as a table. Each key is looked up in the key index on its own (the `limit` keeps the
/// planner from joining instead), so the read costs the same in a register of 500 assets or
/// 80,000: a join or an `any` over the array scanned the whole organisation, and which
/// one PostgreSQL chose changed with its statistics (BENCHMARKS.md).
pub(super) fn assets_with_keys(n: usize) -> String {
    format!(
        "(select x.* from (select distinct value from jsonb_array_elements_text(${n}::jsonb)) k \
         cross join lateral (select * from assets where org_id = $1 and asset_key = k.value limit 1) x)"
    )
}
