//! National alerts: the publisher creates or imports them (CSAF, CISA KEV), publishing
//! matches them against every organisation's assets, and each organisation answers:
//! acknowledge, state applicability, post updates, close with remediation. A group may answer
//! for members that allow it. The national team and regulators see the exposure.

mod exposure;
mod kev_catalogue;
mod publishing;
mod responses;
mod sector_matching;
mod views;

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
pub use views::*;

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
