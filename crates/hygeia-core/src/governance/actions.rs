//! Improvement actions: added by hand or from a gap, an incident or an assessment, edited,
//! moved through their statuses, and listed.

use super::*;

impl Hygeia {
    /// Today's date on the organisation's wall clock, `YYYY-MM-DD`.
    pub(super) fn today(&self, scope: &Scope) -> String {
        let tz = jiff::tz::TimeZone::get(&scope.org.time_zone).unwrap_or(jiff::tz::TimeZone::UTC);
        jiff::Timestamp::from_millisecond(self.now_ms())
            .map(|t| t.to_zoned_datetime(tz).date().to_string())
            .unwrap_or_default()
    }

    pub(super) fn action_row(&self, scope: &Scope, action: ImprovementAction) -> ActionRow {
        ActionRow {
            overdue: is_overdue(action.status, action.due_on.as_deref(), &self.today(scope)),
            action,
        }
    }

    /// Adds an improvement action, from an incident when `incident` is given.
    pub async fn add_action(
        &self,
        scope: &Scope,
        input: ActionInput,
        incident: Option<IncidentId>,
    ) -> Result<ImprovementAction, CoreError> {
        self.add_action_from(scope, input, incident.map(|i| (ActionSource::Incident, i.to_string())))
            .await
    }

    /// Adds an action raised from a record of the organisation (an incident, an assessment item).
    pub async fn add_action_from(
        &self,
        scope: &Scope,
        input: ActionInput,
        source: Option<(ActionSource, String)>,
    ) -> Result<ImprovementAction, CoreError> {
        scope.require(Permission::ActionsManage)?;
        let f = check_action(&input)?;
        let now = self.now_ms();
        let by = scope.actor.label();
        let action = ImprovementAction {
            id: ActionId(self.new_uuid()),
            org_id: scope.org_id(),
            reference: String::new(),
            title: f.title,
            detail: f.detail,
            owner: f.owner,
            due_on: f.due_on,
            status: f.status,
            source: source.clone(),
            created_by: by.clone(),
            created_at: now,
            updated_by: by,
            updated_at: now,
        };
        let audit = self.scope_audit(
            scope,
            "action.add",
            "action",
            action.id,
            json!({"title": action.title, "owner": action.owner, "due_on": action.due_on,
                   "source": source.map(|(k, id)| format!("{}:{id}", k.code()))}),
        );
        self.store.add_action(&action, &audit).await?;
        Ok(self.store.get_action(scope.org_id(), action.id).await?)
    }

    /// Replaces an action's title, detail, owner, due date and status.
    pub async fn update_action(
        &self,
        scope: &Scope,
        id: ActionId,
        input: ActionInput,
    ) -> Result<ImprovementAction, CoreError> {
        scope.require(Permission::ActionsManage)?;
        let before = self.store.get_action(scope.org_id(), id).await?;
        let f = check_action(&input)?;
        let after = ImprovementAction {
            title: f.title,
            detail: f.detail,
            owner: f.owner,
            due_on: f.due_on,
            status: f.status,
            updated_by: scope.actor.label(),
            updated_at: self.now_ms(),
            ..before.clone()
        };
        let audit = self.scope_audit(
            scope,
            "action.update",
            "action",
            id,
            json!({
                "status": {"from": before.status.code(), "to": after.status.code()},
                "due_on": {"from": before.due_on, "to": after.due_on},
                "title": after.title, "owner": after.owner,
            }),
        );
        self.store.update_action(&after, &audit).await?;
        Ok(self.store.get_action(scope.org_id(), id).await?)
    }

    /// Moves an action to another status, leaving the rest as it is.
    pub async fn set_action_status(
        &self,
        scope: &Scope,
        id: ActionId,
        status: &str,
    ) -> Result<ImprovementAction, CoreError> {
        scope.require(Permission::ActionsManage)?;
        let a = self.store.get_action(scope.org_id(), id).await?;
        let input = ActionInput {
            title: a.title,
            detail: a.detail,
            owner: a.owner,
            due_on: a.due_on.unwrap_or_default(),
            status: status.to_owned(),
        };
        self.update_action(scope, id, input).await
    }

    /// The improvement plan: live actions first, soonest due first.
    pub async fn actions(
        &self,
        scope: &Scope,
        live_only: bool,
        page: PageRequest,
    ) -> Result<Page<ActionRow>, CoreError> {
        scope.require(Permission::GovernanceView)?;
        let found = self.store.actions_page(scope.org_id(), live_only, page).await?;
        Ok(Page {
            items: found.items.into_iter().map(|a| self.action_row(scope, a)).collect(),
            total: found.total,
            limit: found.limit,
            offset: found.offset,
        })
    }

    pub async fn action(&self, scope: &Scope, id: ActionId) -> Result<ActionRow, CoreError> {
        scope.require(Permission::GovernanceView)?;
        let a = self.store.get_action(scope.org_id(), id).await?;
        Ok(self.action_row(scope, a))
    }

    /// The actions raised from an incident.
    pub async fn incident_actions(&self, scope: &Scope, incident: IncidentId) -> Result<Vec<ActionRow>, CoreError> {
        scope.require(Permission::GovernanceView)?;
        let found = self
            .store
            .actions_from(scope.org_id(), ActionSource::Incident, &incident.to_string())
            .await?;
        Ok(found.into_iter().map(|a| self.action_row(scope, a)).collect())
    }

    /// The actions raised against one assessment's items (the assessment's improvement plan).
    pub async fn assessment_actions(
        &self,
        scope: &Scope,
        assessment: hygeia_domain::ids::AssessmentId,
    ) -> Result<Vec<ActionRow>, CoreError> {
        scope.require(Permission::GovernanceView)?;
        let found = self.store.assessment_actions(scope.org_id(), assessment.0).await?;
        Ok(found.into_iter().map(|a| self.action_row(scope, a)).collect())
    }
}
