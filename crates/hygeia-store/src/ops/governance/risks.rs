//! The risk register: risks numbered per organisation inside the write, scored by
//! likelihood and impact, and linked to incidents.

use super::super::audit::append;
use super::super::{Arg, Cols, Repo, expect_one, int};
use crate::StoreError;
use crate::model::{NewAudit, Risk};
use hygeia_domain::governance::risks::{RiskStatus, Treatment};
use hygeia_domain::ids::{OrgId, RiskId};
use hygeia_domain::page::{Page, PageRequest};

const RISK_COLUMNS: &str = "r.id, r.org_id, r.seq, r.title, r.description, r.likelihood, r.impact, r.treatment, \
     r.owner, r.status, r.review_by, r.created_by, r.created_at, r.updated_by, r.updated_at";

fn scale(row: &dyn Cols, col: &str) -> Result<u8, StoreError> {
    u8::try_from(row.int(col)?).map_err(|e| StoreError::Corrupt(format!("{col}: {e}")))
}

fn risk(row: &dyn Cols) -> Result<Risk, StoreError> {
    Ok(Risk {
        id: RiskId(row.id("id")?),
        org_id: OrgId(row.id("org_id")?),
        reference: format!("RSK-{:04}", row.int("seq")?),
        title: row.text("title")?,
        description: row.text("description")?,
        likelihood: scale(row, "likelihood")?,
        impact: scale(row, "impact")?,
        treatment: Treatment::parse(&row.text("treatment")?, "treatment")?,
        owner: row.text("owner")?,
        status: RiskStatus::parse(&row.text("status")?, "status")?,
        review_by: row.opt_text("review_by")?,
        created_by: row.text("created_by")?,
        created_at: row.int("created_at")?,
        updated_by: row.text("updated_by")?,
        updated_at: row.int("updated_at")?,
    })
}

impl Repo {
    pub async fn add_risk(&self, r: &Risk, audit: &NewAudit) -> Result<(), StoreError> {
        let mut tx = self.begin_write().await?;
        sqlx::query(
            "insert into risks (id, org_id, seq, title, description, likelihood, impact, treatment, owner, status, \
             review_by, created_by, created_at, updated_by, updated_at) \
             select $1, $2, coalesce(max(seq), 0) + 1, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $11, $12 \
             from risks where org_id = $2",
        )
        .bind(r.id.0)
        .bind(r.org_id.0)
        .bind(&r.title)
        .bind(&r.description)
        .bind(i64::from(r.likelihood))
        .bind(i64::from(r.impact))
        .bind(r.treatment.code())
        .bind(&r.owner)
        .bind(r.status.code())
        .bind(&r.review_by)
        .bind(&r.created_by)
        .bind(r.created_at)
        .execute(&mut *tx)
        .await?;
        append(&mut tx, audit).await?;
        self.commit(tx).await?;
        Ok(())
    }

    pub async fn update_risk(&self, r: &Risk, audit: &NewAudit) -> Result<(), StoreError> {
        let mut tx = self.begin_write().await?;
        let changed = sqlx::query(
            "update risks set title = $3, description = $4, likelihood = $5, impact = $6, treatment = $7, owner = $8, \
             status = $9, review_by = $10, updated_by = $11, updated_at = $12 where org_id = $1 and id = $2",
        )
        .bind(r.org_id.0)
        .bind(r.id.0)
        .bind(&r.title)
        .bind(&r.description)
        .bind(i64::from(r.likelihood))
        .bind(i64::from(r.impact))
        .bind(r.treatment.code())
        .bind(&r.owner)
        .bind(r.status.code())
        .bind(&r.review_by)
        .bind(&r.updated_by)
        .bind(r.updated_at)
        .execute(&mut *tx)
        .await?;
        expect_one(changed.rows_affected())?;
        append(&mut tx, audit).await?;
        self.commit(tx).await?;
        Ok(())
    }

    pub async fn get_risk(&self, org: OrgId, id: RiskId) -> Result<Risk, StoreError> {
        self.read_one(
            composed!("select {RISK_COLUMNS} from risks r where r.org_id = $1 and r.id = $2"),
            &[org.0.into(), id.0.into()],
            risk,
        )
        .await
    }

