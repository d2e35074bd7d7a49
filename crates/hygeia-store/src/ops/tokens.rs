//! API tokens. Only a hash of each token is stored; the token itself is shown once.

use super::audit::append;
use super::{Repo, expect_one, rows};
use crate::StoreError;
use crate::model::{ApiToken, NewAudit, User};
use hygeia_domain::ids::{TokenId, UserId};

impl Repo {
    pub async fn create_token(&self, t: &ApiToken, token_hash: &str, audit: &NewAudit) -> Result<(), StoreError> {
        let mut tx = self.begin_write().await?;
        sqlx::query(
            "insert into api_tokens (id, user_id, name, token_hash, read_only, org_id, created_at, expires_at) \
             values ($1, $2, $3, $4, $5, $6, $7, $8)",
        )
        .bind(t.id.0)
        .bind(t.user_id.0)
        .bind(&t.name)
        .bind(token_hash)
        .bind(t.read_only)
        .bind(t.org_id.map(|o| o.0))
        .bind(t.created_at)
        .bind(t.expires_at)
        .execute(&mut *tx)
        .await?;
        append(&mut tx, audit).await?;
        self.commit(tx).await?;
        Ok(())
    }

    /// A person's tokens, newest first, revoked ones included so the history stays visible.
    pub async fn list_tokens(&self, user: UserId) -> Result<Vec<ApiToken>, StoreError> {
        self.read_all(
            composed!(
                "select {} from api_tokens where user_id = $1 order by created_at desc, id limit 500",
                rows::TOKEN_COLUMNS
            ),
            &[user.0.into()],
            rows::token,
        )
        .await
    }

    /// The usable token with this hash (not revoked, not expired at `now`) and its owner.
    pub async fn find_token(&self, token_hash: &str, now: i64) -> Result<Option<(ApiToken, User)>, StoreError> {
        self.read_opt(
            composed!(
                "select t.id, t.user_id, t.name, t.read_only, t.org_id, t.created_at, t.expires_at, t.last_used_at, t.revoked_at, {} \
                 from api_tokens t join users u on u.id = t.user_id \
                 where t.token_hash = $1 and t.revoked_at is null and (t.expires_at is null or t.expires_at > $2)",
                rows::USER_COLUMNS
            ),
            &[token_hash.into(), now.into()],
            |r| Ok((rows::token(r)?, rows::user(r)?)),
        )
        .await
    }

    /// Records use of a token. Called at most about once a minute per token, so heavy API use
    /// does not turn every read into a write.
    pub async fn touch_token(&self, id: TokenId, now: i64) -> Result<(), StoreError> {
        let mut tx = self.begin_write().await?;
        sqlx::query("update api_tokens set last_used_at = $2 where id = $1")
            .bind(id.0)
            .bind(now)
            .execute(&mut *tx)
            .await?;
        self.commit(tx).await?;
        Ok(())
    }

    pub async fn revoke_token(&self, user: UserId, id: TokenId, at: i64, audit: &NewAudit) -> Result<(), StoreError> {
        let mut tx = self.begin_write().await?;
        let done =
            sqlx::query("update api_tokens set revoked_at = $3 where id = $1 and user_id = $2 and revoked_at is null")
                .bind(id.0)
                .bind(user.0)
                .bind(at)
                .execute(&mut *tx)
                .await?;
        expect_one(done.rows_affected())?;
        append(&mut tx, audit).await?;
        self.commit(tx).await?;
        Ok(())
    }
}
