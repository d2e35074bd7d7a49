//! The asset register: imports replace what one source brought (upsert by key, software
//! list replaced, assets the source no longer lists removed) in one transaction with the
//! audit record, and move the organisation's census and presence lines.

use super::audit::append;
use super::census_lines::{Lines, adjust_lines, lines_of_ids, lines_of_registered, rewrite_lines};
use super::{Arg, Cols, LIST_BATCH, Repo, Tx, expect_one, int, numbered_list, value_rows};
use crate::StoreError;
use crate::model::{AssetRecord, CensusRow, InstalledRelease, NewAudit};
use crate::software_lists::{pack, unpack, unplaced};
use hygeia_domain::assets::asset::{AssetKind, Criticality};
use hygeia_domain::assets::identity::IdentityKind;
use hygeia_domain::ids::{AssetId, OrgId};
use hygeia_domain::page::{Page, PageRequest};
use std::collections::HashMap;

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
        super::batch::lock_org(&mut tx, org).await?;
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
        let (inserted, written) = tokio::join!(super::batch::write_assets(&mut tx, &new, false), async {
            Written::of(assets, |a| ids.get(a.key.as_str()).copied())
        });
        inserted?;
        super::batch::write_assets(&mut tx, &old, true).await?;
        super::batch::write_software_lists(&mut tx, &written.new_lists, false).await?;
        super::batch::write_software_lists(&mut tx, &written.old_lists, true).await?;
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
        super::batch::lock_org(&mut tx, org).await?;
        let gone = delete_asset_rows(&mut tx, org, id).await?;
        expect_one(gone)?;
        rewrite_lines(&mut tx, org).await?;
        append(&mut tx, audit).await?;
        self.commit(tx).await?;
        Ok(())
    }

    /// The assets one source brought, with their software (what a re-import compares with).
    pub async fn assets_of_source(&self, org: OrgId, source: &str) -> Result<Vec<AssetRecord>, StoreError> {
        self.read_all(
            composed!(
                "select {ASSET_COLUMNS} from {FROM_ASSETS} where a.org_id = $1 and a.source = $2 order by a.asset_key"
            ),
            &[org.0.into(), source.into()],
            asset,
        )
        .await
    }

    /// Each key the source has, with its asset's id: enough to tell added from removed
    /// without reading every asset whole. There is no source index (migration 0022): this
    /// walks the organisation's keys, which only an import replacing a whole source needs.
    pub async fn asset_keys_of_source(&self, org: OrgId, source: &str) -> Result<Vec<(String, AssetId)>, StoreError> {
        self.read_all(
            "select id, asset_key from assets where org_id = $1 and source = $2",
            &[org.0.into(), source.into()],
            |row| Ok((row.text("asset_key")?, AssetId(row.id("id")?))),
        )
        .await
    }

    /// The source's assets with these keys, with their software: what an import that names
    /// only some of a large register compares with. The keys go as one JSON array, so a file
    /// of 5,000 keys is one statement however many of them the source has.
    pub async fn assets_of_source_with_keys(
        &self,
        org: OrgId,
        source: &str,
        keys: &[&str],
    ) -> Result<Vec<AssetRecord>, StoreError> {
        if keys.is_empty() {
            return Ok(Vec::new());
        }
        let keys = serde_json::to_string(keys).map_err(|e| StoreError::Corrupt(format!("asset keys: {e}")))?;
        self.read_all(
            composed!(
                "select {ASSET_COLUMNS} from {} a {WITH_LISTS} where a.source = $2",
                super::batch::assets_with_keys(3)
            ),
            &[org.0.into(), source.into(), Arg::Text(&keys)],
            asset,
        )
        .await
    }

    /// Every asset with its software, in key order (the export).
    pub async fn all_assets(&self, org: OrgId) -> Result<Vec<AssetRecord>, StoreError> {
        self.read_all(
            composed!("select {ASSET_COLUMNS} from {FROM_ASSETS} where a.org_id = $1 order by a.asset_key"),
            &[org.0.into()],
            asset,
        )
        .await
    }

    pub async fn get_asset(&self, org: OrgId, id: AssetId) -> Result<AssetRecord, StoreError> {
        self.read_one(
            composed!("select {ASSET_COLUMNS} from {FROM_ASSETS} where a.org_id = $1 and a.id = $2"),
            &[org.0.into(), id.0.into()],
            asset,
        )
        .await
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
        let filter = "a.org_id = $1 and ($2 = '' or a.kind = $2) and ($3 = '' or lower(a.name) like $3 \
                      or lower(a.asset_key) like $3 or lower(coalesce(a.hostname, '')) like $3)";
        let items = self
            .read_all(
                composed!(
                    "select {ASSET_COLUMNS} from {FROM_ASSETS} where {filter} \
                     order by lower(a.name), a.asset_key limit $4 offset $5"
                ),
                &args,
                asset,
            )
            .await?;
        self.page_of(
            page,
            items,
            composed!("select count(*) as n from assets a where {filter}"),
            &args[..3],
        )
        .await
    }

    /// Every product the dictionary placed in a catalogue release, with its asset, by asset
    /// name and then in the asset's order.
    pub async fn installed_releases(&self, org: OrgId) -> Result<Vec<InstalledRelease>, StoreError> {
        let assets = self
            .read_all(
                "select a.id, a.asset_key, a.name, a.kind, a.esu_enrolled, l.software \
                 from assets a join software_lists l on l.org_id = a.org_id and l.asset_id = a.id \
                 where a.org_id = $1 order by a.name, a.id",
                &[org.0.into()],
                |r| {
                    let base = InstalledRelease {
                        asset_id: AssetId(r.id("id")?),
                        asset_key: r.text("asset_key")?,
                        asset_name: r.text("name")?,
                        kind: kind_of(&r.text("kind")?)?,
                        esu_enrolled: r.flag("esu_enrolled")?,
                        identity: String::new(),
                        product_id: String::new(),
                        cycle: String::new(),
                    };
                    Ok((base, unpack(&r.text("software")?)?))
                },
            )
            .await?;
        let mut out = Vec::new();
        for (base, software) in assets {
            for s in software {
                if let (Some(product_id), Some(cycle)) = (s.product_id, s.cycle) {
                    out.push(InstalledRelease {
                        identity: s.identity,
                        product_id,
                        cycle,
                        ..base.clone()
                    });
                }
            }
        }
        Ok(out)
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
            super::batch::lock_org(&mut tx, OrgId(org)).await?;
            rewrite_lines(&mut tx, OrgId(org)).await?;
        }
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
        super::batch::assets_with_keys(2)
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

    /// How many organisations and assets run software with this product key (from the
    /// presence lines: an asset running the key in two placements counts twice, which cannot
    /// happen for a key the dictionary does not place, the keys the KEV view asks about).
    pub async fn running_key(&self, key: &str, regulator: Option<OrgId>) -> Result<(u64, u64), StoreError> {
        let nil = uuid::Uuid::nil();
        self.read_one(
            "select count(distinct p.org_id) as orgs, coalesce(cast(sum(p.assets) as bigint), 0) as assets \
             from software_presence p join orgs o on o.id = p.org_id \
             where p.product_key = $1 and ($2 = $3 or o.regulator_id = $2)",
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
