//! Grading an NCSC CAF contributing outcome from its indicators of good practice (IGPs), and
//! comparing the grade with a target profile.
//!
//! The rule is the mechanical one WebCAF (GovAssure) applies, as recorded in
//! `shared/reference/regulatory-facts.md` §1.5 (source: co-cddo/domains-webcaf,
//! `frameworks/cyber-assessment-framework-v3.2.yaml`, `assessment-rules`):
//! any Not-achieved statement true → Not achieved; otherwise every Achieved statement true →
//! Achieved; otherwise every Partially-achieved statement true → Partially achieved (only where
//! the outcome has that column); anything else → Not achieved. Profile met: Achieved scores 3,
//! Partially achieved 2, Not achieved 1, and an outcome meets its profile when its score is at
//! least the profile's minimum (no minimum: always met).

use crate::Invalid;
use serde::{Deserialize, Serialize};

/// A contributing outcome's grade, ordered from worst to best.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum Grade {
    #[serde(rename = "not_achieved")]
    NotAchieved,
    #[serde(rename = "partially_achieved")]
    PartiallyAchieved,
    #[serde(rename = "achieved")]
    Achieved,
}

impl Grade {
    /// WebCAF's score: 3, 2 or 1.
    pub fn score(self) -> u8 {
        match self {
            Grade::NotAchieved => 1,
            Grade::PartiallyAchieved => 2,
            Grade::Achieved => 3,
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Grade::NotAchieved => "Not achieved",
            Grade::PartiallyAchieved => "Partially achieved",
            Grade::Achieved => "Achieved",
        }
    }
}

/// Which IGP statements the assessor marked true, column by column, in the framework's order.
/// An outcome without a Partially-achieved column has `partially_achieved` empty.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct IndicatorAnswers {
    pub achieved: Vec<bool>,
    pub partially_achieved: Vec<bool>,
    pub not_achieved: Vec<bool>,
}

/// All of a column true. An empty column is never "all true": a grade must rest on statements.
fn all_true(column: &[bool]) -> bool {
    !column.is_empty() && column.iter().all(|t| *t)
}

/// The grade the rule gives. `allows_partial` is whether the outcome has a
/// Partially-achieved column in this framework version.
pub fn grade(answers: &IndicatorAnswers, allows_partial: bool) -> Grade {
    if answers.not_achieved.iter().any(|t| *t) {
        Grade::NotAchieved
    } else if all_true(&answers.achieved) {
        Grade::Achieved
    } else if allows_partial && all_true(&answers.partially_achieved) {
        Grade::PartiallyAchieved
    } else {
        Grade::NotAchieved
    }
}

/// An assessor's override of the rule's grade, which must say why (the CAF asks for expert
/// judgement and allows compensating measures; the override keeps that visible).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Override {
    pub grade: Grade,
    pub justification: String,
}

impl Override {
    pub fn new(grade: Grade, justification: &str, allows_partial: bool) -> Result<Self, Invalid> {
        let justification = justification.trim();
        if justification.chars().count() < 20 {
            return Err(Invalid::one(
                "justification",
                "explain the override in at least 20 characters",
            ));
        }
        if grade == Grade::PartiallyAchieved && !allows_partial {
            return Err(Invalid::one("grade", "this outcome has no Partially achieved level"));
        }
        Ok(Self {
            grade,
            justification: justification.to_owned(),
        })
    }
}

/// The grade in force: the override where there is one, else the rule's.
pub fn effective(answers: &IndicatorAnswers, allows_partial: bool, assessor: Option<&Override>) -> Grade {
    assessor.map_or_else(|| grade(answers, allows_partial), |o| o.grade)
}

