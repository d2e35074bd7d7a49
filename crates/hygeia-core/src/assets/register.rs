//! Reading the register: each asset with its software's support status, removal and the CSV export.

use super::*;

impl Hygeia {
    pub(super) fn view(&self, scope: &Scope, dictionary: &Dictionary, a: AssetRecord, warn: i32) -> AssetView {
        let today = self.today_in(&scope.org.time_zone);
        let software: Vec<SoftwareView> = a
            .software
            .iter()
            .map(|s| {
                let found = find_release(dictionary, s.product_id.as_deref(), s.cycle.as_deref());
                let (support, ends) = status_of(found.map(|(_, r)| r), today, a.esu_enrolled, warn);
                SoftwareView {
                    identity: s.identity.clone(),
                    version: s.version.clone(),
                    is_os: s.is_os,
                    product: found.map(|(p, _)| p.name.clone()).or_else(|| {
                        s.product_id
                            .as_ref()
                            .and_then(|id| dictionary.product(id).map(|p| p.name.clone()))
                    }),
                    release: found.map(|(p, r)| r.label(p)),
                    support,
                    support_ends: ends,
                }
            })
            .collect();
        let known: Vec<Support> = software
            .iter()
            .map(|s| s.support)
            .filter(|s| *s != Support::Unknown)
            .collect();
        let support = known.into_iter().min().unwrap_or(Support::Unknown);
        AssetView {
            id: a.id,
            key: a.key,
            name: a.name,
            kind: a.kind,
            hostname: a.hostname,
            addresses: a.addresses,
            owner: a.owner,
            location: a.location,
            criticality: a.criticality,
            essential_services: a.essential_services,
            internet_facing: a.internet_facing,
            manufacturer: a.manufacturer,
            model: a.model,
            patchable: a.patchable,
            esu_enrolled: a.esu_enrolled,
            source: a.source,
            support,
            software,
            updated_at: a.updated_at,
        }
    }

    pub async fn assets(
        &self,
        scope: &Scope,
        kind: Option<AssetKind>,
        search: Option<&str>,
        page: PageRequest,
    ) -> Result<Page<AssetView>, CoreError> {
        scope.require(Permission::AssetsView)?;
        let dictionary = self.dictionary().await?;
        let found = self.store.assets_page(scope.org_id(), kind, search, page).await?;
        Ok(found.map(|a| self.view(scope, &dictionary, a, DEFAULT_WARN_DAYS)))
    }

    pub async fn asset(&self, scope: &Scope, id: AssetId) -> Result<AssetView, CoreError> {
        scope.require(Permission::AssetsView)?;
        let dictionary = self.dictionary().await?;
        let a = self.store.get_asset(scope.org_id(), id).await?;
        Ok(self.view(scope, &dictionary, a, DEFAULT_WARN_DAYS))
    }

    pub async fn delete_asset(&self, scope: &Scope, id: AssetId) -> Result<(), CoreError> {
        scope.require(Permission::AssetsManage)?;
        let a = self.store.get_asset(scope.org_id(), id).await?;
        let audit = self.scope_audit(
            scope,
            "asset.delete",
            "asset",
            id,
            json!({"key": a.key, "name": a.name}),
        );
        self.store.delete_asset(scope.org_id(), id, &audit).await?;
        Ok(())
    }

    /// The register as CSV in the documented columns; it imports back unchanged.
    pub async fn export_assets_csv(&self, scope: &Scope) -> Result<String, CoreError> {
        scope.require(Permission::AssetsView)?;
        let all = self.store.all_assets(scope.org_id()).await?;
        let inputs: Vec<AssetInput> = all.iter().map(as_input).collect();
        Ok(csv_import::write(&inputs))
    }
}
