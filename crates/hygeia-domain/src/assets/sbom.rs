//! Software bills of materials as assets: CycloneDX (JSON and XML, spec 1.2 to 1.6) and
//! SPDX 2.3 JSON. The document's subject (CycloneDX `metadata.component`, the package an SPDX
//! document describes) becomes the asset; every component or package becomes a software
//! record, identified by its package URL, else its CPE, else its name and version. The
//! asset's key leaves out the version, so the next release's SBOM updates the same asset.

use super::asset::{AssetInput, AssetKind, Criticality, SoftwareInput};
use crate::assessments::oscal::{ImportError, read_located};
use serde::Deserialize;

mod cyclonedx_xml;
mod spdx;
use cyclonedx_xml::cyclonedx_xml;
use spdx::spdx_json;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SbomFormat {
    CycloneDxJson,
    CycloneDxXml,
    SpdxJson,
}

/// Tells the format from the content.
pub fn detect(text: &str) -> Option<SbomFormat> {
    let head: String = text
        .trim_start_matches('\u{feff}')
        .trim_start()
        .chars()
        .take(4096)
        .collect();
    if head.starts_with('<') {
        return head
            .contains("cyclonedx.org/schema/bom")
            .then_some(SbomFormat::CycloneDxXml);
    }
    if head.contains("\"bomFormat\"") {
        return Some(SbomFormat::CycloneDxJson);
    }
    if head.contains("\"spdxVersion\"") {
        return Some(SbomFormat::SpdxJson);
    }
    None
}

pub fn read(text: &str) -> Result<AssetInput, ImportError> {
    match detect(text) {
        Some(SbomFormat::CycloneDxJson) => cyclonedx_json(text),
        Some(SbomFormat::CycloneDxXml) => cyclonedx_xml(text),
        Some(SbomFormat::SpdxJson) => spdx_json(text),
        None => Err(ImportError {
            location: "/".into(),
            message: "not a CycloneDX (JSON or XML) or SPDX JSON document".into(),
        }),
    }
}

#[derive(Deserialize, Default, Clone)]
struct Component {
    #[serde(default, rename = "type")]
    kind: Option<String>,
    #[serde(default)]
    name: Option<String>,
    #[serde(default)]
    version: Option<String>,
    #[serde(default)]
    group: Option<String>,
    #[serde(default)]
    purl: Option<String>,
    #[serde(default)]
    cpe: Option<String>,
    #[serde(default)]
    components: Vec<Component>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct CycloneDx {
    bom_format: String,
    spec_version: String,
    #[serde(default)]
    serial_number: Option<String>,
    #[serde(default)]
    metadata: Option<Metadata>,
    #[serde(default)]
    components: Vec<Component>,
    #[serde(default)]
    vulnerabilities: Vec<serde_json::Value>,
}

#[derive(Deserialize)]
struct Metadata {
    #[serde(default)]
    component: Option<Component>,
}

const SPEC_VERSIONS: [&str; 5] = ["1.2", "1.3", "1.4", "1.5", "1.6"];

fn cyclonedx_json(text: &str) -> Result<AssetInput, ImportError> {
    let doc: CycloneDx = read_located(text, |_, m| m)?;
    if doc.bom_format != "CycloneDX" {
        return Err(ImportError {
            location: "/bomFormat".into(),
            message: format!("`{}` is not CycloneDX", doc.bom_format),
        });
    }
    if !SPEC_VERSIONS.contains(&doc.spec_version.as_str()) {
        return Err(ImportError {
            location: "/specVersion".into(),
            message: format!("CycloneDX {} is not supported (1.2 to 1.6 are)", doc.spec_version),
        });
    }
    let subject = doc.metadata.and_then(|m| m.component);
    if subject.is_none() && doc.components.is_empty() && !doc.vulnerabilities.is_empty() {
        return Err(ImportError {
            location: "/vulnerabilities".into(),
            message: "this is a CycloneDX VEX document (vulnerability statements, no components): \
                      it says what is exploitable, it is not an inventory of an asset"
                .into(),
        });
    }
    build(
        subject,
        doc.components,
        doc.serial_number.as_deref(),
        "/metadata/component",
    )
}

/// The asset for a subject and its components.
fn build(
    subject: Option<Component>,
    components: Vec<Component>,
    serial: Option<&str>,
    at: &str,
) -> Result<AssetInput, ImportError> {
    let subject = subject.unwrap_or_default();
    let name = match (&subject.group, &subject.name, serial) {
        (Some(g), Some(n), _) if !g.is_empty() => format!("{g}/{n}"),
        (_, Some(n), _) => n.clone(),
        // A document without a subject (a VEX, a test vector) is still one bill of
        // materials: its serial number names it.
        (_, None, Some(serial)) => format!("SBOM {serial}"),
        _ => {
            return Err(ImportError {
                location: at.into(),
                message: "the document names no subject component, so there is no asset to attach the software to"
                    .into(),
            });
        }
    };
    let key = subject
        .purl
        .as_deref()
        .map(|p| p.split(['@', '?', '#']).next().unwrap_or(p).to_owned())
        .unwrap_or_else(|| format!("sbom:{}", name.to_lowercase()));
    let kind = match subject.kind.as_deref() {
        Some("device") => AssetKind::Iot,
        _ => AssetKind::Application,
    };
    let mut software = Vec::new();
    if let Some(s) = identity(&subject) {
        software.push(s);
    }
    let mut stack = components;
    while let Some(mut c) = stack.pop() {
        stack.append(&mut c.components);
        if let Some(s) = identity(&c) {
            software.push(s);
        }
    }
    software.sort();
    software.dedup();
    let display = match &subject.version {
        Some(v) => format!("{name} {v}"),
        None => name,
    };
    let asset = AssetInput {
        key,
        name: display,
        kind,
        hostname: None,
        addresses: Vec::new(),
        owner: None,
        location: None,
        criticality: Criticality::Medium,
        essential_services: Vec::new(),
        internet_facing: false,
        manufacturer: None,
        model: None,
        patchable: None,
        esu_enrolled: false,
        os: None,
        software,
    };
    asset.check().map_err(|e| {
        let first = e.0.into_iter().next();
        ImportError {
            location: first.as_ref().map_or_else(|| "/".into(), |f| format!("/{}", f.field)),
            message: first.map_or_else(String::new, |f| f.message),
        }
    })?;
    Ok(asset)
}

fn identity(c: &Component) -> Option<SoftwareInput> {
    if let Some(p) = c
        .purl
        .as_deref()
        .filter(|p| p.starts_with("pkg:") && super::identity::parse_purl(p).is_ok())
    {
        return Some(SoftwareInput::new(p, None));
    }
    if let Some(cpe) = c.cpe.as_deref().filter(|p| super::identity::parse_cpe(p).is_ok()) {
        return Some(SoftwareInput::new(cpe, c.version.as_deref()));
    }
    let name = c.name.as_deref()?.trim();
    if name.is_empty() {
        return None;
    }
    let full = match c.group.as_deref().filter(|g| !g.is_empty()) {
        Some(g) => format!("{g} {name}"),
        None => name.to_owned(),
    };
    Some(SoftwareInput::new(&full, c.version.as_deref()))
}

#[cfg(test)]
mod tests;
