//! The use cases against a real database, each test on SQLite and on PostgreSQL. Since every
//! store method is reached through a use case here, this is also the backends' conformance
//! suite: the same statements must behave the same on both.

// Tests state their expectations with unwrap and assert; a failure is the point.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod access;
mod alerts;
mod assessment_rules;
mod assessments;
mod asset_writes;
mod assets;
mod audit;
mod auth;
mod backup;
mod clocks;
mod evidence;
mod frameworks;
mod governance;
mod incidents;
mod members;
mod migrations;
mod notifications;
mod orgs;
mod plans;
mod storage;
mod tokens;
mod util;
