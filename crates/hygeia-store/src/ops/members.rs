//! Who belongs to which organisation, in what role.

use super::audit::append;
use super::{Repo, expect_one, int, rows};
use crate::StoreError;
use crate::model::{Member, Membership, NewAudit};
use hygeia_domain::email::Email;
use hygeia_domain::ids::{OrgId, UserId};
use hygeia_domain::page::{Page, PageRequest};
use hygeia_domain::roles::Role;
use sqlx::Row as _;

impl Repo {
    /// The caller's role in an organisation, if a member: the question every request asks.
    pub async fn role_in(&self, user: UserId, org: OrgId) -> Result<Option<Role>, StoreError> {
        let row = sqlx::query("select role from memberships where org_id = $1 and user_id = $2")
            .bind(org.0)
            .bind(user.0)
            .fetch_optional(self.reader())
            .await?;
        row.as_ref().map(|r| rows::role(r, "role")).transpose()
    }

    /// A person's organisations, by name.
    pub async fn memberships_of(&self, user: UserId) -> Result<Vec<Membership>, StoreError> {
        let rows = sqlx::query(composed!(
            "select {}, m.role from memberships m join orgs o on o.id = m.org_id where m.user_id = $1 order by o.name, o.id",
            rows::ORG_COLUMNS
        ))
        .bind(user.0)
        .fetch_all(self.reader())
        .await?;
        rows.iter()
            .map(|r| {
                Ok(Membership {
                    org: rows::org(r)?,
                    role: rows::role(r, "role")?,
                })
            })
            .collect()
    }

    pub async fn add_member(
        &self,
        org: OrgId,
        user: UserId,
        role: Role,
        at: i64,
        audit: &NewAudit,
    ) -> Result<(), StoreError> {
        let mut tx = self.begin_write().await?;
        insert_membership(&mut tx, org, user, role, at).await?;
        append(&mut tx, audit).await?;
        self.commit(tx).await?;
        Ok(())
    }

    /// A page of members with the total, in one query (`count(*) over ()` gives the total on
    /// every row; only a page past the end needs a second query).
    pub async fn list_members(&self, org: OrgId, page: PageRequest) -> Result<Page<Member>, StoreError> {
        let rows = sqlx::query(
            "select u.id, u.email, u.display_name, u.totp_enabled, m.role, m.created_at, count(*) over () as total \
             from memberships m join users u on u.id = m.user_id where m.org_id = $1 \
             order by u.display_name, u.id limit $2 offset $3",
        )
        .bind(org.0)
        .bind(i64::from(page.limit))
        .bind(int(page.offset))
        .fetch_all(self.reader())
        .await?;
        let total = match rows.first() {
            Some(r) => u64::try_from(r.try_get::<i64, _>("total")?).unwrap_or(0),
            None => rows::count(
                &sqlx::query("select count(*) from memberships where org_id = $1")
                    .bind(org.0)
                    .fetch_one(self.reader())
                    .await?,
            )?,
        };
        let items = rows
            .iter()
            .map(|r| {
                Ok(Member {
                    user_id: UserId(r.try_get("id")?),
                    email: Email::parse(r.try_get::<&str, _>("email")?)?,
                    display_name: r.try_get("display_name")?,
                    role: rows::role(r, "role")?,
                    mfa_enabled: r.try_get("totp_enabled")?,
                    since: r.try_get("created_at")?,
                })
            })
            .collect::<Result<_, StoreError>>()?;
        Ok(Page {
            items,
            total,
            limit: page.limit,
            offset: page.offset,
        })
    }

    pub async fn count_members_with_role(&self, org: OrgId, role: Role) -> Result<u64, StoreError> {
        rows::count(
            &sqlx::query("select count(*) from memberships where org_id = $1 and role = $2")
                .bind(org.0)
                .bind(role.code())
                .fetch_one(self.reader())
                .await?,
        )
    }

    pub async fn change_role(&self, org: OrgId, user: UserId, role: Role, audit: &NewAudit) -> Result<(), StoreError> {
        let mut tx = self.begin_write().await?;
        let done = sqlx::query("update memberships set role = $3 where org_id = $1 and user_id = $2")
            .bind(org.0)
            .bind(user.0)
            .bind(role.code())
            .execute(&mut *tx)
            .await?;
        expect_one(done.rows_affected())?;
        append(&mut tx, audit).await?;
        self.commit(tx).await?;
        Ok(())
    }

    /// Removes a member and ends their sessions' hold on the organisation.
    pub async fn remove_member(&self, org: OrgId, user: UserId, audit: &NewAudit) -> Result<(), StoreError> {
        let mut tx = self.begin_write().await?;
        let done = sqlx::query("delete from memberships where org_id = $1 and user_id = $2")
            .bind(org.0)
            .bind(user.0)
            .execute(&mut *tx)
            .await?;
        expect_one(done.rows_affected())?;
        sqlx::query("update sessions set current_org_id = null where user_id = $1 and current_org_id = $2")
            .bind(user.0)
            .bind(org.0)
            .execute(&mut *tx)
            .await?;
        append(&mut tx, audit).await?;
        self.commit(tx).await?;
        Ok(())
    }
}

pub(super) async fn insert_membership(
    tx: &mut super::Tx<'_>,
    org: OrgId,
    user: UserId,
    role: Role,
    at: i64,
) -> Result<(), StoreError> {
    sqlx::query("insert into memberships (org_id, user_id, role, created_at) values ($1, $2, $3, $4)")
        .bind(org.0)
        .bind(user.0)
        .bind(role.code())
        .bind(at)
        .execute(&mut **tx)
        .await?;
    Ok(())
}
