//! The end-of-life census across the sector or a regulator's remit.

use super::*;

impl Hygeia {
    /// Whose organisations a sector view covers: everyone for the national team, the remit
    /// for a regulator.
    pub(crate) fn sector_of(&self, scope: &Scope) -> Result<Option<OrgId>, CoreError> {
        scope.require(Permission::SectorView)?;
        Ok(match scope.org.org_type {
            OrgType::NationalTeam => None,
            _ => Some(scope.org_id()),
        })
    }

    /// How many organisations and assets run each release, unsupported ones first; by
    /// organisation type and parent (an ICB or region) when asked. `all` includes supported
    /// releases too.
    /// The regions and groups the census can be narrowed to: parents of organisations in the
    /// caller's remit.
    pub async fn census_parents(&self, scope: &Scope) -> Result<Vec<(OrgId, String)>, CoreError> {
        let remit = self.sector_of(scope)?;
        Ok(self.store.census_parents(remit).await?)
    }

    pub async fn census(
        &self,
        scope: &Scope,
        org_type: Option<OrgType>,
        parent: Option<OrgId>,
        all: bool,
    ) -> Result<Vec<CensusLine>, CoreError> {
        let remit = self.sector_of(scope)?;
        let dictionary = self.dictionary().await?;
        let today = self.today_in(&scope.org.time_zone);
        let rows = self.store.census(remit, org_type.map(|t| t.code()), parent).await?;
        let mut out: Vec<CensusLine> = rows
            .into_iter()
            .filter_map(|r| {
                let (product, release) = find_release(&dictionary, Some(&r.product_id), Some(&r.cycle))?;
                let support = lifecycle::support(release, today, false, DEFAULT_WARN_DAYS);
                (all || support != Support::Supported).then(|| CensusLine {
                    product_id: r.product_id,
                    product: product.name.clone(),
                    cycle: r.cycle,
                    release: release.label(product),
                    security_end: release.security_end,
                    esu_end: release.esu_end,
                    support,
                    organisations: r.orgs,
                    assets: r.assets,
                    assets_in_esu: r.esu_assets,
                })
            })
            .collect();
        out.sort_by(|a, b| {
            a.support
                .cmp(&b.support)
                .then(b.assets.cmp(&a.assets))
                .then(a.release.cmp(&b.release))
        });
        Ok(out)
    }
}
