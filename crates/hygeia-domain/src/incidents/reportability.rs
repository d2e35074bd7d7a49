//! Whether an incident must be reported under each regime, and why: the rule applied to the
//! facts a person recorded. The decision carries the pack version and the reasons, so it can
//! be recorded as it was made, "not reportable" included.

use super::grid::{Harm, Likelihood, effective_harm};
use super::lifecycle::DataCategory;
use super::regimes::{RegimePack, SignificanceThresholds, Test};
use crate::org::{Regime, coded_enum};
use serde::{Deserialize, Serialize};

coded_enum!(
    Verdict {
        Reportable = "reportable", "Reportable";
        NotReportable = "not_reportable", "Not reportable";
        NeedsInput = "needs_input", "More information needed";
    }
);

/// The facts the regimes' tests read. Booleans are the answers to yes/no questions on the
/// incident; `None` is "not assessed yet". Missing members read as not assessed, so facts
/// stored by an older version still load.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Facts {
    pub is_oes: bool,
    pub personal_data: bool,
    pub likelihood: Option<Likelihood>,
    pub harm: Option<Harm>,
    pub data_categories: Vec<DataCategory>,
    pub essential_service_disrupted: bool,
    pub users_affected: Option<u64>,
    pub disruption_minutes: Option<u64>,
    pub regions_affected: Option<u32>,
    /// A person's judgement of significance where no threshold decides it.
    pub significant_impact: Option<bool>,
    /// NIS2 Art. 23(3)(a): severe operational disruption or financial loss for the entity.
    pub severe_disruption_or_loss: bool,
    /// NIS2 Art. 23(3)(b): considerable material or non-material damage to others.
    pub damage_to_others: bool,
    /// The UK bill: capable of a significant impact even without disruption yet (for example
    /// ransomware found before it ran).
    pub capable_of_significant_impact: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Decision {
    pub regime: Regime,
    pub pack_version: String,
    pub verdict: Verdict,
    /// Who must be told (empty unless reportable).
    pub recipients: Vec<String>,
    /// Why, in a sentence each: what the rule found.
    pub reasons: Vec<String>,
    /// The facts still missing when the verdict is `NeedsInput`.
    pub missing: Vec<String>,
}

/// Applies one regime's test to the facts. `thresholds` replaces the pack's significance
/// thresholds where the competent authority has set its own.
pub fn decide(pack: &RegimePack, facts: &Facts, thresholds: Option<&SignificanceThresholds>) -> Decision {
    let (verdict, recipients, reasons, missing) = match &pack.test {
        Test::BreachGrid { recipients } => breach_grid(recipients, facts),
        Test::SignificantImpact {
            recipient,
            thresholds: own,
            ..
        } => match significance(facts, thresholds.unwrap_or(own)) {
            Outcome::Yes(why) => (Verdict::Reportable, vec![recipient.clone()], why, vec![]),
            Outcome::No(why) => (Verdict::NotReportable, vec![], why, vec![]),
            Outcome::Unknown(why, missing) => (Verdict::NeedsInput, vec![], why, missing),
        },
        Test::Nis2Significant { recipient, .. } => nis2(recipient, facts),
        Test::CapableOfSignificantImpact {
            recipient, also_inform, ..
        } => {
            let mut told = vec![recipient.clone()];
            told.extend(also_inform.iter().cloned());
            if facts.capable_of_significant_impact && facts.is_oes {
                let why = vec!["the incident was capable of a significant impact on an essential service".to_owned()];
                (Verdict::Reportable, told, why, vec![])
            } else {
                match significance(facts, thresholds.unwrap_or(&SignificanceThresholds::default())) {
                    Outcome::Yes(why) => (Verdict::Reportable, told, why, vec![]),
                    Outcome::No(why) => (Verdict::NotReportable, vec![], why, vec![]),
                    Outcome::Unknown(why, missing) => (Verdict::NeedsInput, vec![], why, missing),
                }
            }
        }
    };
    Decision {
        regime: pack.regime,
        pack_version: pack.version.clone(),
        verdict,
        recipients,
        reasons,
        missing,
    }
}

type Parts = (Verdict, Vec<String>, Vec<String>, Vec<String>);

fn breach_grid(recipients: &[super::regimes::GridRecipient], facts: &Facts) -> Parts {
    if !facts.personal_data {
        return (
            Verdict::NotReportable,
            vec![],
            vec!["no personal data is involved".into()],
            vec![],
        );
    }
    let (Some(likelihood), Some(harm)) = (facts.likelihood, facts.harm) else {
        let missing = [
            ("likelihood", facts.likelihood.is_none()),
            ("harm", facts.harm.is_none()),
        ]
        .into_iter()
        .filter(|(_, absent)| *absent)
        .map(|(f, _)| f.to_owned())
        .collect();
        return (
            Verdict::NeedsInput,
            vec![],
            vec!["a personal data breach must be graded for likelihood and harm".into()],
            missing,
        );
    };
    let sensitive = facts.data_categories.iter().any(|c| c.is_sensitive());
    let graded = effective_harm(harm, sensitive);
    let mut reasons = vec![format!("graded likelihood {likelihood}, harm {graded}")];
    if graded != harm {
        reasons.push("harm raised to Minor: sensitive data or vulnerable people are involved".into());
    }
    let told: Vec<String> = recipients
        .iter()
        .filter(|r| r.threshold.is_met(likelihood, graded))
        .map(|r| r.recipient.clone())
        .collect();
    if told.is_empty() {
        reasons.push("below every reporting threshold: record it locally".into());
        (Verdict::NotReportable, vec![], reasons, vec![])
    } else {
        (Verdict::Reportable, told, reasons, vec![])
    }
}

