//! Software bills of materials as assets: CycloneDX (JSON and XML, spec 1.2 to 1.6) and
//! SPDX 2.3 JSON. The document's subject (CycloneDX `metadata.component`, the package an SPDX
//! document describes) becomes the asset; every component or package becomes a software
//! record, identified by its package URL, else its CPE, else its name and version. The
//! asset's key leaves out the version, so the next release's SBOM updates the same asset.

use super::asset::{AssetInput, AssetKind, Criticality, SoftwareInput};
use crate::assessments::oscal::{ImportError, read_located};
use serde::Deserialize;

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

/// CycloneDX XML, read as a stream: only components under `bom/metadata` and under
/// `bom/components` (and nested `components`) count; those under pedigree or elsewhere do not.
fn cyclonedx_xml(text: &str) -> Result<AssetInput, ImportError> {
    use quick_xml::Reader;
    use quick_xml::events::Event;
    let mut reader = Reader::from_str(text);
    reader.config_mut().trim_text(true);
    let mut path: Vec<String> = Vec::new();
    let mut open: Vec<Component> = Vec::new();
    let mut subject: Option<Component> = None;
    let mut top: Vec<Component> = Vec::new();
    let mut version: Option<String> = None;
    let line_at = |pos: u64| {
        text.as_bytes()[..(pos as usize).min(text.len())]
            .iter()
            .filter(|b| **b == b'\n')
            .count()
            + 1
    };
    let counted = |path: &[String]| -> bool {
        // bom / (metadata | components) / component (/ components / component)*
        matches!(path.get(..2), Some([b, m]) if b == "bom" && (m == "metadata" || m == "components"))
            && path[2..].iter().enumerate().all(|(i, p)| {
                if i % 2 == 0 {
                    p == "component"
                } else {
                    p == "components"
                }
            })
    };
    loop {
        let event = reader.read_event().map_err(|e| ImportError {
            location: format!("line {}", line_at(reader.error_position())),
            message: format!("not well-formed XML: {e}"),
        })?;
        match event {
            Event::Start(e) => {
                let name = String::from_utf8_lossy(e.local_name().as_ref()).into_owned();
                if path.is_empty() {
                    if name != "bom" {
                        return Err(ImportError {
                            location: "line 1".into(),
                            message: format!("the root element is <{name}>, not <bom>"),
                        });
                    }
                    for a in e.attributes().flatten() {
                        if a.key.as_ref() == b"version" {
                            version = Some(String::from_utf8_lossy(&a.value).into_owned());
                        }
                    }
                }
                path.push(name.clone());
                if name == "component" && counted(&path) {
                    let mut c = Component::default();
                    for a in e.attributes().flatten() {
                        if a.key.as_ref() == b"type" {
                            c.kind = Some(String::from_utf8_lossy(&a.value).into_owned());
                        }
                    }
                    open.push(c);
                }
            }
            Event::End(_) => {
                let last = path.pop().unwrap_or_default();
                if last == "component" {
                    let mut full = path.clone();
                    full.push(last);
                    if counted(&full)
                        && let Some(c) = open.pop()
                    {
                        match open.last_mut() {
                            Some(parent) => parent.components.push(c),
                            None if full.get(1).map(String::as_str) == Some("metadata") => subject = Some(c),
                            None => top.push(c),
                        }
                    }
                }
            }
            Event::Text(t) => {
                let value = t.decode().map(|s| s.into_owned()).unwrap_or_default();
                let value = quick_xml::escape::unescape(&value)
                    .map(|v| v.into_owned())
                    .unwrap_or(value);
                let n = path.len();
                if n >= 2
                    && path[n - 2] == "component"
                    && counted(&path[..n - 1])
                    && let Some(c) = open.last_mut()
                {
                    let slot = match path[n - 1].as_str() {
                        "name" => &mut c.name,
                        "version" => &mut c.version,
                        "group" => &mut c.group,
                        "purl" => &mut c.purl,
                        "cpe" => &mut c.cpe,
                        _ => continue,
                    };
                    *slot = Some(value);
                }
            }
            Event::Eof => break,
            _ => {}
        }
    }
    if let Some(v) = version.as_deref()
        && v.parse::<u32>().is_err()
    {
        return Err(ImportError {
            location: "/bom/@version".into(),
            message: format!("`{v}` is not a BOM version number"),
        });
    }
    build(subject, top, None, "/bom/metadata/component")
}

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

