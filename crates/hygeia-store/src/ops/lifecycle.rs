//! Lifecycle products imported over the built-in catalogue, with their provenance.

use super::Repo;
use super::audit::append;
use crate::StoreError;
use crate::model::NewAudit;

impl Repo {
    /// Lifecycle products imported over the built-in catalogue: (document, source, by, at).
    pub async fn lifecycle_updates(&self) -> Result<Vec<(String, String, String, i64)>, StoreError> {
        self.read_all(
            "select document, source, imported_by, imported_at from lifecycle_products order by product_id",
            &[],
            |r| {
                Ok((
                    r.text("document")?,
                    r.text("source")?,
                    r.text("imported_by")?,
                    r.int("imported_at")?,
                ))
            },
        )
        .await
    }

    pub async fn save_lifecycle_update(
        &self,
        product: &str,
        document: &str,
        source: &str,
        by: &str,
        at: i64,
        audit: &NewAudit,
    ) -> Result<(), StoreError> {
        let mut tx = self.begin_write().await?;
        sqlx::query(
            "insert into lifecycle_products (product_id, document, source, imported_by, imported_at) values ($1, $2, $3, $4, $5) \
             on conflict (product_id) do update set document = $2, source = $3, imported_by = $4, imported_at = $5",
        )
        .bind(product)
        .bind(document)
        .bind(source)
        .bind(by)
        .bind(at)
        .execute(&mut *tx)
        .await?;
        append(&mut tx, audit).await?;
        self.commit(tx).await?;
        Ok(())
    }
}
