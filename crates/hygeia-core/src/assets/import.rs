//! Imports of registers and SBOMs (and one asset by hand): parse, place, diff, write, re-match.

use super::*;

impl Hygeia {
    /// Imports a register (CSV) or an SBOM into the organisation. `progress` hears how many
    /// assets of how many have been read. A dry run stores nothing and says what would change.
    pub async fn import_assets(
        &self,
        scope: &Scope,
        file: &str,
        text: &str,
        options: &ImportOptions,
        progress: Option<&(dyn Fn(usize, usize) + Sync)>,
    ) -> Result<ImportReport, CoreError> {
        scope.require(if options.dry_run {
            Permission::AssetsView
        } else {
            Permission::AssetsManage
        })?;
        let (incoming, format, source, ignored_headers) = match parse(file, text, options)? {
            Parsed::Csv(c) => (c.assets, "CSV", "csv".to_owned(), c.ignored_headers),
            Parsed::Sbom(a, format) => {
                let source = format!("sbom:{}", a.key);
                (vec![*a], format, source, Vec::new())
            }
        };
        self.write_assets(scope, &incoming, format, &source, options, ignored_headers, progress)
            .await
    }

    /// Adds or replaces one asset by hand (the form and the API): the same path as an import
    /// of one row, with the source `manual`, removing nothing.
    pub async fn save_asset(&self, scope: &Scope, input: AssetInput) -> Result<AssetView, CoreError> {
        scope.require(Permission::AssetsManage)?;
        input.check()?;
        let options = ImportOptions {
            keep_missing: true,
            ..ImportOptions::default()
        };
        self.write_assets(
            scope,
            std::slice::from_ref(&input),
            "form",
            "manual",
            &options,
            Vec::new(),
            None,
        )
        .await?;
        // Found by its key among the hand-made assets (a search would fold `_` and `%`).
        let record = self
            .store
            .assets_of_source(scope.org_id(), "manual")
            .await?
            .into_iter()
            .find(|a| a.key == input.key)
            .ok_or(CoreError::NotFound)?;
        let dictionary = self.dictionary().await?;
        Ok(self.view(scope, &dictionary, record, DEFAULT_WARN_DAYS))
    }

    #[allow(clippy::too_many_arguments)]
    pub(super) async fn write_assets(
        &self,
        scope: &Scope,
        incoming: &[AssetInput],
        format: &'static str,
        source: &str,
        options: &ImportOptions,
        ignored_headers: Vec<String>,
        progress: Option<&(dyn Fn(usize, usize) + Sync)>,
    ) -> Result<ImportReport, CoreError> {
        let org = scope.org_id();
        // Only the assets the file names are read whole: a department's file added to a
        // trust's register of 50,000 should not read the other 45,000 (BENCHMARKS.md).
        // An import that keeps the source's other assets reads only the ones it names (and so
        // the diff finds nothing removed); one that replaces the source needs every key it
        // has, to know which go.
        let (keys, existing) = if options.keep_missing {
            let wanted: Vec<&str> = incoming.iter().map(|a| a.key.as_str()).collect();
            let existing = self.store.assets_of_source_with_keys(org, source, &wanted).await?;
            let keys: Vec<(String, AssetId)> = existing.iter().map(|a| (a.key.clone(), a.id)).collect();
            (keys, existing)
        } else {
            let keys = self.store.asset_keys_of_source(org, source).await?;
            let known: std::collections::HashSet<&str> = keys.iter().map(|(k, _)| k.as_str()).collect();
            let named: Vec<&str> = incoming
                .iter()
                .map(|a| a.key.as_str())
                .filter(|k| known.contains(k))
                .collect();
            let existing = if named.len() == keys.len() {
                self.store.assets_of_source(org, source).await?
            } else {
                self.store.assets_of_source_with_keys(org, source, &named).await?
            };
            (keys, existing)
        };
        let ids: HashMap<&str, AssetId> = keys.iter().map(|(k, id)| (k.as_str(), *id)).collect();
        let before: Vec<AssetInput> = existing.iter().map(as_input).collect();
        let key_list: Vec<&str> = keys.iter().map(|(k, _)| k.as_str()).collect();
        let mut change = diff_against_keys(&key_list, &before, incoming);
        if options.keep_missing {
            change.removed.clear();
        }
        let dictionary = self.dictionary().await?;
        let mut placer = Placer::new(&dictionary);
        let now = self.now_ms();
        let by = scope.actor.label();
        let mut records = Vec::with_capacity(incoming.len());
        let mut unknown = Vec::new();
        let mut unknown_count = 0;
        let mut software = 0;
        for (i, a) in incoming.iter().enumerate() {
            let rows = placer
                .records(a)
                .map_err(|m| CoreError::field(&format!("{} software", a.key), &m))?;
            for r in rows.iter().filter(|r| r.product_id.is_none() || r.cycle.is_none()) {
                unknown_count += 1;
                if unknown.len() < 100 && !unknown.contains(&r.identity) {
                    unknown.push(r.identity.clone());
                }
            }
            software += rows.len();
            records.push(AssetRecord {
                id: ids
                    .get(a.key.as_str())
                    .copied()
                    .unwrap_or_else(|| AssetId(self.new_uuid())),
                org_id: org,
                key: a.key.clone(),
                name: a.name.clone(),
                kind: a.kind,
                hostname: a.hostname.clone(),
                addresses: a.addresses.clone(),
                owner: a.owner.clone(),
                location: a.location.clone(),
                criticality: a.criticality,
                essential_services: a.essential_services.clone(),
                internet_facing: a.internet_facing,
                manufacturer: a.manufacturer.clone(),
                model: a.model.clone(),
                patchable: a.patchable,
                esu_enrolled: a.esu_enrolled,
                source: source.to_owned(),
                software: rows,
                created_by: by.clone(),
                created_at: now,
                updated_by: by.clone(),
                updated_at: now,
            });
            if let Some(p) = progress
                && (i % 500 == 0 || i + 1 == incoming.len())
            {
                p(i + 1, incoming.len());
            }
        }
        let report = ImportReport {
            format,
            source: source.to_owned(),
            dry_run: options.dry_run,
            assets: incoming.len(),
            software,
            diff: change,
            unknown,
            unknown_count,
            ignored_headers,
        };
        if options.dry_run {
            return Ok(report);
        }
        // Only what changed is written: an unchanged asset keeps its rows and its dates.
        let touched: std::collections::HashSet<&str> = report
            .diff
            .added
            .iter()
            .chain(report.diff.changed.iter().map(|(k, _)| k))
            .map(String::as_str)
            .collect();
        records.retain(|r| touched.contains(r.key.as_str()));
        let removed: Vec<AssetId> = report
            .diff
            .removed
            .iter()
            .filter_map(|k| ids.get(k.as_str()).copied())
            .collect();
        let audit = self.scope_audit(
            scope,
            "assets.import",
            "assets",
            source,
            json!({
                "format": format, "assets": report.assets, "software": software,
                "added": report.diff.added.len(), "changed": report.diff.changed.len(), "removed": removed.len(),
            }),
        );
        self.store.save_assets(org, &records, &removed, &audit).await?;
        self.rematch_org(org).await?;
        Ok(report)
    }
}
