//! The CISA KEV catalogue as last imported, its imports with what each changed, and the
//! mappings people confirmed for its free-text names.

use super::audit::append;
use super::{Arg, Repo, value_rows};
use crate::StoreError;
use crate::model::{KevImport, NewAudit};

impl Repo {
    /// The KEV catalogue as last imported: (cve, vendorProject, product, entry JSON).
    pub async fn kev_entries(&self) -> Result<Vec<(String, String, String, String)>, StoreError> {
        self.read_all(
            "select cve_id, vendor_project, product, entry from kev_entries order by cve_id",
            &[],
            |r| {
                Ok((
                    r.text("cve_id")?,
                    r.text("vendor_project")?,
                    r.text("product")?,
                    r.text("entry")?,
                ))
            },
        )
        .await
    }

    /// Replaces the catalogue with a snapshot and records the import with what changed.
    pub async fn save_kev(
        &self,
        entries: &[(String, String, String, String)],
        import: &KevImport,
        id: uuid::Uuid,
        audit: &NewAudit,
    ) -> Result<(), StoreError> {
        let mut tx = self.begin_write().await?;
        sqlx::query("delete from kev_entries").execute(&mut *tx).await?;
        for chunk in entries.chunks(500) {
            let mut sql = String::from(
                "insert into kev_entries (cve_id, vendor_project, product, entry, catalog_version, updated_at) values ",
            );
            sql.push_str(&value_rows(chunk.len(), 6));
            let mut q = sqlx::query(sqlx::AssertSqlSafe(sql));
            for (cve, vendor, product, entry) in chunk {
                q = q
                    .bind(cve)
                    .bind(vendor)
                    .bind(product)
                    .bind(entry)
                    .bind(&import.catalog_version)
                    .bind(import.imported_at);
            }
            q.execute(&mut *tx).await?;
        }
        sqlx::query(
            "insert into kev_imports (id, catalog_version, released, entries, changes, imported_by, imported_at) \
             values ($1, $2, $3, $4, $5, $6, $7)",
        )
        .bind(id)
        .bind(&import.catalog_version)
        .bind(&import.released)
        .bind(i64::try_from(import.entries).unwrap_or(i64::MAX))
        .bind(&import.changes)
        .bind(&import.imported_by)
        .bind(import.imported_at)
        .execute(&mut *tx)
        .await?;
        append(&mut tx, audit).await?;
        self.commit(tx).await?;
        Ok(())
    }

    pub async fn kev_imports(&self, limit: u32) -> Result<Vec<KevImport>, StoreError> {
        self.read_all(
            "select catalog_version, released, entries, changes, imported_by, imported_at from kev_imports \
             order by imported_at desc, id desc limit $1",
            &[Arg::Int(i64::from(limit))],
            |r| {
                Ok(KevImport {
                    catalog_version: r.text("catalog_version")?,
                    released: r.text("released")?,
                    entries: u64::try_from(r.int("entries")?).unwrap_or(0),
                    changes: r.text("changes")?,
                    imported_by: r.text("imported_by")?,
                    imported_at: r.int("imported_at")?,
                })
            },
        )
        .await
    }

    pub async fn kev_mappings(&self) -> Result<Vec<(String, String, String)>, StoreError> {
        self.read_all(
            "select vendor_project, product, identity from kev_mappings order by vendor_project, product",
            &[],
            |r| Ok((r.text("vendor_project")?, r.text("product")?, r.text("identity")?)),
        )
        .await
    }

    pub async fn save_kev_mapping(
        &self,
        vendor: &str,
        product: &str,
        identity: &str,
        by: &str,
        at: i64,
        audit: &NewAudit,
    ) -> Result<(), StoreError> {
        let mut tx = self.begin_write().await?;
        sqlx::query(
            "insert into kev_mappings (vendor_project, product, identity, confirmed_by, confirmed_at) values ($1, $2, $3, $4, $5) \
             on conflict (vendor_project, product) do update set identity = $3, confirmed_by = $4, confirmed_at = $5",
        )
        .bind(vendor)
        .bind(product)
        .bind(identity)
        .bind(by)
        .bind(at)
        .execute(&mut *tx)
        .await?;
        append(&mut tx, audit).await?;
        self.commit(tx).await?;
        Ok(())
    }
}
