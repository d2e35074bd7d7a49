//! Kept clocks: worked out whenever an incident changes, moved on by the worker's tick, which
//! also queues reminders; and the lists that read them (the organisation's open deadlines,
//! the regulator's overdue and late reports).

use crate::access::Scope;
use crate::notifications::clocks_with_submissions;
use crate::{CoreError, Hygeia};
use hygeia_domain::incidents::regimes::pack_for;
use hygeia_domain::incidents::reportability::{Decision, Verdict};
use hygeia_domain::page::{Page, PageRequest};
use hygeia_domain::permissions::Permission;
use hygeia_store::model::{ClockListing, ClockRow, Incident, Notification, Org, ReportRequest, TickReport};

/// How long before a deadline a clock counts as due soon (and its reminder goes out).
pub const DUE_SOON_MS: i64 = 12 * 3_600_000;
/// Reminders queued per tick at most; the rest follow on the next tick.
const TICK_BATCH: u32 = 2_000;

/// A change being made now that the stored record does not show yet.
pub(crate) enum Pending<'a> {
    Nothing,
    /// A notification being submitted.
    Sending(&'a Notification),
    /// A regulator's request for a report being recorded.
    Asking(&'a ReportRequest),
}

impl Hygeia {
    /// The clocks an incident should have, given its decisions (the latest per regime, or
    /// `decided` when they are being recorded now), its notifications and the regulator's
    /// requests (with `pending`, one being made now).
    pub(crate) async fn clock_rows(
        &self,
        org: &Org,
        incident: &Incident,
        decided: Option<&[Decision]>,
        pending: Pending<'_>,
    ) -> Result<Vec<ClockRow>, CoreError> {
        let latest: Vec<Decision> = match decided {
            Some(d) => d.to_vec(),
            None => {
                let history = self.store.decisions(org.id, incident.id).await?;
                org.regimes
                    .iter()
                    .filter_map(|r| {
                        history
                            .iter()
                            .find(|d| d.decision.regime == *r)
                            .map(|d| d.decision.clone())
                    })
                    .collect()
            }
        };
        let mut notifications = self.store.incident_notifications(org.id, incident.id).await?;
        let mut requests = self.store.report_requests(org.id, incident.id).await?;
        if let Pending::Asking(r) = pending {
            requests.push(r.clone());
        }
        if let Pending::Sending(n) = pending {
            let first = !notifications.iter().any(|x| x.regime == n.regime && x.stage == n.stage);
            let mut n = n.clone();
            n.version = if first { 1 } else { 2 };
            notifications.push(n);
        }
        let tz = jiff::tz::TimeZone::get(&org.time_zone).unwrap_or(jiff::tz::TimeZone::UTC);
        let now = self.now_ms();
        let mut rows = Vec::new();
        for d in latest.iter().filter(|d| d.verdict == Verdict::Reportable) {
            let pack = pack_for(d.regime).map_err(CoreError::Internal)?;
            for c in clocks_with_submissions(pack, incident, &notifications, &requests, now, DUE_SOON_MS, &tz) {
                rows.push(ClockRow {
                    incident_id: incident.id,
                    org_id: org.id,
                    regulator_id: org.regulator_id,
                    regime: d.regime,
                    stage: c.stage,
                    title: c.title,
                    due_at: c.due_at,
                    submitted_at: c.submitted_at,
                    state: c.state,
                });
            }
        }
        Ok(rows)
    }

    /// Moves every kept clock on to `now` and queues the reminders that fall due. Run by the
    /// worker; idempotent, so running it twice at the same moment changes nothing the second time.
    pub async fn tick(&self) -> Result<TickReport, CoreError> {
        let now = self.now_ms();
        let base = self.link_base();
        let reminder = move |l: &ClockListing, overdue: bool| {
            let due = l
                .clock
                .due_at
                .and_then(|d| jiff::Timestamp::from_millisecond(d).ok())
                .map(|t| t.to_string())
                .unwrap_or_default();
            let subject = if overdue {
                format!("Overdue: {} for {}", l.clock.title, l.reference)
            } else {
                format!("Due soon: {} for {}", l.clock.title, l.reference)
            };
            let body = format!(
                "{}\n\n{} ({}) must send the {} under {} by {due} (UTC).\n{}\n\nOpen the incident: {base}/orgs/{}/incidents/{}\n",
                subject,
                l.org_name,
                l.incident_title,
                l.clock.title,
                l.clock.regime.label(),
                if overdue {
                    "The deadline has passed: submit it now, with the reason for the delay."
                } else {
                    "Less than 12 hours are left."
                },
                l.clock.org_id,
                l.clock.incident_id
            );
            (subject, body)
        };
        let new_id = || self.new_uuid();
        Ok(self
            .store
            .tick_clocks(now, DUE_SOON_MS, TICK_BATCH, &reminder, &new_id)
            .await?)
    }

    /// The organisation's deadlines that still need action, soonest first.
    pub async fn open_clocks(&self, scope: &Scope) -> Result<Vec<ClockListing>, CoreError> {
        scope.require(Permission::IncidentsView)?;
        Ok(self.store.open_clocks(scope.org_id()).await?)
    }

    /// Across a regulator's remit: reports overdue now and reports submitted late.
    pub async fn overdue_and_late(&self, scope: &Scope, page: PageRequest) -> Result<Page<ClockListing>, CoreError> {
        scope.require(Permission::OversightView)?;
        Ok(self.store.overdue_and_late(scope.org_id(), page).await?)
    }
}
