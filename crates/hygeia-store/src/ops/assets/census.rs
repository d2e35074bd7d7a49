//! The sector's counts: how many organisations and assets run each release or product, read
//! from the census and presence lines the writes keep.

use super::super::{Arg, Cols, Repo};
use crate::StoreError;
use crate::model::CensusRow;
use hygeia_domain::ids::OrgId;

impl Repo {
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
