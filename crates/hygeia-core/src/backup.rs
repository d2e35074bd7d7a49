//! Portable backups: JSON Lines, one header, one line per row, one trailer with the row count
//! (so a cut-off file is refused). Restore goes into an empty database of either backend in
//! one transaction, then proves the audit chains intact.

use crate::{CoreError, Hygeia};
use hygeia_store::schema::{BACKUP_FORMAT, BACKUP_TABLES};
use serde_json::{Map, Value, json};
use std::io::{BufRead, Write};

const FORMAT_NAME: &str = "hygeia-backup";

fn io_error(e: std::io::Error) -> CoreError {
    CoreError::Internal(format!("writing the backup: {e}"))
}

fn bad_line(line: usize, why: impl std::fmt::Display) -> CoreError {
    CoreError::field(&format!("line {line}"), &why.to_string())
}

impl Hygeia {
    /// Writes every table to `out`; returns the number of rows.
    pub async fn backup(&self, out: &mut (dyn Write + Send)) -> Result<u64, CoreError> {
        let header = json!({
            "format": FORMAT_NAME,
            "format_version": BACKUP_FORMAT,
            "schema_version": self.store.schema_version().await?,
        });
        writeln!(out, "{header}").map_err(io_error)?;
        let mut total = 0;
        for table in BACKUP_TABLES {
            let mut sink = |row: Map<String, Value>| {
                let line = json!({"table": table.name, "row": row});
                writeln!(out, "{line}").map_err(|e| hygeia_store::StoreError::Database(e.to_string()))
            };
            total += self.store.dump_table(table, 1_000, &mut sink).await?;
        }
        writeln!(out, "{}", json!({"end": true, "rows": total})).map_err(io_error)?;
        out.flush().map_err(io_error)?;
        Ok(total)
    }

    /// Loads a backup into this (empty, migrated) database. Nothing is written unless all of
    /// it loads.
    pub async fn restore(&self, input: &mut dyn BufRead) -> Result<u64, CoreError> {
        if !self.store.is_empty().await? {
            return Err(CoreError::Conflict(
                "restore needs an empty database; this one already has data".into(),
            ));
        }
        let schema = self.store.schema_version().await?;
        let mut tables: Vec<(String, Vec<Map<String, Value>>)> =
            BACKUP_TABLES.iter().map(|t| (t.name.to_owned(), Vec::new())).collect();
        let mut rows = 0u64;
        let mut header_seen = false;
        let mut trailer: Option<u64> = None;
        for (i, line) in input.lines().enumerate() {
            let n = i + 1;
            let line = line.map_err(|e| bad_line(n, e))?;
            if trailer.is_some() {
                return Err(bad_line(n, "text after the end of the backup"));
            }
            let value: Value = serde_json::from_str(&line).map_err(|e| bad_line(n, format!("not JSON: {e}")))?;
            if !header_seen {
                if value.get("format").and_then(Value::as_str) != Some(FORMAT_NAME) {
                    return Err(bad_line(n, "this is not a Hygeia backup"));
                }
                if value.get("format_version").and_then(Value::as_u64) != Some(u64::from(BACKUP_FORMAT)) {
                    return Err(bad_line(
                        n,
                        format!(
                            "backup format {} is not supported (this build reads {BACKUP_FORMAT})",
                            value["format_version"]
                        ),
                    ));
                }
                if value.get("schema_version").and_then(Value::as_i64) != Some(schema) {
                    return Err(bad_line(
                        n,
                        format!(
                            "the backup is of schema {} but this build has schema {schema}; restore with the matching release",
                            value["schema_version"]
                        ),
                    ));
                }
                header_seen = true;
                continue;
            }
            if value.get("end").and_then(Value::as_bool) == Some(true) {
                trailer = value.get("rows").and_then(Value::as_u64).or(Some(u64::MAX));
                continue;
            }
            let (Some(table), Some(Value::Object(row))) =
                (value.get("table").and_then(Value::as_str), value.get("row"))
            else {
                return Err(bad_line(n, "expected {\"table\": ..., \"row\": {...}}"));
            };
            let slot = tables
                .iter_mut()
                .find(|(t, _)| t == table)
                .ok_or_else(|| bad_line(n, format!("unknown table '{table}'")))?;
            slot.1.push(row.clone());
            rows += 1;
        }
        if !header_seen {
            return Err(bad_line(1, "the file is empty"));
        }
        match trailer {
            Some(count) if count == rows => {}
            Some(count) => {
                return Err(bad_line(
                    0,
                    format!("the trailer says {count} rows but {rows} were read"),
                ));
            }
            None => return Err(bad_line(0, "the backup has no end line; the file is cut off")),
        }
        self.store.restore(&tables).await?;
        Ok(rows)
    }
}
