//! From a framework and an assessment's answers to results: each CAF outcome's grade (the rule's
//! and the one in force) against the target profile, each item's answer, and a summary per
//! top-level group (objective, standard, section) that reports and the regulator's sector view
//! count from. Pure: the same answers always give the same scorecard.

use super::answer::{Answer, Value};
use super::caf::{self, Grade, IndicatorAnswers};
use super::dspt;
use super::framework::{AnswerKind, Framework, Node, Profile, StatusRule};
use serde::Serialize;
use std::collections::{HashMap, HashSet};

mod headline;

/// What a publication status rule needs besides the answers.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct StatusContext {
    /// Items with at least one improvement action against them in this assessment.
    pub planned: HashSet<String>,
    /// The organisation's previous publication of this framework was Approaching Standards,
    /// so this one may not be (the NDG-standard rule).
    pub last_published_approaching: bool,
}

/// One CAF contributing outcome's result.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct OutcomeResult {
    pub ref_id: String,
    /// The grade the indicator rule gives.
    pub rule_grade: Grade,
    /// The grade in force (the assessor's override when there is one).
    pub grade: Grade,
    pub overridden: bool,
    pub allows_partial: bool,
    /// The profile's minimum; `None` when there is no profile or it sets none.
    pub minimum: Option<Grade>,
    /// Whether the grade meets the profile; `None` without a profile.
    pub meets_profile: Option<bool>,
    /// Worked through by the assessor (not just left at the rule's default).
    pub answered: bool,
    /// Statements marked true, and how many there are, per column: NA, PA, A.
    pub ticked: [(usize, usize); 3],
}

/// Counts for one group, or for the whole assessment.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Tally {
    /// Assessable items (CAF outcomes, requirements, evidence items, questions).
    pub items: usize,
    pub answered: usize,
    /// Assessed CAF outcomes by grade (outcomes not yet assessed are in `unassessed`).
    pub achieved: usize,
    pub partially_achieved: usize,
    pub not_achieved: usize,
    /// CAF outcomes nobody has worked through yet (the rule would grade them Not achieved).
    pub unassessed: usize,
    pub below_profile: usize,
    /// Met, compliant or pass.
    pub met: usize,
    /// Not met, not compliant or fail.
    pub not_met: usize,
    pub not_applicable: usize,
    pub flagged: usize,
}

