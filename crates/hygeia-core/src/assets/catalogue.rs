//! The lifecycle catalogue in force, its dictionary, and offline updates from endoflife.date.

use super::*;

impl Hygeia {
    /// The lifecycle catalogue in force: the built-in facts with imported updates laid over.
    pub async fn lifecycle_catalogue(&self) -> Result<Catalogue, CoreError> {
        let mut catalogue = lifecycle::builtin();
        for (document, _, _, _) in self.store.lifecycle_updates().await? {
            let product: Product =
                serde_json::from_str(&document).map_err(|e| CoreError::Internal(format!("lifecycle update: {e}")))?;
            match catalogue.products.iter_mut().find(|p| p.id == product.id) {
                Some(p) => *p = product,
                None => catalogue.products.push(product),
            }
        }
        Ok(catalogue)
    }

    /// The dictionary over the catalogue in force, built at most once a minute: building it
    /// reads the catalogue's updates and parses the built-in facts.
    pub async fn dictionary(&self) -> Result<std::sync::Arc<Dictionary>, CoreError> {
        if let Ok(cached) = self.dictionary.lock()
            && let Some((at, d)) = cached.as_ref()
            && at.elapsed() < DICTIONARY_CACHE_TTL
        {
            return Ok(d.clone());
        }
        let built = std::sync::Arc::new(Dictionary::new(self.lifecycle_catalogue().await?));
        if let Ok(mut cached) = self.dictionary.lock() {
            *cached = Some((std::time::Instant::now(), built.clone()));
        }
        Ok(built)
    }

    pub(super) fn forget_dictionary(&self) {
        if let Ok(mut cached) = self.dictionary.lock() {
            *cached = None;
        }
    }

    pub(crate) fn today_in(&self, time_zone: &str) -> Date {
        let tz = jiff::tz::TimeZone::get(time_zone).unwrap_or(jiff::tz::TimeZone::UTC);
        jiff::Timestamp::from_millisecond(self.now_ms())
            .map(|t| t.to_zoned_datetime(tz).date())
            .unwrap_or(Date::constant(2000, 1, 1))
    }

    /// Lays an endoflife.date product page (`.md`) or release-data file (`.json`) over the
    /// catalogue, with its provenance, then places software the update now covers. Platform
    /// administrators, or the command line.
    pub async fn import_lifecycle(
        &self,
        actor: Option<&Actor>,
        file: &str,
        text: &str,
        source: &str,
    ) -> Result<LifecycleImport, CoreError> {
        if let Some(a) = actor
            && (!a.user.is_platform_admin || a.read_only())
        {
            return Err(CoreError::Forbidden(
                "only platform administrators update the lifecycle catalogue",
            ));
        }
        let stem = std::path::Path::new(file)
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_default();
        let update = if text.trim_start().starts_with("---") {
            endoflife::parse_product_page(text, &stem)
        } else {
            endoflife::parse_release_data(text, &stem, &stem)
        }
        .map_err(|e| import_error(file, e))?;
        let mut update = update;
        update.source = if source.trim().is_empty() {
            format!("endoflife.date file {file}")
        } else {
            source.trim().to_owned()
        };
        let catalogue = self.lifecycle_catalogue().await?;
        let base = catalogue.products.iter().find(|p| p.id == update.id).cloned();
        let merged = match &base {
            Some(b) => endoflife::merge(b, &update),
            None => update.clone(),
        };
        let added: Vec<String> = update
            .releases
            .iter()
            .filter(|r| {
                base.as_ref()
                    .is_none_or(|b| !b.releases.iter().any(|x| x.cycle == r.cycle))
            })
            .map(|r| r.cycle.clone())
            .collect();
        let changed: Vec<String> = merged
            .releases
            .iter()
            .filter(|r| {
                base.as_ref()
                    .and_then(|b| b.releases.iter().find(|x| x.cycle == r.cycle))
                    .is_some_and(|x| x != *r)
            })
            .map(|r| r.cycle.clone())
            .collect();
        let document = serde_json::to_string(&merged).map_err(|e| CoreError::Internal(e.to_string()))?;
        let by = actor.map_or_else(|| "command line".to_owned(), Actor::label);
        let audit = self.audit(
            actor,
            None,
            "lifecycle.import",
            "lifecycle_product",
            &merged.id,
            json!({"file": file, "source": update.source, "added": added, "changed": changed}),
        );
        self.store
            .save_lifecycle_update(&merged.id, &document, &update.source, &by, self.now_ms(), &audit)
            .await?;
        self.forget_dictionary();
        let newly_placed = self.place_unresolved().await?;
        Ok(LifecycleImport {
            product: merged.id,
            cycles: merged.releases.len(),
            added,
            changed,
            newly_placed,
        })
    }

    /// Places software rows the dictionary could not place before; how many it now places.
    pub(super) async fn place_unresolved(&self) -> Result<usize, CoreError> {
        let dictionary = self.dictionary().await?;
        let mut after = None;
        let mut placed = 0;
        loop {
            let rows = self.store.unresolved_software(after, 2000).await?;
            let Some(last) = rows.last() else { break };
            after = Some((last.0, last.1));
            let mut updates = Vec::new();
            for (asset, ord, identity, version) in &rows {
                let Ok(id) = SoftwareInput::new(identity, version.as_deref()).parsed() else {
                    continue;
                };
                if let Some(r) = dictionary.resolve(&id) {
                    updates.push((*asset, *ord, r.product.id.clone(), r.release.map(|x| x.cycle.clone())));
                }
            }
            placed += updates.len();
            if !updates.is_empty() {
                self.store.set_resolutions(&updates).await?;
            }
        }
        Ok(placed)
    }
}
