//! SQLite reads on the calling thread: a small pool of plain read-only connections.
//!
//! WAL lets readers run beside the one writer without waiting for it, so a read is a few tens
//! of microseconds of SQLite work; running it where the request already is saves the two
//! thread hand-overs per statement of sqlx's SQLite driver, which cost more than the read
//! (BENCHMARKS.md). A read therefore blocks its async worker for the length of the statement:
//! fine for the bounded, indexed reads of pages and lists; a statement that scans a sector
//! belongs in a blocking task.

use super::ops::{Arg, Cols, Sql};
use crate::StoreError;
use rusqlite::config::DbConfig;
use rusqlite::{Connection, OpenFlags};
use std::path::PathBuf;
use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;
use uuid::Uuid;

/// How many idle connections are kept; more are opened under load and closed after.
const KEEP_IDLE: usize = 8;
/// Prepared statements kept per connection (every read this crate has, with room).
const STATEMENT_CACHE: usize = 128;

pub(crate) struct Readers {
    path: PathBuf,
    idle: Mutex<Vec<Connection>>,
    closed: AtomicBool,
}

impl Readers {
    pub(crate) fn new(path: PathBuf) -> Self {
        Self {
            path,
            idle: Mutex::new(Vec::new()),
            closed: AtomicBool::new(false),
        }
    }

    fn take(&self) -> Result<Connection, StoreError> {
        if self.closed.load(Ordering::Acquire) {
            return Err(StoreError::Unavailable("the database is closed".into()));
        }
        if let Some(conn) = self.idle.lock().unwrap_or_else(|p| p.into_inner()).pop() {
            return Ok(conn);
        }
        let conn = Connection::open_with_flags(
            &self.path,
            OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX | OpenFlags::SQLITE_OPEN_URI,
        )
        .map_err(|e| StoreError::Unavailable(format!("cannot open {}: {e}", self.path.display())))?;
        conn.busy_timeout(Duration::from_secs(10))?;
        // Without the query planner stability guarantee SQLite re-plans a cached statement
        // whenever a parameter it might plan on is bound again, `limit $n` included: every
        // page read would be parsed anew. Our plans do not depend on the values.
        conn.set_db_config(DbConfig::SQLITE_DBCONFIG_ENABLE_QPSG, true)?;
        conn.set_prepared_statement_cache_capacity(STATEMENT_CACHE);
        Ok(conn)
    }

    fn give(&self, conn: Connection) {
        let mut idle = self.idle.lock().unwrap_or_else(|p| p.into_inner());
        if idle.len() < KEEP_IDLE && !self.closed.load(Ordering::Acquire) {
            idle.push(conn);
        }
    }

    /// Closes the idle connections and refuses further reads (the store is shutting down).
    pub(crate) fn close(&self) {
        self.closed.store(true, Ordering::Release);
        self.idle.lock().unwrap_or_else(|p| p.into_inner()).clear();
    }

    /// Runs `sql` with `args` bound to its `$n` and reads up to `limit` rows through `map`.
    pub(crate) fn read<T>(
        &self,
        sql: &Sql,
        args: &[Arg<'_>],
        limit: Option<usize>,
        map: &mut dyn FnMut(&dyn Cols) -> Result<T, StoreError>,
    ) -> Result<Vec<T>, StoreError> {
        let conn = self.take()?;
        let result = run(&conn, sql, args, limit, map);
        self.give(conn);
        result
    }
}

fn run<T>(
    conn: &Connection,
    sql: &Sql,
    args: &[Arg<'_>],
    limit: Option<usize>,
    map: &mut dyn FnMut(&dyn Cols) -> Result<T, StoreError>,
) -> Result<Vec<T>, StoreError> {
    let mut stmt = conn.prepare_cached(&sql.0)?;
    // SQLite numbers parameters in order of first appearance, so `$2 … $1` would swap them
    // if bound by position: bind each by the number in its name instead.
    for index in 1..=stmt.parameter_count() {
        let name = stmt.parameter_name(index).unwrap_or_default();
        let arg = name
            .strip_prefix('$')
            .and_then(|n| n.parse::<usize>().ok())
            .and_then(|n| n.checked_sub(1))
            .and_then(|n| args.get(n))
            .ok_or_else(|| StoreError::Database(format!("no argument for parameter '{name}'")))?;
        match *arg {
            Arg::Id(v) => stmt.raw_bind_parameter(index, v)?,
            Arg::Int(v) => stmt.raw_bind_parameter(index, v)?,
            Arg::Text(v) => stmt.raw_bind_parameter(index, v)?,
            Arg::Flag(v) => stmt.raw_bind_parameter(index, v)?,
        }
    }
    let mut rows = stmt.raw_query();
    let mut out = Vec::new();
    while let Some(row) = rows.next()? {
        out.push(map(&LiteRow(row))?);
        if limit.is_some_and(|l| out.len() >= l) {
            break;
        }
    }
    Ok(out)
}

struct LiteRow<'a, 'b>(&'a rusqlite::Row<'b>);

impl Cols for LiteRow<'_, '_> {
    fn id(&self, col: &str) -> Result<Uuid, StoreError> {
        Ok(self.0.get(col)?)
    }
    fn opt_id(&self, col: &str) -> Result<Option<Uuid>, StoreError> {
        Ok(self.0.get(col)?)
    }
    fn int(&self, col: &str) -> Result<i64, StoreError> {
        Ok(self.0.get(col)?)
    }
    fn opt_int(&self, col: &str) -> Result<Option<i64>, StoreError> {
        Ok(self.0.get(col)?)
    }
    fn text(&self, col: &str) -> Result<String, StoreError> {
        Ok(self.0.get(col)?)
    }
    fn opt_text(&self, col: &str) -> Result<Option<String>, StoreError> {
        Ok(self.0.get(col)?)
    }
    fn flag(&self, col: &str) -> Result<bool, StoreError> {
        Ok(self.0.get(col)?)
    }
    fn opt_flag(&self, col: &str) -> Result<Option<bool>, StoreError> {
        Ok(self.0.get(col)?)
    }
    fn bytes(&self, col: &str) -> Result<Vec<u8>, StoreError> {
        Ok(self.0.get(col)?)
    }
}

impl From<rusqlite::Error> for StoreError {
    fn from(e: rusqlite::Error) -> Self {
        use rusqlite::ErrorCode::{CannotOpen, DatabaseBusy, DatabaseLocked};
        match &e {
            rusqlite::Error::QueryReturnedNoRows => StoreError::NotFound,
            rusqlite::Error::SqliteFailure(f, _) if matches!(f.code, DatabaseBusy | DatabaseLocked | CannotOpen) => {
                StoreError::Unavailable(e.to_string())
            }
            rusqlite::Error::FromSqlConversionFailure(..)
            | rusqlite::Error::InvalidColumnType(..)
            | rusqlite::Error::IntegralValueOutOfRange(..) => StoreError::Corrupt(e.to_string()),
            _ => StoreError::Database(e.to_string()),
        }
    }
}
