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

impl Hygeia {
    /// Auditors see only what has been signed off.
    fn hidden_from(scope: &Scope, a: &FrameworkAssessment) -> bool {
        scope.member_role() == Some(Role::Auditor) && !a.status.is_frozen()
    }

    pub async fn start_assessment(&self, scope: &Scope, input: StartInput) -> Result<AssessmentId, CoreError> {
        scope.require(Permission::AssessmentsEdit)?;
        let mut c = Collector::new();
        let framework_id = input.framework_id.trim().parse::<FrameworkId>().ok();
        if framework_id.is_none() {
            c.push(FieldError::new(
                "framework_id",
                "choose a framework version from the library",
            ));
        }
        let start = c.check(record::check_start(
            &input.title,
            &input.period,
            &input.due_on,
            &input.scope,
        ));
        c.finish()?;
        let (Some(framework_id), Some(start)) = (framework_id, start) else {
            return Err(CoreError::Internal("validated input missing".into()));
        };
        let meta = match self.store.framework_by_id(framework_id).await {
            Ok(m) => m,
            Err(hygeia_store::StoreError::NotFound) => {
                return Err(CoreError::field(
                    "framework_id",
                    "is not a framework version in the library",
                ));
            }
            Err(e) => return Err(e.into()),
        };
        let framework = self.framework_by_id(framework_id).await?;
        let profile = input.profile.trim();
        let profile_key = if profile.is_empty() && framework.status_rule == Some(StatusRule::DsptNdg) {
            return Err(CoreError::field(
                "profile",
                "choose the organisation's DSPT category: it decides which evidence items apply and which are mandatory",
            ));
        } else if profile.is_empty() {
            None
        } else if framework.profile(profile).is_some() {
            Some(profile.to_owned())
        } else {
            return Err(CoreError::field(
                "profile",
                &format!("is not a profile of {} {}", meta.title, meta.version),
            ));
        };
        let carried = match input.copy_from.trim() {
            "" => Vec::new(),
            from => {
                let from: AssessmentId = from
                    .parse()
                    .map_err(|_| CoreError::field("copy_from", "is not an assessment id"))?;
                let earlier = match self.store.get_assessment(scope.org_id(), from).await {
                    Ok(a) => a,
                    Err(hygeia_store::StoreError::NotFound) => {
                        return Err(CoreError::field(
                            "copy_from",
                            "is not one of this organisation's assessments",
                        ));
                    }
                    Err(e) => return Err(e.into()),
                };
                // Within one framework a reference means the same in every version; into
                // another (CAF 3.2 to 4.0), only through requirements mapped as equal.
                let renamed = if earlier.framework_key == meta.key {
                    None
                } else {
                    let equal = self.equal_requirements(&earlier.framework_key, &meta.key).await?;
                    if equal.is_empty() {
                        return Err(CoreError::field(
                            "copy_from",
                            "is an assessment of a framework with no equal requirements in this one; answers carry forward only within a framework or across a mapping",
                        ));
                    }
                    Some(equal)
                };
                // Only nodes this version still has, answered in a way it still accepts.
                let kinds: HashMap<&str, AnswerKind> =
                    framework.nodes.iter().map(|n| (n.ref_id.as_str(), n.answer)).collect();
                self.store
                    .assessment_answers(scope.org_id(), from)
                    .await?
                    .into_iter()
                    .flat_map(|s| {
                        let targets = match &renamed {
                            None => vec![s.ref_id.clone()],
                            Some(equal) => equal.get(&s.ref_id).cloned().unwrap_or_default(),
                        };
                        targets.into_iter().map(move |r| (r, s.answer.clone()))
                    })
                    .filter(|(ref_id, answer)| {
                        kinds
                            .get(ref_id.as_str())
                            .is_some_and(|k| answer.value.is_none_or(|v| Value::choices(*k).contains(&v)))
                    })
                    .collect()
            }
        };
        let now = self.now_ms();
        let a = FrameworkAssessment {
            id: AssessmentId(self.new_uuid()),
            org_id: scope.org_id(),
            reference: String::new(),
            framework_id,
            framework_key: meta.key.clone(),
            framework_version: meta.version.clone(),
            framework_title: meta.title.clone(),
            title: start.title,
            period: start.period,
            due_on: start.due_on,
            scope: start.scope,
            profile_key,
            status: Status::Draft,
            version: 0,
            supersedes: None,
            result: None,
            standing: None,
            summary: None,
            digest: None,
            created_by: scope.actor.label(),
            created_at: now,
            updated_by: scope.actor.label(),
            updated_at: now,
            published_by: None,
            published_at: None,
            row_version: 1,
        };
        let audit = self.audit(
            Some(&scope.actor),
            Some(scope.org_id()),
            "assessment.start",
            "assessment",
            a.id,
            json!({"framework": meta.key, "version": meta.version, "title": a.title, "period": a.period,
                   "profile": a.profile_key, "carried_answers": carried.len()}),
        );
        self.store.add_assessment(&a, &carried, &audit).await?;
        Ok(a.id)
    }

