//! Incidents: their reportability decisions, notifications to regulators and their reviews,
//! statutory clocks, response tasks and playbooks, and regulators' report requests.

use hygeia_domain::ids::*;
use hygeia_domain::incidents::clocks::ClockState;
use hygeia_domain::incidents::notification::{Entry, ReviewStatus};
use hygeia_domain::incidents::playbooks::Playbook;
use hygeia_domain::incidents::reportability::{Decision, Facts};
use hygeia_domain::incidents::{IncidentCategory, IncidentDetails, IncidentSeverity, IncidentStatus};
use hygeia_domain::org::Regime;
use hygeia_domain::roles::Role;
use serde::Serialize;

/// One incident of an organisation's register.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Incident {
    pub id: IncidentId,
    pub org_id: OrgId,
    /// `INC-2026-0042`: numbered per organisation and year of awareness.
    pub reference: String,
    pub title: String,
    pub category: IncidentCategory,
    pub severity: IncidentSeverity,
    pub status: IncidentStatus,
    pub occurred_at: Option<i64>,
    pub detected_at: i64,
    pub aware_at: i64,
    pub details: IncidentDetails,
    pub facts: Facts,
    pub created_by: Option<UserId>,
    pub closed_at: Option<i64>,
    pub created_at: i64,
    pub updated_at: i64,
}

/// One entry of an incident's timeline.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct IncidentEvent {
    pub id: IncidentEventId,
    pub incident_id: IncidentId,
    pub at: i64,
    pub actor_label: String,
    /// `created`, `status`, `change`, `note` or `decision`.
    pub kind: String,
    pub body: String,
}

/// A reportability decision as it was recorded.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RecordedDecision {
    pub id: DecisionId,
    pub incident_id: IncidentId,
    pub decision: Decision,
    pub facts: Facts,
    pub rationale: String,
    pub decided_by: String,
    pub decided_at: i64,
}

/// One version of a notification to the regulator, as submitted.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Notification {
    pub id: NotificationId,
    pub org_id: OrgId,
    pub incident_id: IncidentId,
    /// The regulator organisation whose inbox it reached (none if the sender has no
    /// regulator in this deployment: then it exists only as an export).
    pub recipient_org_id: Option<OrgId>,
    pub regime: Regime,
    pub stage: String,
    /// 1 for the first submission of this stage; each update adds one.
    pub version: u32,
    pub previous_id: Option<NotificationId>,
    pub entries: Vec<Entry>,
    pub due_at: Option<i64>,
    pub submitted_at: i64,
    pub on_time: bool,
    pub late_reason: String,
    pub submitted_by: String,
    pub digest: String,
    pub review_status: ReviewStatus,
    pub reviewed_at: Option<i64>,
}

/// A notification with what the regulator's inbox shows beside it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ReceivedNotification {
    pub notification: Notification,
    pub sender_name: String,
    pub incident_reference: String,
    pub incident_title: String,
}

/// A regulator's review of a notification: a status and a message to the sender.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Review {
    pub id: ReviewId,
    pub notification_id: NotificationId,
    pub status: ReviewStatus,
    pub message: String,
    pub reviewed_by: String,
    pub at: i64,
}

/// On-time and late first submissions of one sender, for the regulator.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SenderRecord {
    pub org_id: OrgId,
    pub org_name: String,
    pub on_time: u64,
    pub late: u64,
}

/// One stage's clock as kept for the worker and the overviews.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ClockRow {
    pub incident_id: IncidentId,
    pub org_id: OrgId,
    /// The organisation's competent authority, whose overdue-and-late view lists the clock.
    pub regulator_id: Option<OrgId>,
    pub regime: Regime,
    pub stage: String,
    pub title: String,
    pub due_at: Option<i64>,
    pub submitted_at: Option<i64>,
    pub state: ClockState,
}

/// A clock with the incident and organisation it belongs to, for lists.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ClockListing {
    pub clock: ClockRow,
    pub reference: String,
    pub incident_title: String,
    pub org_name: String,
}

/// What one run of the worker's clock tick changed.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct TickReport {
    pub now_due_soon: u64,
    pub now_overdue: u64,
    pub reminders_queued: u64,
}

/// Everything one reportability assessment writes: the decisions, the facts they rest on
/// (kept as the incident's current facts), its timeline entry and the clocks that follow.
#[derive(Debug, Clone, Copy)]
pub struct Assessment<'a> {
    pub org: OrgId,
    pub facts: &'a Facts,
    pub at: i64,
    pub decisions: &'a [RecordedDecision],
    pub entry: &'a IncidentEvent,
    pub clocks: &'a [ClockRow],
}

/// One task of an incident's response.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct IncidentTask {
    pub id: TaskId,
    pub incident_id: IncidentId,
    pub title: String,
    pub role: Option<Role>,
    pub done_at: Option<i64>,
    pub done_by: Option<String>,
    pub created_at: i64,
}

/// An organisation's own version of a playbook.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct StoredPlaybook {
    pub playbook: Playbook,
    pub updated_by: String,
    pub updated_at: i64,
}

/// A regulator's request for a report that a regime asks for only on request.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ReportRequest {
    pub id: hygeia_domain::ids::ReportRequestId,
    pub regulator_id: OrgId,
    pub org_id: OrgId,
    pub incident_id: IncidentId,
    /// The notification the request was made on.
    pub notification_id: NotificationId,
    pub regime: Regime,
    pub stage: String,
    pub due_at: i64,
    pub message: String,
    pub requested_by: String,
    pub requested_at: i64,
}
