//! What the incident API sends and receives. Times are RFC 3339 (UTC) strings.

use super::dto::time;
use hygeia_core::{CoreError, FactsInput, IncidentInput, IncidentView};
use hygeia_domain::FieldError;
use hygeia_domain::incidents::clocks::StageClock;
use hygeia_domain::incidents::reportability::Decision;
use hygeia_store::model::{Incident, IncidentEvent, RecordedDecision};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

/// Reads an RFC 3339 time from the body; the error names the field.
pub(super) fn parse_time(raw: Option<&str>, field: &str, errors: &mut Vec<FieldError>) -> Option<i64> {
    let raw = raw.map(str::trim).filter(|s| !s.is_empty())?;
    match raw.parse::<jiff::Timestamp>() {
        Ok(t) => Some(t.as_millisecond()),
        Err(_) => {
            errors.push(FieldError::new(
                field,
                format!("'{raw}' is not an RFC 3339 time such as 2026-11-23T09:30:00Z"),
            ));
            None
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct IncidentDto {
    pub id: Uuid,
    /// `INC-2026-0042`.
    pub reference: String,
    pub title: String,
    /// ransomware, phishing, data_breach, loss_of_service, medical_device, lost_device,
    /// insider, ddos or other.
    pub category: String,
    /// low, medium, high or critical.
    pub severity: String,
    /// reported, triage, contained, eradicated, recovered or closed.
    pub status: String,
    pub occurred_at: Option<String>,
    pub detected_at: String,
    /// When the organisation became aware: the statutory clocks run from here.
    pub aware_at: String,
    #[schema(value_type = Object)]
    pub details: serde_json::Value,
    #[schema(value_type = Object)]
    pub facts: serde_json::Value,
    pub closed_at: Option<String>,
    pub created_at: String,
    /// Send back as `version` when updating, so concurrent edits are detected.
    pub version: i64,
}

impl From<Incident> for IncidentDto {
    fn from(i: Incident) -> Self {
        IncidentDto {
            id: i.id.0,
            reference: i.reference,
            title: i.title,
            category: i.category.code().into(),
            severity: i.severity.code().into(),
            status: i.status.code().into(),
            occurred_at: i.occurred_at.map(time),
            detected_at: time(i.detected_at),
            aware_at: time(i.aware_at),
            details: serde_json::to_value(&i.details).unwrap_or_default(),
            facts: serde_json::to_value(&i.facts).unwrap_or_default(),
            closed_at: i.closed_at.map(time),
            created_at: time(i.created_at),
            version: i.updated_at,
        }
    }
}

/// Report an incident, or replace its editable fields.
#[derive(Deserialize, ToSchema, Default)]
#[serde(default, deny_unknown_fields)]
pub struct IncidentRequest {
    pub title: String,
    pub category: String,
    pub severity: String,
    pub description: String,
    pub occurred_at: Option<String>,
    pub detected_at: Option<String>,
    pub aware_at: Option<String>,
    pub aware_note: String,
    pub essential_services: String,
    pub systems_affected: String,
    pub disruption_start: Option<String>,
    pub disruption_end: Option<String>,
    pub patients_affected: Option<u64>,
    pub data_subjects: Option<u64>,
    pub records_affected: Option<u64>,
    /// health, other_special, children, vulnerable, financial, identity, contact.
    pub data_categories: Vec<String>,
    pub patient_safety_impact: bool,
    pub cross_border: bool,
    pub suspected_malicious: bool,
    pub third_party: bool,
    pub root_cause: String,
    pub lessons_learned: String,
    /// Required to move `aware_at` once a reportability decision has been recorded.
    pub change_reason: String,
    pub version: Option<i64>,
}

impl IncidentRequest {
    pub fn into_input(self) -> Result<IncidentInput, CoreError> {
        let mut errors = Vec::new();
        let input = IncidentInput {
            occurred_at: parse_time(self.occurred_at.as_deref(), "occurred_at", &mut errors),
            detected_at: parse_time(self.detected_at.as_deref(), "detected_at", &mut errors),
            aware_at: parse_time(self.aware_at.as_deref(), "aware_at", &mut errors),
            disruption_start: parse_time(self.disruption_start.as_deref(), "disruption_start", &mut errors),
            disruption_end: parse_time(self.disruption_end.as_deref(), "disruption_end", &mut errors),
            title: self.title,
            category: self.category,
            severity: self.severity,
            description: self.description,
            aware_note: self.aware_note,
            essential_services: self.essential_services,
            systems_affected: self.systems_affected,
            patients_affected: self.patients_affected,
            data_subjects: self.data_subjects,
            records_affected: self.records_affected,
            data_categories: self.data_categories,
            patient_safety_impact: self.patient_safety_impact,
            cross_border: self.cross_border,
            suspected_malicious: self.suspected_malicious,
            third_party: self.third_party,
            root_cause: self.root_cause,
            lessons_learned: self.lessons_learned,
            change_reason: self.change_reason,
            expected_updated_at: self.version,
        };
        if errors.is_empty() {
            Ok(input)
        } else {
            Err(CoreError::Validation(errors))
        }
    }
}

/// The facts a reportability assessment is made on, and why.
#[derive(Deserialize, ToSchema, Default)]
#[serde(default, deny_unknown_fields)]
pub struct AssessmentRequest {
    pub personal_data: bool,
    /// not_occurred, not_likely, likely, highly_likely, occurred.
    pub likelihood: Option<String>,
    /// no_adverse_effect, minor, adverse, serious, catastrophic.
    pub harm: Option<String>,
    pub essential_service_disrupted: bool,
    pub users_affected: Option<u64>,
    pub regions_affected: Option<u32>,
    /// A person's judgement of significance where no threshold decides: true, false or null.
    pub significant_impact: Option<bool>,
    pub severe_disruption_or_loss: bool,
    pub damage_to_others: bool,
    pub capable_of_significant_impact: bool,
    /// Why: required, and kept with every decision.
    pub rationale: String,
}

impl From<AssessmentRequest> for FactsInput {
    fn from(r: AssessmentRequest) -> Self {
        FactsInput {
            personal_data: r.personal_data,
            likelihood: r.likelihood,
            harm: r.harm,
            essential_service_disrupted: r.essential_service_disrupted,
            users_affected: r.users_affected,
            regions_affected: r.regions_affected,
            significant_impact: r.significant_impact.map(|b| if b { "yes" } else { "no" }.to_owned()),
            severe_disruption_or_loss: r.severe_disruption_or_loss,
            damage_to_others: r.damage_to_others,
            capable_of_significant_impact: r.capable_of_significant_impact,
            rationale: r.rationale,
        }
    }
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct StatusRequest {
    pub status: String,
    #[serde(default)]
    pub note: String,
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NoteRequest {
    pub note: String,
}

#[derive(Serialize, ToSchema)]
pub struct DecisionDto {
    /// uk_gdpr, uk_nis, eu_nis2, eu_gdpr or uk_csrb.
    pub regime: String,
    pub pack_version: String,
    /// reportable, not_reportable or needs_input.
    pub verdict: String,
    pub recipients: Vec<String>,
    pub reasons: Vec<String>,
    pub missing: Vec<String>,
}

impl From<Decision> for DecisionDto {
    fn from(d: Decision) -> Self {
        DecisionDto {
            regime: d.regime.code().into(),
            pack_version: d.pack_version,
            verdict: d.verdict.code().into(),
            recipients: d.recipients,
            reasons: d.reasons,
            missing: d.missing,
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct RecordedDecisionDto {
    pub decision: DecisionDto,
    pub rationale: String,
    pub decided_by: String,
    pub decided_at: String,
}

impl From<RecordedDecision> for RecordedDecisionDto {
    fn from(d: RecordedDecision) -> Self {
        RecordedDecisionDto {
            decision: d.decision.into(),
            rationale: d.rationale,
            decided_by: d.decided_by,
            decided_at: time(d.decided_at),
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct ClockDto {
    pub stage: String,
    pub title: String,
    pub due_at: Option<String>,
    pub submitted_at: Option<String>,
    /// not_due, due, due_soon, overdue, submitted_on_time or submitted_late.
    pub state: String,
}

impl From<StageClock> for ClockDto {
    fn from(c: StageClock) -> Self {
        ClockDto {
            stage: c.stage,
            title: c.title,
            due_at: c.due_at.map(time),
            submitted_at: c.submitted_at.map(time),
            state: c.state.code().into(),
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct RegimeStandingDto {
    pub regime: String,
    pub title: String,
    /// The latest recorded decision, if any.
    pub decision: Option<RecordedDecisionDto>,
    pub clocks: Vec<ClockDto>,
}

#[derive(Serialize, ToSchema)]
pub struct EventDto {
    pub at: String,
    pub actor: String,
    /// created, change, status, note or decision.
    pub kind: String,
    pub body: String,
}

impl From<IncidentEvent> for EventDto {
    fn from(e: IncidentEvent) -> Self {
        EventDto {
            at: time(e.at),
            actor: e.actor_label,
            kind: e.kind,
            body: e.body,
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct TaskDto {
    pub id: Uuid,
    pub title: String,
    /// The role that owns it, if any.
    pub role: Option<String>,
    pub done_at: Option<String>,
    pub done_by: Option<String>,
}

/// An incident with its timeline, standing under each regime, and decision history.
#[derive(Serialize, ToSchema)]
pub struct IncidentDetailDto {
    pub incident: IncidentDto,
    pub tasks: Vec<TaskDto>,
    pub regimes: Vec<RegimeStandingDto>,
    pub timeline: Vec<EventDto>,
    pub decisions: Vec<RecordedDecisionDto>,
}

impl From<IncidentView> for IncidentDetailDto {
    fn from(v: IncidentView) -> Self {
        IncidentDetailDto {
            incident: v.incident.into(),
            tasks: v
                .tasks
                .into_iter()
                .map(|t| TaskDto {
                    id: t.id.0,
                    title: t.title,
                    role: t.role.map(|r| r.code().to_owned()),
                    done_at: t.done_at.map(time),
                    done_by: t.done_by,
                })
                .collect(),
            regimes: v
                .standings
                .into_iter()
                .map(|s| RegimeStandingDto {
                    regime: s.regime.code().into(),
                    title: s.title,
                    decision: s.decision.map(Into::into),
                    clocks: s.clocks.into_iter().map(Into::into).collect(),
                })
                .collect(),
            timeline: v.events.into_iter().map(Into::into).collect(),
            decisions: v.history.into_iter().map(Into::into).collect(),
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct AssessedDto {
    pub decisions: Vec<DecisionDto>,
    /// What changed since the previous decisions, a line per regime.
    pub changes: Vec<String>,
}

#[derive(Serialize, ToSchema)]
pub struct PlaybookTaskDto {
    pub title: String,
    pub role: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub struct ContactDto {
    pub name: String,
    pub how: String,
}

/// One category's playbook in the response plan.
#[derive(Serialize, ToSchema)]
pub struct PlaybookDto {
    pub category: String,
    pub tasks: Vec<PlaybookTaskDto>,
    pub contacts: Vec<ContactDto>,
    /// False while Hygeia's default is in force.
    pub customised: bool,
}

impl From<hygeia_core::PlanEntry> for PlaybookDto {
    fn from(e: hygeia_core::PlanEntry) -> Self {
        PlaybookDto {
            category: e.playbook.category.code().into(),
            tasks: e
                .playbook
                .tasks
                .into_iter()
                .map(|t| PlaybookTaskDto {
                    title: t.title,
                    role: t.role.map(|r| r.code().to_owned()),
                })
                .collect(),
            contacts: e
                .playbook
                .contacts
                .into_iter()
                .map(|c| ContactDto {
                    name: c.name,
                    how: c.how,
                })
                .collect(),
            customised: e.customised.is_some(),
        }
    }
}
