//! The risk register: risks added and edited, listed, and linked to the incidents that bear
//! on them.

use super::*;

impl Hygeia {
    pub async fn add_risk(&self, scope: &Scope, input: RiskInput) -> Result<RiskRow, CoreError> {
        scope.require(Permission::RisksManage)?;
        let f = check_risk(&input)?;
        let now = self.now_ms();
        let by = scope.actor.label();
        let risk = Risk {
            id: RiskId(self.new_uuid()),
            org_id: scope.org_id(),
            reference: String::new(),
            title: f.title,
            description: f.description,
            likelihood: f.likelihood,
            impact: f.impact,
            treatment: f.treatment,
            owner: f.owner,
            status: f.status,
            review_by: f.review_by,
            created_by: by.clone(),
            created_at: now,
            updated_by: by,
            updated_at: now,
        };
        let audit = self.scope_audit(scope, "risk.add",
            "risk",
            risk.id,
            json!({"title": risk.title, "likelihood": risk.likelihood, "impact": risk.impact, "treatment": risk.treatment.code()}),
        );
        self.store.add_risk(&risk, &audit).await?;
        Ok(risk_row(self.store.get_risk(scope.org_id(), risk.id).await?))
    }

    pub async fn update_risk(&self, scope: &Scope, id: RiskId, input: RiskInput) -> Result<RiskRow, CoreError> {
        scope.require(Permission::RisksManage)?;
        let before = self.store.get_risk(scope.org_id(), id).await?;
        let f = check_risk(&input)?;
        let after = Risk {
            title: f.title,
            description: f.description,
            likelihood: f.likelihood,
            impact: f.impact,
            treatment: f.treatment,
            owner: f.owner,
            status: f.status,
            review_by: f.review_by,
            updated_by: scope.actor.label(),
            updated_at: self.now_ms(),
            ..before.clone()
        };
        let audit = self.scope_audit(
            scope,
            "risk.update",
            "risk",
            id,
            json!({
                "score": {"from": before.likelihood * before.impact, "to": after.likelihood * after.impact},
                "status": {"from": before.status.code(), "to": after.status.code()},
                "treatment": {"from": before.treatment.code(), "to": after.treatment.code()},
            }),
        );
        self.store.update_risk(&after, &audit).await?;
        Ok(risk_row(self.store.get_risk(scope.org_id(), id).await?))
    }

    /// The risk register, open risks first, highest score first.
    pub async fn risks(&self, scope: &Scope, page: PageRequest) -> Result<Page<RiskRow>, CoreError> {
        scope.require(Permission::GovernanceView)?;
        let found = self.store.risks_page(scope.org_id(), page).await?;
        Ok(Page {
            items: found.items.into_iter().map(risk_row).collect(),
            total: found.total,
            limit: found.limit,
            offset: found.offset,
        })
    }

    /// A risk with the incidents linked to it (id, reference, title).
    pub async fn risk(
        &self,
        scope: &Scope,
        id: RiskId,
    ) -> Result<(RiskRow, Vec<(IncidentId, String, String)>), CoreError> {
        scope.require(Permission::GovernanceView)?;
        let risk = self.store.get_risk(scope.org_id(), id).await?;
        let incidents = if scope.allows(Permission::IncidentsView) {
            self.store
                .incidents_of_risk(scope.org_id(), id)
                .await?
                .into_iter()
                .map(|(i, r, t)| (IncidentId(i), r, t))
                .collect()
        } else {
            Vec::new()
        };
        Ok((risk_row(risk), incidents))
    }

    pub async fn link_risk(&self, scope: &Scope, id: RiskId, incident: IncidentId) -> Result<(), CoreError> {
        scope.require(Permission::RisksManage)?;
        let audit = self.scope_audit(
            scope,
            "risk.link",
            "risk",
            id,
            json!({"incident": incident.to_string()}),
        );
        Ok(self
            .store
            .link_risk(
                scope.org_id(),
                id,
                incident.0,
                &scope.actor.label(),
                self.now_ms(),
                &audit,
            )
            .await?)
    }

    pub async fn unlink_risk(&self, scope: &Scope, id: RiskId, incident: IncidentId) -> Result<(), CoreError> {
        scope.require(Permission::RisksManage)?;
        let audit = self.scope_audit(
            scope,
            "risk.unlink",
            "risk",
            id,
            json!({"incident": incident.to_string()}),
        );
        Ok(self.store.unlink_risk(scope.org_id(), id, incident.0, &audit).await?)
    }

    /// The risks linked to an incident.
    pub async fn incident_risks(&self, scope: &Scope, incident: IncidentId) -> Result<Vec<RiskRow>, CoreError> {
        scope.require(Permission::GovernanceView)?;
        let risks = self.store.risks_of_incident(scope.org_id(), incident.0).await?;
        Ok(risks.into_iter().map(risk_row).collect())
    }
}
