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

impl Hygeia {
    fn incident_event(&self, scope: &Scope, incident: IncidentId, kind: &str, body: String) -> IncidentEvent {
        IncidentEvent {
            id: IncidentEventId(self.new_uuid()),
            incident_id: incident,
            at: self.now_ms(),
            actor_label: scope.actor.label(),
            kind: kind.to_owned(),
            body,
        }
    }

    /// Records a new incident in the register, as reported.
    pub async fn report_incident(&self, scope: &Scope, input: IncidentInput) -> Result<Incident, CoreError> {
        scope.require(Permission::IncidentsManage)?;
        let now = self.now_ms();
        let p = parse(&input, now)?;
        let year = jiff::Timestamp::from_millisecond(p.times.aware_at)
            .map(|t| t.to_zoned_datetime(time_zone(&scope.org)).year())
            .map_err(|e| CoreError::Internal(e.to_string()))?;
        let mut incident = Incident {
            id: IncidentId(self.new_uuid()),
            org_id: scope.org_id(),
            reference: String::new(),
            title: p.title,
            category: p.category,
            severity: p.severity,
            status: IncidentStatus::Reported,
            occurred_at: p.times.occurred_at,
            detected_at: p.times.detected_at,
            aware_at: p.times.aware_at,
            details: p.details,
            facts: Facts {
                is_oes: scope.org.is_oes,
                ..Facts::default()
            },
            created_by: Some(scope.actor.user.id),
            closed_at: None,
            created_at: now,
            updated_at: now,
        };
        let first = self.incident_event(scope, incident.id, "created", format!("Reported: {}", incident.title));
        let audit = self.audit(
            Some(&scope.actor),
            Some(scope.org_id()),
            "incident.report",
            "incident",
            incident.id,
            json!({"title": incident.title, "category": incident.category.code(), "aware_at": incident.aware_at}),
        );
        let tasks = self
            .starting_tasks(scope.org_id(), incident.id, incident.category)
            .await?;
        incident.reference = self
            .store
            .create_incident(&incident, year, &first, &tasks, &audit)
            .await?;
        Ok(incident)
    }

    /// A page of the organisation's register, newest awareness first.
    pub async fn incidents(
        &self,
        scope: &Scope,
        open_only: bool,
        page: PageRequest,
    ) -> Result<Page<Incident>, CoreError> {
        scope.require(Permission::IncidentsView)?;
        Ok(self.store.list_incidents(scope.org_id(), open_only, page).await?)
    }

    /// One incident with its timeline, decisions and clocks.
    pub async fn incident(&self, scope: &Scope, id: IncidentId) -> Result<IncidentView, CoreError> {
        scope.require(Permission::IncidentsView)?;
        let incident = self.store.get_incident(scope.org_id(), id).await?;
        let events = self.store.incident_events(scope.org_id(), id).await?;
        let history = self.store.decisions(scope.org_id(), id).await?;
        let notifications = self.store.incident_notifications(scope.org_id(), id).await?;
        let tasks = self.store.incident_tasks(scope.org_id(), id).await?;
        let requests = self.store.report_requests(scope.org_id(), id).await?;
        let tz = time_zone(&scope.org);
        let now = self.now_ms();
        let mut standings = Vec::new();
        let mut preview = Vec::new();
        for pack in &self.packs(&scope.org).await? {
            let decision = history.iter().find(|d| d.decision.regime == pack.regime).cloned();
            let clocks = match &decision {
                Some(d) if d.decision.verdict == Verdict::Reportable => {
                    clocks_with_submissions(pack, &incident, &notifications, &requests, now, DUE_SOON_MS, &tz)
                }
                _ => Vec::new(),
            };
            preview.push(decide(pack, &incident.facts, None));
            standings.push(RegimeStanding {
                regime: pack.regime,
                title: pack.title.clone(),
                decision,
                clocks,
            });
        }
        let evidence = if scope.allows(Permission::EvidenceView) {
            self.evidence_for(scope, hygeia_domain::evidence::LinkTarget::Incident, &id.to_string())
                .await?
        } else {
            Vec::new()
        };
        let library = if scope.allows(Permission::EvidenceManage) {
            let latest = hygeia_domain::page::PageRequest::new(Some(200), Some(0));
            let page = self.store.evidence_page(scope.org_id(), "", latest).await?;
            page.items
                .into_iter()
                .filter(|i| !evidence.iter().any(|e| e.item.id == i.id))
                .map(|i| (i.id, i.title))
                .collect()
        } else {
            Vec::new()
        };
        let (actions, risks) = if scope.allows(Permission::GovernanceView) {
            (
                self.incident_actions(scope, id).await?,
                self.incident_risks(scope, id).await?,
            )
        } else {
            (Vec::new(), Vec::new())
        };
        let risk_choices = if scope.allows(Permission::RisksManage) {
            let register = self
                .store
                .risks_page(
                    scope.org_id(),
                    hygeia_domain::page::PageRequest::new(Some(200), Some(0)),
                )
                .await?;
            register
                .items
                .into_iter()
                .filter(|r| !risks.iter().any(|l| l.risk.id == r.id))
                .map(|r| (r.id, format!("{} {}", r.reference, r.title)))
                .collect()
        } else {
            Vec::new()
        };
        Ok(IncidentView {
            incident,
            events,
            standings,
            history,
            preview,
            notifications,
            tasks,
            evidence,
            library,
            actions,
            risks,
            risk_choices,
        })
    }

