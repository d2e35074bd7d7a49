//! Hygeia's storage. One set of SQL, written once in `ops/` and compiled twice, once for
//! SQLite and once for PostgreSQL (each backend module includes `ops/` with its own `Db` type),
//! so both backends run exactly the same statements and the conformance tests cover both.
//!
//! Every public method is one use case and one transaction; when it changes organisation data
//! it appends the audit record inside that same transaction.

// Loading `ops/` twice is the point: once per backend, with that backend's types.
#![allow(clippy::duplicate_mod)]

mod error;
pub mod model;
mod postgres;
pub mod schema;
mod software_lists;
mod sqlite;
mod store;

pub use error::StoreError;
pub use store::{Backend, Store};
