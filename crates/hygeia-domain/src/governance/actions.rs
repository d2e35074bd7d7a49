//! Improvement actions: a change the organisation commits to, with an owner and a due date.
//! CAF D2 asks that lessons from incidents lead to improvements; the DSPT asks for an
//! improvement plan where standards are not met. Both point here.

use crate::validation::Invalid;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ActionStatus {
    Open,
    InProgress,
    Done,
    Cancelled,
}

impl ActionStatus {
    pub const ALL: &'static [ActionStatus] = &[
        ActionStatus::Open,
        ActionStatus::InProgress,
        ActionStatus::Done,
        ActionStatus::Cancelled,
    ];

    pub fn code(self) -> &'static str {
        match self {
            ActionStatus::Open => "open",
            ActionStatus::InProgress => "in_progress",
            ActionStatus::Done => "done",
            ActionStatus::Cancelled => "cancelled",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            ActionStatus::Open => "Open",
            ActionStatus::InProgress => "In progress",
            ActionStatus::Done => "Done",
            ActionStatus::Cancelled => "Cancelled",
        }
    }

    pub fn parse(s: &str, field: &str) -> Result<Self, Invalid> {
        Self::ALL
            .iter()
            .copied()
            .find(|a| a.code() == s)
            .ok_or_else(|| Invalid::one(field, "must be one of: open, in_progress, done, cancelled"))
    }

    /// Still to be done.
    pub fn is_live(self) -> bool {
        matches!(self, ActionStatus::Open | ActionStatus::InProgress)
    }
}

/// What an action came from. Kept as text so assessment requirements can be sources too.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ActionSource {
    Incident,
    /// An item of an assessment, as `assessment-id:ref_id`: a gap the plan closes.
    Assessment,
}

impl ActionSource {
    pub fn code(self) -> &'static str {
        match self {
            ActionSource::Incident => "incident",
            ActionSource::Assessment => "assessment",
        }
    }

    pub fn parse(s: &str, field: &str) -> Result<Self, Invalid> {
        match s {
            "incident" => Ok(ActionSource::Incident),
            "assessment" => Ok(ActionSource::Assessment),
            _ => Err(Invalid::one(field, "must be one of: incident, assessment")),
        }
    }
}

/// Whether a live action is past its due date on `today` (both `YYYY-MM-DD`, which order as
/// text).
pub fn is_overdue(status: ActionStatus, due_on: Option<&str>, today: &str) -> bool {
    status.is_live() && due_on.is_some_and(|d| d < today)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_live_actions_fall_overdue() {
        assert!(is_overdue(ActionStatus::Open, Some("2026-11-01"), "2026-11-24"));
        assert!(is_overdue(ActionStatus::InProgress, Some("2026-11-23"), "2026-11-24"));
        assert!(
            !is_overdue(ActionStatus::Open, Some("2026-11-24"), "2026-11-24"),
            "due today is not late"
        );
        assert!(!is_overdue(ActionStatus::Done, Some("2026-01-01"), "2026-11-24"));
        assert!(!is_overdue(ActionStatus::Cancelled, Some("2026-01-01"), "2026-11-24"));
        assert!(!is_overdue(ActionStatus::Open, None, "2026-11-24"));
        for s in ActionStatus::ALL {
            assert_eq!(ActionStatus::parse(s.code(), "status"), Ok(*s));
        }
        assert!(ActionStatus::parse("closed", "status").is_err());
    }
}
