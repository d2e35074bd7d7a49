//! The asset register: imports (CSV, CycloneDX, SPDX) with a dry run, the support status of
//! every asset and product, the unsupported systems report with its treatments, the sector's
//! end-of-life census, and offline updates of the lifecycle catalogue.

mod catalogue;
mod census;
mod import;
mod register;
mod unsupported;

use crate::{Actor, CoreError, Hygeia, Scope};
use hygeia_domain::assessments::oscal::ImportError;
use hygeia_domain::assets::asset::{AssetInput, AssetKind, SoftwareInput};
use hygeia_domain::assets::dictionary::Dictionary;
use hygeia_domain::assets::lifecycle::{self, Catalogue, Product, Release, Support};
use hygeia_domain::assets::register_diff::{Diff, diff_against_keys};
use hygeia_domain::assets::{csv_import, endoflife, sbom};
use hygeia_domain::ids::{AssetId, OrgId, TreatmentId};
use hygeia_domain::org::OrgType;
use hygeia_domain::page::{Page, PageRequest};
use hygeia_domain::permissions::Permission;
use hygeia_store::model::{AssetRecord, SoftwareRecord, Treatment, TreatmentKind};
use jiff::civil::Date;
use serde::Serialize;
use serde_json::json;
use std::collections::HashMap;

/// The largest asset or lifecycle file read; callers refuse bigger ones before reading them.
pub const MAX_ASSET_FILE_BYTES: u64 = 64 * 1024 * 1024;

/// How long a built dictionary serves before the catalogue is read again (another process may
/// have imported a lifecycle update).
pub const DICTIONARY_CACHE_TTL: std::time::Duration = std::time::Duration::from_secs(60);

/// How soon "ending soon" starts, unless a caller asks for another window.
pub const DEFAULT_WARN_DAYS: i32 = 90;

pub(crate) fn import_error(file: &str, e: ImportError) -> CoreError {
    CoreError::field(&format!("{file} {}", e.location), &e.message)
}

#[derive(Debug, Clone, Default)]
pub struct ImportOptions {
    /// CSV header → column, for headers the built-in alternatives do not know.
    pub mapping: HashMap<String, String>,
    /// Only show what would change.
    pub dry_run: bool,
    /// Keep assets of this source that the file no longer lists (default: remove them).
    pub keep_missing: bool,
}

#[derive(Debug, Clone, Serialize)]
pub struct ImportReport {
    pub format: &'static str,
    pub source: String,
    pub dry_run: bool,
    pub assets: usize,
    pub software: usize,
    pub diff: Diff,
    /// Identities the dictionary could not place in the lifecycle catalogue (kept, with an
    /// unknown support status): the first hundred, and how many in all.
    pub unknown: Vec<String>,
    pub unknown_count: usize,
    pub ignored_headers: Vec<String>,
}

/// A product an asset runs, with where the catalogue places it and its status.
#[derive(Debug, Clone, Serialize)]
pub struct SoftwareView {
    pub identity: String,
    pub version: Option<String>,
    pub is_os: bool,
    pub product: Option<String>,
    pub release: Option<String>,
    pub support: Support,
    /// The last day of security support (or of extended updates, when enrolled).
    pub support_ends: Option<Date>,
}

#[derive(Debug, Clone, Serialize)]
pub struct AssetView {
    pub id: AssetId,
    pub key: String,
    pub name: String,
    pub kind: AssetKind,
    pub hostname: Option<String>,
    pub addresses: Vec<String>,
    pub owner: Option<String>,
    pub location: Option<String>,
    pub criticality: hygeia_domain::assets::asset::Criticality,
    pub essential_services: Vec<String>,
    pub internet_facing: bool,
    pub manufacturer: Option<String>,
    pub model: Option<String>,
    pub patchable: Option<bool>,
    pub esu_enrolled: bool,
    pub source: String,
    /// The worst status of what it runs; unknown only when nothing it runs is known.
    pub support: Support,
    pub software: Vec<SoftwareView>,
    pub updated_at: i64,
}

/// One line of the unsupported systems report.
#[derive(Debug, Clone, Serialize)]
pub struct UnsupportedItem {
    pub asset_id: AssetId,
    pub asset_key: String,
    pub asset_name: String,
    pub kind: AssetKind,
    pub identity: String,
    pub product_id: String,
    pub cycle: String,
    pub release: String,
    pub support: Support,
    pub support_ends: Option<Date>,
    /// `untreated`, `plan`, `accepted`, or `acceptance_expired` (the item is open again).
    pub treatment_state: &'static str,
    pub treatment: Option<TreatmentView>,
}

#[derive(Debug, Clone, Serialize)]
pub struct TreatmentView {
    pub kind: &'static str,
    pub detail: String,
    pub target_date: Option<String>,
    pub signed_by: Option<String>,
    pub recorded_by: String,
    pub recorded_at: i64,
}

#[derive(Debug, Clone, Serialize)]
pub struct UnsupportedReport {
    pub today: Date,
    pub unsupported: Vec<UnsupportedItem>,
    pub ending_soon: Vec<UnsupportedItem>,
    pub open_items: usize,
}

/// One line of the census.
#[derive(Debug, Clone, Serialize)]
pub struct CensusLine {
    pub product_id: String,
    pub product: String,
    pub cycle: String,
    pub release: String,
    pub security_end: Option<Date>,
    pub esu_end: Option<Date>,
    /// The status for an asset without extended updates.
    pub support: Support,
    pub organisations: u64,
    pub assets: u64,
    pub assets_in_esu: u64,
}

