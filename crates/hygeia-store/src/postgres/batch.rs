//! The two big writes of an asset import on PostgreSQL: one statement per batch over column
//! arrays (`unnest`). PostgreSQL parses and plans a multi-row `values` with tens of thousands
//! of parameters for every batch; twelve arrays are one parameter each (BENCHMARKS.md).

use super::ops::{ASSET_UPSERT, SoftwareRow, Tx, scheme_code, to_json};
use crate::StoreError;
use crate::model::AssetRecord;
use std::collections::HashMap;
use uuid::Uuid;

/// Rows per statement: bounds the arrays held at once, not the statement count.
const BATCH: usize = 10_000;

/// Upserts the assets by key, clears the software of each, and answers the id each key has
/// now (an existing asset keeps its id).
pub(super) async fn upsert_assets(
    tx: &mut Tx<'_>,
    assets: &[AssetRecord],
) -> Result<HashMap<String, Uuid>, StoreError> {
    let mut ids = HashMap::with_capacity(assets.len());
    for chunk in assets.chunks(BATCH) {
        let rows: Vec<(Uuid, String)> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
            "insert into assets (id, org_id, asset_key, name, kind, hostname, addresses, owner, location, \
             criticality, essential_services, internet_facing, manufacturer, model, patchable, esu_enrolled, source, \
             created_by, created_at, updated_by, updated_at) \
             select * from unnest($1::uuid[], $2::uuid[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], \
             $8::text[], $9::text[], $10::text[], $11::text[], $12::boolean[], $13::text[], $14::text[], \
             $15::boolean[], $16::boolean[], $17::text[], $18::text[], $19::bigint[], $20::text[], $21::bigint[]){ASSET_UPSERT}"
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
        .fetch_all(&mut **tx)
        .await?;
        sqlx::query("delete from asset_software where asset_id = any($1)")
            .bind(rows.iter().map(|(id, _)| *id).collect::<Vec<_>>())
            .execute(&mut **tx)
            .await?;
        ids.extend(rows.into_iter().map(|(id, key)| (key, id)));
    }
    Ok(ids)
}

/// Inserts the software rows.
pub(super) async fn insert_software(tx: &mut Tx<'_>, rows: &[SoftwareRow<'_>]) -> Result<(), StoreError> {
    for chunk in rows.chunks(BATCH) {
        sqlx::query(
            "insert into asset_software (asset_id, ord, org_id, is_os, identity, given_version, id_kind, product_key, \
             version, scheme, product_id, cycle) \
             select * from unnest($1::uuid[], $2::bigint[], $3::uuid[], $4::boolean[], $5::text[], $6::text[], \
             $7::text[], $8::text[], $9::text[], $10::text[], $11::text[], $12::text[])",
        )
        .bind(chunk.iter().map(|r| r.0).collect::<Vec<_>>())
        .bind(chunk.iter().map(|r| r.2).collect::<Vec<_>>())
        .bind(chunk.iter().map(|r| r.1.0).collect::<Vec<_>>())
        .bind(chunk.iter().map(|r| r.3.is_os).collect::<Vec<_>>())
        .bind(chunk.iter().map(|r| r.3.identity.as_str()).collect::<Vec<_>>())
        .bind(chunk.iter().map(|r| r.3.given_version.as_deref()).collect::<Vec<_>>())
        .bind(chunk.iter().map(|r| r.3.kind.as_str()).collect::<Vec<_>>())
        .bind(chunk.iter().map(|r| r.3.product_key.as_str()).collect::<Vec<_>>())
        .bind(chunk.iter().map(|r| r.3.version.as_deref()).collect::<Vec<_>>())
        .bind(chunk.iter().map(|r| scheme_code(r.3.scheme)).collect::<Vec<_>>())
        .bind(chunk.iter().map(|r| r.3.product_id.as_deref()).collect::<Vec<_>>())
        .bind(chunk.iter().map(|r| r.3.cycle.as_deref()).collect::<Vec<_>>())
        .execute(&mut **tx)
        .await?;
    }
    Ok(())
}
