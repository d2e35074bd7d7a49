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

    /// A short result that publications are counted by across a sector: the status where the
    /// framework has a rule for one, otherwise pass or fail, or whether the profile is met.
    pub fn standing(&self, has_profile: bool) -> &'static str {
        if let Some(status) = self.status {
            return status;
        }
        if !self.automatic_fails.is_empty() {
            return "Fail";
        }
        let (requirements, compliant) = self.requirements;
        if requirements > 0 {
            return if compliant == requirements {
                "Pass"
            } else {
                "Not passing"
            };
        }
        if !self.sections.is_empty() {
            return if self.sections.iter().any(|(_, v)| *v == Some(Value::Fail)) {
                "Fail"
            } else if self.sections.iter().all(|(_, v)| *v == Some(Value::Pass)) {
                "Pass"
            } else {
                "Incomplete"
            };
        }
        let t = &self.total;
        if !self.outcomes.is_empty() {
            return match (has_profile, t.below_profile == 0 && t.unassessed == 0) {
                (true, true) => "Meets profile",
                (true, false) => "Below profile",
                (false, _) if t.unassessed > 0 => "Partly graded",
                (false, _) => "Graded",
            };
        }
        if t.answered == t.items {
            "Complete"
        } else {
            "Incomplete"
        }
    }

    /// One line for lists and the sector view.
    pub fn headline(&self, has_profile: bool) -> String {
        let line = self.grades_headline(has_profile);
        match self.status {
            Some(status) => format!("{status}: {line}"),
            None => line,
        }
    }

    fn grades_headline(&self, has_profile: bool) -> String {
        let t = &self.total;
        if !self.automatic_fails.is_empty() {
            return format!("Fail: automatic fail on {}", self.automatic_fails.join(", "));
        }
        let (requirements, compliant) = self.requirements;
        if requirements > 0 {
            return if compliant == requirements {
                "Pass: every requirement compliant".into()
            } else {
                format!(
                    "Not passing: {} of {requirements} requirements not yet compliant",
                    requirements - compliant
                )
            };
        }
        if !self.sections.is_empty() {
            let passed = self.sections.iter().filter(|(_, v)| *v == Some(Value::Pass)).count();
            let failed: Vec<&str> = self
                .sections
                .iter()
                .filter(|(_, v)| *v == Some(Value::Fail))
                .map(|(r, _)| r.as_str())
                .collect();
            let mut line = format!("{passed} of {} assessed sections pass", self.sections.len());
            if !failed.is_empty() {
                line.push_str(&format!(" (failed: {})", failed.join(", ")));
            }
            return line;
        }
        if !self.outcomes.is_empty() {
            if has_profile {
                format!(
                    "{} of {} outcomes meet the profile",
                    self.outcomes.len() - t.below_profile,
                    self.outcomes.len()
                )
            } else {
                let mut line = format!(
                    "{} achieved, {} partially achieved, {} not achieved",
                    t.achieved, t.partially_achieved, t.not_achieved
                );
                if t.unassessed > 0 {
                    line.push_str(&format!(", {} not yet assessed", t.unassessed));
                }
                line
            }
        } else {
            format!(
                "{} met, {} not met, {} not applicable of {}",
                t.met, t.not_met, t.not_applicable, t.items
            )
        }
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

pub fn score_in(
    framework: &Framework,
    profile: Option<&Profile>,
    answers: &HashMap<String, Answer>,
    context: &StatusContext,
) -> Scorecard {
    let category = profile.map(|p| p.key.as_str());
    let mut dspt_items: Vec<(dspt::ItemRule, dspt::ItemAnswer)> = Vec::new();
    let mut statements: HashMap<&str, [Vec<bool>; 3]> = HashMap::new();
    for n in &framework.nodes {
        if n.answer == AnswerKind::Statement
            && let (Some(parent), Some(col)) = (n.parent.as_deref(), column(n.level.as_deref()))
        {
            let ticked = answers.get(&n.ref_id).is_some_and(|a| a.value == Some(Value::True));
            statements.entry(parent).or_default()[col].push(ticked);
        }
    }
    let root_of = roots(&framework.nodes);
    let mut groups: Vec<GroupSummary> = framework
        .nodes
        .iter()
        .filter(|n| n.parent.is_none())
        .map(|n| GroupSummary {
            ref_id: n.ref_id.clone(),
            title: n.title.clone(),
            tally: Tally::default(),
        })
        .collect();
    let group_index: HashMap<String, usize> = groups.iter().enumerate().map(|(i, g)| (g.ref_id.clone(), i)).collect();
    let mut total = Tally::default();
    let mut outcomes = Vec::new();
    let mut automatic_fails = Vec::new();
    let mut requirements = (0, 0);
    let mut sections = Vec::new();
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
            outcomes.push(OutcomeResult {
                ref_id: n.ref_id.clone(),
                rule_grade,
                grade,
                overridden: assessor.is_some(),
                allows_partial,
                minimum,
                meets_profile: meets,
                answered,
                ticked,
            });
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
                        dspt_items.push((rule, answer));
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
    let mut gaps = Vec::new();
    let mut approaching_gaps = Vec::new();
    let status = framework.status_rule.map(|rule| match rule {
        StatusRule::DsptCaf => {
            gaps = outcomes
                .iter()
                .filter(|o| !((o.answered || o.overridden) && o.meets_profile == Some(true)))
                .map(|o| o.ref_id.clone())
                .collect();
            if !outcomes.is_empty() && gaps.is_empty() {
                dspt::Status::StandardsMet.label()
            } else {
                dspt::Status::StandardsNotMet.label()
            }
        }
        StatusRule::DsptNdg => {
            let unmet = |want: fn(&dspt::ItemRule) -> bool| -> Vec<String> {
                dspt_items
                    .iter()
                    .filter(|(r, a)| want(r) && *a != dspt::ItemAnswer::Met)
                    .map(|(r, _)| r.id.clone())
                    .collect()
            };
            let planned = unmet(|r| r.mandatory).iter().all(|id| context.planned.contains(id));
            let outcome = dspt::status(
                &dspt_items,
                dspt::Context {
                    has_improvement_plan: planned,
                    last_published_approaching: context.last_published_approaching,
                },
            );
            gaps = outcome.unmet_mandatory;
            approaching_gaps = outcome.unmet_approaching;
            if category.is_none() {
                // Without a category nothing is mandatory, which is not Standards Met.
                return dspt::Status::StandardsNotMet.label();
            }
            outcome.status.label()
        }
    });
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
mod tests {
    use super::*;
    use crate::assessments::caf::Override;
    use crate::assessments::framework::{Node, NodeKind};
    use proptest::prelude::*;
    use std::collections::BTreeMap;

    fn n(ref_id: &str, parent: Option<&str>, kind: NodeKind, answer: AnswerKind, level: Option<&str>) -> Node {
        Node {
            ref_id: ref_id.into(),
            parent: parent.map(Into::into),
            kind,
            title: ref_id.into(),
            summary: String::new(),
            answer,
            level: level.map(Into::into),
            applies_to: Vec::new(),
            mandatory_for: Vec::new(),
            source: None,
        }
    }

    /// Objective A with outcome A1.a (NA 2, PA 1, A 2) and A1.b (NA 1, A 1: no PA column).
    fn caf() -> Framework {
        use NodeKind::*;
        Framework {
            key: "caf".into(),
            version: "t".into(),
            title: "t".into(),
            publisher: "t".into(),
            source_url: None,
            licence: "t".into(),
            nodes: vec![
                n("A", None, Objective, AnswerKind::None, None),
                n("A1", Some("A"), Principle, AnswerKind::None, None),
                n("A1.a", Some("A1"), Outcome, AnswerKind::CafGrade, None),
                n("A1.a.NA.1", Some("A1.a"), Indicator, AnswerKind::Statement, Some("NA")),
                n("A1.a.NA.2", Some("A1.a"), Indicator, AnswerKind::Statement, Some("NA")),
                n("A1.a.PA.1", Some("A1.a"), Indicator, AnswerKind::Statement, Some("PA")),
                n("A1.a.A.1", Some("A1.a"), Indicator, AnswerKind::Statement, Some("A")),
                n("A1.a.A.2", Some("A1.a"), Indicator, AnswerKind::Statement, Some("A")),
                n("A1.b", Some("A1"), Outcome, AnswerKind::CafGrade, None),
                n("A1.b.NA.1", Some("A1.b"), Indicator, AnswerKind::Statement, Some("NA")),
                n("A1.b.A.1", Some("A1.b"), Indicator, AnswerKind::Statement, Some("A")),
            ],
            profiles: vec![Profile {
                key: "p".into(),
                title: "P".into(),
                summary: String::new(),
                source: None,
                minima: BTreeMap::from([("A1.a".into(), Some(Grade::Achieved)), ("A1.b".into(), None)]),
            }],
            status_rule: None,
        }
    }

    fn ticked(ids: &[&str]) -> HashMap<String, Answer> {
        ids.iter()
            .map(|id| {
                (
                    (*id).to_owned(),
                    Answer {
                        value: Some(if id.matches('.').count() == 1 {
                            Value::Assessed
                        } else {
                            Value::True
                        }),
                        ..Answer::default()
                    },
                )
            })
            .collect()
    }

    #[test]
    fn grades_follow_the_ticked_statements_and_the_profile() {
        let f = caf();
        let p = f.profile("p");
        let s = score(&f, p, &ticked(&["A1.a", "A1.a.PA.1"]));
        let a = s.outcome("A1.a").unwrap();
        assert_eq!(
            (a.grade, a.meets_profile, a.answered),
            (Grade::PartiallyAchieved, Some(false), true)
        );
        assert_eq!(a.ticked, [(0, 2), (1, 1), (0, 2)]);
        let b = s.outcome("A1.b").unwrap();
        assert_eq!(
            (b.grade, b.meets_profile, b.answered, b.allows_partial),
            (Grade::NotAchieved, Some(true), false, false)
        );
        assert_eq!(s.total.items, 2);
        assert_eq!(s.total.answered, 1);
        assert_eq!(s.total.below_profile, 1);
        assert_eq!(s.groups.len(), 1);
        assert_eq!(s.groups[0].tally, s.total);
        assert_eq!(s.headline(true), "1 of 2 outcomes meet the profile");

        let s = score(&f, p, &ticked(&["A1.a.A.1", "A1.a.A.2", "A1.a.PA.1"]));
        assert_eq!(s.outcome("A1.a").unwrap().grade, Grade::Achieved);
        let s = score(&f, p, &ticked(&["A1.a.A.1", "A1.a.A.2", "A1.a.NA.2"]));
        assert_eq!(s.outcome("A1.a").unwrap().grade, Grade::NotAchieved);
        assert_eq!(
            score(&f, None, &HashMap::new()).outcome("A1.a").unwrap().meets_profile,
            None
        );
    }

    #[test]
    fn an_override_replaces_the_grade_and_says_so() {
        let f = caf();
        let mut answers = ticked(&["A1.b"]);
        answers.get_mut("A1.b").unwrap().assessor_override =
            Some(Override::new(Grade::Achieved, "compensating controls are described", false).unwrap());
        let s = score(&f, f.profile("p"), &answers);
        let b = s.outcome("A1.b").unwrap();
        assert_eq!(
            (b.rule_grade, b.grade, b.overridden),
            (Grade::NotAchieved, Grade::Achieved, true)
        );
    }

    #[test]
    fn items_are_counted_by_their_values() {
        use NodeKind::*;
        let mut f = caf();
        f.nodes = vec![
            n("1", None, Standard, AnswerKind::None, None),
            n("1.1", Some("1"), EvidenceItem, AnswerKind::MetNotMet, None),
            n("1.2", Some("1"), EvidenceItem, AnswerKind::MetNotMet, None),
            n("2", None, Standard, AnswerKind::None, None),
            n("2.1", Some("2"), EvidenceItem, AnswerKind::MetNotMet, None),
        ];
        let answers: HashMap<String, Answer> = [("1.1", Value::Met), ("2.1", Value::NotApplicable)]
            .into_iter()
            .map(|(k, v)| {
                (
                    k.to_owned(),
                    Answer {
                        value: Some(v),
                        ..Answer::default()
                    },
                )
            })
            .collect();
        let s = score(&f, None, &answers);
        assert_eq!(
            (s.total.items, s.total.answered, s.total.met, s.total.not_applicable),
            (3, 2, 1, 1)
        );
        assert_eq!(s.groups[0].tally.progress(), 50);
        assert_eq!(s.headline(false), "1 met, 0 not met, 1 not applicable of 3");
    }

    #[test]
    fn an_automatic_fail_requirement_fails_the_whole() {
        let mut f = caf();
        let mut auto = n("1.2", Some("1"), NodeKind::Requirement, AnswerKind::Compliant, None);
        auto.mandatory_for = vec![AUTOMATIC_FAIL.into()];
        f.nodes = vec![
            n("1", None, NodeKind::Group, AnswerKind::None, None),
            n("1.1", Some("1"), NodeKind::Requirement, AnswerKind::Compliant, None),
            auto,
        ];
        let with = |a: Value, b: Value| -> HashMap<String, Answer> {
            [("1.1", a), ("1.2", b)]
                .into_iter()
                .map(|(k, v)| {
                    (
                        k.to_owned(),
                        Answer {
                            value: Some(v),
                            ..Answer::default()
                        },
                    )
                })
                .collect()
        };
        let s = score(&f, None, &with(Value::Compliant, Value::Compliant));
        assert_eq!(s.headline(false), "Pass: every requirement compliant");
        let s = score(&f, None, &with(Value::NotCompliant, Value::Compliant));
        assert_eq!(s.headline(false), "Not passing: 1 of 2 requirements not yet compliant");
        let s = score(&f, None, &with(Value::Compliant, Value::NotCompliant));
        assert_eq!(s.headline(false), "Fail: automatic fail on 1.2");
        assert_eq!(
            score(&f, None, &HashMap::new()).headline(false),
            "Not passing: 2 of 2 requirements not yet compliant"
        );
    }

    #[test]
    fn sections_pass_or_fail_on_their_own() {
        let mut f = caf();
        f.nodes = vec![
            n("C1", None, NodeKind::Standard, AnswerKind::PassFail, None),
            n("C2", None, NodeKind::Standard, AnswerKind::PassFail, None),
            n("C3", None, NodeKind::Standard, AnswerKind::PassFail, None),
        ];
        let answers: HashMap<String, Answer> = [("C1", Value::Pass), ("C2", Value::Fail)]
            .into_iter()
            .map(|(k, v)| {
                (
                    k.to_owned(),
                    Answer {
                        value: Some(v),
                        ..Answer::default()
                    },
                )
            })
            .collect();
        assert_eq!(
            score(&f, None, &answers).headline(false),
            "1 of 3 assessed sections pass (failed: C2)"
        );
    }

    #[test]
    fn outcomes_without_statements_are_graded_directly_and_dspt_status_follows_the_profile() {
        let mut f = caf();
        let mut e4a = n("E4.a", Some("A1"), NodeKind::Outcome, AnswerKind::CafGrade, None);
        e4a.level = Some("NA A".into());
        f.nodes.push(e4a);
        f.nodes
            .push(n("E1.a", Some("A1"), NodeKind::Outcome, AnswerKind::CafGrade, None));
        f.status_rule = Some(StatusRule::DsptCaf);
        f.profiles[0].minima.insert("E4.a".into(), Some(Grade::Achieved));
        assert!(!f.allows_partial("E4.a") && f.allows_partial("E1.a") && f.graded_directly("E1.a"));
        let mut answers = ticked(&["A1.a", "A1.a.A.1", "A1.a.A.2", "A1.b", "A1.b.A.1"]);
        let s = score(&f, f.profile("p"), &answers);
        assert_eq!(s.outcome("E4.a").unwrap().grade, Grade::NotAchieved);
        assert!(
            s.headline(true).starts_with("Standards Not Met: "),
            "{}",
            s.headline(true)
        );
        for o in ["E4.a", "E1.a"] {
            answers.insert(
                o.into(),
                Answer {
                    value: Some(Value::Assessed),
                    assessor_override: Some(
                        Override::new(Grade::Achieved, "records policy approved and audited", false).unwrap(),
                    ),
                    ..Answer::default()
                },
            );
        }
        let s = score(&f, f.profile("p"), &answers);
        assert_eq!(s.headline(true), "Standards Met: 4 of 4 outcomes meet the profile");
    }

    proptest! {
        /// Whatever is ticked, each outcome's grade is the rule's grade over its own columns,
        /// and the tallies add up.
        #[test]
        fn the_scorecard_agrees_with_the_rule(mask in 0u32..(1 << 10)) {
            let f = caf();
            let ids: Vec<&str> = f.nodes.iter().filter(|n| n.answer != AnswerKind::None).map(|n| n.ref_id.as_str()).collect();
            let chosen: Vec<&str> = ids.iter().enumerate().filter(|(i, _)| mask & (1 << i) != 0).map(|(_, id)| *id).collect();
            let s = score(&f, f.profile("p"), &ticked(&chosen));
            let t = &s.total;
            prop_assert_eq!(t.achieved + t.partially_achieved + t.not_achieved + t.unassessed, 2);
            prop_assert_eq!(t.unassessed, usize::from(!chosen.contains(&"A1.a")) + usize::from(!chosen.contains(&"A1.b")));
            let col = |prefix: &str| -> Vec<bool> {
                f.nodes.iter().filter(|n| n.ref_id.starts_with(prefix)).map(|n| chosen.contains(&n.ref_id.as_str())).collect()
            };
            let want = caf::grade(&IndicatorAnswers {
                not_achieved: col("A1.a.NA."),
                partially_achieved: col("A1.a.PA."),
                achieved: col("A1.a.A."),
            }, true);
            prop_assert_eq!(s.outcome("A1.a").unwrap().grade, want);
            prop_assert_eq!(s.outcome("A1.b").unwrap().grade != Grade::PartiallyAchieved, true);
        }
    }

    /// The built-in NDG-standard DSPT for GP practices, with each evidence item's answer.
    mod ndg {
        use super::*;
        use crate::assessments::builtin;
        use crate::assessments::framework::NodeKind;

        pub(super) fn catalogue() -> Framework {
            builtin::all()
                .unwrap()
                .into_iter()
                .find(|f| f.key == "dspt-ndg")
                .unwrap()
        }

        pub(super) fn items(f: &Framework) -> Vec<&Node> {
            f.nodes.iter().filter(|n| n.kind == NodeKind::EvidenceItem).collect()
        }

        pub(super) fn answered(pairs: impl IntoIterator<Item = (String, Value)>) -> HashMap<String, Answer> {
            pairs
                .into_iter()
                .map(|(k, v)| {
                    (
                        k,
                        Answer {
                            value: Some(v),
                            ..Answer::default()
                        },
                    )
                })
                .collect()
        }
    }

    #[test]
    fn the_ndg_dspt_status_follows_the_category_rules() {
        let f = ndg::catalogue();
        let cat4 = f.profile("category-4");
        let items = ndg::items(&f);
        let mandatory: Vec<String> = items
            .iter()
            .filter(|n| n.mandatory_in("category-4"))
            .map(|n| n.ref_id.clone())
            .collect();
        let approaching: Vec<String> = items
            .iter()
            .filter(|n| n.approaching_in("category-4"))
            .map(|n| n.ref_id.clone())
            .collect();

        let all_met = ndg::answered(items.iter().map(|n| (n.ref_id.clone(), Value::Met)));
        let s = score(&f, cat4, &all_met);
        assert_eq!((s.status, s.standing(true)), (Some("Standards Met"), "Standards Met"));
        assert!(s.gaps.is_empty() && s.unplanned.is_empty());

        // Only the Approaching-Standards set met: Not Met until every gap has an action.
        let some = ndg::answered(approaching.iter().map(|id| (id.clone(), Value::Met)));
        let s = score(&f, cat4, &some);
        assert_eq!(s.status, Some("Standards Not Met"));
        let gaps: Vec<String> = mandatory.iter().filter(|m| !approaching.contains(m)).cloned().collect();
        assert_eq!(s.gaps, gaps);
        assert_eq!(s.unplanned, gaps);
        let mut planned = StatusContext {
            planned: gaps.iter().cloned().collect(),
            last_published_approaching: false,
        };
        let s = score_in(&f, cat4, &some, &planned);
        assert_eq!(s.status, Some("Approaching Standards"));
        assert!(s.unplanned.is_empty());
        planned.last_published_approaching = true;
        assert_eq!(
            score_in(&f, cat4, &some, &planned).status,
            Some("Standards Not Met"),
            "not twice in a row"
        );

        // Not applicable never stands in for a mandatory item.
        let mut na = all_met.clone();
        na.get_mut(&mandatory[0]).unwrap().value = Some(Value::NotApplicable);
        assert_eq!(score(&f, cat4, &na).gaps, [mandatory[0].clone()]);
        // Without a category nothing can be Standards Met.
        assert_eq!(score(&f, None, &all_met).status, Some("Standards Not Met"));
        // Items outside the category are not scored.
        let mut other = f.profile("category-4").unwrap().clone();
        other.key = "category-3".into();
        assert_eq!(score(&f, Some(&other), &all_met).total.items, 0);
    }

    proptest! {
        /// Over any answers and any set of planned items: Standards Met exactly when every
        /// mandatory item is met; Approaching Standards only when the approaching set is met
        /// and every gap is planned; and meeting one more item never lowers the status.
        #[test]
        fn the_ndg_status_agrees_with_the_rule(
            choice in proptest::collection::vec(0u8..4, 45),
            plan in proptest::collection::vec(any::<bool>(), 45),
            last_approaching in any::<bool>(),
        ) {
            let f = ndg::catalogue();
            let cat4 = f.profile("category-4");
            let items = ndg::items(&f);
            let values = [Value::Met, Value::NotMet, Value::NotApplicable];
            let answers = ndg::answered(items.iter().zip(&choice).filter(|(_, c)| **c < 3).map(|(n, c)| (n.ref_id.clone(), values[usize::from(*c)])));
            let context = StatusContext {
                planned: items.iter().zip(&plan).filter(|(_, p)| **p).map(|(n, _)| n.ref_id.clone()).collect(),
                last_published_approaching: last_approaching,
            };
            let s = score_in(&f, cat4, &answers, &context);
            let met = |n: &&Node| answers.get(&n.ref_id).and_then(|a| a.value) == Some(Value::Met);
            let all_mandatory = items.iter().filter(|n| n.mandatory_in("category-4")).all(&met);
            prop_assert_eq!(s.status == Some("Standards Met"), all_mandatory);
            if s.status == Some("Approaching Standards") {
                prop_assert!(items.iter().filter(|n| n.approaching_in("category-4")).all(met));
                prop_assert!(s.unplanned.is_empty() && !last_approaching);
            }
            let rank = |st: Option<&str>| ["Standards Not Met", "Approaching Standards", "Standards Met"].iter().position(|x| Some(*x) == st);
            for n in &items {
                let mut better = answers.clone();
                better.insert(n.ref_id.clone(), Answer { value: Some(Value::Met), ..Answer::default() });
                prop_assert!(rank(score_in(&f, cat4, &better, &context).status) >= rank(s.status));
            }
        }
    }
}
