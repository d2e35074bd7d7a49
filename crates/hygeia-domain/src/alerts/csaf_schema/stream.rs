//! The same check as `check`, made while the text is read: a document is never held whole,
//! only the member being looked at (and the items of lists whose items must differ, and the
//! CVSS scores, whose form is one of two and so is read before it is judged).

use super::check::{check, check_count, check_members, check_str, pointer, repeated};
use super::table::{CSAF, Shape};
use crate::assessments::oscal::ImportError;
use serde::Deserialize;
use serde::de::{DeserializeSeed, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde_json::Value;
use std::cell::RefCell;
use std::fmt;

/// Checks the text against the schema as it is parsed; the first breach with its JSON
/// pointer, or where the text stops being JSON.
pub fn validate_text(text: &str) -> Result<(), ImportError> {
    let breach = RefCell::new(None);
    let mut de = serde_json::Deserializer::from_str(text);
    let read = Seed {
        shape: &CSAF,
        at: String::new(),
        breach: &breach,
    }
    .deserialize(&mut de)
    .and_then(|()| de.end());
    if let Some(e) = breach.into_inner() {
        return Err(e);
    }
    // Not JSON (or more than one document): where, by line and column.
    read.map_err(|e| ImportError {
        location: format!("line {}, column {}", e.line(), e.column()),
        message: format!("not JSON: {e}"),
    })
}

/// One value to read and check against `shape`, at `at`.
struct Seed<'a> {
    shape: &'static Shape,
    at: String,
    breach: &'a RefCell<Option<ImportError>>,
}

impl Seed<'_> {
    /// Records the breach and stops the reading.
    fn stop<E: serde::de::Error>(&self, result: Result<(), ImportError>) -> Result<(), E> {
        match result {
            Ok(()) => Ok(()),
            Err(e) => {
                *self.breach.borrow_mut() = Some(e);
                Err(E::custom("the document breaks the CSAF schema"))
            }
        }
    }

    fn wrong_type<E: serde::de::Error>(&self) -> Result<(), E> {
        let what = match self.shape {
            Shape::Text(_) => "must be a string",
            Shape::Number { .. } => "must be a number",
            Shape::List { .. } => "must be a list",
            Shape::Object { .. } | Shape::OneOf(_) => "must be an object",
        };
        self.stop(Err(ImportError {
            location: if self.at.is_empty() {
                "/".into()
            } else {
                self.at.clone()
            },
            message: what.into(),
        }))
    }
}

