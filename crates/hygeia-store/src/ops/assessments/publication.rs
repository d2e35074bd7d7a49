//! Publication: freezing a draft (superseding an earlier publication for the same period)
//! and the standing an earlier one gave.

use super::super::Repo;
use super::super::audit::append;
use super::STALE;
use crate::StoreError;
use crate::model::{FrameworkAssessment, NewAudit, Publication};
use hygeia_domain::ids::OrgId;

impl Repo {
    /// Freezes a draft seen at `row_version`; an earlier publication for the same framework
    /// and period becomes superseded by it.
    pub async fn publish_assessment(
        &self,
        a: &FrameworkAssessment,
        p: &Publication<'_>,
        audit: &NewAudit,
    ) -> Result<(), StoreError> {
        let mut tx = self.begin_write().await?;
        let previous: Option<(uuid::Uuid, i64)> = sqlx::query_as(
            "select a.id, a.version from assessments a join frameworks f on f.id = a.framework_id \
             where a.org_id = $1 and a.status = 'published' and a.period = $2 and f.key = $3",
        )
        .bind(a.org_id.0)
        .bind(&a.period)
        .bind(&a.framework_key)
        .fetch_optional(&mut *tx)
        .await?;
        if let Some((prev, _)) = previous {
            sqlx::query("update assessments set status = 'superseded', row_version = row_version + 1 where id = $1")
                .bind(prev)
                .execute(&mut *tx)
                .await?;
            sqlx::query("delete from assessment_grades where assessment_id = $1")
                .bind(prev)
                .execute(&mut *tx)
                .await?;
        }
        let changed = sqlx::query(
            "update assessments set status = 'published', version = $4, supersedes = $5, result = $6, summary = $7, \
             digest = $8, snapshot = $9, published_by = $10, published_at = $11, updated_by = $10, updated_at = $11, \
             standing = $12, row_version = row_version + 1 \
             where org_id = $1 and id = $2 and row_version = $3 and status = 'draft'",
        )
        .bind(a.org_id.0)
        .bind(a.id.0)
        .bind(a.row_version)
        .bind(previous.map_or(1, |(_, v)| v + 1))
        .bind(previous.map(|(id, _)| id))
        .bind(p.result)
        .bind(p.summary)
        .bind(p.digest)
        .bind(p.snapshot)
        .bind(p.by)
        .bind(p.at)
        .bind(p.standing)
        .execute(&mut *tx)
        .await?;
        if changed.rows_affected() == 0 {
            return Err(StoreError::Conflict(STALE.into()));
        }
        for (ref_id, grade) in p.grades {
            sqlx::query(
                "insert into assessment_grades (assessment_id, org_id, regulator_id, ref_id, grade) \
                 select $1, $2, regulator_id, $3, $4 from orgs where id = $2",
            )
            .bind(a.id.0)
            .bind(a.org_id.0)
            .bind(ref_id)
            .bind(*grade)
            .execute(&mut *tx)
            .await?;
        }
        append(&mut tx, audit).await?;
        self.commit(tx).await?;
        Ok(())
    }

    /// The standing of the organisation's latest publication of a framework for another period.
    pub async fn previous_standing(
        &self,
        org: OrgId,
        framework_key: &str,
        period: &str,
    ) -> Result<Option<String>, StoreError> {
        let rows = self
            .read_all(
                "select coalesce(a.standing, '') as standing from assessments a join frameworks f on f.id = a.framework_id \
                 where a.org_id = $1 and f.key = $2 and a.status = 'published' and a.period <> $3 \
                 order by a.published_at desc limit 1",
                &[org.0.into(), framework_key.into(), period.into()],
                |r| r.text("standing"),
            )
            .await?;
        Ok(rows.into_iter().next())
    }
}
