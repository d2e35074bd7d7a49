//! The sector's view of an alert: counts, drill-down, and one organisation's record over time.

use super::*;

impl Hygeia {
    /// The sector's (or remit's) response to one alert, and a page of the organisations in
    /// the chosen state.
    pub async fn alert_exposure(
        &self,
        scope: &Scope,
        id: AlertId,
        filter: &str,
        page: PageRequest,
    ) -> Result<ExposureView, CoreError> {
        let remit = self.sector_of(scope)?;
        let parsed = ResponseFilter::parse(filter).ok_or_else(|| {
            CoreError::field(
                "state",
                "is not all, affected, unknown, acknowledged, overdue or remediated",
            )
        })?;
        let a = self.store.get_alert(id).await?;
        if a.status == AlertStatus::Draft {
            return Err(CoreError::NotFound);
        }
        let view = alert_view(&a);
        let now = self.now_ms();
        let Exposure {
            organisations,
            affected,
            unknown,
            acknowledged,
            overdue,
            remediated,
        } = self.store.exposure(id, remit, view.acknowledge_by, now).await?;
        let p = self
            .store
            .exposure_page(id, remit, parsed, view.acknowledge_by, now, page)
            .await?;
        let responses = p.map(|r| response_view(&a, r, Vec::new(), Vec::new(), now));
        let filter = match parsed {
            ResponseFilter::All => "all",
            ResponseFilter::Affected => "affected",
            ResponseFilter::Unknown => "unknown",
            ResponseFilter::Acknowledged => "acknowledged",
            ResponseFilter::Overdue => "overdue",
            ResponseFilter::Remediated => "remediated",
        };
        Ok(ExposureView {
            alert: view,
            organisations,
            affected,
            unknown,
            acknowledged,
            overdue,
            remediated,
            filter,
            responses,
        })
    }

    /// One organisation's response as the sector view drills into it (its matches too).
    pub async fn exposure_detail(&self, scope: &Scope, id: AlertId, org: OrgId) -> Result<ResponseView, CoreError> {
        let remit = self.sector_of(scope)?;
        let target = self.store.get_org(org).await?;
        if remit.is_some() && target.regulator_id != remit {
            return Err(CoreError::NotFound);
        }
        let a = self.store.get_alert(id).await?;
        let r = self.store.get_response(id, org).await?;
        let matches = self.store.alert_matches(id, org).await?;
        let updates = self.store.alert_updates(id, org).await?;
        Ok(response_view(&a, r, matches, updates, self.now_ms()))
    }

    /// One organisation's alert record over time, as the national team (or its regulator)
    /// sees it.
    pub async fn member_alert_record(
        &self,
        scope: &Scope,
        org: OrgId,
        page: PageRequest,
    ) -> Result<Page<ResponseView>, CoreError> {
        let remit = self.sector_of(scope)?;
        let target = self.store.get_org(org).await?;
        if remit.is_some() && target.regulator_id != remit {
            return Err(CoreError::NotFound);
        }
        let now = self.now_ms();
        let p = self.store.responses_of(org, page).await?;
        Ok(p.map(|(a, r)| response_view(&a, r, Vec::new(), Vec::new(), now)))
    }
}
