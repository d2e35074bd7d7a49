//! The records the store reads and writes. Times are Unix epoch milliseconds (UTC).

use hygeia_domain::audit::AuditEvent;
use hygeia_domain::email::Email;
use hygeia_domain::evidence::{EvidenceKind, LinkTarget};
use hygeia_domain::ids::*;
use hygeia_domain::incidents::clocks::ClockState;
use hygeia_domain::incidents::notification::{Entry, ReviewStatus};
use hygeia_domain::incidents::playbooks::Playbook;
use hygeia_domain::incidents::reportability::{Decision, Facts};
use hygeia_domain::incidents::{IncidentCategory, IncidentDetails, IncidentSeverity, IncidentStatus};
use hygeia_domain::org::{OdsCode, OrgType, Regime};
use hygeia_domain::roles::Role;
use serde::Serialize;
use std::fmt;

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Org {
    pub id: OrgId,
    pub name: String,
    pub ods_code: OdsCode,
    pub org_type: OrgType,
    pub regimes: Vec<Regime>,
    /// Designated an operator of essential services under the NIS Regulations.
    pub is_oes: bool,
    pub parent_id: Option<OrgId>,
    /// The competent authority whose remit covers this organisation.
    pub regulator_id: Option<OrgId>,
    pub require_mfa: bool,
    pub time_zone: String,
    pub created_at: i64,
    pub updated_at: i64,
}

/// A person's account. Debug leaves out the password hash and TOTP secret so that they can
/// never reach a log.
#[derive(Clone, PartialEq)]
pub struct User {
    pub id: UserId,
    pub email: Email,
    pub display_name: String,
    pub password_hash: String,
    pub is_platform_admin: bool,
    /// Base32 TOTP secret; present from set-up start, in force once `totp_enabled`.
    pub totp_secret: Option<String>,
    pub totp_enabled: bool,
    pub totp_last_step: Option<i64>,
    pub created_at: i64,
    pub updated_at: i64,
}

impl fmt::Debug for User {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("User")
            .field("id", &self.id)
            .field("email", &self.email)
            .field("is_platform_admin", &self.is_platform_admin)
            .field("totp_enabled", &self.totp_enabled)
            .finish_non_exhaustive()
    }
}

/// A member of an organisation, as listed to its administrators.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Member {
    pub user_id: UserId,
    pub email: Email,
    pub display_name: String,
    pub role: Role,
    pub mfa_enabled: bool,
    pub since: i64,
}

/// One of a person's organisations with their role there.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Membership {
    pub org: Org,
    pub role: Role,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Invitation {
    pub id: InvitationId,
    pub org_id: OrgId,
    pub email: Email,
    pub role: Role,
    pub invited_by: UserId,
    pub created_at: i64,
    pub expires_at: i64,
    pub accepted_at: Option<i64>,
    pub revoked_at: Option<i64>,
}

/// Where a signed-in session stands with multi-factor authentication.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum MfaState {
    /// Fully signed in.
    Complete,
    /// Password accepted; the one-time code is still to come.
    Pending,
    /// Password accepted, but this account must set up MFA before doing anything else.
    SetupRequired,
}