fn nis2(recipient: &str, facts: &Facts) -> Parts {
    let mut reasons = Vec::new();
    if facts.severe_disruption_or_loss {
        reasons.push("severe operational disruption or financial loss (Art. 23(3)(a))".to_owned());
    }
    if facts.damage_to_others {
        reasons.push("considerable damage to others (Art. 23(3)(b))".to_owned());
    }
    if reasons.is_empty() {
        let why = vec!["neither severe disruption or loss nor considerable damage to others".to_owned()];
        (Verdict::NotReportable, vec![], why, vec![])
    } else {
        (Verdict::Reportable, vec![recipient.to_owned()], reasons, vec![])
    }
}

enum Outcome {
    Yes(Vec<String>),
    No(Vec<String>),
    Unknown(Vec<String>, Vec<String>),
}

/// The NIS test: only operators of essential services, only when an essential service was
/// disrupted; then any threshold met decides, and otherwise a person's judgement does.
fn significance(facts: &Facts, thresholds: &SignificanceThresholds) -> Outcome {
    if !facts.is_oes {
        return Outcome::No(vec!["the organisation is not an operator of essential services".into()]);
    }
    if !facts.essential_service_disrupted {
        return Outcome::No(vec!["no essential service was disrupted".into()]);
    }
    let met: Vec<String> = [
        at_least(
            facts.users_affected,
            thresholds.users_affected_at_least,
            "users affected",
        ),
        at_least(
            facts.disruption_minutes,
            thresholds.disruption_minutes_at_least,
            "minutes of disruption",
        ),
        at_least(
            facts.regions_affected.map(u64::from),
            thresholds.regions_affected_at_least.map(u64::from),
            "regions affected",
        ),
    ]
    .into_iter()
    .flatten()
    .collect();
    if !met.is_empty() {
        return Outcome::Yes(met);
    }
    match facts.significant_impact {
        Some(true) => Outcome::Yes(vec!["judged a significant impact on the essential service".into()]),
        Some(false) => Outcome::No(vec!["judged not significant: no threshold is met".into()]),
        None => Outcome::Unknown(
            vec!["an essential service was disrupted, and no threshold decides whether significantly".into()],
            vec!["significant_impact".into()],
        ),
    }
}

fn at_least(value: Option<u64>, threshold: Option<u64>, what: &str) -> Option<String> {
    let (v, t) = (value?, threshold?);
    (v >= t).then(|| format!("{v} {what} reaches the threshold of {t}"))
}

/// What changed between two sets of decisions, a line per regime whose verdict or
/// recipients moved, for showing a person what their edit did.
pub fn changes(before: &[Decision], after: &[Decision]) -> Vec<String> {
    let mut lines = Vec::new();
    for new in after {
        match before.iter().find(|d| d.regime == new.regime) {
            None => lines.push(format!("{}: now {}", new.regime, new.verdict)),
            Some(old) if old.verdict != new.verdict => {
                lines.push(format!("{}: {} → {}", new.regime, old.verdict, new.verdict));
            }
            Some(old) if old.recipients != new.recipients => lines.push(format!(
                "{}: report to {} (was {})",
                new.regime,
                list(&new.recipients),
                list(&old.recipients)
            )),
            Some(_) => {}
        }
    }
    for old in before {
        if !after.iter().any(|d| d.regime == old.regime) {
            lines.push(format!("{}: no longer applies", old.regime));
        }
    }
    lines
}

