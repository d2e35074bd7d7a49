//! The check over a parsed document (and over the small parts the reader holds whole).

use super::forms::{is_date_time, is_uri};
use super::table::{CSAF, Format, Member, Shape, Text};
use crate::assessments::oscal::ImportError;
use serde_json::Value;

/// Checks a parsed document against the schema; the first breach, with its JSON pointer.
pub fn validate(doc: &Value) -> Result<(), ImportError> {
    check(&CSAF, doc, "")
}

fn fail(at: &str, message: String) -> Result<(), ImportError> {
    Err(ImportError {
        location: if at.is_empty() { "/".to_owned() } else { at.to_owned() },
        message,
    })
}

/// A member's pointer: `~` and `/` in its name escaped as RFC 6901 says.
pub(super) fn pointer(at: &str, name: &str) -> String {
    format!("{at}/{}", name.replace('~', "~0").replace('/', "~1"))
}

pub(super) fn check(shape: &Shape, value: &Value, at: &str) -> Result<(), ImportError> {
    match shape {
        Shape::Text(t) => check_text(t, value, at),
        Shape::Number { min, max } => match value.as_f64() {
            Some(n) if (*min..=*max).contains(&n) => Ok(()),
            _ => fail(at, format!("must be a number from {min} to {max}")),
        },
        Shape::List {
            item,
            min_items,
            unique,
        } => {
            let Some(items) = value.as_array() else {
                return fail(at, "must be a list".into());
            };
            check_count(items.len(), *min_items, at)?;
            let mut seen = std::collections::HashSet::new();
            for (i, v) in items.iter().enumerate() {
                check(item, v, &format!("{at}/{i}"))?;
                // By text, as the streaming check does: a long id list is not compared pairwise.
                if *unique && !seen.insert(v.to_string()) {
                    return repeated(&format!("{at}/{i}"));
                }
            }
            Ok(())
        }
        Shape::Object {
            members,
            min_members,
            max_members,
        } => {
            let Some(map) = value.as_object() else {
                return fail(at, "must be an object".into());
            };
            for m in members.iter() {
                if let Some(v) = map.get(m.name) {
                    check(m.shape, v, &pointer(at, m.name))?;
                }
            }
            check_members(
                members,
                *min_members,
                *max_members,
                |name| map.contains_key(name),
                map.len(),
                at,
            )
        }
        Shape::OneOf(options) => {
            let results: Vec<Result<(), ImportError>> = options.iter().map(|s| check(s, value, at)).collect();
            match results.iter().filter(|r| r.is_ok()).count() {
                1 => Ok(()),
                0 => results
                    .into_iter()
                    .filter_map(Result::err)
                    // The option that got furthest says most about what is wrong.
                    .max_by_key(|e| e.location.len())
                    .map_or(Ok(()), Err),
                _ => fail(at, "matches more than one of its allowed forms".into()),
            }
        }
    }
}

/// A list's length against its least number of items.
pub(super) fn check_count(count: usize, min_items: usize, at: &str) -> Result<(), ImportError> {
    if count < min_items {
        return fail(at, format!("must have at least {min_items} item(s)"));
    }
    Ok(())
}

/// An item of a list whose items must differ, equal to an earlier one.
pub(super) fn repeated(at: &str) -> Result<(), ImportError> {
    fail(at, "repeats an earlier item; the items must differ".into())
}

/// An object's members taken together, once each present one has been checked: the
/// required ones there, and as many as the bounds allow.
pub(super) fn check_members(
    members: &[Member],
    min_members: usize,
    max_members: Option<usize>,
    has: impl Fn(&str) -> bool,
    count: usize,
    at: &str,
) -> Result<(), ImportError> {
    if let Some(m) = members.iter().find(|m| m.required && !has(m.name)) {
        return fail(at, format!("the member `{}` is required", m.name));
    }
    if count < min_members {
        return fail(at, format!("must have at least {min_members} member(s)"));
    }
    if let Some(max) = max_members
        && count > max
    {
        return fail(at, format!("must have at most {max} members"));
    }
    Ok(())
}

