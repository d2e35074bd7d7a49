//! The asset register as CSV. One row per asset; the columns are documented in
//! `docs/assets-csv.md`. Headers are matched case- and punctuation-insensitively against each
//! column's name and common alternatives ("Asset Tag", "Operating System"), and a caller may
//! map any other header to a column. Every error names its line and column.

use super::asset::{AssetInput, AssetKind, Criticality, SoftwareInput};
use super::identity::normalise;
use crate::assessments::oscal::ImportError;
use std::collections::HashMap;

/// The columns, each with the headers that mean it.
pub const COLUMNS: &[(&str, &[&str])] = &[
    (
        "key",
        &[
            "key",
            "asset_tag",
            "asset_id",
            "asset_number",
            "id",
            "serial_number",
            "serial",
            "tag",
        ],
    ),
    (
        "name",
        &["name", "asset_name", "device_name", "computer_name", "display_name"],
    ),
    (
        "kind",
        &["kind", "type", "asset_type", "category", "device_type", "class"],
    ),
    ("hostname", &["hostname", "host_name", "fqdn", "dns_name", "host"]),
    (
        "addresses",
        &[
            "addresses",
            "address",
            "ip",
            "ip_address",
            "ip_addresses",
            "ips",
            "mac_address",
        ],
    ),
    (
        "owner",
        &["owner", "asset_owner", "information_asset_owner", "iao", "responsible"],
    ),
    ("location", &["location", "site", "building", "ward", "room"]),
    (
        "criticality",
        &["criticality", "business_criticality", "priority", "importance"],
    ),
    (
        "essential_services",
        &["essential_services", "services", "essential_service", "supports"],
    ),
    (
        "internet_facing",
        &["internet_facing", "internet", "public", "exposed", "externally_facing"],
    ),
    ("manufacturer", &["manufacturer", "make", "vendor"]),
    ("model", &["model", "model_number"]),
    ("patchable", &["patchable", "can_be_patched", "patching_possible"]),
    ("esu", &["esu", "esu_enrolled", "extended_security_updates"]),
    ("os", &["os", "operating_system", "os_name", "platform"]),
    (
        "os_version",
        &["os_version", "operating_system_version", "build", "os_build"],
    ),
    (
        "software",
        &["software", "installed_software", "applications", "products"],
    ),
];

/// Assets read from a CSV file, and the headers that matched no column.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CsvAssets {
    pub assets: Vec<AssetInput>,
    pub ignored_headers: Vec<String>,
}

/// Reads the register. `mapping` maps a header as written in the file to a column name;
/// those win over the built-in alternatives.
pub fn read(text: &str, mapping: &HashMap<String, String>) -> Result<CsvAssets, ImportError> {
    let body = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut reader = csv::ReaderBuilder::new()
        .flexible(false)
        .trim(csv::Trim::All)
        .from_reader(body.as_bytes());
    let headers = reader.headers().map_err(|e| located(&e, "the header row"))?.clone();
    let mut column_of: HashMap<&str, usize> = HashMap::new();
    let mut ignored = Vec::new();
    for (i, h) in headers.iter().enumerate() {
        let column = mapping
            .iter()
            .find(|(from, _)| normalise(from) == normalise(h))
            .map(|(_, to)| normalise(to))
            .or_else(|| {
                COLUMNS
                    .iter()
                    .find(|(_, alts)| alts.contains(&normalise(h).as_str()))
                    .map(|(c, _)| (*c).to_owned())
            });
        match column.and_then(|c| COLUMNS.iter().find(|(name, _)| *name == c).map(|(name, _)| *name)) {
            Some(c) => {
                if column_of.insert(c, i).is_some() {
                    return Err(ImportError {
                        location: format!("line 1, column {}", i + 1),
                        message: format!("a second column for `{c}` (header `{h}`)"),
                    });
                }
            }
            None => ignored.push(h.to_owned()),
        }
    }
    for (from, to) in mapping {
        if !COLUMNS.iter().any(|(c, _)| *c == normalise(to)) {
            return Err(ImportError {
                location: "mapping".into(),
                message: format!("`{from}` is mapped to `{to}`, which is not a column"),
            });
        }
    }
    if !column_of.contains_key("name") && !column_of.contains_key("hostname") && !column_of.contains_key("key") {
        return Err(ImportError {
            location: "line 1".into(),
            message: "no `key`, `name` or `hostname` column: the rows cannot be told apart".into(),
        });
    }
    if !column_of.contains_key("kind") {
        return Err(ImportError { location: "line 1".into(), message: "no `kind` column (server, end_user_device, network_device, medical_device, iot, cloud_service, application)".into() });
    }
    let mut assets = Vec::new();
    let mut seen: HashMap<String, u64> = HashMap::new();
    let mut readable = std::collections::HashSet::new();
    for record in reader.records() {
        let record = record.map_err(|e| located(&e, "a row"))?;
        let line = record.position().map_or(0, |p| p.line());
        if record.iter().all(str::is_empty) {
            continue;
        }
        let cell = |c: &str| {
            column_of
                .get(c)
                .and_then(|i| record.get(*i))
                .map(str::trim)
                .filter(|v| !v.is_empty())
        };
        let at = |c: &str| format!("line {line}, column {c}");
        let asset = row(&cell).map_err(|(c, message)| ImportError {
            location: at(c),
            message,
        })?;
        asset.check_remembering(&mut readable).map_err(|e| {
            let first = e.0.into_iter().next();
            ImportError {
                location: at(first
                    .as_ref()
                    .map_or("?", |f| f.field.as_str())
                    .split('/')
                    .next()
                    .unwrap_or("?")),
                message: first.map_or_else(String::new, |f| f.message),
            }
        })?;
        if let Some(before) = seen.insert(asset.key.clone(), line) {
            return Err(ImportError {
                location: at("key"),
                message: format!("`{}` is also the key on line {before}", asset.key),
            });
        }
        assets.push(asset);
    }
    Ok(CsvAssets {
        assets,
        ignored_headers: ignored,
    })
}

