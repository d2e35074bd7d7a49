//! The members of a CSAF 2.0 document that an alert is made from, as serde reads them
//! (the schema check has already seen the whole document).

use serde::Deserialize;
use std::collections::HashMap;

#[derive(Deserialize)]
pub(super) struct Csaf {
    pub(super) document: Document,
    #[serde(default)]
    pub(super) product_tree: Option<ProductTree>,
    #[serde(default)]
    pub(super) vulnerabilities: Vec<Vulnerability>,
}

#[derive(Deserialize)]
pub(super) struct Document {
    pub(super) title: String,
    pub(super) publisher: Publisher,
    pub(super) tracking: Tracking,
    #[serde(default)]
    pub(super) aggregate_severity: Option<Text>,
    #[serde(default)]
    pub(super) notes: Vec<Note>,
}

#[derive(Deserialize)]
pub(super) struct Publisher {
    pub(super) name: String,
}

#[derive(Deserialize)]
pub(super) struct Tracking {
    pub(super) id: String,
}

#[derive(Deserialize)]
pub(super) struct Text {
    pub(super) text: String,
}

#[derive(Deserialize)]
pub(super) struct Note {
    pub(super) category: String,
    pub(super) text: String,
}

#[derive(Deserialize, Default)]
pub(super) struct ProductTree {
    #[serde(default)]
    pub(super) branches: Vec<Branch>,
    #[serde(default)]
    pub(super) full_product_names: Vec<FullProductName>,
    #[serde(default)]
    pub(super) relationships: Vec<Relationship>,
}

#[derive(Deserialize)]
pub(super) struct Branch {
    pub(super) category: String,
    pub(super) name: String,
    #[serde(default)]
    pub(super) branches: Vec<Branch>,
    #[serde(default)]
    pub(super) product: Option<FullProductName>,
}

#[derive(Deserialize, Clone)]
pub(super) struct FullProductName {
    pub(super) name: String,
    pub(super) product_id: String,
    #[serde(default)]
    pub(super) product_identification_helper: Option<Helper>,
}

#[derive(Deserialize, Clone, Default)]
pub(super) struct Helper {
    #[serde(default)]
    pub(super) cpe: Option<String>,
    #[serde(default)]
    pub(super) purl: Option<String>,
}

#[derive(Deserialize)]
pub(super) struct Relationship {
    pub(super) full_product_name: FullProductName,
    pub(super) product_reference: String,
}

#[derive(Deserialize)]
pub(super) struct Vulnerability {
    #[serde(default)]
    pub(super) cve: Option<String>,
    #[serde(default)]
    pub(super) product_status: Option<HashMap<String, Vec<String>>>,
    #[serde(default)]
    pub(super) remediations: Vec<Remediation>,
    #[serde(default)]
    pub(super) scores: Vec<Score>,
}

#[derive(Deserialize)]
pub(super) struct Remediation {
    pub(super) category: String,
    pub(super) details: String,
    #[serde(default)]
    pub(super) url: Option<String>,
}

#[derive(Deserialize)]
pub(super) struct Score {
    #[serde(default)]
    pub(super) cvss_v3: Option<Cvss>,
    #[serde(default)]
    pub(super) cvss_v2: Option<Cvss>,
}

#[derive(Deserialize)]
pub(super) struct Cvss {
    #[serde(rename = "baseScore")]
    pub(super) base_score: f64,
}
