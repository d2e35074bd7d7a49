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

mod receiving;
mod sending;

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
        let audit = self.scope_audit(
            scope,
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
