//! Improvement actions and the risk register: validated, audited, within one organisation.
//! Incidents point at both: lessons learned become actions (CAF D2), and the risks an
//! incident realised or revealed are linked to it.

use crate::{CoreError, Hygeia, Scope};
use hygeia_domain::governance::actions::{ActionSource, ActionStatus, is_overdue};
use hygeia_domain::governance::risks::{Rating, RiskStatus, Treatment, check_scale, rating};
use hygeia_domain::governance::{check_date, check_line, check_text};
use hygeia_domain::ids::{ActionId, IncidentId, RiskId};
use hygeia_domain::page::{Page, PageRequest};
use hygeia_domain::permissions::Permission;
use hygeia_domain::validation::Collector;
use hygeia_store::model::{ImprovementAction, Risk};
use serde::Serialize;
use serde_json::json;

/// An action as typed in a form or sent to the API.
#[derive(Debug, Clone, Default)]
pub struct ActionInput {
    pub title: String,
    pub detail: String,
    pub owner: String,
    pub due_on: String,
    /// Empty means open.
    pub status: String,
}

/// An action with whether it is overdue in the organisation's calendar.
#[derive(Debug, Clone, Serialize)]
pub struct ActionRow {
    #[serde(flatten)]
    pub action: ImprovementAction,
    pub overdue: bool,
}

/// A risk as typed in a form or sent to the API.
#[derive(Debug, Clone, Default)]
pub struct RiskInput {
    pub title: String,
    pub description: String,
    pub likelihood: String,
    pub impact: String,
    pub treatment: String,
    pub owner: String,
    /// Empty means open.
    pub status: String,
    pub review_by: String,
}

/// A risk with its score and band.
#[derive(Debug, Clone, Serialize)]
pub struct RiskRow {
    #[serde(flatten)]
    pub risk: Risk,
    pub score: u8,
    pub rating: Rating,
}

fn risk_row(risk: Risk) -> RiskRow {
    RiskRow {
        score: risk.likelihood * risk.impact,
        rating: rating(risk.likelihood, risk.impact),
        risk,
    }
}

struct ActionFields {
    title: String,
    detail: String,
    owner: String,
    due_on: Option<String>,
    status: ActionStatus,
}

fn check_action(input: &ActionInput) -> Result<ActionFields, CoreError> {
    let mut c = Collector::new();
    let title = c.check(check_line(&input.title, "title", 200));
    let detail = c.check(check_text(&input.detail, "detail", 5_000));
    let owner = c.check(check_text(&input.owner, "owner", 200));
    let due_on = c.check(check_date(&input.due_on, "due_on"));
    let status = if input.status.trim().is_empty() {
        Some(ActionStatus::Open)
    } else {
        c.check(ActionStatus::parse(input.status.trim(), "status"))
    };
    c.finish()?;
    match (title, detail, owner, due_on, status) {
        (Some(title), Some(detail), Some(owner), Some(due_on), Some(status)) => Ok(ActionFields {
            title,
            detail,
            owner,
            due_on,
            status,
        }),
        _ => Err(CoreError::Internal("validated input went missing".into())),
    }
}

struct RiskFields {
    title: String,
    description: String,
    likelihood: u8,
    impact: u8,
    treatment: Treatment,
    owner: String,
    status: RiskStatus,
    review_by: Option<String>,
}

fn check_risk(input: &RiskInput) -> Result<RiskFields, CoreError> {
    let mut c = Collector::new();
    let title = c.check(check_line(&input.title, "title", 200));
    let description = c.check(check_text(&input.description, "description", 5_000));
    let likelihood = c.check(check_scale(&input.likelihood, "likelihood"));
    let impact = c.check(check_scale(&input.impact, "impact"));
    let treatment = c.check(Treatment::parse(input.treatment.trim(), "treatment"));
    let owner = c.check(check_line(&input.owner, "owner", 200));
    let status = if input.status.trim().is_empty() {
        Some(RiskStatus::Open)
    } else {
        c.check(RiskStatus::parse(input.status.trim(), "status"))
    };
    let review_by = c.check(check_date(&input.review_by, "review_by"));
    c.finish()?;
    match (
        title,
        description,
        likelihood,
        impact,
        treatment,
        owner,
        status,
        review_by,
    ) {
        (
            Some(title),
            Some(description),
            Some(likelihood),
            Some(impact),
            Some(treatment),
            Some(owner),
            Some(status),
            Some(review_by),
        ) => Ok(RiskFields {
            title,
            description,
            likelihood,
            impact,
            treatment,
            owner,
            status,
            review_by,
        }),
        _ => Err(CoreError::Internal("validated input went missing".into())),
    }
}

impl Hygeia {
    /// Today's date on the organisation's wall clock, `YYYY-MM-DD`.
    fn today(&self, scope: &Scope) -> String {
        let tz = jiff::tz::TimeZone::get(&scope.org.time_zone).unwrap_or(jiff::tz::TimeZone::UTC);
        jiff::Timestamp::from_millisecond(self.now_ms())
            .map(|t| t.to_zoned_datetime(tz).date().to_string())
            .unwrap_or_default()
    }

    fn action_row(&self, scope: &Scope, action: ImprovementAction) -> ActionRow {
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
        let audit = self.audit(
            Some(&scope.actor),
            Some(scope.org_id()),
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
        let audit = self.audit(
            Some(&scope.actor),
            Some(scope.org_id()),
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
        let audit = self.audit(
            Some(&scope.actor),
            Some(scope.org_id()),
            "risk.add",
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
        let audit = self.audit(
            Some(&scope.actor),
            Some(scope.org_id()),
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
        let audit = self.audit(
            Some(&scope.actor),
            Some(scope.org_id()),
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
        let audit = self.audit(
            Some(&scope.actor),
            Some(scope.org_id()),
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
