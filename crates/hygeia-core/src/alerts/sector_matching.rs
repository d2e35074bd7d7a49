//! Matching an alert against the sector's (or one organisation's) assets, recording each pre-fill and the assets behind it.

use super::*;

impl Hygeia {
    /// Matches an alert against the assets of one organisation or, with None, the sector,
    /// and records each organisation's pre-fill with the assets behind it.
    pub(crate) async fn match_alert(&self, alert: &Alert, org: Option<OrgId>) -> Result<(), CoreError> {
        let mut keys: Vec<String> = alert.products.iter().map(|p| p.product_key.clone()).collect();
        keys.sort();
        keys.dedup();
        // Per catalogue product, its releases when every line naming it names one.
        let mut products: Vec<(String, Option<String>)> = Vec::new();
        for p in alert.products.iter().filter(|p| p.canonical.is_some()) {
            let id = p.canonical.clone().unwrap_or_default();
            let whole = alert
                .products
                .iter()
                .any(|q| q.canonical.as_deref() == Some(id.as_str()) && (q.cycle.is_none() || q.range != Range::All));
            products.push((id, if whole { None } else { p.cycle.clone() }));
        }
        products.sort();
        products.dedup();
        let candidates = self
            .store
            .match_candidates(&keys, &products, &name_words(&alert.products), org)
            .await?;
        // Per asset, the most serious finding; per organisation, the overall verdict.
        let mut per_asset: BTreeMap<(OrgId, AssetId), (Verdict, String)> = BTreeMap::new();
        for c in &candidates {
            let sw = Software {
                kind: c.kind,
                product_key: &c.product_key,
                canonical: c.product_id.as_deref(),
                cycle: c.cycle.as_deref(),
                version: c.version.as_deref(),
                scheme: c.scheme,
            };
            if let Some(f) = matching::judge(&alert.products, &sw) {
                let slot = per_asset
                    .entry((c.org_id, c.asset_id))
                    .or_insert((f.verdict, f.reason.clone()));
                if f.verdict < slot.0 {
                    *slot = (f.verdict, f.reason);
                }
            }
        }
        let mut per_org: BTreeMap<OrgId, Vec<(Verdict, &str)>> = BTreeMap::new();
        for ((o, _), (v, reason)) in &per_asset {
            per_org.entry(*o).or_default().push((*v, reason.as_str()));
        }
        let verdicts: Vec<(OrgId, Verdict, String)> = per_org
            .iter()
            .map(|(o, found)| {
                let overall = matching::overall(found.iter().map(|(v, _)| *v));
                let same: Vec<&&str> = found.iter().filter(|(v, _)| *v == overall).map(|(_, r)| r).collect();
                let what = match overall {
                    Verdict::Affected => "likely affected",
                    Verdict::Unknown => "undecided",
                    Verdict::NotAffected => "checked, not affected",
                };
                let reason = format!(
                    "{} asset{} {what}: {}",
                    same.len(),
                    if same.len() == 1 { "" } else { "s" },
                    same.first().map_or("", |r| **r)
                );
                (*o, overall, reason)
            })
            .collect();
        // Only the assets behind an affected or undecided answer are kept: a sector-wide alert
        // on a common product would otherwise store a row for every asset that runs it.
        let matches: Vec<(OrgId, AssetId, Verdict, String)> = per_asset
            .into_iter()
            .filter(|(_, (v, _))| *v != Verdict::NotAffected)
            .map(|((o, a), (v, r))| (o, a, v, r))
            .collect();
        self.store
            .save_matching(alert.id, org, &verdicts, &matches, self.now_ms())
            .await?;
        Ok(())
    }

    /// After an organisation's assets change, its pre-fills for every alert in force follow.
    pub(crate) async fn rematch_org(&self, org: OrgId) -> Result<(), CoreError> {
        for alert in self.store.published_alerts().await? {
            self.match_alert(&alert, Some(org)).await?;
        }
        Ok(())
    }
}