fn spdx_json(text: &str) -> Result<AssetInput, ImportError> {
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

#[cfg(test)]
mod tests {
    use super::*;

    const CDX_XML: &str = r#"<?xml version="1.0"?>
<bom xmlns="http://cyclonedx.org/schema/bom/1.4" version="1">
  <metadata><component type="application"><name>ward-app</name><version>2.0</version>
    <purl>pkg:npm/ward-app@2.0</purl></component></metadata>
  <components>
    <component type="library"><name>lodash</name><version>4.17.20</version><purl>pkg:npm/lodash@4.17.20</purl>
      <pedigree><ancestors><component type="library"><name>underscore</name></component></ancestors></pedigree>
      <components><component type="library"><name>inner</name><version>1.0</version></component></components>
    </component>
  </components>
</bom>"#;

    #[test]
    fn cyclonedx_xml_counts_components_but_not_their_pedigree() {
        let a = read(CDX_XML);
        let a = a.as_ref().ok();
        assert_eq!(a.map(|a| a.key.as_str()), Some("pkg:npm/ward-app"));
        let ids: Vec<String> = a
            .map(|a| a.software.iter().map(|s| s.identity.clone()).collect())
            .unwrap_or_default();
        assert_eq!(ids, vec!["inner", "pkg:npm/lodash@4.17.20", "pkg:npm/ward-app@2.0"]);
    }

    #[test]
    fn spdx_describes_a_package_and_lists_the_rest() {
        let doc = r#"{"spdxVersion":"SPDX-2.3","SPDXID":"SPDXRef-DOCUMENT","name":"pacs-image","documentDescribes":["SPDXRef-pacs"],
          "packages":[{"SPDXID":"SPDXRef-pacs","name":"pacs","versionInfo":"5.1"},
            {"SPDXID":"SPDXRef-ssl","name":"openssl","versionInfo":"1.1.1k","externalRefs":[{"referenceCategory":"PACKAGE-MANAGER","referenceType":"purl","referenceLocator":"pkg:deb/debian/openssl@1.1.1k"}]},
            {"SPDXID":"SPDXRef-jre","name":"jre","versionInfo":"8u201","externalRefs":[{"referenceCategory":"SECURITY","referenceType":"cpe23Type","referenceLocator":"cpe:2.3:a:oracle:jre:1.8.0:update201:*:*:*:*:*:*"}]}]}"#;
        let a = read(doc);
        let a = a.as_ref().ok();
        assert_eq!(a.map(|a| a.name.as_str()), Some("pacs 5.1"));
        assert_eq!(a.map(|a| a.software.len()), Some(3));
        let bad = doc.replace("\"SPDXRef-pacs\"]", "\"SPDXRef-nothing\"]");
        assert_eq!(
            read(&bad).err().map(|e| e.location),
            Some("/documentDescribes/0".into())
        );
    }

    #[test]
    fn broken_documents_say_where() {
        let e = |t: &str| read(t).err().map(|e| e.location).unwrap_or_default();
        assert_eq!(
            e(r#"{"bomFormat":"CycloneDX","specVersion":"1.6","components":[{"name":3}]}"#),
            "/components/0/name"
        );
        assert_eq!(e(r#"{"bomFormat":"CycloneDX","specVersion":"2.0"}"#), "/specVersion");
        assert_eq!(
            e(r#"{"bomFormat":"CycloneDX","specVersion":"1.5","components":[]}"#),
            "/metadata/component"
        );
        assert_eq!(
            e("<bom xmlns=\"http://cyclonedx.org/schema/bom/1.5\">\n<metadata>\n</bom>"),
            "line 3"
        );
        assert_eq!(e("hello"), "/");
    }
}
