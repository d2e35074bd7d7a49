//! The sector's exposure to an alert: counts of responses by state, and the drill-down into
//! one state.

use super::super::{Arg, Repo, int};
use super::{RESPONSE_COLUMNS, response};
use crate::StoreError;
use crate::model::{AlertResponse, Exposure, ResponseFilter};
use hygeia_domain::ids::{AlertId, OrgId};
use hygeia_domain::page::{Page, PageRequest};

/// The condition of a drill-down, over `r` (responses) with `$4` the acknowledge-by instant
/// (the largest integer when the alert has none) and `$5` now.
fn condition(filter: ResponseFilter) -> &'static str {
    match filter {
        ResponseFilter::All => "1 = 1",
        ResponseFilter::Affected => "coalesce(r.applicability, r.prefill) = 'affected'",
        ResponseFilter::Unknown => "coalesce(r.applicability, r.prefill) = 'unknown'",
        ResponseFilter::Acknowledged => "r.acknowledged_at is not null",
        ResponseFilter::Overdue => "r.acknowledged_at is null and $5 > $4",
        ResponseFilter::Remediated => "r.closed_at is not null",
    }
}

impl Repo {
    /// Counts of the sector's responses to an alert; `regulator` limits it to a remit.
    /// `ack_by` is the acknowledge-by instant (None: no deadline), `now` the current time.
    pub async fn exposure(
        &self,
        alert: AlertId,
        regulator: Option<OrgId>,
        ack_by: Option<i64>,
        now: i64,
    ) -> Result<Exposure, StoreError> {
        let nil = uuid::Uuid::nil();
        self.read_one(
            "select count(*) as organisations, \
             coalesce(sum(case when coalesce(r.applicability, r.prefill) = 'affected' then 1 else 0 end), 0) as affected, \
             coalesce(sum(case when coalesce(r.applicability, r.prefill) = 'unknown' then 1 else 0 end), 0) as unknown, \
             coalesce(sum(case when r.acknowledged_at is not null then 1 else 0 end), 0) as acknowledged, \
             coalesce(sum(case when r.acknowledged_at is null and $5 > $4 then 1 else 0 end), 0) as overdue, \
             coalesce(sum(case when r.closed_at is not null then 1 else 0 end), 0) as remediated \
             from alert_responses r join orgs o on o.id = r.org_id where r.alert_id = $1 and ($2 = $3 or o.regulator_id = $2)",
            &[
                Arg::Id(alert.0),
                Arg::Id(regulator.map_or(nil, |r| r.0)),
                Arg::Id(nil),
                Arg::Int(ack_by.unwrap_or(i64::MAX)),
                Arg::Int(now),
            ],
            |r| {
                let n = |c: &str| -> Result<u64, StoreError> { Ok(u64::try_from(r.int(c)?).unwrap_or(0)) };
                Ok(Exposure {
                    organisations: n("organisations")?,
                    affected: n("affected")?,
                    unknown: n("unknown")?,
                    acknowledged: n("acknowledged")?,
                    overdue: n("overdue")?,
                    remediated: n("remediated")?,
                })
            },
        )
        .await
    }

    /// The drill-down: responses in a state, by organisation name.
    pub async fn exposure_page(
        &self,
        alert: AlertId,
        regulator: Option<OrgId>,
        filter: ResponseFilter,
        ack_by: Option<i64>,
        now: i64,
        page: PageRequest,
    ) -> Result<Page<AlertResponse>, StoreError> {
        let nil = uuid::Uuid::nil();
        let args = [
            Arg::Id(alert.0),
            Arg::Id(regulator.map_or(nil, |r| r.0)),
            Arg::Id(nil),
            Arg::Int(ack_by.unwrap_or(i64::MAX)),
            Arg::Int(now),
            Arg::Int(i64::from(page.limit)),
            Arg::Int(int(page.offset)),
        ];
        let condition = condition(filter);
        let items = self
            .read_all(
                composed!(
                    "select {RESPONSE_COLUMNS} from alert_responses r join orgs o on o.id = r.org_id \
                     where r.alert_id = $1 and ($2 = $3 or o.regulator_id = $2) and {condition} \
                     order by o.name, o.id limit $6 offset $7"
                ),
                &args,
                response,
            )
            .await?;
        self.page_of(
            page,
            items,
            composed!(
                "select count(*) as n from alert_responses r join orgs o on o.id = r.org_id \
                 where r.alert_id = $1 and ($2 = $3 or o.regulator_id = $2) and {condition}"
            ),
            &args[..5],
        )
        .await
    }
}
