//! An organisation's responses: its record, each step, and a group answering for members that allow it.

use super::*;

impl Hygeia {
    /// The organisation's alert record, newest first.
    pub async fn alert_record(&self, scope: &Scope, page: PageRequest) -> Result<Page<ResponseView>, CoreError> {
        scope.require(Permission::AlertsView)?;
        let now = self.now_ms();
        let p = self.store.responses_of(scope.org_id(), page).await?;
        Ok(p.map(|(a, r)| response_view(&a, r, Vec::new(), Vec::new(), now)))
    }

    /// The organisation's response to one alert, with the assets behind its pre-fill.
    pub async fn alert_response(&self, scope: &Scope, id: AlertId) -> Result<ResponseView, CoreError> {
        scope.require(Permission::AlertsView)?;
        let a = self.store.get_alert(id).await?;
        if a.status == AlertStatus::Draft {
            return Err(CoreError::NotFound);
        }
        let r = self.store.get_response(id, scope.org_id()).await?;
        let matches = self.store.alert_matches(id, scope.org_id()).await?;
        let updates = self.store.alert_updates(id, scope.org_id()).await?;
        Ok(response_view(&a, r, matches, updates, self.now_ms()))
    }

    /// Takes one step of the organisation's response.
    pub async fn respond(&self, scope: &Scope, id: AlertId, step: &ResponseStep) -> Result<ResponseView, CoreError> {
        scope.require(Permission::AlertsRespond)?;
        self.respond_for(scope, scope.org_id(), id, step).await?;
        self.alert_response(scope, id).await
    }

    pub(super) async fn respond_for(
        &self,
        scope: &Scope,
        org: OrgId,
        id: AlertId,
        step: &ResponseStep,
    ) -> Result<(), CoreError> {
        let a = self.store.get_alert(id).await?;
        if a.status != AlertStatus::Published {
            return Err(CoreError::Conflict("this alert is not in force".into()));
        }
        let before = self.store.get_response(id, org).await?;
        if before.closed_at.is_some() {
            return Err(CoreError::Conflict("this response is closed".into()));
        }
        let now = self.now_ms();
        let by = scope.actor.label();
        let on_behalf = (org != scope.org_id()).then(|| scope.org.name.clone());
        let mut after = before.clone();
        let mut changes = json!({"step": step.name(), "on_behalf_of_group": on_behalf});
        match step {
            ResponseStep::Acknowledge => {
                if before.acknowledged_at.is_some() {
                    return Err(CoreError::Conflict("already acknowledged".into()));
                }
                after.acknowledged_at = Some(now);
                after.acknowledged_by = Some(by.clone());
            }
            ResponseStep::Applicability {
                applicability,
                reason,
                justification,
            } => {
                let v = Verdict::parse(applicability)
                    .ok_or_else(|| CoreError::field("applicability", "is not affected, not_affected or unknown"))?;
                let reason = reason.trim();
                if let Some(j) = justification
                    && !JUSTIFICATIONS.iter().any(|(code, _)| code == j)
                {
                    return Err(CoreError::field(
                        "justification",
                        "is not one of the VEX justifications",
                    ));
                }
                if v == Verdict::NotAffected && justification.is_none() && reason.is_empty() {
                    return Err(CoreError::field(
                        "reason",
                        "say why it does not apply, or choose a justification",
                    ));
                }
                if v != before.prefill && reason.is_empty() {
                    return Err(CoreError::field(
                        "reason",
                        "overriding the pre-filled answer needs a reason",
                    ));
                }
                if reason.len() > 5000 {
                    return Err(CoreError::field("reason", "is longer than 5,000 characters"));
                }
                after.applicability = Some(v);
                after.applicability_reason = (!reason.is_empty()).then(|| reason.to_owned());
                after.justification = if v == Verdict::NotAffected {
                    justification.clone()
                } else {
                    None
                };
                if after.acknowledged_at.is_none() {
                    after.acknowledged_at = Some(now);
                    after.acknowledged_by = Some(by.clone());
                }
                changes["applicability"] = json!(v.as_str());
                changes["prefill"] = json!(before.prefill.as_str());
            }
            ResponseStep::Update { body } => {
                let body = body.trim();
                if body.is_empty() || body.len() > 10_000 {
                    return Err(CoreError::field("body", "write the update (at most 10,000 characters)"));
                }
                if before.acknowledged_at.is_none() {
                    return Err(CoreError::Conflict("acknowledge the alert first".into()));
                }
                let audit = self.audit(Some(&scope.actor), Some(org), "alert.response", "alert", id, changes);
                let update = AlertUpdate {
                    body: body.to_owned(),
                    posted_by: by,
                    posted_at: now,
                };
                self.store
                    .add_alert_update(AlertUpdateId(self.new_uuid()), id, org, &update, &audit)
                    .await?;
                return Ok(());
            }
            ResponseStep::Close { remediation } => {
                let remediation = remediation.trim();
                if remediation.is_empty() || remediation.len() > 10_000 {
                    return Err(CoreError::field(
                        "remediation",
                        "say what was done (at most 10,000 characters)",
                    ));
                }
                if before.acknowledged_at.is_none() {
                    after.acknowledged_at = Some(now);
                    after.acknowledged_by = Some(by.clone());
                }
                if after.applicability.is_none() {
                    after.applicability = Some(before.prefill);
                }
                after.closed_at = Some(now);
                after.closed_by = Some(by.clone());
                after.remediation = Some(remediation.to_owned());
            }
        }
        let audit = self.audit(Some(&scope.actor), Some(org), "alert.response", "alert", id, changes);
        self.store.save_response(&after, &audit).await?;
        Ok(())
    }

