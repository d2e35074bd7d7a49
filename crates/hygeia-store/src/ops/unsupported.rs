//! The unsupported systems report's treatments: remediation plans and risk acceptances.

use super::audit::append;
use super::{Repo, expect_one};
use crate::StoreError;
use crate::model::{NewAudit, Treatment, TreatmentKind};
use hygeia_domain::ids::{AssetId, OrgId, TreatmentId};

impl Repo {
    pub async fn add_treatment(&self, t: &Treatment, audit: &NewAudit) -> Result<(), StoreError> {
        let mut tx = self.begin_write().await?;
        let owned = sqlx::query("select 1 from assets where org_id = $1 and id = $2")
            .bind(t.org_id.0)
            .bind(t.asset_id.0)
            .fetch_optional(&mut *tx)
            .await?;
        expect_one(u64::from(owned.is_some()))?;
        sqlx::query(
            "insert into unsupported_treatments (id, org_id, asset_id, product_id, cycle, kind, detail, target_date, \
             signed_by, created_by, created_at) values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)",
        )
        .bind(t.id.0)
        .bind(t.org_id.0)
        .bind(t.asset_id.0)
        .bind(&t.product_id)
        .bind(&t.cycle)
        .bind(t.kind.code())
        .bind(&t.detail)
        .bind(&t.target_date)
        .bind(&t.signed_by)
        .bind(&t.created_by)
        .bind(t.created_at)
        .execute(&mut *tx)
        .await?;
        append(&mut tx, audit).await?;
        self.commit(tx).await?;
        Ok(())
    }

    /// Every treatment recorded in the organisation, oldest first (the latest per item wins).
    pub async fn treatments(&self, org: OrgId) -> Result<Vec<Treatment>, StoreError> {
        self.read_all(
            "select id, org_id, asset_id, product_id, cycle, kind, detail, target_date, signed_by, created_by, created_at \
             from unsupported_treatments where org_id = $1 order by created_at, id",
            &[org.0.into()],
            |r| {
                Ok(Treatment {
                    id: TreatmentId(r.id("id")?),
                    org_id: OrgId(r.id("org_id")?),
                    asset_id: AssetId(r.id("asset_id")?),
                    product_id: r.text("product_id")?,
                    cycle: r.text("cycle")?,
                    kind: if r.text("kind")? == "acceptance" { TreatmentKind::Acceptance } else { TreatmentKind::Plan },
                    detail: r.text("detail")?,
                    target_date: r.opt_text("target_date")?,
                    signed_by: r.opt_text("signed_by")?,
                    created_by: r.text("created_by")?,
                    created_at: r.int("created_at")?,
                })
            },
        )
        .await
    }
}