    pub async fn assessments(&self, scope: &Scope, page: PageRequest) -> Result<Page<FrameworkAssessment>, CoreError> {
        scope.require(Permission::AssessmentsView)?;
        let auditor = scope.member_role() == Some(Role::Auditor);
        Ok(self.store.assessments_page(scope.org_id(), auditor, page).await?)
    }

    async fn assessment_record(&self, scope: &Scope, id: AssessmentId) -> Result<FrameworkAssessment, CoreError> {
        scope.require(Permission::AssessmentsView)?;
        let a = self.store.get_assessment(scope.org_id(), id).await?;
        if Self::hidden_from(scope, &a) {
            return Err(CoreError::NotFound);
        }
        Ok(a)
    }

    /// What the framework's status rule needs beyond the answers: which items the improvement
    /// plan covers (live actions raised from this assessment) and whether the previous
    /// period's publication was Approaching Standards. Frameworks without a rule need neither.
    async fn status_context(&self, a: &FrameworkAssessment, framework: &Framework) -> Result<StatusContext, CoreError> {
        if framework.status_rule.is_none() {
            return Ok(StatusContext::default());
        }
        let planned = self
            .store
            .assessment_actions(a.org_id, a.id.0)
            .await?
            .into_iter()
            .filter(|x| x.status != ActionStatus::Cancelled)
            .filter_map(|x| x.source.and_then(|(_, s)| s.split_once(':').map(|(_, r)| r.to_owned())))
            .collect();
        let previous = self
            .store
            .previous_standing(a.org_id, &a.framework_key, &a.period)
            .await?;
        Ok(StatusContext {
            planned,
            last_published_approaching: previous.as_deref() == Some(APPROACHING),
        })
    }

    pub async fn assessment(&self, scope: &Scope, id: AssessmentId) -> Result<AssessmentView, CoreError> {
        let assessment = self.assessment_record(scope, id).await?;
        self.assessment_view(scope, assessment).await
    }

    async fn assessment_view(
        &self,
        scope: &Scope,
        assessment: FrameworkAssessment,
    ) -> Result<AssessmentView, CoreError> {
        let framework = self.framework_by_id(assessment.framework_id).await?;
        let answers = answers_map(self.store.assessment_answers(assessment.org_id, assessment.id).await?);
        let profile = assessment.profile_key.as_deref().and_then(|k| framework.profile(k));
        let context = self.status_context(&assessment, &framework).await?;
        let scorecard = score_in(&framework, profile, &answers, &context);
        let mut evidence: BTreeMap<String, Vec<EvidenceItem>> = BTreeMap::new();
        if scope.allows(Permission::EvidenceView) {
            for (ref_id, item) in self
                .store
                .requirement_evidence(assessment.org_id, &assessment.framework_key)
                .await?
            {
                evidence.entry(ref_id).or_default().push(item);
            }
        }
        let reviews = self.store.assessment_reviews(assessment.id).await?;
        Ok(AssessmentView {
            assessment,
            framework,
            answers,
            scorecard,
            evidence,
            reviews,
        })
    }

    /// The raw answers (for the API's list of an assessment's answers): one query.
    pub async fn assessment_answers(&self, scope: &Scope, id: AssessmentId) -> Result<Vec<StoredAnswer>, CoreError> {
        scope.require(Permission::AssessmentsView)?;
        if scope.member_role() == Some(Role::Auditor) {
            self.assessment_record(scope, id).await?;
        }
        let answers = self.store.assessment_answers(scope.org_id(), id).await?;
        if answers.is_empty() {
            // Tell "no answers yet" from "no such assessment".
            self.store.get_assessment(scope.org_id(), id).await?;
        }
        Ok(answers)
    }

