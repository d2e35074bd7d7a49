//! CISA's Known Exploited Vulnerabilities catalogue: reading it, what changed between two
//! snapshots, and its entries as alert product lines. KEV names vendors and products in free
//! text ("Microsoft", "Win32k"), so each entry is mapped through the product dictionary, or
//! through a mapping a person confirmed; the rest are listed as unmapped for someone to decide.

use super::alert::{AffectedProduct, AlertDraft, AlertSource, Deadlines, ProductStatus, Severity, valid_cve};
use crate::assessments::oscal::{ImportError, read_located};
use crate::assets::dictionary::Dictionary;
use crate::assets::identity::{Identity, named};
use crate::assets::version::Range;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, HashMap};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Catalog {
    pub title: String,
    pub catalog_version: String,
    pub date_released: String,
    pub count: usize,
    pub vulnerabilities: Vec<Entry>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Entry {
    #[serde(rename = "cveID")]
    pub cve_id: String,
    pub vendor_project: String,
    pub product: String,
    pub vulnerability_name: String,
    pub date_added: String,
    pub short_description: String,
    pub required_action: String,
    pub due_date: String,
    #[serde(default)]
    pub known_ransomware_campaign_use: String,
    #[serde(default)]
    pub notes: String,
    #[serde(default)]
    pub cwes: Vec<String>,
}

pub fn detect(text: &str) -> bool {
    let head: String = text.chars().take(4096).collect();
    head.contains("\"catalogVersion\"") || head.contains("\"cveID\"")
}

pub fn read(text: &str) -> Result<Catalog, ImportError> {
    let catalog: Catalog = read_located(text, |_, m| m)?;
    let mut seen = HashMap::new();
    for (i, e) in catalog.vulnerabilities.iter().enumerate() {
        let at = |f: &str| format!("/vulnerabilities/{i}/{f}");
        if !valid_cve(&e.cve_id) {
            return Err(ImportError {
                location: at("cveID"),
                message: format!("`{}` is not a CVE id", e.cve_id),
            });
        }
        for (field, value) in [("dateAdded", &e.date_added), ("dueDate", &e.due_date)] {
            if value.parse::<jiff::civil::Date>().is_err() {
                return Err(ImportError {
                    location: at(field),
                    message: format!("`{value}` is not a date (YYYY-MM-DD)"),
                });
            }
        }
        if let Some(before) = seen.insert(e.cve_id.clone(), i) {
            return Err(ImportError {
                location: at("cveID"),
                message: format!("{} is also entry {before}", e.cve_id),
            });
        }
    }
    if catalog.count != catalog.vulnerabilities.len() {
        return Err(ImportError {
            location: "/count".into(),
            message: format!(
                "says {} entries but the file has {}",
                catalog.count,
                catalog.vulnerabilities.len()
            ),
        });
    }
    Ok(catalog)
}

/// What changed from one snapshot to the next.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CatalogDiff {
    pub added: Vec<String>,
    pub removed: Vec<String>,
    /// CVE and the fields that changed (`knownRansomwareCampaignUse`, `requiredAction`).
    pub changed: Vec<(String, Vec<String>)>,
}

pub fn diff(old: &[Entry], new: &[Entry]) -> CatalogDiff {
    let before: HashMap<&str, &Entry> = old.iter().map(|e| (e.cve_id.as_str(), e)).collect();
    let after: BTreeMap<&str, &Entry> = new.iter().map(|e| (e.cve_id.as_str(), e)).collect();
    let mut out = CatalogDiff::default();
    for (cve, e) in &after {
        match before.get(cve) {
            None => out.added.push((*cve).to_owned()),
            Some(b) => {
                let mut fields = Vec::new();
                let pairs = [
                    ("vendorProject", &b.vendor_project, &e.vendor_project),
                    ("product", &b.product, &e.product),
                    ("vulnerabilityName", &b.vulnerability_name, &e.vulnerability_name),
                    ("dateAdded", &b.date_added, &e.date_added),
                    ("shortDescription", &b.short_description, &e.short_description),
                    ("requiredAction", &b.required_action, &e.required_action),
                    ("dueDate", &b.due_date, &e.due_date),
                    (
                        "knownRansomwareCampaignUse",
                        &b.known_ransomware_campaign_use,
                        &e.known_ransomware_campaign_use,
                    ),
                    ("notes", &b.notes, &e.notes),
                ];
                for (name, x, y) in pairs {
                    if x != y {
                        fields.push(name.to_owned());
                    }
                }
                if b.cwes != e.cwes {
                    fields.push("cwes".to_owned());
                }
                if !fields.is_empty() {
                    out.changed.push(((*cve).to_owned(), fields));
                }
            }
        }
    }
    let mut removed: Vec<String> = before
        .keys()
        .filter(|c| !after.contains_key(*c))
        .map(|c| (*c).to_owned())
        .collect();
    removed.sort();
    out.removed = removed;
    out
}

