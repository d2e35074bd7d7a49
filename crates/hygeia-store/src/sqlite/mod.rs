//! The embedded SQLite backend: one file under the data folder, WAL journal, foreign keys on.
//! One writer connection (SQLite allows one writer at a time; queueing in the pool is cheaper
//! than retrying on SQLITE_BUSY) and a pool of read-only connections that WAL lets run
//! alongside it.

use crate::StoreError;
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};
use sqlx::{Pool, Transaction};
use std::path::Path;
use std::sync::atomic::AtomicU64;
use std::time::Duration;

pub(crate) type Db = sqlx::Sqlite;
/// Concrete, not `<Db as Database>::Row`, so `ops::Cols` can be implemented for it and for
/// the plain reader's rows side by side.
/// A placeholder for the n-th value of a generated multi-row statement. SQLite gets a plain
/// `?`: a `$n` is a named parameter to SQLite, and binding thousands of them looks each name
/// up in a list, which made a 500-row insert quadratic in its values (BENCHMARKS.md).
pub(crate) fn placeholder(_n: usize) -> String {
    "?".to_owned()
}

pub(crate) type Row = sqlx::sqlite::SqliteRow;

mod batch;
mod checkpointer;
#[path = "../ops/mod.rs"]
mod ops;
mod readers;

/// The writer's page cache, in KiB (negative, as SQLite takes it): 16 MiB. SQLite's default
/// of 2 MiB spilled an import's dirty pages to the WAL before its commit, and an import of
/// 5,000 assets into a register of 50,000 took twice as long. Larger is not better: at the
/// end of every write transaction SQLite walks the cached pages, and with 64 MiB that walk
/// was 7% of a sustained import's samples, against 1.4% with 16 MiB (BENCHMARKS.md).
const WRITER_CACHE: &str = "-16384";

pub struct Repo {
    writer: Pool<Db>,
    reader: Pool<Db>,
    readers: readers::Readers,
    checkpointer: checkpointer::Checkpointer,
    generation: AtomicU64,
}

