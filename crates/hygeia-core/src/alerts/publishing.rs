//! The national team's alerts: drafts from the form or a CSAF advisory, edits, publication, withdrawal.

use super::*;

impl Hygeia {
    pub(super) fn draft_from_input(
        &self,
        input: &AlertInput,
        dictionary: &Dictionary,
    ) -> Result<AlertDraft, CoreError> {
        let severity = Severity::parse(&input.severity)
            .ok_or_else(|| CoreError::field("severity", "is not high, medium, low or information"))?;
        let defaults = Deadlines::default_for(severity);
        let draft = AlertDraft {
            reference: input.reference.trim().to_owned(),
            title: input.title.trim().to_owned(),
            severity,
            summary: input.summary.trim().to_owned(),
            cves: input
                .cves
                .iter()
                .map(|c| c.trim().to_uppercase())
                .filter(|c| !c.is_empty())
                .collect(),
            products: product_lines(&input.products, dictionary)?,
            actions: input
                .actions
                .iter()
                .map(|a| a.trim().to_owned())
                .filter(|a| !a.is_empty())
                .collect(),
            source: AlertSource::Manual,
            deadlines: Deadlines {
                acknowledge_hours: input.acknowledge_hours.or(defaults.acknowledge_hours),
                first_update_days: input.first_update_days.unwrap_or(defaults.first_update_days),
                remediate_days: input.remediate_days.or(defaults.remediate_days),
            },
        };
        draft.check()?;
        Ok(draft)
    }

    pub(super) async fn store_draft(&self, scope: &Scope, draft: AlertDraft) -> Result<Alert, CoreError> {
        let now = self.now_ms();
        let by = scope.actor.label();
        let alert = Alert {
            id: AlertId(self.new_uuid()),
            publisher_id: scope.org_id(),
            reference: draft.reference,
            title: draft.title,
            severity: draft.severity,
            summary: draft.summary,
            cves: draft.cves,
            products: draft.products,
            actions: draft.actions,
            source: draft.source,
            deadlines: draft.deadlines,
            status: AlertStatus::Draft,
            published_at: None,
            revision: 1,
            created_by: by.clone(),
            created_at: now,
            updated_by: by,
            updated_at: now,
        };
        let audit = self.scope_audit(scope, "alert.create",
            "alert",
            alert.id,
            json!({"reference": alert.reference, "severity": alert.severity.as_str(), "source": alert.source.as_str(), "products": alert.products.len()}),
        );
        self.store.save_alert(&alert, &audit).await?;
        Ok(alert)
    }

    /// A draft alert from the publisher's form.
    pub async fn create_alert(&self, scope: &Scope, input: &AlertInput) -> Result<AlertView, CoreError> {
        scope.require(Permission::AlertsPublish)?;
        let dictionary = self.dictionary().await?;
        let draft = self.draft_from_input(input, &dictionary)?;
        Ok(alert_view(&self.store_draft(scope, draft).await?))
    }

    /// Replaces a draft's or a published alert's content; a published one is re-matched
    /// (stated answers are kept) and its revision goes up.
    pub async fn update_alert(&self, scope: &Scope, id: AlertId, input: &AlertInput) -> Result<AlertView, CoreError> {
        scope.require(Permission::AlertsPublish)?;
        let before = self.store.get_alert(id).await?;
        if before.status == AlertStatus::Withdrawn {
            return Err(CoreError::Conflict("this alert was withdrawn".into()));
        }
        let dictionary = self.dictionary().await?;
        let d = self.draft_from_input(input, &dictionary)?;
        let after = Alert {
            reference: d.reference,
            title: d.title,
            severity: d.severity,
            summary: d.summary,
            cves: d.cves,
            products: d.products,
            actions: d.actions,
            deadlines: d.deadlines,
            revision: before.revision + 1,
            updated_by: scope.actor.label(),
            updated_at: self.now_ms(),
            ..before.clone()
        };
        let audit = self.scope_audit(scope, "alert.update", "alert", id, json!({"revision": after.revision}));
        self.store.save_alert(&after, &audit).await?;
        if after.status == AlertStatus::Published {
            self.match_alert(&after, None).await?;
        }
        Ok(alert_view(&after))
    }

    /// Publishes a draft: the clocks start now and every organisation gets a pre-filled response.
    pub async fn publish_alert(&self, scope: &Scope, id: AlertId) -> Result<AlertView, CoreError> {
        scope.require(Permission::AlertsPublish)?;
        let before = self.store.get_alert(id).await?;
        if before.status != AlertStatus::Draft {
            return Err(CoreError::Conflict("only a draft can be published".into()));
        }
        let now = self.now_ms();
        let after = Alert {
            status: AlertStatus::Published,
            published_at: Some(now),
            updated_by: scope.actor.label(),
            updated_at: now,
            ..before
        };
        let audit = self.scope_audit(
            scope,
            "alert.publish",
            "alert",
            id,
            json!({"reference": after.reference}),
        );
        self.store.save_alert(&after, &audit).await?;
        self.match_alert(&after, None).await?;
        Ok(alert_view(&after))
    }

    pub async fn withdraw_alert(&self, scope: &Scope, id: AlertId) -> Result<AlertView, CoreError> {
        scope.require(Permission::AlertsPublish)?;
        let before = self.store.get_alert(id).await?;
        let now = self.now_ms();
        let after = Alert {
            status: AlertStatus::Withdrawn,
            updated_by: scope.actor.label(),
            updated_at: now,
            ..before
        };
        let audit = self.scope_audit(scope, "alert.withdraw", "alert", id, json!({}));
        self.store.save_alert(&after, &audit).await?;
        Ok(alert_view(&after))
    }

    /// Alerts as a list: published ones for everyone who sees alerts, drafts too for the
    /// publisher.
    pub async fn alerts(&self, scope: &Scope, page: PageRequest) -> Result<Page<AlertView>, CoreError> {
        scope.require(Permission::AlertsView)?;
        let drafts = scope.allows(Permission::AlertsPublish);
        let p = self.store.alerts_page(drafts, page).await?;
        Ok(p.map(|a| alert_view(&a)))
    }

    pub async fn alert(&self, scope: &Scope, id: AlertId) -> Result<AlertView, CoreError> {
        scope.require(Permission::AlertsView)?;
        let a = self.store.get_alert(id).await?;
        if a.status == AlertStatus::Draft && !scope.allows(Permission::AlertsPublish) {
            return Err(CoreError::NotFound);
        }
        Ok(alert_view(&a))
    }

    /// Imports a CSAF advisory (a draft alert) or a KEV snapshot (the catalogue), told apart
    /// by content.
    pub async fn import_alert_file(&self, scope: &Scope, file: &str, text: &str) -> Result<AlertImport, CoreError> {
        scope.require(Permission::AlertsPublish)?;
        let dictionary = self.dictionary().await?;
        if kev::detect(text) {
            return self.import_kev(scope, file, text, &dictionary).await;
        }
        if !csaf::detect(text) {
            return Err(CoreError::field(
                &format!("{file} /"),
                "neither a CSAF 2.0 advisory nor a CISA KEV catalogue",
            ));
        }
        let draft = csaf::read(text, &dictionary).map_err(|e| import_error(file, e))?;
        draft.check()?;
        let products = draft.products.len();
        let unplaced = draft
            .products
            .iter()
            .filter(|p| p.canonical.is_none() && p.product_key.starts_with("name:"))
            .count();
        let alert = self.store_draft(scope, draft).await?;
        Ok(AlertImport::Csaf {
            alert: alert_view(&alert),
            products,
            unplaced,
        })
    }
}
