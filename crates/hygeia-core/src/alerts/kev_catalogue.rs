//! The CISA KEV catalogue: snapshots with what changed, confirmed mappings, alerts from entries, the sector's exposure.

use super::*;

impl Hygeia {
    pub(super) async fn import_kev(
        &self,
        scope: &Scope,
        file: &str,
        text: &str,
        dictionary: &Dictionary,
    ) -> Result<AlertImport, CoreError> {
        let catalog = kev::read(text).map_err(|e| import_error(file, e))?;
        let old: Vec<kev::Entry> = self
            .store
            .kev_entries()
            .await?
            .iter()
            .filter_map(|(_, _, _, e)| serde_json::from_str(e).ok())
            .collect();
        let change = kev::diff(&old, &catalog.vulnerabilities);
        let confirmed = self.kev_confirmed().await?;
        let unmapped = catalog
            .vulnerabilities
            .iter()
            .filter(|e| !kev::identity_for(&e.vendor_project, &e.product, &confirmed, dictionary).2)
            .count();
        let rows: Vec<(String, String, String, String)> = catalog
            .vulnerabilities
            .iter()
            .map(|e| {
                (
                    e.cve_id.clone(),
                    e.vendor_project.clone(),
                    e.product.clone(),
                    serde_json::to_string(e).unwrap_or_default(),
                )
            })
            .collect();
        let import = KevImport {
            catalog_version: catalog.catalog_version.clone(),
            released: catalog.date_released.clone(),
            entries: rows.len() as u64,
            changes: serde_json::to_string(&change).unwrap_or_default(),
            imported_by: scope.actor.label(),
            imported_at: self.now_ms(),
        };
        let audit = self.scope_audit(scope, "kev.import",
            "kev_catalog",
            &catalog.catalog_version,
            json!({"entries": rows.len(), "added": change.added.len(), "removed": change.removed.len(), "changed": change.changed.len()}),
        );
        self.store.save_kev(&rows, &import, self.new_uuid(), &audit).await?;
        Ok(AlertImport::Kev {
            catalog_version: catalog.catalog_version,
            entries: rows.len(),
            added: change.added,
            removed: change.removed,
            changed: change.changed,
            unmapped,
        })
    }

    pub(super) async fn kev_confirmed(&self) -> Result<HashMap<(String, String), String>, CoreError> {
        Ok(self
            .store
            .kev_mappings()
            .await?
            .into_iter()
            .map(|(v, p, i)| ((v, p), i))
            .collect())
    }

    /// The KEV catalogue's imports with what each changed, the unmapped names, the mappings.
    pub async fn kev(&self, scope: &Scope) -> Result<KevView, CoreError> {
        scope.require(Permission::AlertsPublish)?;
        let dictionary = self.dictionary().await?;
        let confirmed = self.kev_confirmed().await?;
        let entries = self.store.kev_entries().await?;
        let mut unmapped: BTreeMap<(String, String), usize> = BTreeMap::new();
        for (_, vendor, product, _) in &entries {
            if !kev::identity_for(vendor, product, &confirmed, &dictionary).2 {
                *unmapped.entry((vendor.clone(), product.clone())).or_default() += 1;
            }
        }
        let mut unmapped: Vec<(String, String, usize)> = unmapped.into_iter().map(|((v, p), n)| (v, p, n)).collect();
        unmapped.sort_by(|a, b| b.2.cmp(&a.2).then(a.0.cmp(&b.0)).then(a.1.cmp(&b.1)));
        let imports = self
            .store
            .kev_imports(20)
            .await?
            .into_iter()
            .map(|i| KevImportView {
                catalog_version: i.catalog_version,
                released: i.released,
                entries: i.entries,
                changes: serde_json::from_str(&i.changes).unwrap_or(serde_json::Value::Null),
                imported_by: i.imported_by,
                imported_at: i.imported_at,
            })
            .collect();
        Ok(KevView {
            imports,
            entries: entries.len(),
            unmapped,
            mappings: self.store.kev_mappings().await?,
        })
    }