impl MfaState {
    pub fn code(self) -> &'static str {
        match self {
            MfaState::Complete => "complete",
            MfaState::Pending => "pending",
            MfaState::SetupRequired => "setup_required",
        }
    }

    pub fn parse(code: &str) -> Option<Self> {
        match code {
            "complete" => Some(MfaState::Complete),
            "pending" => Some(MfaState::Pending),
            "setup_required" => Some(MfaState::SetupRequired),
            _ => None,
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Session {
    pub id: SessionId,
    pub user_id: UserId,
    pub current_org_id: Option<OrgId>,
    /// The per-session token every state-changing form must carry.
    pub csrf_token: String,
    pub mfa_state: MfaState,
    pub created_at: i64,
    pub expires_at: i64,
    pub last_seen_at: i64,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ApiToken {
    pub id: TokenId,
    pub user_id: UserId,
    pub name: String,
    pub read_only: bool,
    /// When set, the token reaches only this organisation.
    pub org_id: Option<OrgId>,
    pub created_at: i64,
    pub expires_at: Option<i64>,
    pub last_used_at: Option<i64>,
    pub revoked_at: Option<i64>,
}

/// An audit record to append, in the chain of an organisation or of the platform.
#[derive(Debug, Clone, PartialEq)]
pub struct NewAudit {
    pub id: AuditId,
    pub chain: String,
    pub event: AuditEvent,
}

/// The chain name for events that belong to no organisation (accounts, platform admin).
pub const PLATFORM_CHAIN: &str = "platform";

/// A person's reach into one organisation, as stored: the organisation, their role as a
/// member (if any), and their role in its regulator body (if any).
#[derive(Debug, Clone, PartialEq)]
pub struct Access {
    pub org: Org,
    pub member_role: Option<Role>,
    pub oversight_role: Option<Role>,
}

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

/// A message in the outbox.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Mail {
    pub id: MailId,
    pub recipient: String,
    pub subject: String,
    pub body: String,
    pub created_at: i64,
    pub attempts: i64,
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

/// An item of the evidence library, with its latest version.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct EvidenceItem {
    pub id: EvidenceId,
    pub org_id: OrgId,
    pub kind: EvidenceKind,
    pub title: String,
    /// `YYYY-MM-DD`, when someone should check it is still true.
    pub review_by: Option<String>,
    pub created_by: String,
    pub created_at: i64,
    pub updated_at: i64,
    pub latest: EvidenceVersion,
    /// How many records it is linked to.
    pub link_count: i64,
}

/// One version of an item: a file (by its content hash), a link or a note.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct EvidenceVersion {
    pub evidence_id: EvidenceId,
    pub version: i64,
    pub file_name: Option<String>,
    pub media_type: Option<String>,
    pub size_bytes: Option<i64>,
    pub sha256: Option<String>,
    pub url: Option<String>,
    pub note: Option<String>,
    pub added_by: String,
    pub added_at: i64,
}

/// A new item, before it is stored.
#[derive(Debug, Clone)]
pub struct NewEvidence {
    pub id: EvidenceId,
    pub kind: EvidenceKind,
    pub title: String,
    pub review_by: Option<String>,
    pub created_by: String,
    pub created_at: i64,
}

/// Something an item is linked to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct EvidenceLink {
    pub evidence_id: EvidenceId,
    pub target_kind: LinkTarget,
    pub target_id: String,
    pub linked_by: String,
    pub linked_at: i64,
}

/// A file received in full, hashed and waiting on disk to be stored.
#[derive(Debug, Clone)]
pub struct StagedFile {
    pub path: std::path::PathBuf,
    pub sha256: String,
    pub size_bytes: i64,
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

/// An organisation's webhook for its notifications.
#[derive(Debug, Clone, PartialEq)]
pub struct Webhook {
    pub url: String,
    /// Signs each delivery; shown to the organisation once, never logged.
    pub secret: String,
    pub updated_by: String,
    pub updated_at: i64,
}

/// One delivery of an event to a webhook, with where its attempts stand.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct WebhookDelivery {
    pub id: hygeia_domain::ids::DeliveryId,
    pub org_id: OrgId,
    pub notification_id: NotificationId,
    /// `notification.submitted`.
    pub event: String,
    pub url: String,
    #[serde(skip)]
    pub body: String,
    pub created_at: i64,
    pub attempts: i64,
    pub last_attempt_at: Option<i64>,
    pub last_status: Option<i64>,
    pub last_error: Option<String>,
    pub delivered_at: Option<i64>,
}

/// What else a submission sends, composed from the stored notification (its version and
/// digest are settled inside the write).
#[derive(Clone, Copy, Default)]
pub struct Deliveries<'a> {
    pub mail: Option<&'a (dyn Fn(&Notification) -> Mail + Sync)>,
    pub webhook: Option<&'a (dyn Fn(&Notification) -> WebhookDelivery + Sync)>,
}

/// An improvement action.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ImprovementAction {
    pub id: hygeia_domain::ids::ActionId,
    pub org_id: OrgId,
    /// `ACT-0007`: numbered per organisation.
    pub reference: String,
    pub title: String,
    pub detail: String,
    pub owner: String,
    /// `YYYY-MM-DD`.
    pub due_on: Option<String>,
    pub status: hygeia_domain::governance::actions::ActionStatus,
    pub source: Option<(hygeia_domain::governance::actions::ActionSource, String)>,
    pub created_by: String,
    pub created_at: i64,
    pub updated_by: String,
    pub updated_at: i64,
}

/// A risk in the register.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Risk {
    pub id: hygeia_domain::ids::RiskId,
    pub org_id: OrgId,
    /// `RSK-0003`: numbered per organisation.
    pub reference: String,
    pub title: String,
    pub description: String,
    pub likelihood: u8,
    pub impact: u8,
    pub treatment: hygeia_domain::governance::risks::Treatment,
    pub owner: String,
    pub status: hygeia_domain::governance::risks::RiskStatus,
    /// `YYYY-MM-DD`.
    pub review_by: Option<String>,
    pub created_by: String,
    pub created_at: i64,
    pub updated_by: String,
    pub updated_at: i64,
}

