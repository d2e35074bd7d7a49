//! Assessments over the API: start, read (with the scorecard), list and save answers, publish,
//! the sealed snapshot and OSCAL assessment results; and for regulators, the published
//! assessments of the remit and their reviews.
//!
//! `bodies` holds the request and response bodies; the handlers are split by who uses them:
//! `records` (an organisation's own assessments), `oversight` (a regulator's remit),
//! `collaboration` (planning, comments, and offers of answers from counterparts). Their items
//! are re-exported here, so the router and the OpenAPI document name them as before.

mod bodies;
mod collaboration;
mod oversight;
mod records;

pub use bodies::*;
pub use collaboration::*;
pub use oversight::*;
pub use records::*;
