//! Signed-in sessions. Only a hash of the session token is stored, so a copy of the database
//! does not let anyone sign in as its users.

use super::{Repo, rows};
use crate::StoreError;
use crate::model::{Session, User};
use hygeia_domain::ids::{OrgId, SessionId};

impl Repo {
    pub async fn create_session(&self, s: &Session, token_hash: &str) -> Result<(), StoreError> {
        let mut tx = self.begin_write().await?;
        sqlx::query(
            "insert into sessions (id, token_hash, user_id, current_org_id, csrf_token, mfa_state, created_at, expires_at, last_seen_at) \
             values ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
        )
        .bind(s.id.0)
        .bind(token_hash)
        .bind(s.user_id.0)
        .bind(s.current_org_id.map(|o| o.0))
        .bind(&s.csrf_token)
        .bind(s.mfa_state.code())
        .bind(s.created_at)
        .bind(s.expires_at)
        .bind(s.last_seen_at)
        .execute(&mut *tx)
        .await?;
        self.commit(tx).await?;
        Ok(())
    }

    /// The live session for a token, with its user; expired sessions are not returned.
    pub async fn find_session(&self, token_hash: &str, now: i64) -> Result<Option<(Session, User)>, StoreError> {
        self.read_opt(
            composed!(
                "select s.id, s.user_id, s.current_org_id, s.csrf_token, s.mfa_state, s.created_at, s.expires_at, s.last_seen_at, {} \
                 from sessions s join users u on u.id = s.user_id where s.token_hash = $1 and s.expires_at > $2",
                rows::USER_COLUMNS
            ),
            &[token_hash.into(), now.into()],
            |r| Ok((rows::session(r)?, rows::user(r)?)),
        )
        .await
    }

    /// Keeps an active session alive: idle sessions expire, busy ones slide forward.
    pub async fn touch_session(&self, id: SessionId, now: i64, expires_at: i64) -> Result<(), StoreError> {
        let mut tx = self.begin_write().await?;
        sqlx::query("update sessions set last_seen_at = $2, expires_at = $3 where id = $1")
            .bind(id.0)
            .bind(now)
            .bind(expires_at)
            .execute(&mut *tx)
            .await?;
        self.commit(tx).await?;
        Ok(())
    }

    pub async fn set_session_org(&self, id: SessionId, org: Option<OrgId>) -> Result<(), StoreError> {
        let mut tx = self.begin_write().await?;
        sqlx::query("update sessions set current_org_id = $2 where id = $1")
            .bind(id.0)
            .bind(org.map(|o| o.0))
            .execute(&mut *tx)
            .await?;
        self.commit(tx).await?;
        Ok(())
    }

    pub async fn delete_session(&self, id: SessionId) -> Result<(), StoreError> {
        let mut tx = self.begin_write().await?;
        sqlx::query("delete from sessions where id = $1")
            .bind(id.0)
            .execute(&mut *tx)
            .await?;
        self.commit(tx).await?;
        Ok(())
    }

    pub async fn purge_expired_sessions(&self, now: i64) -> Result<u64, StoreError> {
        let mut tx = self.begin_write().await?;
        let done = sqlx::query("delete from sessions where expires_at <= $1")
            .bind(now)
            .execute(&mut *tx)
            .await?;
        self.commit(tx).await?;
        Ok(done.rows_affected())
    }
}
