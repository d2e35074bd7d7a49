//! Organisations.

use super::audit::append;
use super::{Repo, int, rows};
use crate::StoreError;
use crate::model::{Access, NewAudit, Org};
use hygeia_domain::ids::{OrgId, UserId};
use hygeia_domain::org::regimes_csv;
use hygeia_domain::page::{Page, PageRequest};

impl Repo {
    pub async fn create_org(&self, org: &Org, audit: &NewAudit) -> Result<(), StoreError> {
        let mut tx = self.begin_write().await?;
        sqlx::query(
            "insert into orgs (id, name, ods_code, org_type, regimes, is_oes, parent_id, regulator_id, require_mfa, time_zone, created_at, updated_at) \
             values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)",
        )
        .bind(org.id.0)
        .bind(&org.name)
        .bind(org.ods_code.as_str())
        .bind(org.org_type.code())
        .bind(regimes_csv(&org.regimes))
        .bind(org.is_oes)
        .bind(org.parent_id.map(|i| i.0))
        .bind(org.regulator_id.map(|i| i.0))
        .bind(org.require_mfa)
        .bind(&org.time_zone)
        .bind(org.created_at)
        .bind(org.updated_at)
        .execute(&mut *tx)
        .await?;
        append(&mut tx, audit).await?;
        self.commit(tx).await?;
        Ok(())
    }

    /// Saves an edited organisation if nobody changed it since `expected_updated_at`
    /// (optimistic concurrency: a lost update is refused as a conflict, not made silently).
    pub async fn update_org(&self, org: &Org, expected_updated_at: i64, audit: &NewAudit) -> Result<(), StoreError> {
        let mut tx = self.begin_write().await?;
        let done = sqlx::query(
            "update orgs set name = $2, ods_code = $3, regimes = $4, is_oes = $5, parent_id = $6, regulator_id = $7, \
             require_mfa = $8, time_zone = $9, updated_at = $10 where id = $1 and updated_at = $11",
        )
        .bind(org.id.0)
        .bind(&org.name)
        .bind(org.ods_code.as_str())
        .bind(regimes_csv(&org.regimes))
        .bind(org.is_oes)
        .bind(org.parent_id.map(|i| i.0))
        .bind(org.regulator_id.map(|i| i.0))
        .bind(org.require_mfa)
        .bind(&org.time_zone)
        .bind(org.updated_at)
        .bind(expected_updated_at)
        .execute(&mut *tx)
        .await?;
        if done.rows_affected() != 1 {
            return Err(StoreError::Conflict(
                "the organisation was changed by someone else; reload and try again".into(),
            ));
        }
        append(&mut tx, audit).await?;
        self.commit(tx).await?;
        Ok(())
    }

    pub async fn get_org(&self, id: OrgId) -> Result<Org, StoreError> {
        let row = sqlx::query(composed!("select {} from orgs o where o.id = $1", rows::ORG_COLUMNS))
            .bind(id.0)
            .fetch_optional(self.reader())
            .await?
            .ok_or(StoreError::NotFound)?;
        rows::org(&row)
    }

    pub async fn find_org_by_ods(&self, ods: &str) -> Result<Option<Org>, StoreError> {
        let row = sqlx::query(composed!(
            "select {} from orgs o where o.ods_code = $1",
            rows::ORG_COLUMNS
        ))
        .bind(ods)
        .fetch_optional(self.reader())
        .await?;
        row.as_ref().map(rows::org).transpose()
    }

    /// All organisations, by name: for platform administrators.
    pub async fn list_orgs(&self, page: PageRequest) -> Result<Page<Org>, StoreError> {
        let total = rows::count(
            &sqlx::query("select count(*) from orgs")
                .fetch_one(self.reader())
                .await?,
        )?;
        let items = sqlx::query(composed!(
            "select {} from orgs o order by o.name, o.id limit $1 offset $2",
            rows::ORG_COLUMNS
        ))
        .bind(i64::from(page.limit))
        .bind(int(page.offset))
        .fetch_all(self.reader())
        .await?
        .iter()
        .map(rows::org)
        .collect::<Result<_, _>>()?;
        Ok(Page {
            items,
            total,
            limit: page.limit,
            offset: page.offset,
        })
    }

    /// The organisations whose competent authority is `regulator`.
    pub async fn list_remit(&self, regulator: OrgId, page: PageRequest) -> Result<Page<Org>, StoreError> {
        let total = rows::count(
            &sqlx::query("select count(*) from orgs where regulator_id = $1")
                .bind(regulator.0)
                .fetch_one(self.reader())
                .await?,
        )?;
        let items = sqlx::query(composed!(
            "select {} from orgs o where o.regulator_id = $1 order by o.name, o.id limit $2 offset $3",
            rows::ORG_COLUMNS
        ))
        .bind(regulator.0)
        .bind(i64::from(page.limit))
        .bind(int(page.offset))
        .fetch_all(self.reader())
        .await?
        .iter()
        .map(rows::org)
        .collect::<Result<_, _>>()?;
        Ok(Page {
            items,
            total,
            limit: page.limit,
            offset: page.offset,
        })
    }

    /// Everything needed to decide a person's reach into an organisation, in one query: the
    /// organisation, their role in it as a member, and their role in the regulator body whose
    /// remit covers it. None if the organisation does not exist.
    pub async fn access(&self, user: UserId, org: OrgId) -> Result<Option<Access>, StoreError> {
        let row = sqlx::query(composed!(
            "select {}, m.role as member_role, r.role as oversight_role from orgs o \
             left join memberships m on m.org_id = o.id and m.user_id = $2 \
             left join memberships r on r.org_id = o.regulator_id and r.user_id = $2 \
             where o.id = $1",
            rows::ORG_COLUMNS
        ))
        .bind(org.0)
        .bind(user.0)
        .fetch_optional(self.reader())
        .await?;
        let Some(row) = row else { return Ok(None) };
        let role = |column: &str| -> Result<Option<hygeia_domain::roles::Role>, StoreError> {
            let code: Option<&str> = sqlx::Row::try_get(&row, column)?;
            Ok(code.map(|c| hygeia_domain::roles::Role::parse(c, column)).transpose()?)
        };
        Ok(Some(Access {
            org: rows::org(&row)?,
            member_role: role("member_role")?,
            oversight_role: role("oversight_role")?,
        }))
    }
}
