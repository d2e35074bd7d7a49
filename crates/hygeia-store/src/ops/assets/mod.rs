//! The asset register: imports replace what one source brought (upsert by key, software
//! list replaced, assets the source no longer lists removed) in one transaction with the
//! audit record, and move the organisation's census and presence lines.
//!
//! One module per use: `write` (imports and deletion), `read` (the register as the pages and
//! re-imports read it), `census` (the sector's counts), `resolutions` (re-placing products
//! once the catalogue has grown). The row decoding and the statements' shared pieces are here.

mod census;
mod read;
mod resolutions;
mod write;

pub(crate) use write::SoftwareList;

use super::Cols;
use crate::StoreError;
use crate::model::AssetRecord;
use crate::software_lists::unpack;
use hygeia_domain::assets::asset::{AssetKind, Criticality};
use hygeia_domain::ids::{AssetId, OrgId};

/// An asset's columns with its software list (`FROM_ASSETS` names the tables).
const ASSET_COLUMNS: &str = "a.id, a.org_id, a.asset_key, a.name, a.kind, a.hostname, a.addresses, a.owner, a.location, \
     a.criticality, a.essential_services, a.internet_facing, a.manufacturer, a.model, a.patchable, a.esu_enrolled, \
     a.source, a.created_by, a.created_at, a.updated_by, a.updated_at, l.software";

/// Assets with their software lists (an asset written before it had one reads as running
/// nothing).
const FROM_ASSETS: &str = "assets a left join software_lists l on l.org_id = a.org_id and l.asset_id = a.id";

/// The same join for assets `a` taken from a narrower table than `assets`.
const WITH_LISTS: &str = "left join software_lists l on l.org_id = a.org_id and l.asset_id = a.id";

/// What an import does to an asset whose key is there already (both backends' batch writers
/// end their insert with it): everything but its id and creation is replaced.
pub(crate) const ASSET_UPSERT: &str = " on conflict (org_id, asset_key) do update set name = excluded.name, \
     kind = excluded.kind, hostname = excluded.hostname, addresses = excluded.addresses, owner = excluded.owner, \
     location = excluded.location, criticality = excluded.criticality, \
     essential_services = excluded.essential_services, internet_facing = excluded.internet_facing, \
     manufacturer = excluded.manufacturer, model = excluded.model, patchable = excluded.patchable, \
     esu_enrolled = excluded.esu_enrolled, source = excluded.source, updated_by = excluded.updated_by, \
     updated_at = excluded.updated_at";

/// What an import does to a software list whose asset had one already: replaces it.
pub(crate) const LIST_UPSERT: &str =
    " on conflict (org_id, asset_id) do update set software = excluded.software, unplaced = excluded.unplaced";

/// An asset an import names, as its write transaction finds it: key, id, whether it is in
/// extended updates, and its software list if it has one.
pub(super) type Registered = (String, uuid::Uuid, bool, Option<String>);

fn corrupt(col: &str, value: &str) -> StoreError {
    StoreError::Corrupt(format!("{col}: unknown value '{value}'"))
}

pub(super) fn kind_of(text: &str) -> Result<AssetKind, StoreError> {
    AssetKind::ALL
        .into_iter()
        .find(|k| k.as_str() == text)
        .ok_or_else(|| corrupt("kind", text))
}

fn list(row: &dyn Cols, col: &str) -> Result<Vec<String>, StoreError> {
    serde_json::from_str(&row.text(col)?).map_err(|e| StoreError::Corrupt(format!("{col}: {e}")))
}

pub(crate) fn to_json(v: &[String]) -> String {
    serde_json::to_string(v).unwrap_or_else(|_| "[]".into())
}

fn asset(row: &dyn Cols) -> Result<AssetRecord, StoreError> {
    let criticality = row.text("criticality")?;
    Ok(AssetRecord {
        id: AssetId(row.id("id")?),
        org_id: OrgId(row.id("org_id")?),
        key: row.text("asset_key")?,
        name: row.text("name")?,
        kind: kind_of(&row.text("kind")?)?,
        hostname: row.opt_text("hostname")?,
        addresses: list(row, "addresses")?,
        owner: row.opt_text("owner")?,
        location: row.opt_text("location")?,
        criticality: Criticality::parse(&criticality).ok_or_else(|| corrupt("criticality", &criticality))?,
        essential_services: list(row, "essential_services")?,
        internet_facing: row.flag("internet_facing")?,
        manufacturer: row.opt_text("manufacturer")?,
        model: row.opt_text("model")?,
        patchable: row.opt_flag("patchable")?,
        esu_enrolled: row.flag("esu_enrolled")?,
        source: row.text("source")?,
        software: match row.opt_text("software")? {
            Some(text) => unpack(&text)?,
            None => Vec::new(),
        },
        created_by: row.text("created_by")?,
        created_at: row.int("created_at")?,
        updated_by: row.text("updated_by")?,
        updated_at: row.int("updated_at")?,
    })
}
