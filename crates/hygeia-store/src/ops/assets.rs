//! The asset register: imports replace what one source brought (upsert by key, software
//! replaced, assets the source no longer lists removed) in one transaction with the audit
//! record, then rewrite the organisation's census lines.

use super::audit::append;
use super::census_lines::{
    add_counts, adjust_census, releases_of_ids, releases_of_keys, releases_written, rewrite_census,
};
use super::{Arg, Cols, LIST_BATCH, Repo, Tx, expect_one, int, numbered_list, value_rows};
use crate::StoreError;
use crate::model::{AssetRecord, CensusRow, InstalledRelease, NewAudit, SoftwareRecord};
use hygeia_domain::assets::asset::{AssetKind, Criticality};
use hygeia_domain::assets::identity::IdentityKind;
use hygeia_domain::assets::version::Scheme;
use hygeia_domain::ids::{AssetId, OrgId};
use hygeia_domain::page::{Page, PageRequest};

const ASSET_COLUMNS: &str = "id, org_id, asset_key, name, kind, hostname, addresses, owner, location, criticality, \
     essential_services, internet_facing, manufacturer, model, patchable, esu_enrolled, source, created_by, created_at, \
     updated_by, updated_at";

/// What an import does to an asset whose key is there already (both backends' batch writers
/// end their insert with it): everything but its id and creation is replaced.
pub(crate) const ASSET_UPSERT: &str = " on conflict (org_id, asset_key) do update set name = excluded.name, \
     kind = excluded.kind, hostname = excluded.hostname, addresses = excluded.addresses, owner = excluded.owner, \
     location = excluded.location, criticality = excluded.criticality, \
     essential_services = excluded.essential_services, internet_facing = excluded.internet_facing, \
     manufacturer = excluded.manufacturer, model = excluded.model, patchable = excluded.patchable, \
     esu_enrolled = excluded.esu_enrolled, source = excluded.source, updated_by = excluded.updated_by, \
     updated_at = excluded.updated_at returning id, asset_key";

fn corrupt(col: &str, value: &str) -> StoreError {
    StoreError::Corrupt(format!("{col}: unknown value '{value}'"))
}

pub(super) fn kind_of(text: &str) -> Result<AssetKind, StoreError> {
    AssetKind::ALL
        .into_iter()
        .find(|k| k.as_str() == text)
        .ok_or_else(|| corrupt("kind", text))
}

pub(super) fn id_kind(text: &str) -> Result<IdentityKind, StoreError> {
    [IdentityKind::Cpe, IdentityKind::Purl, IdentityKind::Name]
        .into_iter()
        .find(|k| k.as_str() == text)
        .ok_or_else(|| corrupt("id_kind", text))
}

pub(crate) fn scheme_code(s: Scheme) -> &'static str {
    match s {
        Scheme::Semver => "semver",
        Scheme::Dotted => "dotted",
        Scheme::Debian => "debian",
        Scheme::Rpm => "rpm",
        Scheme::WindowsBuild => "windows_build",
        Scheme::Generic => "generic",
    }
}

pub(super) fn scheme_of(text: &str) -> Result<Scheme, StoreError> {
    [
        Scheme::Semver,
        Scheme::Dotted,
        Scheme::Debian,
        Scheme::Rpm,
        Scheme::WindowsBuild,
        Scheme::Generic,
    ]
    .into_iter()
    .find(|s| scheme_code(*s) == text)
    .ok_or_else(|| corrupt("scheme", text))
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
        software: Vec::new(),
        created_by: row.text("created_by")?,
        created_at: row.int("created_at")?,
        updated_by: row.text("updated_by")?,
        updated_at: row.int("updated_at")?,
    })
}

fn software(row: &dyn Cols) -> Result<(AssetId, SoftwareRecord), StoreError> {
    Ok((
        AssetId(row.id("asset_id")?),
        SoftwareRecord {
            is_os: row.flag("is_os")?,
            identity: row.text("identity")?,
            given_version: row.opt_text("given_version")?,
            kind: id_kind(&row.text("id_kind")?)?,
            product_key: row.text("product_key")?,
            version: row.opt_text("version")?,
            scheme: scheme_of(&row.text("scheme")?)?,
            product_id: row.opt_text("product_id")?,
            cycle: row.opt_text("cycle")?,
        },
    ))
}

