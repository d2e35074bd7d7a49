//! Version ordering per scheme, and version ranges.
//!
//! Vendors number releases in different ways, and comparing them as text gets "10.0" < "9.2"
//! wrong. Each scheme here follows its ecosystem's own rule: semantic versions (pre-releases
//! before the release, build metadata ignored), dotted numbers and Windows builds (numeric
//! fields), Debian (`epoch:upstream-revision`, `~` before anything) and RPM
//! (`epoch:version-release`, `~` before and `^` after). `Generic` compares runs of digits as
//! numbers and everything else as text, which orders most vendor schemes sensibly.

mod debian;
mod natural;
mod range;
mod rpm;
mod semver;

pub use range::{Bound, Op, Range};

use debian::debian;
use natural::natural;
use rpm::rpm;
use semver::semver;
use serde::{Deserialize, Serialize};
use std::cmp::Ordering;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Scheme {
    Semver,
    Dotted,
    Debian,
    Rpm,
    WindowsBuild,
    Generic,
}

impl Scheme {
    /// The scheme a package URL type implies (`pkg:deb/…` is Debian, `pkg:npm/…` semver).
    pub fn for_purl_type(kind: &str) -> Scheme {
        match kind {
            "deb" => Scheme::Debian,
            "rpm" => Scheme::Rpm,
            "npm" | "cargo" | "golang" | "nuget" | "composer" | "gem" => Scheme::Semver,
            "maven" | "pypi" => Scheme::Dotted,
            _ => Scheme::Generic,
        }
    }
}

/// Compares two versions under `scheme`. Total: any two strings compare.
pub fn compare(scheme: Scheme, a: &str, b: &str) -> Ordering {
    let (a, b) = (a.trim(), b.trim());
    match scheme {
        Scheme::Semver => semver(a, b),
        Scheme::Dotted | Scheme::WindowsBuild | Scheme::Generic => natural(a, b),
        Scheme::Debian => debian(a, b),
        Scheme::Rpm => rpm(a, b),
    }
}

/// Numbers of any length, compared without parsing (no overflow on 40-digit builds).
fn numeric(a: &str, b: &str) -> Ordering {
    let a = a.trim_start_matches('0');
    let b = b.trim_start_matches('0');
    a.len().cmp(&b.len()).then_with(|| a.cmp(b))
}

/// Splits `epoch:rest` where the epoch is all digits; no epoch is epoch 0.
fn epoch(v: &str) -> (&str, &str) {
    match v.split_once(':') {
        Some((e, rest)) if !e.is_empty() && e.bytes().all(|c| c.is_ascii_digit()) => (e, rest),
        _ => ("0", v),
    }
}

#[cfg(test)]
mod tests;
