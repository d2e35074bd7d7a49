//! Portable backup and restore: every table in `schema::BACKUP_TABLES` as JSON values.

use super::{Repo, Row, int};
use crate::StoreError;
use crate::schema::{BACKUP_TABLES, Kind, RowSink, Table};
use serde_json::{Map, Value};
use sqlx::Row as _;
use uuid::Uuid;

fn value(row: &Row, i: usize, kind: Kind) -> Result<Value, StoreError> {
    Ok(match kind {
        Kind::Uuid => row
            .try_get::<Option<Uuid>, _>(i)?
            .map_or(Value::Null, |u| Value::String(u.to_string())),
        Kind::Text => row.try_get::<Option<String>, _>(i)?.map_or(Value::Null, Value::String),
        Kind::Int => row.try_get::<Option<i64>, _>(i)?.map_or(Value::Null, Value::from),
        Kind::Bool => row.try_get::<Option<bool>, _>(i)?.map_or(Value::Null, Value::Bool),
        Kind::Bytes => row
            .try_get::<Option<Vec<u8>>, _>(i)?
            .map_or(Value::Null, |b| Value::String(data_encoding::BASE64.encode(&b))),
    })
}

fn bad(table: &str, column: &str, why: &str) -> StoreError {
    StoreError::Corrupt(format!("backup table {table}, column {column}: {why}"))
}

impl Repo {
    /// Reads one table in its fixed order, `batch` rows at a time, handing each row to `sink`.
    pub async fn dump_table(&self, table: &Table, batch: u32, sink: &mut RowSink<'_>) -> Result<u64, StoreError> {
        let columns: Vec<&str> = table.columns.iter().map(|c| c.name).collect();
        let sql = format!(
            "select {} from {} order by {} limit $1 offset $2",
            columns.join(", "),
            table.name,
            table.order_by
        );
        // Binary rows are file chunks of up to a megabyte: read a few at a time.
        let batch = if table.columns.iter().any(|c| c.kind == Kind::Bytes) {
            batch.min(4)
        } else {
            batch
        };
        let mut offset = 0u64;
        loop {
            let rows = sqlx::query(sqlx::AssertSqlSafe(sql.as_str()))
                .bind(i64::from(batch))
                .bind(int(offset))
                .fetch_all(self.reader())
                .await?;
            for row in &rows {
                let mut map = Map::new();
                for (i, col) in table.columns.iter().enumerate() {
                    map.insert(col.name.to_owned(), value(row, i, col.kind)?);
                }
                sink(map)?;
            }
            offset += rows.len() as u64;
            if rows.len() < batch as usize {
                return Ok(offset);
            }
        }
    }

    /// Whether the database holds any organisation or account (restore needs an empty one).
    pub async fn is_empty(&self) -> Result<bool, StoreError> {
        let orgs = self.read_count("select count(*) as n from orgs", &[]).await?;
        let users = self.read_count("select count(*) as n from users", &[]).await?;
        Ok(orgs == 0 && users == 0)
    }

    /// Loads a whole backup in one transaction: all of it or nothing.
    pub async fn restore(&self, tables: &[(String, Vec<Map<String, Value>>)]) -> Result<(), StoreError> {
        let mut tx = self.begin_write().await?;
        for (name, rows) in tables {
            let table = BACKUP_TABLES
                .iter()
                .find(|t| t.name == name)
                .ok_or_else(|| StoreError::Corrupt(format!("backup holds unknown table '{name}'")))?;
            let names: Vec<&str> = table.columns.iter().map(|c| c.name).collect();
            let marks: Vec<String> = (1..=names.len()).map(|i| format!("${i}")).collect();
            let insert = format!(
                "insert into {} ({}) values ({})",
                table.name,
                names.join(", "),
                marks.join(", ")
            );
            for row in rows {
                let mut q = sqlx::query(sqlx::AssertSqlSafe(insert.as_str()));
                for col in table.columns {
                    let v = row.get(col.name).unwrap_or(&Value::Null);
                    let deferred = table.self_references.contains(&col.name);
                    let v = if deferred { &Value::Null } else { v };
                    q = match (col.kind, v) {
                        (Kind::Uuid, Value::Null) => q.bind(None::<Uuid>),
                        (Kind::Uuid, Value::String(s)) => {
                            q.bind(Uuid::parse_str(s).map_err(|e| bad(name, col.name, &e.to_string()))?)
                        }
                        (Kind::Text, Value::Null) => q.bind(None::<String>),
                        (Kind::Text, Value::String(s)) => q.bind(s.clone()),
                        (Kind::Int, Value::Null) => q.bind(None::<i64>),
                        (Kind::Int, Value::Number(n)) => {
                            q.bind(n.as_i64().ok_or_else(|| bad(name, col.name, "not a 64-bit integer"))?)
                        }
                        (Kind::Bool, Value::Null) => q.bind(None::<bool>),
                        (Kind::Bool, Value::Bool(b)) => q.bind(*b),
                        (Kind::Bytes, Value::Null) => q.bind(None::<Vec<u8>>),
                        (Kind::Bytes, Value::String(s)) => q.bind(
                            data_encoding::BASE64
                                .decode(s.as_bytes())
                                .map_err(|e| bad(name, col.name, &format!("not base64: {e}")))?,
                        ),
                        (kind, other) => return Err(bad(name, col.name, &format!("expected {kind:?}, found {other}"))),
                    };
                }
                q.execute(&mut *tx).await?;
            }
            for column in table.self_references {
                let set = format!("update {} set {column} = $2 where id = $1", table.name);
                for row in rows {
                    if let (Some(Value::String(id)), Some(Value::String(target))) = (row.get("id"), row.get(*column)) {
                        let id = Uuid::parse_str(id).map_err(|e| bad(name, "id", &e.to_string()))?;
                        let target = Uuid::parse_str(target).map_err(|e| bad(name, column, &e.to_string()))?;
                        sqlx::query(sqlx::AssertSqlSafe(set.as_str()))
                            .bind(id)
                            .bind(target)
                            .execute(&mut *tx)
                            .await?;
                    }
                }
            }
        }
        self.commit(tx).await?;
        Ok(())
    }
}
