//! The two big writes of an asset import on SQLite: multi-row statements with plain `?`
//! placeholders (see `placeholder`), in batches under SQLite's 32,766 values.

use super::ops::{ASSET_UPSERT, LIST_UPSERT, SoftwareList, Tx, to_json, value_rows};
use crate::StoreError;
use crate::model::AssetRecord;
use hygeia_domain::ids::OrgId;

/// Software lists per statement: 4 values each, 20,000 in all (a larger statement binds
/// fewer times: 5,000 lists took 25 ms so against 30 ms in statements of 2,000).
const LIST_ROWS: usize = 5000;

/// Assets per upsert statement: 21 values each, 31,500 in all.
const ASSET_BATCH: usize = 1500;

/// Writes the assets in multi-row statements: a plain insert when `upsert` is false (keys the
/// transaction found absent), else an upsert by key (an existing asset keeps its id).
pub(super) async fn write_assets(tx: &mut Tx<'_>, assets: &[&AssetRecord], upsert: bool) -> Result<(), StoreError> {
    for chunk in assets.chunks(ASSET_BATCH) {
        let mut sql = String::from(
            "insert into assets (id, org_id, asset_key, name, kind, hostname, addresses, owner, location, criticality, \
             essential_services, internet_facing, manufacturer, model, patchable, esu_enrolled, source, created_by, \
             created_at, updated_by, updated_at) values ",
        );
        sql.push_str(&value_rows(chunk.len(), 21));
        if upsert {
            sql.push_str(ASSET_UPSERT);
        }
        let mut q = sqlx::query(sqlx::AssertSqlSafe(sql));
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
        q.execute(&mut **tx).await?;
    }
    Ok(())
}

/// Writes the software lists in multi-row statements: a plain insert when `upsert` is false
/// (assets that have none yet), else each over the one its asset had.
pub(super) async fn write_software_lists(
    tx: &mut Tx<'_>,
    lists: &[SoftwareList],
    upsert: bool,
) -> Result<(), StoreError> {
    for chunk in lists.chunks(LIST_ROWS) {
        let mut sql = String::from("insert into software_lists (org_id, asset_id, software, unplaced) values ");
        sql.push_str(&value_rows(chunk.len(), 4));
        if upsert {
            sql.push_str(LIST_UPSERT);
        }
        let mut q = sqlx::query(sqlx::AssertSqlSafe(sql));
        for (org, asset, software, unplaced) in chunk {
            q = q.bind(org.0).bind(*asset).bind(software).bind(*unplaced);
        }
        q.execute(&mut **tx).await?;
    }
    Ok(())
}

/// SQLite has one writer: writes to an organisation's register already take turns. An
/// organisation that is not there is not found, as on PostgreSQL.
pub(super) async fn lock_org(tx: &mut Tx<'_>, org: OrgId) -> Result<(), StoreError> {
    sqlx::query("select id from orgs where id = $1")
        .bind(org.0)
        .fetch_optional(&mut **tx)
        .await?
        .map(|_| ())
        .ok_or(StoreError::NotFound)
}

/// The organisation's (`$1`) assets whose keys are in the JSON array bound as parameter `n`,
/// as a table (SQLite looks each key up in the key index).
pub(super) fn assets_with_keys(n: usize) -> String {
    format!("(select * from assets where org_id = $1 and asset_key in (select value from json_each(${n})))")
}