/// The identity a KEV vendor/product pair stands for: a confirmed mapping (a CPE, package URL
/// or name someone chose), else the dictionary's product, else the names as written.
pub fn identity_for(
    vendor: &str,
    product: &str,
    confirmed: &HashMap<(String, String), String>,
    dictionary: &Dictionary,
) -> (Identity, Option<String>, bool) {
    if let Some(text) = confirmed.get(&(vendor.to_owned(), product.to_owned()))
        && let Ok(id) = Identity::read(text, None)
    {
        let canonical = dictionary.resolve(&id).map(|r| r.product.id.clone());
        return (id, canonical, true);
    }
    let canonical = dictionary.product_for_names(vendor, product).map(|p| p.id.clone());
    let mapped = canonical.is_some();
    (named(vendor, product, None), canonical, mapped)
}

/// One KEV entry as a draft alert. KEV gives no versions, so every version of the product
/// counts, and the severity is high: these are being exploited now.
pub fn draft(entry: &Entry, confirmed: &HashMap<(String, String), String>, dictionary: &Dictionary) -> AlertDraft {
    let (identity, canonical, _) = identity_for(&entry.vendor_project, &entry.product, confirmed, dictionary);
    let label = format!("{} {}", entry.vendor_project, entry.product);
    let line = AffectedProduct::from_identity(&identity, &label, Some(Range::All), ProductStatus::Affected, canonical);
    let mut summary = entry.short_description.clone();
    if entry.known_ransomware_campaign_use == "Known" {
        summary.push_str("\n\nCISA records known use in ransomware campaigns.");
    }
    AlertDraft {
        reference: entry.cve_id.clone(),
        title: entry.vulnerability_name.chars().take(300).collect(),
        severity: Severity::High,
        summary,
        cves: vec![entry.cve_id.clone()],
        products: vec![line],
        actions: vec![entry.required_action.clone()],
        source: AlertSource::Kev,
        deadlines: Deadlines::default_for(Severity::High),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::assets::lifecycle::builtin;

    fn entry(cve: &str, vendor: &str, product: &str) -> Entry {
        Entry {
            cve_id: cve.into(),
            vendor_project: vendor.into(),
            product: product.into(),
            vulnerability_name: format!("{product} flaw"),
            date_added: "2025-08-25".into(),
            short_description: "A flaw.".into(),
            required_action: "Apply updates.".into(),
            due_date: "2025-09-15".into(),
            known_ransomware_campaign_use: "Unknown".into(),
            notes: String::new(),
            cwes: vec![],
        }
    }

    #[test]
    fn snapshots_differ_by_added_removed_and_changed_fields() {
        let old = vec![
            entry("CVE-2025-0001", "Microsoft", "Windows"),
            entry("CVE-2025-0002", "Git", "Git"),
        ];
        let mut changed = entry("CVE-2025-0002", "Git", "Git");
        changed.known_ransomware_campaign_use = "Known".into();
        let new = vec![changed, entry("CVE-2025-0003", "Microsoft", "Exchange Server")];
        let d = diff(&old, &new);
        assert_eq!(d.added, vec!["CVE-2025-0003".to_owned()]);
        assert_eq!(d.removed, vec!["CVE-2025-0001".to_owned()]);
        assert_eq!(
            d.changed,
            vec![(
                "CVE-2025-0002".to_owned(),
                vec!["knownRansomwareCampaignUse".to_owned()]
            )]
        );
    }

    #[test]
    fn entries_map_through_the_dictionary_or_a_confirmed_mapping() {
        let d = Dictionary::new(builtin());
        let none = HashMap::new();
        let a = draft(&entry("CVE-2025-0003", "Microsoft", "Exchange Server"), &none, &d);
        assert_eq!(a.products[0].canonical.as_deref(), Some("msexchange"));
        let (_, canonical, mapped) = identity_for("Microsoft", "Internet Explorer", &none, &d);
        assert_eq!((canonical, mapped), (None, false));
        let confirmed: HashMap<(String, String), String> =
            [(("Git".to_owned(), "Git".to_owned()), "pkg:generic/git".to_owned())].into();
        let (id, _, mapped) = identity_for("Git", "Git", &confirmed, &d);
        assert_eq!((id.product_key(), mapped), ("purl:generic/git".to_owned(), true));
    }

    #[test]
    fn a_bad_entry_is_refused_by_pointer() {
        let good = Catalog {
            title: "t".into(),
            catalog_version: "1".into(),
            date_released: "2025-08-25T00:00:00Z".into(),
            count: 1,
            vulnerabilities: vec![entry("CVE-2025-0001", "Microsoft", "Windows")],
        };
        let text = serde_json::to_string(&good).unwrap_or_default();
        assert!(read(&text).is_ok());
        let bad = text.replace("2025-09-15", "15/09/2025");
        assert_eq!(
            read(&bad).err().map(|e| e.location),
            Some("/vulnerabilities/0/dueDate".into())
        );
        let miscount = text.replace("\"count\":1", "\"count\":2");
        assert_eq!(read(&miscount).err().map(|e| e.location), Some("/count".into()));
    }
}
