//! Assessments and their answers. An assessment belongs to one organisation and every query
//! names it; answers change only while the assessment is a draft, and a publication freezes
//! it in the same statement that checks it was still a draft at the version the caller saw.
//!
//! One module per use: `drafts` (starting one and answering it), `read` (an organisation's
//! assessments and answers), `publication` (freezing a draft, and the standing it gave),
//! `remit` (what a regulator reads across its remit), `reviews` (reviews and comments). The
//! row decoding and the shared pieces are here.

mod drafts;
mod publication;
mod read;
mod remit;
mod reviews;

use super::Cols;
use crate::StoreError;
use crate::model::{FrameworkAssessment, StoredAnswer};
use hygeia_domain::assessments::answer::{Answer, Value};
use hygeia_domain::assessments::caf::{Grade, Override};
use hygeia_domain::assessments::record::Status;
use hygeia_domain::ids::{AssessmentId, FrameworkId, OrgId};

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
