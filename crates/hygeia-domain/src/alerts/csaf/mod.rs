//! CSAF 2.0 advisories (security advisories and VEX) as alerts.
//!
//! The product tree is walked with its context (vendor, product name, version or version
//! range), each leaf identified by its package URL, else its CPE, else by name; relationships
//! (`default_component_of` and the like) stand for the component they name. Each
//! vulnerability's product status becomes product lines: known_affected and first/last
//! affected are affected, fixed and first_fixed mark the fixed version (older is affected),
//! known_not_affected is not affected. The document is checked against the CSAF 2.0 schema
//! (`csaf_schema`) and against the mandatory tests that product ids are defined once and
//! every referenced id is defined (6.1.1, 6.1.2); every error carries its JSON pointer.

use super::alert::{AffectedProduct, AlertDraft, AlertSource, Deadlines, ProductStatus, Severity, valid_cve};
use super::csaf_schema::validate_text;
use crate::assessments::oscal::{ImportError, read_located};
use crate::assets::dictionary::Dictionary;
use model::Csaf;

mod model;
mod tree;

/// Whether `text` looks like a CSAF document.
pub fn detect(text: &str) -> bool {
    let head: String = text.chars().take(8192).collect();
    head.contains("\"csaf_version\"") || (head.contains("\"document\"") && head.contains("\"tracking\""))
}

