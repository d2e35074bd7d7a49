//! Delegations: an organisation letting its group (an ICB, a care group) answer alerts for it.

use super::super::Repo;
use super::super::audit::append;
use crate::StoreError;
use crate::model::NewAudit;
use hygeia_domain::ids::OrgId;

impl Repo {
    /// Lets (or stops) an organisation's group answer alerts for it.
    pub async fn set_alert_delegation(
        &self,
        org: OrgId,
        group: Option<OrgId>,
        by: &str,
        at: i64,
        audit: &NewAudit,
    ) -> Result<(), StoreError> {
        let mut tx = self.begin_write().await?;
        sqlx::query("delete from alert_delegations where org_id = $1")
            .bind(org.0)
            .execute(&mut *tx)
            .await?;
        if let Some(g) = group {
            sqlx::query(
                "insert into alert_delegations (org_id, group_id, granted_by, granted_at) values ($1, $2, $3, $4)",
            )
            .bind(org.0)
            .bind(g.0)
            .bind(by)
            .bind(at)
            .execute(&mut *tx)
            .await?;
        }
        append(&mut tx, audit).await?;
        self.commit(tx).await?;
        Ok(())
    }

    /// The group an organisation lets answer its alerts, if any.
    pub async fn alert_delegation(&self, org: OrgId) -> Result<Option<OrgId>, StoreError> {
        self.read_opt(
            "select group_id from alert_delegations where org_id = $1",
            &[org.0.into()],
            |r| Ok(OrgId(r.id("group_id")?)),
        )
        .await
    }

    /// The organisations that let `group` answer for them, with their names.
    pub async fn delegated_to(&self, group: OrgId) -> Result<Vec<(OrgId, String)>, StoreError> {
        self.read_all(
            "select o.id, o.name from alert_delegations d join orgs o on o.id = d.org_id where d.group_id = $1 order by o.name",
            &[group.0.into()],
            |r| Ok((OrgId(r.id("id")?), r.text("name")?)),
        )
        .await
    }
}
