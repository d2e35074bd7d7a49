//! HTTP behaviour in process: the real router and middleware over a real database, each test
//! on SQLite and on PostgreSQL.

// Tests state their expectations with unwrap and assert; a failure is the point.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod api;
mod assessments;
mod assets;
mod docs;
mod documents;
mod evidence;
mod frameworks;
mod governance;
mod incidents;
mod isolation;
mod ops;
mod pages;
mod util;
mod webhook;