const SOFTWARE_COLUMNS: &str =
    "asset_id, is_os, identity, given_version, id_kind, product_key, version, scheme, product_id, cycle";

impl Repo {
    /// Writes an import: each asset upserted by key with its software replaced, the keys in
    /// `remove` deleted with everything that hangs off them, the census lines adjusted by
    /// what the touched assets ran before and run now (not recounted over the whole register,
    /// which grows with it).
    pub async fn save_assets(
        &self,
        org: OrgId,
        assets: &[AssetRecord],
        remove: &[AssetId],
        audit: &NewAudit,
    ) -> Result<(), StoreError> {
        let mut tx = self.begin_write().await?;
        let keys: Vec<&str> = assets.iter().map(|a| a.key.as_str()).collect();
        let mut before = releases_of_keys(&mut tx, org, &keys).await?;
        add_counts(&mut before, releases_of_ids(&mut tx, org, remove).await?);
        let ids = super::batch::upsert_assets(&mut tx, assets).await?;
        super::batch::insert_software(&mut tx, &software_rows(assets, &ids)).await?;
        remember_names(&mut tx, assets).await?;
        for id in remove {
            delete_asset_rows(&mut tx, org, *id).await?;
        }
        adjust_census(&mut tx, org, &before, &releases_written(assets)).await?;
        append(&mut tx, audit).await?;
        self.commit(tx).await?;
        Ok(())
    }

    pub async fn delete_asset(&self, org: OrgId, id: AssetId, audit: &NewAudit) -> Result<(), StoreError> {
        let mut tx = self.begin_write().await?;
        let gone = delete_asset_rows(&mut tx, org, id).await?;
        expect_one(gone)?;
        rewrite_census(&mut tx, org).await?;
        append(&mut tx, audit).await?;
        self.commit(tx).await?;
        Ok(())
    }

    /// The assets one source brought, with their software (what a re-import compares with).
    pub async fn assets_of_source(&self, org: OrgId, source: &str) -> Result<Vec<AssetRecord>, StoreError> {
        let assets = self
            .read_all(
                composed!("select {ASSET_COLUMNS} from assets where org_id = $1 and source = $2 order by asset_key"),
                &[org.0.into(), source.into()],
                asset,
            )
            .await?;
        self.with_software(org, assets, Some(source)).await
    }

    /// Each key the source has, with its asset's id: enough to tell added from removed
    /// without reading every asset whole.
    pub async fn asset_keys_of_source(&self, org: OrgId, source: &str) -> Result<Vec<(String, AssetId)>, StoreError> {
        self.read_all(
            "select id, asset_key from assets where org_id = $1 and source = $2",
            &[org.0.into(), source.into()],
            |row| Ok((row.text("asset_key")?, AssetId(row.id("id")?))),
        )
        .await
    }

    /// The source's assets with these keys, with their software (what an import that names
    /// only some of a large register compares with).
    pub async fn assets_of_source_with_keys(
        &self,
        org: OrgId,
        source: &str,
        keys: &[&str],
    ) -> Result<Vec<AssetRecord>, StoreError> {
        let mut assets = Vec::with_capacity(keys.len());
        for chunk in keys.chunks(LIST_BATCH) {
            let mut args: Vec<Arg<'_>> = vec![org.0.into(), source.into()];
            args.extend(chunk.iter().map(|k| Arg::Text(k)));
            let list = numbered_list(3, chunk.len());
            assets.extend(
                self.read_all(
                    composed!(
                        "select {ASSET_COLUMNS} from assets where org_id = $1 and source = $2 and asset_key in {list}"
                    ),
                    &args,
                    asset,
                )
                .await?,
            );
        }
        let mut rows = Vec::with_capacity(assets.len() * 5);
        for chunk in assets.chunks(LIST_BATCH) {
            let args: Vec<Arg<'_>> = chunk.iter().map(|a| Arg::Id(a.id.0)).collect();
            let list = numbered_list(1, chunk.len());
            rows.extend(
                self.read_all(
                    composed!(
                        "select {SOFTWARE_COLUMNS} from asset_software where asset_id in {list} order by asset_id, ord"
                    ),
                    &args,
                    software,
                )
                .await?,
            );
        }
        Ok(attach(assets, rows))
    }

