//! Who belongs to which organisation, in what role.

use super::audit::append;
use super::{Repo, expect_one, int, rows};
use crate::StoreError;
use crate::model::{Member, Membership, NewAudit};
use hygeia_domain::email::Email;
use hygeia_domain::ids::{OrgId, UserId};
use hygeia_domain::page::{Page, PageRequest};
use hygeia_domain::roles::Role;

impl Repo {
    /// The caller's role in an organisation, if a member: the question every request asks.
    pub async fn role_in(&self, user: UserId, org: OrgId) -> Result<Option<Role>, StoreError> {
        self.read_opt(
            "select role from memberships where org_id = $1 and user_id = $2",
            &[org.0.into(), user.0.into()],
            |r| rows::role(r, "role"),
        )
        .await
    }

    /// A person's organisations, by name.
    pub async fn memberships_of(&self, user: UserId) -> Result<Vec<Membership>, StoreError> {
        self.read_all(
            composed!(
                "select {}, m.role from memberships m join orgs o on o.id = m.org_id where m.user_id = $1 order by o.name, o.id",
                rows::ORG_COLUMNS
            ),
            &[user.0.into()],
            |r| {
                Ok(Membership {
                    org: rows::org(r)?,
                    role: rows::role(r, "role")?,
                })
            },
        )
        .await
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

    /// A page of members with the total. The total is counted only when the page does not
    /// tell it: a window `count(*) over ()` made SQLite's statement twice as slow as the
    /// page itself (BENCHMARKS.md).
    pub async fn list_members(&self, org: OrgId, page: PageRequest) -> Result<Page<Member>, StoreError> {
        let items = self
            .read_all(
                "select u.id, u.email, u.display_name, u.totp_enabled, m.role, m.created_at \
                 from memberships m join users u on u.id = m.user_id where m.org_id = $1 \
                 order by u.display_name, u.id limit $2 offset $3",
                &[org.0.into(), i64::from(page.limit).into(), int(page.offset).into()],
                |r| {
                    Ok(Member {
                        user_id: UserId(r.id("id")?),
                        email: Email::parse(&r.text("email")?)?,
                        display_name: r.text("display_name")?,
                        role: rows::role(r, "role")?,
                        mfa_enabled: r.flag("totp_enabled")?,
                        since: r.int("created_at")?,
                    })
                },
            )
            .await?;
        self.page_of(
            page,
            items,
            "select count(*) as n from memberships where org_id = $1",
            &[org.0.into()],
        )
        .await
    }

    pub async fn count_members_with_role(&self, org: OrgId, role: Role) -> Result<u64, StoreError> {
        self.read_count(
            "select count(*) as n from memberships where org_id = $1 and role = $2",
            &[org.0.into(), role.code().into()],
        )
        .await
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
