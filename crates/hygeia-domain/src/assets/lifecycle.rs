//! The lifecycle catalogue and the support status it gives a product.
//!
//! Each release (a product's cycle: Windows Server 2012 R2, RHEL 8, PostgreSQL 13) has up to
//! three ends: active support (new features and non-security fixes), security support (the
//! vendor's own security updates) and paid extended security updates (ESU, ELS, ESM). A
//! release past its security support is unsupported even when no vulnerability is known in it:
//! nobody is looking for them any more. Only an organisation that has bought the extended
//! updates is in extended support, and only until they end.

use super::version::Scheme;
use jiff::civil::Date;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct Catalogue {
    #[serde(default)]
    pub about: String,
    pub products: Vec<Product>,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct Product {
    /// endoflife.date's product name where it has one (`windows-server`, `rhel`).
    pub id: String,
    pub name: String,
    #[serde(default)]
    pub vendor: String,
    pub scheme: Scheme,
    /// Where the dates come from.
    pub source: String,
    /// `vendor:product` CPE pairs naming this product; a pair also names products whose CPE
    /// product begins with it and a `_` (`windows_server_2012` is Windows Server 2012).
    #[serde(default)]
    pub cpe: Vec<String>,
    /// `type/namespace/name` of package URLs naming this product.
    #[serde(default)]
    pub purl: Vec<String>,
    /// Free-text names, most specific first is not required: the longest match wins.
    #[serde(default)]
    pub names: Vec<String>,
    pub releases: Vec<Release>,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct Release {
    pub cycle: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub label: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub released: Option<Date>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub active_support_end: Option<Date>,
    /// None while the vendor still gives security updates and has set no end.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub security_end: Option<Date>,
    /// Security support has ended, on a date the source does not give.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub ended: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub esu_end: Option<Date>,
    /// Version or build prefixes that identify this release (`6.3` is Windows 8.1 and
    /// Server 2012 R2, `10.0.20348` Server 2022).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub builds: Vec<String>,
    /// Other names of the release in free text (`2003 r2`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub names: Vec<String>,
}

impl Release {
    pub fn label(&self, product: &Product) -> String {
        self.label
            .clone()
            .unwrap_or_else(|| format!("{} {}", product.name, self.cycle))
    }
}

/// The built-in catalogue, parsed once per call: callers keep it (it is a few hundred rows).
pub fn builtin() -> Catalogue {
    serde_json::from_str(include_str!("../../data/lifecycle.json")).unwrap_or(Catalogue {
        about: String::new(),
        products: Vec::new(),
    })
}

/// Where a product or software record stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, PartialOrd, Ord)]
#[serde(rename_all = "snake_case")]
pub enum Support {
    /// Past security support and not covered by extended updates: the worst first.
    Unsupported,
    /// Past security support, covered by paid extended updates until they end.
    ExtendedSupport,
    /// Security support ends within the warning window.
    EndingSoon,
    Supported,
    /// The product or its release could not be identified.
    Unknown,
}

impl Support {
    pub fn as_str(self) -> &'static str {
        match self {
            Support::Unsupported => "unsupported",
            Support::ExtendedSupport => "extended_support",
            Support::EndingSoon => "ending_soon",
            Support::Supported => "supported",
            Support::Unknown => "unknown",
        }
    }

    pub fn parse(text: &str) -> Option<Support> {
        [
            Support::Unsupported,
            Support::ExtendedSupport,
            Support::EndingSoon,
            Support::Supported,
            Support::Unknown,
        ]
        .into_iter()
        .find(|s| s.as_str() == text)
    }

    pub fn label(self) -> &'static str {
        match self {
            Support::Unsupported => "Unsupported",
            Support::ExtendedSupport => "Unsupported, in paid extended support",
            Support::EndingSoon => "Support ending soon",
            Support::Supported => "Supported",
            Support::Unknown => "Unknown",
        }
    }

    /// Whether this belongs in the unsupported systems report (DSPT standard 8).
    pub fn is_unsupported(self) -> bool {
        matches!(self, Support::Unsupported | Support::ExtendedSupport)
    }
}

/// The status of a release on `today`: `esu_enrolled` says whether the organisation has
/// bought extended updates for this item; `warn_days` is the "ending soon" window.
pub fn support(release: &Release, today: Date, esu_enrolled: bool, warn_days: i32) -> Support {
    let security_over = release.ended || release.security_end.is_some_and(|end| today >= end);
    if security_over {
        return match release.esu_end {
            Some(esu) if esu_enrolled && today < esu => Support::ExtendedSupport,
            _ => Support::Unsupported,
        };
    }
    match release.security_end {
        Some(end) if days_between(today, end) <= i64::from(warn_days) => Support::EndingSoon,
        _ => Support::Supported,
    }
}

