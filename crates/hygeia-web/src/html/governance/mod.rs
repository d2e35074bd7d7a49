//! The improvement plan and the risk register, and their forms on the incident page.

mod actions;
mod on_incident;
mod risks;

use super::val;
use crate::state::AppState;
use axum::Router;
use axum::routing::{get, post};
use hygeia_core::{ActionRow, RiskRow};
use hygeia_domain::governance::actions::ActionSource;
use hygeia_domain::governance::risks::Rating;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/orgs/{org_id}/actions", get(actions::list).post(actions::add))
        .route("/orgs/{org_id}/actions/{action_id}/status", post(actions::set_status))
        .route("/orgs/{org_id}/risks", get(risks::list).post(risks::add))
        .route("/orgs/{org_id}/risks/{risk_id}", get(risks::show).post(risks::update))
        .route(
            "/orgs/{org_id}/incidents/{incident_id}/actions",
            post(on_incident::add_action),
        )
        .route(
            "/orgs/{org_id}/incidents/{incident_id}/risks",
            post(on_incident::link_risk),
        )
        .route(
            "/orgs/{org_id}/incidents/{incident_id}/risks/{risk_id}/unlink",
            post(on_incident::unlink_risk),
        )
}

/// An action as lists show it.
pub(crate) struct ActionLine {
    pub id: String,
    pub reference: String,
    pub title: String,
    pub owner: String,
    pub due: String,
    pub status: &'static str,
    pub status_code: &'static str,
    pub overdue: bool,
    /// Where the action was raised, and how to say so.
    pub source: Option<(String, &'static str)>,
}

pub(crate) fn action_line(org_id: &str, r: &ActionRow) -> ActionLine {
    let a = &r.action;
    ActionLine {
        id: a.id.to_string(),
        reference: a.reference.clone(),
        title: a.title.clone(),
        owner: if a.owner.is_empty() {
            "No owner".into()
        } else {
            a.owner.clone()
        },
        due: a
            .due_on
            .clone()
            .map_or_else(|| "No due date".into(), |d| format!("Due {d}")),
        status: a.status.label(),
        status_code: a.status.code(),
        overdue: r.overdue,
        source: a.source.as_ref().map(|(kind, id)| match kind {
            ActionSource::Incident => (format!("/orgs/{org_id}/incidents/{id}"), "from an incident"),
            ActionSource::Assessment => {
                let (assessment, item) = id.split_once(':').unwrap_or((id.as_str(), ""));
                (
                    format!("/orgs/{org_id}/assessments/{assessment}/items/{item}"),
                    "from an assessment",
                )
            }
        }),
    }
}

/// A risk as lists show it.
pub(crate) struct RiskLine {
    pub id: String,
    pub reference: String,
    pub title: String,
    pub score: u8,
    pub rating: &'static str,
    pub tag: &'static str,
    pub treatment: &'static str,
    pub owner: String,
    pub open: bool,
}

pub(crate) fn risk_line(r: &RiskRow) -> RiskLine {
    RiskLine {
        id: r.risk.id.to_string(),
        reference: r.risk.reference.clone(),
        title: r.risk.title.clone(),
        score: r.score,
        rating: r.rating.label(),
        tag: match r.rating {
            Rating::Low => "nhsuk-tag--green",
            Rating::Medium => "nhsuk-tag--yellow",
            Rating::High => "nhsuk-tag--orange",
            Rating::VeryHigh => "nhsuk-tag--red",
        },
        treatment: r.risk.treatment.label(),
        owner: r.risk.owner.clone(),
        open: r.risk.status == hygeia_domain::governance::risks::RiskStatus::Open,
    }
}

/// Status choices for an action's select.
pub(crate) fn status_choices() -> Vec<(&'static str, &'static str)> {
    hygeia_domain::governance::actions::ActionStatus::ALL
        .iter()
        .map(|s| (s.code(), s.label()))
        .collect()
}