/// Whether a grade meets a profile's minimum for the outcome (none: always met).
pub fn meets_profile(grade: Grade, minimum: Option<Grade>) -> bool {
    minimum.is_none_or(|m| grade.score() >= m.score())
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// How much of a column is true.
    #[derive(Debug, Clone, Copy, PartialEq, Eq)]
    enum Fill {
        None,
        Some,
        All,
    }

    fn fill(column: &[bool]) -> Fill {
        match column.iter().filter(|t| **t).count() {
            0 => Fill::None,
            n if n == column.len() => Fill::All,
            _ => Fill::Some,
        }
    }

    /// The 27-row table (Achieved, Partially achieved, Not achieved columns), written out by
    /// hand from the rule rather than computed, as the independent oracle.
    fn table(a: Fill, pa: Fill, na: Fill) -> Grade {
        use Fill::*;
        use Grade::*;
        match (a, pa, na) {
            (_, _, Some | All) => NotAchieved,
            (All, None, None) | (All, Some, None) | (All, All, None) => Achieved,
            (None, All, None) | (Some, All, None) => PartiallyAchieved,
            (None, None, None) | (None, Some, None) | (Some, None, None) | (Some, Some, None) => NotAchieved,
        }
    }

    fn columns(bits: u32, sizes: (usize, usize, usize)) -> IndicatorAnswers {
        let bit = |i: usize| bits & (1 << i) != 0;
        IndicatorAnswers {
            achieved: (0..sizes.0).map(bit).collect(),
            partially_achieved: (sizes.0..sizes.0 + sizes.1).map(bit).collect(),
            not_achieved: (sizes.0 + sizes.1..sizes.0 + sizes.1 + sizes.2).map(bit).collect(),
        }
    }

    /// Every combination of answers, for outcomes of a few shapes, agrees with the table.
    #[test]
    fn every_combination_matches_the_table() {
        for sizes in [(3, 2, 2), (5, 3, 4), (2, 1, 1), (4, 4, 3)] {
            let n = sizes.0 + sizes.1 + sizes.2;
            for bits in 0..(1u32 << n) {
                let answers = columns(bits, sizes);
                let expected = table(
                    fill(&answers.achieved),
                    fill(&answers.partially_achieved),
                    fill(&answers.not_achieved),
                );
                assert_eq!(grade(&answers, true), expected, "{sizes:?} {answers:?}");
                let without_partial = if expected == Grade::PartiallyAchieved {
                    Grade::NotAchieved
                } else {
                    expected
                };
                assert_eq!(
                    grade(&answers, false),
                    without_partial,
                    "{sizes:?} {answers:?} without PA column"
                );
            }
        }
    }

    #[test]
    fn an_outcome_without_a_partial_column_is_achieved_or_not() {
        let answers = IndicatorAnswers {
            achieved: vec![true, false],
            partially_achieved: vec![],
            not_achieved: vec![false],
        };
        assert_eq!(grade(&answers, false), Grade::NotAchieved);
        let answers = IndicatorAnswers {
            achieved: vec![true, true],
            partially_achieved: vec![],
            not_achieved: vec![false],
        };
        assert_eq!(grade(&answers, false), Grade::Achieved);
        assert_eq!(
            grade(&IndicatorAnswers::default(), true),
            Grade::NotAchieved,
            "nothing answered"
        );
    }

    #[test]
    fn profile_met_by_score() {
        use Grade::*;
        for g in [NotAchieved, PartiallyAchieved, Achieved] {
            assert!(meets_profile(g, None));
            assert_eq!(meets_profile(g, Some(Achieved)), g == Achieved);
            assert_eq!(meets_profile(g, Some(PartiallyAchieved)), g != NotAchieved);
            assert!(meets_profile(g, Some(NotAchieved)));
        }
    }

    #[test]
    fn overrides_need_a_reason_and_a_level_the_outcome_has() {
        assert!(Override::new(Grade::Achieved, "too short", true).is_err());
        let err = Override::new(
            Grade::PartiallyAchieved,
            "compensating controls are documented in the SSP",
            false,
        )
        .unwrap_err();
        assert_eq!(err.0[0].field, "grade");
        let ok = Override::new(Grade::Achieved, "compensating controls are documented in the SSP", true).unwrap();
        let answers = IndicatorAnswers {
            achieved: vec![false],
            partially_achieved: vec![],
            not_achieved: vec![true],
        };
        assert_eq!(effective(&answers, true, Some(&ok)), Grade::Achieved);
        assert_eq!(effective(&answers, true, None), Grade::NotAchieved);
    }

    fn answers() -> impl Strategy<Value = IndicatorAnswers> {
        (
            proptest::collection::vec(any::<bool>(), 1..8),
            proptest::collection::vec(any::<bool>(), 0..8),
            proptest::collection::vec(any::<bool>(), 1..8),
        )
            .prop_map(|(achieved, partially_achieved, not_achieved)| IndicatorAnswers {
                achieved,
                partially_achieved,
                not_achieved,
            })
    }

    proptest! {
        /// A single true Not-achieved statement decides the grade, whatever else is true.
        #[test]
        fn any_not_achieved_statement_fails_the_outcome(mut a in answers(), at in 0usize..8) {
            let i = at % a.not_achieved.len();
            a.not_achieved[i] = true;
            prop_assert_eq!(grade(&a, true), Grade::NotAchieved);
        }

        /// Marking one more Achieved or Partially-achieved statement true never lowers the grade.
        #[test]
        fn more_good_practice_never_lowers_the_grade(a in answers(), at in 0usize..16) {
            let before = grade(&a, true);
            let mut more = a.clone();
            let i = at % (more.achieved.len() + more.partially_achieved.len().max(1));
            if i < more.achieved.len() {
                more.achieved[i] = true;
            } else if !more.partially_achieved.is_empty() {
                let j = (i - more.achieved.len()) % more.partially_achieved.len();
                more.partially_achieved[j] = true;
            }
            prop_assert!(grade(&more, true) >= before);
        }

        /// Without a Partially-achieved column the grade is never Partially achieved.
        #[test]
        fn no_partial_grade_without_the_column(a in answers()) {
            prop_assert_ne!(grade(&a, false), Grade::PartiallyAchieved);
        }
    }
}