fn located(e: &csv::Error, what: &str) -> ImportError {
    let location = e
        .position()
        .map_or_else(|| "line 1".to_owned(), |p| format!("line {}", p.line()));
    let message = match e.kind() {
        csv::ErrorKind::UnequalLengths { expected_len, len, .. } => {
            format!("{what} has {len} fields where the header has {expected_len}")
        }
        csv::ErrorKind::Utf8 { .. } => format!("{what} is not UTF-8 text"),
        _ => format!("{what} cannot be read: {e}"),
    };
    ImportError { location, message }
}

fn yes_no(text: &str) -> Option<bool> {
    match text.to_ascii_lowercase().as_str() {
        "yes" | "y" | "true" | "1" | "x" => Some(true),
        "no" | "n" | "false" | "0" | "" => Some(false),
        _ => None,
    }
}

fn list(text: Option<&str>) -> Vec<String> {
    text.map(|t| {
        t.split([';', '\n'])
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(str::to_owned)
            .collect()
    })
    .unwrap_or_default()
}

/// One row into an asset, or the column and what is wrong with it.
fn row<'a>(cell: &dyn Fn(&str) -> Option<&'a str>) -> Result<AssetInput, (&'static str, String)> {
    let kind_text = cell("kind").ok_or(("kind", "is empty".to_owned()))?;
    let kind = AssetKind::parse(kind_text).ok_or_else(|| {
        let all: Vec<&str> = AssetKind::ALL.iter().map(|k| k.as_str()).collect();
        (
            "kind",
            format!("`{kind_text}` is not a kind of asset (one of {})", all.join(", ")),
        )
    })?;
    let criticality = match cell("criticality") {
        None => Criticality::Medium,
        Some(c) => {
            Criticality::parse(c).ok_or(("criticality", format!("`{c}` is not low, medium, high or critical")))?
        }
    };
    let flag = |c: &'static str| -> Result<Option<bool>, (&'static str, String)> {
        cell(c)
            .map(|v| yes_no(v).ok_or((c, format!("`{v}` is not yes or no"))))
            .transpose()
    };
    let hostname = cell("hostname").map(str::to_owned);
    let name = cell("name")
        .map(str::to_owned)
        .or_else(|| hostname.clone())
        .or_else(|| cell("key").map(str::to_owned));
    let key = cell("key")
        .map(str::to_owned)
        .or_else(|| hostname.clone())
        .or_else(|| name.clone());
    let os = cell("os").map(|o| SoftwareInput::new(o, cell("os_version")));
    let software = list(cell("software"))
        .iter()
        .map(|s| SoftwareInput::from_line(s))
        .collect();
    Ok(AssetInput {
        key: key.unwrap_or_default(),
        name: name.unwrap_or_default(),
        kind,
        hostname,
        addresses: list(cell("addresses")),
        owner: cell("owner").map(str::to_owned),
        location: cell("location").map(str::to_owned),
        criticality,
        essential_services: list(cell("essential_services")),
        internet_facing: flag("internet_facing")?.unwrap_or(false),
        manufacturer: cell("manufacturer").map(str::to_owned),
        model: cell("model").map(str::to_owned),
        patchable: flag("patchable")?,
        esu_enrolled: flag("esu")?.unwrap_or(false),
        os,
        software,
    })
}

