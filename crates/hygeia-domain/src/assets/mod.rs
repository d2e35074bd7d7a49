//! Assets, the products they run, and how long those products are supported.
//!
//! - `identity`: CPE, package URL and named product identities, parsed.
//! - `version`: version ordering per scheme, and version ranges.
//! - `lifecycle`: the catalogue of releases and their support ends; the support status rule.
//! - `dictionary`: from any identity to a catalogue product and release.
//! - `endoflife`: the endoflife.date formats, for offline updates of the catalogue.
//! - `register_diff`: what an import adds, changes and removes.

pub mod asset;
pub mod csv_import;
pub mod dictionary;
pub mod endoflife;
pub mod identity;
pub mod lifecycle;
pub mod register_diff;
pub mod sbom;
#[cfg(test)]
pub(crate) mod shared_data;
pub mod version;
