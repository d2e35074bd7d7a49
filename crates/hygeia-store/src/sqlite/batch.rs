//! The two big writes of an asset import on SQLite: multi-row statements with plain `?`
//! placeholders (see `placeholder`), in batches under SQLite's 32,766 values.

use super::ops::{ASSET_UPSERT, SoftwareRow, Tx, scheme_code, to_json, value_rows};
use crate::StoreError;
use crate::model::AssetRecord;
use std::collections::HashMap;

/// Software rows per insert statement: 12 values each.
const SOFTWARE_BATCH: usize = 2000;

/// Assets per upsert statement: 21 values each.
const ASSET_BATCH: usize = 1000;

/// Upserts the assets by key in multi-row statements, clears the software of each, and
/// answers the id each key has now (an existing asset keeps its id).
pub(super) async fn upsert_assets(
    tx: &mut Tx<'_>,
    assets: &[AssetRecord],
) -> Result<HashMap<String, uuid::Uuid>, StoreError> {
    let mut ids = HashMap::with_capacity(assets.len());
    for chunk in assets.chunks(ASSET_BATCH) {
        let mut sql = String::from(
            "insert into assets (id, org_id, asset_key, name, kind, hostname, addresses, owner, location, criticality, \
             essential_services, internet_facing, manufacturer, model, patchable, esu_enrolled, source, created_by, \
             created_at, updated_by, updated_at) values ",
        );
        sql.push_str(&value_rows(chunk.len(), 21));
        sql.push_str(ASSET_UPSERT);
        let mut q = sqlx::query_as::<_, (uuid::Uuid, String)>(sqlx::AssertSqlSafe(sql));
        for a in chunk {
            q = q
                .bind(a.id.0)
                .bind(a.org_id.0)
                .bind(&a.key)
                .bind(&a.name)
                .bind(a.kind.as_str())
                .bind(&a.hostname)
                .bind(to_json(&a.addresses))
                .bind(&a.owner)
                .bind(&a.location)
                .bind(a.criticality.as_str())
                .bind(to_json(&a.essential_services))
                .bind(a.internet_facing)
                .bind(&a.manufacturer)
                .bind(&a.model)
                .bind(a.patchable)
                .bind(a.esu_enrolled)
                .bind(&a.source)
                .bind(&a.created_by)
                .bind(a.created_at)
                .bind(&a.updated_by)
                .bind(a.updated_at);
        }
        let rows = q.fetch_all(&mut **tx).await?;
        let mut sql = String::from("delete from asset_software where asset_id in ");
        sql.push_str(&value_rows(1, rows.len()));
        let mut q = sqlx::query(sqlx::AssertSqlSafe(sql));
        for (id, _) in &rows {
            q = q.bind(*id);
        }
        q.execute(&mut **tx).await?;
        ids.extend(rows.into_iter().map(|(id, key)| (key, id)));
    }
    Ok(ids)
}

/// Inserts the software rows in multi-row statements.
pub(super) async fn insert_software(tx: &mut Tx<'_>, rows: &[SoftwareRow<'_>]) -> Result<(), StoreError> {
    for chunk in rows.chunks(SOFTWARE_BATCH) {
        let mut sql = String::from(
            "insert into asset_software (asset_id, ord, org_id, is_os, identity, given_version, id_kind, product_key, \
             version, scheme, product_id, cycle) values ",
        );
        sql.push_str(&value_rows(chunk.len(), 12));
        let mut q = sqlx::query(sqlx::AssertSqlSafe(sql));
        for (asset, org, ord, s) in chunk {
            q = q
                .bind(*asset)
                .bind(*ord)
                .bind(org.0)
                .bind(s.is_os)
                .bind(&s.identity)
                .bind(&s.given_version)
                .bind(s.kind.as_str())
                .bind(&s.product_key)
                .bind(&s.version)
                .bind(scheme_code(s.scheme))
                .bind(&s.product_id)
                .bind(&s.cycle);
        }
        q.execute(&mut **tx).await?;
    }
    Ok(())
}
