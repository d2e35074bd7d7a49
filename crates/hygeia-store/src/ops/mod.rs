//! The SQL of every use case, written once. This module is compiled twice: `sqlite` and
//! `postgres` each include it with their own `Db` and `Repo`, so a statement here must mean
//! the same on both (`$n` placeholders, `returning`, `on conflict` all do). Column types differ
//! only in the migrations; values cross as the same Rust types on both.

/// Builds SQL from constant pieces of this crate (shared column lists, table names from
/// `schema`) and marks it safe. Never give it anything that came from a request.
macro_rules! composed {
    ($($arg:tt)*) => {
        sqlx::AssertSqlSafe(format!($($arg)*))
    };
}

mod alert_candidates;
mod alerts;
mod assessments;
mod assets;
mod audit;
mod backup;
mod census_lines;
mod clocks;
mod evidence;
mod frameworks;
mod governance;
mod incidents;
mod invitations;
mod kev;
mod lifecycle;
mod mappings;
mod members;
mod migrate;
mod notifications;
mod orgs;
mod plans;
mod presence_lines;
mod read;
mod requests;
mod rows;
mod sessions;
mod throttle;
mod tokens;
mod unsupported;
mod users;
mod webhooks;

use super::batch;
pub(super) use super::{Db, Repo, Row, placeholder};
pub(super) use assets::{ASSET_UPSERT, LIST_UPSERT, SoftwareList, to_json};
pub(crate) use read::{Arg, Cols, Sql};

/// `(p, p, …), (p, p, …)`: `rows` groups of `width` placeholders, numbered from 1.
pub(super) fn value_rows(rows: usize, width: usize) -> String {
    let mut out = String::with_capacity(rows * width * 5);
    for r in 0..rows {
        if r > 0 {
            out.push_str(", ");
        }
        out.push('(');
        for c in 0..width {
            if c > 0 {
                out.push_str(", ");
            }
            out.push_str(&placeholder(r * width + c + 1));
        }
        out.push(')');
    }
    out
}

/// Keys or ids per `in (…)` list: well under either backend's parameter limits. Statements
/// with such lists are not kept prepared (`persistent(false)`): PostgreSQL then plans them
/// for the organisation at hand, where a cached generic plan scanned a large trust's assets.
pub(super) const LIST_BATCH: usize = 500;

/// `($first, …)`: `n` numbered placeholders (both the readers and sqlx take `$n`; a list
/// this short does not make SQLite's lookup of named parameters slow).
pub(super) fn numbered_list(first: usize, n: usize) -> String {
    let items: Vec<String> = (first..first + n).map(|i| format!("${i}")).collect();
    format!("({})", items.join(", "))
}

/// `($a, $b), ($c, $d), …`: `n` pairs of placeholders numbered from `first`, for
/// `(x, y) in (values …)`.
pub(super) fn numbered_pairs(first: usize, n: usize) -> String {
    let pairs: Vec<String> = (0..n)
        .map(|i| format!("(${}, ${})", first + 2 * i, first + 2 * i + 1))
        .collect();
    pairs.join(", ")
}

/// A write transaction of this backend.
pub(super) type Tx<'a> = sqlx::Transaction<'a, Db>;

/// Converts a count or offset for binding: both backends bind 64-bit integers.
pub(super) fn int(n: u64) -> i64 {
    i64::try_from(n).unwrap_or(i64::MAX)
}

impl Repo {
    /// Commits and then counts the write, so caches filled before it can tell they are stale.
    pub(crate) async fn commit(&self, tx: Tx<'static>) -> Result<(), crate::StoreError> {
        tx.commit().await?;
        self.generation.fetch_add(1, std::sync::atomic::Ordering::Release);
        self.committed();
        Ok(())
    }

    /// How many writes this process has committed: changes whenever data may have changed.
    pub fn generation(&self) -> u64 {
        self.generation.load(std::sync::atomic::Ordering::Acquire)
    }
}

/// An update or delete aimed at one row found none: the thing is not there (or not the
/// caller's).
pub(super) fn expect_one(rows_affected: u64) -> Result<(), crate::StoreError> {
    if rows_affected == 1 {
        Ok(())
    } else {
        Err(crate::StoreError::NotFound)
    }
}
