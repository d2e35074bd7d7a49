//! The status a Data Security and Protection Toolkit (NDG-standard) assessment publishes at,
//! from its evidence items.
//!
//! Facts (shared/reference/regulatory-facts.md §2.2–2.3): evidence items are mandatory or not for
//! the organisation's category; **Standards Met** needs every mandatory item met; **Approaching
//! Standards** needs the items marked mandatory for Approaching Standards met plus an
//! improvement plan for the rest, and may be published only once in a row (the next
//! publication must be Standards Met or better); otherwise **Standards Not Met**. Which items are
//! mandatory, and which belong to the Approaching-Standards set, is data per category, not code.
//! "Standards Exceeded" is not decided here: its qualifying rule is not confirmed.

use serde::{Deserialize, Serialize};

/// An evidence item's answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum ItemAnswer {
    Met,
    NotMet,
    /// Marked not applicable by the organisation: never satisfies a mandatory item, because the
    /// category rules already leave out items that do not apply.
    NotApplicable,
    Unanswered,
}

/// How an evidence item counts for the organisation's category.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ItemRule {
    pub id: String,
    pub mandatory: bool,
    /// Mandatory for Approaching Standards (usually, not always, also for Standards Met).
    pub approaching: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Status {
    #[serde(rename = "standards_not_met")]
    StandardsNotMet,
    #[serde(rename = "approaching_standards")]
    ApproachingStandards,
    #[serde(rename = "standards_met")]
    StandardsMet,
}

impl Status {
    pub fn label(self) -> &'static str {
        match self {
            Status::StandardsNotMet => "Standards Not Met",
            Status::ApproachingStandards => "Approaching Standards",
            Status::StandardsMet => "Standards Met",
        }
    }
}

/// What the organisation brings besides its answers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Context {
    /// An improvement plan covers the unmet mandatory items.
    pub has_improvement_plan: bool,
    /// The previous publication was Approaching Standards, so this one cannot be.
    pub last_published_approaching: bool,
}

/// The status, with the mandatory items that hold it back (for the improvement plan).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Outcome {
    pub status: Status,
    pub unmet_mandatory: Vec<String>,
    pub unmet_approaching: Vec<String>,
}

