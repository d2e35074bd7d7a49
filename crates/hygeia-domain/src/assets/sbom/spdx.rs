//! SPDX 2.3 JSON: the package the document describes becomes the asset, the other packages
//! its software.

use super::*;

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Spdx {
    spdx_version: String,
    name: String,
    #[serde(default)]
    document_describes: Vec<String>,
    #[serde(default)]
    packages: Vec<SpdxPackage>,
    #[serde(default)]
    relationships: Vec<SpdxRelationship>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct SpdxPackage {
    #[serde(rename = "SPDXID")]
    spdx_id: String,
    name: String,
    #[serde(default)]
    version_info: Option<String>,
    #[serde(default)]
    external_refs: Vec<SpdxRef>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct SpdxRef {
    reference_type: String,
    reference_locator: String,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct SpdxRelationship {
    spdx_element_id: String,
    relationship_type: String,
    related_spdx_element: String,
}

pub(super) fn spdx_json(text: &str) -> Result<AssetInput, ImportError> {
    let doc: Spdx = read_located(text, |_, m| m)?;
    if doc.spdx_version != "SPDX-2.3" && doc.spdx_version != "SPDX-2.2" {
        return Err(ImportError {
            location: "/spdxVersion".into(),
            message: format!("{} is not supported (SPDX-2.3 and SPDX-2.2 are)", doc.spdx_version),
        });
    }
    let described = doc.document_describes.first().cloned().or_else(|| {
        doc.relationships
            .iter()
            .find(|r| r.relationship_type == "DESCRIBES" && r.spdx_element_id == "SPDXRef-DOCUMENT")
            .map(|r| r.related_spdx_element.clone())
    });
    let component = |p: &SpdxPackage| {
        let locator = |kind: &str| {
            p.external_refs
                .iter()
                .find(|r| r.reference_type == kind)
                .map(|r| r.reference_locator.clone())
        };
        Component {
            kind: None,
            name: Some(p.name.clone()),
            version: p.version_info.clone(),
            group: None,
            purl: locator("purl"),
            cpe: locator("cpe23Type").or_else(|| locator("cpe22Type")),
            components: Vec::new(),
        }
    };
    let subject = match described.as_deref() {
        Some(id) => Some(
            doc.packages
                .iter()
                .find(|p| p.spdx_id == id)
                .map(component)
                .ok_or_else(|| ImportError {
                    location: "/documentDescribes/0".into(),
                    message: format!("describes `{id}`, which is not among the packages"),
                })?,
        ),
        None => Some(Component {
            name: Some(doc.name.clone()),
            ..Component::default()
        }),
    };
    let others = doc
        .packages
        .iter()
        .filter(|p| Some(p.spdx_id.as_str()) != described.as_deref())
        .map(component)
        .collect();
    build(subject, others, None, "/documentDescribes")
}
