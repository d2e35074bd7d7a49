//! National cyber alerts: what they are about, where they come from (CSAF advisories, the
//! CISA KEV catalogue, the publisher's own form) and how they are matched against assets.

pub mod alert;
pub mod csaf;
pub mod csaf_schema;
pub mod kev;
pub mod matching;