    /// A person confirms what a KEV vendor/product pair names: a CPE, a package URL or a
    /// product name.
    pub async fn confirm_kev_mapping(
        &self,
        scope: &Scope,
        vendor: &str,
        product: &str,
        identity: &str,
    ) -> Result<(), CoreError> {
        scope.require(Permission::AlertsPublish)?;
        if vendor.trim().is_empty() || product.trim().is_empty() {
            return Err(CoreError::field(
                "vendor_project",
                "give the vendor and product as the catalogue writes them",
            ));
        }
        Identity::read(identity, None).map_err(|m| CoreError::field("identity", &m))?;
        let audit = self.scope_audit(
            scope,
            "kev.map",
            "kev_mapping",
            format!("{vendor}/{product}"),
            json!({"identity": identity.trim()}),
        );
        self.store
            .save_kev_mapping(
                vendor,
                product,
                identity.trim(),
                &scope.actor.label(),
                self.now_ms(),
                &audit,
            )
            .await?;
        Ok(())
    }

    /// A draft alert from one KEV entry.
    pub async fn alert_from_kev(&self, scope: &Scope, cve: &str) -> Result<AlertView, CoreError> {
        scope.require(Permission::AlertsPublish)?;
        let entry = self
            .store
            .kev_entries()
            .await?
            .into_iter()
            .find(|(c, _, _, _)| c.eq_ignore_ascii_case(cve.trim()))
            .ok_or(CoreError::NotFound)?;
        let entry: kev::Entry = serde_json::from_str(&entry.3).map_err(|e| CoreError::Internal(e.to_string()))?;
        let dictionary = self.dictionary().await?;
        let draft = kev::draft(&entry, &self.kev_confirmed().await?, &dictionary);
        Ok(alert_view(&self.store_draft(scope, draft).await?))
    }

    /// The whole KEV catalogue matched against the sector (or the remit): for every entry,
    /// how many organisations and assets run the product it names. KEV gives no versions, so
    /// running the product is the match.
    pub async fn kev_exposure(&self, scope: &Scope) -> Result<Vec<KevExposure>, CoreError> {
        let remit = self.sector_of(scope)?;
        let dictionary = self.dictionary().await?;
        let confirmed = self.kev_confirmed().await?;
        let running: HashMap<String, (u64, u64)> = self
            .store
            .running_products(remit)
            .await?
            .into_iter()
            .map(|(p, o, a)| (p, (o, a)))
            .collect();
        let mut by_key: HashMap<String, (u64, u64)> = HashMap::new();
        // Free-text names nobody runs need no query: most unmapped KEV names are such.
        let names: std::collections::HashSet<String> = self.store.software_names().await?.into_iter().collect();
        let mut out = Vec::new();
        for (cve, vendor, product, entry) in self.store.kev_entries().await? {
            let (identity, canonical, _) = kev::identity_for(&vendor, &product, &confirmed, &dictionary);
            let (organisations, assets) = match &canonical {
                Some(p) => running.get(p).copied().unwrap_or((0, 0)),
                None => {
                    let key = identity.product_key();
                    let absent = key.starts_with("name:") && !names.contains(&key);
                    match by_key.get(&key) {
                        _ if absent => (0, 0),
                        Some(v) => *v,
                        None => {
                            let v = self.store.running_key(&key, remit).await?;
                            by_key.insert(key, v);
                            v
                        }
                    }
                }
            };
            let known_ransomware =
                serde_json::from_str::<kev::Entry>(&entry).is_ok_and(|e| e.known_ransomware_campaign_use == "Known");
            out.push(KevExposure {
                cve,
                vendor_project: vendor,
                product,
                placed_as: canonical,
                organisations,
                assets,
                known_ransomware,
            });
        }
        out.sort_by(|a, b| b.organisations.cmp(&a.organisations).then(b.cve.cmp(&a.cve)));
        Ok(out)
    }
}
