//! Regime packs: one versioned data file per statutory reporting regime (`regimes/*.json` at
//! the repository root), saying which test decides whether an incident is reportable, to
//! whom, and the stages of notification with their deadlines, contents and sources.

use super::grid::GridThreshold;
use crate::org::{Regime, coded_enum};
use serde::{Deserialize, Serialize};
use std::sync::OnceLock;

/// Where a rule comes from: the clause and, where public, its address.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Source {
    pub title: String,
    #[serde(default)]
    pub url: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RegimePack {
    pub regime: Regime,
    /// The pack's own version: a decision records it, so a later change of rules does not
    /// rewrite the reasons for an old decision.
    pub version: String,
    pub title: String,
    /// Off unless an organisation turns it on (the draft UK bill).
    pub draft: bool,
    pub test: Test,
    pub stages: Vec<Stage>,
    pub sources: Vec<Source>,
}

/// The test that decides reportability.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case", deny_unknown_fields)]
pub enum Test {
    /// Personal data breaches, graded on the breach assessment grid: reportable to each
    /// recipient whose threshold the graded cell reaches.
    BreachGrid { recipients: Vec<GridRecipient> },
    /// A significant impact on the continuity of an essential service (UK NIS reg 11(1)),
    /// weighed on users affected, duration and geographic spread (reg 11(2)). No thresholds
    /// are published, so each is optional and editable; with none met, a person's judgement
    /// decides.
    SignificantImpact {
        recipient: String,
        thresholds: SignificanceThresholds,
        source: Source,
    },
    /// NIS2 Article 23(3): severe operational disruption or financial loss for the entity,
    /// or considerable damage to others.
    Nis2Significant { recipient: String, source: Source },
    /// The UK bill's wider test: an incident that had, or was capable of having, a
    /// significant impact, told to the regulator with the NCSC at the same time.
    CapableOfSignificantImpact {
        recipient: String,
        also_inform: Vec<String>,
        source: Source,
    },
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GridRecipient {
    pub recipient: String,
    pub threshold: GridThreshold,
    pub source: Source,
}

/// Thresholds a competent authority may set for "significant"; any one met is enough.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SignificanceThresholds {
    pub users_affected_at_least: Option<u64>,
    pub disruption_minutes_at_least: Option<u64>,
    pub regions_affected_at_least: Option<u32>,
}

/// One report the regime asks for.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Stage {
    pub code: String,
    pub title: String,
    pub due: Due,
    /// What the report must contain.
    pub contents: Vec<ContentField>,
    pub source: Source,
}

/// When a stage falls due.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case", deny_unknown_fields)]
pub enum Due {
    /// Elapsed hours from awareness: "within 72 hours" is 72 real hours, whatever the clocks
    /// on the wall do meanwhile.
    HoursAfterAwareness { hours: u32 },
    /// Calendar months after another stage was submitted (or, until it is, after that
    /// stage's own due time), counted in the organisation's time zone.
    MonthsAfterStage { stage: String, months: u32 },
    /// Only when the authority asks (NIS2's intermediate report).
    OnRequest,
    /// Due with `stage` if the incident is still open when `stage` falls due (NIS2's progress
    /// report in place of a final report).
    IfOpenAtStage { stage: String },
}

coded_enum!(
    /// The pieces of information a notification can be required to carry.
    ContentField {
        OperatorName = "operator_name", "Organisation's name";
        EssentialServices = "essential_services", "Essential services affected";
        OccurredAt = "occurred_at", "When the incident occurred";
        AwareAt = "aware_at", "When the organisation became aware";
        Duration = "duration", "Duration of the disruption";
        NatureAndImpact = "nature_and_impact", "Nature and impact of the incident";
        CrossBorder = "cross_border", "Cross-border impact";
        SuspectedMalicious = "suspected_malicious", "Whether unlawful or malicious action is suspected";
        DataCategoriesAndNumbers = "data_categories_and_numbers", "Categories and approximate numbers of people and records";
        Contact = "contact", "Contact point (data protection officer)";
        LikelyConsequences = "likely_consequences", "Likely consequences";
        Measures = "measures", "Measures taken or proposed";
        SeverityAssessment = "severity_assessment", "Assessment of severity and impact";
        IndicatorsOfCompromise = "indicators_of_compromise", "Indicators of compromise";
        RootCause = "root_cause", "Threat type or root cause";
        Mitigation = "mitigation", "Mitigation applied and ongoing";
        ReasonForDelay = "reason_for_delay", "Reasons for any delay";
        OtherInformation = "other_information", "Other helpful information";
    }
);