    async fn editable(
        &self,
        scope: &Scope,
        id: AssessmentId,
    ) -> Result<(FrameworkAssessment, Arc<Framework>), CoreError> {
        scope.require(Permission::AssessmentsEdit)?;
        let a = self.store.get_assessment(scope.org_id(), id).await?;
        if a.status.is_frozen() {
            return Err(CoreError::Conflict(format!(
                "{} is {} and cannot change; start a new assessment for the period to revise it",
                a.reference,
                a.status.label().to_lowercase()
            )));
        }
        let framework = self.framework_by_id(a.framework_id).await?;
        Ok((a, framework))
    }

    /// Saves answers to any nodes, checked against each node's answer kind.
    pub async fn save_answers(
        &self,
        scope: &Scope,
        id: AssessmentId,
        row_version: i64,
        inputs: &[AnswerInput],
    ) -> Result<(), CoreError> {
        let (a, framework) = self.editable(scope, id).await?;
        let mut c = Collector::new();
        let mut changes = Vec::with_capacity(inputs.len());
        for (i, input) in inputs.iter().enumerate() {
            let at = |f: &str| format!("/answers/{i}/{f}");
            let Some(node) = framework.nodes.iter().find(|n| n.ref_id == input.ref_id.trim()) else {
                c.push(FieldError::new(
                    at("ref_id"),
                    format!("'{}' is not a node of this framework", input.ref_id),
                ));
                continue;
            };
            let value = c.check(Value::parse(&input.value, node.answer, &at("value")));
            let narrative = c.check(check_narrative(&input.narrative, &at("narrative")));
            let assessor_override = if node.answer == AnswerKind::CafGrade {
                c.check(
                    parse_override(
                        &input.override_grade,
                        &input.override_reason,
                        framework.allows_partial(&node.ref_id),
                    )
                    .map_err(|e| {
                        hygeia_domain::Invalid(
                            e.0.into_iter()
                                .map(|f| FieldError::new(at(&f.field), f.message))
                                .collect(),
                        )
                    }),
                )
                .flatten()
            } else {
                if !input.override_grade.trim().is_empty() {
                    c.push(FieldError::new(
                        at("override_grade"),
                        "only CAF outcomes take an override",
                    ));
                }
                None
            };
            let owner = input.owner.trim();
            if owner.chars().count() > 200 {
                c.push(FieldError::new(at("owner"), "is longer than 200 characters"));
            }
            changes.push((
                node.ref_id.clone(),
                Answer {
                    value: value.flatten(),
                    narrative: narrative.unwrap_or_default(),
                    assessor_override,
                    owner: (!owner.is_empty()).then(|| owner.to_owned()),
                    flagged: input.flagged,
                },
            ));
        }
        c.finish()?;
        self.write_answers(scope, &a, row_version, changes).await
    }

    /// Saves one CAF outcome from its form: the ticked statements and the outcome's own answer.
    pub async fn save_outcome(
        &self,
        scope: &Scope,
        id: AssessmentId,
        row_version: i64,
        input: &OutcomeInput,
    ) -> Result<(), CoreError> {
        let (a, framework) = self.editable(scope, id).await?;
        let outcome = framework
            .nodes
            .iter()
            .find(|n| n.ref_id == input.ref_id && n.answer == AnswerKind::CafGrade)
            .ok_or(CoreError::NotFound)?;
        let statements: Vec<&str> = framework
            .nodes
            .iter()
            .filter(|n| n.parent.as_deref() == Some(outcome.ref_id.as_str()) && n.answer == AnswerKind::Statement)
            .map(|n| n.ref_id.as_str())
            .collect();
        let mut c = Collector::new();
        for t in &input.ticked {
            if !statements.contains(&t.as_str()) {
                c.push(FieldError::new(
                    "ticked",
                    format!("'{t}' is not a statement of {}", outcome.ref_id),
                ));
            }
        }
        let narrative = c.check(check_narrative(&input.narrative, "narrative"));
        let assessor_override = c
            .check(parse_override(
                &input.override_grade,
                &input.override_reason,
                framework.allows_partial(&outcome.ref_id),
            ))
            .flatten();
        let owner = input.owner.trim();
        if owner.chars().count() > 200 {
            c.push(FieldError::new("owner", "is longer than 200 characters"));
        }
        if framework.graded_directly(&outcome.ref_id) && input.override_grade.trim().is_empty() {
            c.push(FieldError::new(
                "override_grade",
                "this outcome has no indicator statements: choose its grade and say why",
            ));
        }
        c.finish()?;
        let mut changes: Vec<(String, Answer)> = statements
            .iter()
            .map(|s| {
                let value = input.ticked.iter().any(|t| t == s).then_some(Value::True);
                (
                    (*s).to_owned(),
                    Answer {
                        value,
                        ..Answer::default()
                    },
                )
            })
            .collect();
        changes.push((
            outcome.ref_id.clone(),
            Answer {
                value: Some(Value::Assessed),
                narrative: narrative.unwrap_or_default(),
                assessor_override,
                owner: (!owner.is_empty()).then(|| owner.to_owned()),
                flagged: input.flagged,
            },
        ));
        self.write_answers(scope, &a, row_version, changes).await
    }

