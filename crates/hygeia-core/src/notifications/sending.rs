//! Sending a notification: the draft of a stage from the incident and its decisions, its
//! submission to the regulator as a new version, and what the organisation sent.

use super::*;

impl Hygeia {
    /// Works out a stage's draft for an incident found reportable under `regime`.
    pub async fn notification_draft(
        &self,
        scope: &Scope,
        incident: IncidentId,
        regime: &str,
        stage: &str,
    ) -> Result<NotificationDraft, CoreError> {
        scope.require(Permission::NotificationsSubmit)?;
        let view = self.incident(scope, incident).await?;
        let regime = Regime::parse(regime.trim(), "regime")?;
        let Some(standing) = view.standings.iter().find(|s| s.regime == regime) else {
            return Err(CoreError::Validation(vec![FieldError::new(
                "regime",
                format!("the organisation does not report under {regime}"),
            )]));
        };
        if standing.decision.as_ref().map(|d| d.decision.verdict) != Some(Verdict::Reportable) {
            return Err(CoreError::Validation(vec![FieldError::new(
                "regime",
                format!("the incident has not been assessed reportable under {regime}"),
            )]));
        }
        let pack = pack_for(regime).map_err(CoreError::Internal)?;
        let stage = find_stage(pack, stage.trim())?;
        let due_at = standing
            .clocks
            .iter()
            .find(|c| c.stage == stage.code)
            .and_then(|c| c.due_at);
        let now = self.now_ms();
        let tz = jiff::tz::TimeZone::get(&scope.org.time_zone).unwrap_or(jiff::tz::TimeZone::UTC);
        let i = &view.incident;
        let duration = i.details.disruption_minutes(now).map(|m| {
            let ongoing = if i.details.disruption_end.is_none() {
                " (ongoing)"
            } else {
                ""
            };
            format!("{} h {} min{ongoing}", m / 60, m % 60)
        });
        let entries = draft(
            &stage,
            &DraftSource {
                org_name: &scope.org.name,
                title: &i.title,
                category: i.category.label(),
                occurred: i.occurred_at.map(|t| human_time(t, &tz)),
                aware: human_time(i.aware_at, &tz),
                duration,
                details: Some(&i.details),
                severity: i.severity.label(),
                contact: scope.actor.user.email.as_str(),
            },
        );
        let notifications = self.store.incident_notifications(scope.org_id(), incident).await?;
        let previous = notifications
            .into_iter()
            .filter(|n| n.regime == regime && n.stage == stage.code)
            .max_by_key(|n| n.version);
        Ok(NotificationDraft {
            incident: view.incident.clone(),
            regime,
            regime_title: standing.title.clone(),
            // Only a first submission can be late; updates are answers, not deadlines.
            late: previous.is_none() && due_at.is_some_and(|due| now > due),
            stage,
            entries,
            due_at,
            previous,
        })
    }