    /// An incident's reference (`INC-2026-0042`), for pages that point to it.
    pub async fn incident_reference(&self, scope: &Scope, id: IncidentId) -> Result<String, CoreError> {
        scope.require(Permission::IncidentsView)?;
        Ok(self.store.get_incident(scope.org_id(), id).await?.reference)
    }

    /// Edits an incident's description, times and impact. Every changed field goes on the
    /// timeline; moving the awareness time once a decision rests on it needs a reason.
    pub async fn update_incident(
        &self,
        scope: &Scope,
        id: IncidentId,
        input: IncidentInput,
    ) -> Result<Incident, CoreError> {
        scope.require(Permission::IncidentsManage)?;
        let before = self.store.get_incident(scope.org_id(), id).await?;
        let now = self.now_ms();
        let p = parse(&input, now)?;
        let mut after = before.clone();
        after.title = p.title;
        after.category = p.category;
        after.severity = p.severity;
        after.occurred_at = p.times.occurred_at;
        after.detected_at = p.times.detected_at;
        after.aware_at = p.times.aware_at;
        after.details = p.details;
        after.facts.data_categories = after.details.data_categories.clone();
        after.updated_at = now.max(before.updated_at + 1);
        let reason = input.change_reason.trim();
        if after.aware_at != before.aware_at && reason.is_empty() {
            let decided = !self.store.decisions(scope.org_id(), id).await?.is_empty();
            if decided {
                return Err(CoreError::Validation(vec![FieldError::new(
                    "change_reason",
                    "is required: the awareness time starts the statutory clocks",
                )]));
            }
        }
        let changes = diff(&[
            ("title", json!(before.title), json!(after.title)),
            ("category", json!(before.category), json!(after.category)),
            ("severity", json!(before.severity), json!(after.severity)),
            ("occurred_at", json!(before.occurred_at), json!(after.occurred_at)),
            ("detected_at", json!(before.detected_at), json!(after.detected_at)),
            ("aware_at", json!(before.aware_at), json!(after.aware_at)),
            ("details", json!(before.details), json!(after.details)),
        ]);
        let Some(changed) = changes.as_object().filter(|m| !m.is_empty()) else {
            return Ok(before);
        };
        let mut body = format!("Changed: {}", changed.keys().cloned().collect::<Vec<_>>().join(", "));
        if !reason.is_empty() {
            body.push_str(&format!(". Reason: {reason}"));
        }
        let mut events = vec![self.incident_event(scope, id, "change", body)];
        if after.aware_at != before.aware_at {
            // Its own entry, which the regulator is shown beside the notifications it received.
            let zone = jiff::tz::TimeZone::get(&scope.org.time_zone).unwrap_or(jiff::tz::TimeZone::UTC);
            let at = |ms: i64| {
                jiff::Timestamp::from_millisecond(ms)
                    .map(|t| {
                        t.to_zoned_datetime(zone.clone())
                            .strftime("%-d %b %Y %H:%M %Z")
                            .to_string()
                    })
                    .unwrap_or_default()
            };
            let mut text = format!(
                "Awareness time moved from {} to {}",
                at(before.aware_at),
                at(after.aware_at)
            );
            if !reason.is_empty() {
                text.push_str(&format!(". Reason: {reason}"));
            }
            events.push(self.incident_event(scope, id, "awareness", text));
        }
        let mut audit_changes = changes.clone();
        if let Some(map) = audit_changes.as_object_mut()
            && !reason.is_empty()
        {
            map.insert("reason".into(), json!(reason));
        }
        let audit = self.audit(
            Some(&scope.actor),
            Some(scope.org_id()),
            "incident.update",
            "incident",
            id,
            audit_changes,
        );
        let expected = input.expected_updated_at.unwrap_or(before.updated_at);
        let clocks = self.clock_rows(&scope.org, &after, None, Pending::Nothing).await?;
        // A new category brings its playbook's tasks, less any the incident already has.
        let tasks = if after.category == before.category {
            Vec::new()
        } else {
            let existing = self.store.incident_tasks(scope.org_id(), id).await?;
            self.starting_tasks(scope.org_id(), id, after.category)
                .await?
                .into_iter()
                .filter(|t| !existing.iter().any(|e| e.title == t.title))
                .collect()
        };
        self.store
            .update_incident(&after, expected, &events, (&clocks, &tasks), &audit)
            .await?;
        Ok(after)
    }

