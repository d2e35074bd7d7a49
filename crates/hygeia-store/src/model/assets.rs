//! Records of the asset register, the lifecycle catalogue's local updates, national alerts
//! and the KEV catalogue, as stored.

use hygeia_domain::alerts::alert::{AffectedProduct, AlertSource, Deadlines, Severity};
use hygeia_domain::alerts::matching::Verdict;
use hygeia_domain::assets::asset::{AssetKind, Criticality};
use hygeia_domain::assets::identity::IdentityKind;
use hygeia_domain::assets::version::Scheme;
use hygeia_domain::ids::{AlertId, AssetId, OrgId, TreatmentId};

#[derive(Debug, Clone, PartialEq)]
pub struct AssetRecord {
    pub id: AssetId,
    pub org_id: OrgId,
    pub key: String,
    pub name: String,
    pub kind: AssetKind,
    pub hostname: Option<String>,
    pub addresses: Vec<String>,
    pub owner: Option<String>,
    pub location: Option<String>,
    pub criticality: Criticality,
    pub essential_services: Vec<String>,
    pub internet_facing: bool,
    pub manufacturer: Option<String>,
    pub model: Option<String>,
    pub patchable: Option<bool>,
    pub esu_enrolled: bool,
    /// Which import keeps it (`csv`, an SBOM's subject, `manual`): a re-import of the same
    /// source removes what it no longer lists, and nothing else.
    pub source: String,
    pub software: Vec<SoftwareRecord>,
    pub created_by: String,
    pub created_at: i64,
    pub updated_by: String,
    pub updated_at: i64,
}

/// One product an asset runs: as given, as read, and as the dictionary placed it.
#[derive(Debug, Clone, PartialEq)]
pub struct SoftwareRecord {
    pub is_os: bool,
    pub identity: String,
    pub given_version: Option<String>,
    pub kind: IdentityKind,
    pub product_key: String,
    pub version: Option<String>,
    pub scheme: Scheme,
    pub product_id: Option<String>,
    pub cycle: Option<String>,
}

/// A software row with its organisation and asset, as alert matching reads it.
#[derive(Debug, Clone, PartialEq)]
pub struct Candidate {
    pub org_id: OrgId,
    pub asset_id: AssetId,
    pub kind: IdentityKind,
    pub product_key: String,
    pub product_id: Option<String>,
    pub cycle: Option<String>,
    pub version: Option<String>,
    pub scheme: Scheme,
}

/// An unsupported release on one asset, for the unsupported systems report.
#[derive(Debug, Clone, PartialEq)]
pub struct InstalledRelease {
    pub asset_id: AssetId,
    pub asset_key: String,
    pub asset_name: String,
    pub kind: AssetKind,
    pub esu_enrolled: bool,
    pub identity: String,
    pub product_id: String,
    pub cycle: String,
}

/// One line of the census: how many organisations and assets run a release.
#[derive(Debug, Clone, PartialEq)]
pub struct CensusRow {
    pub product_id: String,
    pub cycle: String,
    pub orgs: u64,
    pub assets: u64,
    pub esu_assets: u64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TreatmentKind {
    Plan,
    Acceptance,
}

impl TreatmentKind {
    pub fn code(self) -> &'static str {
        match self {
            TreatmentKind::Plan => "plan",
            TreatmentKind::Acceptance => "acceptance",
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Treatment {
    pub id: TreatmentId,
    pub org_id: OrgId,
    pub asset_id: AssetId,
    pub product_id: String,
    pub cycle: String,
    pub kind: TreatmentKind,
    pub detail: String,
    /// A plan's target date, or the last day an acceptance holds (YYYY-MM-DD).
    pub target_date: Option<String>,
    /// Who signed an acceptance (the senior executive).
    pub signed_by: Option<String>,
    pub created_by: String,
    pub created_at: i64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AlertStatus {
    Draft,
    Published,
    Withdrawn,
}

impl AlertStatus {
    pub fn code(self) -> &'static str {
        match self {
            AlertStatus::Draft => "draft",
            AlertStatus::Published => "published",
            AlertStatus::Withdrawn => "withdrawn",
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Alert {
    pub id: AlertId,
    pub publisher_id: OrgId,
    pub reference: String,
    pub title: String,
    pub severity: Severity,
    pub summary: String,
    pub cves: Vec<String>,
    pub products: Vec<AffectedProduct>,
    pub actions: Vec<String>,
    pub source: AlertSource,
    pub deadlines: Deadlines,
    pub status: AlertStatus,
    pub published_at: Option<i64>,
    pub revision: i64,
    pub created_by: String,
    pub created_at: i64,
    pub updated_by: String,
    pub updated_at: i64,
}

/// An organisation's response to an alert, pre-filled by matching.
#[derive(Debug, Clone, PartialEq)]
pub struct AlertResponse {
    pub alert_id: AlertId,
    pub org_id: OrgId,
    pub org_name: String,
    pub prefill: Verdict,
    pub prefill_reason: String,
    /// When matching set the pre-fill to its present value (a re-match that finds the same
    /// leaves it).
    pub matched_at: i64,
    pub applicability: Option<Verdict>,
    pub applicability_reason: Option<String>,
    pub justification: Option<String>,
    pub acknowledged_at: Option<i64>,
    pub acknowledged_by: Option<String>,
    pub last_update_at: Option<i64>,
    pub closed_at: Option<i64>,
    pub closed_by: Option<String>,
    pub remediation: Option<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct AlertMatch {
    pub asset_id: AssetId,
    pub asset_name: String,
    pub verdict: Verdict,
    pub reason: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct AlertUpdate {
    pub body: String,
    pub posted_by: String,
    pub posted_at: i64,
}

/// The sector's response to one alert, counted.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Exposure {
    pub organisations: u64,
    pub affected: u64,
    pub unknown: u64,
    pub acknowledged: u64,
    pub overdue: u64,
    pub remediated: u64,
}

#[derive(Debug, Clone, PartialEq)]
pub struct KevImport {
    pub catalog_version: String,
    pub released: String,
    pub entries: u64,
    /// The snapshot diff as JSON (added, removed, changed).
    pub changes: String,
    pub imported_by: String,
    pub imported_at: i64,
}

/// Which responses a drill-down lists.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ResponseFilter {
    All,
    Affected,
    Unknown,
    Acknowledged,
    Overdue,
    Remediated,
}

impl ResponseFilter {
    pub fn parse(text: &str) -> Option<ResponseFilter> {
        Some(match text {
            "" | "all" => ResponseFilter::All,
            "affected" => ResponseFilter::Affected,
            "unknown" => ResponseFilter::Unknown,
            "acknowledged" => ResponseFilter::Acknowledged,
            "overdue" => ResponseFilter::Overdue,
            "remediated" => ResponseFilter::Remediated,
            _ => return None,
        })
    }
}
