//! Invitations to join an organisation.

use super::audit::append;
use super::members::insert_membership;
use super::users::insert_user;
use super::{Repo, expect_one, rows};
use crate::StoreError;
use crate::model::{Invitation, NewAudit, User};
use hygeia_domain::ids::{InvitationId, OrgId, UserId};

impl Repo {
    pub async fn create_invitation(
        &self,
        inv: &Invitation,
        token_hash: &str,
        audit: &NewAudit,
    ) -> Result<(), StoreError> {
        let mut tx = self.begin_write().await?;
        sqlx::query(
            "insert into invitations (id, org_id, email, role, token_hash, invited_by, created_at, expires_at) \
             values ($1, $2, $3, $4, $5, $6, $7, $8)",
        )
        .bind(inv.id.0)
        .bind(inv.org_id.0)
        .bind(inv.email.as_str())
        .bind(inv.role.code())
        .bind(token_hash)
        .bind(inv.invited_by.0)
        .bind(inv.created_at)
        .bind(inv.expires_at)
        .execute(&mut *tx)
        .await?;
        append(&mut tx, audit).await?;
        self.commit(tx).await?;
        Ok(())
    }

    pub async fn find_invitation(&self, token_hash: &str) -> Result<Option<Invitation>, StoreError> {
        self.read_opt(
            composed!(
                "select {} from invitations where token_hash = $1",
                rows::INVITATION_COLUMNS
            ),
            &[token_hash.into()],
            rows::invitation,
        )
        .await
    }

    /// Open invitations of an organisation (not accepted, not revoked, not expired at `now`).
    pub async fn open_invitations(&self, org: OrgId, now: i64) -> Result<Vec<Invitation>, StoreError> {
        self.read_all(
            composed!(
                "select {} from invitations where org_id = $1 and accepted_at is null and revoked_at is null and expires_at > $2 \
                 order by created_at desc limit 500",
                rows::INVITATION_COLUMNS
            ),
            &[org.0.into(), now.into()],
            rows::invitation,
        )
        .await
    }

    /// Accepts an invitation: creates the account if `new_user` is given, adds the membership,
    /// and marks the invitation used, all at once. Refuses if it was used meanwhile.
    pub async fn accept_invitation(
        &self,
        inv: &Invitation,
        user: UserId,
        new_user: Option<&User>,
        at: i64,
        audits: &[NewAudit],
    ) -> Result<(), StoreError> {
        let mut tx = self.begin_write().await?;
        let done = sqlx::query(
            "update invitations set accepted_at = $2 where id = $1 and accepted_at is null and revoked_at is null and expires_at > $2",
        )
        .bind(inv.id.0)
        .bind(at)
        .execute(&mut *tx)
        .await?;
        if done.rows_affected() != 1 {
            return Err(StoreError::Conflict(
                "this invitation has already been used, revoked or has expired".into(),
            ));
        }
        if let Some(u) = new_user {
            insert_user(&mut tx, u).await?;
        }
        insert_membership(&mut tx, inv.org_id, user, inv.role, at).await?;
        for audit in audits {
            append(&mut tx, audit).await?;
        }
        self.commit(tx).await?;
        Ok(())
    }

    pub async fn revoke_invitation(
        &self,
        org: OrgId,
        id: InvitationId,
        at: i64,
        audit: &NewAudit,
    ) -> Result<(), StoreError> {
        let mut tx = self.begin_write().await?;
        let done = sqlx::query(
            "update invitations set revoked_at = $3 where id = $1 and org_id = $2 and accepted_at is null and revoked_at is null",
        )
        .bind(id.0)
        .bind(org.0)
        .bind(at)
        .execute(&mut *tx)
        .await?;
        expect_one(done.rows_affected())?;
        append(&mut tx, audit).await?;
        self.commit(tx).await?;
        Ok(())
    }
}
