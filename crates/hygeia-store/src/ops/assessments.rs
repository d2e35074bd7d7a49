//! Assessments and their answers. An assessment belongs to one organisation and every query
//! names it; answers change only while the assessment is a draft, and a publication freezes
//! it in the same statement that checks it was still a draft at the version the caller saw.

use super::audit::append;
use super::{Cols, Repo, int};
use crate::StoreError;
use crate::model::{
    AssessmentComment, AssessmentReview, FrameworkAssessment, NewAudit, Publication, PublishedAssessment, StoredAnswer,
};
use hygeia_domain::assessments::answer::{Answer, Value};
use hygeia_domain::assessments::caf::{Grade, Override};
use hygeia_domain::assessments::record::Status;
use hygeia_domain::ids::{AssessmentId, AssessmentReviewId, FrameworkId, OrgId};
use hygeia_domain::page::{Page, PageRequest};

const COLUMNS: &str = "a.id, a.org_id, a.seq, a.framework_id, f.key as framework_key, f.version as framework_version, \
     f.title as framework_title, a.title, a.period, a.due_on, a.scope, a.profile_key, a.status, a.version, \
     a.supersedes, a.result, a.standing, a.summary, a.digest, a.created_by, a.created_at, a.updated_by, a.updated_at, \
     a.published_by, a.published_at, a.row_version";

fn assessment(row: &dyn Cols) -> Result<FrameworkAssessment, StoreError> {
    Ok(FrameworkAssessment {
        id: AssessmentId(row.id("id")?),
        org_id: OrgId(row.id("org_id")?),
        reference: format!("ASM-{:04}", row.int("seq")?),
        framework_id: FrameworkId(row.id("framework_id")?),
        framework_key: row.text("framework_key")?,
        framework_version: row.text("framework_version")?,
        framework_title: row.text("framework_title")?,
        title: row.text("title")?,
        period: row.text("period")?,
        due_on: row.opt_text("due_on")?,
        scope: row.text("scope")?,
        profile_key: row.opt_text("profile_key")?,
        status: Status::parse(&row.text("status")?, "status")?,
        version: row.int("version")?,
        supersedes: row.opt_id("supersedes")?.map(AssessmentId),
        result: row.opt_text("result")?,
        standing: row.opt_text("standing")?,
        summary: row.opt_text("summary")?,
        digest: row.opt_text("digest")?,
        created_by: row.text("created_by")?,
        created_at: row.int("created_at")?,
        updated_by: row.text("updated_by")?,
        updated_at: row.int("updated_at")?,
        published_by: row.opt_text("published_by")?,
        published_at: row.opt_int("published_at")?,
        row_version: row.int("row_version")?,
    })
}

fn grade_code(g: Grade) -> &'static str {
    match g {
        Grade::Achieved => "achieved",
        Grade::PartiallyAchieved => "partially_achieved",
        Grade::NotAchieved => "not_achieved",
    }
}

fn grade(code: &str) -> Result<Grade, StoreError> {
    match code {
        "achieved" => Ok(Grade::Achieved),
        "partially_achieved" => Ok(Grade::PartiallyAchieved),
        "not_achieved" => Ok(Grade::NotAchieved),
        _ => Err(StoreError::Corrupt(format!("grade '{code}'"))),
    }
}

fn stored_answer(row: &dyn Cols) -> Result<StoredAnswer, StoreError> {
    let value = match row.opt_text("value")? {
        Some(code) => {
            Some(Value::from_code(&code).ok_or_else(|| StoreError::Corrupt(format!("answer value '{code}'")))?)
        }
        None => None,
    };
    let assessor_override = match (row.opt_text("override_grade")?, row.opt_text("override_reason")?) {
        (Some(g), Some(reason)) => Some(Override {
            grade: grade(&g)?,
            justification: reason,
        }),
        _ => None,
    };
    Ok(StoredAnswer {
        ref_id: row.text("ref_id")?,
        answer: Answer {
            value,
            narrative: row.text("narrative")?,
            assessor_override,
            owner: row.opt_text("owner")?,
            flagged: row.flag("flagged")?,
        },
        updated_by: row.text("updated_by")?,
        updated_at: row.int("updated_at")?,
    })
}

/// An answer worth keeping: anything in it at all.
fn is_blank(a: &Answer) -> bool {
    a.value.is_none() && a.narrative.is_empty() && a.assessor_override.is_none() && a.owner.is_none() && !a.flagged
}

