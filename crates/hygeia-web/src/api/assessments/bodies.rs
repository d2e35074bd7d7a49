//! The request and response bodies of the assessments API.

use super::super::dto::time;
use hygeia_core::assessments::AssessmentView;
use hygeia_domain::assessments::scorecard::{GroupSummary, OutcomeResult, Tally};
use hygeia_store::model::{FrameworkAssessment, PublishedAssessment, StoredAnswer};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

#[derive(Serialize, ToSchema)]
pub struct AssessmentDto {
    pub id: Uuid,
    /// `ASM-0003`.
    pub reference: String,
    pub framework_id: Uuid,
    pub framework_key: String,
    pub framework_version: String,
    pub title: String,
    pub period: String,
    pub due_on: Option<String>,
    pub scope: String,
    pub profile: Option<String>,
    /// draft, published or superseded.
    pub status: String,
    /// The publication number for its framework and period (0 while a draft).
    pub version: i64,
    pub supersedes: Option<Uuid>,
    pub result: Option<String>,
    /// What a publication counts as across a sector (Standards Met, Approaching Standards,
    /// Pass …); an approved improvement plan can move it.
    pub standing: Option<String>,
    /// SHA-256 of the sealed snapshot, once published.
    pub digest: Option<String>,
    /// Send it back when saving answers or publishing: a stale value is refused (409).
    pub row_version: i64,
    pub updated_by: String,
    pub updated_at: String,
    pub published_by: Option<String>,
    pub published_at: Option<String>,
}