    /// Every asset with its software, in key order (the export).
    pub async fn all_assets(&self, org: OrgId) -> Result<Vec<AssetRecord>, StoreError> {
        let assets = self
            .read_all(
                composed!("select {ASSET_COLUMNS} from assets where org_id = $1 order by asset_key"),
                &[org.0.into()],
                asset,
            )
            .await?;
        self.with_software(org, assets, None).await
    }

    async fn with_software(
        &self,
        org: OrgId,
        assets: Vec<AssetRecord>,
        source: Option<&str>,
    ) -> Result<Vec<AssetRecord>, StoreError> {
        let rows = match source {
            Some(source) => {
                self.read_all(
                    composed!(
                        "select {SOFTWARE_COLUMNS} from asset_software s where s.org_id = $1 and s.asset_id in \
                         (select id from assets where org_id = $1 and source = $2) order by s.asset_id, s.ord"
                    ),
                    &[org.0.into(), source.into()],
                    software,
                )
                .await?
            }
            None => {
                self.read_all(
                    composed!(
                        "select {SOFTWARE_COLUMNS} from asset_software where asset_id in \
                         (select id from assets where org_id = $1) order by asset_id, ord"
                    ),
                    &[org.0.into()],
                    software,
                )
                .await?
            }
        };
        Ok(attach(assets, rows))
    }

    pub async fn get_asset(&self, org: OrgId, id: AssetId) -> Result<AssetRecord, StoreError> {
        let mut a = self
            .read_one(
                composed!("select {ASSET_COLUMNS} from assets where org_id = $1 and id = $2"),
                &[org.0.into(), id.0.into()],
                asset,
            )
            .await?;
        a.software = self
            .read_all(
                composed!(
                    "select {SOFTWARE_COLUMNS} from asset_software where org_id = $1 and asset_id = $2 order by ord"
                ),
                &[org.0.into(), id.0.into()],
                software,
            )
            .await?
            .into_iter()
            .map(|(_, s)| s)
            .collect();
        Ok(a)
    }

    /// A page of the register, by name, optionally of one kind or matching a search, each
    /// with its software.
    pub async fn assets_page(
        &self,
        org: OrgId,
        kind: Option<AssetKind>,
        search: Option<&str>,
        page: PageRequest,
    ) -> Result<Page<AssetRecord>, StoreError> {
        let pattern = search.map(|s| format!("%{}%", s.to_lowercase().replace(['%', '_'], "")));
        let args = [
            Arg::Id(org.0),
            Arg::Text(kind.map_or("", |k| k.as_str())),
            Arg::Text(pattern.as_deref().unwrap_or("")),
            Arg::Int(i64::from(page.limit)),
            Arg::Int(int(page.offset)),
        ];
        let filter = "org_id = $1 and ($2 = '' or kind = $2) and ($3 = '' or lower(name) like $3 or lower(asset_key) like $3 \
                      or lower(coalesce(hostname, '')) like $3)";
        let items = self
            .read_all(
                composed!("select {ASSET_COLUMNS} from assets where {filter} order by lower(name), asset_key limit $4 offset $5"),
                &args,
                asset,
            )
            .await?;
        let mut items = items;
        for a in &mut items {
            a.software = self
                .read_all(
                    composed!(
                        "select {SOFTWARE_COLUMNS} from asset_software where org_id = $1 and asset_id = $2 order by ord"
                    ),
                    &[org.0.into(), a.id.0.into()],
                    software,
                )
                .await?
                .into_iter()
                .map(|(_, s)| s)
                .collect();
        }
        self.page_of(
            page,
            items,
            composed!("select count(*) as n from assets where {filter}"),
            &args[..3],
        )
        .await
    }

    /// Every software row the dictionary placed in a catalogue release, with its asset.
    pub async fn installed_releases(&self, org: OrgId) -> Result<Vec<InstalledRelease>, StoreError> {
        self.read_all(
            "select a.id, a.asset_key, a.name, a.kind, a.esu_enrolled, s.identity, s.product_id, s.cycle \
             from asset_software s join assets a on a.id = s.asset_id \
             where a.org_id = $1 and s.product_id is not null and s.cycle is not null order by a.name, s.ord",
            &[org.0.into()],
            |r| {
                Ok(InstalledRelease {
                    asset_id: AssetId(r.id("id")?),
                    asset_key: r.text("asset_key")?,
                    asset_name: r.text("name")?,
                    kind: kind_of(&r.text("kind")?)?,
                    esu_enrolled: r.flag("esu_enrolled")?,
                    identity: r.text("identity")?,
                    product_id: r.text("product_id")?,
                    cycle: r.text("cycle")?,
                })
            },
        )
        .await
    }