const STALE: &str = "the assessment changed since it was read, or is no longer a draft";

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

    pub async fn get_assessment(&self, org: OrgId, id: AssessmentId) -> Result<FrameworkAssessment, StoreError> {
        self.read_one(
            composed!(
                "select {COLUMNS} from assessments a join frameworks f on f.id = a.framework_id \
                 where a.org_id = $1 and a.id = $2"
            ),
            &[org.0.into(), id.0.into()],
            assessment,
        )
        .await
    }

    /// The organisation's assessments, newest first; with `frozen_only`, published and
    /// superseded ones only (what an auditor may see), counted the same way.
    pub async fn assessments_page(
        &self,
        org: OrgId,
        frozen_only: bool,
        page: PageRequest,
    ) -> Result<Page<FrameworkAssessment>, StoreError> {
        let items = self
            .read_all(
                composed!(
                    "select {COLUMNS} from assessments a join frameworks f on f.id = a.framework_id \
                     where a.org_id = $1 and ($2 = 0 or a.status <> 'draft') order by a.seq desc limit $3 offset $4"
                ),
                &[
                    org.0.into(),
                    i64::from(frozen_only).into(),
                    i64::from(page.limit).into(),
                    int(page.offset).into(),
                ],
                assessment,
            )
            .await?;
        self.page_of(
            page,
            items,
            "select count(*) as n from assessments where org_id = $1 and ($2 = 0 or status <> 'draft')",
            &[org.0.into(), i64::from(frozen_only).into()],
        )
        .await
    }

    /// Every stored answer of an assessment, by reference.
    pub async fn assessment_answers(&self, org: OrgId, id: AssessmentId) -> Result<Vec<StoredAnswer>, StoreError> {
        self.read_all(
            "select ref_id, value, narrative, override_grade, override_reason, owner, flagged, updated_by, updated_at \
             from assessment_answers where org_id = $1 and assessment_id = $2 order by ref_id",
            &[org.0.into(), id.0.into()],
            stored_answer,
        )
        .await
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

    /// For each outcome of a framework key, how many current publications in the remit have
    /// each grade: the regulator's heat map.
    pub async fn remit_heat_map(&self, regulator: OrgId) -> Result<Vec<(String, String, i64)>, StoreError> {
        self.read_all(
            "select ref_id, grade, count(*) as n from assessment_grades where regulator_id = $1 \
             group by ref_id, grade order by ref_id, grade limit 5000",
            &[regulator.0.into()],
            |r| Ok((r.text("ref_id")?, r.text("grade")?, r.int("n")?)),
        )
        .await
    }

    /// The frozen snapshot of a published (or superseded) assessment.
    pub async fn assessment_snapshot(&self, org: OrgId, id: AssessmentId) -> Result<String, StoreError> {
        self.read_one(
            "select snapshot from assessments where org_id = $1 and id = $2 and snapshot is not null",
            &[org.0.into(), id.0.into()],
            |r| r.text("snapshot"),
        )
        .await
    }

    /// Published assessments across a regulator's remit, latest publication first.
    pub async fn published_in_remit(
        &self,
        regulator: OrgId,
        page: PageRequest,
    ) -> Result<Page<PublishedAssessment>, StoreError> {
        let items = self
            .read_all(
                composed!(
                    "select {COLUMNS}, o.name as org_name, o.ods_code as org_ods from assessments a \
                     join frameworks f on f.id = a.framework_id join orgs o on o.id = a.org_id \
                     where o.regulator_id = $1 and a.status = 'published' \
                     order by a.published_at desc, a.id limit $2 offset $3"
                ),
                &[
                    regulator.0.into(),
                    i64::from(page.limit).into(),
                    int(page.offset).into(),
                ],
                |r| {
                    Ok(PublishedAssessment {
                        assessment: assessment(r)?,
                        org_name: r.text("org_name")?,
                        org_ods: r.text("org_ods")?,
                    })
                },
            )
            .await?;
        self.page_of(
            page,
            items,
            "select count(*) as n from assessments a join orgs o on o.id = a.org_id \
             where o.regulator_id = $1 and a.status = 'published'",
            &[regulator.0.into()],
        )
        .await
    }

    /// One published assessment in a regulator's remit (not found otherwise).
    pub async fn published_in_remit_one(
        &self,
        regulator: OrgId,
        id: AssessmentId,
    ) -> Result<PublishedAssessment, StoreError> {
        self.read_one(
            composed!(
                "select {COLUMNS}, o.name as org_name, o.ods_code as org_ods from assessments a \
                 join frameworks f on f.id = a.framework_id join orgs o on o.id = a.org_id \
                 where o.regulator_id = $1 and a.id = $2 and a.status in ('published', 'superseded')"
            ),
            &[regulator.0.into(), id.0.into()],
            |r| {
                Ok(PublishedAssessment {
                    assessment: assessment(r)?,
                    org_name: r.text("org_name")?,
                    org_ods: r.text("org_ods")?,
                })
            },
        )
        .await
    }

    /// How many published assessments in the remit have each result, per framework version.
    pub async fn remit_results(&self, regulator: OrgId) -> Result<Vec<(String, String, String, i64)>, StoreError> {
        self.read_all(
            "select f.key, f.version, coalesce(a.standing, a.result, '') as result, count(*) as n from assessments a \
             join frameworks f on f.id = a.framework_id join orgs o on o.id = a.org_id \
             where o.regulator_id = $1 and a.status = 'published' \
             group by f.key, f.version, coalesce(a.standing, a.result, '') order by f.key, f.version, n desc limit 500",
            &[regulator.0.into()],
            |r| Ok((r.text("key")?, r.text("version")?, r.text("result")?, r.int("n")?)),
        )
        .await
    }

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
}

async fn insert_answer(
    tx: &mut super::Tx<'static>,
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

impl Repo {
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
