//! The software that may concern an alert. The presence lines name the organisations that
//! run a product key or catalogue product, and the assets while they are few; those assets'
//! lists, or else the organisation's, are read and judged here. A list that cannot mention
//! any of the alert's products is skipped without being decoded.

use super::presence_lines::read_named;
use super::{Arg, Cols, LIST_BATCH, Repo, numbered_list, numbered_pairs};
use crate::StoreError;
use crate::model::Candidate;
use crate::software_lists::{RecordRef, plain_needles, unpack_refs};
use hygeia_domain::ids::{AssetId, OrgId};
use std::collections::{BTreeMap, BTreeSet, HashSet};

/// Beyond this many texts to look for, every list of the organisations found is decoded.
const MAX_PATTERNS: usize = 4;

/// What an alert asks for: product keys, and catalogue products with an optional release.
struct Wanted<'a> {
    keys: HashSet<&'a str>,
    products: &'a [(String, Option<String>)],
}

impl Wanted<'_> {
    /// A product with a release takes that release's records and those whose release is
    /// not known (which matching calls undecided).
    fn takes(&self, s: &RecordRef<'_>) -> bool {
        self.keys.contains(s.product_key())
            || self.products.iter().any(|(product, cycle)| {
                s.product_id() == Some(product.as_str())
                    && (cycle.is_none() || s.cycle().is_none() || s.cycle() == cycle.as_deref())
            })
    }
}

impl Repo {
    /// Software that may concern an alert: by product key, by catalogue product, or (for
    /// named products) by a word of the name; in one organisation or the whole sector.
    pub async fn match_candidates(
        &self,
        keys: &[String],
        products: &[(String, Option<String>)],
        name_words: &[String],
        org: Option<OrgId>,
    ) -> Result<Vec<Candidate>, StoreError> {
        let keys = self.keys_with_names(keys, name_words).await?;
        let orgs = self.orgs_running(&keys, products, org).await?;
        let wanted = Wanted {
            keys: keys.iter().map(String::as_str).collect(),
            products,
        };
        // Where the presence lines name the assets, only their lists are read.
        let mut named: Vec<(uuid::Uuid, uuid::Uuid)> = Vec::new();
        let mut whole: Vec<uuid::Uuid> = Vec::new();
        for (org_id, assets) in orgs {
            match assets {
                Some(assets) => named.extend(assets.into_iter().map(|a| (org_id, a))),
                None => whole.push(org_id),
            }
        }
        let mut out = Vec::new();
        for chunk in named.chunks(LIST_BATCH) {
            let args: Vec<Arg<'_>> = chunk.iter().flat_map(|(o, a)| [Arg::Id(*o), Arg::Id(*a)]).collect();
            let sql = composed!(
                "select org_id, asset_id, software from software_lists where (org_id, asset_id) in (values {})",
                numbered_pairs(1, chunk.len())
            );
            out.extend(
                self.read_all(sql, &args, |r| candidates(r, &wanted, None))
                    .await?
                    .into_iter()
                    .flatten()
                    .flatten(),
            );
        }
        // Elsewhere each organisation's lists are read. Up to a few texts, the database tests
        // each list with `like` and sends only those that may mention one (the texts have no
        // backslash, and `_` or `%` in one only widens the test); with more, testing every
        // list for each would cost more than decoding it.
        let needles = plain_needles(keys.iter().chain(products.iter().map(|(p, _)| p)).map(String::as_str))
            .filter(|n| n.len() <= MAX_PATTERNS);
        let patterns: Vec<String> = needles.iter().flatten().map(|t| format!("%{t}%")).collect();
        for chunk in whole.chunks(LIST_BATCH) {
            let mut args: Vec<Arg<'_>> = chunk.iter().map(|o| Arg::Id(*o)).collect();
            let list = numbered_list(1, chunk.len());
            let tests: Vec<String> = (0..patterns.len())
                .map(|i| format!("software like ${}", chunk.len() + 1 + i))
                .collect();
            args.extend(patterns.iter().map(|p| Arg::Text(p)));
            let mentions = if tests.is_empty() {
                String::new()
            } else {
                format!(" and ({})", tests.join(" or "))
            };
            let sql =
                composed!("select org_id, asset_id, software from software_lists where org_id in {list}{mentions}");
            let found = self
                .read_all(sql, &args, |r| candidates(r, &wanted, needles.as_deref()))
                .await?;
            out.extend(found.into_iter().flatten().flatten());
        }
        out.sort_by(|a, b| {
            (a.org_id, a.asset_id, &a.product_key, &a.version).cmp(&(b.org_id, b.asset_id, &b.product_key, &b.version))
        });
        out.dedup();
        Ok(out)
    }

