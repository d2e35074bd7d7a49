//! The unsupported systems report (DSPT standard 8) and its plans and acceptances.

use super::*;

impl Hygeia {
    /// DSPT standard 8's report: every unsupported product on every asset, with its
    /// remediation plan or risk acceptance; an expired acceptance re-opens the item. Products
    /// whose support ends within `warn_days` are listed apart.
    pub async fn unsupported_report(&self, scope: &Scope, warn_days: i32) -> Result<UnsupportedReport, CoreError> {
        scope.require(Permission::AssetsView)?;
        let dictionary = self.dictionary().await?;
        let today = self.today_in(&scope.org.time_zone);
        let installed = self.store.installed_releases(scope.org_id()).await?;
        let mut latest: HashMap<(AssetId, String, String), Treatment> = HashMap::new();
        for t in self.store.treatments(scope.org_id()).await? {
            latest.insert((t.asset_id, t.product_id.clone(), t.cycle.clone()), t);
        }
        let mut unsupported = Vec::new();
        let mut ending_soon = Vec::new();
        for i in installed {
            let Some((product, release)) = find_release(&dictionary, Some(&i.product_id), Some(&i.cycle)) else {
                continue;
            };
            let (support, ends) = status_of(Some(release), today, i.esu_enrolled, warn_days);
            if !support.is_unsupported() && support != Support::EndingSoon {
                continue;
            }
            let t = latest.get(&(i.asset_id, i.product_id.clone(), i.cycle.clone()));
            let state = match t {
                None => "untreated",
                Some(t) if t.kind == TreatmentKind::Plan => "plan",
                Some(t) => {
                    let until = t.target_date.as_deref().and_then(|d| d.parse::<Date>().ok());
                    if until.is_some_and(|u| u >= today) {
                        "accepted"
                    } else {
                        "acceptance_expired"
                    }
                }
            };
            let item = UnsupportedItem {
                asset_id: i.asset_id,
                asset_key: i.asset_key,
                asset_name: i.asset_name,
                kind: i.kind,
                identity: i.identity,
                product_id: i.product_id,
                cycle: i.cycle,
                release: release.label(product),
                support,
                support_ends: ends,
                treatment_state: state,
                treatment: t.map(|t| TreatmentView {
                    kind: t.kind.code(),
                    detail: t.detail.clone(),
                    target_date: t.target_date.clone(),
                    signed_by: t.signed_by.clone(),
                    recorded_by: t.created_by.clone(),
                    recorded_at: t.created_at,
                }),
            };
            if support.is_unsupported() {
                unsupported.push(item)
            } else {
                ending_soon.push(item)
            }
        }
        let open_items = unsupported
            .iter()
            .filter(|i| matches!(i.treatment_state, "untreated" | "acceptance_expired"))
            .count();
        Ok(UnsupportedReport {
            today,
            unsupported,
            ending_soon,
            open_items,
        })
    }

    /// Records a remediation plan (target date) or, for the senior executive, a risk
    /// acceptance that holds until a date at most a year away.
    #[allow(clippy::too_many_arguments)]
    pub async fn treat_unsupported(
        &self,
        scope: &Scope,
        asset: AssetId,
        product_id: &str,
        cycle: &str,
        acceptance: bool,
        detail: &str,
        date: &str,
    ) -> Result<(), CoreError> {
        scope.require(if acceptance {
            Permission::UnsupportedAccept
        } else {
            Permission::AssetsManage
        })?;
        let detail = detail.trim();
        if detail.is_empty() || detail.len() > 5000 {
            return Err(CoreError::field(
                "detail",
                "say what will be done or why the risk is accepted (at most 5,000 characters)",
            ));
        }
        let today = self.today_in(&scope.org.time_zone);
        let until: Date = date
            .trim()
            .parse()
            .map_err(|_| CoreError::field("date", "is not a date (YYYY-MM-DD)"))?;
        if until < today {
            return Err(CoreError::field("date", "is in the past"));
        }
        if acceptance && until > today.saturating_add(jiff::Span::new().days(366)) {
            return Err(CoreError::field(
                "date",
                "an acceptance holds for at most a year: review it again then",
            ));
        }
        let installed = self.store.installed_releases(scope.org_id()).await?;
        if !installed
            .iter()
            .any(|i| i.asset_id == asset && i.product_id == product_id && i.cycle == cycle)
        {
            return Err(CoreError::NotFound);
        }
        // The latest treatment of an item is the one in force: keep them strictly ordered in
        // time even when two are recorded within the same millisecond.
        let before = self
            .store
            .treatments(scope.org_id())
            .await?
            .into_iter()
            .filter(|t| t.asset_id == asset && t.product_id == product_id && t.cycle == cycle)
            .map(|t| t.created_at)
            .max();
        let at = before.map_or(self.now_ms(), |b| self.now_ms().max(b + 1));
        let t = Treatment {
            id: TreatmentId(self.new_uuid()),
            org_id: scope.org_id(),
            asset_id: asset,
            product_id: product_id.to_owned(),
            cycle: cycle.to_owned(),
            kind: if acceptance {
                TreatmentKind::Acceptance
            } else {
                TreatmentKind::Plan
            },
            detail: detail.to_owned(),
            target_date: Some(until.to_string()),
            signed_by: acceptance.then(|| scope.actor.user.display_name.clone()),
            created_by: scope.actor.label(),
            created_at: at,
        };
        let audit = self.scope_audit(
            scope,
            if acceptance {
                "unsupported.accept"
            } else {
                "unsupported.plan"
            },
            "asset",
            asset,
            json!({"product": product_id, "cycle": cycle, "until": t.target_date, "detail": t.detail}),
        );
        self.store.add_treatment(&t, &audit).await?;
        Ok(())
    }
}
