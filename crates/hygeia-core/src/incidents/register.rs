//! The register itself: reporting an incident, the list, one incident with its clocks, decisions and
//! notifications, and its reference.

use super::*;

impl Hygeia {
    pub(super) fn incident_event(
        &self,
        scope: &Scope,
        incident: IncidentId,
        kind: &str,
        body: String,
    ) -> IncidentEvent {
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
        let audit = self.scope_audit(
            scope,
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
}
