//! National alerts' pages: an organisation's alert record and its response to one alert;
//! the national team's alerts with the draft and import forms, one alert with its exposure
//! across the sector (a regulator's remit), and the KEV catalogue.

mod exposure;
mod kev;
mod national;
mod response;

use crate::state::AppState;
use axum::Router;
use axum::routing::{get, post};
use hygeia_domain::alerts::alert::Severity;
use hygeia_domain::alerts::matching::Verdict;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/orgs/{org_id}/alerts", get(response::record))
        .route("/orgs/{org_id}/alerts/delegation", post(response::delegate))
        .route(
            "/orgs/{org_id}/alerts/{alert_id}/members",
            post(response::respond_for_members),
        )
        .route(
            "/orgs/{org_id}/alerts/{alert_id}",
            get(response::show).post(response::respond),
        )
        .route(
            "/orgs/{org_id}/national-alerts",
            get(national::list).post(national::create),
        )
        .route("/orgs/{org_id}/national-alerts/import", post(national::import))
        .route("/orgs/{org_id}/national-alerts/{alert_id}", get(exposure::show))
        .route(
            "/orgs/{org_id}/national-alerts/{alert_id}/publish",
            post(exposure::publish),
        )
        .route("/orgs/{org_id}/kev", get(kev::catalogue).post(kev::map))
}

pub(crate) fn severity_tag(s: Severity) -> (&'static str, &'static str) {
    match s {
        Severity::High => ("nhsuk-tag--red", s.label()),
        Severity::Medium => ("nhsuk-tag--orange", s.label()),
        Severity::Low => ("nhsuk-tag--yellow", s.label()),
        Severity::Information => ("nhsuk-tag--grey", s.label()),
    }
}

pub(crate) fn verdict_tag(v: Verdict) -> (&'static str, &'static str) {
    match v {
        Verdict::Affected => ("nhsuk-tag--red", v.label()),
        Verdict::Unknown => ("nhsuk-tag--yellow", v.label()),
        Verdict::NotAffected => ("nhsuk-tag--green", v.label()),
    }
}
