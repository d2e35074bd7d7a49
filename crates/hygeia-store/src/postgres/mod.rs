//! The PostgreSQL backend, for a group or a whole sector.

use crate::StoreError;
use sqlx::postgres::PgPoolOptions;
use sqlx::{Pool, Transaction};
use std::sync::atomic::AtomicU64;
use std::time::Duration;

pub(crate) type Db = sqlx::Postgres;
/// A placeholder for the n-th value of a generated multi-row statement.
pub(crate) fn placeholder(n: usize) -> String {
    format!("${n}")
}

pub(crate) type Row = sqlx::postgres::PgRow;

mod batch;
#[path = "../ops/mod.rs"]
mod ops;

pub struct Repo {
    pool: Pool<Db>,
    generation: AtomicU64,
}

/// Arguments beyond which a read is planned afresh rather than from a cached plan.
const LONG_LIST: usize = 64;

impl Repo {
    const MIGRATIONS: &'static [(i64, &'static str, &'static str)] = &[
        (
            1,
            "foundation",
            include_str!("../../migrations/postgres/0001_foundation.sql"),
        ),
        (
            2,
            "incidents",
            include_str!("../../migrations/postgres/0002_incidents.sql"),
        ),
        (
            3,
            "notifications",
            include_str!("../../migrations/postgres/0003_notifications.sql"),
        ),
        (
            4,
            "clocks and mail",
            include_str!("../../migrations/postgres/0004_clocks_and_mail.sql"),
        ),
        (
            5,
            "response plans",
            include_str!("../../migrations/postgres/0005_response_plans.sql"),
        ),
        (
            6,
            "regime settings",
            include_str!("../../migrations/postgres/0006_regime_settings.sql"),
        ),
        (
            7,
            "notification delivery",
            include_str!("../../migrations/postgres/0007_notification_delivery.sql"),
        ),
        (
            8,
            "evidence library",
            include_str!("../../migrations/postgres/0008_evidence.sql"),
        ),
        (
            9,
            "report requests",
            include_str!("../../migrations/postgres/0009_report_requests.sql"),
        ),
        (
            10,
            "webhooks",
            include_str!("../../migrations/postgres/0010_webhooks.sql"),
        ),
        (
            11,
            "improvement actions and risks",
            include_str!("../../migrations/postgres/0011_governance.sql"),
        ),
        (
            12,
            "framework library",
            include_str!("../../migrations/postgres/0012_frameworks.sql"),
        ),
        (
            13,
            "assessments",
            include_str!("../../migrations/postgres/0013_assessments.sql"),
        ),
        (
            14,
            "assessment grades",
            include_str!("../../migrations/postgres/0014_assessment_grades.sql"),
        ),
        (
            15,
            "framework status rules",
            include_str!("../../migrations/postgres/0015_framework_status_rule.sql"),
        ),
        (
            16,
            "assessment standing, framework mappings, item comments",
            include_str!("../../migrations/postgres/0016_assessment_standing_mappings_comments.sql"),
        ),
        (
            17,
            "evidence review reminders",
            include_str!("../../migrations/postgres/0017_evidence_review_reminders.sql"),
        ),
        (
            18,
            "assets, lifecycle, unsupported systems, national alerts and KEV",
            include_str!("../../migrations/postgres/0018_assets_and_alerts.sql"),
        ),
        (
            19,
            "asset software without per-row foreign keys",
            include_str!("../../migrations/postgres/0019_asset_software_without_foreign_keys.sql"),
        ),
        (
            20,
            "asset software as one list per asset, and the presence lines matching reads",
            include_str!("../../migrations/postgres/0020_software_lists.sql"),
        ),
        (
            21,
            "the source index carries each asset's key and id",
            include_str!("../../migrations/postgres/0021_assets_by_source_covering.sql"),
        ),
        (
            22,
            "assets without the source index",
            include_str!("../../migrations/postgres/0022_assets_without_source_index.sql"),
        ),
        (
            23,
            "assets without a per-row check of their organisation",
            include_str!("../../migrations/postgres/0023_assets_without_org_foreign_key.sql"),
        ),
    ];

    pub async fn open(url: &str, max_connections: u32) -> Result<Self, StoreError> {
        let pool = PgPoolOptions::new()
            .max_connections(max_connections)
            .acquire_timeout(Duration::from_secs(10))
            .connect(url)
            .await
            .map_err(|e| StoreError::Unavailable(redact(&e.to_string(), url)))?;
        Ok(Self {
            pool,
            generation: AtomicU64::new(0),
        })
    }

    /// After a commit: nothing to do (PostgreSQL checkpoints on its own).
    pub(crate) fn committed(&self) {}

    pub(crate) async fn begin_write(&self) -> Result<Transaction<'static, Db>, StoreError> {
        Ok(self.pool.begin().await?)
    }

    pub(crate) fn reader(&self) -> &Pool<Db> {
        &self.pool
    }

    /// Runs a read through the pool.
    pub(crate) async fn read_rows<T>(
        &self,
        sql: ops::Sql,
        args: &[ops::Arg<'_>],
        limit: Option<usize>,
        mut map: impl FnMut(&dyn ops::Cols) -> Result<T, StoreError>,
    ) -> Result<Vec<T>, StoreError> {
        // A statement with a long generated list (`in ($3, … $502)`) is planned for its
        // values each time: a cached generic plan assumes an average organisation and scanned
        // a trust's 50,000 assets for 500 keys (BENCHMARKS.md).
        let query = bind_all(sqlx::query(sqlx::AssertSqlSafe(sql.0)), args).persistent(args.len() <= LONG_LIST);
        let rows = if limit == Some(1) {
            query.fetch_optional(&self.pool).await?.into_iter().collect()
        } else {
            query.fetch_all(&self.pool).await?
        };
        rows.iter().map(|r| map(r)).collect()
    }

    /// Two servers starting at once must not both apply a migration.
    async fn lock_migrations(tx: &mut Transaction<'_, Db>) -> Result<(), StoreError> {
        sqlx::query("select pg_advisory_xact_lock(4817220)")
            .execute(&mut **tx)
            .await?;
        Ok(())
    }

    pub async fn close(&self) {
        self.pool.close().await;
    }
}

/// Binds `Arg`s to a sqlx query in order (`$1` is the first).
fn bind_all<'q>(
    mut query: sqlx::query::Query<'q, Db, <Db as sqlx::Database>::Arguments>,
    args: &[ops::Arg<'q>],
) -> sqlx::query::Query<'q, Db, <Db as sqlx::Database>::Arguments> {
    for arg in args {
        query = match *arg {
            ops::Arg::Id(v) => query.bind(v),
            ops::Arg::Int(v) => query.bind(v),
            ops::Arg::Text(v) => query.bind(v),
            ops::Arg::Flag(v) => query.bind(v),
        };
    }
    query
}

/// Keeps a password in the URL out of error messages and logs.
fn redact(message: &str, url: &str) -> String {
    match url
        .split_once("://")
        .and_then(|(_, rest)| rest.split_once('@'))
        .and_then(|(cred, _)| cred.split_once(':'))
    {
        Some((_, password)) if !password.is_empty() => message.replace(password, "***"),
        _ => message.to_owned(),
    }
}
