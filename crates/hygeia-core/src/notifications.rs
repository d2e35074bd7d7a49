//! Notifications of incidents to the regulator: a draft per stage, submission (immutable,
//! versioned), and the regulator's inbox and reviews.

use crate::access::Scope;
use crate::clocks::Pending;
use crate::{CoreError, Hygeia};
use hygeia_domain::ids::{IncidentId, MailId, NotificationId, ReviewId};
use hygeia_domain::incidents::clocks::{ClockInputs, schedule};
use hygeia_domain::incidents::notification::{DraftSource, Entry, ReviewStatus, check, digest, draft};
use hygeia_domain::incidents::regimes::{ContentField, RegimePack, Stage, pack_for};
use hygeia_domain::incidents::reportability::Verdict;
use hygeia_domain::org::Regime;
use hygeia_domain::page::{Page, PageRequest};
use hygeia_domain::permissions::Permission;
use hygeia_domain::validation::FieldError;
use hygeia_store::model::{
    Deliveries, Incident, Mail, Notification, ReceivedNotification, Review, SenderRecord, WebhookDelivery,
};
use serde_json::json;

/// A stage ready to be written: the draft, when it is due and whether that has passed.
#[derive(Debug, Clone)]
pub struct NotificationDraft {
    pub incident: Incident,
    pub regime: Regime,
    pub regime_title: String,
    pub stage: Stage,
    pub entries: Vec<Entry>,
    pub due_at: Option<i64>,
    pub late: bool,
    /// The latest version already submitted for this stage, if any (this would update it).
    pub previous: Option<Notification>,
}

/// A notification as its sender or the receiving regulator sees it, with the reviews.
#[derive(Debug, Clone)]
pub struct NotificationView {
    pub notification: Notification,
    pub stage_title: String,
    pub reviews: Vec<Review>,
    /// Shown to the regulator: who sent it and about which incident.
    pub sender_name: String,
    /// Awareness-time changes made to the incident since this was submitted (at, by, what),
    /// for the regulator.
    pub awareness_changes: Vec<(i64, String, String)>,
    pub incident_reference: String,
    pub incident_title: String,
}

pub(crate) fn human_time(ms: i64, tz: &jiff::tz::TimeZone) -> String {
    jiff::Timestamp::from_millisecond(ms)
        .map(|t| {
            t.to_zoned_datetime(tz.clone())
                .strftime("%-d %b %Y %H:%M %Z")
                .to_string()
        })
        .unwrap_or_default()
}

