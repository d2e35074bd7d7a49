//! Improvement actions: numbered per organisation inside the write, raised from a source
//! record (an incident, an assessment's item) or on their own.

use super::super::audit::append;
use super::super::{Arg, Cols, Repo, expect_one, int};
use crate::StoreError;
use crate::model::{ImprovementAction, NewAudit};
use hygeia_domain::governance::actions::{ActionSource, ActionStatus};
use hygeia_domain::ids::{ActionId, OrgId};
use hygeia_domain::page::{Page, PageRequest};

const ACTION_COLUMNS: &str = "id, org_id, seq, title, detail, owner, due_on, status, source_kind, source_id, \
     created_by, created_at, updated_by, updated_at";

fn action(row: &dyn Cols) -> Result<ImprovementAction, StoreError> {
    let source = match (row.opt_text("source_kind")?, row.opt_text("source_id")?) {
        (Some(kind), Some(id)) => Some((ActionSource::parse(&kind, "source_kind")?, id)),
        _ => None,
    };
    Ok(ImprovementAction {
        id: ActionId(row.id("id")?),
        org_id: OrgId(row.id("org_id")?),
        reference: format!("ACT-{:04}", row.int("seq")?),
        title: row.text("title")?,
        detail: row.text("detail")?,
        owner: row.text("owner")?,
        due_on: row.opt_text("due_on")?,
        status: ActionStatus::parse(&row.text("status")?, "status")?,
        source,
        created_by: row.text("created_by")?,
        created_at: row.int("created_at")?,
        updated_by: row.text("updated_by")?,
        updated_at: row.int("updated_at")?,
    })
}

impl Repo {
    /// Adds an action (numbered next in the organisation); a source incident must be the
    /// organisation's own.
    pub async fn add_action(&self, a: &ImprovementAction, audit: &NewAudit) -> Result<(), StoreError> {
        let mut tx = self.begin_write().await?;
        if let Some((kind, id)) = &a.source {
            // The source must be the organisation's own record.
            let (sql, raw) = match kind {
                ActionSource::Incident => ("select 1 from incidents where org_id = $1 and id = $2", id.as_str()),
                ActionSource::Assessment => (
                    "select 1 from assessments where org_id = $1 and id = $2",
                    id.split_once(':').map_or(id.as_str(), |(a, _)| a),
                ),
            };
            let record = uuid::Uuid::parse_str(raw).map_err(|_| StoreError::NotFound)?;
            let owned = sqlx::query(sql)
                .bind(a.org_id.0)
                .bind(record)
                .fetch_optional(&mut *tx)
                .await?;
            expect_one(u64::from(owned.is_some()))?;
        }
        sqlx::query(
            "insert into improvement_actions (id, org_id, seq, title, detail, owner, due_on, status, source_kind, \
             source_id, created_by, created_at, updated_by, updated_at) \
             select $1, $2, coalesce(max(seq), 0) + 1, $3, $4, $5, $6, $7, $8, $9, $10, $11, $10, $11 \
             from improvement_actions where org_id = $2",
        )
        .bind(a.id.0)
        .bind(a.org_id.0)
        .bind(&a.title)
        .bind(&a.detail)
        .bind(&a.owner)
        .bind(&a.due_on)
        .bind(a.status.code())
        .bind(a.source.as_ref().map(|(k, _)| k.code()))
        .bind(a.source.as_ref().map(|(_, id)| id.clone()))
        .bind(&a.created_by)
        .bind(a.created_at)
        .execute(&mut *tx)
        .await?;
        append(&mut tx, audit).await?;
        self.commit(tx).await?;
        Ok(())
    }

    /// Replaces an action's editable fields.
    pub async fn update_action(&self, a: &ImprovementAction, audit: &NewAudit) -> Result<(), StoreError> {
        let mut tx = self.begin_write().await?;
        let changed = sqlx::query(
            "update improvement_actions set title = $3, detail = $4, owner = $5, due_on = $6, status = $7, \
             updated_by = $8, updated_at = $9 where org_id = $1 and id = $2",
        )
        .bind(a.org_id.0)
        .bind(a.id.0)
        .bind(&a.title)
        .bind(&a.detail)
        .bind(&a.owner)
        .bind(&a.due_on)
        .bind(a.status.code())
        .bind(&a.updated_by)
        .bind(a.updated_at)
        .execute(&mut *tx)
        .await?;
        expect_one(changed.rows_affected())?;
        append(&mut tx, audit).await?;
        self.commit(tx).await?;
        Ok(())
    }

    pub async fn get_action(&self, org: OrgId, id: ActionId) -> Result<ImprovementAction, StoreError> {
        self.read_one(
            composed!("select {ACTION_COLUMNS} from improvement_actions where org_id = $1 and id = $2"),
            &[org.0.into(), id.0.into()],
            action,
        )
        .await
    }

    /// The improvement plan: live actions first (soonest due first), then the rest.
    pub async fn actions_page(
        &self,
        org: OrgId,
        live_only: bool,
        page: PageRequest,
    ) -> Result<Page<ImprovementAction>, StoreError> {
        let args = [
            Arg::Id(org.0),
            Arg::Flag(live_only),
            Arg::Int(i64::from(page.limit)),
            Arg::Int(int(page.offset)),
        ];
        let live = "($2 = false or status in ('open', 'in_progress'))";
        let items = self
            .read_all(
                composed!(
                    "select {ACTION_COLUMNS} from improvement_actions where org_id = $1 and {live} \
                     order by case when status in ('open', 'in_progress') then 0 else 1 end, \
                     coalesce(due_on, '9999-12-31'), seq limit $3 offset $4"
                ),
                &args,
                action,
            )
            .await?;
        self.page_of(
            page,
            items,
            composed!("select count(*) as n from improvement_actions where org_id = $1 and {live}"),
            &args[..2],
        )
        .await
    }

    /// The actions raised from one source record.
    pub async fn actions_from(
        &self,
        org: OrgId,
        source: ActionSource,
        id: &str,
    ) -> Result<Vec<ImprovementAction>, StoreError> {
        self.read_all(
            composed!(
                "select {ACTION_COLUMNS} from improvement_actions where org_id = $1 and source_kind = $2 \
                 and source_id = $3 order by seq limit 500"
            ),
            &[org.0.into(), source.code().into(), id.into()],
            action,
        )
        .await
    }

    /// Every action raised against any item of one assessment.
    pub async fn assessment_actions(
        &self,
        org: OrgId,
        assessment: uuid::Uuid,
    ) -> Result<Vec<ImprovementAction>, StoreError> {
        let prefix = format!("{assessment}:%");
        self.read_all(
            composed!(
                "select {ACTION_COLUMNS} from improvement_actions where org_id = $1 and source_kind = 'assessment' \
                 and source_id like $2 order by seq limit 1000"
            ),
            &[org.0.into(), prefix.as_str().into()],
            action,
        )
        .await
    }
}
