//! Hygeia's domain: the types and rules of cyber hygiene for health and care.
//!
//! Everything here is pure: no I/O, no clocks, no async. Callers pass the current time in.

pub mod alerts;
pub mod assessments;
pub mod assets;
pub mod audit;
pub mod email;
pub mod evidence;
pub mod governance;
pub mod ids;
pub mod incidents;
pub mod org;
pub mod page;
pub mod password;
pub mod permissions;
pub mod roles;
pub mod totp;
pub mod validation;

pub use validation::{FieldError, Invalid};
