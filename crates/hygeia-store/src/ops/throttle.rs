//! Counting failed sign-ins, so that guessing is throttled per account and per source address.

use super::Repo;
use crate::StoreError;

impl Repo {
    pub async fn record_sign_in_failure(&self, keys: &[String], at: i64, forget_before: i64) -> Result<(), StoreError> {
        let mut tx = self.begin_write().await?;
        for key in keys {
            sqlx::query("insert into sign_in_failures (throttle_key, at) values ($1, $2)")
                .bind(key)
                .bind(at)
                .execute(&mut *tx)
                .await?;
        }
        // Old failures no longer count; dropping them here keeps the table small.
        sqlx::query("delete from sign_in_failures where at < $1")
            .bind(forget_before)
            .execute(&mut *tx)
            .await?;
        self.commit(tx).await?;
        Ok(())
    }

    pub async fn count_sign_in_failures(&self, key: &str, since: i64) -> Result<u64, StoreError> {
        self.read_count(
            "select count(*) as n from sign_in_failures where throttle_key = $1 and at >= $2",
            &[key.into(), since.into()],
        )
        .await
    }

    pub async fn clear_sign_in_failures(&self, key: &str) -> Result<(), StoreError> {
        let mut tx = self.begin_write().await?;
        sqlx::query("delete from sign_in_failures where throttle_key = $1")
            .bind(key)
            .execute(&mut *tx)
            .await?;
        self.commit(tx).await?;
        Ok(())
    }
}