fn list(items: &[String]) -> String {
    if items.is_empty() {
        "nobody".into()
    } else {
        items.join(", ")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::incidents::regimes::pack_for;
    use proptest::prelude::*;

    fn breach(likelihood: Likelihood, harm: Harm) -> Facts {
        Facts {
            personal_data: true,
            likelihood: Some(likelihood),
            harm: Some(harm),
            ..Facts::default()
        }
    }

    #[test]
    fn uk_gdpr_tells_the_ico_and_dhsc_by_the_grid() {
        let pack = pack_for(Regime::UkGdpr).unwrap();
        let d = decide(pack, &breach(Likelihood::Likely, Harm::Minor), None);
        assert_eq!(d.verdict, Verdict::Reportable);
        assert_eq!(d.recipients, ["Information Commissioner's Office (ICO)"]);
        let d = decide(pack, &breach(Likelihood::Occurred, Harm::Serious), None);
        assert_eq!(d.recipients.len(), 2, "{d:?}");
        let d = decide(pack, &breach(Likelihood::NotLikely, Harm::Catastrophic), None);
        assert_eq!(d.verdict, Verdict::NotReportable);
        assert_eq!(d.pack_version, pack.version);
    }

    #[test]
    fn sensitive_data_lifts_no_adverse_effect_to_reportable() {
        let pack = pack_for(Regime::UkGdpr).unwrap();
        let mut facts = breach(Likelihood::Likely, Harm::NoAdverseEffect);
        assert_eq!(decide(pack, &facts, None).verdict, Verdict::NotReportable);
        facts.data_categories = vec![DataCategory::Children];
        let d = decide(pack, &facts, None);
        assert_eq!(d.verdict, Verdict::Reportable);
        assert!(d.reasons.iter().any(|r| r.contains("raised to Minor")), "{d:?}");
    }

    #[test]
    fn an_ungraded_breach_needs_input_naming_what() {
        let pack = pack_for(Regime::UkGdpr).unwrap();
        let facts = Facts {
            personal_data: true,
            likelihood: Some(Likelihood::Likely),
            ..Facts::default()
        };
        let d = decide(pack, &facts, None);
        assert_eq!((d.verdict, d.missing), (Verdict::NeedsInput, vec!["harm".to_owned()]));
        assert_eq!(decide(pack, &Facts::default(), None).verdict, Verdict::NotReportable);
    }

    #[test]
    fn uk_nis_needs_an_oes_a_disruption_and_a_threshold_or_judgement() {
        let pack = pack_for(Regime::UkNis).unwrap();
        let mut facts = Facts {
            is_oes: true,
            essential_service_disrupted: true,
            users_affected: Some(5_000),
            ..Facts::default()
        };
        assert_eq!(
            decide(pack, &facts, None).verdict,
            Verdict::NeedsInput,
            "no thresholds published"
        );
        let set = SignificanceThresholds {
            users_affected_at_least: Some(1_000),
            ..SignificanceThresholds::default()
        };
        let d = decide(pack, &facts, Some(&set));
        assert_eq!(d.verdict, Verdict::Reportable);
        assert!(d.reasons[0].contains("5000 users affected"), "{d:?}");
        facts.significant_impact = Some(false);
        assert_eq!(decide(pack, &facts, None).verdict, Verdict::NotReportable);
        facts.significant_impact = Some(true);
        assert_eq!(decide(pack, &facts, None).verdict, Verdict::Reportable);
        facts.is_oes = false;
        assert_eq!(decide(pack, &facts, None).verdict, Verdict::NotReportable);
    }

    #[test]
    fn nis2_and_the_uk_bill() {
        let nis2 = pack_for(Regime::EuNis2).unwrap();
        let mut facts = Facts::default();
        assert_eq!(decide(nis2, &facts, None).verdict, Verdict::NotReportable);
        facts.damage_to_others = true;
        assert_eq!(decide(nis2, &facts, None).verdict, Verdict::Reportable);
        let bill = pack_for(Regime::UkCsrb).unwrap();
        let facts = Facts {
            is_oes: true,
            capable_of_significant_impact: true,
            ..Facts::default()
        };
        let d = decide(bill, &facts, None);
        assert_eq!(d.verdict, Verdict::Reportable);
        assert!(
            d.recipients.iter().any(|r| r.contains("NCSC")),
            "NCSC told at the same time"
        );
    }

    #[test]
    fn changes_name_each_moved_verdict() {
        let pack = pack_for(Regime::UkGdpr).unwrap();
        let before = [decide(pack, &breach(Likelihood::NotLikely, Harm::Minor), None)];
        let after = [decide(pack, &breach(Likelihood::Likely, Harm::Minor), None)];
        assert_eq!(changes(&before, &after), ["UK GDPR: Not reportable → Reportable"]);
        assert!(changes(&after, &after).is_empty());
        let wider = [decide(pack, &breach(Likelihood::Likely, Harm::Serious), None)];
        assert_eq!(changes(&after, &wider).len(), 1);
    }

    fn likelihood() -> impl Strategy<Value = Likelihood> {
        prop::sample::select(Likelihood::ALL)
    }
    fn harm() -> impl Strategy<Value = Harm> {
        prop::sample::select(Harm::ALL)
    }

    proptest! {
        /// Worse facts never make a reportable breach unreportable, nor shrink who is told.
        #[test]
        fn the_grid_is_monotone(l1 in likelihood(), h1 in harm(), l2 in likelihood(), h2 in harm(), sensitive: bool) {
            let pack = pack_for(Regime::UkGdpr).unwrap();
            let (lo_l, hi_l) = (l1.min(l2), l1.max(l2));
            let (lo_h, hi_h) = (h1.min(h2), h1.max(h2));
            let mut lo = breach(lo_l, lo_h);
            let mut hi = breach(hi_l, hi_h);
            if sensitive {
                lo.data_categories = vec![DataCategory::Health];
                hi.data_categories = vec![DataCategory::Health];
            }
            let (a, b) = (decide(pack, &lo, None), decide(pack, &hi, None));
            prop_assert!(b.recipients.len() >= a.recipients.len());
            prop_assert!(a.verdict != Verdict::Reportable || b.verdict == Verdict::Reportable);
        }
    }
}
