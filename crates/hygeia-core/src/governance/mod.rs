//! Improvement actions and the risk register: validated, audited, within one organisation.
//! Incidents point at both: lessons learned become actions (CAF D2), and the risks an
//! incident realised or revealed are linked to it.

use crate::{CoreError, Hygeia, Scope};
use hygeia_domain::governance::actions::{ActionSource, ActionStatus, is_overdue};
use hygeia_domain::governance::risks::{Rating, RiskStatus, Treatment, check_scale, rating};
use hygeia_domain::governance::{check_date, check_line, check_text};
use hygeia_domain::ids::{ActionId, IncidentId, RiskId};
use hygeia_domain::page::{Page, PageRequest};
use hygeia_domain::permissions::Permission;
use hygeia_domain::validation::Collector;
use hygeia_store::model::{ImprovementAction, Risk};
use serde::Serialize;
use serde_json::json;

mod actions;
mod risks;

/// An action as typed in a form or sent to the API.
#[derive(Debug, Clone, Default)]
pub struct ActionInput {
    pub title: String,
    pub detail: String,
    pub owner: String,
    pub due_on: String,
    /// Empty means open.
    pub status: String,
}

/// An action with whether it is overdue in the organisation's calendar.
#[derive(Debug, Clone, Serialize)]
pub struct ActionRow {
    #[serde(flatten)]
    pub action: ImprovementAction,
    pub overdue: bool,
}

/// A risk as typed in a form or sent to the API.
#[derive(Debug, Clone, Default)]
pub struct RiskInput {
    pub title: String,
    pub description: String,
    pub likelihood: String,
    pub impact: String,
    pub treatment: String,
    pub owner: String,
    /// Empty means open.
    pub status: String,
    pub review_by: String,
}

/// A risk with its score and band.
#[derive(Debug, Clone, Serialize)]
pub struct RiskRow {
    #[serde(flatten)]
    pub risk: Risk,
    pub score: u8,
    pub rating: Rating,
}

fn risk_row(risk: Risk) -> RiskRow {
    RiskRow {
        score: risk.likelihood * risk.impact,
        rating: rating(risk.likelihood, risk.impact),
        risk,
    }
}

struct ActionFields {
    title: String,
    detail: String,
    owner: String,
    due_on: Option<String>,
    status: ActionStatus,
}

fn check_action(input: &ActionInput) -> Result<ActionFields, CoreError> {
    let mut c = Collector::new();
    let title = c.check(check_line(&input.title, "title", 200));
    let detail = c.check(check_text(&input.detail, "detail", 5_000));
    let owner = c.check(check_text(&input.owner, "owner", 200));
    let due_on = c.check(check_date(&input.due_on, "due_on"));
    let status = if input.status.trim().is_empty() {
        Some(ActionStatus::Open)
    } else {
        c.check(ActionStatus::parse(input.status.trim(), "status"))
    };
    c.finish()?;
    match (title, detail, owner, due_on, status) {
        (Some(title), Some(detail), Some(owner), Some(due_on), Some(status)) => Ok(ActionFields {
            title,
            detail,
            owner,
            due_on,
            status,
        }),
        _ => Err(CoreError::Internal("validated input went missing".into())),
    }
}

struct RiskFields {
    title: String,
    description: String,
    likelihood: u8,
    impact: u8,
    treatment: Treatment,
    owner: String,
    status: RiskStatus,
    review_by: Option<String>,
}

fn check_risk(input: &RiskInput) -> Result<RiskFields, CoreError> {
    let mut c = Collector::new();
    let title = c.check(check_line(&input.title, "title", 200));
    let description = c.check(check_text(&input.description, "description", 5_000));
    let likelihood = c.check(check_scale(&input.likelihood, "likelihood"));
    let impact = c.check(check_scale(&input.impact, "impact"));
    let treatment = c.check(Treatment::parse(input.treatment.trim(), "treatment"));
    let owner = c.check(check_line(&input.owner, "owner", 200));
    let status = if input.status.trim().is_empty() {
        Some(RiskStatus::Open)
    } else {
        c.check(RiskStatus::parse(input.status.trim(), "status"))
    };
    let review_by = c.check(check_date(&input.review_by, "review_by"));
    c.finish()?;
    match (
        title,
        description,
        likelihood,
        impact,
        treatment,
        owner,
        status,
        review_by,
    ) {
        (
            Some(title),
            Some(description),
            Some(likelihood),
            Some(impact),
            Some(treatment),
            Some(owner),
            Some(status),
            Some(review_by),
        ) => Ok(RiskFields {
            title,
            description,
            likelihood,
            impact,
            treatment,
            owner,
            status,
            review_by,
        }),
        _ => Err(CoreError::Internal("validated input went missing".into())),
    }
}