impl<'de> DeserializeSeed<'de> for Seed<'_> {
    type Value = ();

    fn deserialize<D: serde::Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        if let Shape::OneOf(_) = self.shape {
            // Which form applies shows only once the value is read; it is a few members.
            let value = Value::deserialize(deserializer)?;
            return self.stop(check(self.shape, &value, &self.at));
        }
        deserializer.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Seed<'_> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a CSAF document")
    }

    fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<(), E> {
        match self.shape {
            Shape::Text(t) => self.stop(check_str(t, v, &self.at)),
            _ => self.wrong_type(),
        }
    }

    fn visit_string<E: serde::de::Error>(self, v: String) -> Result<(), E> {
        self.visit_str(&v)
    }

    fn visit_f64<E: serde::de::Error>(self, v: f64) -> Result<(), E> {
        match self.shape {
            Shape::Number { .. } => self.stop(check(self.shape, &Value::from(v), &self.at)),
            _ => self.wrong_type(),
        }
    }

    fn visit_i64<E: serde::de::Error>(self, v: i64) -> Result<(), E> {
        match self.shape {
            Shape::Number { .. } => self.stop(check(self.shape, &Value::from(v), &self.at)),
            _ => self.wrong_type(),
        }
    }

    fn visit_u64<E: serde::de::Error>(self, v: u64) -> Result<(), E> {
        match self.shape {
            Shape::Number { .. } => self.stop(check(self.shape, &Value::from(v), &self.at)),
            _ => self.wrong_type(),
        }
    }

    fn visit_bool<E: serde::de::Error>(self, _: bool) -> Result<(), E> {
        self.wrong_type()
    }

    fn visit_unit<E: serde::de::Error>(self) -> Result<(), E> {
        self.wrong_type()
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        let Shape::List {
            item,
            min_items,
            unique,
        } = self.shape
        else {
            return self.wrong_type();
        };
        // Items that must differ are compared by their text (serde_json writes an object's
        // members in one order), so a list of 50,000 product ids is not compared pairwise.
        let mut seen = std::collections::HashSet::new();
        let mut count = 0;
        loop {
            let at = format!("{}/{count}", self.at);
            if *unique {
                // Items that must differ are read whole to compare; in CSAF they are ids and
                // small objects.
                let Some(value) = seq.next_element::<Value>()? else {
                    break;
                };
                self.stop(check(item, &value, &at))?;
                if !seen.insert(value.to_string()) {
                    return self.stop(repeated(&at));
                }
            } else {
                let next = Seed {
                    shape: item,
                    at,
                    breach: self.breach,
                };
                if seq.next_element_seed(next)?.is_none() {
                    break;
                }
            }
            count += 1;
        }
        self.stop(check_count(count, *min_items, &self.at))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        let (members, min_members, max_members) = match self.shape {
            Shape::Object {
                members,
                min_members,
                max_members,
            } => (*members, *min_members, *max_members),
            _ => return self.wrong_type(),
        };
        let mut present = vec![false; members.len()];
        let mut count = 0;
        while let Some(key) = map.next_key::<String>()? {
            count += 1;
            match members.iter().position(|m| m.name == key) {
                Some(i) if !present[i] => {
                    present[i] = true;
                    map.next_value_seed(Seed {
                        shape: members[i].shape,
                        at: pointer(&self.at, &key),
                        breach: self.breach,
                    })?;
                }
                // Unknown members are allowed; a repeated one was checked the first time.
                _ => {
                    map.next_value::<IgnoredAny>()?;
                }
            }
        }
        let has = |name: &str| members.iter().zip(&present).any(|(m, there)| *there && m.name == name);
        self.stop(check_members(members, min_members, max_members, has, count, &self.at))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use serde_json::json;

    fn minimal() -> Value {
        json!({"document": {
            "category": "csaf_security_advisory", "csaf_version": "2.0", "title": "T",
            "publisher": {"category": "vendor", "name": "Acme", "namespace": "https://acme.example"},
            "tracking": {"id": "ACME-1", "status": "final", "version": "1",
                "current_release_date": "2024-05-01T09:30:00Z", "initial_release_date": "2024-05-01T09:30:00Z",
                "revision_history": [{"date": "2024-05-01T09:30:00Z", "number": "1", "summary": "First"}]}
        },
        "product_tree": {"full_product_names": [{"name": "Acme Viewer 2", "product_id": "V2"}]},
        "vulnerabilities": [{"cve": "CVE-2024-1234", "product_status": {"known_affected": ["V2"]},
            "scores": [{"products": ["V2"], "cvss_v3": {"version": "3.1",
                "vectorString": "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H", "baseScore": 9.8, "baseSeverity": "CRITICAL"}}]}]
        })
    }

    /// Every place in the document, as a JSON pointer.
    fn places(v: &Value, at: String, out: &mut Vec<String>) {
        match v {
            Value::Object(m) => m.iter().for_each(|(k, v)| places(v, pointer(&at, k), out)),
            Value::Array(a) => a
                .iter()
                .enumerate()
                .for_each(|(i, v)| places(v, format!("{at}/{i}"), out)),
            _ => {}
        }
        out.push(at);
    }

    #[test]
    fn a_document_read_as_text_is_judged_as_parsed() {
        assert!(validate_text(&minimal().to_string()).is_ok());
        let e = validate_text("{\"document\": {\"title\": \"T\",").unwrap_err();
        assert!(e.location.starts_with("line 1, column"), "{e:?}");
        // A breach met before the text breaks off is the one reported.
        let e = validate_text("{\"document\": [1, 2").unwrap_err();
        assert_eq!(
            (e.location.as_str(), e.message.as_str()),
            ("/document", "must be an object")
        );
        let mut d = minimal();
        d["vulnerabilities"][0]["product_status"]["known_affected"] = json!(["V2", "V2"]);
        assert_eq!(
            validate_text(&d.to_string()).unwrap_err().location,
            "/vulnerabilities/0/product_status/known_affected/1"
        );
        // A long list of ids (Red Hat's VEX files list thousands) with its one repeat at the end.
        let mut d = minimal();
        let mut ids: Vec<String> = (0..50_000).map(|i| format!("P{i}")).collect();
        ids.push("P17".into());
        d["vulnerabilities"][0]["product_status"]["known_affected"] = json!(ids);
        let pointer = "/vulnerabilities/0/product_status/known_affected/50000";
        assert_eq!(validate_text(&d.to_string()).unwrap_err().location, pointer);
        assert_eq!(check(&CSAF, &d, "").unwrap_err().location, pointer);
        let trailing = format!("{} {{}}", minimal());
        assert!(validate_text(&trailing).is_err(), "one document per file");
    }

    proptest! {
        /// One change anywhere in a valid document: the text is refused exactly when the
        /// parsed document is, at the same place.
        #[test]
        fn reading_as_text_agrees_with_checking_the_parsed_document(
            pick in 0usize..1000,
            replacement in prop_oneof![
                Just(json!(null)), Just(json!(true)), Just(json!(7)), Just(json!(11.5)), Just(json!("")),
                Just(json!("x")), Just(json!([])), Just(json!(["V2", "V2"])), Just(json!({})),
                Just(json!("2024-05-01T09:30:00Z")), Just(json!("CVE-2024-1")),
            ],
        ) {
            let mut doc = minimal();
            let mut all = Vec::new();
            places(&doc, String::new(), &mut all);
            let place = all[pick % all.len()].clone();
            if place.is_empty() {
                doc = replacement;
            } else if let Some(slot) = doc.pointer_mut(&place) {
                *slot = replacement;
            }
            let parsed = check(&CSAF, &doc, "").err().map(|e| e.location);
            let streamed = validate_text(&doc.to_string()).err().map(|e| e.location);
            prop_assert_eq!(parsed.is_some(), streamed.is_some());
            // With one breach both name it; a change can make two (a list emptied and a
            // product id now undefined), and then each reports its first.
            if let (Some(p), Some(s)) = (&parsed, &streamed) {
                prop_assert!(p == s || p.starts_with(&place) || s.starts_with(&place), "{} vs {} at {}", p, s, place);
            }
        }
    }
}
