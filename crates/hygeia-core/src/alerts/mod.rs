//! National alerts: the publisher creates or imports them (CSAF, CISA KEV), publishing
//! matches them against every organisation's assets, and each organisation answers:
//! acknowledge, state applicability, post updates, close with remediation. A group may answer
//! for members that allow it. The national team and regulators see the exposure.

mod exposure;
mod kev_catalogue;
mod publishing;
mod responses;
mod sector_matching;

use crate::assets::import_error;
use crate::{CoreError, Hygeia, Scope};
use hygeia_domain::alerts::alert::{AffectedProduct, AlertDraft, AlertSource, Deadlines, ProductStatus, Severity};
use hygeia_domain::alerts::matching::{self, Software, Verdict};
use hygeia_domain::alerts::{csaf, kev};
use hygeia_domain::assets::dictionary::Dictionary;
use hygeia_domain::assets::identity::Identity;
use hygeia_domain::assets::version::Range;
use hygeia_domain::ids::{AlertId, AlertUpdateId, AssetId, OrgId};
use hygeia_domain::page::{Page, PageRequest};
use hygeia_domain::permissions::Permission;
use hygeia_store::model::{
    Alert, AlertMatch, AlertResponse, AlertStatus, AlertUpdate, Exposure, KevImport, ResponseFilter,
};
use serde::{Deserialize, Serialize};
use serde_json::json;
use std::collections::{BTreeMap, HashMap};

const HOUR_MS: i64 = 3_600_000;
const DAY_MS: i64 = 24 * HOUR_MS;

/// VEX justifications for "not affected" (CSAF 2.0 flags, CycloneDX analysis).
pub const JUSTIFICATIONS: &[(&str, &str)] = &[
    ("component_not_present", "The affected product is not present"),
    ("vulnerable_code_not_present", "The vulnerable code is not present"),
    (
        "vulnerable_code_not_in_execute_path",
        "The vulnerable code cannot be reached",
    ),
    (
        "vulnerable_code_cannot_be_controlled_by_adversary",
        "An attacker cannot control the vulnerable code",
    ),
    (
        "inline_mitigations_already_exist",
        "Mitigations already in place prevent exploitation",
    ),
];

/// A product line as the publisher writes it.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
pub struct ProductLineInput {
    /// A CPE, a package URL, or a product name.
    pub identity: String,
    /// `<=12.1.3`, `>=2.0, <2.4.1`, `vers:rpm/<1.2`, or a single version; empty for every version.
    #[serde(default)]
    pub versions: Option<String>,
    /// `affected` (default), `fixed` (the versions given are the fixes) or `not_affected`.
    #[serde(default)]
    pub status: Option<String>,
}

#[derive(Debug, Clone, Default, Deserialize, Serialize)]
pub struct AlertInput {
    pub reference: String,
    pub title: String,
    /// high, medium, low or information.
    pub severity: String,
    #[serde(default)]
    pub summary: String,
    #[serde(default)]
    pub cves: Vec<String>,
    #[serde(default)]
    pub products: Vec<ProductLineInput>,
    #[serde(default)]
    pub actions: Vec<String>,
    /// Defaults by severity: 48 hours for high.
    #[serde(default)]
    pub acknowledge_hours: Option<u32>,
    #[serde(default)]
    pub first_update_days: Option<u32>,
    #[serde(default)]
    pub remediate_days: Option<u32>,
}

/// An alert with its deadlines as instants.
#[derive(Debug, Clone, Serialize)]
pub struct AlertView {
    #[serde(flatten)]
    pub alert: AlertJson,
    pub acknowledge_by: Option<i64>,
    pub remediate_by: Option<i64>,
}

#[derive(Debug, Clone, Serialize)]
pub struct AlertJson {
    pub id: AlertId,
    pub reference: String,
    pub title: String,
    pub severity: Severity,
    pub summary: String,
    pub cves: Vec<String>,
    pub products: Vec<AffectedProduct>,
    pub actions: Vec<String>,
    pub source: AlertSource,
    pub deadlines: Deadlines,
    pub status: &'static str,
    pub published_at: Option<i64>,
    pub revision: i64,
}