    /// The keys, with the free-text names that resemble a named line: found in the short list
    /// of names first, then looked for like any other key.
    async fn keys_with_names(&self, keys: &[String], name_words: &[String]) -> Result<Vec<String>, StoreError> {
        let mut keys: Vec<String> = keys.to_vec();
        for word in name_words {
            let pattern = format!("name:%{}%", word.replace(['%', '_'], ""));
            keys.extend(
                self.read_all(
                    "select product_key from software_names where product_key like $1 limit 1000",
                    &[Arg::Text(&pattern)],
                    |r| r.text("product_key"),
                )
                .await?,
            );
        }
        keys.sort();
        keys.dedup();
        Ok(keys)
    }

    /// The organisations (all, or just `org`) whose presence lines name one of the keys or
    /// products, each with the assets those lines name (`None` when some line has too many
    /// assets to name them).
    async fn orgs_running(
        &self,
        keys: &[String],
        products: &[(String, Option<String>)],
        org: Option<OrgId>,
    ) -> Result<BTreeMap<uuid::Uuid, Option<BTreeSet<uuid::Uuid>>>, StoreError> {
        let nil = uuid::Uuid::nil();
        let org_id = org.map_or(nil, |o| o.0);
        let line = |r: &dyn Cols| Ok((r.id("org_id")?, read_named(r.opt_text("asset_ids")?.as_deref())?));
        let mut lines = Vec::new();
        for chunk in keys.chunks(LIST_BATCH) {
            let mut args = vec![Arg::Id(org_id), Arg::Id(nil)];
            args.extend(chunk.iter().map(|k| Arg::Text(k)));
            let list = numbered_list(3, chunk.len());
            let sql = composed!(
                "select org_id, asset_ids from software_presence where product_key in {list} and ($1 = $2 or org_id = $1)"
            );
            lines.extend(self.read_all(sql, &args, line).await?);
        }
        for (product, cycle) in products {
            let args = [
                Arg::Text(product),
                Arg::Text(cycle.as_deref().unwrap_or("")),
                Arg::Id(org_id),
                Arg::Id(nil),
            ];
            let sql = "select org_id, asset_ids from software_presence where product_id = $1 \
                       and ($2 = '' or cycle = $2 or cycle = '') and ($3 = $4 or org_id = $3)";
            lines.extend(self.read_all(sql, &args, line).await?);
        }
        let mut orgs: BTreeMap<uuid::Uuid, Option<BTreeSet<uuid::Uuid>>> = BTreeMap::new();
        for (org_id, assets) in lines {
            let slot = orgs.entry(org_id).or_insert_with(|| Some(BTreeSet::new()));
            match (slot.as_mut(), assets) {
                (Some(all), Some(assets)) => all.extend(assets),
                _ => *slot = None,
            }
        }
        Ok(orgs)
    }
}

/// The candidates in one software list row: `None` when the list cannot mention any of the
/// `needles` (so it is not decoded).
fn candidates(
    r: &dyn Cols,
    wanted: &Wanted<'_>,
    needles: Option<&[&str]>,
) -> Result<Option<Vec<Candidate>>, StoreError> {
    let text = r.text("software")?;
    if needles.is_some_and(|n| !n.iter().any(|t| text.contains(t))) {
        return Ok(None);
    }
    let (org_id, asset_id) = (OrgId(r.id("org_id")?), AssetId(r.id("asset_id")?));
    let mut found = Vec::new();
    for s in unpack_refs(&text)?.iter().filter(|s| wanted.takes(s)) {
        found.push(Candidate {
            org_id,
            asset_id,
            kind: s.kind()?,
            product_key: s.product_key().to_owned(),
            product_id: s.product_id().map(str::to_owned),
            cycle: s.cycle().map(str::to_owned),
            version: s.version().map(str::to_owned),
            scheme: s.scheme()?,
        });
    }
    Ok(Some(found))
}
