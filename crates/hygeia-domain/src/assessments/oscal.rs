//! OSCAL 1.x catalogs into frameworks: groups become group nodes, controls and their
//! enhancements become answerable controls, and each control's statement becomes its summary
//! (parameters shown as `[their label]`). Withdrawn controls are kept, unanswerable, so that
//! references to them still resolve. Errors name the JSON pointer of what is wrong.

use super::framework::{AnswerKind, Framework, Node, NodeKind, validate};
use serde::Deserialize;
use std::collections::HashMap;

/// What stopped an import, and where in the document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportError {
    /// A JSON pointer (`/catalog/groups/3/controls/0/title`), or `line N, column M` when the
    /// text is not JSON at all.
    pub location: String,
    pub message: String,
}

impl std::fmt::Display for ImportError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.location, self.message)
    }
}

#[derive(Deserialize)]
struct Document {
    catalog: Catalog,
}

#[derive(Deserialize)]
struct Catalog {
    metadata: Metadata,
    #[serde(default)]
    groups: Vec<Group>,
    #[serde(default)]
    controls: Vec<Control>,
}

#[derive(Deserialize)]
struct Metadata {
    title: String,
    version: String,
    #[serde(default)]
    parties: Vec<Party>,
    #[serde(default)]
    links: Vec<Link>,
}

#[derive(Deserialize)]
struct Party {
    #[serde(default)]
    name: Option<String>,
}

#[derive(Deserialize)]
struct Link {
    href: String,
}

#[derive(Deserialize)]
struct Group {
    #[serde(default)]
    id: Option<String>,
    title: String,
    #[serde(default)]
    groups: Vec<Group>,
    #[serde(default)]
    controls: Vec<Control>,
}

#[derive(Deserialize)]
struct Control {
    id: String,
    title: String,
    #[serde(default)]
    params: Vec<Param>,
    #[serde(default)]
    props: Vec<Prop>,
    #[serde(default)]
    parts: Vec<Part>,
    #[serde(default)]
    controls: Vec<Control>,
}

#[derive(Deserialize)]
struct Param {
    id: String,
    #[serde(default)]
    label: Option<String>,
}

#[derive(Deserialize)]
struct Prop {
    name: String,
    value: String,
}

#[derive(Deserialize)]
struct Part {
    name: String,
    #[serde(default)]
    prose: Option<String>,
    #[serde(default)]
    props: Vec<Prop>,
    #[serde(default)]
    parts: Vec<Part>,
}

/// A serde path (`catalog.groups[3].title`) as a JSON pointer (`/catalog/groups/3/title`).
pub(crate) fn pointer(path: &serde_path_to_error::Path) -> String {
    use serde_path_to_error::Segment;
    let mut out = String::new();
    for segment in path.iter() {
        out.push('/');
        match segment {
            Segment::Seq { index } => out.push_str(&index.to_string()),
            Segment::Map { key } => out.push_str(&key.replace('~', "~0").replace('/', "~1")),
            Segment::Enum { variant } => out.push_str(variant),
            Segment::Unknown => out.push('?'),
        }
    }
    if out.is_empty() { "/".into() } else { out }
}

/// A JSON document read with every error located: a syntax error by line and column, a wrong
/// shape by JSON pointer. `explain` may reword a shape error (given its pointer and message).
pub(crate) fn read_located<T: serde::de::DeserializeOwned>(
    json: &str,
    explain: impl Fn(&str, String) -> String,
) -> Result<T, ImportError> {
    let mut de = serde_json::Deserializer::from_str(json);
    serde_path_to_error::deserialize(&mut de).map_err(|e| {
        let inner = e.inner();
        if inner.is_syntax() || inner.is_eof() {
            ImportError {
                location: format!("line {}, column {}", inner.line(), inner.column()),
                message: format!("not JSON: {inner}"),
            }
        } else {
            let location = pointer(e.path());
            let message = explain(&location, inner.to_string());
            ImportError { location, message }
        }
    })
}

/// A framework checked before it leaves an importer; the first problem becomes the error.
pub(crate) fn validated(framework: Framework) -> Result<Framework, ImportError> {
    validate(&framework).map_err(|e| {
        let first = e.0.into_iter().next();
        ImportError {
            location: first.as_ref().map_or_else(|| "/".into(), |f| f.field.clone()),
            message: first.map_or_else(String::new, |f| f.message),
        }
    })?;
    Ok(framework)
}

/// A stable key from a title: lower case, words joined by hyphens, at most 60 characters.
pub fn slug(title: &str) -> String {
    let mut out = String::new();
    for word in title
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty())
    {
        if out.len() + word.len() + 1 > 60 {
            break;
        }
        if !out.is_empty() {
            out.push('-');
        }
        out.push_str(&word.to_ascii_lowercase());
    }
    if out.is_empty() { "catalog".into() } else { out }
}