    async fn write_answers(
        &self,
        scope: &Scope,
        a: &FrameworkAssessment,
        row_version: i64,
        changes: Vec<(String, Answer)>,
    ) -> Result<(), CoreError> {
        let diff: BTreeMap<&str, &Answer> = changes.iter().map(|(r, ans)| (r.as_str(), ans)).collect();
        let audit = self.audit(
            Some(&scope.actor),
            Some(scope.org_id()),
            "assessment.answer",
            "assessment",
            a.id,
            json!({"answers": diff}),
        );
        Ok(self
            .store
            .save_answers(
                scope.org_id(),
                a.id,
                row_version,
                &changes,
                &scope.actor.label(),
                &audit,
            )
            .await?)
    }

    /// Signs off and freezes a draft: its answers, grades and the hashes of the evidence
    /// behind them go into a snapshot whose digest is printed on the report.
    pub async fn publish_assessment(
        &self,
        scope: &Scope,
        id: AssessmentId,
        row_version: i64,
    ) -> Result<String, CoreError> {
        scope.require(Permission::AssessmentsPublish)?;
        let (a, _) = self.editable(scope, id).await?;
        if a.row_version != row_version {
            return Err(CoreError::Conflict(
                "the assessment changed since you read it; review it again before publishing".into(),
            ));
        }
        let view = self.assessment_view(scope, a).await?;
        if view.scorecard.total.answered == 0 {
            return Err(CoreError::field("assessment", "nothing has been answered yet"));
        }
        let now = self.now_ms();
        let snapshot = snapshot(&view, &scope.actor.label(), now);
        let digest = record::digest(&snapshot);
        let result = view.scorecard.headline(view.assessment.profile_key.is_some());
        let standing = view.scorecard.standing(view.assessment.profile_key.is_some());
        let summary = serde_json::to_string(&view.scorecard.total).map_err(|e| CoreError::Internal(e.to_string()))?;
        let grades: Vec<(String, &'static str)> = view
            .scorecard
            .outcomes
            .iter()
            .map(|o| (o.ref_id.clone(), grade_code(o.grade)))
            .collect();
        let audit = self.audit(
            Some(&scope.actor),
            Some(scope.org_id()),
            "assessment.publish",
            "assessment",
            id,
            json!({"digest": digest, "result": result, "standing": standing}),
        );
        self.store
            .publish_assessment(
                &view.assessment,
                &Publication {
                    result: &result,
                    standing,
                    summary: &summary,
                    digest: &digest,
                    snapshot: &record::canonical(&snapshot),
                    by: &scope.actor.label(),
                    at: now,
                    grades: &grades,
                },
                &audit,
            )
            .await?;
        Ok(digest)
    }

    /// The sealed snapshot of a published assessment, exactly as its digest was computed.
    pub async fn assessment_snapshot(&self, scope: &Scope, id: AssessmentId) -> Result<String, CoreError> {
        self.assessment_record(scope, id).await?;
        Ok(self.store.assessment_snapshot(scope.org_id(), id).await?)
    }

    /// Published assessments across the regulator's remit.
    pub async fn remit_assessments(
        &self,
        scope: &Scope,
        page: PageRequest,
    ) -> Result<Page<PublishedAssessment>, CoreError> {
        scope.require(Permission::OversightView)?;
        Ok(self.store.published_in_remit(scope.org_id(), page).await?)
    }

    /// One published assessment in the remit, with its scorecard, for the regulator.
    pub async fn remit_assessment(
        &self,
        scope: &Scope,
        id: AssessmentId,
    ) -> Result<(PublishedAssessment, AssessmentView), CoreError> {
        scope.require(Permission::OversightView)?;
        let found = self.store.published_in_remit_one(scope.org_id(), id).await?;
        let framework = self.framework_by_id(found.assessment.framework_id).await?;
        let answers = answers_map(self.store.assessment_answers(found.assessment.org_id, id).await?);
        let profile = found
            .assessment
            .profile_key
            .as_deref()
            .and_then(|k| framework.profile(k));
        let context = self.status_context(&found.assessment, &framework).await?;
        let scorecard = score_in(&framework, profile, &answers, &context);
        let reviews = self.store.assessment_reviews(id).await?;
        let view = AssessmentView {
            assessment: found.assessment.clone(),
            framework,
            answers,
            scorecard,
            evidence: BTreeMap::new(),
            reviews,
        };
        Ok((found, view))
    }

    pub async fn review_assessment(
        &self,
        scope: &Scope,
        id: AssessmentId,
        outcome: &str,
        comment: &str,
    ) -> Result<(), CoreError> {
        scope.require(Permission::AssessmentsReview)?;
        let found = self.store.published_in_remit_one(scope.org_id(), id).await?;
        let mut c = Collector::new();
        if !REVIEW_OUTCOMES.iter().any(|(code, _)| *code == outcome) {
            c.push(FieldError::new(
                "outcome",
                "must be one of: accepted, concerns, challenged, plan_approved, plan_completed",
            ));
        }
        let comment = c.check(check_narrative(comment, "comment")).unwrap_or_default();
        if !matches!(outcome, "accepted" | "plan_completed") && comment.is_empty() {
            c.push(FieldError::new(
                "comment",
                "say what concerns you, or what the approval rests on, so the organisation can respond",
            ));
        }
        c.finish()?;
        let standing = self.standing_move(&found.assessment, outcome).await?;
        let review = AssessmentReview {
            id: AssessmentReviewId(self.new_uuid()),
            assessment_id: id,
            org_id: found.assessment.org_id,
            regulator_id: scope.org_id(),
            outcome: outcome.to_owned(),
            comment,
            reviewed_by: scope.actor.label(),
            reviewed_at: self.now_ms(),
        };
        // The review belongs to the organisation's record as much as to the regulator's.
        let audit = self.audit(
            Some(&scope.actor),
            Some(found.assessment.org_id),
            "assessment.review",
            "assessment",
            id,
            json!({"outcome": review.outcome, "comment": review.comment, "regulator": scope.org_id().to_string(),
                   "standing": standing.map(|(from, to)| json!({"from": from, "to": to}))}),
        );
        Ok(self.store.add_assessment_review(&review, standing, &audit).await?)
    }

    /// The standing a plan review moves a publication between, after checking it may: an
    /// improvement plan is approved on a Standards Not Met publication that has one, and
    /// completed on an Approaching Standards publication whose actions are all done.
    async fn standing_move(
        &self,
        a: &FrameworkAssessment,
        outcome: &str,
    ) -> Result<Option<(&'static str, &'static str)>, CoreError> {
        let (from, to) = match outcome {
            "plan_approved" => (STANDARDS_NOT_MET, APPROACHING),
            "plan_completed" => (APPROACHING, STANDARDS_MET),
            _ => return Ok(None),
        };
        if a.standing.as_deref() != Some(from) {
            return Err(CoreError::field(
                "outcome",
                &format!(
                    "{} is {}, not {from}",
                    a.reference,
                    a.standing.as_deref().unwrap_or("without a status")
                ),
            ));
        }
        let actions: Vec<_> = self
            .store
            .assessment_actions(a.org_id, a.id.0)
            .await?
            .into_iter()
            .filter(|x| x.status != ActionStatus::Cancelled)
            .collect();
        if actions.is_empty() {
            return Err(CoreError::field(
                "outcome",
                &format!(
                    "{} has no improvement plan: no actions were raised from it",
                    a.reference
                ),
            ));
        }
        if outcome == "plan_completed" {
            let open: Vec<&str> = actions
                .iter()
                .filter(|x| x.status != ActionStatus::Done)
                .map(|x| x.reference.as_str())
                .collect();
            if !open.is_empty() {
                return Err(CoreError::field(
                    "outcome",
                    &format!("the plan still has open actions: {}", open.join(", ")),
                ));
            }
        }
        Ok(Some((from, to)))
    }

    /// Adds a remark to the conversation on one item of an assessment (draft or published:
    /// a comment changes no answer). Audited in the organisation's chain.
    pub async fn comment_on_item(
        &self,
        scope: &Scope,
        id: AssessmentId,
        ref_id: &str,
        body: &str,
    ) -> Result<AssessmentComment, CoreError> {
        scope.require(Permission::AssessmentsEdit)?;
        let a = self.store.get_assessment(scope.org_id(), id).await?;
        let framework = self.framework_by_id(a.framework_id).await?;
        if !framework.nodes.iter().any(|n| n.ref_id == ref_id && n.assessable()) {
            return Err(CoreError::field(
                "ref_id",
                &format!("'{ref_id}' is not an item of {}", a.framework_title),
            ));
        }
        let body = check_narrative(body, "body")?;
        if body.is_empty() {
            return Err(CoreError::field("body", "write the comment"));
        }
        let comment = AssessmentComment {
            id: self.new_uuid(),
            assessment_id: id,
            org_id: scope.org_id(),
            ref_id: ref_id.to_owned(),
            body,
            author: scope.actor.label(),
            created_at: self.now_ms(),
        };
        let audit = self.audit(
            Some(&scope.actor),
            Some(scope.org_id()),
            "assessment.comment",
            "assessment",
            id,
            json!({"ref_id": comment.ref_id, "comment": comment.id.to_string(), "body": comment.body}),
        );
        self.store.add_assessment_comment(&comment, &audit).await?;
        Ok(comment)
    }

    /// The comments on one item, or on every item when `ref_id` is `None`, oldest first.
    pub async fn item_comments(
        &self,
        scope: &Scope,
        id: AssessmentId,
        ref_id: Option<&str>,
    ) -> Result<Vec<AssessmentComment>, CoreError> {
        self.assessment_record(scope, id).await?;
        Ok(self.store.assessment_comments(scope.org_id(), id, ref_id).await?)
    }

    /// Raises an improvement action for every gap the plan does not cover yet (the toolkit's
    /// generated action plan): owned by whoever asks unless an owner is given, due by `due_on`.
    /// Returns how many were raised.
    pub async fn plan_gaps(
        &self,
        scope: &Scope,
        id: AssessmentId,
        owner: &str,
        due_on: &str,
    ) -> Result<usize, CoreError> {
        scope.require(Permission::ActionsManage)?;
        let view = self.assessment(scope, id).await?;
        let owner = if owner.trim().is_empty() {
            scope.actor.label()
        } else {
            owner.trim().to_owned()
        };
        let titles: HashMap<&str, &str> = view
            .framework
            .nodes
            .iter()
            .map(|n| (n.ref_id.as_str(), n.title.as_str()))
            .collect();
        let mut raised = 0;
        for gap in &view.scorecard.unplanned {
            let title = titles.get(gap.as_str()).copied().unwrap_or_default();
            self.add_action_from(
                scope,
                crate::governance::ActionInput {
                    title: format!("Meet {gap} {title}"),
                    detail: format!(
                        "Raised from {} ({}) because {gap} holds it back from Standards Met.",
                        view.assessment.reference, view.assessment.title
                    ),
                    owner: owner.clone(),
                    due_on: due_on.to_owned(),
                    status: String::new(),
                },
                Some((
                    hygeia_domain::governance::actions::ActionSource::Assessment,
                    format!("{id}:{gap}"),
                )),
            )
            .await?;
            raised += 1;
        }
        Ok(raised)
    }

    /// This assessment against the latest earlier one of the same framework (any version): each
    /// item's result then and now. `None` when there is no earlier assessment.
    pub async fn compare_with_previous(
        &self,
        scope: &Scope,
        id: AssessmentId,
    ) -> Result<Option<(FrameworkAssessment, Vec<Change>)>, CoreError> {
        let now = self.assessment(scope, id).await?;
        let earlier = self
            .store
            .assessments_page(scope.org_id(), false, PageRequest::new(Some(200), Some(0)))
            .await?
            .items
            .into_iter()
            .filter(|a| a.framework_key == now.assessment.framework_key && number(a) < number(&now.assessment))
            .filter(|a| !Self::hidden_from(scope, a))
            .max_by_key(|a| (a.status.is_frozen(), number(a)));
        let Some(earlier) = earlier else { return Ok(None) };
        let then = self.assessment_view(scope, earlier.clone()).await?;
        let result = |v: &AssessmentView, ref_id: &str| -> (String, i8) {
            if let Some(o) = v.scorecard.outcome(ref_id) {
                if o.answered || o.overridden {
                    return (o.grade.label().to_owned(), i8::try_from(o.grade.score()).unwrap_or(0));
                }
                return ("Not yet assessed".to_owned(), 0);
            }
            match v.answers.get(ref_id).and_then(|a| a.value) {
                Some(value @ (Value::Met | Value::Compliant | Value::Pass)) => (value.label().to_owned(), 2),
                Some(value @ (Value::NotMet | Value::NotCompliant | Value::Fail)) => (value.label().to_owned(), 1),
                Some(value) => (value.label().to_owned(), 0),
                None => ("Not answered".to_owned(), 0),
            }
        };
        let changes = now
            .framework
            .nodes
            .iter()
            .filter(|n| !matches!(n.answer, AnswerKind::None | AnswerKind::Statement))
            .map(|n| {
                let (before, b) = result(&then, &n.ref_id);
                let (after, a) = result(&now, &n.ref_id);
                Change {
                    ref_id: n.ref_id.clone(),
                    title: n.title.clone(),
                    before,
                    after,
                    direction: if b == 0 || a == 0 { 0 } else { (a - b).signum() },
                }
            })
            .collect();
        Ok(Some((earlier, changes)))
    }

    /// Counts of published results across the remit.
    pub async fn sector_summary(&self, scope: &Scope) -> Result<SectorSummary, CoreError> {
        scope.require(Permission::OversightView)?;
        let results = self.store.remit_results(scope.org_id()).await?;
        let published = results.iter().map(|r| r.3).sum();
        let mut heat_map: Vec<(String, [i64; 3])> = Vec::new();
        for (ref_id, grade, n) in self.store.remit_heat_map(scope.org_id()).await? {
            let column = match grade.as_str() {
                "achieved" => 0,
                "partially_achieved" => 1,
                _ => 2,
            };
            match heat_map.last_mut() {
                Some((r, counts)) if *r == ref_id => counts[column] += n,
                _ => {
                    let mut counts = [0; 3];
                    counts[column] = n;
                    heat_map.push((ref_id, counts));
                }
            }
        }
        Ok(SectorSummary {
            results,
            published,
            heat_map,
        })
    }
}

fn grade_code(g: hygeia_domain::assessments::caf::Grade) -> &'static str {
    use hygeia_domain::assessments::caf::Grade;
    match g {
        Grade::Achieved => "achieved",
        Grade::PartiallyAchieved => "partially_achieved",
        Grade::NotAchieved => "not_achieved",
    }
}

