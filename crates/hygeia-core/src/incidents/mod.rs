//! The incident register: reporting, editing, status, notes, reportability decisions and the
//! statutory clocks that follow from them.

use crate::access::Scope;
use crate::audit::diff;
use crate::clocks::Pending;
use crate::notifications::clocks_with_submissions;
use crate::{CoreError, Hygeia};
use hygeia_domain::ids::{DecisionId, IncidentEventId, IncidentId};
use hygeia_domain::incidents::clocks::StageClock;
use hygeia_domain::incidents::grid::{Harm, Likelihood};
use hygeia_domain::incidents::regimes::{RegimePack, pack_for, with_settings};
use hygeia_domain::incidents::reportability::{Decision, Facts, Verdict, changes, decide};
use hygeia_domain::incidents::{
    DataCategory, IncidentCategory, IncidentDetails, IncidentSeverity, IncidentStatus, IncidentTimes,
};
use hygeia_domain::org::Regime;
use hygeia_domain::page::{Page, PageRequest};
use hygeia_domain::permissions::Permission;
use hygeia_domain::validation::{Collector, FieldError};
use hygeia_store::model::{Assessment, Incident, IncidentEvent, IncidentTask, Notification, Org, RecordedDecision};
use serde_json::json;

mod changes;
mod register;
mod reportability;

/// How long before a deadline a clock shows as due soon.
const DUE_SOON_MS: i64 = 12 * 3_600_000;
const TITLE_MAX: usize = 200;
const TEXT_MAX: usize = 20_000;

/// An incident as reported or edited (raw values, validated here). Times are Unix
/// milliseconds; the web layer reads them in the organisation's time zone.
#[derive(Debug, Clone, Default)]
pub struct IncidentInput {
    pub title: String,
    pub category: String,
    pub severity: String,
    pub description: String,
    pub occurred_at: Option<i64>,
    pub detected_at: Option<i64>,
    pub aware_at: Option<i64>,
    pub aware_note: String,
    pub essential_services: String,
    pub systems_affected: String,
    pub disruption_start: Option<i64>,
    pub disruption_end: Option<i64>,
    pub patients_affected: Option<u64>,
    pub data_subjects: Option<u64>,
    pub records_affected: Option<u64>,
    pub data_categories: Vec<String>,
    pub patient_safety_impact: bool,
    pub cross_border: bool,
    pub suspected_malicious: bool,
    pub third_party: bool,
    pub root_cause: String,
    pub lessons_learned: String,
    /// Needed to move the awareness time once a reportability decision rests on it.
    pub change_reason: String,
    /// The version the editor saw; a stale edit is refused.
    pub expected_updated_at: Option<i64>,
}

/// The facts a reportability assessment is made on (raw codes, validated here).
#[derive(Debug, Clone, Default)]
pub struct FactsInput {
    pub personal_data: bool,
    pub likelihood: Option<String>,
    pub harm: Option<String>,
    pub essential_service_disrupted: bool,
    pub users_affected: Option<u64>,
    pub regions_affected: Option<u32>,
    /// "yes", "no", or blank for not judged.
    pub significant_impact: Option<String>,
    pub severe_disruption_or_loss: bool,
    pub damage_to_others: bool,
    pub capable_of_significant_impact: bool,
    pub rationale: String,
}

/// One regime's standing for an incident: its latest recorded decision and, if that made
/// the incident reportable, the clocks.
#[derive(Debug, Clone)]
pub struct RegimeStanding {
    pub regime: Regime,
    pub title: String,
    pub decision: Option<RecordedDecision>,
    pub clocks: Vec<StageClock>,
}

/// Everything the incident page shows.
#[derive(Debug, Clone)]
pub struct IncidentView {
    pub incident: Incident,
    pub events: Vec<IncidentEvent>,
    pub standings: Vec<RegimeStanding>,
    /// Every decision ever recorded, newest first.
    pub history: Vec<RecordedDecision>,
    /// What the rules say on the facts as they stand now (before anyone records it).
    pub preview: Vec<Decision>,
    /// Every notification sent about the incident, every version.
    pub notifications: Vec<Notification>,
    /// The response tasks, in order.
    pub tasks: Vec<IncidentTask>,
    /// Evidence attached to the incident (empty for those who may not see evidence).
    pub evidence: Vec<crate::EvidenceRow>,
    /// The library's latest items, to attach one already there (only for those who may).
    pub library: Vec<(hygeia_domain::ids::EvidenceId, String)>,
    /// Improvement actions raised from the incident (empty for those who may not see them).
    pub actions: Vec<crate::ActionRow>,
    /// Risks linked to the incident, and the register's other open risks to link (for
    /// those who may).
    pub risks: Vec<crate::RiskRow>,
    pub risk_choices: Vec<(hygeia_domain::ids::RiskId, String)>,
}

/// The outcome of recording an assessment: the decisions and what they changed.
#[derive(Debug, Clone)]
pub struct Assessed {
    pub decisions: Vec<Decision>,
    pub changes: Vec<String>,
}

fn text(value: &str, field: &str, max: usize, required: bool, errors: &mut Collector) -> String {
    let v = value.trim();
    if required && v.is_empty() {
        errors.push(FieldError::new(field, "is required"));
    } else if v.chars().count() > max {
        errors.push(FieldError::new(field, format!("must be at most {max} characters")));
    }
    v.to_owned()
}