    /// The organisations that are the parent of some organisation in the remit (regions,
    /// ICBs, care groups), by name: what the census can be narrowed to.
    pub async fn census_parents(&self, regulator: Option<OrgId>) -> Result<Vec<(OrgId, String)>, StoreError> {
        let nil = uuid::Uuid::nil();
        self.read_all(
            "select distinct p.id, p.name from orgs o join orgs p on p.id = o.parent_id \
             where ($1 = $2 or o.regulator_id = $1) order by p.name, p.id",
            &[Arg::Id(regulator.map_or(nil, |r| r.0)), Arg::Id(nil)],
            |r| Ok((OrgId(r.id("id")?), r.text("name")?)),
        )
        .await
    }

    /// How many organisations and assets run each release, over the organisations that pass
    /// the filters: a regulator's remit, an organisation type, a parent (ICB or region).
    pub async fn census(
        &self,
        regulator: Option<OrgId>,
        org_type: Option<&str>,
        parent: Option<OrgId>,
    ) -> Result<Vec<CensusRow>, StoreError> {
        let nil = uuid::Uuid::nil();
        let row = |r: &dyn Cols| {
            Ok(CensusRow {
                product_id: r.text("product_id")?,
                cycle: r.text("cycle")?,
                orgs: u64::try_from(r.int("orgs")?).unwrap_or(0),
                assets: u64::try_from(r.int("assets")?).unwrap_or(0),
                esu_assets: u64::try_from(r.int("esu_assets")?).unwrap_or(0),
            })
        };
        const SUMS: &str = "select c.product_id, c.cycle, count(*) as orgs, cast(sum(c.assets) as bigint) as assets, \
             cast(sum(c.esu_assets) as bigint) as esu_assets from software_census c";
        if regulator.is_none() && org_type.is_none() && parent.is_none() {
            // The whole sector: the lines in release order, no organisation to look up.
            return self
                .read_all(
                    composed!("{SUMS} group by c.product_id, c.cycle order by c.product_id, c.cycle"),
                    &[],
                    row,
                )
                .await;
        }
        // A part of it: the organisations first, as a set the lines are checked against (an
        // organisation looked up per line took twice as long on SQLite).
        self.read_all(
            composed!(
                "{SUMS} where c.org_id in (select o.id from orgs o \
                 where ($1 = $4 or o.regulator_id = $1) and ($2 = '' or o.org_type = $2) and ($3 = $4 or o.parent_id = $3)) \
                 group by c.product_id, c.cycle order by c.product_id, c.cycle"
            ),
            &[
                Arg::Id(regulator.map_or(nil, |r| r.0)),
                Arg::Text(org_type.unwrap_or("")),
                Arg::Id(parent.map_or(nil, |p| p.0)),
                Arg::Id(nil),
            ],
            row,
        )
        .await
    }

    /// Software rows the dictionary could not place, after a key, for re-resolving once the
    /// catalogue has grown: (asset, ord, identity, given version).
    pub async fn unresolved_software(
        &self,
        after: Option<(AssetId, i64)>,
        limit: u32,
    ) -> Result<Vec<(AssetId, i64, String, Option<String>)>, StoreError> {
        let (a, o) = after.map_or((uuid::Uuid::nil(), -1), |(a, o)| (a.0, o));
        self.read_all(
            "select asset_id, ord, identity, given_version from asset_software \
             where product_id is null and (asset_id > $1 or (asset_id = $1 and ord > $2)) order by asset_id, ord limit $3",
            &[Arg::Id(a), Arg::Int(o), Arg::Int(i64::from(limit))],
            |r| Ok((AssetId(r.id("asset_id")?), r.int("ord")?, r.text("identity")?, r.opt_text("given_version")?)),
        )
        .await
    }