fn find_stage(pack: &RegimePack, code: &str) -> Result<Stage, CoreError> {
    pack.stages.iter().find(|s| s.code == code).cloned().ok_or_else(|| {
        CoreError::Validation(vec![FieldError::new(
            "stage",
            format!("'{code}' is not a stage of {}", pack.title),
        )])
    })
}

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
        let audit = self.audit(
            Some(&scope.actor),
            Some(scope.org_id()),
            "notification.submit",
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

    async fn notification_view(
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

    /// A regulator's inbox: notifications received from the organisations in its remit.
    pub async fn inbox(&self, scope: &Scope, page: PageRequest) -> Result<Page<ReceivedNotification>, CoreError> {
        scope.require(Permission::OversightView)?;
        Ok(self.store.inbox(scope.org_id(), page).await?)
    }

    /// One received notification, with its reviews.
    pub async fn received_notification(
        &self,
        scope: &Scope,
        id: NotificationId,
    ) -> Result<NotificationView, CoreError> {
        scope.require(Permission::OversightView)?;
        let r = self.store.received_notification(scope.org_id(), id).await?;
        let mut view = self
            .notification_view(r.notification, r.sender_name, r.incident_reference, r.incident_title)
            .await?;
        view.awareness_changes = self.store.awareness_changes_since(scope.org_id(), id).await?;
        Ok(view)
    }

    /// Records the regulator's review: received, accepted, or a revision requested (which
    /// needs a message saying what to change).
    pub async fn review_notification(
        &self,
        scope: &Scope,
        id: NotificationId,
        status: &str,
        message: &str,
    ) -> Result<(), CoreError> {
        scope.require(Permission::NotificationsReview)?;
        let status = ReviewStatus::parse(status.trim(), "status")?;
        let message = message.trim();
        let mut errors = Vec::new();
        if status == ReviewStatus::Submitted {
            errors.push(FieldError::new(
                "status",
                "choose received, accepted or revision requested",
            ));
        }
        if status == ReviewStatus::RevisionRequested && message.is_empty() {
            errors.push(FieldError::new(
                "message",
                "is required: say what the organisation should change",
            ));
        }
        if message.chars().count() > 20_000 {
            errors.push(FieldError::new("message", "must be at most 20000 characters"));
        }
        if !errors.is_empty() {
            return Err(CoreError::Validation(errors));
        }
        let review = Review {
            id: ReviewId(self.new_uuid()),
            notification_id: id,
            status,
            message: message.to_owned(),
            reviewed_by: scope.actor.label(),
            at: self.now_ms(),
        };
        let audit = self.audit(
            Some(&scope.actor),
            Some(scope.org_id()),
            "notification.review",
            "notification",
            id,
            json!({"status": status.code(), "message": message}),
        );
        Ok(self.store.review_notification(scope.org_id(), &review, &audit).await?)
    }

    /// First submissions on time and late, per organisation in the remit.
    pub async fn sender_records(&self, scope: &Scope) -> Result<Vec<SenderRecord>, CoreError> {
        scope.require(Permission::OversightView)?;
        Ok(self.store.sender_records(scope.org_id()).await?)
    }
}

/// A notification as plain text for e-mail: every field, then how to check it is unchanged.
fn mail_body(n: &Notification, org: &str, reference: &str, stage: &str) -> String {
    let mut body = format!(
        "{} under {}, version {}, from {org}, about incident {reference}.\nSubmitted {} by {}.\n\n",
        stage,
        n.regime.label(),
        n.version,
        jiff::Timestamp::from_millisecond(n.submitted_at)
            .map(|t| t.to_string())
            .unwrap_or_default(),
        n.submitted_by
    );
    if !n.late_reason.is_empty() {
        body.push_str(&format!("Submitted after the deadline. Reason: {}\n\n", n.late_reason));
    }
    for e in &n.entries {
        body.push_str(&format!("{}:\n{}\n\n", e.field.label(), e.value));
    }
    body.push_str(&format!(
        "SHA-256 of the contents ({}): {}\nSent by Hygeia.\n",
        hygeia_domain::incidents::notification::EXPORT_SCHEMA,
        n.digest
    ));
    body
}

/// The first submission time of each stage, for the clocks.
pub(crate) fn first_submissions(notifications: &[Notification], regime: Regime) -> Vec<(String, i64)> {
    notifications
        .iter()
        .filter(|n| n.regime == regime && n.version == 1)
        .map(|n| (n.stage.clone(), n.submitted_at))
        .collect()
}

/// Clocks with submissions taken into account.
pub(crate) fn clocks_with_submissions(
    pack: &RegimePack,
    incident: &Incident,
    notifications: &[Notification],
    requests: &[hygeia_store::model::ReportRequest],
    now: i64,
    due_soon_ms: i64,
    tz: &jiff::tz::TimeZone,
) -> Vec<hygeia_domain::incidents::clocks::StageClock> {
    let firsts = first_submissions(notifications, pack.regime);
    let submitted: Vec<(&str, i64)> = firsts.iter().map(|(s, at)| (s.as_str(), *at)).collect();
    let requested: Vec<(&str, i64)> = requests
        .iter()
        .filter(|r| r.regime == pack.regime)
        .map(|r| (r.stage.as_str(), r.due_at))
        .collect();
    schedule(
        pack,
        &ClockInputs {
            aware_at: incident.aware_at,
            now,
            due_soon_ms,
            closed_at: incident.closed_at,
            submitted: &submitted,
            requested: &requested,
            time_zone: tz,
        },
    )
}

impl Hygeia {
    /// Where the organisation's notifications also go by e-mail, if anywhere.
    pub async fn delivery_email(&self, scope: &Scope) -> Result<Option<String>, CoreError> {
        scope.require(Permission::OrgView)?;
        Ok(self.store.delivery_email(scope.org_id()).await?)
    }

    /// Sets where notifications also go by e-mail (blank: nowhere but the regulator's inbox).
    pub async fn set_delivery_email(&self, scope: &Scope, email: &str) -> Result<(), CoreError> {
        scope.require(Permission::OrgEdit)?;
        let email = email.trim();
        let email = if email.is_empty() {
            String::new()
        } else {
            hygeia_domain::email::Email::parse(email)
                .map_err(|e| CoreError::Validation(e.at("delivery_email").0))?
                .as_str()
                .to_owned()
        };
        let audit = self.audit(
            Some(&scope.actor),
            Some(scope.org_id()),
            "org.delivery",
            "org",
            scope.org_id(),
            json!({"delivery_email": email}),
        );
        Ok(self
            .store
            .set_delivery_email(scope.org_id(), &email, &scope.actor.label(), self.now_ms(), &audit)
            .await?)
    }
}