pub fn status(items: &[(ItemRule, ItemAnswer)], context: Context) -> Outcome {
    let unmet = |want: fn(&ItemRule) -> bool| -> Vec<String> {
        items
            .iter()
            .filter(|(rule, answer)| want(rule) && *answer != ItemAnswer::Met)
            .map(|(rule, _)| rule.id.clone())
            .collect()
    };
    let unmet_mandatory = unmet(|r| r.mandatory);
    // The published sheets flag a few items for Approaching Standards that Standards Met does
    // not require (dspt-structure.md §6.3), so the two sets are independent.
    let unmet_approaching = unmet(|r| r.approaching);
    let status = if unmet_mandatory.is_empty() {
        Status::StandardsMet
    } else if unmet_approaching.is_empty() && context.has_improvement_plan && !context.last_published_approaching {
        Status::ApproachingStandards
    } else {
        Status::StandardsNotMet
    };
    Outcome {
        status,
        unmet_mandatory,
        unmet_approaching,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ItemAnswer::*;

    fn rule(id: &str, mandatory: bool, approaching: bool) -> ItemRule {
        ItemRule {
            id: id.into(),
            mandatory,
            approaching,
        }
    }

    /// Items of every kind: approaching-and-mandatory, mandatory only, optional.
    fn rules() -> Vec<ItemRule> {
        vec![
            rule("1.1.1", true, true),
            rule("1.2.1", true, true),
            rule("3.2.1", true, false),
            rule("9.4.6", false, false),
        ]
    }

    const ANSWERS: [ItemAnswer; 4] = [Met, NotMet, NotApplicable, Unanswered];

    fn every_answer_set() -> Vec<Vec<ItemAnswer>> {
        let n = rules().len();
        (0..ANSWERS.len().pow(n as u32))
            .map(|mut k| {
                (0..n)
                    .map(|_| {
                        let a = ANSWERS[k % ANSWERS.len()];
                        k /= ANSWERS.len();
                        a
                    })
                    .collect()
            })
            .collect()
    }

    fn contexts() -> Vec<Context> {
        [(false, false), (true, false), (false, true), (true, true)]
            .map(|(p, l)| Context {
                has_improvement_plan: p,
                last_published_approaching: l,
            })
            .to_vec()
    }

    /// Every combination of answers and context, checked item by item against the rule as
    /// the facts state it.
    #[test]
    fn every_combination_follows_the_published_rules() {
        for answers in every_answer_set() {
            let items: Vec<(ItemRule, ItemAnswer)> = rules().into_iter().zip(answers.iter().copied()).collect();
            for context in contexts() {
                let outcome = status(&items, context);
                let met = |i: usize| answers[i] == Met;
                let all_mandatory = met(0) && met(1) && met(2);
                let approaching_set = met(0) && met(1);
                let expected = if all_mandatory {
                    Status::StandardsMet
                } else if approaching_set && context.has_improvement_plan && !context.last_published_approaching {
                    Status::ApproachingStandards
                } else {
                    Status::StandardsNotMet
                };
                assert_eq!(outcome.status, expected, "{answers:?} {context:?}");
                assert!(
                    !outcome.unmet_mandatory.contains(&"9.4.6".to_owned()),
                    "optional items never hold it back"
                );
            }
        }
    }

    #[test]
    fn the_optional_item_never_changes_the_status() {
        for answers in every_answer_set() {
            let mut items: Vec<(ItemRule, ItemAnswer)> = rules().into_iter().zip(answers).collect();
            for context in contexts() {
                let before = status(&items, context).status;
                for a in ANSWERS {
                    items[3].1 = a;
                    assert_eq!(status(&items, context).status, before);
                }
            }
        }
    }

    #[test]
    fn meeting_one_more_item_never_lowers_the_status() {
        for answers in every_answer_set() {
            let items: Vec<(ItemRule, ItemAnswer)> = rules().into_iter().zip(answers).collect();
            for context in contexts() {
                let before = status(&items, context).status;
                for i in 0..items.len() {
                    let mut better = items.clone();
                    better[i].1 = Met;
                    assert!(status(&better, context).status >= before);
                }
            }
        }
    }

    #[test]
    fn the_outcome_names_what_to_put_in_the_plan() {
        let items = vec![
            (rule("1.1.1", true, true), Met),
            (rule("3.2.1", true, false), NotApplicable),
            (rule("7.1.1", true, false), Unanswered),
        ];
        let outcome = status(
            &items,
            Context {
                has_improvement_plan: true,
                last_published_approaching: false,
            },
        );
        assert_eq!(outcome.status, Status::ApproachingStandards);
        assert_eq!(outcome.unmet_mandatory, ["3.2.1", "7.1.1"]);
        assert!(outcome.unmet_approaching.is_empty());
        let again = status(
            &items,
            Context {
                has_improvement_plan: true,
                last_published_approaching: true,
            },
        );
        assert_eq!(
            again.status,
            Status::StandardsNotMet,
            "Approaching Standards cannot be published twice in a row"
        );
    }

    #[test]
    fn an_item_only_approaching_standards_requires_still_holds_it_back() {
        let items = vec![(rule("1.1.1", true, true), Met), (rule("1.3.8", false, true), NotMet)];
        let plan = Context {
            has_improvement_plan: true,
            last_published_approaching: false,
        };
        let outcome = status(&items, plan);
        assert_eq!(
            outcome.status,
            Status::StandardsMet,
            "Standards Met needs only its own items"
        );
        assert_eq!(outcome.unmet_approaching, ["1.3.8"]);
        let items = vec![
            (rule("1.1.1", true, true), Met),
            (rule("3.2.1", true, false), NotMet),
            (rule("1.3.8", false, true), NotMet),
        ];
        assert_eq!(status(&items, plan).status, Status::StandardsNotMet);
    }
}