impl Tally {
    /// Share answered, in whole percent.
    pub fn progress(&self) -> u32 {
        if self.items == 0 {
            return 100;
        }
        u32::try_from(self.answered * 100 / self.items).unwrap_or(100)
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct GroupSummary {
    pub ref_id: String,
    pub title: String,
    pub tally: Tally,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Scorecard {
    pub outcomes: Vec<OutcomeResult>,
    pub groups: Vec<GroupSummary>,
    pub total: Tally,
    /// Requirements marked `automatic-fail` (Cyber Essentials) answered not compliant: any
    /// one fails the whole assessment.
    pub automatic_fails: Vec<String>,
    /// Compliant / not-compliant requirements: how many, and how many are compliant.
    pub requirements: (usize, usize),
    /// Pass/fail sections (DTAC C1–C4) with their answers, in order.
    pub sections: Vec<(String, Option<Value>)>,
    /// The framework's publication status, where it has a rule for one.
    pub status: Option<&'static str>,
    /// Under a status rule: the items that keep the assessment from Standards Met (mandatory
    /// evidence items not met; outcomes below the profile). The improvement plan covers these.
    pub gaps: Vec<String>,
    /// Under the NDG-standard rule: items Approaching Standards needs that are not met.
    pub approaching_gaps: Vec<String>,
    /// Gaps with no improvement action against them yet.
    pub unplanned: Vec<String>,
}

/// The marker in a node's `mandatory_for` that makes it an automatic-fail requirement.
pub const AUTOMATIC_FAIL: &str = "automatic-fail";

impl Scorecard {
    pub fn outcome(&self, ref_id: &str) -> Option<&OutcomeResult> {
        self.outcomes.iter().find(|o| o.ref_id == ref_id)
    }
}

fn column(level: Option<&str>) -> Option<usize> {
    match level {
        Some("NA") => Some(0),
        Some("PA") => Some(1),
        Some("A") => Some(2),
        _ => None,
    }
}

/// The scorecard with no improvement plan and no earlier publication.
pub fn score(framework: &Framework, profile: Option<&Profile>, answers: &HashMap<String, Answer>) -> Scorecard {
    score_in(framework, profile, answers, &StatusContext::default())
}

/// The scorecard, with what the framework's publication status rule needs besides the
/// answers (the improvement plan, the standing last published).
pub fn score_in(
    framework: &Framework,
    profile: Option<&Profile>,
    answers: &HashMap<String, Answer>,
    context: &StatusContext,
) -> Scorecard {
    let category = profile.map(|p| p.key.as_str());
    let mut statements = statement_columns(framework, answers);
    let root_of = roots(&framework.nodes);
    let mut groups = top_level_groups(framework);
    let group_index: HashMap<String, usize> = groups.iter().enumerate().map(|(i, g)| (g.ref_id.clone(), i)).collect();
    let mut total = Tally::default();
    let mut outcomes = Vec::new();
    let mut automatic_fails = Vec::new();
    let mut requirements = (0, 0);
    let mut sections = Vec::new();
    let mut dspt_items: Vec<(dspt::ItemRule, dspt::ItemAnswer)> = Vec::new();
    for n in &framework.nodes {
        if matches!(n.answer, AnswerKind::None | AnswerKind::Statement) || !n.applies(category) {
            continue;
        }
        let answer = answers.get(&n.ref_id);
        let mut t = Tally {
            items: 1,
            flagged: usize::from(answer.is_some_and(|a| a.flagged)),
            ..Tally::default()
        };
        if n.answer == AnswerKind::CafGrade {
            let cols = statements.remove(n.ref_id.as_str()).unwrap_or_default();
            outcomes.push(grade_outcome(framework, profile, n, answer, cols, &mut t));
        } else {
            let value = answer.and_then(|a| a.value);
            match n.answer {
                AnswerKind::Compliant => {
                    requirements.0 += 1;
                    requirements.1 += usize::from(value == Some(Value::Compliant));
                    if value == Some(Value::NotCompliant) && n.mandatory_for.iter().any(|m| m == AUTOMATIC_FAIL) {
                        automatic_fails.push(n.ref_id.clone());
                    }
                }
                AnswerKind::PassFail => sections.push((n.ref_id.clone(), value)),
                AnswerKind::MetNotMet => {
                    if let Some(category) = category {
                        dspt_items.push(dspt_item(n, category, value));
                    }
                }
                _ => {}
            }
            match value {
                Some(Value::Met | Value::Compliant | Value::Pass) => t.met = 1,
                Some(Value::NotMet | Value::NotCompliant | Value::Fail) => t.not_met = 1,
                Some(Value::NotApplicable) => t.not_applicable = 1,
                _ => {}
            }
            t.answered = t.met + t.not_met + t.not_applicable;
        }
        total.add(&t);
        if let Some(i) = root_of.get(n.ref_id.as_str()).and_then(|r| group_index.get(*r)) {
            groups[*i].tally.add(&t);
        }
    }
    groups.retain(|g| g.tally.items > 0);
    let found = framework
        .status_rule
        .map(|rule| publication_status(rule, &outcomes, &dspt_items, category, context));
    let (status, gaps, approaching_gaps) = match found {
        Some(f) => (Some(f.label), f.gaps, f.approaching_gaps),
        None => (None, Vec::new(), Vec::new()),
    };
    let unplanned = gaps.iter().filter(|g| !context.planned.contains(*g)).cloned().collect();
    Scorecard {
        outcomes,
        groups,
        total,
        automatic_fails,
        requirements,
        sections,
        status,
        gaps,
        approaching_gaps,
        unplanned,
    }
}

/// For each outcome, whether each of its indicator statements is ticked, by column
/// (not achieved, partially achieved, achieved).
fn statement_columns<'a>(
    framework: &'a Framework,
    answers: &HashMap<String, Answer>,
) -> HashMap<&'a str, [Vec<bool>; 3]> {
    let mut statements: HashMap<&str, [Vec<bool>; 3]> = HashMap::new();
    for n in &framework.nodes {
        if n.answer == AnswerKind::Statement
            && let (Some(parent), Some(col)) = (n.parent.as_deref(), column(n.level.as_deref()))
        {
            let ticked = answers.get(&n.ref_id).is_some_and(|a| a.value == Some(Value::True));
            statements.entry(parent).or_default()[col].push(ticked);
        }
    }
    statements
}

/// An empty summary for each top-level node, in the framework's order.
fn top_level_groups(framework: &Framework) -> Vec<GroupSummary> {
    framework
        .nodes
        .iter()
        .filter(|n| n.parent.is_none())
        .map(|n| GroupSummary {
            ref_id: n.ref_id.clone(),
            title: n.title.clone(),
            tally: Tally::default(),
        })
        .collect()
}

/// A CAF outcome's result from its ticked statements (`cols`) and any assessor's override,
/// counted into `t`.
fn grade_outcome(
    framework: &Framework,
    profile: Option<&Profile>,
    n: &Node,
    answer: Option<&Answer>,
    cols: [Vec<bool>; 3],
    t: &mut Tally,
) -> OutcomeResult {
    let allows_partial = framework.allows_partial(&n.ref_id);
    let ticked = [0, 1, 2].map(|i| (cols[i].iter().filter(|t| **t).count(), cols[i].len()));
    let [na, pa, a] = cols;
    let indicators = IndicatorAnswers {
        achieved: a,
        partially_achieved: pa,
        not_achieved: na,
    };
    let rule_grade = caf::grade(&indicators, allows_partial);
    let assessor = answer.and_then(|a| a.assessor_override.as_ref());
    let grade = caf::effective(&indicators, allows_partial, assessor);
    let minimum = profile.and_then(|p| p.minima.get(&n.ref_id).copied().flatten());
    let meets = profile.map(|_| caf::meets_profile(grade, minimum));
    let answered = answer.is_some_and(|a| a.value == Some(Value::Assessed));
    t.answered = usize::from(answered);
    match (answered || assessor.is_some(), grade) {
        (false, _) => t.unassessed = 1,
        (true, Grade::Achieved) => t.achieved = 1,
        (true, Grade::PartiallyAchieved) => t.partially_achieved = 1,
        (true, Grade::NotAchieved) => t.not_achieved = 1,
    }
    t.below_profile = usize::from(meets == Some(false));
    OutcomeResult {
        ref_id: n.ref_id.clone(),
        rule_grade,
        grade,
        overridden: assessor.is_some(),
        allows_partial,
        minimum,
        meets_profile: meets,
        answered,
        ticked,
    }
}

/// An NDG-standard DSPT item as the status rule reads it, for the organisation's category.
fn dspt_item(n: &Node, category: &str, value: Option<Value>) -> (dspt::ItemRule, dspt::ItemAnswer) {
    let rule = dspt::ItemRule {
        id: n.ref_id.clone(),
        mandatory: n.mandatory_in(category),
        approaching: n.approaching_in(category),
    };
    let answer = match value {
        Some(Value::Met) => dspt::ItemAnswer::Met,
        Some(Value::NotMet) => dspt::ItemAnswer::NotMet,
        Some(Value::NotApplicable) => dspt::ItemAnswer::NotApplicable,
        _ => dspt::ItemAnswer::Unanswered,
    };
    (rule, answer)
}

/// What a framework's publication status rule found: the status, and the gaps behind it.
struct FoundStatus {
    label: &'static str,
    gaps: Vec<String>,
    approaching_gaps: Vec<String>,
}

/// Applies the framework's publication status rule to the graded outcomes (DSPT aligned to
/// the CAF) or to the DSPT items (NDG standards), with the plan and the last publication.
fn publication_status(
    rule: StatusRule,
    outcomes: &[OutcomeResult],
    dspt_items: &[(dspt::ItemRule, dspt::ItemAnswer)],
    category: Option<&str>,
    context: &StatusContext,
) -> FoundStatus {
    match rule {
        StatusRule::DsptCaf => {
            let gaps: Vec<String> = outcomes
                .iter()
                .filter(|o| !((o.answered || o.overridden) && o.meets_profile == Some(true)))
                .map(|o| o.ref_id.clone())
                .collect();
            let label = if !outcomes.is_empty() && gaps.is_empty() {
                dspt::Status::StandardsMet.label()
            } else {
                dspt::Status::StandardsNotMet.label()
            };
            FoundStatus {
                label,
                gaps,
                approaching_gaps: Vec::new(),
            }
        }
        StatusRule::DsptNdg => {
            let planned = dspt_items
                .iter()
                .filter(|(r, a)| r.mandatory && *a != dspt::ItemAnswer::Met)
                .all(|(r, _)| context.planned.contains(&r.id));
            let outcome = dspt::status(
                dspt_items,
                dspt::Context {
                    has_improvement_plan: planned,
                    last_published_approaching: context.last_published_approaching,
                },
            );
            // Without a category nothing is mandatory, which is not Standards Met.
            let label = if category.is_none() {
                dspt::Status::StandardsNotMet.label()
            } else {
                outcome.status.label()
            };
            FoundStatus {
                label,
                gaps: outcome.unmet_mandatory,
                approaching_gaps: outcome.unmet_approaching,
            }
        }
    }
}

impl Tally {
    fn add(&mut self, o: &Tally) {
        self.items += o.items;
        self.answered += o.answered;
        self.achieved += o.achieved;
        self.partially_achieved += o.partially_achieved;
        self.not_achieved += o.not_achieved;
        self.unassessed += o.unassessed;
        self.below_profile += o.below_profile;
        self.met += o.met;
        self.not_met += o.not_met;
        self.not_applicable += o.not_applicable;
        self.flagged += o.flagged;
    }
}

/// Each node's top-level ancestor (nodes come parents first, so one pass suffices).
fn roots(nodes: &[Node]) -> HashMap<&str, &str> {
    let mut root: HashMap<&str, &str> = HashMap::with_capacity(nodes.len());
    for n in nodes {
        let r = match n.parent.as_deref() {
            None => n.ref_id.as_str(),
            Some(p) => root.get(p).copied().unwrap_or(p),
        };
        root.insert(n.ref_id.as_str(), r);
    }
    root
}

#[cfg(test)]
mod tests;