/// A framework version in the library (its nodes are read separately).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct StoredFramework {
    pub id: hygeia_domain::ids::FrameworkId,
    pub key: String,
    pub version: String,
    pub title: String,
    pub publisher: String,
    pub source_url: Option<String>,
    pub licence: String,
    /// `built_in` or `imported`.
    pub origin: String,
    pub node_count: i64,
    pub imported_by: String,
    pub imported_at: i64,
    /// `dspt_caf` where the framework adds a publication status to its grades.
    pub status_rule: Option<String>,
}

/// An organisation's assessment of a framework version, with the framework's name joined in.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FrameworkAssessment {
    pub id: hygeia_domain::ids::AssessmentId,
    pub org_id: OrgId,
    /// `ASM-0001`, numbered per organisation.
    pub reference: String,
    pub framework_id: hygeia_domain::ids::FrameworkId,
    pub framework_key: String,
    pub framework_version: String,
    pub framework_title: String,
    pub title: String,
    pub period: String,
    pub due_on: Option<String>,
    pub scope: String,
    pub profile_key: Option<String>,
    pub status: hygeia_domain::assessments::record::Status,
    /// 1 for the first publication for its framework and period, then 2, 3…
    pub version: i64,
    pub supersedes: Option<hygeia_domain::ids::AssessmentId>,
    /// The headline result when published (e.g. "35 of 39 outcomes meet the profile").
    pub result: Option<String>,
    /// What the publication is counted as across a sector ("Standards Met", "Pass"); the
    /// regulator's approval of an improvement plan can move it.
    pub standing: Option<String>,
    /// The published scorecard's totals, as JSON.
    pub summary: Option<String>,
    pub digest: Option<String>,
    pub created_by: String,
    pub created_at: i64,
    pub updated_by: String,
    pub updated_at: i64,
    pub published_by: Option<String>,
    pub published_at: Option<i64>,
    pub row_version: i64,
}

/// One node's stored answer.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct StoredAnswer {
    pub ref_id: String,
    pub answer: hygeia_domain::assessments::answer::Answer,
    pub updated_by: String,
    pub updated_at: i64,
}

/// A regulator's review of a published assessment.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AssessmentReview {
    pub id: hygeia_domain::ids::AssessmentReviewId,
    pub assessment_id: hygeia_domain::ids::AssessmentId,
    pub org_id: OrgId,
    pub regulator_id: OrgId,
    /// `accepted`, `concerns`, `challenged`, `plan_approved` or `plan_completed`.
    pub outcome: String,
    pub comment: String,
    pub reviewed_by: String,
    pub reviewed_at: i64,
}

/// One remark in the conversation on an item of an assessment.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AssessmentComment {
    pub id: uuid::Uuid,
    pub assessment_id: hygeia_domain::ids::AssessmentId,
    pub org_id: OrgId,
    pub ref_id: String,
    pub body: String,
    pub author: String,
    pub created_at: i64,
}

/// A published assessment as the regulator's list shows it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PublishedAssessment {
    pub assessment: FrameworkAssessment,
    pub org_name: String,
    pub org_ods: String,
}

/// What publishing an assessment writes besides its status.
pub struct Publication<'a> {
    pub result: &'a str,
    pub standing: &'a str,
    pub summary: &'a str,
    pub digest: &'a str,
    pub snapshot: &'a str,
    pub by: &'a str,
    pub at: i64,
    /// Each graded outcome's reference and grade code, for the regulator's heat map.
    pub grades: &'a [(String, &'static str)],
}

/// An evidence item whose review date is near or past and whose reminder may be due.
#[derive(Debug, Clone, PartialEq)]
pub struct ReviewCandidate {
    pub evidence_id: EvidenceId,
    pub org_id: OrgId,
    pub org_name: String,
    pub time_zone: String,
    pub title: String,
    pub review_by: String,
    /// A due-soon reminder was already sent for this review date.
    pub soon_sent: bool,
}

/// The reminder to send for a candidate: overdue or due soon, and its message.
#[derive(Debug, Clone, PartialEq)]
pub struct ReviewReminder {
    pub overdue: bool,
    pub subject: String,
    pub body: String,
}
pub use crate::assets_model::*;
