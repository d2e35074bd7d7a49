//! Drafts: starting an assessment (with answers carried forward) and answering it while it
//! is still a draft at the version the caller saw.

use super::super::Repo;
use super::super::audit::append;
use super::{STALE, grade_code, is_blank};
use crate::StoreError;
use crate::model::{FrameworkAssessment, NewAudit};
use hygeia_domain::assessments::answer::{Answer, Value};
use hygeia_domain::assessments::record::Status;
use hygeia_domain::ids::{AssessmentId, OrgId};

impl Repo {
    /// Starts an assessment (numbered next in the organisation) with any answers carried
    /// forward from an earlier one.
    pub async fn add_assessment(
        &self,
        a: &FrameworkAssessment,
        carried: &[(String, Answer)],
        audit: &NewAudit,
    ) -> Result<(), StoreError> {
        let mut tx = self.begin_write().await?;
        sqlx::query(
            "insert into assessments (id, org_id, seq, framework_id, title, period, due_on, scope, profile_key, \
             status, version, created_by, created_at, updated_by, updated_at, row_version) \
             select $1, $2, coalesce(max(seq), 0) + 1, $3, $4, $5, $6, $7, $8, $9, 0, $10, $11, $10, $11, 1 \
             from assessments where org_id = $2",
        )
        .bind(a.id.0)
        .bind(a.org_id.0)
        .bind(a.framework_id.0)
        .bind(&a.title)
        .bind(&a.period)
        .bind(&a.due_on)
        .bind(&a.scope)
        .bind(&a.profile_key)
        .bind(Status::Draft.code())
        .bind(&a.created_by)
        .bind(a.created_at)
        .execute(&mut *tx)
        .await?;
        for (ref_id, answer) in carried.iter().filter(|(_, a)| !is_blank(a)) {
            insert_answer(&mut tx, a.id, a.org_id, ref_id, answer, &a.created_by, a.created_at).await?;
        }
        append(&mut tx, audit).await?;
        self.commit(tx).await?;
        Ok(())
    }

    /// Replaces the given nodes' answers (a blank answer deletes the row), if the assessment
    /// is still a draft at `row_version`; bumps the version. The time is the audit record's.
    pub async fn save_answers(
        &self,
        org: OrgId,
        id: AssessmentId,
        row_version: i64,
        changes: &[(String, Answer)],
        by: &str,
        audit: &NewAudit,
    ) -> Result<(), StoreError> {
        let at = audit.event.at_ms;
        let mut tx = self.begin_write().await?;
        let bumped = sqlx::query(
            "update assessments set row_version = row_version + 1, updated_by = $4, updated_at = $5 \
             where org_id = $1 and id = $2 and row_version = $3 and status = 'draft'",
        )
        .bind(org.0)
        .bind(id.0)
        .bind(row_version)
        .bind(by)
        .bind(at)
        .execute(&mut *tx)
        .await?;
        if bumped.rows_affected() == 0 {
            return Err(StoreError::Conflict(STALE.into()));
        }
        for (ref_id, answer) in changes {
            sqlx::query("delete from assessment_answers where assessment_id = $1 and ref_id = $2")
                .bind(id.0)
                .bind(ref_id)
                .execute(&mut *tx)
                .await?;
            if !is_blank(answer) {
                insert_answer(&mut tx, id, org, ref_id, answer, by, at).await?;
            }
        }
        append(&mut tx, audit).await?;
        self.commit(tx).await?;
        Ok(())
    }
}

async fn insert_answer(
    tx: &mut super::super::Tx<'static>,
    id: AssessmentId,
    org: OrgId,
    ref_id: &str,
    a: &Answer,
    by: &str,
    at: i64,
) -> Result<(), StoreError> {
    sqlx::query(
        "insert into assessment_answers (assessment_id, ref_id, org_id, value, narrative, override_grade, \
         override_reason, owner, flagged, updated_by, updated_at) values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)",
    )
    .bind(id.0)
    .bind(ref_id)
    .bind(org.0)
    .bind(a.value.map(Value::code))
    .bind(&a.narrative)
    .bind(a.assessor_override.as_ref().map(|o| grade_code(o.grade)))
    .bind(a.assessor_override.as_ref().map(|o| o.justification.clone()))
    .bind(&a.owner)
    .bind(a.flagged)
    .bind(by)
    .bind(at)
    .execute(&mut **tx)
    .await?;
    Ok(())
}
