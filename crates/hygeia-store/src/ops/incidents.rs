//! The incident register: incidents, their timelines and their reportability decisions.
//! Every statement names the organisation, so an incident id from elsewhere finds nothing.

use super::audit::append;
use super::clocks::replace_clocks;
use super::plans::insert_tasks;
use super::{Cols, Repo, Tx, expect_one, int};
use crate::StoreError;
use crate::model::{Assessment, ClockRow, Incident, IncidentEvent, IncidentTask, NewAudit, RecordedDecision};
use hygeia_domain::ids::{DecisionId, IncidentEventId, IncidentId, OrgId, UserId};
use hygeia_domain::incidents::lifecycle::incident_reference;
use hygeia_domain::incidents::{IncidentCategory, IncidentSeverity, IncidentStatus};
use hygeia_domain::page::{Page, PageRequest};

const INCIDENT_COLUMNS: &str = "i.id, i.org_id, i.reference, i.title, i.category, i.severity, i.status, \
     i.occurred_at, i.detected_at, i.aware_at, i.details, i.facts, i.created_by, i.closed_at, i.created_at, i.updated_at";

fn json<T: serde::de::DeserializeOwned>(row: &dyn Cols, col: &str) -> Result<T, StoreError> {
    serde_json::from_str(&row.text(col)?).map_err(|e| StoreError::Corrupt(format!("{col}: {e}")))
}

fn to_json<T: serde::Serialize>(value: &T) -> Result<String, StoreError> {
    serde_json::to_string(value).map_err(|e| StoreError::Database(format!("cannot encode: {e}")))
}

fn incident(row: &dyn Cols) -> Result<Incident, StoreError> {
    Ok(Incident {
        id: IncidentId(row.id("id")?),
        org_id: OrgId(row.id("org_id")?),
        reference: row.text("reference")?,
        title: row.text("title")?,
        category: IncidentCategory::parse(&row.text("category")?, "category")?,
        severity: IncidentSeverity::parse(&row.text("severity")?, "severity")?,
        status: IncidentStatus::parse(&row.text("status")?, "status")?,
        occurred_at: row.opt_int("occurred_at")?,
        detected_at: row.int("detected_at")?,
        aware_at: row.int("aware_at")?,
        details: json(row, "details")?,
        facts: json(row, "facts")?,
        created_by: row.opt_id("created_by")?.map(UserId),
        closed_at: row.opt_int("closed_at")?,
        created_at: row.int("created_at")?,
        updated_at: row.int("updated_at")?,
    })
}

fn event(row: &dyn Cols) -> Result<IncidentEvent, StoreError> {
    Ok(IncidentEvent {
        id: IncidentEventId(row.id("id")?),
        incident_id: IncidentId(row.id("incident_id")?),
        at: row.int("at")?,
        actor_label: row.text("actor_label")?,
        kind: row.text("kind")?,
        body: row.text("body")?,
    })
}

fn decision(row: &dyn Cols) -> Result<RecordedDecision, StoreError> {
    Ok(RecordedDecision {
        id: DecisionId(row.id("id")?),
        incident_id: IncidentId(row.id("incident_id")?),
        decision: json(row, "outcome")?,
        facts: json(row, "facts")?,
        rationale: row.text("rationale")?,
        decided_by: row.text("decided_by")?,
        decided_at: row.int("decided_at")?,
    })
}

