//! Test support shared by the crates' integration tests: a fresh, migrated database per test
//! on either backend, and the app over it with a clock the test moves.
//!
//! PostgreSQL tests run when `HYGEIA_TEST_POSTGRES` names a server (an admin URL; each test
//! creates its own database there). Without it they skip with a message, unless
//! `HYGEIA_TEST_REQUIRE_POSTGRES=1` (as in `scripts/test.sh` and CI), where skipping fails.

#![allow(clippy::expect_used, clippy::panic)]

pub mod http_sink;
pub mod smtp_sink;
pub mod timing;

use hygeia_core::clock::ManualClock;
use hygeia_core::secrets::HashCost;
use hygeia_core::{CoreConfig, Hygeia, Store};
use sqlx::Connection;
use std::sync::Arc;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

/// A fresh database that lives as long as this value.
pub struct TestDb {
    pub backend: Backend,
    /// Where the data is: the SQLite file's URL or the PostgreSQL database's URL.
    pub url: String,
    _dir: Option<tempfile::TempDir>,
}

/// 14 November 2026 09:00 UTC: a fixed start so tests see the same times every run.
pub const START_MS: i64 = 1_794_646_800_000;

impl TestDb {
    /// A new empty database, or `None` (with a message) when PostgreSQL is not configured.
    pub async fn new(backend: Backend) -> Option<Self> {
        match backend {
            Backend::Sqlite => {
                let dir = tempfile::tempdir().expect("temporary folder");
                let url = format!("sqlite://{}", dir.path().join("hygeia.db").display());
                Some(TestDb {
                    backend,
                    url,
                    _dir: Some(dir),
                })
            }
            Backend::Postgres => {
                let Ok(admin) = std::env::var("HYGEIA_TEST_POSTGRES") else {
                    if std::env::var("HYGEIA_TEST_REQUIRE_POSTGRES").is_ok_and(|v| v == "1") {
                        panic!("HYGEIA_TEST_REQUIRE_POSTGRES=1 but HYGEIA_TEST_POSTGRES is not set");
                    }
                    eprintln!("skipped on PostgreSQL: set HYGEIA_TEST_POSTGRES (scripts/test.sh does)");
                    return None;
                };
                let name = format!("hygeia_test_{}", uuid::Uuid::now_v7().simple());
                let mut conn = sqlx::PgConnection::connect(&admin)
                    .await
                    .expect("connect to HYGEIA_TEST_POSTGRES");
                sqlx::raw_sql(sqlx::AssertSqlSafe(format!("create database {name}")))
                    .execute(&mut conn)
                    .await
                    .expect("create database");
                let base = admin.rsplit_once('/').map_or(admin.as_str(), |(b, _)| b);
                Some(TestDb {
                    backend,
                    url: format!("{base}/{name}"),
                    _dir: None,
                })
            }
        }
    }

    /// Opens (and migrates) a store on this database.
    pub async fn store(&self) -> Store {
        let store = Store::open(Some(&self.url), std::path::Path::new("."))
            .await
            .expect("open store");
        store.migrate().await.expect("migrate");
        store
    }

    /// A single integer from raw SQL (counts in benchmarks and tests).
    pub async fn count(&self, sql: &str) -> i64 {
        use sqlx::Row;
        let sql = sqlx::AssertSqlSafe(sql.to_owned());
        match self.backend {
            Backend::Sqlite => {
                let mut c = sqlx::SqliteConnection::connect(&self.url).await.expect("connect");
                sqlx::query(sql)
                    .fetch_one(&mut c)
                    .await
                    .expect("count")
                    .get::<i64, _>(0)
            }
            Backend::Postgres => {
                let mut c = sqlx::PgConnection::connect(&self.url).await.expect("connect");
                sqlx::query(sql)
                    .fetch_one(&mut c)
                    .await
                    .expect("count")
                    .get::<i64, _>(0)
            }
        }
    }

    /// Runs raw SQL against the database behind the app's back (to tamper, in tests that
    /// prove tampering is caught).
    pub async fn execute_raw(&self, sql: &str) -> u64 {
        match self.backend {
            Backend::Sqlite => {
                let mut c = sqlx::SqliteConnection::connect(&self.url).await.expect("connect");
                sqlx::raw_sql(sqlx::AssertSqlSafe(sql.to_owned()))
                    .execute(&mut c)
                    .await
                    .expect("raw sql")
                    .rows_affected()
            }
            Backend::Postgres => {
                let mut c = sqlx::PgConnection::connect(&self.url).await.expect("connect");
                sqlx::raw_sql(sqlx::AssertSqlSafe(sql.to_owned()))
                    .execute(&mut c)
                    .await
                    .expect("raw sql")
                    .rows_affected()
            }
        }
    }
}

/// Use-case settings for tests: cheap password hashing, everything else as in production.
pub fn test_config() -> CoreConfig {
    CoreConfig {
        hash_cost: HashCost::FOR_TESTS,
        ..CoreConfig::default()
    }
}

/// The app over a fresh database with a manual clock.
pub struct TestApp {
    pub db: TestDb,
    pub app: Arc<Hygeia>,
    pub clock: ManualClock,
}

impl TestApp {
    pub async fn new(backend: Backend) -> Option<Self> {
        let db = TestDb::new(backend).await?;
        let clock = ManualClock::new(START_MS);
        let app = Arc::new(Hygeia::new(db.store().await, Arc::new(clock.clone()), test_config()));
        Some(TestApp { db, app, clock })
    }

    /// The same, with the demo organisations and accounts.
    pub async fn with_demo(backend: Backend) -> Option<Self> {
        Self::with_demo_config(backend, test_config()).await
    }

    /// The demo over a fresh database, with settings of the test's own.
    pub async fn with_demo_config(backend: Backend, config: CoreConfig) -> Option<Self> {
        let db = TestDb::new(backend).await?;
        let clock = ManualClock::new(START_MS);
        let app = Arc::new(Hygeia::new(db.store().await, Arc::new(clock.clone()), config));
        app.seed_demo().await.expect("seed demo");
        Some(TestApp { db, app, clock })
    }
}

/// Declares one async test per backend: `name::sqlite` and `name::postgres`.
#[macro_export]
macro_rules! dual_test {
    ($(#[$meta:meta])* async fn $name:ident($backend:ident: Backend) $body:block) => {
        $(#[$meta])*
        mod $name {
            #[allow(unused_imports)]
            use super::*;

            async fn run($backend: $crate::Backend) $body

            #[tokio::test]
            async fn sqlite() {
                run($crate::Backend::Sqlite).await
            }

            #[tokio::test]
            async fn postgres() {
                run($crate::Backend::Postgres).await
            }
        }
    };
}
