//! The presence lines (`software_presence`): per organisation, each product key and placement
//! its assets run, with how many assets, and which ones while they are few. Matching starts
//! here: an advisory for a product a few assets run reads just those assets' lists, one for a
//! common product reads the organisation's lists.

use super::{Tx, value_rows};
use crate::StoreError;
use hygeia_domain::ids::OrgId;
use std::collections::{BTreeSet, HashMap};
use uuid::Uuid;

/// A line names its assets while it has at most this many (an advisory for a medical device
/// or a clinical system usually concerns one or two assets of an organisation).
pub(crate) const NAMED_ASSETS: usize = 32;

/// (product key, product id, cycle), '' where the dictionary did not place the product or
/// the release is unknown.
pub(super) type Line = (String, String, String);

/// Per line, the assets that run it: all of the organisation's, or those an import touched.
pub(super) type Presence = HashMap<Line, BTreeSet<Uuid>>;

/// Per line, the assets an import added to it and took from it.
pub(super) type PresenceDelta = HashMap<Line, (BTreeSet<Uuid>, BTreeSet<Uuid>)>;

/// `after - before` per line, without the lines no asset joined or left.
pub(super) fn delta(before: &Presence, after: &Presence) -> PresenceDelta {
    let empty = BTreeSet::new();
    let mut out = PresenceDelta::new();
    for line in before.keys().chain(after.keys()) {
        let (b, a) = (before.get(line).unwrap_or(&empty), after.get(line).unwrap_or(&empty));
        let added: BTreeSet<Uuid> = a.difference(b).copied().collect();
        let removed: BTreeSet<Uuid> = b.difference(a).copied().collect();
        if !added.is_empty() || !removed.is_empty() {
            out.insert(line.clone(), (added, removed));
        }
    }
    out
}

/// The stored form of a line's assets: a JSON list of their ids while there are few, else
/// nothing.
fn named(ids: &BTreeSet<Uuid>) -> Option<String> {
    (ids.len() <= NAMED_ASSETS).then(|| {
        let simple: Vec<String> = ids.iter().map(|id| id.simple().to_string()).collect();
        serde_json::to_string(&simple).unwrap_or_else(|_| "[]".into())
    })
}

/// A line's assets as stored, `None` when it has too many to name.
pub(crate) fn read_named(text: Option<&str>) -> Result<Option<BTreeSet<Uuid>>, StoreError> {
    let Some(text) = text else { return Ok(None) };
    let ids: Vec<String> =
        serde_json::from_str(text).map_err(|e| StoreError::Corrupt(format!("software_presence.asset_ids: {e}")))?;
    ids.iter()
        .map(|s| Uuid::parse_str(s).map_err(|e| StoreError::Corrupt(format!("software_presence.asset_ids: {e}"))))
        .collect::<Result<_, _>>()
        .map(Some)
}

/// Moves the organisation's lines by what an import changed. Answers false when some line
/// fell to few assets from too many to name, so the organisation must be recounted to name
/// them.
pub(super) async fn adjust_presence(tx: &mut Tx<'_>, org: OrgId, delta: &PresenceDelta) -> Result<bool, StoreError> {
    if delta.is_empty() {
        return Ok(true);
    }
    let rows: Vec<(String, String, String, i64, Option<String>)> = sqlx::query_as(
        "select product_key, product_id, cycle, assets, asset_ids from software_presence where org_id = $1",
    )
    .bind(org.0)
    .fetch_all(&mut **tx)
    .await?;
    let mut stored: HashMap<Line, (i64, Option<BTreeSet<Uuid>>)> = HashMap::with_capacity(rows.len());
    for (key, product, cycle, n, ids) in rows {
        stored.insert((key, product, cycle), (n, read_named(ids.as_deref())?));
    }
    let mut exact = true;
    let mut gone = Vec::new();
    let mut kept = Vec::new();
    for (line, (added, removed)) in delta {
        let (n, ids) = stored.remove(line).unwrap_or((0, Some(BTreeSet::new())));
        let n = n + i64::try_from(added.len()).unwrap_or(0) - i64::try_from(removed.len()).unwrap_or(0);
        let ids = ids.map(|mut ids| {
            ids.retain(|id| !removed.contains(id));
            ids.extend(added.iter().copied());
            ids
        });
        if n <= 0 {
            gone.push(line);
            continue;
        }
        let few = usize::try_from(n).is_ok_and(|n| n <= NAMED_ASSETS);
        exact &= !few || ids.is_some();
        kept.push((line, n, ids.as_ref().and_then(named)));
    }
    for (key, product, cycle) in gone {
        sqlx::query(
            "delete from software_presence where org_id = $1 and product_key = $2 and product_id = $3 and cycle = $4",
        )
        .bind(org.0)
        .bind(key)
        .bind(product)
        .bind(cycle)
        .execute(&mut **tx)
        .await?;
    }
    write_rows(tx, org, &kept, true).await?;
    Ok(exact)
}

/// Writes the organisation's lines anew (after its old ones were deleted).
pub(super) async fn write_presence(tx: &mut Tx<'_>, org: OrgId, presence: &Presence) -> Result<(), StoreError> {
    let rows: Vec<_> = presence
        .iter()
        .map(|(line, ids)| (line, i64::try_from(ids.len()).unwrap_or(i64::MAX), named(ids)))
        .collect();
    write_rows(tx, org, &rows, false).await
}

/// Lines per statement: 6 values each.
const LINE_BATCH: usize = 1000;

async fn write_rows(
    tx: &mut Tx<'_>,
    org: OrgId,
    rows: &[(&Line, i64, Option<String>)],
    replace: bool,
) -> Result<(), StoreError> {
    for chunk in rows.chunks(LINE_BATCH) {
        let mut sql = String::from(
            "insert into software_presence (org_id, product_key, product_id, cycle, assets, asset_ids) values ",
        );
        sql.push_str(&value_rows(chunk.len(), 6));
        if replace {
            sql.push_str(
                " on conflict (org_id, product_key, product_id, cycle) do update \
                 set assets = excluded.assets, asset_ids = excluded.asset_ids",
            );
        }
        let mut q = sqlx::query(sqlx::AssertSqlSafe(sql));
        for ((key, product, cycle), n, ids) in chunk {
            q = q.bind(org.0).bind(key).bind(product).bind(cycle).bind(*n).bind(ids);
        }
        q.execute(&mut **tx).await?;
    }
    Ok(())
}