pub fn read(text: &str, dictionary: &Dictionary) -> Result<AlertDraft, ImportError> {
    // Checked while read, then read into the few members used; neither holds the document
    // as a tree.
    validate_text(text)?;
    let doc: Csaf = read_located(text, |_, m| m)?;
    let defined = tree::products(&doc.product_tree.unwrap_or_default())?;
    let mut products = Vec::new();
    let mut cves = Vec::new();
    let mut actions = Vec::new();
    let mut top_score: f64 = 0.0;
    for (v, vuln) in doc.vulnerabilities.iter().enumerate() {
        if let Some(cve) = &vuln.cve {
            if !valid_cve(cve) {
                return Err(ImportError {
                    location: format!("/vulnerabilities/{v}/cve"),
                    message: format!("`{cve}` is not a CVE id"),
                });
            }
            if !cves.contains(cve) {
                cves.push(cve.clone());
            }
        }
        for s in &vuln.scores {
            for c in s.cvss_v3.iter().chain(s.cvss_v2.iter()) {
                top_score = top_score.max(c.base_score);
            }
        }
        for r in &vuln.remediations {
            let action = match &r.url {
                Some(url) => format!("{} ({}): {}", r.details.trim(), r.category.replace('_', " "), url),
                None => format!("{} ({})", r.details.trim(), r.category.replace('_', " ")),
            };
            if !actions.contains(&action) && actions.len() < 50 {
                actions.push(action);
            }
        }
        let Some(statuses) = &vuln.product_status else { continue };
        let mut keys: Vec<&String> = statuses.keys().collect();
        keys.sort();
        for key in keys {
            let status = match key.as_str() {
                "known_affected" | "first_affected" | "last_affected" => ProductStatus::Affected,
                "fixed" | "first_fixed" => ProductStatus::Fixed,
                "known_not_affected" => ProductStatus::NotAffected,
                // under_investigation and recommended say nothing either way.
                _ => continue,
            };
            for (n, id) in statuses[key].iter().enumerate() {
                let d = defined.get(id).ok_or_else(|| ImportError {
                    location: format!("/vulnerabilities/{v}/product_status/{key}/{n}"),
                    message: format!("`{id}` is not a product defined in the tree (CSAF mandatory test 6.1.1)"),
                })?;
                let range = match (status, &d.range) {
                    (_, Some(r)) => Some(r.clone()),
                    (ProductStatus::Fixed, None) if d.identity.version.is_none() => continue,
                    _ => None,
                };
                let line = if status == ProductStatus::Fixed || range.is_some() {
                    let canonical = dictionary.resolve(&d.identity).map(|r| r.product.id.clone());
                    AffectedProduct::from_identity(&d.identity, &d.label, range, status, canonical)
                } else {
                    AffectedProduct::placed(&d.identity, &d.label, range, status, dictionary)
                };
                if !products.contains(&line) {
                    products.push(line);
                }
            }
        }
    }
    let severity = doc
        .document
        .aggregate_severity
        .as_ref()
        .and_then(|s| Severity::parse(&s.text))
        .unwrap_or_else(|| Severity::from_cvss(top_score));
    let summary = doc
        .document
        .notes
        .iter()
        .find(|n| n.category == "summary")
        .or_else(|| doc.document.notes.iter().find(|n| n.category == "description"))
        .map(|n| n.text.chars().take(20_000).collect())
        .unwrap_or_default();
    Ok(AlertDraft {
        reference: doc.document.tracking.id.clone(),
        title: format!("{} ({})", doc.document.title, doc.document.publisher.name)
            .chars()
            .take(300)
            .collect(),
        severity,
        summary,
        cves,
        products,
        actions,
        source: AlertSource::Csaf,
        deadlines: Deadlines::default_for(severity),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::assets::lifecycle::builtin;
    use crate::assets::version::Range;

    pub(crate) fn openssl_advisory() -> String {
        r#"{"document":{"category":"csaf_security_advisory","csaf_version":"2.0","title":"openssl security update",
          "publisher":{"category":"vendor","name":"Example PSIRT","namespace":"https://psirt.example"},
          "aggregate_severity":{"text":"Important"},
          "tracking":{"id":"EX-2023-0001","current_release_date":"2023-06-01T00:00:00Z","initial_release_date":"2023-06-01T00:00:00Z",
            "revision_history":[{"date":"2023-06-01T00:00:00Z","number":"1","summary":"first"}],"status":"final","version":"1"}},
         "product_tree":{"branches":[{"category":"vendor","name":"Red Hat","branches":[
           {"category":"product_version","name":"openssl-1:3.0.7-24.el9.x86_64","product":{"name":"openssl-1:3.0.7-24.el9.x86_64","product_id":"openssl-fixed",
             "product_identification_helper":{"purl":"pkg:rpm/redhat/openssl@3.0.7-24.el9?arch=x86_64&epoch=1"}}}]}],
           "full_product_names":[{"name":"RHEL 9","product_id":"rhel9","product_identification_helper":{"cpe":"cpe:/o:redhat:enterprise_linux:9"}}],
           "relationships":[{"category":"default_component_of","full_product_name":{"name":"openssl as a component of RHEL 9","product_id":"rhel9:openssl-fixed"},
             "product_reference":"openssl-fixed","relates_to_product_reference":"rhel9"}]},
         "vulnerabilities":[{"cve":"CVE-2023-0464","product_status":{"fixed":["rhel9:openssl-fixed"]},
           "remediations":[{"category":"vendor_fix","details":"Update openssl","product_ids":["rhel9:openssl-fixed"],"url":"https://example/errata"}]}]}"#
            .to_owned()
    }

    #[test]
    fn a_fixed_package_becomes_a_fixed_product_line() {
        let d = Dictionary::new(builtin());
        let a = read(&openssl_advisory(), &d);
        let a = a.as_ref().ok();
        assert_eq!(a.map(|a| a.severity), Some(Severity::High));
        assert_eq!(a.map(|a| a.cves.clone()), Some(vec!["CVE-2023-0464".to_owned()]));
        let p = a.and_then(|a| a.products.first());
        assert_eq!(p.map(|p| p.product_key.as_str()), Some("purl:rpm/redhat/openssl"));
        assert_eq!(p.map(|p| p.status), Some(ProductStatus::Fixed));
        assert_eq!(
            p.map(|p| p.range.clone()),
            Some(Range::Exactly {
                version: "1:3.0.7-24.el9".into()
            })
        );
        assert_eq!(a.map(|a| a.actions.len()), Some(1));
    }

    #[test]
    fn undefined_and_twice_defined_products_are_refused_with_their_pointer() {
        let d = Dictionary::new(builtin());
        let undefined = openssl_advisory().replace(r#""fixed":["rhel9:openssl-fixed"]"#, r#""fixed":["nothing"]"#);
        let e = read(&undefined, &d).err().map(|e| e.location);
        assert_eq!(e.as_deref(), Some("/vulnerabilities/0/product_status/fixed/0"));
        let twice = openssl_advisory().replace(r#""product_id":"rhel9","#, r#""product_id":"openssl-fixed","#);
        let e = read(&twice, &d).err().map(|e| e.location);
        assert_eq!(e.as_deref(), Some("/product_tree/full_product_names/0"));
        let no_tracking = openssl_advisory().replace(r#""id":"EX-2023-0001","#, "");
        let e = read(&no_tracking, &d).err().map(|e| (e.location, e.message));
        assert_eq!(
            e,
            Some(("/document/tracking".into(), "the member `id` is required".into()))
        );
        let v21 = openssl_advisory().replace(r#""csaf_version":"2.0""#, r#""csaf_version":"2.1""#);
        assert_eq!(
            read(&v21, &d).err().map(|e| e.location),
            Some("/document/csaf_version".into())
        );
    }
}
