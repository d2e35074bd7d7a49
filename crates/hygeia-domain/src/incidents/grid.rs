//! The breach assessment grid of NHS England's guide to notifying data security and
//! protection incidents: the likelihood that harm to people follows, against how severe that
//! harm is, each on five levels. Who must be told follows from thresholds on the two axes;
//! the thresholds live in the regime pack, because the sources disagree in places and a
//! regulator may settle them differently.

use crate::org::coded_enum;
use serde::{Deserialize, Serialize};

coded_enum!(
    /// How likely it is that harm to individuals results (or has resulted).
    Likelihood {
        NotOccurred = "not_occurred", "1 Not occurred";
        NotLikely = "not_likely", "2 Not likely";
        Likely = "likely", "3 Likely";
        HighlyLikely = "highly_likely", "4 Highly likely";
        Occurred = "occurred", "5 Occurred";
    }
);

coded_enum!(
    /// How severe that harm is.
    Harm {
        NoAdverseEffect = "no_adverse_effect", "1 No adverse effect";
        Minor = "minor", "2 Minor";
        Adverse = "adverse", "3 Adverse";
        Serious = "serious", "4 Serious";
        Catastrophic = "catastrophic", "5 Catastrophic";
    }
);

impl Likelihood {
    /// 1 to 5, as the grid numbers it.
    pub fn score(self) -> u8 {
        self as u8 + 1
    }
}

impl Harm {
    pub fn score(self) -> u8 {
        self as u8 + 1
    }
}

/// A cell threshold: the grid reports to a recipient when both axes reach their minimum.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct GridThreshold {
    pub likelihood_at_least: Likelihood,
    pub harm_at_least: Harm,
}

impl GridThreshold {
    pub fn is_met(&self, likelihood: Likelihood, harm: Harm) -> bool {
        likelihood >= self.likelihood_at_least && harm >= self.harm_at_least
    }
}

/// The harm to grade with: a breach of sensitive data (special category, children's data,
/// vulnerable groups) counts as at least Minor even where no adverse effect is yet apparent,
/// so that with a likely harm it reaches the regulator.
pub fn effective_harm(assessed: Harm, sensitive_data: bool) -> Harm {
    if sensitive_data {
        assessed.max(Harm::Minor)
    } else {
        assessed
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const ICO: GridThreshold = GridThreshold {
        likelihood_at_least: Likelihood::Likely,
        harm_at_least: Harm::Minor,
    };
    const DHSC: GridThreshold = GridThreshold {
        likelihood_at_least: Likelihood::Likely,
        harm_at_least: Harm::Serious,
    };

    /// Every one of the 25 cells, written out by hand from the rules: ICO at likelihood ≥ 3
    /// and harm ≥ 2; DHSC / NHS England at likelihood ≥ 3 and harm ≥ 4. Rows are likelihood
    /// 1..5, columns harm 1..5; 0 = record locally, 1 = ICO, 2 = ICO and DHSC.
    const EXPECTED: [[u8; 5]; 5] = [
        [0, 0, 0, 0, 0],
        [0, 0, 0, 0, 0],
        [0, 1, 1, 2, 2],
        [0, 1, 1, 2, 2],
        [0, 1, 1, 2, 2],
    ];

    #[test]
    fn every_cell_of_the_grid() {
        for l in Likelihood::ALL {
            for h in Harm::ALL {
                let got = u8::from(ICO.is_met(*l, *h)) + u8::from(DHSC.is_met(*l, *h));
                let want = EXPECTED[usize::from(l.score() - 1)][usize::from(h.score() - 1)];
                assert_eq!(got, want, "likelihood {l}, harm {h}");
            }
        }
    }

    #[test]
    fn sensitive_data_is_never_below_minor() {
        assert_eq!(effective_harm(Harm::NoAdverseEffect, true), Harm::Minor);
        assert_eq!(effective_harm(Harm::NoAdverseEffect, false), Harm::NoAdverseEffect);
        for h in Harm::ALL {
            assert!(effective_harm(*h, true) >= *h);
            assert!(effective_harm(*h, true) >= Harm::Minor);
        }
        assert!(ICO.is_met(Likelihood::Likely, effective_harm(Harm::NoAdverseEffect, true)));
    }

    #[test]
    fn scores_run_one_to_five() {
        let l: Vec<u8> = Likelihood::ALL.iter().map(|l| l.score()).collect();
        let h: Vec<u8> = Harm::ALL.iter().map(|h| h.score()).collect();
        assert_eq!(l, [1, 2, 3, 4, 5]);
        assert_eq!(h, [1, 2, 3, 4, 5]);
    }
}