    /// Moves an incident along its lifecycle (forward, or reopening a closed one).
    pub async fn set_incident_status(
        &self,
        scope: &Scope,
        id: IncidentId,
        status: &str,
        note: &str,
    ) -> Result<Incident, CoreError> {
        scope.require(Permission::IncidentsManage)?;
        let next = IncidentStatus::parse(status.trim(), "status")?;
        let before = self.store.get_incident(scope.org_id(), id).await?;
        if !before.status.can_move_to(next) {
            return Err(CoreError::Validation(vec![FieldError::new(
                "status",
                format!("cannot move from {} to {}", before.status, next),
            )]));
        }
        let now = self.now_ms();
        let mut after = before.clone();
        after.status = next;
        after.closed_at = (next == IncidentStatus::Closed).then_some(now);
        after.updated_at = now.max(before.updated_at + 1);
        let mut body = format!("Status: {} → {}", before.status, next);
        let note = note.trim();
        if !note.is_empty() {
            body.push_str(&format!(". {note}"));
        }
        let events = [self.incident_event(scope, id, "status", body)];
        let audit = self.audit(
            Some(&scope.actor),
            Some(scope.org_id()),
            "incident.status",
            "incident",
            id,
            diff(&[("status", json!(before.status), json!(after.status))]),
        );
        let clocks = self.clock_rows(&scope.org, &after, None, Pending::Nothing).await?;
        self.store
            .update_incident(&after, before.updated_at, &events, (&clocks, &[]), &audit)
            .await?;
        Ok(after)
    }

    /// Adds a note to an incident's timeline.
    pub async fn add_incident_note(&self, scope: &Scope, id: IncidentId, note: &str) -> Result<(), CoreError> {
        scope.require(Permission::IncidentsManage)?;
        let mut errors = Collector::new();
        let note = text(note, "note", TEXT_MAX, true, &mut errors);
        errors.finish()?;
        let event = self.incident_event(scope, id, "note", note);
        let audit = self.audit(
            Some(&scope.actor),
            Some(scope.org_id()),
            "incident.note",
            "incident",
            id,
            json!({"note": event.body}),
        );
        Ok(self.store.add_incident_event(scope.org_id(), &event, &audit).await?)
    }

