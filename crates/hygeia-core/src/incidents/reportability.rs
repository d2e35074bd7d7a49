//! Reportability decisions: the facts assessed against each regime the organisation is under,
//! previewed before they are recorded, and the clocks they start.

use super::*;

impl Hygeia {
    /// Applies every regime the organisation is under to the facts given, records each
    /// decision with the rationale (not reportable included), and says what changed since the
    /// last decisions.
    /// What the rules say on `facts` under each regime, and what that changes against the
    /// decisions last recorded.
    pub(super) async fn evaluate(
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
        let audit = self.scope_audit(
            scope,
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
