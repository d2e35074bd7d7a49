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
        // The heat map's copy of the regulator follows the organisation.
        sqlx::query("update assessment_grades set regulator_id = $2 where org_id = $1")
            .bind(org.id.0)
            .bind(org.regulator_id.map(|i| i.0))
            .execute(&mut *tx)
            .await?;
        append(&mut tx, audit).await?;
        self.commit(tx).await?;
        Ok(())
    }

    pub async fn get_org(&self, id: OrgId) -> Result<Org, StoreError> {
        self.read_one(
            composed!("select {} from orgs o where o.id = $1", rows::ORG_COLUMNS),
            &[id.0.into()],
            rows::org,
        )
        .await
    }

    pub async fn find_org_by_ods(&self, ods: &str) -> Result<Option<Org>, StoreError> {
        self.read_opt(
            composed!("select {} from orgs o where o.ods_code = $1", rows::ORG_COLUMNS),
            &[ods.into()],
            rows::org,
        )
        .await
    }

    /// All organisations, by name: for platform administrators.
    pub async fn list_orgs(&self, page: PageRequest) -> Result<Page<Org>, StoreError> {
        let items = self
            .read_all(
                composed!(
                    "select {} from orgs o order by o.name, o.id limit $1 offset $2",
                    rows::ORG_COLUMNS
                ),
                &[i64::from(page.limit).into(), int(page.offset).into()],
                rows::org,
            )
            .await?;
        self.page_of(page, items, "select count(*) as n from orgs", &[]).await
    }

    /// The organisations whose competent authority is `regulator`.
    pub async fn list_remit(&self, regulator: OrgId, page: PageRequest) -> Result<Page<Org>, StoreError> {
        let items = self
            .read_all(
                composed!(
                    "select {} from orgs o where o.regulator_id = $1 order by o.name, o.id limit $2 offset $3",
                    rows::ORG_COLUMNS
                ),
                &[
                    regulator.0.into(),
                    i64::from(page.limit).into(),
                    int(page.offset).into(),
                ],
                rows::org,
            )
            .await?;
        self.page_of(
            page,
            items,
            "select count(*) as n from orgs where regulator_id = $1",
            &[regulator.0.into()],
        )
        .await
    }

    /// Everything needed to decide a person's reach into an organisation, in one query: the
    /// organisation, their role in it as a member, and their role in the regulator body whose
    /// remit covers it. None if the organisation does not exist.
    pub async fn access(&self, user: UserId, org: OrgId) -> Result<Option<Access>, StoreError> {
        self.read_opt(
            composed!(
                "select {}, m.role as member_role, r.role as oversight_role from orgs o \
                 left join memberships m on m.org_id = o.id and m.user_id = $2 \
                 left join memberships r on r.org_id = o.regulator_id and r.user_id = $2 \
                 where o.id = $1",
                rows::ORG_COLUMNS
            ),
            &[org.0.into(), user.0.into()],
            |r| {
                let role = |column: &str| -> Result<Option<hygeia_domain::roles::Role>, StoreError> {
                    let code = r.opt_text(column)?;
                    Ok(code
                        .map(|c| hygeia_domain::roles::Role::parse(&c, column))
                        .transpose()?)
                };
                Ok(Access {
                    org: rows::org(r)?,
                    member_role: role("member_role")?,
                    oversight_role: role("oversight_role")?,
                })
            },
        )
        .await
    }
}
