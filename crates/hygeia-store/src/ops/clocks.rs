//! Kept clocks and the worker's tick over them, the reminders it queues, and the outbox of
//! mail. State changes are set-based statements, so a tick costs the same whether ten or a
//! hundred thousand incidents are open.

use super::{Cols, Repo, Tx, int};
use crate::StoreError;
use crate::model::{ClockListing, ClockRow, Mail, TickReport};
use hygeia_domain::ids::{IncidentId, MailId, OrgId};
use hygeia_domain::incidents::clocks::ClockState;
use hygeia_domain::org::Regime;
use hygeia_domain::page::{Page, PageRequest};
use uuid::Uuid;

/// Replaces an incident's kept clocks with `rows` inside the caller's transaction. Reminders
/// already sent stay sent unless the deadline itself moved.
pub(super) async fn replace_clocks(tx: &mut Tx<'_>, incident: IncidentId, rows: &[ClockRow]) -> Result<(), StoreError> {
    let existing = sqlx::query("select regime, stage from incident_clocks where incident_id = $1")
        .bind(incident.0)
        .fetch_all(&mut **tx)
        .await?;
    for row in &existing {
        let regime: String = sqlx::Row::try_get(row, "regime")?;
        let stage: String = sqlx::Row::try_get(row, "stage")?;
        if !rows.iter().any(|r| r.regime.code() == regime && r.stage == stage) {
            sqlx::query("delete from incident_clocks where incident_id = $1 and regime = $2 and stage = $3")
                .bind(incident.0)
                .bind(&regime)
                .bind(&stage)
                .execute(&mut **tx)
                .await?;
        }
    }
    for r in rows {
        sqlx::query(
            "insert into incident_clocks (incident_id, org_id, regulator_id, regime, stage, title, due_at, submitted_at, state, \
             reminded_soon, reminded_overdue) values ($1, $2, $9, $3, $4, $5, $6, $7, $8, false, false) \
             on conflict (incident_id, regime, stage) do update set title = excluded.title, due_at = excluded.due_at, \
             regulator_id = excluded.regulator_id, \
             submitted_at = excluded.submitted_at, state = excluded.state, \
             reminded_soon = (incident_clocks.reminded_soon and coalesce(incident_clocks.due_at, -1) = coalesce(excluded.due_at, -1)), \
             reminded_overdue = (incident_clocks.reminded_overdue and coalesce(incident_clocks.due_at, -1) = coalesce(excluded.due_at, -1))",
        )
        .bind(r.incident_id.0)
        .bind(r.org_id.0)
        .bind(r.regime.code())
        .bind(&r.stage)
        .bind(&r.title)
        .bind(r.due_at)
        .bind(r.submitted_at)
        .bind(r.state.code())
        .bind(r.regulator_id.map(|o| o.0))
        .execute(&mut **tx)
        .await?;
    }
    Ok(())
}

fn clock(row: &dyn Cols) -> Result<ClockRow, StoreError> {
    Ok(ClockRow {
        incident_id: IncidentId(row.id("incident_id")?),
        org_id: OrgId(row.id("org_id")?),
        regulator_id: row.opt_id("regulator_id")?.map(OrgId),
        regime: Regime::parse(&row.text("regime")?, "regime")?,
        stage: row.text("stage")?,
        title: row.text("title")?,
        due_at: row.opt_int("due_at")?,
        submitted_at: row.opt_int("submitted_at")?,
        state: ClockState::parse(&row.text("state")?, "state")?,
    })
}

fn listing(row: &dyn Cols) -> Result<ClockListing, StoreError> {
    Ok(ClockListing {
        clock: clock(row)?,
        reference: row.text("reference")?,
        incident_title: row.text("incident_title")?,
        org_name: row.text("org_name")?,
    })
}

const LISTING: &str = "select c.incident_id, c.org_id, c.regulator_id, c.regime, c.stage, c.title, c.due_at, c.submitted_at, c.state, \
     i.reference, i.title as incident_title, o.name as org_name \
     from incident_clocks c join incidents i on i.id = c.incident_id join orgs o on o.id = c.org_id";

/// A reminder the tick decided to send, before its mail is written.
struct Due {
    incident: Uuid,
    regime: String,
    stage: String,
    overdue: bool,
    subject: String,
    body: String,
    recipients: Vec<String>,
}

impl Repo {
    /// The clocks of `org` that still need someone to act, soonest first.
    pub async fn open_clocks(&self, org: OrgId) -> Result<Vec<ClockListing>, StoreError> {
        self.read_all(
            composed!(
                "{LISTING} where c.org_id = $1 and c.state in ('due', 'due_soon', 'overdue') order by c.due_at, c.incident_id limit 500"
            ),
            &[org.0.into()],
            listing,
        )
        .await
    }

    /// Across a regulator's remit: reports overdue now, and reports that were submitted late.
    pub async fn overdue_and_late(
        &self,
        regulator: OrgId,
        page: PageRequest,
    ) -> Result<Page<ClockListing>, StoreError> {
        let items = self
            .read_all(
                composed!(
                    "{LISTING} where c.regulator_id = $1 and c.state in ('overdue', 'submitted_late') \
                     order by c.due_at desc, c.incident_id desc, c.regime desc, c.stage desc limit $2 offset $3"
                ),
                &[
                    regulator.0.into(),
                    i64::from(page.limit).into(),
                    int(page.offset).into(),
                ],
                listing,
            )
            .await?;
        self.page_of(
            page,
            items,
            "select count(*) as n from incident_clocks c where c.regulator_id = $1 and c.state in ('overdue', 'submitted_late')",
            &[regulator.0.into()],
        )
        .await
    }