/// The register as CSV, in the documented columns, so an export imports back unchanged.
pub fn write(assets: &[AssetInput]) -> String {
    let mut w = csv::Writer::from_writer(Vec::new());
    let _ = w.write_record(COLUMNS.iter().map(|(c, _)| *c));
    let yn = |b: bool| if b { "yes" } else { "no" };
    for a in assets {
        let software: Vec<String> = a
            .software
            .iter()
            .map(|s| match &s.version {
                Some(v) => format!("{}=={v}", s.identity),
                None => s.identity.clone(),
            })
            .collect();
        let _ = w.write_record([
            a.key.as_str(),
            &a.name,
            a.kind.as_str(),
            a.hostname.as_deref().unwrap_or(""),
            &a.addresses.join("; "),
            a.owner.as_deref().unwrap_or(""),
            a.location.as_deref().unwrap_or(""),
            a.criticality.as_str(),
            &a.essential_services.join("; "),
            yn(a.internet_facing),
            a.manufacturer.as_deref().unwrap_or(""),
            a.model.as_deref().unwrap_or(""),
            a.patchable.map_or("", yn),
            yn(a.esu_enrolled),
            a.os.as_ref().map_or("", |o| o.identity.as_str()),
            a.os.as_ref().and_then(|o| o.version.as_deref()).unwrap_or(""),
            &software.join("; "),
        ]);
    }
    String::from_utf8(w.into_inner().unwrap_or_default()).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    const FILE: &str = "Asset Tag,Device Name,Type,IP Address,Criticality,Internet facing,Operating System,OS Version,Software,Ward\n\
        NHS-001,ward-pc-1,Desktop,10.0.0.1,high,no,Windows 10 Enterprise,10.0.19045,pkg:npm/lodash@4.17.20; Acme PACS==2.1,Ward 7\n\
        NHS-002,pacs-01,server,10.0.0.2;10.0.0.3,critical,yes,cpe:2.3:o:microsoft:windows_server_2012:r2:*:*:*:*:*:*:*,,,\n";

    #[test]
    fn headers_are_recognised_and_rows_become_assets() {
        let out = read(FILE, &HashMap::new());
        let out = out.as_ref().ok();
        let assets = out.map(|o| o.assets.clone()).unwrap_or_default();
        assert_eq!(assets.len(), 2);
        assert_eq!(assets[0].key, "NHS-001");
        assert_eq!(assets[0].kind, AssetKind::EndUserDevice);
        assert_eq!(assets[0].software.len(), 2);
        assert_eq!(assets[0].software[1].version.as_deref(), Some("2.1"));
        assert_eq!(assets[0].location.as_deref(), Some("Ward 7"));
        assert_eq!(assets[1].addresses, vec!["10.0.0.2", "10.0.0.3"]);
        assert!(assets[1].internet_facing);
        assert_eq!(out.map(|o| o.ignored_headers.len()), Some(0));
        let again = read(&write(&assets), &HashMap::new()).map(|o| o.assets).ok();
        assert_eq!(again, Some(assets));
    }

    #[test]
    fn a_mapping_names_other_headers() {
        let text = "Kit,Flavour\nabc,server\n";
        let map: HashMap<String, String> = [
            ("Kit".to_owned(), "key".to_owned()),
            ("Flavour".to_owned(), "kind".to_owned()),
        ]
        .into();
        assert_eq!(read(text, &map).map(|o| o.assets.len()).ok(), Some(1));
        let bad: HashMap<String, String> = [("Kit".to_owned(), "colour".to_owned())].into();
        assert_eq!(read(text, &bad).err().map(|e| e.location), Some("mapping".into()));
    }

    #[test]
    fn errors_name_line_and_column() {
        let at = |text: &str| {
            read(text, &HashMap::new())
                .err()
                .map(|e| format!("{}: {}", e.location, e.message))
                .unwrap_or_default()
        };
        assert!(
            at("name,kind\na,server\nb,toaster\n").starts_with("line 3, column kind: `toaster`"),
            "{}",
            at("name,kind\na,server\nb,toaster\n")
        );
        assert!(at("name,kind,criticality\na,server,urgent\n").starts_with("line 2, column criticality"));
        assert!(at("name,kind\na,server\na,server\n").contains("also the key on line 2"));
        assert!(at("name,kind\na,server,extra\n").starts_with("line 2: a row has 3 fields"));
        assert!(at("name\na\n").starts_with("line 1: no `kind` column"));
        assert!(at("name,kind,software\na,server,pkg:npm\n").starts_with("line 2, column software"));
        assert!(at("name,kind,internet facing\na,server,perhaps\n").starts_with("line 2, column internet_facing"));
    }
}