    /// Applies every regime the organisation is under to the facts given, records each
    /// decision with the rationale (not reportable included), and says what changed since the
    /// last decisions.
    /// What the rules say on `facts` under each regime, and what that changes against the
    /// decisions last recorded.
    async fn evaluate(
        &self,
        scope: &Scope,
        id: IncidentId,
        facts: &Facts,
    ) -> Result<(Vec<Decision>, Vec<String>), CoreError> {
        let previous = self.store.decisions(scope.org_id(), id).await?;
        let packs = self.packs(&scope.org).await?;
        let decisions: Vec<Decision> = packs.iter().map(|p| decide(p, facts, None)).collect();
        let before: Vec<Decision> = packs
            .iter()
            .filter_map(|p| {
                previous
                    .iter()
                    .find(|d| d.decision.regime == p.regime)
                    .map(|d| d.decision.clone())
            })
            .collect();
        let changed = if previous.is_empty() {
            Vec::new()
        } else {
            changes(&before, &decisions)
        };
        Ok((decisions, changed))
    }

    /// What recording these facts would decide, and change, without recording anything.
    pub async fn preview_assessment(
        &self,
        scope: &Scope,
        id: IncidentId,
        mut input: FactsInput,
    ) -> Result<Assessed, CoreError> {
        scope.require(Permission::IncidentsDecide)?;
        let incident = self.store.get_incident(scope.org_id(), id).await?;
        if input.rationale.trim().is_empty() {
            // A preview needs no reasons yet; recording it will.
            input.rationale = "preview".into();
        }
        let facts = parse_facts(&input, &scope.org, &incident.details, self.now_ms())?;
        let (decisions, changes) = self.evaluate(scope, id, &facts).await?;
        Ok(Assessed { decisions, changes })
    }

    pub async fn assess_incident(
        &self,
        scope: &Scope,
        id: IncidentId,
        input: FactsInput,
    ) -> Result<Assessed, CoreError> {
        scope.require(Permission::IncidentsDecide)?;
        let incident = self.store.get_incident(scope.org_id(), id).await?;
        let now = self.now_ms();
        let facts = parse_facts(&input, &scope.org, &incident.details, now)?;
        let (decisions, changed) = self.evaluate(scope, id, &facts).await?;
        let rationale = input.rationale.trim().to_owned();
        let recorded: Vec<RecordedDecision> = decisions
            .iter()
            .map(|d| RecordedDecision {
                id: DecisionId(self.new_uuid()),
                incident_id: id,
                decision: d.clone(),
                facts: facts.clone(),
                rationale: rationale.clone(),
                decided_by: scope.actor.label(),
                decided_at: now,
            })
            .collect();
        let summary = decisions
            .iter()
            .map(|d| format!("{}: {}", d.regime, d.verdict))
            .collect::<Vec<_>>()
            .join("; ");
        let mut body = if summary.is_empty() {
            format!("Reportability assessed (the organisation is under no regime). {rationale}")
        } else {
            format!("Reportability assessed: {summary}. {rationale}")
        };
        if !changed.is_empty() {
            body.push_str(&format!(" Changed: {}.", changed.join("; ")));
        }
        let entry = self.incident_event(scope, id, "decision", body);
        let audit = self.audit(
            Some(&scope.actor),
            Some(scope.org_id()),
            "incident.decide",
            "incident",
            id,
            json!({"decisions": decisions, "rationale": rationale, "changes": changed}),
        );
        let clocks = self
            .clock_rows(&scope.org, &incident, Some(&decisions), Pending::Nothing)
            .await?;
        let assessment = Assessment {
            org: scope.org_id(),
            facts: &facts,
            at: now.max(incident.updated_at + 1),
            decisions: &recorded,
            entry: &entry,
            clocks: &clocks,
        };
        self.store.record_decisions(&assessment, &audit).await?;
        Ok(Assessed {
            decisions,
            changes: changed,
        })
    }
}
