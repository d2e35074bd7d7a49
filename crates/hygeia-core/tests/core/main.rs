//! The use cases against a real database, each test on SQLite and on PostgreSQL. Since every
//! store method is reached through a use case here, this is also the backends' conformance
//! suite: the same statements must behave the same on both.

mod access;
mod audit;
mod auth;
mod backup;
mod members;
mod orgs;
mod tokens;
mod util;
