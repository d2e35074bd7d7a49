//! Response plans (an organisation's own playbooks) and incident tasks.

use super::audit::append;
use super::{Cols, Repo, Tx, expect_one};
use crate::StoreError;
use crate::model::{IncidentTask, NewAudit, StoredPlaybook};
use hygeia_domain::ids::{IncidentId, OrgId, TaskId};
use hygeia_domain::incidents::regimes::RegimeSettings;
use hygeia_domain::org::Regime;
use hygeia_domain::roles::Role;

fn task(row: &dyn Cols) -> Result<IncidentTask, StoreError> {
    Ok(IncidentTask {
        id: TaskId(row.id("id")?),
        incident_id: IncidentId(row.id("incident_id")?),
        title: row.text("title")?,
        role: row.opt_text("role")?.map(|r| Role::parse(&r, "role")).transpose()?,
        done_at: row.opt_int("done_at")?,
        done_by: row.opt_text("done_by")?,
        created_at: row.int("created_at")?,
    })
}

/// Adds tasks after an incident's last one, inside the caller's transaction.
pub(super) async fn insert_tasks(tx: &mut Tx<'_>, tasks: &[IncidentTask]) -> Result<(), StoreError> {
    for t in tasks {
        sqlx::query(
            "insert into incident_tasks (id, incident_id, seq, title, role, done_at, done_by, created_at) \
             select $1, $2, coalesce(max(seq), 0) + 1, $3, $4, $5, $6, $7 from incident_tasks where incident_id = $2",
        )
        .bind(t.id.0)
        .bind(t.incident_id.0)
        .bind(&t.title)
        .bind(t.role.map(|r| r.code()))
        .bind(t.done_at)
        .bind(&t.done_by)
        .bind(t.created_at)
        .execute(&mut **tx)
        .await?;
    }
    Ok(())
}

impl Repo {
    /// A regulator's own settings, by regime.
    pub async fn regime_settings(&self, regulator: OrgId) -> Result<Vec<(Regime, RegimeSettings)>, StoreError> {
        self.read_all(
            "select regime, body from regime_settings where regulator_id = $1 order by regime",
            &[regulator.0.into()],
            |r| {
                Ok((
                    Regime::parse(&r.text("regime")?, "regime")?,
                    serde_json::from_str(&r.text("body")?)
                        .map_err(|e| StoreError::Corrupt(format!("settings: {e}")))?,
                ))
            },
        )
        .await
    }

    /// Saves a regulator's settings for several regimes at once.
    pub async fn save_regime_settings(
        &self,
        regulator: OrgId,
        entries: &[(Regime, RegimeSettings)],
        by: &str,
        at: i64,
        audit: &NewAudit,
    ) -> Result<(), StoreError> {
        let mut tx = self.begin_write().await?;
        for (regime, settings) in entries {
            let body = serde_json::to_string(settings).map_err(|e| StoreError::Database(e.to_string()))?;
            sqlx::query(
            "insert into regime_settings (regulator_id, regime, body, updated_by, updated_at) values ($1, $2, $3, $4, $5) \
             on conflict (regulator_id, regime) do update set body = excluded.body, updated_by = excluded.updated_by, \
             updated_at = excluded.updated_at",
        )
        .bind(regulator.0)
        .bind(regime.code())
        .bind(body)
        .bind(by)
        .bind(at)
        .execute(&mut *tx)
        .await?;
        }
        append(&mut tx, audit).await?;
        self.commit(tx).await?;
        Ok(())
    }

    /// The playbooks an organisation has written for itself.
    pub async fn playbooks(&self, org: OrgId) -> Result<Vec<StoredPlaybook>, StoreError> {
        self.read_all(
            "select body, updated_by, updated_at from playbooks where org_id = $1 order by category",
            &[org.0.into()],
            |r| {
                Ok(StoredPlaybook {
                    playbook: serde_json::from_str(&r.text("body")?)
                        .map_err(|e| StoreError::Corrupt(format!("playbook: {e}")))?,
                    updated_by: r.text("updated_by")?,
                    updated_at: r.int("updated_at")?,
                })
            },
        )
        .await
    }

    pub async fn save_playbook(&self, org: OrgId, p: &StoredPlaybook, audit: &NewAudit) -> Result<(), StoreError> {
        let mut tx = self.begin_write().await?;
        let body = serde_json::to_string(&p.playbook).map_err(|e| StoreError::Database(e.to_string()))?;
        sqlx::query(
            "insert into playbooks (org_id, category, body, updated_by, updated_at) values ($1, $2, $3, $4, $5) \
             on conflict (org_id, category) do update set body = excluded.body, updated_by = excluded.updated_by, \
             updated_at = excluded.updated_at",
        )
        .bind(org.0)
        .bind(p.playbook.category.code())
        .bind(body)
        .bind(&p.updated_by)
        .bind(p.updated_at)
        .execute(&mut *tx)
        .await?;
        append(&mut tx, audit).await?;
        self.commit(tx).await?;
        Ok(())
    }

    /// An incident's tasks, in order.
    pub async fn incident_tasks(&self, org: OrgId, incident: IncidentId) -> Result<Vec<IncidentTask>, StoreError> {
        self.read_all(
            "select t.id, t.incident_id, t.title, t.role, t.done_at, t.done_by, t.created_at from incident_tasks t \
             join incidents i on i.id = t.incident_id where i.org_id = $1 and t.incident_id = $2 order by t.seq limit 500",
            &[org.0.into(), incident.0.into()],
            task,
        )
        .await
    }

    /// Adds a task to an incident of `org`.
    pub async fn add_task(&self, org: OrgId, t: &IncidentTask, audit: &NewAudit) -> Result<(), StoreError> {
        let mut tx = self.begin_write().await?;
        let owned = sqlx::query("select 1 from incidents where org_id = $1 and id = $2")
            .bind(org.0)
            .bind(t.incident_id.0)
            .fetch_optional(&mut *tx)
            .await?;
        expect_one(u64::from(owned.is_some()))?;
        insert_tasks(&mut tx, std::slice::from_ref(t)).await?;
        append(&mut tx, audit).await?;
        self.commit(tx).await?;
        Ok(())
    }

    /// Marks a task done (with who and when) or not done again.
    pub async fn set_task_done(
        &self,
        org: OrgId,
        incident: IncidentId,
        id: TaskId,
        done: Option<(i64, &str)>,
        audit: &NewAudit,
    ) -> Result<(), StoreError> {
        let mut tx = self.begin_write().await?;
        let changed = sqlx::query(
            "update incident_tasks set done_at = $4, done_by = $5 where id = $3 and incident_id = $2 \
             and incident_id in (select id from incidents where org_id = $1)",
        )
        .bind(org.0)
        .bind(incident.0)
        .bind(id.0)
        .bind(done.map(|(at, _)| at))
        .bind(done.map(|(_, by)| by.to_owned()))
        .execute(&mut *tx)
        .await?;
        expect_one(changed.rows_affected())?;
        append(&mut tx, audit).await?;
        self.commit(tx).await?;
        Ok(())
    }
}