impl Repo {
    const MIGRATIONS: &'static [(i64, &'static str, &'static str)] = &[
        (
            1,
            "foundation",
            include_str!("../../migrations/sqlite/0001_foundation.sql"),
        ),
        (
            2,
            "incidents",
            include_str!("../../migrations/sqlite/0002_incidents.sql"),
        ),
        (
            3,
            "notifications",
            include_str!("../../migrations/sqlite/0003_notifications.sql"),
        ),
        (
            4,
            "clocks and mail",
            include_str!("../../migrations/sqlite/0004_clocks_and_mail.sql"),
        ),
        (
            5,
            "response plans",
            include_str!("../../migrations/sqlite/0005_response_plans.sql"),
        ),
        (
            6,
            "regime settings",
            include_str!("../../migrations/sqlite/0006_regime_settings.sql"),
        ),
        (
            7,
            "notification delivery",
            include_str!("../../migrations/sqlite/0007_notification_delivery.sql"),
        ),
        (
            8,
            "evidence library",
            include_str!("../../migrations/sqlite/0008_evidence.sql"),
        ),
        (
            9,
            "report requests",
            include_str!("../../migrations/sqlite/0009_report_requests.sql"),
        ),
        (
            10,
            "webhooks",
            include_str!("../../migrations/sqlite/0010_webhooks.sql"),
        ),
        (
            11,
            "improvement actions and risks",
            include_str!("../../migrations/sqlite/0011_governance.sql"),
        ),
        (
            12,
            "framework library",
            include_str!("../../migrations/sqlite/0012_frameworks.sql"),
        ),
        (
            13,
            "assessments",
            include_str!("../../migrations/sqlite/0013_assessments.sql"),
        ),
        (
            14,
            "assessment grades",
            include_str!("../../migrations/sqlite/0014_assessment_grades.sql"),
        ),
        (
            15,
            "framework status rules",
            include_str!("../../migrations/sqlite/0015_framework_status_rule.sql"),
        ),
        (
            16,
            "assessment standing, framework mappings, item comments",
            include_str!("../../migrations/sqlite/0016_assessment_standing_mappings_comments.sql"),
        ),
        (
            17,
            "evidence review reminders",
            include_str!("../../migrations/sqlite/0017_evidence_review_reminders.sql"),
        ),
        (
            18,
            "assets, lifecycle, unsupported systems, national alerts and KEV",
            include_str!("../../migrations/sqlite/0018_assets_and_alerts.sql"),
        ),
        (
            19,
            "asset software without per-row foreign keys",
            include_str!("../../migrations/sqlite/0019_asset_software_without_foreign_keys.sql"),
        ),
        (
            20,
            "asset software as one list per asset, and the presence lines matching reads",
            include_str!("../../migrations/sqlite/0020_software_lists.sql"),
        ),
        (
            21,
            "the source index carries each asset's key and id",
            include_str!("../../migrations/sqlite/0021_assets_by_source_covering.sql"),
        ),
        (
            22,
            "assets without the source index",
            include_str!("../../migrations/sqlite/0022_assets_without_source_index.sql"),
        ),
        (
            23,
            "assets without a per-row check of their organisation",
            include_str!("../../migrations/sqlite/0023_assets_without_org_foreign_key.sql"),
        ),
    ];

    pub async fn open(path: &Path) -> Result<Self, StoreError> {
        let options = SqliteConnectOptions::new()
            .filename(path)
            .create_if_missing(true)
            .journal_mode(SqliteJournalMode::Wal)
            // NORMAL in WAL mode: a commit is in the OS before it is acknowledged, so it
            // survives the process being killed; only power loss can take the last commits.
            .synchronous(SqliteSynchronous::Normal)
            .foreign_keys(true)
            .busy_timeout(Duration::from_secs(10));
        let writer = SqlitePoolOptions::new()
            .max_connections(1)
            .acquire_timeout(Duration::from_secs(30))
            .connect_with(
                options
                    .clone()
                    .pragma("cache_size", WRITER_CACHE)
                    .pragma("wal_autocheckpoint", checkpointer::WRITER_BACKSTOP_PAGES),
            )
            .await
            .map_err(|e| StoreError::Unavailable(format!("cannot open {}: {e}", path.display())))?;
        let reader = SqlitePoolOptions::new()
            .max_connections(4)
            .acquire_timeout(Duration::from_secs(30))
            .connect_with(options.read_only(true))
            .await
            .map_err(|e| StoreError::Unavailable(format!("cannot open {}: {e}", path.display())))?;
        Ok(Self {
            writer,
            reader,
            readers: readers::Readers::new(path.to_path_buf()),
            checkpointer: checkpointer::Checkpointer::start(path)?,
            generation: AtomicU64::new(0),
        })
    }

    pub(crate) async fn begin_write(&self) -> Result<Transaction<'static, Db>, StoreError> {
        Ok(self.writer.begin().await?)
    }

    pub(crate) fn reader(&self) -> &Pool<Db> {
        &self.reader
    }

    /// Runs a read on this thread (see `readers`).
    pub(crate) async fn read_rows<T>(
        &self,
        sql: ops::Sql,
        args: &[ops::Arg<'_>],
        limit: Option<usize>,
        mut map: impl FnMut(&dyn ops::Cols) -> Result<T, StoreError>,
    ) -> Result<Vec<T>, StoreError> {
        self.readers.read(&sql, args, limit, &mut map)
    }

    /// SQLite has one writer, so migrations cannot race.
    async fn lock_migrations(_tx: &mut Transaction<'_, Db>) -> Result<(), StoreError> {
        Ok(())
    }

    /// After a commit: the WAL is copied back by the checkpoint thread, not by the writer.
    pub(crate) fn committed(&self) {
        self.checkpointer.nudge();
    }

    pub async fn close(&self) {
        self.checkpointer.stop();
        self.readers.close();
        self.reader.close().await;
        self.writer.close().await;
    }
}
