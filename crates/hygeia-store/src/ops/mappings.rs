//! Mappings between frameworks' requirements, kept by framework key. Importing a mapping
//! replaces every pair between its two frameworks, whichever way they were stored.

use super::Repo;
use super::audit::append;
use crate::StoreError;
use crate::model::NewAudit;
use hygeia_domain::assessments::mapping::{Link, Mapping, Relation};

impl Repo {
    pub async fn replace_mapping(&self, m: &Mapping, audit: &NewAudit) -> Result<(), StoreError> {
        let mut tx = self.begin_write().await?;
        sqlx::query(
            "delete from framework_mappings where (from_key = $1 and to_key = $2) or (from_key = $2 and to_key = $1)",
        )
        .bind(&m.from)
        .bind(&m.to)
        .execute(&mut *tx)
        .await?;
        for p in &m.pairs {
            sqlx::query(
                "insert into framework_mappings (from_key, from_ref, to_key, to_ref, relation, source) \
                 values ($1, $2, $3, $4, $5, $6)",
            )
            .bind(&m.from)
            .bind(&p.from)
            .bind(&m.to)
            .bind(&p.to)
            .bind(p.relation.code())
            .bind(&m.source)
            .execute(&mut *tx)
            .await?;
        }
        append(&mut tx, audit).await?;
        self.commit(tx).await?;
        Ok(())
    }

    /// Every stored pair (a library holds hundreds, not millions).
    pub async fn mapping_links(&self) -> Result<Vec<Link>, StoreError> {
        self.read_all(
            "select from_key, from_ref, to_key, to_ref, relation from framework_mappings \
             order by from_key, to_key, from_ref, to_ref limit 100000",
            &[],
            |r| {
                let code = r.text("relation")?;
                Ok(Link {
                    from_key: r.text("from_key")?,
                    from_ref: r.text("from_ref")?,
                    to_key: r.text("to_key")?,
                    to_ref: r.text("to_ref")?,
                    relation: Relation::from_code(&code)
                        .ok_or_else(|| StoreError::Corrupt(format!("mapping relation '{code}'")))?,
                })
            },
        )
        .await
    }

    /// The framework pairs that have mappings, with how many pairs and where they come from.
    pub async fn mapping_summaries(&self) -> Result<Vec<(String, String, i64, String)>, StoreError> {
        self.read_all(
            "select from_key, to_key, count(*) as n, min(source) as source from framework_mappings \
             group by from_key, to_key order by from_key, to_key limit 1000",
            &[],
            |r| Ok((r.text("from_key")?, r.text("to_key")?, r.int("n")?, r.text("source")?)),
        )
        .await
    }
}