fn alert_json(a: &Alert) -> AlertJson {
    AlertJson {
        id: a.id,
        reference: a.reference.clone(),
        title: a.title.clone(),
        severity: a.severity,
        summary: a.summary.clone(),
        cves: a.cves.clone(),
        products: a.products.clone(),
        actions: a.actions.clone(),
        source: a.source,
        deadlines: a.deadlines,
        status: a.status.code(),
        published_at: a.published_at,
        revision: a.revision,
    }
}

pub fn alert_view(a: &Alert) -> AlertView {
    let ack = a
        .deadlines
        .acknowledge_hours
        .zip(a.published_at)
        .map(|(h, p)| p + i64::from(h) * HOUR_MS);
    let fix = a
        .deadlines
        .remediate_days
        .zip(a.published_at)
        .map(|(d, p)| p + i64::from(d) * DAY_MS);
    AlertView {
        alert: alert_json(a),
        acknowledge_by: ack,
        remediate_by: fix,
    }
}

/// An organisation's response with its deadlines and what is late.
#[derive(Debug, Clone, Serialize)]
pub struct ResponseView {
    pub alert: AlertView,
    pub org_id: OrgId,
    pub org_name: String,
    /// What matching found, until the organisation states its own view.
    pub prefill: Verdict,
    pub prefill_reason: String,
    pub applicability: Option<Verdict>,
    pub applicability_reason: Option<String>,
    pub justification: Option<String>,
    /// `open`, `acknowledged`, `closed`.
    pub state: &'static str,
    pub acknowledged_at: Option<i64>,
    pub acknowledged_by: Option<String>,
    pub first_update_due: Option<i64>,
    pub last_update_at: Option<i64>,
    pub closed_at: Option<i64>,
    pub remediation: Option<String>,
    pub acknowledge_overdue: bool,
    pub update_overdue: bool,
    pub remediation_overdue: bool,
    pub matches: Vec<MatchView>,
    pub updates: Vec<UpdateView>,
}

#[derive(Debug, Clone, Serialize)]
pub struct MatchView {
    pub asset_id: AssetId,
    pub asset_name: String,
    pub verdict: Verdict,
    pub reason: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct UpdateView {
    pub body: String,
    pub posted_by: String,
    pub posted_at: i64,
}

#[derive(Debug, Clone, Serialize)]
pub struct ExposureView {
    pub alert: AlertView,
    pub organisations: u64,
    pub affected: u64,
    pub unknown: u64,
    pub acknowledged: u64,
    pub overdue: u64,
    pub remediated: u64,
    pub filter: &'static str,
    pub responses: Page<ResponseView>,
}

/// What an alert import did.
#[derive(Debug, Clone, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum AlertImport {
    /// A CSAF advisory became a draft alert.
    Csaf {
        alert: AlertView,
        products: usize,
        unplaced: usize,
    },
    /// A KEV snapshot replaced the catalogue.
    Kev {
        catalog_version: String,
        entries: usize,
        added: Vec<String>,
        removed: Vec<String>,
        changed: Vec<(String, Vec<String>)>,
        unmapped: usize,
    },
}

#[derive(Debug, Clone, Serialize)]
pub struct KevView {
    pub imports: Vec<KevImportView>,
    pub entries: usize,
    /// Vendor/product pairs neither the dictionary nor a person has placed, with how many
    /// entries name them.
    pub unmapped: Vec<(String, String, usize)>,
    pub mappings: Vec<(String, String, String)>,
}

#[derive(Debug, Clone, Serialize)]
pub struct KevImportView {
    pub catalog_version: String,
    pub released: String,
    pub entries: u64,
    pub changes: serde_json::Value,
    pub imported_by: String,
    pub imported_at: i64,
}

#[derive(Debug, Clone, Serialize)]
pub struct KevExposure {
    pub cve: String,
    pub vendor_project: String,
    pub product: String,
    pub placed_as: Option<String>,
    pub organisations: u64,
    pub assets: u64,
    pub known_ransomware: bool,
}

fn state_of(r: &AlertResponse) -> &'static str {
    if r.closed_at.is_some() {
        "closed"
    } else if r.acknowledged_at.is_some() {
        "acknowledged"
    } else {
        "open"
    }
}