    /// Moves clocks on to due soon and overdue as time passes, and queues one reminder per
    /// clock for each: to whoever reported the incident and the organisation's senior
    /// executives. `reminder` writes the subject and body of a reminder.
    pub async fn tick_clocks(
        &self,
        now: i64,
        due_soon_ms: i64,
        batch: u32,
        reminder: &(dyn Fn(&ClockListing, bool) -> (String, String) + Sync),
        new_id: &(dyn Fn() -> Uuid + Sync),
    ) -> Result<TickReport, StoreError> {
        let mut tx = self.begin_write().await?;
        let overdue = sqlx::query(
            "update incident_clocks set state = 'overdue' where state in ('due', 'due_soon') and due_at < $1",
        )
        .bind(now)
        .execute(&mut *tx)
        .await?
        .rows_affected();
        let soon = sqlx::query("update incident_clocks set state = 'due_soon' where state = 'due' and due_at <= $1")
            .bind(now.saturating_add(due_soon_ms))
            .execute(&mut *tx)
            .await?
            .rows_affected();
        let rows = sqlx::query(composed!(
            "{LISTING} where (c.state = 'due_soon' and c.reminded_soon = false) \
             or (c.state = 'overdue' and c.reminded_overdue = false) order by c.due_at limit $1"
        ))
        .bind(i64::from(batch))
        .fetch_all(&mut *tx)
        .await?;
        let mut due = Vec::with_capacity(rows.len());
        for row in &rows {
            let l = listing(row)?;
            let is_overdue = l.clock.state == ClockState::Overdue;
            let (subject, body) = reminder(&l, is_overdue);
            let recipients = sqlx::query(
                "select u.email from users u join incidents i on i.created_by = u.id where i.id = $1 \
                 union select u.email from users u join memberships m on m.user_id = u.id \
                 where m.org_id = $2 and m.role = 'senior_executive' order by 1",
            )
            .bind(l.clock.incident_id.0)
            .bind(l.clock.org_id.0)
            .fetch_all(&mut *tx)
            .await?
            .iter()
            .map(|r| sqlx::Row::try_get::<String, _>(r, 0))
            .collect::<Result<Vec<_>, _>>()?;
            due.push(Due {
                incident: l.clock.incident_id.0,
                regime: l.clock.regime.code().to_owned(),
                stage: l.clock.stage.clone(),
                overdue: is_overdue,
                subject,
                body,
                recipients,
            });
        }
        let mut queued = 0;
        for d in &due {
            for to in &d.recipients {
                let mail = Mail {
                    id: MailId(new_id()),
                    recipient: to.clone(),
                    subject: d.subject.clone(),
                    body: d.body.clone(),
                    created_at: now,
                    attempts: 0,
                };
                queue_mail(&mut tx, &mail).await?;
                queued += 1;
            }
            let flag = if d.overdue { "reminded_overdue" } else { "reminded_soon" };
            sqlx::query(composed!(
                "update incident_clocks set {flag} = true where incident_id = $1 and regime = $2 and stage = $3"
            ))
            .bind(d.incident)
            .bind(&d.regime)
            .bind(&d.stage)
            .execute(&mut *tx)
            .await?;
        }
        self.commit(tx).await?;
        Ok(TickReport {
            now_due_soon: soon,
            now_overdue: overdue,
            reminders_queued: queued,
        })
    }

    /// Mail not yet sent, oldest first, leaving out messages that failed too often.
    pub async fn pending_mail(&self, limit: u32, max_attempts: i64) -> Result<Vec<Mail>, StoreError> {
        self.read_all(
            "select id, recipient, subject, body, created_at, attempts from outbox \
             where sent_at is null and attempts < $1 order by created_at, id limit $2",
            &[max_attempts.into(), i64::from(limit).into()],
            |r| {
                Ok(Mail {
                    id: MailId(r.id("id")?),
                    recipient: r.text("recipient")?,
                    subject: r.text("subject")?,
                    body: r.text("body")?,
                    created_at: r.int("created_at")?,
                    attempts: r.int("attempts")?,
                })
            },
        )
        .await
    }

    /// Records the outcome of one attempt to send a message.
    pub async fn mail_attempted(&self, id: MailId, at: i64, error: Option<&str>) -> Result<(), StoreError> {
        let mut tx = self.begin_write().await?;
        sqlx::query("update outbox set attempts = attempts + 1, sent_at = $2, last_error = $3 where id = $1")
            .bind(id.0)
            .bind(error.is_none().then_some(at))
            .bind(error.unwrap_or_default())
            .execute(&mut *tx)
            .await?;
        self.commit(tx).await?;
        Ok(())
    }
}

/// Puts a message in the outbox inside the caller's transaction.
pub(super) async fn queue_mail(tx: &mut Tx<'_>, m: &Mail) -> Result<(), StoreError> {
    sqlx::query(
        "insert into outbox (id, recipient, subject, body, created_at, sent_at, attempts, last_error) \
         values ($1, $2, $3, $4, $5, null, 0, '')",
    )
    .bind(m.id.0)
    .bind(&m.recipient)
    .bind(&m.subject)
    .bind(&m.body)
    .bind(m.created_at)
    .execute(&mut **tx)
    .await?;
    Ok(())
}
