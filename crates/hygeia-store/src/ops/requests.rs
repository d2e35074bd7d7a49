//! Reports a regulator asks for on request (NIS2's intermediate report): the request, with
//! the clock it starts and the timeline entry the organisation sees, written together.

use super::audit::append;
use super::clocks::replace_clocks;
use super::incidents::insert_event;
use super::{Cols, Repo, expect_one};
use crate::StoreError;
use crate::model::{ClockRow, IncidentEvent, NewAudit, ReportRequest};
use hygeia_domain::ids::{IncidentId, NotificationId, OrgId, ReportRequestId};
use hygeia_domain::org::Regime;

fn request(row: &dyn Cols) -> Result<ReportRequest, StoreError> {
    Ok(ReportRequest {
        id: ReportRequestId(row.id("id")?),
        regulator_id: OrgId(row.id("regulator_id")?),
        org_id: OrgId(row.id("org_id")?),
        incident_id: IncidentId(row.id("incident_id")?),
        notification_id: NotificationId(row.id("notification_id")?),
        regime: Regime::parse(&row.text("regime")?, "regime")?,
        stage: row.text("stage")?,
        due_at: row.int("due_at")?,
        message: row.text("message")?,
        requested_by: row.text("requested_by")?,
        requested_at: row.int("requested_at")?,
    })
}

const COLUMNS: &str = "id, regulator_id, org_id, incident_id, notification_id, regime, stage, due_at, message, \
     requested_by, requested_at";

impl Repo {
    /// Records a request on a notification in `r.regulator_id`'s inbox, with the incident's
    /// clocks as they stand with it.
    pub async fn request_report(
        &self,
        r: &ReportRequest,
        clocks: &[ClockRow],
        event: &IncidentEvent,
        audit: &NewAudit,
    ) -> Result<(), StoreError> {
        let mut tx = self.begin_write().await?;
        let received = sqlx::query(
            "select 1 from notifications where id = $1 and recipient_org_id = $2 and org_id = $3 and incident_id = $4",
        )
        .bind(r.notification_id.0)
        .bind(r.regulator_id.0)
        .bind(r.org_id.0)
        .bind(r.incident_id.0)
        .fetch_optional(&mut *tx)
        .await?;
        expect_one(u64::from(received.is_some()))?;
        sqlx::query(
            "insert into report_requests (id, regulator_id, org_id, incident_id, notification_id, regime, stage, due_at, \
             message, requested_by, requested_at) values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)",
        )
        .bind(r.id.0)
        .bind(r.regulator_id.0)
        .bind(r.org_id.0)
        .bind(r.incident_id.0)
        .bind(r.notification_id.0)
        .bind(r.regime.code())
        .bind(&r.stage)
        .bind(r.due_at)
        .bind(&r.message)
        .bind(&r.requested_by)
        .bind(r.requested_at)
        .execute(&mut *tx)
        .await?;
        replace_clocks(&mut tx, r.incident_id, clocks).await?;
        insert_event(&mut tx, event).await?;
        append(&mut tx, audit).await?;
        self.commit(tx).await?;
        Ok(())
    }

    /// The requests made about one incident of `org`, oldest first.
    pub async fn report_requests(&self, org: OrgId, incident: IncidentId) -> Result<Vec<ReportRequest>, StoreError> {
        self.read_all(
            composed!(
                "select {COLUMNS} from report_requests where org_id = $1 and incident_id = $2 \
                 order by requested_at, id limit 200"
            ),
            &[org.0.into(), incident.0.into()],
            request,
        )
        .await
    }

    /// The requests a regulator made on one notification in its inbox.
    pub async fn requests_on(
        &self,
        regulator: OrgId,
        notification: NotificationId,
    ) -> Result<Vec<ReportRequest>, StoreError> {
        self.read_all(
            composed!(
                "select {COLUMNS} from report_requests where regulator_id = $1 and notification_id = $2 \
                 order by requested_at, id limit 200"
            ),
            &[regulator.0.into(), notification.0.into()],
            request,
        )
        .await
    }
}