    /// A group answers for the members that let it: the same step for each organisation
    /// named; those that have not allowed it, or where the step does not fit, are listed.
    pub async fn respond_for_members(
        &self,
        scope: &Scope,
        id: AlertId,
        members: &[OrgId],
        step: &ResponseStep,
    ) -> Result<Vec<(OrgId, Result<(), String>)>, CoreError> {
        scope.require(Permission::AlertsRespond)?;
        let allowed: Vec<OrgId> = self
            .store
            .delegated_to(scope.org_id())
            .await?
            .into_iter()
            .map(|(o, _)| o)
            .collect();
        let mut out = Vec::new();
        for m in members {
            if !allowed.contains(m) {
                out.push((
                    *m,
                    Err("this organisation has not let the group answer for it".to_owned()),
                ));
                continue;
            }
            let done = self.respond_for(scope, *m, id, step).await.map_err(|e| e.to_string());
            out.push((*m, done));
        }
        Ok(out)
    }

    /// The members that let this organisation answer for them.
    pub async fn alert_members(&self, scope: &Scope) -> Result<Vec<(OrgId, String)>, CoreError> {
        scope.require(Permission::AlertsView)?;
        Ok(self.store.delegated_to(scope.org_id()).await?)
    }

    /// An organisation lets its parent group answer alerts for it, or stops it.
    pub async fn allow_group_responses(&self, scope: &Scope, allow: bool) -> Result<Option<OrgId>, CoreError> {
        scope.require(Permission::AlertsDelegate)?;
        let group = if allow {
            Some(
                scope
                    .org
                    .parent_id
                    .ok_or_else(|| CoreError::field("allow", "this organisation has no parent group"))?,
            )
        } else {
            None
        };
        let audit = self.scope_audit(
            scope,
            "alert.delegation",
            "org",
            scope.org_id(),
            json!({"group": group.map(|g| g.to_string())}),
        );
        self.store
            .set_alert_delegation(scope.org_id(), group, &scope.actor.label(), self.now_ms(), &audit)
            .await?;
        Ok(group)
    }

    pub async fn alert_delegation(&self, scope: &Scope) -> Result<Option<OrgId>, CoreError> {
        scope.require(Permission::AlertsView)?;
        Ok(self.store.alert_delegation(scope.org_id()).await?)
    }
}
