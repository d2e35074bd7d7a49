//! An organisation's assessments: one, a page of them, their answers, and the frozen
//! snapshot of a published one.

use super::super::{Repo, int};
use super::{COLUMNS, assessment, stored_answer};
use crate::StoreError;
use crate::model::{FrameworkAssessment, StoredAnswer};
use hygeia_domain::ids::{AssessmentId, OrgId};
use hygeia_domain::page::{Page, PageRequest};

impl Repo {
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

    /// The frozen snapshot of a published (or superseded) assessment.
    pub async fn assessment_snapshot(&self, org: OrgId, id: AssessmentId) -> Result<String, StoreError> {
        self.read_one(
            "select snapshot from assessments where org_id = $1 and id = $2 and snapshot is not null",
            &[org.0.into(), id.0.into()],
            |r| r.text("snapshot"),
        )
        .await
    }
}