impl From<&FrameworkAssessment> for AssessmentDto {
    fn from(a: &FrameworkAssessment) -> Self {
        Self {
            id: a.id.0,
            reference: a.reference.clone(),
            framework_id: a.framework_id.0,
            framework_key: a.framework_key.clone(),
            framework_version: a.framework_version.clone(),
            title: a.title.clone(),
            period: a.period.clone(),
            due_on: a.due_on.clone(),
            scope: a.scope.clone(),
            profile: a.profile_key.clone(),
            status: a.status.code().into(),
            version: a.version,
            supersedes: a.supersedes.map(|s| s.0),
            result: a.result.clone(),
            standing: a.standing.clone(),
            digest: a.digest.clone(),
            row_version: a.row_version,
            updated_by: a.updated_by.clone(),
            updated_at: time(a.updated_at),
            published_by: a.published_by.clone(),
            published_at: a.published_at.map(time),
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct TallyDto {
    pub items: usize,
    pub answered: usize,
    pub achieved: usize,
    pub partially_achieved: usize,
    pub not_achieved: usize,
    pub below_profile: usize,
    pub met: usize,
    pub not_met: usize,
    pub not_applicable: usize,
    pub flagged: usize,
    pub progress_percent: u32,
}

impl From<&Tally> for TallyDto {
    fn from(t: &Tally) -> Self {
        Self {
            items: t.items,
            answered: t.answered,
            achieved: t.achieved,
            partially_achieved: t.partially_achieved,
            not_achieved: t.not_achieved,
            below_profile: t.below_profile,
            met: t.met,
            not_met: t.not_met,
            not_applicable: t.not_applicable,
            flagged: t.flagged,
            progress_percent: t.progress(),
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct GroupDto {
    pub ref_id: String,
    pub title: String,
    pub tally: TallyDto,
}

impl From<&GroupSummary> for GroupDto {
    fn from(g: &GroupSummary) -> Self {
        Self {
            ref_id: g.ref_id.clone(),
            title: g.title.clone(),
            tally: (&g.tally).into(),
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct OutcomeDto {
    pub ref_id: String,
    /// achieved, partially_achieved or not_achieved: the grade in force.
    pub grade: String,
    /// The grade the indicator statements give.
    pub rule_grade: String,
    pub overridden: bool,
    pub minimum: Option<String>,
    pub meets_profile: Option<bool>,
    pub answered: bool,
}

fn grade_code(g: hygeia_domain::assessments::caf::Grade) -> String {
    serde_json::to_value(g)
        .ok()
        .and_then(|v| v.as_str().map(str::to_owned))
        .unwrap_or_default()
}

impl From<&OutcomeResult> for OutcomeDto {
    fn from(o: &OutcomeResult) -> Self {
        Self {
            ref_id: o.ref_id.clone(),
            grade: grade_code(o.grade),
            rule_grade: grade_code(o.rule_grade),
            overridden: o.overridden,
            minimum: o.minimum.map(grade_code),
            meets_profile: o.meets_profile,
            answered: o.answered,
        }
    }
}

/// An assessment with its scorecard.
#[derive(Serialize, ToSchema)]
pub struct AssessmentDetailDto {
    pub assessment: AssessmentDto,
    pub total: TallyDto,
    pub groups: Vec<GroupDto>,
    pub outcomes: Vec<OutcomeDto>,
    /// The framework's publication status as the answers stand (DSPT: Standards Met,
    /// Approaching Standards, Standards Not Met); absent where it has no rule.
    pub status: Option<String>,
    /// Items that keep it from Standards Met; the improvement plan covers these.
    pub gaps: Vec<String>,
    /// Items Approaching Standards needs that are not met (NDG-standard DSPT).
    pub approaching_gaps: Vec<String>,
    /// Gaps with no improvement action yet.
    pub unplanned: Vec<String>,
}

impl From<&AssessmentView> for AssessmentDetailDto {
    fn from(v: &AssessmentView) -> Self {
        Self {
            assessment: (&v.assessment).into(),
            total: (&v.scorecard.total).into(),
            groups: v.scorecard.groups.iter().map(Into::into).collect(),
            outcomes: v.scorecard.outcomes.iter().map(Into::into).collect(),
            status: v.scorecard.status.map(str::to_owned),
            gaps: v.scorecard.gaps.clone(),
            approaching_gaps: v.scorecard.approaching_gaps.clone(),
            unplanned: v.scorecard.unplanned.clone(),
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct AnswerDto {
    pub ref_id: String,
    /// true, assessed, met, not_met, not_applicable, compliant, not_compliant, pass or fail.
    pub value: Option<String>,
    pub narrative: String,
    pub override_grade: Option<String>,
    pub override_reason: Option<String>,
    pub owner: Option<String>,
    pub flagged: bool,
    pub updated_by: String,
    pub updated_at: String,
}

impl From<StoredAnswer> for AnswerDto {
    fn from(s: StoredAnswer) -> Self {
        let a = s.answer;
        Self {
            ref_id: s.ref_id,
            value: a.value.map(|v| v.code().to_owned()),
            narrative: a.narrative,
            override_grade: a.assessor_override.as_ref().map(|o| grade_code(o.grade)),
            override_reason: a.assessor_override.map(|o| o.justification),
            owner: a.owner,
            flagged: a.flagged,
            updated_by: s.updated_by,
            updated_at: time(s.updated_at),
        }
    }
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct StartRequest {
    pub framework_id: String,
    pub title: String,
    pub period: String,
    /// `YYYY-MM-DD`, or empty.
    #[serde(default)]
    pub due_on: String,
    #[serde(default)]
    pub scope: String,
    /// A profile key of the framework version (e.g. `govassure-baseline`).
    #[serde(default)]
    pub profile: String,
    /// An earlier assessment of the same framework to carry answers forward from.
    #[serde(default)]
    pub copy_from: String,
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AnswerRequest {
    pub ref_id: String,
    /// Empty or absent: unanswered. For a CAF statement, `true` ticks it.
    #[serde(default)]
    pub value: String,
    #[serde(default)]
    pub narrative: String,
    #[serde(default)]
    pub override_grade: String,
    #[serde(default)]
    pub override_reason: String,
    #[serde(default)]
    pub owner: String,
    #[serde(default)]
    pub flagged: bool,
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SaveAnswersRequest {
    /// The assessment's `row_version` as last read.
    pub row_version: i64,
    /// The nodes to replace; each answer replaces the node's whole answer.
    pub answers: Vec<AnswerRequest>,
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PublishRequest {
    pub row_version: i64,
}

#[derive(Serialize, ToSchema)]
pub struct PublishedDto {
    pub assessment: AssessmentDto,
    /// SHA-256 of the sealed snapshot.
    pub digest: String,
}

#[derive(Serialize, ToSchema)]
pub struct RemitAssessmentDto {
    pub org_id: Uuid,
    pub org_name: String,
    pub org_ods: String,
    pub assessment: AssessmentDto,
}

impl From<PublishedAssessment> for RemitAssessmentDto {
    fn from(p: PublishedAssessment) -> Self {
        Self {
            org_id: p.assessment.org_id.0,
            assessment: (&p.assessment).into(),
            org_name: p.org_name,
            org_ods: p.org_ods,
        }
    }
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ReviewRequest {
    /// accepted, concerns, challenged, plan_approved (Standards Not Met → Approaching
    /// Standards) or plan_completed (Approaching Standards → Standards Met).
    pub outcome: String,
    #[serde(default)]
    pub comment: String,
}