    /// Records where the dictionary now places some software rows, and rewrites the census
    /// lines of the organisations they belong to.
    pub async fn set_resolutions(&self, rows: &[(AssetId, i64, String, Option<String>)]) -> Result<(), StoreError> {
        let mut tx = self.begin_write().await?;
        let mut orgs = std::collections::BTreeSet::new();
        for (asset, ord, product, cycle) in rows {
            let org: Option<(uuid::Uuid,)> = sqlx::query_as(
                "update asset_software set product_id = $3, cycle = $4 where asset_id = $1 and ord = $2 returning org_id",
            )
            .bind(asset.0)
            .bind(*ord)
            .bind(product)
            .bind(cycle)
            .fetch_optional(&mut *tx)
            .await?;
            if let Some((org,)) = org {
                orgs.insert(org);
            }
        }
        for org in orgs {
            rewrite_census(&mut tx, OrgId(org)).await?;
        }
        self.commit(tx).await?;
        Ok(())
    }
}

/// Gives each asset its software rows (in the order read).
fn attach(mut assets: Vec<AssetRecord>, rows: Vec<(AssetId, SoftwareRecord)>) -> Vec<AssetRecord> {
    let index: std::collections::HashMap<AssetId, usize> = assets.iter().enumerate().map(|(i, a)| (a.id, i)).collect();
    for (id, s) in rows {
        if let Some(i) = index.get(&id) {
            assets[*i].software.push(s);
        }
    }
    assets
}

/// One software row to write: the asset's id (as the upsert left it), its position, the
/// organisation and the record.
pub(crate) type SoftwareRow<'a> = (uuid::Uuid, OrgId, i64, &'a SoftwareRecord);

/// Every asset's software under the ids the upsert gave, in order.
fn software_rows<'a>(
    assets: &'a [AssetRecord],
    ids: &std::collections::HashMap<String, uuid::Uuid>,
) -> Vec<SoftwareRow<'a>> {
    assets
        .iter()
        .filter_map(|a| ids.get(&a.key).map(|id| (a, *id)))
        .flat_map(|(a, id)| {
            a.software
                .iter()
                .enumerate()
                .map(move |(i, s)| (id, a.org_id, i64::try_from(i).unwrap_or(0), s))
        })
        .collect()
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
    for table in ["asset_software", "alert_matches", "unsupported_treatments"] {
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

impl Repo {
    /// For each catalogue product, how many organisations and assets run any release of it
    /// (from the census lines; the KEV exposure reads this).
    pub async fn running_products(&self, regulator: Option<OrgId>) -> Result<Vec<(String, u64, u64)>, StoreError> {
        let nil = uuid::Uuid::nil();
        self.read_all(
            "select c.product_id, count(distinct c.org_id) as orgs, cast(sum(c.assets) as bigint) as assets from software_census c \
             join orgs o on o.id = c.org_id where ($1 = $2 or o.regulator_id = $1) group by c.product_id",
            &[Arg::Id(regulator.map_or(nil, |r| r.0)), Arg::Id(nil)],
            |r| Ok((r.text("product_id")?, u64::try_from(r.int("orgs")?).unwrap_or(0), u64::try_from(r.int("assets")?).unwrap_or(0))),
        )
        .await
    }

    /// Every free-text product key any asset runs.
    pub async fn software_names(&self) -> Result<Vec<String>, StoreError> {
        self.read_all(
            "select product_key from software_names order by product_key",
            &[],
            |r| r.text("product_key"),
        )
        .await
    }

    /// How many organisations and assets run software with this product key.
    pub async fn running_key(&self, key: &str, regulator: Option<OrgId>) -> Result<(u64, u64), StoreError> {
        let nil = uuid::Uuid::nil();
        self.read_one(
            "select count(distinct s.org_id) as orgs, count(distinct s.asset_id) as assets from asset_software s \
             join orgs o on o.id = s.org_id where s.product_key = $1 and ($2 = $3 or o.regulator_id = $2)",
            &[Arg::Text(key), Arg::Id(regulator.map_or(nil, |r| r.0)), Arg::Id(nil)],
            |r| {
                Ok((
                    u64::try_from(r.int("orgs")?).unwrap_or(0),
                    u64::try_from(r.int("assets")?).unwrap_or(0),
                ))
            },
        )
        .await
    }
}
