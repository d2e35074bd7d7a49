//! Hygeia's own framework file, `hygeia.framework/v1`: a framework as JSON under a format
//! marker, which is what the built-in catalogues in `frameworks/` are and what an export writes.

use super::framework::{Framework, validate};
use super::oscal::ImportError;
use serde::{Deserialize, Serialize};

pub const FORMAT: &str = "hygeia.framework/v1";

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct Document {
    format: String,
    framework: Framework,
}

/// Which importer a file is for, from its first key.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileKind {
    Oscal,
    /// An OSCAL profile, which selects from a catalog and must be resolved first.
    OscalProfile,
    Hygeia,
    /// A `hygeia.mapping/v1` file: pairs between two frameworks.
    Mapping,
    /// A CISO Assistant library (YAML).
    CisoAssistant,
}

/// Tells the importers' files apart by the document's first key (a CISO Assistant library by
/// its `objects:` line), without parsing it.
pub fn detect(text: &str) -> Option<FileKind> {
    if super::ciso_assistant::detect(text) {
        return Some(FileKind::CisoAssistant);
    }
    let body = text.trim_start_matches('\u{feff}').trim_start();
    let rest = body.strip_prefix('{')?.trim_start().strip_prefix('"')?;
    match rest.split('"').next()? {
        "catalog" => Some(FileKind::Oscal),
        "profile" => Some(FileKind::OscalProfile),
        "format" => {
            // The value of the first key tells a framework from a mapping.
            let value = rest.split_once(':')?.1.trim_start().strip_prefix('"')?;
            if value.starts_with(super::mapping::FORMAT) {
                Some(FileKind::Mapping)
            } else {
                Some(FileKind::Hygeia)
            }
        }
        _ => None,
    }
}

pub fn parse(text: &str) -> Result<Framework, ImportError> {
    let doc: Document = super::oscal::read_located(text, |_, message| message)?;
    if doc.format != FORMAT {
        return Err(ImportError {
            location: "/format".into(),
            message: format!("'{}' is not a format this build reads ({FORMAT})", doc.format),
        });
    }
    validate(&doc.framework).map_err(|e| {
        let first = e.0.into_iter().next();
        ImportError {
            location: first
                .as_ref()
                .map_or_else(|| "/framework".into(), |f| format!("/framework/{}", f.field)),
            message: first.map_or_else(String::new, |f| f.message),
        }
    })?;
    Ok(doc.framework)
}

/// The framework as a `hygeia.framework/v1` file.
pub fn write(framework: &Framework) -> String {
    let doc = Document {
        format: FORMAT.into(),
        framework: framework.clone(),
    };
    serde_json::to_string_pretty(&doc).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::assessments::framework::{AnswerKind, Node, NodeKind};

    fn sample() -> Framework {
        Framework {
            key: "tiny".into(),
            version: "1".into(),
            title: "Tiny".into(),
            publisher: "Us".into(),
            source_url: None,
            licence: "OGL-UK-3.0".into(),
            nodes: vec![Node {
                ref_id: "A".into(),
                parent: None,
                kind: NodeKind::Objective,
                title: "Managing risk".into(),
                summary: String::new(),
                answer: AnswerKind::None,
                level: None,
                applies_to: Vec::new(),
                mandatory_for: Vec::new(),
                source: None,
            }],
            profiles: Vec::new(),
            status_rule: None,
        }
    }

    #[test]
    fn written_files_read_back_the_same() {
        let text = write(&sample());
        assert_eq!(detect(&text), Some(FileKind::Hygeia));
        assert_eq!(parse(&text), Ok(sample()));
        assert_eq!(detect("\u{feff} {\n \"catalog\": {}}"), Some(FileKind::Oscal));
        assert_eq!(detect("[1, 2]"), None);
        assert_eq!(detect("{\"profile\": {}}"), Some(FileKind::OscalProfile));
    }

    #[test]
    fn errors_point_into_the_file() {
        let text = write(&sample()).replace("\"objective\"", "\"chapter\"");
        let err = parse(&text).unwrap_err();
        assert_eq!(err.location, "/framework/nodes/0/kind");
        let err = parse(&write(&sample()).replace(FORMAT, "hygeia.framework/v9")).unwrap_err();
        assert_eq!(err.location, "/format");
        let mut dup = sample();
        dup.nodes.push(dup.nodes[0].clone());
        let err = parse(&write(&dup)).unwrap_err();
        assert_eq!(err.location, "/framework/nodes/1/ref_id");
    }
}
