//! The read side, written once for both backends: a statement (`Sql`), its arguments (`Arg`)
//! and a row seen through `Cols`. Each backend runs reads its own way (`Repo::read_rows`):
//! PostgreSQL through sqlx's pool, SQLite on the calling thread through a pool of plain
//! read-only connections, because sqlx's SQLite driver crosses threads twice per statement and
//! that, not SQLite, was most of a page's time (BENCHMARKS.md). Writes stay on sqlx on both.

use crate::StoreError;
use hygeia_domain::page::{Page, PageRequest};
use std::borrow::Cow;
use uuid::Uuid;

/// A statement's text: a literal, or one built by `composed!` from this crate's constants.
/// Never request data: that goes in `Arg`s.
pub(crate) struct Sql(pub(crate) Cow<'static, str>);

impl From<&'static str> for Sql {
    fn from(s: &'static str) -> Self {
        Sql(Cow::Borrowed(s))
    }
}

impl From<sqlx::AssertSqlSafe<String>> for Sql {
    fn from(s: sqlx::AssertSqlSafe<String>) -> Self {
        Sql(Cow::Owned(s.0))
    }
}

/// A value for a read statement's `$n` (the n-th of the slice).
#[derive(Debug, Clone, Copy)]
pub(crate) enum Arg<'a> {
    Id(Uuid),
    Int(i64),
    Text(&'a str),
    Flag(bool),
}

impl From<Uuid> for Arg<'_> {
    fn from(v: Uuid) -> Self {
        Arg::Id(v)
    }
}

impl From<i64> for Arg<'_> {
    fn from(v: i64) -> Self {
        Arg::Int(v)
    }
}

impl<'a> From<&'a str> for Arg<'a> {
    fn from(v: &'a str) -> Self {
        Arg::Text(v)
    }
}

impl From<bool> for Arg<'_> {
    fn from(v: bool) -> Self {
        Arg::Flag(v)
    }
}

/// A row, read by column name, the same whichever driver produced it: every record reader
/// (`rows.rs`) takes `&dyn Cols`, so one reader serves reads and reads inside writes alike.
pub(crate) trait Cols {
    fn id(&self, col: &str) -> Result<Uuid, StoreError>;
    fn opt_id(&self, col: &str) -> Result<Option<Uuid>, StoreError>;
    fn int(&self, col: &str) -> Result<i64, StoreError>;
    fn opt_int(&self, col: &str) -> Result<Option<i64>, StoreError>;
    fn text(&self, col: &str) -> Result<String, StoreError>;
    fn opt_text(&self, col: &str) -> Result<Option<String>, StoreError>;
    fn flag(&self, col: &str) -> Result<bool, StoreError>;
    fn opt_flag(&self, col: &str) -> Result<Option<bool>, StoreError>;
    fn bytes(&self, col: &str) -> Result<Vec<u8>, StoreError>;
}

/// sqlx rows of this backend (reads inside write transactions, and every PostgreSQL read).
impl Cols for super::Row {
    fn id(&self, col: &str) -> Result<Uuid, StoreError> {
        Ok(sqlx::Row::try_get(self, col)?)
    }
    fn opt_id(&self, col: &str) -> Result<Option<Uuid>, StoreError> {
        Ok(sqlx::Row::try_get(self, col)?)
    }
    fn int(&self, col: &str) -> Result<i64, StoreError> {
        Ok(sqlx::Row::try_get(self, col)?)
    }
    fn opt_int(&self, col: &str) -> Result<Option<i64>, StoreError> {
        Ok(sqlx::Row::try_get(self, col)?)
    }
    fn text(&self, col: &str) -> Result<String, StoreError> {
        Ok(sqlx::Row::try_get(self, col)?)
    }
    fn opt_text(&self, col: &str) -> Result<Option<String>, StoreError> {
        Ok(sqlx::Row::try_get(self, col)?)
    }
    fn flag(&self, col: &str) -> Result<bool, StoreError> {
        Ok(sqlx::Row::try_get(self, col)?)
    }
    fn opt_flag(&self, col: &str) -> Result<Option<bool>, StoreError> {
        Ok(sqlx::Row::try_get(self, col)?)
    }
    fn bytes(&self, col: &str) -> Result<Vec<u8>, StoreError> {
        Ok(sqlx::Row::try_get(self, col)?)
    }
}

impl super::Repo {
    /// The first row, if any.
    pub(super) async fn read_opt<T>(
        &self,
        sql: impl Into<Sql>,
        args: &[Arg<'_>],
        map: impl FnMut(&dyn Cols) -> Result<T, StoreError>,
    ) -> Result<Option<T>, StoreError> {
        Ok(self.read_rows(sql.into(), args, Some(1), map).await?.into_iter().next())
    }

    /// Exactly one row, or `NotFound`.
    pub(super) async fn read_one<T>(
        &self,
        sql: impl Into<Sql>,
        args: &[Arg<'_>],
        map: impl FnMut(&dyn Cols) -> Result<T, StoreError>,
    ) -> Result<T, StoreError> {
        self.read_opt(sql, args, map).await?.ok_or(StoreError::NotFound)
    }

    /// Every row.
    pub(super) async fn read_all<T>(
        &self,
        sql: impl Into<Sql>,
        args: &[Arg<'_>],
        map: impl FnMut(&dyn Cols) -> Result<T, StoreError>,
    ) -> Result<Vec<T>, StoreError> {
        self.read_rows(sql.into(), args, None, map).await
    }

    /// Wraps a page of `items` with the list's total, counting with `count_sql` only when the
    /// page does not tell it (see `PageRequest::total_from_short_page`).
    pub(super) async fn page_of<T>(
        &self,
        page: PageRequest,
        items: Vec<T>,
        count_sql: impl Into<Sql>,
        args: &[Arg<'_>],
    ) -> Result<Page<T>, StoreError> {
        let total = match page.total_from_short_page(items.len()) {
            Some(total) => total,
            None => self.read_count(count_sql, args).await?,
        };
        Ok(Page {
            items,
            total,
            limit: page.limit,
            offset: page.offset,
        })
    }

    /// A `count(*) as n` or other single integer named `n`.
    pub(super) async fn read_count(&self, sql: impl Into<Sql>, args: &[Arg<'_>]) -> Result<u64, StoreError> {
        let n = self.read_one(sql, args, |r| r.int("n")).await?;
        Ok(u64::try_from(n).unwrap_or(0))
    }
}
