//! The published schemas (`../shared/data/csaf/schema`) and the table agree: every member,
//! requirement, bound, value list and format.

use super::table::{CSAF, Format, Shape};
use serde_json::Value;
use std::collections::BTreeSet;
use std::path::Path;

struct Schemas<'a> {
    dir: &'a Path,
}

impl Schemas<'_> {
    fn load(&self, file: &str) -> Value {
        let text = std::fs::read_to_string(self.dir.join(file)).unwrap();
        serde_json::from_str(&text).unwrap()
    }

    /// Follows a `$ref` within `root` (`#/$defs/x`, `#/definitions/x`) or to a FIRST CVSS
    /// schema kept beside it; answers the node and the document it is in.
    fn resolve(&self, node: &Value, root: &Value) -> (Value, Value) {
        match node.get("$ref").and_then(Value::as_str) {
            Some(r) if r.starts_with('#') => {
                let target = root.pointer(&r[1..]).unwrap_or_else(|| panic!("{r} not found")).clone();
                self.resolve(&target, root)
            }
            Some(r) => {
                let file = r.rsplit('/').next().unwrap();
                let doc = self.load(file);
                (doc.clone(), doc)
            }
            None => (node.clone(), root.clone()),
        }
    }

    /// Compares one of our shapes with the schema's node at `at`. CVSS objects are
    /// compared on the members we check (all the required ones among them).
    fn compare(&self, ours: &Shape, node: &Value, root: &Value, at: &str, seen: &mut Vec<String>) {
        let (node, root) = self.resolve(node, root);
        // A shape met again against the same node (branches hold branches) is done.
        let key = format!("{:p} {node}", ours);
        if seen.contains(&key) {
            return;
        }
        seen.push(key);
        let cvss = root.pointer("/properties/vectorString").is_some();
        let usize_of = |k: &str| node.get(k).and_then(Value::as_u64).map(|n| n as usize);
        match ours {
            Shape::Text(t) => {
                assert_eq!(node["type"], "string", "{at}: type");
                assert_eq!(usize_of("minLength").unwrap_or(0), t.min_len, "{at}: minLength");
                let theirs: BTreeSet<&str> = node
                    .get("enum")
                    .and_then(Value::as_array)
                    .into_iter()
                    .flatten()
                    .filter_map(Value::as_str)
                    .collect();
                let mine: BTreeSet<&str> = t.values.iter().copied().collect();
                assert_eq!(mine, theirs, "{at}: enum");
                let format = match node.get("format").and_then(Value::as_str) {
                    Some("date-time") => Some(Format::DateTime),
                    Some("uri") => Some(Format::Uri),
                    Some(other) => panic!("{at}: format {other} is not handled"),
                    None => None,
                };
                assert_eq!(t.format, format, "{at}: format");
                let pattern = node.get("pattern").is_some();
                assert!(
                    pattern == t.rule.is_some() || (cvss && at.ends_with("vectorString")),
                    "{at}: the schema {} a pattern",
                    if pattern { "gives" } else { "gives no" }
                );
            }
            Shape::Number { min, max } => {
                assert_eq!(node["type"], "number", "{at}: type");
                assert_eq!(node["minimum"].as_f64(), Some(*min), "{at}: minimum");
                assert_eq!(node["maximum"].as_f64(), Some(*max), "{at}: maximum");
            }
            Shape::List {
                item,
                min_items,
                unique,
            } => {
                assert_eq!(node["type"], "array", "{at}: type");
                assert_eq!(usize_of("minItems").unwrap_or(0), *min_items, "{at}: minItems");
                assert_eq!(
                    node.get("uniqueItems").and_then(Value::as_bool).unwrap_or(false),
                    *unique,
                    "{at}: uniqueItems"
                );
                self.compare(item, &node["items"], &root, &format!("{at}/[]"), seen);
            }
            Shape::Object {
                members,
                min_members,
                max_members,
            } => {
                assert_eq!(node["type"], "object", "{at}: type");
                let props = node["properties"]
                    .as_object()
                    .unwrap_or_else(|| panic!("{at}: no properties"));
                let theirs: BTreeSet<&str> = props.keys().map(String::as_str).collect();
                let mine: BTreeSet<&str> = members.iter().map(|m| m.name).collect();
                if cvss {
                    assert!(mine.is_subset(&theirs), "{at}: members {:?}", mine.difference(&theirs));
                } else {
                    assert_eq!(mine, theirs, "{at}: members");
                }
                let required: BTreeSet<&str> = node
                    .get("required")
                    .and_then(Value::as_array)
                    .into_iter()
                    .flatten()
                    .filter_map(Value::as_str)
                    .collect();
                let mine_required: BTreeSet<&str> = members.iter().filter(|m| m.required).map(|m| m.name).collect();
                assert_eq!(mine_required, required, "{at}: required");
                assert_eq!(
                    usize_of("minProperties").unwrap_or(0),
                    *min_members,
                    "{at}: minProperties"
                );
                assert_eq!(usize_of("maxProperties"), *max_members, "{at}: maxProperties");
                for m in members.iter() {
                    self.compare(m.shape, &props[m.name], &root, &format!("{at}/{}", m.name), seen);
                }
            }
            Shape::OneOf(options) => {
                let theirs = node["oneOf"].as_array().unwrap_or_else(|| panic!("{at}: no oneOf"));
                assert_eq!(theirs.len(), options.len(), "{at}: oneOf");
                for (i, (o, t)) in options.iter().zip(theirs).enumerate() {
                    self.compare(o, t, &root, &format!("{at}/oneOf{i}"), seen);
                }
            }
        }
    }
}

#[test]
fn the_table_is_the_published_schema() {
    let Some(dir) = crate::assets::shared_data::shared("csaf/schema") else {
        return;
    };
    let schemas = Schemas { dir: &dir };
    let root = schemas.load("csaf_json_schema.json");
    let mut seen = Vec::new();
    schemas.compare(&CSAF, &root, &root, "", &mut seen);
    assert!(seen.len() > 100, "walked {} nodes", seen.len());
}
