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
use crate::assets::identity::{Identity, named, parse_cpe, parse_purl};
use crate::assets::version::Range;
use serde::Deserialize;
use std::collections::HashMap;

#[derive(Deserialize)]
struct Csaf {
    document: Document,
    #[serde(default)]
    product_tree: Option<ProductTree>,
    #[serde(default)]
    vulnerabilities: Vec<Vulnerability>,
}

#[derive(Deserialize)]
struct Document {
    title: String,
    publisher: Publisher,
    tracking: Tracking,
    #[serde(default)]
    aggregate_severity: Option<Text>,
    #[serde(default)]
    notes: Vec<Note>,
}

#[derive(Deserialize)]
struct Publisher {
    name: String,
}

#[derive(Deserialize)]
struct Tracking {
    id: String,
}

#[derive(Deserialize)]
struct Text {
    text: String,
}

#[derive(Deserialize)]
struct Note {
    category: String,
    text: String,
}

#[derive(Deserialize, Default)]
struct ProductTree {
    #[serde(default)]
    branches: Vec<Branch>,
    #[serde(default)]
    full_product_names: Vec<FullProductName>,
    #[serde(default)]
    relationships: Vec<Relationship>,
}

#[derive(Deserialize)]
struct Branch {
    category: String,
    name: String,
    #[serde(default)]
    branches: Vec<Branch>,
    #[serde(default)]
    product: Option<FullProductName>,
}

#[derive(Deserialize, Clone)]
struct FullProductName {
    name: String,
    product_id: String,
    #[serde(default)]
    product_identification_helper: Option<Helper>,
}

#[derive(Deserialize, Clone, Default)]
struct Helper {
    #[serde(default)]
    cpe: Option<String>,
    #[serde(default)]
    purl: Option<String>,
}

#[derive(Deserialize)]
struct Relationship {
    full_product_name: FullProductName,
    product_reference: String,
}

#[derive(Deserialize)]
struct Vulnerability {
    #[serde(default)]
    cve: Option<String>,
    #[serde(default)]
    product_status: Option<HashMap<String, Vec<String>>>,
    #[serde(default)]
    remediations: Vec<Remediation>,
    #[serde(default)]
    scores: Vec<Score>,
}

#[derive(Deserialize)]
struct Remediation {
    category: String,
    details: String,
    #[serde(default)]
    url: Option<String>,
}

#[derive(Deserialize)]
struct Score {
    #[serde(default)]
    cvss_v3: Option<Cvss>,
    #[serde(default)]
    cvss_v2: Option<Cvss>,
}

#[derive(Deserialize)]
struct Cvss {
    #[serde(rename = "baseScore")]
    base_score: f64,
}

/// A product as the tree defines it: a label, the identity it maps to and, from a
/// `product_version_range` branch, the versions it covers.
#[derive(Clone)]
struct Defined {
    label: String,
    identity: Identity,
    range: Option<Range>,
}

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
    let tree = doc.product_tree.unwrap_or_default();
    let mut defined: HashMap<String, Defined> = HashMap::new();
    let mut leaves = Vec::new();
    walk(
        &tree.branches,
        "/product_tree/branches",
        &Context::default(),
        &mut leaves,
    )?;
    for (fpn, d, at) in leaves {
        define(&mut defined, &fpn.product_id, d, at)?;
    }
    for (i, fpn) in tree.full_product_names.iter().enumerate() {
        let at = format!("/product_tree/full_product_names/{i}");
        let d = leaf(fpn, &Context::default(), &at)?;
        define(&mut defined, &fpn.product_id, d, at)?;
    }
    // A relationship's product is the component it names, as installed in something else.
    let mut related = Vec::new();
    for (i, r) in tree.relationships.iter().enumerate() {
        related.push((
            i,
            r.full_product_name.product_id.clone(),
            r.product_reference.clone(),
            r.full_product_name.clone(),
        ));
    }
    for (i, id, reference, fpn) in related {
        let at = format!("/product_tree/relationships/{i}");
        let base = defined.get(&reference).cloned().ok_or_else(|| ImportError {
            location: format!("{at}/product_reference"),
            message: format!("`{reference}` is not a product defined in the tree (CSAF mandatory test 6.1.1)"),
        })?;
        let d = Defined {
            label: fpn.name.clone(),
            ..base
        };
        define(&mut defined, &id, d, format!("{at}/full_product_name/product_id"))?;
    }
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

fn define(defined: &mut HashMap<String, Defined>, id: &str, d: Defined, at: String) -> Result<(), ImportError> {
    if defined.insert(id.to_owned(), d).is_some() {
        return Err(ImportError {
            location: at,
            message: format!("product id `{id}` is defined twice (CSAF mandatory test 6.1.2)"),
        });
    }
    Ok(())
}

#[derive(Clone, Default)]
struct Context {
    vendor: String,
    product: String,
    version: Option<String>,
    range: Option<Range>,
}

type Leaf = (FullProductName, Defined, String);

fn walk(branches: &[Branch], at: &str, ctx: &Context, out: &mut Vec<Leaf>) -> Result<(), ImportError> {
    for (i, b) in branches.iter().enumerate() {
        let here = format!("{at}/{i}");
        let mut c = ctx.clone();
        match b.category.as_str() {
            "vendor" => c.vendor.clone_from(&b.name),
            "product_name" => c.product.clone_from(&b.name),
            "product_family" if c.product.is_empty() => c.product.clone_from(&b.name),
            "product_version" => c.version = Some(b.name.clone()),
            "product_version_range" => {
                c.range = Some(Range::parse(&b.name).map_err(|m| ImportError {
                    location: format!("{here}/name"),
                    message: m,
                })?);
            }
            _ => {}
        }
        if let Some(fpn) = &b.product {
            let d = leaf(fpn, &c, &format!("{here}/product"))?;
            out.push((fpn.clone(), d, format!("{here}/product/product_id")));
        }
        walk(&b.branches, &format!("{here}/branches"), &c, out)?;
    }
    Ok(())
}

fn leaf(fpn: &FullProductName, ctx: &Context, at: &str) -> Result<Defined, ImportError> {
    let helper = fpn.product_identification_helper.clone().unwrap_or_default();
    let identity = if let Some(p) = &helper.purl {
        parse_purl(p).map_err(|m| ImportError {
            location: format!("{at}/product_identification_helper/purl"),
            message: m,
        })?
    } else if let Some(c) = &helper.cpe {
        let mut id = parse_cpe(c).map_err(|m| ImportError {
            location: format!("{at}/product_identification_helper/cpe"),
            message: m,
        })?;
        if id.version.is_none() {
            id.version.clone_from(&ctx.version);
        }
        id
    } else {
        let product = if ctx.product.is_empty() {
            fpn.name.as_str()
        } else {
            ctx.product.as_str()
        };
        named(&ctx.vendor, product, ctx.version.as_deref())
    };
    Ok(Defined {
        label: fpn.name.clone(),
        identity,
        range: ctx.range.clone(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::assets::lifecycle::builtin;

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
