//! Applying schema migrations: each in its own transaction, recorded with a checksum so that
//! an edited migration is noticed instead of silently skipped.

use super::Repo;
use crate::StoreError;
use sha2::{Digest, Sha256};
use sqlx::Row as _;

impl Repo {
    /// Applies the migrations this build knows and the database lacks; returns how many.
    pub async fn migrate(&self) -> Result<u32, StoreError> {
        self.migrate_through(i64::MAX).await
    }

    /// The same, up to and including migration `last` (tests of a migration's data step
    /// write data in the shape before it).
    pub async fn migrate_through(&self, last: i64) -> Result<u32, StoreError> {
        let mut tx = self.begin_write().await?;
        sqlx::query(
            "create table if not exists schema_migrations (version bigint primary key, name text not null, \
             checksum text not null, applied_at bigint not null)",
        )
        .execute(&mut *tx)
        .await?;
        self.commit(tx).await?;
        let mut applied = 0;
        for (version, name, sql) in Self::MIGRATIONS.iter().filter(|(v, _, _)| *v <= last) {
            let checksum = hygeia_domain::audit::hex(&Sha256::digest(sql.as_bytes()));
            let mut tx = self.begin_write().await?;
            Self::lock_migrations(&mut tx).await?;
            let existing = sqlx::query("select checksum from schema_migrations where version = $1")
                .bind(version)
                .fetch_optional(&mut *tx)
                .await?;
            if let Some(row) = existing {
                let stored: String = row.try_get("checksum")?;
                if stored != checksum {
                    return Err(StoreError::Corrupt(format!(
                        "migration {version} ({name}) differs from the one applied to this database"
                    )));
                }
                continue;
            }
            sqlx::raw_sql(*sql).execute(&mut *tx).await?;
            sqlx::query("insert into schema_migrations (version, name, checksum, applied_at) values ($1, $2, $3, $4)")
                .bind(version)
                .bind(name)
                .bind(&checksum)
                .bind(0i64)
                .execute(&mut *tx)
                .await?;
            self.commit(tx).await?;
            applied += 1;
        }
        Ok(applied)
    }

    /// The newest migration applied, or 0 for an empty database.
    pub async fn schema_version(&self) -> Result<i64, StoreError> {
        self.read_one(
            "select coalesce(max(version), 0) as v from schema_migrations",
            &[],
            |r| r.int("v"),
        )
        .await
    }

    /// Whether the database answers at all (readiness).
    pub async fn ping(&self) -> Result<(), StoreError> {
        self.read_one("select 1", &[], |_| Ok(())).await?;
        Ok(())
    }
}