#[derive(Debug, Clone, Serialize)]
pub struct LifecycleImport {
    pub product: String,
    pub cycles: usize,
    pub added: Vec<String>,
    pub changed: Vec<String>,
    pub newly_placed: usize,
}

/// What an import reads from a file.
enum Parsed {
    Csv(csv_import::CsvAssets),
    Sbom(Box<AssetInput>, &'static str),
}

fn parse(file: &str, text: &str, options: &ImportOptions) -> Result<Parsed, CoreError> {
    if let Some(format) = sbom::detect(text) {
        let name = match format {
            sbom::SbomFormat::CycloneDxJson => "CycloneDX JSON",
            sbom::SbomFormat::CycloneDxXml => "CycloneDX XML",
            sbom::SbomFormat::SpdxJson => "SPDX JSON",
        };
        let asset = sbom::read(text).map_err(|e| import_error(file, e))?;
        return Ok(Parsed::Sbom(Box::new(asset), name));
    }
    let head = text.trim_start_matches('\u{feff}').trim_start();
    if head.starts_with('{') || head.starts_with('<') || head.starts_with('[') {
        return Err(import_error(
            file,
            ImportError {
                location: "line 1".into(),
                message: "not CSV, CycloneDX (JSON or XML) or SPDX JSON".into(),
            },
        ));
    }
    csv_import::read(text, &options.mapping)
        .map(Parsed::Csv)
        .map_err(|e| import_error(file, e))
}

/// The support status of one release for one asset.
fn status_of(release: Option<&Release>, today: Date, esu: bool, warn: i32) -> (Support, Option<Date>) {
    match release {
        Some(r) => (
            lifecycle::support(r, today, esu, warn),
            lifecycle::support_ends(r, today, esu),
        ),
        None => (Support::Unknown, None),
    }
}

fn find_release<'a>(
    dictionary: &'a Dictionary,
    product: Option<&str>,
    cycle: Option<&str>,
) -> Option<(&'a Product, &'a Release)> {
    let p = dictionary.product(product?)?;
    let r = p.releases.iter().find(|r| Some(r.cycle.as_str()) == cycle)?;
    Some((p, r))
}

/// Reads a stored record back into the form imports compare.
fn as_input(r: &AssetRecord) -> AssetInput {
    let os = r.software.iter().find(|s| s.is_os).map(|s| SoftwareInput {
        identity: s.identity.clone(),
        version: s.given_version.clone(),
    });
    AssetInput {
        key: r.key.clone(),
        name: r.name.clone(),
        kind: r.kind,
        hostname: r.hostname.clone(),
        addresses: r.addresses.clone(),
        owner: r.owner.clone(),
        location: r.location.clone(),
        criticality: r.criticality,
        essential_services: r.essential_services.clone(),
        internet_facing: r.internet_facing,
        manufacturer: r.manufacturer.clone(),
        model: r.model.clone(),
        patchable: r.patchable,
        esu_enrolled: r.esu_enrolled,
        os,
        software: r
            .software
            .iter()
            .filter(|s| !s.is_os)
            .map(|s| SoftwareInput {
                identity: s.identity.clone(),
                version: s.given_version.clone(),
            })
            .collect(),
    }
}

/// The software records of an asset: each identity read and placed by the dictionary.
/// Places identities through the dictionary, once per distinct identity and version: a
/// register names the same few hundred products thousands of times.
pub(crate) struct Placer<'a> {
    dictionary: &'a Dictionary,
    seen: HashMap<(String, Option<String>), SoftwareRecord>,
}

impl<'a> Placer<'a> {
    pub(crate) fn new(dictionary: &'a Dictionary) -> Self {
        Placer {
            dictionary,
            seen: HashMap::new(),
        }
    }

    fn place(&mut self, s: &SoftwareInput, is_os: bool) -> Result<SoftwareRecord, String> {
        let memo = (s.identity.clone(), s.version.clone());
        if let Some(found) = self.seen.get(&memo) {
            return Ok(SoftwareRecord { is_os, ..found.clone() });
        }
        let id = s.parsed()?;
        let placed = self.dictionary.resolve(&id);
        let generic = id.scheme == hygeia_domain::assets::version::Scheme::Generic;
        let record = SoftwareRecord {
            is_os,
            identity: s.identity.clone(),
            given_version: s.version.clone(),
            kind: id.kind,
            product_key: id.product_key(),
            version: id.version.clone(),
            scheme: placed.map_or(id.scheme, |p| if generic { p.product.scheme } else { id.scheme }),
            product_id: placed.map(|p| p.product.id.clone()),
            cycle: placed.and_then(|p| p.release.map(|r| r.cycle.clone())),
        };
        self.seen.insert(memo, record.clone());
        Ok(record)
    }

    /// The software records of an asset: its operating system first, then what it runs.
    pub(crate) fn records(&mut self, a: &AssetInput) -> Result<Vec<SoftwareRecord>, String> {
        let mut out = Vec::with_capacity(a.software.len() + 1);
        if let Some(o) = &a.os {
            out.push(self.place(o, true)?);
        }
        for s in &a.software {
            out.push(self.place(s, false)?);
        }
        Ok(out)
    }
}