impl Repo {
    /// Adds an incident, numbering it within its organisation and year (the number is taken
    /// inside the write, so two reports at once cannot share one). Returns the reference.
    pub async fn create_incident(
        &self,
        inc: &Incident,
        year: i16,
        first: &IncidentEvent,
        tasks: &[IncidentTask],
        audit: &NewAudit,
    ) -> Result<String, StoreError> {
        let mut tx = self.begin_write().await?;
        let number: i64 = sqlx::Row::try_get(
            &sqlx::query("select coalesce(max(number), 0) + 1 as n from incidents where org_id = $1 and year = $2")
                .bind(inc.org_id.0)
                .bind(i64::from(year))
                .fetch_one(&mut *tx)
                .await?,
            "n",
        )?;
        let reference = incident_reference(year, u32::try_from(number).unwrap_or(u32::MAX));
        sqlx::query(
            "insert into incidents (id, org_id, year, number, reference, title, category, severity, status, occurred_at, \
             detected_at, aware_at, details, facts, created_by, closed_at, created_at, updated_at) \
             values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18)",
        )
        .bind(inc.id.0)
        .bind(inc.org_id.0)
        .bind(i64::from(year))
        .bind(number)
        .bind(&reference)
        .bind(&inc.title)
        .bind(inc.category.code())
        .bind(inc.severity.code())
        .bind(inc.status.code())
        .bind(inc.occurred_at)
        .bind(inc.detected_at)
        .bind(inc.aware_at)
        .bind(to_json(&inc.details)?)
        .bind(to_json(&inc.facts)?)
        .bind(inc.created_by.map(|u| u.0))
        .bind(inc.closed_at)
        .bind(inc.created_at)
        .bind(inc.updated_at)
        .execute(&mut *tx)
        .await?;
        insert_event(&mut tx, first).await?;
        insert_tasks(&mut tx, tasks).await?;
        append(&mut tx, audit).await?;
        self.commit(tx).await?;
        Ok(reference)
    }

    pub async fn get_incident(&self, org: OrgId, id: IncidentId) -> Result<Incident, StoreError> {
        self.read_one(
            composed!("select {INCIDENT_COLUMNS} from incidents i where i.org_id = $1 and i.id = $2"),
            &[org.0.into(), id.0.into()],
            incident,
        )
        .await
    }

    /// A page of the register, most recent awareness first; `open_only` leaves out closed ones.
    pub async fn list_incidents(
        &self,
        org: OrgId,
        open_only: bool,
        page: PageRequest,
    ) -> Result<Page<Incident>, StoreError> {
        let items = self
            .read_all(
                composed!(
                    "select {INCIDENT_COLUMNS} from incidents i where i.org_id = $1 and ($2 = false or i.status <> 'closed') \
                     order by i.aware_at desc, i.id limit $3 offset $4"
                ),
                &[org.0.into(), open_only.into(), i64::from(page.limit).into(), int(page.offset).into()],
                incident,
            )
            .await?;
        self.page_of(
            page,
            items,
            "select count(*) as n from incidents where org_id = $1 and ($2 = false or status <> 'closed')",
            &[org.0.into(), open_only.into()],
        )
        .await
    }

    /// Saves an edited incident if nobody changed it since it was read (`expected_updated_at`),
    /// with its timeline entries, its clocks as they now stand, any tasks it gains, and the
    /// audit record.
    pub async fn update_incident(
        &self,
        inc: &Incident,
        expected_updated_at: i64,
        events: &[IncidentEvent],
        changes: (&[ClockRow], &[IncidentTask]),
        audit: &NewAudit,
    ) -> Result<(), StoreError> {
        let (clocks, tasks) = changes;
        let mut tx = self.begin_write().await?;
        let done = sqlx::query(
            "update incidents set title = $3, category = $4, severity = $5, status = $6, occurred_at = $7, \
             detected_at = $8, aware_at = $9, details = $10, facts = $11, closed_at = $12, updated_at = $13 \
             where org_id = $1 and id = $2 and updated_at = $14",
        )
        .bind(inc.org_id.0)
        .bind(inc.id.0)
        .bind(&inc.title)
        .bind(inc.category.code())
        .bind(inc.severity.code())
        .bind(inc.status.code())
        .bind(inc.occurred_at)
        .bind(inc.detected_at)
        .bind(inc.aware_at)
        .bind(to_json(&inc.details)?)
        .bind(to_json(&inc.facts)?)
        .bind(inc.closed_at)
        .bind(inc.updated_at)
        .bind(expected_updated_at)
        .execute(&mut *tx)
        .await?;
        if done.rows_affected() != 1 {
            return Err(StoreError::Conflict(
                "the incident was changed by someone else; reload and try again".into(),
            ));
        }
        for e in events {
            insert_event(&mut tx, e).await?;
        }
        replace_clocks(&mut tx, inc.id, clocks).await?;
        insert_tasks(&mut tx, tasks).await?;
        append(&mut tx, audit).await?;
        self.commit(tx).await?;
        Ok(())
    }