fn parse_details(input: &IncidentInput, errors: &mut Collector) -> IncidentDetails {
    let data_categories = input
        .data_categories
        .iter()
        .filter_map(|c| errors.check(DataCategory::parse(c.trim(), "data_categories")))
        .collect();
    if let (Some(start), Some(end)) = (input.disruption_start, input.disruption_end)
        && end < start
    {
        errors.push(FieldError::new(
            "disruption_end",
            "cannot be before the disruption started",
        ));
    }
    IncidentDetails {
        description: text(&input.description, "description", TEXT_MAX, false, errors),
        aware_note: text(&input.aware_note, "aware_note", TEXT_MAX, false, errors),
        essential_services: text(&input.essential_services, "essential_services", TEXT_MAX, false, errors),
        systems_affected: text(&input.systems_affected, "systems_affected", TEXT_MAX, false, errors),
        disruption_start: input.disruption_start,
        disruption_end: input.disruption_end,
        patients_affected: input.patients_affected,
        data_subjects: input.data_subjects,
        records_affected: input.records_affected,
        data_categories,
        patient_safety_impact: input.patient_safety_impact,
        cross_border: input.cross_border,
        suspected_malicious: input.suspected_malicious,
        third_party: input.third_party,
        root_cause: text(&input.root_cause, "root_cause", TEXT_MAX, false, errors),
        lessons_learned: text(&input.lessons_learned, "lessons_learned", TEXT_MAX, false, errors),
    }
}

/// The validated parts of an incident input.
struct Parsed {
    title: String,
    category: IncidentCategory,
    severity: IncidentSeverity,
    times: IncidentTimes,
    details: IncidentDetails,
}

fn parse(input: &IncidentInput, now: i64) -> Result<Parsed, CoreError> {
    let mut errors = Collector::new();
    let title = text(&input.title, "title", TITLE_MAX, true, &mut errors);
    let category = errors.check(IncidentCategory::parse(input.category.trim(), "category"));
    let severity = errors.check(IncidentSeverity::parse(input.severity.trim(), "severity"));
    if input.detected_at.is_none() {
        errors.push(FieldError::new("detected_at", "is required"));
    }
    if input.aware_at.is_none() {
        errors.push(FieldError::new("aware_at", "is required"));
    }
    let details = parse_details(input, &mut errors);
    let times = match (input.detected_at, input.aware_at) {
        (Some(detected_at), Some(aware_at)) => {
            let times = IncidentTimes {
                occurred_at: input.occurred_at,
                detected_at,
                aware_at,
            };
            errors.check(times.validate(now)).map(|()| times)
        }
        _ => None,
    };
    errors.finish()?;
    match (category, severity, times) {
        (Some(category), Some(severity), Some(times)) => Ok(Parsed {
            title,
            category,
            severity,
            times,
            details,
        }),
        _ => Err(CoreError::Internal("validated fields missing".into())),
    }
}

fn parse_facts(input: &FactsInput, org: &Org, details: &IncidentDetails, now: i64) -> Result<Facts, CoreError> {
    let mut errors = Collector::new();
    let code = |raw: &Option<String>| {
        raw.as_deref()
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(str::to_owned)
    };
    let likelihood = code(&input.likelihood).and_then(|c| errors.check(Likelihood::parse(&c, "likelihood")));
    let harm = code(&input.harm).and_then(|c| errors.check(Harm::parse(&c, "harm")));
    let significant_impact = match code(&input.significant_impact).as_deref() {
        None => None,
        Some("yes") => Some(true),
        Some("no") => Some(false),
        Some(other) => {
            errors.push(FieldError::new(
                "significant_impact",
                format!("'{other}' is not one of: yes, no"),
            ));
            None
        }
    };
    if input.rationale.trim().is_empty() {
        errors.push(FieldError::new(
            "rationale",
            "is required: every decision, 'not reportable' included, is kept with its reasons",
        ));
    }
    errors.finish()?;
    Ok(Facts {
        is_oes: org.is_oes,
        personal_data: input.personal_data,
        likelihood,
        harm,
        data_categories: details.data_categories.clone(),
        essential_service_disrupted: input.essential_service_disrupted,
        users_affected: input.users_affected,
        disruption_minutes: details.disruption_minutes(now),
        regions_affected: input.regions_affected,
        significant_impact,
        severe_disruption_or_loss: input.severe_disruption_or_loss,
        damage_to_others: input.damage_to_others,
        capable_of_significant_impact: input.capable_of_significant_impact,
    })
}

impl Hygeia {
    /// The packs of the regimes the organisation is under, in the regimes' order, with its
    /// regulator's settings applied.
    pub(crate) async fn packs(&self, org: &Org) -> Result<Vec<RegimePack>, CoreError> {
        let settings = match org.regulator_id {
            Some(r) => self.store.regime_settings(r).await?,
            None => Vec::new(),
        };
        org.regimes
            .iter()
            .map(|r| {
                let pack = pack_for(*r).map_err(CoreError::Internal)?;
                Ok(match settings.iter().find(|(regime, _)| regime == r) {
                    Some((_, s)) => with_settings(pack, s),
                    None => pack.clone(),
                })
            })
            .collect()
    }
}

fn time_zone(org: &Org) -> jiff::tz::TimeZone {
    jiff::tz::TimeZone::get(&org.time_zone).unwrap_or(jiff::tz::TimeZone::UTC)
}
