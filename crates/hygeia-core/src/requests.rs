//! Reports a regime asks for only when the regulator requests them (NIS2 Art. 23(4)(c), the
//! intermediate report). The regulator asks on a notification in its inbox and sets the
//! deadline; the organisation sees the request on the incident's timeline and a clock for
//! the stage, which the worker reminds about like any other.

use crate::clocks::Pending;
use crate::notifications::human_time;
use crate::{CoreError, Hygeia, Scope};
use hygeia_domain::FieldError;
use hygeia_domain::ids::{IncidentEventId, NotificationId, ReportRequestId};
use hygeia_domain::incidents::regimes::{Due, pack_for};
use hygeia_domain::org::Regime;
use hygeia_domain::permissions::Permission;
use hygeia_store::model::{IncidentEvent, ReportRequest};
use serde_json::json;

/// The furthest ahead a requested deadline may be set.
const MAX_AHEAD_MS: i64 = 366 * 24 * 3_600_000;

/// The stages of `regime` a regulator may ask for: (code, title).
pub fn requestable_stages(regime: Regime) -> Vec<(String, String)> {
    pack_for(regime)
        .map(|p| {
            p.stages
                .iter()
                .filter(|s| s.due == Due::OnRequest)
                .map(|s| (s.code.clone(), s.title.clone()))
                .collect()
        })
        .unwrap_or_default()
}

impl Hygeia {
    /// Asks the sender of a received notification for a report on request, due at `due_at`.
    pub async fn request_report(
        &self,
        scope: &Scope,
        notification: NotificationId,
        stage: &str,
        due_at: Option<i64>,
        message: &str,
    ) -> Result<ReportRequest, CoreError> {
        scope.require(Permission::NotificationsReview)?;
        let received = self.store.received_notification(scope.org_id(), notification).await?;
        let n = received.notification;
        let now = self.now_ms();
        let mut errors = Vec::new();
        let stages = requestable_stages(n.regime);
        let title = stages
            .iter()
            .find(|(code, _)| code == stage.trim())
            .map(|(_, t)| t.clone());
        if title.is_none() {
            let allowed: Vec<&str> = stages.iter().map(|(c, _)| c.as_str()).collect();
            errors.push(FieldError::new(
                "stage",
                if allowed.is_empty() {
                    format!("{} asks for no report on request", n.regime.label())
                } else {
                    format!("must be one of: {}", allowed.join(", "))
                },
            ));
        }
        match due_at {
            None => errors.push(FieldError::new("due_at", "is required")),
            Some(due) if due <= now => errors.push(FieldError::new("due_at", "must be in the future")),
            Some(due) if due > now + MAX_AHEAD_MS => {
                errors.push(FieldError::new("due_at", "must be within a year"));
            }
            Some(_) => {}
        }
        let message = message.trim();
        if message.chars().count() > 20_000 {
            errors.push(FieldError::new("message", "must be at most 20000 characters"));
        }
        let (Some(title), Some(due_at), true) = (title, due_at, errors.is_empty()) else {
            return Err(CoreError::Validation(errors));
        };
        let sender = self.store.get_org(n.org_id).await?;
        let incident = self.store.get_incident(n.org_id, n.incident_id).await?;
        let request = ReportRequest {
            id: ReportRequestId(self.new_uuid()),
            regulator_id: scope.org_id(),
            org_id: n.org_id,
            incident_id: n.incident_id,
            notification_id: n.id,
            regime: n.regime,
            stage: stage.trim().to_owned(),
            due_at,
            message: message.to_owned(),
            requested_by: scope.actor.label(),
            requested_at: now,
        };
        let clocks = self
            .clock_rows(&sender, &incident, None, Pending::Asking(&request))
            .await?;
        let tz = jiff::tz::TimeZone::get(&sender.time_zone).unwrap_or(jiff::tz::TimeZone::UTC);
        let event = IncidentEvent {
            id: IncidentEventId(self.new_uuid()),
            incident_id: incident.id,
            at: now,
            actor_label: format!("{} ({})", scope.org.name, scope.actor.label()),
            kind: "request".into(),
            body: format!(
                "{} asked for the {} ({}) by {}.{}",
                scope.org.name,
                title.to_lowercase(),
                n.regime.label(),
                human_time(due_at, &tz),
                if message.is_empty() {
                    String::new()
                } else {
                    format!(" {message}")
                }
            ),
        };
        let audit = self.scope_audit(
            scope,
            "notification.request_report",
            "notification",
            n.id,
            json!({"stage": request.stage, "due_at": due_at, "sender": n.org_id.to_string(), "message": message}),
        );
        self.store.request_report(&request, &clocks, &event, &audit).await?;
        Ok(request)
    }

    /// The requests a regulator made on one notification in its inbox.
    pub async fn requests_on(
        &self,
        scope: &Scope,
        notification: NotificationId,
    ) -> Result<Vec<ReportRequest>, CoreError> {
        scope.require(Permission::OversightView)?;
        Ok(self.store.requests_on(scope.org_id(), notification).await?)
    }
}
