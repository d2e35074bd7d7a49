//! Improvement actions and risks.

use hygeia_domain::ids::*;
use serde::Serialize;

/// An improvement action.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ImprovementAction {
    pub id: hygeia_domain::ids::ActionId,
    pub org_id: OrgId,
    /// `ACT-0007`: numbered per organisation.
    pub reference: String,
    pub title: String,
    pub detail: String,
    pub owner: String,
    /// `YYYY-MM-DD`.
    pub due_on: Option<String>,
    pub status: hygeia_domain::governance::actions::ActionStatus,
    pub source: Option<(hygeia_domain::governance::actions::ActionSource, String)>,
    pub created_by: String,
    pub created_at: i64,
    pub updated_by: String,
    pub updated_at: i64,
}

/// A risk in the register.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Risk {
    pub id: hygeia_domain::ids::RiskId,
    pub org_id: OrgId,
    /// `RSK-0003`: numbered per organisation.
    pub reference: String,
    pub title: String,
    pub description: String,
    pub likelihood: u8,
    pub impact: u8,
    pub treatment: hygeia_domain::governance::risks::Treatment,
    pub owner: String,
    pub status: hygeia_domain::governance::risks::RiskStatus,
    /// `YYYY-MM-DD`.
    pub review_by: Option<String>,
    pub created_by: String,
    pub created_at: i64,
    pub updated_by: String,
    pub updated_at: i64,
}
