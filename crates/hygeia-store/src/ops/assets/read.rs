//! Reading the register: what a re-import compares with, the export, one asset, a page of
//! them, and the releases they run.

use super::super::batch;
use super::super::{Arg, Repo, int};
use super::{ASSET_COLUMNS, FROM_ASSETS, WITH_LISTS, asset, kind_of};
use crate::StoreError;
use crate::model::{AssetRecord, InstalledRelease};
use crate::software_lists::unpack;
use hygeia_domain::assets::asset::AssetKind;
use hygeia_domain::ids::{AssetId, OrgId};
use hygeia_domain::page::{Page, PageRequest};

impl Repo {
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
                batch::assets_with_keys(3)
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
}