fn response_view(
    a: &Alert,
    r: AlertResponse,
    matches: Vec<AlertMatch>,
    updates: Vec<AlertUpdate>,
    now: i64,
) -> ResponseView {
    let view = alert_view(a);
    let first_update_due = r
        .acknowledged_at
        .map(|t| t + i64::from(a.deadlines.first_update_days) * DAY_MS);
    let open = r.closed_at.is_none();
    ResponseView {
        acknowledge_overdue: r.acknowledged_at.is_none() && view.acknowledge_by.is_some_and(|d| now > d),
        update_overdue: open && r.last_update_at.is_none() && first_update_due.is_some_and(|d| now > d),
        remediation_overdue: open
            && view.remediate_by.is_some_and(|d| now > d)
            && r.applicability.unwrap_or(r.prefill) == Verdict::Affected,
        alert: view,
        org_id: r.org_id,
        org_name: r.org_name.clone(),
        prefill: r.prefill,
        prefill_reason: r.prefill_reason.clone(),
        applicability: r.applicability,
        applicability_reason: r.applicability_reason.clone(),
        justification: r.justification.clone(),
        state: state_of(&r),
        acknowledged_at: r.acknowledged_at,
        acknowledged_by: r.acknowledged_by.clone(),
        first_update_due,
        last_update_at: r.last_update_at,
        closed_at: r.closed_at,
        remediation: r.remediation,
        matches: matches
            .into_iter()
            .map(|m| MatchView {
                asset_id: m.asset_id,
                asset_name: m.asset_name,
                verdict: m.verdict,
                reason: m.reason,
            })
            .collect(),
        updates: updates
            .into_iter()
            .map(|u| UpdateView {
                body: u.body,
                posted_by: u.posted_by,
                posted_at: u.posted_at,
            })
            .collect(),
    }
}

/// A step of a response.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(tag = "action", rename_all = "snake_case")]
pub enum ResponseStep {
    Acknowledge,
    /// Confirm or override the pre-fill; `not_affected` needs a justification or a reason.
    Applicability {
        applicability: String,
        #[serde(default)]
        reason: String,
        #[serde(default)]
        justification: Option<String>,
    },
    Update {
        body: String,
    },
    Close {
        remediation: String,
    },
}

impl ResponseStep {
    fn name(&self) -> &'static str {
        match self {
            ResponseStep::Acknowledge => "acknowledge",
            ResponseStep::Applicability { .. } => "applicability",
            ResponseStep::Update { .. } => "update",
            ResponseStep::Close { .. } => "close",
        }
    }
}

/// Product lines from the publisher's form: each identity read, placed by the dictionary.
fn product_lines(input: &[ProductLineInput], dictionary: &Dictionary) -> Result<Vec<AffectedProduct>, CoreError> {
    let mut out = Vec::new();
    for (i, p) in input.iter().enumerate() {
        let field = |f: &str| format!("products/{i}/{f}");
        let id = Identity::read(&p.identity, None).map_err(|m| CoreError::field(&field("identity"), &m))?;
        let range = match p.versions.as_deref().map(str::trim).filter(|v| !v.is_empty()) {
            Some(v) => Some(Range::parse(v).map_err(|m| CoreError::field(&field("versions"), &m))?),
            None => None,
        };
        let status = match p.status.as_deref().unwrap_or("affected") {
            "affected" | "" => ProductStatus::Affected,
            "fixed" => ProductStatus::Fixed,
            "not_affected" => ProductStatus::NotAffected,
            other => {
                return Err(CoreError::field(
                    &field("status"),
                    &format!("`{other}` is not affected, fixed or not_affected"),
                ));
            }
        };
        if status == ProductStatus::Fixed && range.is_none() && id.version.is_none() {
            return Err(CoreError::field(
                &field("versions"),
                "a fixed line needs the fixed version",
            ));
        }
        out.push(if status == ProductStatus::Fixed {
            let canonical = dictionary.resolve(&id).map(|r| r.product.id.clone());
            AffectedProduct::from_identity(&id, p.identity.trim(), range, status, canonical)
        } else {
            AffectedProduct::placed(&id, p.identity.trim(), range, status, dictionary)
        });
    }
    Ok(out)
}

/// The longest word of each named line, to find software whose name resembles it.
fn name_words(lines: &[AffectedProduct]) -> Vec<String> {
    let mut out: Vec<String> = lines
        .iter()
        .filter_map(|l| l.product_key.strip_prefix("name:"))
        .filter_map(|k| {
            k.split([':', '_'])
                .filter(|w| w.len() >= 4)
                .max_by_key(|w| w.len())
                .map(str::to_owned)
        })
        .collect();
    out.sort();
    out.dedup();
    out
}
