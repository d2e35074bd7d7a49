//! Tests of `scorecard`.

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
