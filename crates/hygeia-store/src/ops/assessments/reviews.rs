//! Reviews of a published assessment (which may move its standing) and comments on its
//! items.

use super::super::Repo;
use super::super::audit::append;
use crate::StoreError;
use crate::model::{AssessmentComment, AssessmentReview, NewAudit};
use hygeia_domain::ids::{AssessmentId, AssessmentReviewId, OrgId};

impl Repo {
    /// Records a review; with `standing` (from, to) it also moves the publication's standing,
    /// provided it is still `from` (an approved improvement plan: Standards Not Met to
    /// Approaching Standards).
    pub async fn add_assessment_review(
        &self,
        r: &AssessmentReview,
        standing: Option<(&str, &str)>,
        audit: &NewAudit,
    ) -> Result<(), StoreError> {
        let mut tx = self.begin_write().await?;
        if let Some((from, to)) = standing {
            let moved = sqlx::query(
                "update assessments set standing = $3, row_version = row_version + 1 \
                 where id = $1 and org_id = $2 and status = 'published' and standing = $4",
            )
            .bind(r.assessment_id.0)
            .bind(r.org_id.0)
            .bind(to)
            .bind(from)
            .execute(&mut *tx)
            .await?;
            if moved.rows_affected() == 0 {
                return Err(StoreError::Conflict(format!(
                    "the publication is no longer {from}; reload it"
                )));
            }
        }
        sqlx::query(
            "insert into assessment_reviews (id, assessment_id, org_id, regulator_id, outcome, comment, reviewed_by, \
             reviewed_at) values ($1, $2, $3, $4, $5, $6, $7, $8)",
        )
        .bind(r.id.0)
        .bind(r.assessment_id.0)
        .bind(r.org_id.0)
        .bind(r.regulator_id.0)
        .bind(&r.outcome)
        .bind(&r.comment)
        .bind(&r.reviewed_by)
        .bind(r.reviewed_at)
        .execute(&mut *tx)
        .await?;
        append(&mut tx, audit).await?;
        self.commit(tx).await?;
        Ok(())
    }

    /// The reviews recorded on an assessment, oldest first.
    pub async fn assessment_reviews(&self, id: AssessmentId) -> Result<Vec<AssessmentReview>, StoreError> {
        self.read_all(
            "select id, assessment_id, org_id, regulator_id, outcome, comment, reviewed_by, reviewed_at \
             from assessment_reviews where assessment_id = $1 order by reviewed_at, id limit 200",
            &[id.0.into()],
            |r| {
                Ok(AssessmentReview {
                    id: AssessmentReviewId(r.id("id")?),
                    assessment_id: AssessmentId(r.id("assessment_id")?),
                    org_id: OrgId(r.id("org_id")?),
                    regulator_id: OrgId(r.id("regulator_id")?),
                    outcome: r.text("outcome")?,
                    comment: r.text("comment")?,
                    reviewed_by: r.text("reviewed_by")?,
                    reviewed_at: r.int("reviewed_at")?,
                })
            },
        )
        .await
    }
    pub async fn add_assessment_comment(&self, c: &AssessmentComment, audit: &NewAudit) -> Result<(), StoreError> {
        let mut tx = self.begin_write().await?;
        sqlx::query(
            "insert into assessment_comments (id, assessment_id, org_id, ref_id, body, author, created_at) \
             values ($1, $2, $3, $4, $5, $6, $7)",
        )
        .bind(c.id)
        .bind(c.assessment_id.0)
        .bind(c.org_id.0)
        .bind(&c.ref_id)
        .bind(&c.body)
        .bind(&c.author)
        .bind(c.created_at)
        .execute(&mut *tx)
        .await?;
        append(&mut tx, audit).await?;
        self.commit(tx).await?;
        Ok(())
    }

    /// The comments on an assessment (on one item, or all), oldest first.
    pub async fn assessment_comments(
        &self,
        org: OrgId,
        id: AssessmentId,
        ref_id: Option<&str>,
    ) -> Result<Vec<AssessmentComment>, StoreError> {
        self.read_all(
            "select id, assessment_id, org_id, ref_id, body, author, created_at from assessment_comments \
             where org_id = $1 and assessment_id = $2 and ($3 = '' or ref_id = $3) order by created_at, id limit 2000",
            &[org.0.into(), id.0.into(), ref_id.unwrap_or_default().into()],
            |r| {
                Ok(AssessmentComment {
                    id: r.id("id")?,
                    assessment_id: AssessmentId(r.id("assessment_id")?),
                    org_id: OrgId(r.id("org_id")?),
                    ref_id: r.text("ref_id")?,
                    body: r.text("body")?,
                    author: r.text("author")?,
                    created_at: r.int("created_at")?,
                })
            },
        )
        .await
    }
}