    /// Submits a stage's notification: checked against what the regime requires, stored as
    /// the next version, sent to the regulator's inbox, never changed afterwards.
    pub async fn submit_notification(
        &self,
        scope: &Scope,
        incident: IncidentId,
        regime: &str,
        stage: &str,
        values: &[(String, String)],
        late_reason: &str,
    ) -> Result<Notification, CoreError> {
        let d = self.notification_draft(scope, incident, regime, stage).await?;
        let mut errors = Vec::new();
        let mut entries = Vec::new();
        for (code, value) in values {
            match ContentField::parse(code.trim(), code.trim()) {
                Ok(field) => entries.push(Entry {
                    field,
                    value: value.trim().to_owned(),
                }),
                Err(e) => errors.extend(e.0),
            }
        }
        // Keep the stage's order, so the digest does not depend on the order fields came in.
        entries.sort_by_key(|e| {
            d.stage
                .contents
                .iter()
                .position(|f| *f == e.field)
                .unwrap_or(usize::MAX)
        });
        if let Err(e) = check(&d.stage, &entries, d.late, late_reason) {
            errors.extend(e.0);
        }
        if !errors.is_empty() {
            return Err(CoreError::Validation(errors));
        }
        let now = self.now_ms();
        let notification = Notification {
            id: NotificationId(self.new_uuid()),
            org_id: scope.org_id(),
            incident_id: incident,
            recipient_org_id: scope.org.regulator_id,
            regime: d.regime,
            stage: d.stage.code.clone(),
            version: 0,
            previous_id: None,
            entries,
            due_at: d.due_at,
            submitted_at: now,
            on_time: !d.late,
            late_reason: late_reason.trim().to_owned(),
            submitted_by: scope.actor.label(),
            digest: String::new(),
            review_status: ReviewStatus::Submitted,
            reviewed_at: None,
        };
        let regime_code = d.regime.code();
        let stage_code = d.stage.code.clone();
        let entries = notification.entries.clone();
        let digest_of = move |version: u32| digest(regime_code, &stage_code, version, &entries);
        let audit = self.scope_audit(scope, "notification.submit",
            "notification",
            notification.id,
            json!({"incident": incident.to_string(), "regime": d.regime.code(), "stage": d.stage.code, "on_time": notification.on_time}),
        );
        let clocks = self
            .clock_rows(&scope.org, &d.incident, None, Pending::Sending(&notification))
            .await?;
        // Also by e-mail, when the organisation has said where: queued with the submission.
        let delivery = self.store.delivery_email(scope.org_id()).await?;
        let mail_id = self.new_uuid();
        let (org_name, reference, stage_title) = (
            scope.org.name.clone(),
            d.incident.reference.clone(),
            d.stage.title.clone(),
        );
        let to = delivery.clone().unwrap_or_default();
        let compose = move |n: &Notification| Mail {
            id: MailId(mail_id),
            recipient: to.clone(),
            subject: format!(
                "{}: {} v{} from {org_name} ({reference})",
                n.regime.label(),
                stage_title,
                n.version
            ),
            body: mail_body(n, &org_name, &reference, &stage_title),
            created_at: n.submitted_at,
            attempts: 0,
        };
        let by_mail: Option<&(dyn Fn(&Notification) -> Mail + Sync)> = delivery.is_some().then_some(&compose);
        // And to the organisation's webhook, as the signed export.
        let hook = self.store.webhook(scope.org_id()).await?;
        let (sender, reference, title, stage_title) = (
            scope.org.name.clone(),
            d.incident.reference.clone(),
            d.incident.title.clone(),
            d.stage.title.clone(),
        );
        let export = |n: &Notification| {
            let view = NotificationView {
                notification: n.clone(),
                stage_title: stage_title.clone(),
                reviews: Vec::new(),
                sender_name: sender.clone(),
                awareness_changes: Vec::new(),
                incident_reference: reference.clone(),
                incident_title: title.clone(),
            };
            serde_json::to_string(&crate::export::NotificationExport::from(view)).unwrap_or_default()
        };
        let post = hook
            .as_ref()
            .map(|h| move |n: &Notification| self.webhook_delivery(h, n, export(n)));
        let by_webhook = post
            .as_ref()
            .map(|f| f as &(dyn Fn(&Notification) -> WebhookDelivery + Sync));
        let deliveries = Deliveries {
            mail: by_mail,
            webhook: by_webhook,
        };
        Ok(self
            .store
            .submit_notification(&notification, &digest_of, &clocks, deliveries, &audit)
            .await?)
    }

    /// The incident's notifications, every version.
    pub async fn incident_notifications(
        &self,
        scope: &Scope,
        incident: IncidentId,
    ) -> Result<Vec<Notification>, CoreError> {
        scope.require(Permission::IncidentsView)?;
        Ok(self.store.incident_notifications(scope.org_id(), incident).await?)
    }

    /// One of the organisation's own notifications with the regulator's reviews.
    pub async fn sent_notification(&self, scope: &Scope, id: NotificationId) -> Result<NotificationView, CoreError> {
        scope.require(Permission::IncidentsView)?;
        let n = self.store.sent_notification(scope.org_id(), id).await?;
        let incident = self.store.get_incident(scope.org_id(), n.incident_id).await?;
        self.notification_view(n, scope.org.name.clone(), incident.reference, incident.title)
            .await
    }

    pub(super) async fn notification_view(
        &self,
        n: Notification,
        sender_name: String,
        incident_reference: String,
        incident_title: String,
    ) -> Result<NotificationView, CoreError> {
        let stage_title = pack_for(n.regime)
            .ok()
            .and_then(|p| p.stages.iter().find(|s| s.code == n.stage).map(|s| s.title.clone()))
            .unwrap_or_else(|| n.stage.clone());
        let reviews = self.store.reviews(n.id).await?;
        Ok(NotificationView {
            notification: n,
            stage_title,
            reviews,
            awareness_changes: Vec::new(),
            sender_name,
            incident_reference,
            incident_title,
        })
    }
}