    /// The register, open risks first, highest score first.
    pub async fn risks_page(&self, org: OrgId, page: PageRequest) -> Result<Page<Risk>, StoreError> {
        let args = [
            Arg::Id(org.0),
            Arg::Int(i64::from(page.limit)),
            Arg::Int(int(page.offset)),
        ];
        let items = self
            .read_all(
                composed!(
                    "select {RISK_COLUMNS} from risks r where r.org_id = $1 \
                     order by case when r.status = 'open' then 0 else 1 end, r.likelihood * r.impact desc, r.seq \
                     limit $2 offset $3"
                ),
                &args,
                risk,
            )
            .await?;
        self.page_of(
            page,
            items,
            "select count(*) as n from risks where org_id = $1",
            &args[..1],
        )
        .await
    }

    /// Links a risk to an incident of the same organisation (again: no change).
    pub async fn link_risk(
        &self,
        org: OrgId,
        id: RiskId,
        incident: uuid::Uuid,
        by: &str,
        at: i64,
        audit: &NewAudit,
    ) -> Result<(), StoreError> {
        let mut tx = self.begin_write().await?;
        let both = sqlx::query(
            "select 1 from risks r join incidents i on i.org_id = r.org_id where r.org_id = $1 and r.id = $2 and i.id = $3",
        )
        .bind(org.0)
        .bind(id.0)
        .bind(incident)
        .fetch_optional(&mut *tx)
        .await?;
        expect_one(u64::from(both.is_some()))?;
        sqlx::query(
            "insert into risk_links (risk_id, target_kind, target_id, org_id, linked_by, linked_at) \
             values ($1, 'incident', $2, $3, $4, $5) on conflict (risk_id, target_kind, target_id) do nothing",
        )
        .bind(id.0)
        .bind(incident.to_string())
        .bind(org.0)
        .bind(by)
        .bind(at)
        .execute(&mut *tx)
        .await?;
        append(&mut tx, audit).await?;
        self.commit(tx).await?;
        Ok(())
    }

    pub async fn unlink_risk(
        &self,
        org: OrgId,
        id: RiskId,
        incident: uuid::Uuid,
        audit: &NewAudit,
    ) -> Result<(), StoreError> {
        let mut tx = self.begin_write().await?;
        let gone = sqlx::query(
            "delete from risk_links where org_id = $1 and risk_id = $2 and target_kind = 'incident' and target_id = $3",
        )
        .bind(org.0)
        .bind(id.0)
        .bind(incident.to_string())
        .execute(&mut *tx)
        .await?;
        expect_one(gone.rows_affected())?;
        append(&mut tx, audit).await?;
        self.commit(tx).await?;
        Ok(())
    }

    /// The risks linked to an incident.
    pub async fn risks_of_incident(&self, org: OrgId, incident: uuid::Uuid) -> Result<Vec<Risk>, StoreError> {
        let id = incident.to_string();
        self.read_all(
            composed!(
                "select {RISK_COLUMNS} from risks r join risk_links k on k.risk_id = r.id \
                 where r.org_id = $1 and k.target_kind = 'incident' and k.target_id = $2 order by r.seq limit 200"
            ),
            &[org.0.into(), id.as_str().into()],
            risk,
        )
        .await
    }

    /// The incidents a risk is linked to, as (id, reference, title).
    pub async fn incidents_of_risk(
        &self,
        org: OrgId,
        id: RiskId,
    ) -> Result<Vec<(uuid::Uuid, String, String)>, StoreError> {
        let rows = self
            .read_all(
                "select target_id from risk_links where org_id = $1 and risk_id = $2 and target_kind = 'incident' \
                 order by linked_at limit 200",
                &[org.0.into(), id.0.into()],
                |r| r.text("target_id"),
            )
            .await?;
        let mut out = Vec::new();
        for target in rows {
            let Ok(incident) = uuid::Uuid::parse_str(&target) else {
                continue;
            };
            if let Some((reference, title)) = self
                .read_opt(
                    "select reference, title from incidents where org_id = $1 and id = $2",
                    &[org.0.into(), incident.into()],
                    |r| Ok((r.text("reference")?, r.text("title")?)),
                )
                .await?
            {
                out.push((incident, reference, title));
            }
        }
        Ok(out)
    }
}
