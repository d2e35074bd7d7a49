//! An asset's software as stored: one JSON list per asset (`software_lists`), each product an
//! array of its fields in a fixed order. One row per asset instead of one per product is what
//! lets an import write at the rate the benchmark asks (BENCHMARKS.md).

use crate::StoreError;
use crate::model::SoftwareRecord;
use hygeia_domain::assets::identity::IdentityKind;
use hygeia_domain::assets::version::Scheme;
use serde::{Deserialize, Serialize};
use std::borrow::Cow;

fn corrupt(field: &str, value: &str) -> StoreError {
    StoreError::Corrupt(format!("software_lists.software: unknown {field} '{value}'"))
}

fn id_kind(text: &str) -> Result<IdentityKind, StoreError> {
    [IdentityKind::Cpe, IdentityKind::Purl, IdentityKind::Name]
        .into_iter()
        .find(|k| k.as_str() == text)
        .ok_or_else(|| corrupt("id_kind", text))
}

const SCHEMES: [Scheme; 6] = [
    Scheme::Semver,
    Scheme::Dotted,
    Scheme::Debian,
    Scheme::Rpm,
    Scheme::WindowsBuild,
    Scheme::Generic,
];

/// How a version scheme is written in a stored list.
pub(crate) fn scheme_code(s: Scheme) -> &'static str {
    match s {
        Scheme::Semver => "semver",
        Scheme::Dotted => "dotted",
        Scheme::Debian => "debian",
        Scheme::Rpm => "rpm",
        Scheme::WindowsBuild => "windows_build",
        Scheme::Generic => "generic",
    }
}

fn scheme_of(text: &str) -> Result<Scheme, StoreError> {
    SCHEMES
        .into_iter()
        .find(|s| scheme_code(*s) == text)
        .ok_or_else(|| corrupt("scheme", text))
}

/// One product in the list: [is_os, identity, given_version, id_kind, product_key, version,
/// scheme, product_id, cycle]. `is_os` is 0 or 1 so SQL can write the same shape.
#[derive(Serialize)]
struct Packed<'a>(
    u8,
    &'a str,
    Option<&'a str>,
    &'a str,
    &'a str,
    Option<&'a str>,
    &'a str,
    Option<&'a str>,
    Option<&'a str>,
);

#[derive(Deserialize)]
struct Unpacked(
    u8,
    String,
    Option<String>,
    String,
    String,
    Option<String>,
    String,
    Option<String>,
    Option<String>,
);

/// The list to store for these records.
pub(crate) fn pack(software: &[SoftwareRecord]) -> String {
    let packed: Vec<Packed<'_>> = software
        .iter()
        .map(|s| {
            Packed(
                u8::from(s.is_os),
                &s.identity,
                s.given_version.as_deref(),
                s.kind.as_str(),
                &s.product_key,
                s.version.as_deref(),
                scheme_code(s.scheme),
                s.product_id.as_deref(),
                s.cycle.as_deref(),
            )
        })
        .collect();
    serde_json::to_string(&packed).unwrap_or_else(|_| "[]".into())
}

/// The records of a stored list, in the order they were given.
pub(crate) fn unpack(text: &str) -> Result<Vec<SoftwareRecord>, StoreError> {
    let rows: Vec<Unpacked> =
        serde_json::from_str(text).map_err(|e| StoreError::Corrupt(format!("software_lists.software: {e}")))?;
    rows.into_iter()
        .map(
            |Unpacked(is_os, identity, given_version, kind, product_key, version, scheme, product_id, cycle)| {
                Ok(SoftwareRecord {
                    is_os: is_os != 0,
                    identity,
                    given_version,
                    kind: id_kind(&kind)?,
                    product_key,
                    version,
                    scheme: scheme_of(&scheme)?,
                    product_id,
                    cycle,
                })
            },
        )
        .collect()
}

/// One stored product as matching reads it, borrowed from the list's text where it can be
/// (alert matching looks at hundreds of thousands and keeps few).
#[derive(Deserialize)]
pub(crate) struct RecordRef<'a>(
    serde::de::IgnoredAny,
    serde::de::IgnoredAny,
    serde::de::IgnoredAny,
    #[serde(borrow)] pub(crate) Cow<'a, str>,
    #[serde(borrow)] pub(crate) Cow<'a, str>,
    #[serde(borrow)] pub(crate) Option<Cow<'a, str>>,
    #[serde(borrow)] pub(crate) Cow<'a, str>,
    #[serde(borrow)] pub(crate) Option<Cow<'a, str>>,
    #[serde(borrow)] pub(crate) Option<Cow<'a, str>>,
);

