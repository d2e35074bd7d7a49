//! Reads endoflife.date's two public formats into lifecycle products, for the offline update:
//! a product page (`products/NAME.md`, YAML front matter with the release cycles, their dates
//! and the product's CPE and PURL identifiers) and a release-data file (`releases/NAME.json`,
//! cycles keyed by name). Dates may be `true`/`false` instead of a date: `false` means no end
//! is set, `true` that it has ended on a date not given.

use super::lifecycle::{Product, Release};
use super::version::Scheme;
use crate::assessments::oscal::{ImportError, read_located};
use jiff::civil::Date;
use serde::Deserialize;
use std::collections::BTreeMap;

#[derive(Deserialize)]
#[serde(untagged)]
enum When {
    Flag(bool),
    Day(String),
}

#[derive(Deserialize)]
#[serde(untagged)]
enum Scalar {
    Text(String),
    Int(i64),
    Float(f64),
}

impl Scalar {
    fn text(&self) -> String {
        match self {
            Scalar::Text(s) => s.clone(),
            Scalar::Int(i) => i.to_string(),
            Scalar::Float(f) => f.to_string(),
        }
    }
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Page {
    title: String,
    #[serde(default)]
    permalink: Option<String>,
    #[serde(default)]
    release_label: Option<String>,
    #[serde(default)]
    identifiers: Vec<BTreeMap<String, String>>,
    releases: Vec<PageRelease>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct PageRelease {
    release_cycle: Scalar,
    #[serde(default)]
    release_label: Option<String>,
    #[serde(default)]
    release_date: Option<When>,
    #[serde(default)]
    eoas: Option<When>,
    #[serde(default)]
    eol: Option<When>,
    #[serde(default)]
    eoes: Option<When>,
    #[serde(default)]
    latest: Option<Scalar>,
}

/// What one date field says, or why it cannot be read.
fn day(when: Option<&When>, field: &str, at: &str) -> Result<(Option<Date>, bool), ImportError> {
    match when {
        None | Some(When::Flag(false)) => Ok((None, false)),
        Some(When::Flag(true)) => Ok((None, true)),
        Some(When::Day(s)) => s
            .trim()
            .parse::<Date>()
            .map(|d| (Some(d), false))
            .map_err(|_| ImportError {
                location: format!("{at}/{field}"),
                message: format!("`{s}` is not a date (YYYY-MM-DD) or true/false"),
            }),
    }
}

/// A product page. `id` is used when the page has no permalink (the file's stem).
pub fn parse_product_page(text: &str, id: &str) -> Result<Product, ImportError> {
    let body = text.trim_start_matches('\u{feff}');
    let front = body
        .strip_prefix("---")
        .and_then(|rest| rest.split_once("\n---").map(|(yaml, _)| yaml))
        .ok_or_else(|| ImportError {
            location: "line 1".into(),
            message: "not an endoflife.date product page: no YAML front matter between --- lines".into(),
        })?;
    let de = serde_norway::Deserializer::from_str(front);
    let page: Page = serde_path_to_error::deserialize(de).map_err(|e| {
        let location = match e.inner().location() {
            Some(l) if e.path().iter().next().is_none() => format!("line {}, column {}", l.line(), l.column()),
            _ => crate::assessments::oscal::pointer(e.path()),
        };
        ImportError {
            location,
            message: e.inner().to_string(),
        }
    })?;
    let id = page
        .permalink
        .as_deref()
        .map(|p| p.trim_matches('/').to_owned())
        .filter(|p| !p.is_empty())
        .unwrap_or_else(|| id.to_owned());
    let mut cpe = Vec::new();
    let mut purl = Vec::new();
    for ident in &page.identifiers {
        if let Some(c) = ident.get("cpe")
            && let Ok(i) = super::identity::parse_cpe(c)
        {
            let pair = format!("{}:{}", i.vendor, i.product);
            if !cpe.contains(&pair) {
                cpe.push(pair);
            }
        }
        if let Some(p) = ident.get("purl")
            && let Ok(i) = super::identity::parse_purl(p)
        {
            let key = if i.vendor.is_empty() {
                format!("{}/{}", i.part, i.product)
            } else {
                format!("{}/{}/{}", i.part, i.vendor, i.product)
            };
            purl.push(key);
        }
    }
    let mut releases = Vec::new();
    for (n, r) in page.releases.iter().enumerate() {
        let at = format!("/releases/{n}");
        let cycle = r.release_cycle.text();
        let label = r
            .release_label
            .as_deref()
            .or(page.release_label.as_deref())
            .map(|l| strip_tags(&l.replace("__RELEASE_CYCLE__", &cycle)));
        let (released, _) = day(r.release_date.as_ref(), "releaseDate", &at)?;
        let (active_support_end, _) = day(r.eoas.as_ref(), "eoas", &at)?;
        let (security_end, ended) = day(r.eol.as_ref(), "eol", &at)?;
        let (esu_end, _) = day(r.eoes.as_ref(), "eoes", &at)?;
        let builds = if id.starts_with("windows") {
            r.latest.iter().map(Scalar::text).collect()
        } else {
            Vec::new()
        };
        releases.push(Release {
            cycle,
            label,
            released,
            active_support_end,
            security_end,
            ended,
            esu_end,
            builds,
            names: Vec::new(),
        });
    }
    if releases.is_empty() {
        return Err(ImportError {
            location: "/releases".into(),
            message: "the page lists no release cycles".into(),
        });
    }
    Ok(Product {
        id,
        name: page.title.clone(),
        vendor: String::new(),
        scheme: Scheme::Dotted,
        source: String::new(),
        cpe,
        purl,
        names: vec![page.title],
        releases,
    })
}

fn strip_tags(text: &str) -> String {
    let mut out = String::new();
    let mut inside = false;
    for c in text.chars() {
        match c {
            '<' => inside = true,
            '>' => inside = false,
            c if !inside => out.push(c),
            _ => {}
        }
    }
    out.trim().to_owned()
}

#[derive(Deserialize)]
struct ReleaseData {
    releases: BTreeMap<String, DataRelease>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct DataRelease {
    #[serde(default)]
    release_date: Option<When>,
    #[serde(default)]
    eoas: Option<When>,
    #[serde(default)]
    eol: Option<When>,
    #[serde(default)]
    eoes: Option<When>,
}

/// A release-data file: the cycles with their dates, for the product `id`.
pub fn parse_release_data(text: &str, id: &str, name: &str) -> Result<Product, ImportError> {
    let data: ReleaseData = read_located(text, |_, m| m)?;
    let mut releases = Vec::new();
    for (cycle, r) in &data.releases {
        let at = format!("/releases/{}", cycle.replace('~', "~0").replace('/', "~1"));
        let (released, _) = day(r.release_date.as_ref(), "releaseDate", &at)?;
        let (active_support_end, _) = day(r.eoas.as_ref(), "eoas", &at)?;
        let (security_end, ended) = day(r.eol.as_ref(), "eol", &at)?;
        let (esu_end, _) = day(r.eoes.as_ref(), "eoes", &at)?;
        releases.push(Release {
            cycle: cycle.clone(),
            label: None,
            released,
            active_support_end,
            security_end,
            ended,
            esu_end,
            builds: Vec::new(),
            names: Vec::new(),
        });
    }
    // Some release-data files list versions only, no cycles: they read and change nothing.
    Ok(Product {
        id: id.to_owned(),
        name: name.to_owned(),
        vendor: String::new(),
        scheme: Scheme::Dotted,
        source: String::new(),
        cpe: Vec::new(),
        purl: Vec::new(),
        names: Vec::new(),
        releases,
    })
}

/// Lays `update` over `base`: dates of cycles both have come from the update, cycles only the
/// update has are added, and what the update cannot know (builds, other names, aliases, the
/// version scheme) is kept from the base.
pub fn merge(base: &Product, update: &Product) -> Product {
    let mut out = base.clone();
    for r in &update.releases {
        match out.releases.iter_mut().find(|b| b.cycle == r.cycle) {
            Some(b) => {
                b.released = r.released.or(b.released);
                b.active_support_end = r.active_support_end.or(b.active_support_end);
                b.security_end = r.security_end.or(b.security_end);
                b.ended = r.ended || (b.ended && r.security_end.is_none());
                b.esu_end = r.esu_end.or(b.esu_end);
                if b.label.is_none() {
                    b.label.clone_from(&r.label);
                }
            }
            None => out.releases.push(r.clone()),
        }
    }
    for c in &update.cpe {
        if !out.cpe.contains(c) {
            out.cpe.push(c.clone());
        }
    }
    for p in &update.purl {
        if !out.purl.contains(p) {
            out.purl.push(p.clone());
        }
    }
    if !update.source.is_empty() {
        out.source = format!("{}; updated from {}", base.source, update.source);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    const PAGE: &str = "---\ntitle: Example OS\npermalink: /example\nidentifiers:\n  - cpe: cpe:2.3:o:example:os\n  - purl: pkg:generic/example\nreleases:\n  - releaseCycle: \"2\"\n    releaseDate: 2024-01-01\n    eol: false\n  - releaseCycle: 1.5\n    releaseDate: 2020-01-01\n    eoas: 2022-01-01\n    eol: 2023-06-30\n    eoes: 2026-06-30\n  - releaseCycle: \"1\"\n    eol: true\n---\n\n> prose\n";

    #[test]
    fn a_product_page_gives_cycles_dates_and_identifiers() {
        let p = parse_product_page(PAGE, "file-stem");
        let p = p.as_ref().ok();
        assert_eq!(p.map(|p| p.id.as_str()), Some("example"));
        assert_eq!(p.map(|p| p.cpe.clone()), Some(vec!["example:os".to_owned()]));
        assert_eq!(p.map(|p| p.purl.clone()), Some(vec!["generic/example".to_owned()]));
        let r = p.map(|p| p.releases.clone()).unwrap_or_default();
        assert_eq!(r.len(), 3);
        assert_eq!(r[0].security_end, None);
        assert!(!r[0].ended);
        assert_eq!(r[1].cycle, "1.5");
        assert_eq!(r[1].esu_end, "2026-06-30".parse().ok());
        assert!(r[2].ended);
    }

    #[test]
    fn bad_pages_say_where() {
        let e = parse_product_page("title: x", "x").err().map(|e| e.location);
        assert_eq!(e.as_deref(), Some("line 1"));
        let bad_date = PAGE.replace("eol: 2023-06-30", "eol: 30/06/2023");
        let e = parse_product_page(&bad_date, "x").err().map(|e| e.location);
        assert_eq!(e.as_deref(), Some("/releases/1/eol"));
        let e = parse_release_data("{\"releases\": {\"9\": {\"eol\": \"soon\"}}}", "x", "X")
            .err()
            .map(|e| e.location);
        assert_eq!(e.as_deref(), Some("/releases/9/eol"));
        let e = parse_release_data("{\"releases\": [", "x", "X")
            .err()
            .map(|e| e.location);
        assert_eq!(e.as_deref(), Some("/releases"));
        let e = parse_release_data("{\"releases\": {", "x", "X")
            .err()
            .map(|e| e.location);
        assert_eq!(e.as_deref(), Some("line 1, column 14"));
    }

    #[test]
    fn an_update_changes_dates_and_keeps_what_it_cannot_know() {
        let base = super::super::lifecycle::builtin()
            .products
            .into_iter()
            .find(|p| p.id == "windows-server");
        let Some(base) = base else { return };
        let data = "{\"releases\": {\"2012-r2\": {\"eol\": \"2023-10-10\", \"eoes\": \"2027-01-01\"}, \"2031\": {\"eol\": false}}}";
        let update = parse_release_data(data, "windows-server", "Windows Server").ok();
        let merged = update.map(|u| merge(&base, &u));
        let r = merged
            .as_ref()
            .and_then(|m| m.releases.iter().find(|r| r.cycle == "2012-r2"));
        assert_eq!(r.and_then(|r| r.esu_end), "2027-01-01".parse().ok());
        assert_eq!(r.map(|r| r.builds.clone()), Some(vec!["6.3".to_owned()]));
        assert!(merged.is_some_and(|m| m.releases.iter().any(|r| r.cycle == "2031")));
    }
}
