//! Frameworks, and assessments against them: answers, reviews, comments, publications and
//! review reminders.

use hygeia_domain::ids::*;
use serde::Serialize;

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