    /// Adds a note (or other entry) to the timeline of an incident of `org`.
    pub async fn add_incident_event(&self, org: OrgId, e: &IncidentEvent, audit: &NewAudit) -> Result<(), StoreError> {
        let mut tx = self.begin_write().await?;
        owned(&mut tx, org, e.incident_id).await?;
        insert_event(&mut tx, e).await?;
        append(&mut tx, audit).await?;
        self.commit(tx).await?;
        Ok(())
    }

    /// The timeline, oldest first.
    pub async fn incident_events(&self, org: OrgId, incident: IncidentId) -> Result<Vec<IncidentEvent>, StoreError> {
        self.read_all(
            "select e.id, e.incident_id, e.at, e.actor_label, e.kind, e.body from incident_events e \
             join incidents i on i.id = e.incident_id where i.org_id = $1 and e.incident_id = $2 \
             order by e.seq limit 2000",
            &[org.0.into(), incident.0.into()],
            event,
        )
        .await
    }

    /// Records one decision per regime at once, keeps the facts they were made on as the
    /// incident's current facts, and adds a timeline entry and an audit record.
    pub async fn record_decisions(&self, a: &Assessment<'_>, audit: &NewAudit) -> Result<(), StoreError> {
        let (org, facts, at, decisions, entry, clocks) = (a.org, a.facts, a.at, a.decisions, a.entry, a.clocks);
        let mut tx = self.begin_write().await?;
        let done = sqlx::query("update incidents set facts = $3, updated_at = $4 where org_id = $1 and id = $2")
            .bind(org.0)
            .bind(entry.incident_id.0)
            .bind(to_json(facts)?)
            .bind(at)
            .execute(&mut *tx)
            .await?;
        expect_one(done.rows_affected())?;
        for d in decisions {
            sqlx::query(
                "insert into reportability_decisions (id, incident_id, regime, pack_version, verdict, outcome, facts, \
                 rationale, decided_by, decided_at) values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
            )
            .bind(d.id.0)
            .bind(d.incident_id.0)
            .bind(d.decision.regime.code())
            .bind(&d.decision.pack_version)
            .bind(d.decision.verdict.code())
            .bind(to_json(&d.decision)?)
            .bind(to_json(&d.facts)?)
            .bind(&d.rationale)
            .bind(&d.decided_by)
            .bind(d.decided_at)
            .execute(&mut *tx)
            .await?;
        }
        insert_event(&mut tx, entry).await?;
        replace_clocks(&mut tx, entry.incident_id, clocks).await?;
        append(&mut tx, audit).await?;
        self.commit(tx).await?;
        Ok(())
    }

    /// Every decision recorded for an incident, newest first.
    pub async fn decisions(&self, org: OrgId, incident: IncidentId) -> Result<Vec<RecordedDecision>, StoreError> {
        self.read_all(
            "select d.id, d.incident_id, d.outcome, d.facts, d.rationale, d.decided_by, d.decided_at \
             from reportability_decisions d join incidents i on i.id = d.incident_id \
             where i.org_id = $1 and d.incident_id = $2 order by d.decided_at desc, d.id limit 1000",
            &[org.0.into(), incident.0.into()],
            decision,
        )
        .await
    }
}

/// Refuses, as not found, an incident id that is not `org`'s.
async fn owned(tx: &mut Tx<'_>, org: OrgId, incident: IncidentId) -> Result<(), StoreError> {
    let found = sqlx::query("select 1 from incidents where org_id = $1 and id = $2")
        .bind(org.0)
        .bind(incident.0)
        .fetch_optional(&mut **tx)
        .await?;
    expect_one(u64::from(found.is_some()))
}

pub(super) async fn insert_event(tx: &mut Tx<'_>, e: &IncidentEvent) -> Result<(), StoreError> {
    // Numbered within the incident so entries made in the same millisecond keep their order.
    sqlx::query(
        "insert into incident_events (id, incident_id, seq, at, actor_label, kind, body) \
         select $1, $2, coalesce(max(seq), 0) + 1, $3, $4, $5, $6 from incident_events where incident_id = $2",
    )
    .bind(e.id.0)
    .bind(e.incident_id.0)
    .bind(e.at)
    .bind(&e.actor_label)
    .bind(&e.kind)
    .bind(&e.body)
    .execute(&mut **tx)
    .await?;
    Ok(())
}