fn check_text(t: &Text, value: &Value, at: &str) -> Result<(), ImportError> {
    match value.as_str() {
        Some(s) => check_str(t, s, at),
        None => fail(at, "must be a string".into()),
    }
}

/// A string against its rules: length, allowed values, format, form.
pub(super) fn check_str(t: &Text, s: &str, at: &str) -> Result<(), ImportError> {
    if s.chars().count() < t.min_len {
        return fail(
            at,
            if t.min_len == 1 {
                "must not be empty".into()
            } else {
                format!("must be at least {} characters", t.min_len)
            },
        );
    }
    if !t.values.is_empty() && !t.values.contains(&s) {
        return fail(at, format!("`{s}` is not one of: {}", t.values.join(", ")));
    }
    match t.format {
        Some(Format::DateTime) if !is_date_time(s) => {
            return fail(
                at,
                format!("`{s}` is not a date and time (RFC 3339, e.g. 2024-05-01T09:30:00Z)"),
            );
        }
        Some(Format::Uri) if !is_uri(s) => return fail(at, format!("`{s}` is not an absolute URI")),
        _ => {}
    }
    if let Some(rule) = &t.rule
        && !(rule.check)(s)
    {
        return fail(at, format!("`{s}` is not {}", rule.what));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn minimal() -> Value {
        json!({"document": {
            "category": "csaf_security_advisory", "csaf_version": "2.0", "title": "T",
            "publisher": {"category": "vendor", "name": "Acme", "namespace": "https://acme.example"},
            "tracking": {"id": "ACME-1", "status": "final", "version": "1",
                "current_release_date": "2024-05-01T09:30:00Z", "initial_release_date": "2024-05-01T09:30:00.123+01:00",
                "revision_history": [{"date": "2024-05-01T09:30:00Z", "number": "1", "summary": "First"}]}
        }})
    }

    fn error(doc: &Value) -> (String, String) {
        let e = validate(doc).unwrap_err();
        (e.location, e.message)
    }

    #[test]
    fn a_minimal_document_passes_and_each_breach_names_its_pointer() {
        assert!(validate(&minimal()).is_ok());
        let mut d = minimal();
        d["document"]["tracking"].as_object_mut().unwrap().remove("status");
        assert_eq!(error(&d).0, "/document/tracking");
        assert!(error(&d).1.contains("`status` is required"));
        let mut d = minimal();
        d["document"]["publisher"]["category"] = json!("author");
        assert_eq!(error(&d).0, "/document/publisher/category");
        let mut d = minimal();
        d["document"]["tracking"]["current_release_date"] = json!("2024-05-01");
        assert_eq!(error(&d).0, "/document/tracking/current_release_date");
        let mut d = minimal();
        d["document"]["tracking"]["version"] = json!("01");
        assert_eq!(error(&d).0, "/document/tracking/version");
        let mut d = minimal();
        d["vulnerabilities"] = json!([{"cve": "CVE-2024-1234", "product_status": {"fixed": ["A", "A"]}}]);
        assert_eq!(error(&d).0, "/vulnerabilities/0/product_status/fixed/1");
        let mut d = minimal();
        d["vulnerabilities"] = json!([]);
        assert_eq!(error(&d).0, "/vulnerabilities");
        let mut d = minimal();
        d["product_tree"] = json!({"branches": [{"category": "vendor", "name": "Acme"}]});
        assert_eq!(
            error(&d),
            (
                "/product_tree/branches/0".into(),
                "must have at least 3 member(s)".into()
            )
        );
        let mut d = minimal();
        d["vulnerabilities"] = json!([{"scores": [{"products": ["A"], "cvss_v3": {"version": "3.1",
            "vectorString": "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H", "baseScore": 11, "baseSeverity": "CRITICAL"}}]}]);
        assert_eq!(error(&d).0, "/vulnerabilities/0/scores/0/cvss_v3/baseScore");
        d["vulnerabilities"][0]["scores"][0]["cvss_v3"]["baseScore"] = json!(9.8);
        assert!(validate(&d).is_ok());
        let mut d = minimal();
        d["document"]["notes"] = json!([{"category": "summary", "text": ""}]);
        assert_eq!(error(&d), ("/document/notes/0/text".into(), "must not be empty".into()));
    }
}