const BUILT_IN: &[(&str, &str)] = &[
    ("uk_gdpr.json", include_str!("../../../../regimes/uk_gdpr.json")),
    ("uk_nis.json", include_str!("../../../../regimes/uk_nis.json")),
    ("eu_nis2.json", include_str!("../../../../regimes/eu_nis2.json")),
    ("eu_gdpr.json", include_str!("../../../../regimes/eu_gdpr.json")),
    ("uk_csrb.json", include_str!("../../../../regimes/uk_csrb.json")),
];

/// The packs built into this release, one per regime.
pub fn built_in() -> Result<&'static [RegimePack], String> {
    static PACKS: OnceLock<Result<Vec<RegimePack>, String>> = OnceLock::new();
    PACKS
        .get_or_init(|| BUILT_IN.iter().map(|(name, text)| parse(name, text)).collect())
        .as_deref()
        .map_err(Clone::clone)
}

/// The built-in pack for a regime.
pub fn pack_for(regime: Regime) -> Result<&'static RegimePack, String> {
    built_in()?
        .iter()
        .find(|p| p.regime == regime)
        .ok_or_else(|| format!("no regime pack for {}", regime.code()))
}

/// Reads a pack and checks it hangs together; errors name the file and where.
pub fn parse(name: &str, text: &str) -> Result<RegimePack, String> {
    let pack: RegimePack =
        serde_json::from_str(text).map_err(|e| format!("{name}: line {}, column {}: {e}", e.line(), e.column()))?;
    check(&pack).map_err(|e| format!("{name}: {e}"))?;
    Ok(pack)
}

