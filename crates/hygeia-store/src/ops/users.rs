//! Accounts: creation, passwords, multi-factor authentication.

use super::audit::append;
use super::{Repo, expect_one, rows};
use crate::StoreError;
use crate::model::{NewAudit, User};
use hygeia_domain::ids::UserId;

impl Repo {
    pub async fn create_user(&self, user: &User, audit: &NewAudit) -> Result<(), StoreError> {
        let mut tx = self.begin_write().await?;
        insert_user(&mut tx, user).await?;
        append(&mut tx, audit).await?;
        self.commit(tx).await?;
        Ok(())
    }

    pub async fn get_user(&self, id: UserId) -> Result<User, StoreError> {
        self.read_one(
            composed!("select {} from users u where u.id = $1", rows::USER_COLUMNS),
            &[id.0.into()],
            rows::user,
        )
        .await
    }

    pub async fn find_user_by_email(&self, email: &str) -> Result<Option<User>, StoreError> {
        self.read_opt(
            composed!("select {} from users u where u.email = $1", rows::USER_COLUMNS),
            &[email.into()],
            rows::user,
        )
        .await
    }

    /// Sets a new password hash and ends every other session of the account, in one step.
    pub async fn set_password(
        &self,
        user: UserId,
        hash: &str,
        keep_session: Option<hygeia_domain::ids::SessionId>,
        at: i64,
        audit: &NewAudit,
    ) -> Result<(), StoreError> {
        let mut tx = self.begin_write().await?;
        sqlx::query("update users set password_hash = $2, updated_at = $3 where id = $1")
            .bind(user.0)
            .bind(hash)
            .bind(at)
            .execute(&mut *tx)
            .await?;
        end_sessions(&mut tx, user, keep_session).await?;
        append(&mut tx, audit).await?;
        self.commit(tx).await?;
        Ok(())
    }

    /// Turns MFA off for an account (an operator's recovery for a lost phone and lost codes):
    /// clears the secret and the recovery codes and ends every session.
    pub async fn reset_totp(&self, user: UserId, at: i64, audit: &NewAudit) -> Result<(), StoreError> {
        let mut tx = self.begin_write().await?;
        let done = sqlx::query(
            "update users set totp_secret = null, totp_enabled = $2, totp_last_step = null, updated_at = $3 where id = $1",
        )
        .bind(user.0)
        .bind(false)
        .bind(at)
        .execute(&mut *tx)
        .await?;
        expect_one(done.rows_affected())?;
        sqlx::query("delete from recovery_codes where user_id = $1")
            .bind(user.0)
            .execute(&mut *tx)
            .await?;
        end_sessions(&mut tx, user, None).await?;
        append(&mut tx, audit).await?;
        self.commit(tx).await?;
        Ok(())
    }

    /// Stores a new, not yet confirmed TOTP secret (set-up started).
    pub async fn start_totp(&self, user: UserId, secret: &str, at: i64) -> Result<(), StoreError> {
        let mut tx = self.begin_write().await?;
        sqlx::query("update users set totp_secret = $2, totp_enabled = $3, totp_last_step = null, updated_at = $4 where id = $1 and totp_enabled = $5")
            .bind(user.0)
            .bind(secret)
            .bind(false)
            .bind(at)
            .bind(false)
            .execute(&mut *tx)
            .await?;
        self.commit(tx).await?;
        Ok(())
    }

    /// Turns TOTP on after the user proved they can produce codes, replacing the recovery
    /// codes with new ones (stored as hashes).
    pub async fn enable_totp(
        &self,
        user: UserId,
        step: i64,
        recovery_hashes: &[String],
        at: i64,
        audit: &NewAudit,
    ) -> Result<(), StoreError> {
        let mut tx = self.begin_write().await?;
        sqlx::query("update users set totp_enabled = $2, totp_last_step = $3, updated_at = $4 where id = $1")
            .bind(user.0)
            .bind(true)
            .bind(step)
            .bind(at)
            .execute(&mut *tx)
            .await?;
        sqlx::query("delete from recovery_codes where user_id = $1")
            .bind(user.0)
            .execute(&mut *tx)
            .await?;
        for hash in recovery_hashes {
            sqlx::query("insert into recovery_codes (user_id, code_hash) values ($1, $2)")
                .bind(user.0)
                .bind(hash)
                .execute(&mut *tx)
                .await?;
        }
        append(&mut tx, audit).await?;
        self.commit(tx).await?;
        Ok(())
    }

    /// Records the step of an accepted code, refusing (false) if that step or a later one was
    /// already used: the check and the write are one statement, so a code cannot be replayed
    /// by two requests racing.
    pub async fn use_totp_step(&self, user: UserId, step: i64) -> Result<bool, StoreError> {
        let mut tx = self.begin_write().await?;
        let done = sqlx::query(
            "update users set totp_last_step = $2 where id = $1 and (totp_last_step is null or totp_last_step < $2)",
        )
        .bind(user.0)
        .bind(step)
        .execute(&mut *tx)
        .await?;
        self.commit(tx).await?;
        Ok(done.rows_affected() == 1)
    }

    /// Spends a recovery code; false if it is unknown or already used.
    pub async fn use_recovery_code(
        &self,
        user: UserId,
        hash: &str,
        at: i64,
        audit: &NewAudit,
    ) -> Result<bool, StoreError> {
        let mut tx = self.begin_write().await?;
        let done = sqlx::query(
            "update recovery_codes set used_at = $3 where user_id = $1 and code_hash = $2 and used_at is null",
        )
        .bind(user.0)
        .bind(hash)
        .bind(at)
        .execute(&mut *tx)
        .await?;
        if done.rows_affected() != 1 {
            return Ok(false);
        }
        append(&mut tx, audit).await?;
        self.commit(tx).await?;
        Ok(true)
    }

    pub async fn unused_recovery_codes(&self, user: UserId) -> Result<u64, StoreError> {
        self.read_count(
            "select count(*) as n from recovery_codes where user_id = $1 and used_at is null",
            &[user.0.into()],
        )
        .await
    }

    pub async fn count_users(&self) -> Result<u64, StoreError> {
        self.read_count("select count(*) as n from users", &[]).await
    }
}

/// Deletes a user's sessions, but for the one to keep.
async fn end_sessions(
    tx: &mut super::Tx<'_>,
    user: UserId,
    keep: Option<hygeia_domain::ids::SessionId>,
) -> Result<(), StoreError> {
    sqlx::query("delete from sessions where user_id = $1 and id <> $2")
        .bind(user.0)
        .bind(keep.map(|k| k.0).unwrap_or_default())
        .execute(&mut **tx)
        .await?;
    Ok(())
}

pub(super) async fn insert_user(tx: &mut super::Tx<'_>, user: &User) -> Result<(), StoreError> {
    sqlx::query(
        "insert into users (id, email, display_name, password_hash, is_platform_admin, totp_secret, totp_enabled, totp_last_step, created_at, updated_at) \
         values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
    )
    .bind(user.id.0)
    .bind(user.email.as_str())
    .bind(&user.display_name)
    .bind(&user.password_hash)
    .bind(user.is_platform_admin)
    .bind(&user.totp_secret)
    .bind(user.totp_enabled)
    .bind(user.totp_last_step)
    .bind(user.created_at)
    .bind(user.updated_at)
    .execute(&mut **tx)
    .await?;
    Ok(())
}
