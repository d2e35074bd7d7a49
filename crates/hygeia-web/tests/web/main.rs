//! HTTP behaviour in process: the real router and middleware over a real database, each test
//! on SQLite and on PostgreSQL.

mod api;
mod docs;
mod isolation;
mod ops;
mod pages;
mod util;