/// The date the item stops being covered: the ESU end when enrolled and still running,
/// otherwise the end of security support.
pub fn support_ends(release: &Release, today: Date, esu_enrolled: bool) -> Option<Date> {
    match (release.security_end, release.esu_end) {
        (Some(end), Some(esu)) if esu_enrolled && today >= end => Some(esu),
        (end, _) => end,
    }
}

fn days_between(from: Date, to: Date) -> i64 {
    from.until(to)
        .map(|span| i64::from(span.get_days()))
        .unwrap_or(i64::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;
    use proptest::prelude::*;

    fn release(security: Option<Date>, esu: Option<Date>) -> Release {
        Release {
            cycle: "x".into(),
            label: None,
            released: None,
            active_support_end: None,
            security_end: security,
            ended: false,
            esu_end: esu,
            builds: vec![],
            names: vec![],
        }
    }

    #[test]
    fn server_2012_r2_is_unsupported_once_its_last_esu_year_ends() {
        let r = release(Some(date(2023, 10, 10)), Some(date(2026, 10, 13)));
        assert_eq!(support(&r, date(2026, 10, 12), true, 90), Support::ExtendedSupport);
        assert_eq!(support(&r, date(2026, 10, 12), false, 90), Support::Unsupported);
        assert_eq!(support(&r, date(2026, 10, 13), true, 90), Support::Unsupported);
        assert_eq!(support(&r, date(2023, 9, 1), false, 90), Support::EndingSoon);
        assert_eq!(support(&r, date(2023, 1, 1), false, 90), Support::Supported);
        assert_eq!(support_ends(&r, date(2025, 1, 1), true), Some(date(2026, 10, 13)));
        assert_eq!(support_ends(&r, date(2025, 1, 1), false), Some(date(2023, 10, 10)));
    }

    #[test]
    fn the_builtin_catalogue_reads_and_holds_the_reference_dates() {
        let c = builtin();
        assert!(c.products.len() >= 20, "{} products", c.products.len());
        let find = |p: &str, cycle: &str| {
            c.products
                .iter()
                .find(|x| x.id == p)
                .and_then(|x| x.releases.iter().find(|r| r.cycle == cycle))
                .cloned()
        };
        let s = find("windows-server", "2012-r2");
        assert_eq!(s.as_ref().and_then(|r| r.security_end), Some(date(2023, 10, 10)));
        assert_eq!(s.and_then(|r| r.esu_end), Some(date(2026, 10, 13)));
        assert_eq!(
            find("windows", "7").and_then(|r| r.security_end),
            Some(date(2020, 1, 14))
        );
        assert_eq!(
            find("windows", "xp").and_then(|r| r.security_end),
            Some(date(2014, 4, 8))
        );
        assert_eq!(
            find("mssqlserver", "2014").and_then(|r| r.esu_end),
            Some(date(2027, 7, 8))
        );
        for p in &c.products {
            assert!(!p.source.is_empty(), "{} has no source", p.id);
            assert!(!p.releases.is_empty(), "{} has no releases", p.id);
        }
    }

    proptest! {
        #[test]
        fn support_never_improves_as_time_passes(
            sec in 0i32..4000, esu_extra in proptest::option::of(0i32..2000), enrolled: bool,
            a in 0i32..6000, b in 0i32..6000, warn in 0i32..400
        ) {
            let base = date(2010, 1, 1);
            let day = |n: i32| base.checked_add(jiff::Span::new().days(n)).unwrap_or(base);
            let r = release(Some(day(sec)), esu_extra.map(|e| day(sec + e)));
            let (early, late) = (a.min(b), a.max(b));
            let rank = |s: Support| match s {
                Support::Supported => 3, Support::EndingSoon => 2, Support::ExtendedSupport => 1, _ => 0,
            };
            prop_assert!(rank(support(&r, day(late), enrolled, warn)) <= rank(support(&r, day(early), enrolled, warn)));
            // Past the last day anyone supports it, it is unsupported whatever was bought.
            let last = esu_extra.map_or(sec, |e| sec + e);
            if late >= last {
                prop_assert_eq!(support(&r, day(late), enrolled, warn), Support::Unsupported);
            }
        }
    }
}