/// Reads an OSCAL catalog. `key` names the framework (its title's slug when none).
pub fn catalog(json: &str, key: Option<&str>) -> Result<Framework, ImportError> {
    let doc: Document = read_located(json, |location, message| {
        if location == "/" && message.contains("missing field `catalog`") {
            "not an OSCAL catalog (no \"catalog\" object; a profile is imported naming its catalog)".into()
        } else {
            message
        }
    })?;
    let c = doc.catalog;
    let mut nodes = Vec::new();
    for (i, g) in c.groups.iter().enumerate() {
        group(g, None, &format!("/catalog/groups/{i}"), &mut nodes);
    }
    for control_node in &c.controls {
        control(control_node, None, &mut nodes);
    }
    validated(Framework {
        key: key.map_or_else(|| slug(&c.metadata.title), str::to_owned),
        version: c.metadata.version.clone(),
        title: c.metadata.title.clone(),
        publisher: c
            .metadata
            .parties
            .iter()
            .find_map(|p| p.name.clone())
            .unwrap_or_else(|| "Not stated in the catalog".into()),
        source_url: c.metadata.links.first().map(|l| l.href.clone()),
        licence: "As stated by the publisher".into(),
        nodes,
        profiles: Vec::new(),
        status_rule: None,
    })
}

fn group(g: &Group, parent: Option<&str>, at: &str, nodes: &mut Vec<Node>) {
    // Groups without ids are named by where they are, so their children can point at them.
    let ref_id = g.id.clone().unwrap_or_else(|| format!("group:{at}"));
    nodes.push(Node {
        ref_id: ref_id.clone(),
        parent: parent.map(str::to_owned),
        kind: NodeKind::Group,
        title: g.title.clone(),
        summary: String::new(),
        answer: AnswerKind::None,
        level: None,
        applies_to: Vec::new(),
        mandatory_for: Vec::new(),
        source: None,
    });
    for (i, sub) in g.groups.iter().enumerate() {
        group(sub, Some(&ref_id), &format!("{at}/groups/{i}"), nodes);
    }
    for c in &g.controls {
        control(c, Some(&ref_id), nodes);
    }
}

fn control(c: &Control, parent: Option<&str>, nodes: &mut Vec<Node>) {
    let withdrawn = c.props.iter().any(|p| p.name == "status" && p.value == "withdrawn");
    let labels: HashMap<&str, &str> = c
        .params
        .iter()
        .map(|p| (p.id.as_str(), p.label.as_deref().unwrap_or("assignment")))
        .collect();
    let summary = if withdrawn {
        "Withdrawn.".to_owned()
    } else {
        let mut text = String::new();
        for part in c.parts.iter().filter(|p| p.name == "statement") {
            prose(part, &labels, &mut text);
        }
        text.trim().to_owned()
    };
    nodes.push(Node {
        ref_id: c.id.clone(),
        parent: parent.map(str::to_owned),
        kind: NodeKind::Control,
        title: c.title.clone(),
        summary,
        answer: if withdrawn {
            AnswerKind::None
        } else {
            AnswerKind::MetNotMet
        },
        level: None,
        applies_to: Vec::new(),
        mandatory_for: Vec::new(),
        source: None,
    });
    for sub in &c.controls {
        control(sub, Some(&c.id), nodes);
    }
}

/// A part's prose and its items', with their labels, parameters shown by label.
fn prose(part: &Part, labels: &HashMap<&str, &str>, out: &mut String) {
    if let Some(label) = part.props.iter().find(|p| p.name == "label") {
        out.push_str(&label.value);
        out.push(' ');
    }
    if let Some(text) = &part.prose {
        out.push_str(&with_params(text, labels));
        out.push(' ');
    }
    for p in &part.parts {
        prose(p, labels, out);
    }
}

/// `{{ insert: param, ac-1_prm_1 }}` becomes `[organization-defined personnel or roles]`.
fn with_params(text: &str, labels: &HashMap<&str, &str>) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(start) = rest.find("{{") {
        out.push_str(&rest[..start]);
        let Some(end) = rest[start..].find("}}") else {
            out.push_str(&rest[start..]);
            return out;
        };
        let inside = &rest[start + 2..start + end];
        let id = inside.split(',').nth(1).map(str::trim).unwrap_or_default();
        out.push('[');
        out.push_str(labels.get(id).copied().unwrap_or("assignment"));
        out.push(']');
        rest = &rest[start + end + 2..];
    }
    out.push_str(rest);
    out.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests;
