//! One national alert as the national team and a regulator see it: its details, its
//! publication, and its exposure across the sector (or the remit), with a drill-down by state.

use super::super::{Layout, Section, page, parse_id, when};
use super::national::{AlertLine, alert_line};
use super::response::response_page;
use super::verdict_tag;
use crate::error::PageError;
use crate::extract::{CsrfForm, SignedIn};
use crate::state::AppState;
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use hygeia_core::alerts::AlertView;
use hygeia_domain::ids::{AlertId, OrgId};
use hygeia_domain::page::PageRequest;
use hygeia_domain::permissions::Permission;
use serde::Deserialize;

#[derive(Deserialize, Default)]
pub(super) struct ExposureQuery {
    state: Option<String>,
    org: Option<String>,
}

pub(crate) struct ExposureLine {
    pub org_id: String,
    pub org_name: String,
    pub answer_tag: &'static str,
    pub answer: &'static str,
    pub state: &'static str,
    pub overdue: bool,
}

#[derive(Template)]
#[template(path = "orgs/national_alert.html")]
struct AlertPage {
    layout: Layout,
    org_id: OrgId,
    a: AlertView,
    line: AlertLine,
    acknowledge_by: String,
    remediate_by: String,
    first_update: String,
    can_publish: bool,
    counts: Vec<(&'static str, &'static str, u64)>,
    filter: &'static str,
    rows: Vec<ExposureLine>,
    products: Vec<(String, String, String)>,
}

pub(super) async fn show(
    State(state): State<AppState>,
    signed_in: SignedIn,
    Path((org_id, alert_id)): Path<(String, String)>,
    Query(q): Query<ExposureQuery>,
) -> Result<Response, PageError> {
    let scope = state.core.scope(&signed_in.actor, parse_id::<OrgId>(&org_id)?).await?;
    scope.require(Permission::SectorView)?;
    let id = parse_id::<AlertId>(&alert_id)?;
    let tz = scope.org.time_zone.clone();
    // Drilling into one organisation's answer.
    if let Some(member) = q.org.as_deref().filter(|o| !o.is_empty()) {
        let r = state
            .core
            .exposure_detail(&scope, id, parse_id::<OrgId>(member)?)
            .await?;
        let who = r.org_name.clone();
        let layout = Layout::for_scope(&who, &scope, &signed_in.session, Section::NationalAlerts);
        let mut p = response_page(layout, scope.org.id, r, &tz, false, Vec::new());
        p.read_only_for = Some(who);
        return Ok(page(StatusCode::OK, &p));
    }
    let a = state.core.alert(&scope, id).await?;
    let products = a
        .alert
        .products
        .iter()
        .map(|p| {
            let versions = p
                .cycle
                .clone()
                .map(|c| format!("release {c}"))
                .unwrap_or_else(|| serde_json::to_string(&p.range).unwrap_or_default());
            (p.label.clone(), versions, format!("{:?}", p.status).to_lowercase())
        })
        .collect();
    let (counts, filter, rows) = if a.alert.published_at.is_some() {
        let e = state
            .core
            .alert_exposure(
                &scope,
                id,
                q.state.as_deref().unwrap_or("all"),
                PageRequest::new(Some(200), None),
            )
            .await?;
        let counts = vec![
            ("all", "Organisations", e.organisations),
            ("affected", "Likely affected", e.affected),
            ("unknown", "Unknown", e.unknown),
            ("acknowledged", "Acknowledged", e.acknowledged),
            ("overdue", "Acknowledgement overdue", e.overdue),
            ("remediated", "Closed with remediation", e.remediated),
        ];
        let rows = e
            .responses
            .items
            .iter()
            .map(|r| {
                let (answer_tag, answer) = verdict_tag(r.applicability.unwrap_or(r.prefill));
                ExposureLine {
                    org_id: r.org_id.to_string(),
                    org_name: r.org_name.clone(),
                    answer_tag,
                    answer,
                    state: match r.state {
                        "closed" => "Closed",
                        "acknowledged" => "Acknowledged",
                        _ => "Not acknowledged",
                    },
                    overdue: r.acknowledge_overdue,
                }
            })
            .collect();
        (counts, e.filter, rows)
    } else {
        (Vec::new(), "all", Vec::new())
    };
    // Before publication a deadline is a period; after, the instant it falls on as well.
    let d = a.alert.deadlines;
    let period = |n: Option<u32>, unit: &str, from: &str| match n {
        Some(n) => format!("within {n} {unit} of {from}"),
        None => "no deadline at this severity".to_owned(),
    };
    let at = |t: Option<i64>, period: String| match t {
        Some(t) => format!("{} ({period})", when(t, &tz)),
        None => period,
    };
    let acknowledge_by = at(a.acknowledge_by, period(d.acknowledge_hours, "hours", "publication"));
    let remediate_by = at(a.remediate_by, period(d.remediate_days, "days", "publication"));
    let first_update = period(Some(d.first_update_days), "days", "acknowledgement");
    Ok(page(
        StatusCode::OK,
        &AlertPage {
            layout: Layout::for_scope(&a.alert.reference, &scope, &signed_in.session, Section::NationalAlerts),
            org_id: scope.org.id,
            line: alert_line(&a, &tz),
            acknowledge_by,
            remediate_by,
            first_update,
            can_publish: scope.allows(Permission::AlertsPublish),
            counts,
            filter,
            rows,
            products,
            a,
        },
    ))
}

pub(super) async fn publish(
    State(state): State<AppState>,
    Path((org_id, alert_id)): Path<(String, String)>,
    form: CsrfForm<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let scope = state.core.scope(&form.actor, parse_id::<OrgId>(&org_id)?).await?;
    let id = parse_id::<AlertId>(&alert_id)?;
    state.core.publish_alert(&scope, id).await?;
    Ok(Redirect::to(&format!("/orgs/{}/national-alerts/{}", scope.org.id, id)).into_response())
}