fn check(pack: &RegimePack) -> Result<(), String> {
    if pack.stages.is_empty() {
        return Err("/stages: a regime needs at least one stage".into());
    }
    for (i, stage) in pack.stages.iter().enumerate() {
        if pack.stages[..i].iter().any(|s| s.code == stage.code) {
            return Err(format!("/stages/{i}/code: '{}' is used twice", stage.code));
        }
        let refers_to = match &stage.due {
            Due::MonthsAfterStage { stage, .. } | Due::IfOpenAtStage { stage } => Some(stage),
            Due::HoursAfterAwareness { .. } | Due::OnRequest => None,
        };
        // Only earlier stages may be referred to, so computing due times never loops.
        if let Some(other) = refers_to
            && !pack.stages[..i].iter().any(|s| &s.code == other)
        {
            return Err(format!("/stages/{i}/due/stage: '{other}' is not an earlier stage"));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_built_in_pack_reads_and_covers_its_regime_once() {
        let packs = built_in().unwrap();
        for regime in Regime::ALL {
            assert_eq!(packs.iter().filter(|p| p.regime == *regime).count(), 1, "{regime}");
        }
        assert!(
            pack_for(Regime::UkCsrb).unwrap().draft,
            "the bill is not law: off by default"
        );
        assert!(!pack_for(Regime::UkNis).unwrap().draft);
    }

    #[test]
    fn statutory_deadlines_are_as_the_sources_say() {
        let hours = |r: Regime, stage: &str| match &pack_for(r)
            .unwrap()
            .stages
            .iter()
            .find(|s| s.code == stage)
            .unwrap()
            .due
        {
            Due::HoursAfterAwareness { hours } => *hours,
            other => panic!("{other:?}"),
        };
        assert_eq!(hours(Regime::UkGdpr, "notification"), 72);
        assert_eq!(hours(Regime::EuGdpr, "notification"), 72);
        assert_eq!(hours(Regime::UkNis, "notification"), 72);
        assert_eq!(hours(Regime::EuNis2, "early_warning"), 24);
        assert_eq!(hours(Regime::EuNis2, "notification"), 72);
        assert_eq!(hours(Regime::UkCsrb, "initial"), 24);
        assert_eq!(hours(Regime::UkCsrb, "full_report"), 72);
        let nis2 = pack_for(Regime::EuNis2).unwrap();
        let final_report = nis2.stages.iter().find(|s| s.code == "final").unwrap();
        assert_eq!(
            final_report.due,
            Due::MonthsAfterStage {
                stage: "notification".into(),
                months: 1
            }
        );
    }

    #[test]
    fn a_bad_pack_is_refused_with_where() {
        let err = parse("x.json", "{\"regime\": \"uk_nis\"}").unwrap_err();
        assert!(err.starts_with("x.json: line 1"), "{err}");
        let mut pack = pack_for(Regime::EuNis2).unwrap().clone();
        pack.stages.reverse();
        let err = check(&pack).unwrap_err();
        assert!(err.contains("is not an earlier stage"), "{err}");
    }
}

/// A competent authority's own settings for a regime: the thresholds the pack leaves open
/// (NIS significance) or that the sources disagree on (the breach grid's recipients).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct RegimeSettings {
    pub significance: Option<SignificanceThresholds>,
    pub grid: Vec<GridOverride>,
    /// Recorded in each decision's rule version, e.g. `X26CA 2026-11-24T10:00:00Z`.
    pub label: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GridOverride {
    pub recipient: String,
    pub threshold: GridThreshold,
}

/// The pack as a regulator's settings make it: thresholds replaced, and the version saying
/// so, so a decision records which rules it was made under.
pub fn with_settings(pack: &RegimePack, settings: &RegimeSettings) -> RegimePack {
    let mut p = pack.clone();
    match &mut p.test {
        Test::SignificantImpact { thresholds, .. } => {
            if let Some(s) = settings.significance {
                *thresholds = s;
            }
        }
        Test::BreachGrid { recipients } => {
            for r in recipients.iter_mut() {
                if let Some(o) = settings.grid.iter().find(|o| o.recipient == r.recipient) {
                    r.threshold = o.threshold;
                }
            }
        }
        Test::Nis2Significant { .. } | Test::CapableOfSignificantImpact { .. } => {}
    }
    if !settings.label.is_empty() {
        p.version = format!("{}+{}", pack.version, settings.label);
    }
    p
}

#[cfg(test)]
mod settings_tests {
    use super::*;
    use crate::incidents::grid::{Harm, Likelihood};

    #[test]
    fn settings_replace_thresholds_and_mark_the_version() {
        let nis = pack_for(Regime::UkNis).unwrap();
        let set = RegimeSettings {
            significance: Some(SignificanceThresholds {
                users_affected_at_least: Some(500),
                ..SignificanceThresholds::default()
            }),
            label: "X26CA 2026-11-24".into(),
            ..RegimeSettings::default()
        };
        let p = with_settings(nis, &set);
        assert_eq!(p.version, "2026.1+X26CA 2026-11-24");
        assert!(
            matches!(p.test, Test::SignificantImpact { thresholds, .. } if thresholds.users_affected_at_least == Some(500))
        );
        let gdpr = pack_for(Regime::UkGdpr).unwrap();
        let stricter = GridThreshold {
            likelihood_at_least: Likelihood::Likely,
            harm_at_least: Harm::Adverse,
        };
        let set = RegimeSettings {
            grid: vec![GridOverride {
                recipient: "DHSC and NHS England".into(),
                threshold: stricter,
            }],
            ..RegimeSettings::default()
        };
        let p = with_settings(gdpr, &set);
        let Test::BreachGrid { recipients } = &p.test else {
            panic!()
        };
        assert_eq!(recipients[1].threshold, stricter);
        assert_eq!(p.version, gdpr.version, "no label, no change of version");
    }
}
