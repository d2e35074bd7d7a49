//! Incidents: what happened, whether it must be reported and to whom, and by when.
//!
//! The statutory regimes are data (`regimes/` at the repository root, one versioned pack per
//! regime, each rule with its source); the rules here interpret them.

pub mod clocks;
pub mod grid;
pub mod lifecycle;
pub mod notification;
pub mod playbooks;
pub mod record;
pub mod regimes;
pub mod reportability;

pub use lifecycle::{DataCategory, IncidentCategory, IncidentSeverity, IncidentStatus, IncidentTimes};
pub use record::IncidentDetails;