impl RecordRef<'_> {
    pub(crate) fn kind(&self) -> Result<IdentityKind, StoreError> {
        id_kind(&self.3)
    }

    pub(crate) fn product_key(&self) -> &str {
        &self.4
    }

    pub(crate) fn version(&self) -> Option<&str> {
        self.5.as_deref()
    }

    pub(crate) fn scheme(&self) -> Result<Scheme, StoreError> {
        scheme_of(&self.6)
    }

    pub(crate) fn product_id(&self) -> Option<&str> {
        self.7.as_deref()
    }

    pub(crate) fn cycle(&self) -> Option<&str> {
        self.8.as_deref()
    }
}

/// The products of a stored list as matching reads them, without copying their text.
pub(crate) fn unpack_refs(text: &str) -> Result<Vec<RecordRef<'_>>, StoreError> {
    serde_json::from_str(text).map_err(|e| StoreError::Corrupt(format!("software_lists.software: {e}")))
}

/// How many of the records the dictionary has not placed (the lists re-placement visits).
pub(crate) fn unplaced(software: &[SoftwareRecord]) -> i64 {
    i64::try_from(software.iter().filter(|s| s.product_id.is_none()).count()).unwrap_or(i64::MAX)
}

/// Whether a stored list may mention one of these texts, decided without reading it: `None`
/// when some text could be written escaped in JSON (then every list must be read). SQLite,
/// PostgreSQL and serde_json write other characters as they are, so a plain text that is in
/// a list appears in it verbatim.
pub(crate) fn plain_needles<'a>(texts: impl IntoIterator<Item = &'a str>) -> Option<Vec<&'a str>> {
    texts
        .into_iter()
        .map(|t| (!t.is_empty() && !t.chars().any(|c| c == '"' || c == '\\' || c.is_control())).then_some(t))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn record(identity: &str, product: Option<&str>) -> SoftwareRecord {
        SoftwareRecord {
            is_os: product.is_some(),
            identity: identity.into(),
            given_version: None,
            kind: IdentityKind::Name,
            product_key: format!("name::{identity}"),
            version: Some("1.2".into()),
            scheme: Scheme::Dotted,
            product_id: product.map(str::to_owned),
            cycle: product.map(|_| "1".into()),
        }
    }

    #[test]
    fn a_list_reads_back_as_written() {
        let list = vec![record("Tab\there \"quoted\" \\ ü", Some("p")), record("plain", None)];
        let text = pack(&list);
        assert_eq!(unpack(&text).unwrap(), list);
        let refs = unpack_refs(&text).unwrap();
        assert_eq!(refs[0].product_key(), "name::Tab\there \"quoted\" \\ ü");
        assert_eq!(
            (refs[0].product_id(), refs[0].cycle(), refs[1].version()),
            (Some("p"), Some("1"), Some("1.2"))
        );
        assert_eq!(
            (refs[1].kind().unwrap(), refs[1].scheme().unwrap()),
            (IdentityKind::Name, Scheme::Dotted)
        );
        assert_eq!(unplaced(&list), 1);
        assert_eq!(unpack(&pack(&[])).unwrap(), Vec::<SoftwareRecord>::new());
    }

    #[test]
    fn a_list_written_by_sql_reads_too() {
        // PostgreSQL's json_agg spaces its items; the migration and the benchmark write so.
        let text = r#"[[1, "Windows 10", null, "name", "name::windows_10", null, "windows_build", "windows", "10"]]"#;
        let read = unpack(text).unwrap();
        assert!(read[0].is_os);
        assert_eq!(read[0].cycle.as_deref(), Some("10"));
        assert!(unpack("[[2]]").is_err());
        assert!(unpack(r#"[[0,"a",null,"nonsense","k",null,"dotted",null,null]]"#).is_err());
    }

    #[test]
    fn only_plain_texts_are_looked_for_verbatim() {
        assert_eq!(plain_needles(["cpe:a:b", "ü"]), Some(vec!["cpe:a:b", "ü"]));
        assert_eq!(plain_needles(["a\"b"]), None);
        assert_eq!(plain_needles(["a\\b"]), None);
        assert_eq!(plain_needles([""]), None);
        let text = pack(&[record("x", Some("windows"))]);
        assert!(text.contains("name::x") && text.contains("windows"));
    }
}
