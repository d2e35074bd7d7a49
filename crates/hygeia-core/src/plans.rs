//! The incident response plan: each category's playbook (the organisation's own, or Hygeia's
//! default), and the tasks an incident gets from it.

use crate::access::Scope;
use crate::{CoreError, Hygeia};
use hygeia_domain::ids::OrgId;
use hygeia_domain::ids::{IncidentId, TaskId};
use hygeia_domain::incidents::IncidentCategory;
use hygeia_domain::incidents::playbooks::{Playbook, default_playbook, parse_playbook};
use hygeia_domain::permissions::Permission;
use hygeia_domain::validation::FieldError;
use hygeia_store::model::{IncidentTask, StoredPlaybook};
use serde_json::json;

/// One category of the plan as shown: the playbook in force and whose it is.
#[derive(Debug, Clone)]
pub struct PlanEntry {
    pub playbook: Playbook,
    /// Written by the organisation (rather than Hygeia's default), by whom and when.
    pub customised: Option<(String, i64)>,
}

impl Hygeia {
    /// The playbook in force for a category.
    pub(crate) async fn playbook_for(&self, org: OrgId, category: IncidentCategory) -> Result<Playbook, CoreError> {
        Ok(self
            .store
            .playbooks(org)
            .await?
            .into_iter()
            .find(|p| p.playbook.category == category)
            .map_or_else(|| default_playbook(category), |p| p.playbook))
    }

    /// The whole response plan, every category in order.
    pub async fn response_plan(&self, scope: &Scope) -> Result<Vec<PlanEntry>, CoreError> {
        scope.require(Permission::IncidentsView)?;
        let own = self.store.playbooks(scope.org_id()).await?;
        Ok(IncidentCategory::ALL
            .iter()
            .map(|c| match own.iter().find(|p| p.playbook.category == *c) {
                Some(p) => PlanEntry {
                    playbook: p.playbook.clone(),
                    customised: Some((p.updated_by.clone(), p.updated_at)),
                },
                None => PlanEntry {
                    playbook: default_playbook(*c),
                    customised: None,
                },
            })
            .collect())
    }

    /// Saves the organisation's own playbook for a category, edited as text.
    pub async fn save_playbook(
        &self,
        scope: &Scope,
        category: &str,
        tasks: &str,
        contacts: &str,
    ) -> Result<Playbook, CoreError> {
        scope.require(Permission::PlansEdit)?;
        let category = IncidentCategory::parse(category.trim(), "category")?;
        let playbook = parse_playbook(category, tasks, contacts)?;
        let audit = self.scope_audit(
            scope,
            "plan.update",
            "playbook",
            category.code(),
            json!({"tasks": playbook.tasks.len(), "contacts": playbook.contacts.len()}),
        );
        let stored = StoredPlaybook {
            playbook: playbook.clone(),
            updated_by: scope.actor.label(),
            updated_at: self.now_ms(),
        };
        self.store.save_playbook(scope.org_id(), &stored, &audit).await?;
        Ok(playbook)
    }

    /// The tasks an incident of `category` starts with.
    pub(crate) async fn starting_tasks(
        &self,
        org: OrgId,
        incident: IncidentId,
        category: IncidentCategory,
    ) -> Result<Vec<IncidentTask>, CoreError> {
        let now = self.now_ms();
        Ok(self
            .playbook_for(org, category)
            .await?
            .tasks
            .into_iter()
            .map(|t| IncidentTask {
                id: TaskId(self.new_uuid()),
                incident_id: incident,
                title: t.title,
                role: t.role,
                done_at: None,
                done_by: None,
                created_at: now,
            })
            .collect())
    }

    pub async fn incident_tasks(&self, scope: &Scope, incident: IncidentId) -> Result<Vec<IncidentTask>, CoreError> {
        scope.require(Permission::IncidentsView)?;
        Ok(self.store.incident_tasks(scope.org_id(), incident).await?)
    }

    /// Adds a task of the responder's own to an incident.
    pub async fn add_incident_task(&self, scope: &Scope, incident: IncidentId, title: &str) -> Result<(), CoreError> {
        scope.require(Permission::IncidentsManage)?;
        let title = title.trim();
        if title.is_empty() || title.chars().count() > 300 {
            return Err(CoreError::Validation(vec![FieldError::new(
                "task",
                "is required, at most 300 characters",
            )]));
        }
        let task = IncidentTask {
            id: TaskId(self.new_uuid()),
            incident_id: incident,
            title: title.to_owned(),
            role: None,
            done_at: None,
            done_by: None,
            created_at: self.now_ms(),
        };
        let audit = self.scope_audit(scope, "incident.task.add", "incident", incident, json!({"task": title}));
        Ok(self.store.add_task(scope.org_id(), &task, &audit).await?)
    }

    /// Ticks a task off (or undoes that).
    pub async fn set_task_done(
        &self,
        scope: &Scope,
        incident: IncidentId,
        task: TaskId,
        done: bool,
    ) -> Result<(), CoreError> {
        scope.require(Permission::IncidentsManage)?;
        let label = scope.actor.label();
        let now = self.now_ms();
        let audit = self.scope_audit(
            scope,
            if done {
                "incident.task.done"
            } else {
                "incident.task.reopen"
            },
            "incident",
            incident,
            json!({"task": task.to_string()}),
        );
        Ok(self
            .store
            .set_task_done(
                scope.org_id(),
                incident,
                task,
                done.then_some((now, label.as_str())),
                &audit,
            )
            .await?)
    }
}
