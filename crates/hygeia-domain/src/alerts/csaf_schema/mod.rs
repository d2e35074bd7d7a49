//! The CSAF 2.0 JSON schema's rules, written as Rust data and checked over a parsed document.
//!
//! Every member the schema defines is here with whether it is required, its type, the least
//! length or number of items, whether items must be distinct, its allowed values, its format
//! (date and time, URI) and, where the schema gives a pattern, a check of our own for the
//! same form (`Rule`). Like the schema, unknown members are allowed. CVSS scores are checked
//! against the members FIRST's CVSS 2.0, 3.0 and 3.1 schemas require and the scores and
//! severities they bound. A test reads the published schema (when `../shared/data` is there)
//! and fails if this table and it disagree on any member, requirement, bound or value list.
//!
//! Source: OASIS, Common Security Advisory Framework Version 2.0, section 3 and its JSON
//! schema <https://docs.oasis-open.org/csaf/csaf/v2.0/csaf_json_schema.json>; FIRST CVSS
//! JSON schemas <https://www.first.org/cvss/>.

mod check;
#[cfg(test)]
mod conformance;
mod forms;
mod stream;
mod table;

pub use check::validate;
pub use stream::validate_text;
