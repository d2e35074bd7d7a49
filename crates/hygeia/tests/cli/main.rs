//! The real binary, run as an operator would: administration commands, durability across
//! `kill -9`, audit verification of a tampered database, backup and restore.

// Tests state their expectations with unwrap and assert; a failure is the point.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod admin;
mod assets;
mod durability;
mod util;
