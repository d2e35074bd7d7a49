//! What a regulator reads across its remit: the heat map, the published assessments and
//! their results.

use super::super::{Repo, int};
use super::{COLUMNS, assessment};
use crate::StoreError;
use crate::model::PublishedAssessment;
use hygeia_domain::ids::{AssessmentId, OrgId};
use hygeia_domain::page::{Page, PageRequest};

impl Repo {
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
}