/// The organisation's running number of an assessment (`ASM-0012` → 12): the order they began.
fn number(a: &FrameworkAssessment) -> u64 {
    a.reference.trim_start_matches("ASM-").parse().unwrap_or(0)
}

/// The frozen record: what was assessed, every answer, every grade and the evidence hashes.
fn snapshot(view: &AssessmentView, by: &str, at: i64) -> serde_json::Value {
    let a = &view.assessment;
    let answers: BTreeMap<&String, &Answer> = view.answers.iter().collect();
    let evidence: BTreeMap<&String, Vec<serde_json::Value>> = view
        .evidence
        .iter()
        .map(|(r, items)| {
            (
                r,
                items
                    .iter()
                    .map(|e| {
                        json!({"id": e.id.to_string(), "title": e.title, "version": e.latest.version,
                                    "sha256": e.latest.sha256, "url": e.latest.url})
                    })
                    .collect(),
            )
        })
        .collect();
    json!({
        "format": "hygeia.assessment-snapshot/v1",
        "assessment": {"id": a.id.to_string(), "reference": a.reference, "org_id": a.org_id.to_string(),
                       "title": a.title, "period": a.period, "due_on": a.due_on, "scope": a.scope,
                       "profile": a.profile_key},
        "framework": {"key": a.framework_key, "version": a.framework_version, "title": a.framework_title},
        "answers": answers,
        "results": {"outcomes": view.scorecard.outcomes, "groups": view.scorecard.groups, "total": view.scorecard.total},
        "evidence": evidence,
        "published": {"by": by, "at": at},
    })
}
