//! Assessments: an organisation starts one of a framework version for a period, answers it
//! while it is a draft, and its senior executive publishes it, which freezes a snapshot sealed
//! by a SHA-256 digest. The regulator sees published assessments across its remit and records
//! review outcomes. Grades and progress come from the domain's scorecard, never from here.

use crate::{CoreError, Hygeia, Scope};
use hygeia_domain::assessments::answer::{Answer, Value, check_narrative, parse_override};
use hygeia_domain::assessments::framework::{AnswerKind, Framework, StatusRule};
use hygeia_domain::assessments::record::{self, Status};
use hygeia_domain::assessments::scorecard::{Scorecard, StatusContext, score_in};
use hygeia_domain::governance::actions::ActionStatus;
use hygeia_domain::ids::{AssessmentId, AssessmentReviewId, FrameworkId};
use hygeia_domain::page::{Page, PageRequest};
use hygeia_domain::permissions::Permission;
use hygeia_domain::roles::Role;
use hygeia_domain::validation::{Collector, FieldError};
use hygeia_store::model::{
    AssessmentComment, AssessmentReview, EvidenceItem, FrameworkAssessment, Publication, PublishedAssessment,
    StoredAnswer,
};
use serde::Serialize;
use serde_json::json;
use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;

mod answering;
mod comments;
mod planning;
mod publication;
mod reading;
mod review;
mod starting;

/// The start form as typed.
#[derive(Debug, Clone, Default)]
pub struct StartInput {
    pub framework_id: String,
    pub title: String,
    pub period: String,
    pub due_on: String,
    pub scope: String,
    /// A profile key of the framework version; empty for none.
    pub profile: String,
    /// An earlier assessment of the same framework whose answers to carry forward; empty for none.
    pub copy_from: String,
}

/// One node's answer as typed.
#[derive(Debug, Clone, Default)]
pub struct AnswerInput {
    pub ref_id: String,
    pub value: String,
    pub narrative: String,
    pub override_grade: String,
    pub override_reason: String,
    pub owner: String,
    pub flagged: bool,
}

/// A CAF outcome as its form sends it: which of its statements are true, and its own answer.
#[derive(Debug, Clone, Default)]
pub struct OutcomeInput {
    pub ref_id: String,
    pub ticked: Vec<String>,
    pub narrative: String,
    pub override_grade: String,
    pub override_reason: String,
    pub owner: String,
    pub flagged: bool,
}

/// Everything an assessment page or report shows.
#[derive(Debug, Clone)]
pub struct AssessmentView {
    pub assessment: FrameworkAssessment,
    pub framework: Arc<Framework>,
    pub answers: HashMap<String, Answer>,
    pub scorecard: Scorecard,
    /// Evidence linked to each requirement of the framework (by `ref_id`).
    pub evidence: BTreeMap<String, Vec<EvidenceItem>>,
    pub reviews: Vec<AssessmentReview>,
}

impl AssessmentView {
    pub fn profile_title(&self) -> Option<&str> {
        let key = self.assessment.profile_key.as_deref()?;
        self.framework.profile(key).map(|p| p.title.as_str())
    }
}

/// One item compared across two assessments of the same framework.
#[derive(Debug, Clone, Serialize)]
pub struct Change {
    pub ref_id: String,
    pub title: String,
    /// The result label then and now ("Achieved", "Met", "Not answered").
    pub before: String,
    pub after: String,
    /// Better (+1), the same (0) or worse (-1), where results can be ordered.
    pub direction: i8,
}

/// What the regulator's sector summary counts.
#[derive(Debug, Clone, Serialize)]
pub struct SectorSummary {
    /// Framework key, version, headline result and how many published assessments have it.
    pub results: Vec<(String, String, String, i64)>,
    pub published: i64,
    /// Per CAF outcome, how many current publications grade it achieved, partially achieved
    /// and not achieved (in that order).
    pub heat_map: Vec<(String, [i64; 3])>,
}

/// The outcomes a regulator may record on a published assessment.
pub const REVIEW_OUTCOMES: &[(&str, &str)] = &[
    ("accepted", "Accepted"),
    ("concerns", "Accepted with concerns"),
    ("challenged", "Challenged: the organisation must respond"),
    (
        "plan_approved",
        "Improvement plan approved: Standards Not Met becomes Approaching Standards",
    ),
    (
        "plan_completed",
        "Improvement plan completed: Approaching Standards becomes Standards Met",
    ),
];

const APPROACHING: &str = "Approaching Standards";
const STANDARDS_MET: &str = "Standards Met";
const STANDARDS_NOT_MET: &str = "Standards Not Met";

fn answers_map(stored: Vec<StoredAnswer>) -> HashMap<String, Answer> {
    stored.into_iter().map(|s| (s.ref_id, s.answer)).collect()
}
