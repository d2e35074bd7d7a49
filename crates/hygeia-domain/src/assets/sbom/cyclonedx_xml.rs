//! CycloneDX XML (spec 1.2 to 1.6), read into the same components as the JSON form.

use super::*;

/// CycloneDX XML, read as a stream: only components under `bom/metadata` and under
/// `bom/components` (and nested `components`) count; those under pedigree or elsewhere do not.
pub(super) fn cyclonedx_xml(text: &str) -> Result<AssetInput, ImportError> {
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
