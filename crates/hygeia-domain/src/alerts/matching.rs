//! Whether an alert concerns a piece of software, and why.
//!
//! Two identities are the same product when their product keys are equal (same CPE vendor and
//! product, same package URL type, namespace and name) or the dictionary places both in the
//! same catalogue product. Names that only resemble each other (every word of one appears in
//! the other) are never decided: they make the finding unknown, for a person to confirm.
//! A known version is tested against the line's range; an unknown one cannot be decided,
//! except against a line that covers every version.

use super::alert::{AffectedProduct, ProductStatus};
use crate::assets::identity::IdentityKind;
use crate::assets::version::{Range, Scheme, compare};
use serde::{Deserialize, Serialize};
use std::cmp::Ordering;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Verdict {
    Affected,
    Unknown,
    NotAffected,
}

impl Verdict {
    pub fn as_str(self) -> &'static str {
        match self {
            Verdict::Affected => "affected",
            Verdict::Unknown => "unknown",
            Verdict::NotAffected => "not_affected",
        }
    }

    pub fn parse(text: &str) -> Option<Verdict> {
        [Verdict::Affected, Verdict::Unknown, Verdict::NotAffected]
            .into_iter()
            .find(|v| v.as_str() == text)
    }

    pub fn label(self) -> &'static str {
        match self {
            Verdict::Affected => "Likely affected",
            Verdict::Unknown => "Unknown",
            Verdict::NotAffected => "Not affected",
        }
    }
}

/// A software record as matching sees it.
#[derive(Debug, Clone, Copy)]
pub struct Software<'a> {
    pub kind: IdentityKind,
    pub product_key: &'a str,
    pub canonical: Option<&'a str>,
    /// The catalogue release the dictionary placed it in.
    pub cycle: Option<&'a str>,
    pub version: Option<&'a str>,
    pub scheme: Scheme,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Finding {
    pub verdict: Verdict,
    pub reason: String,
}

/// How closely two identities name one product.
#[derive(PartialEq, Eq)]
enum Sameness {
    Same,
    Resembles,
    Different,
}

fn sameness(line: &AffectedProduct, sw: &Software<'_>) -> Sameness {
    if line.product_key == sw.product_key {
        return Sameness::Same;
    }
    if let (Some(a), Some(b)) = (line.canonical.as_deref(), sw.canonical) {
        return if a == b { Sameness::Same } else { Sameness::Different };
    }
    let (Some(a), Some(b)) = (named(&line.product_key), named(sw.product_key)) else {
        return Sameness::Different;
    };
    let (short, long) = if a.len() <= b.len() { (&a, &b) } else { (&b, &a) };
    // One word in common says little; two or more, all found in the other name, is a lead.
    if short.len() >= 2 && short.iter().all(|w| long.contains(w)) {
        Sameness::Resembles
    } else {
        Sameness::Different
    }
}

fn named(key: &str) -> Option<Vec<&str>> {
    key.strip_prefix("name:").map(|k| {
        k.split([':', '_'])
            .filter(|w| !w.is_empty() && !NOISE.contains(w))
            .collect()
    })
}

/// Words that appear in many product names and tell nothing apart.
const NOISE: &[&str] = &[
    "the",
    "and",
    "of",
    "inc",
    "ltd",
    "limited",
    "corporation",
    "corp",
    "company",
    "co",
    "model",
    "system",
    "systems",
    "software",
    "version",
];

/// What the alert says about this software, or None when it is about other products.
pub fn judge(lines: &[AffectedProduct], sw: &Software<'_>) -> Option<Finding> {
    let mut same: Vec<&AffectedProduct> = Vec::new();
    let mut resembles: Option<&AffectedProduct> = None;
    for line in lines {
        match sameness(line, sw) {
            Sameness::Same => same.push(line),
            Sameness::Resembles => resembles = resembles.or(Some(line)),
            Sameness::Different => {}
        }
    }
    if same.is_empty() {
        return resembles.map(|l| Finding {
            verdict: Verdict::Unknown,
            reason: format!(
                "the name resembles “{}”: confirm whether it is the same product",
                l.label
            ),
        });
    }
    // Lines that name a release match by release: "Windows Server 2012 R2" is every build of it.
    let by_release: Vec<&&AffectedProduct> = same
        .iter()
        .filter(|l| l.cycle.is_some() && l.range == Range::All)
        .collect();
    if !by_release.is_empty() {
        let named = by_release.iter().find(|l| l.cycle.as_deref() == sw.cycle);
        return Some(match (named, sw.cycle) {
            (Some(l), _) if l.status == ProductStatus::NotAffected => Finding {
                verdict: Verdict::NotAffected,
                reason: format!("{} is stated not affected", l.label),
            },
            (Some(l), _) => Finding {
                verdict: Verdict::Affected,
                reason: format!("runs {}", l.label),
            },
            (None, Some(c)) => Finding {
                verdict: Verdict::NotAffected,
                reason: format!("runs release {c}, not one the alert names"),
            },
            (None, None) => Finding {
                verdict: Verdict::Unknown,
                reason: format!("runs {} but which release is not recorded", by_release[0].label),
            },
        });
    }
    let scheme = if sw.scheme == Scheme::Generic {
        same[0].scheme
    } else {
        sw.scheme
    };
    let Some(version) = sw.version else {
        return Some(
            match same
                .iter()
                .find(|l| l.status == ProductStatus::Affected && l.range == Range::All)
            {
                Some(l) => Finding {
                    verdict: Verdict::Affected,
                    reason: format!("runs {}; every version is affected", l.label),
                },
                None => Finding {
                    verdict: Verdict::Unknown,
                    reason: format!("runs {} but its version is not recorded", same[0].label),
                },
            },
        );
    };
    // Explicit statements first: a version in an affected range, then one stated not affected.
    for l in same.iter().filter(|l| l.status == ProductStatus::Affected) {
        if l.range.contains(scheme, version) {
            let why = match &l.range {
                Range::All => "every version is affected".to_owned(),
                r => format!("version {version} is in the affected range {}", describe(r)),
            };
            return Some(Finding {
                verdict: Verdict::Affected,
                reason: format!("runs {}: {why}", l.label),
            });
        }
    }
    for l in same.iter().filter(|l| l.status == ProductStatus::NotAffected) {
        if l.range.contains(scheme, version) {
            return Some(Finding {
                verdict: Verdict::NotAffected,
                reason: format!("version {version} is stated not affected ({})", l.label),
            });
        }
    }
    let fixed: Vec<&str> = same
        .iter()
        .filter(|l| l.status == ProductStatus::Fixed)
        .filter_map(|l| first_version(&l.range))
        .collect();
    if let Some(fix) = nearest_fix(scheme, version, &fixed) {
        return Some(if cmp_epochless(scheme, version, fix) == Ordering::Less {
            Finding {
                verdict: Verdict::Affected,
                reason: format!("runs {} {version}, older than the fixed {fix}", same[0].label),
            }
        } else {
            Finding {
                verdict: Verdict::NotAffected,
                reason: format!("runs {version}, at or above the fixed {fix}"),
            }
        });
    }
    Some(Finding {
        verdict: Verdict::NotAffected,
        reason: format!("version {version} is outside every affected range"),
    })
}

fn describe(range: &Range) -> String {
    match range {
        Range::All => "all".into(),
        Range::Exactly { version } => format!("= {version}"),
        Range::Bounds { bounds } | Range::Vers { constraints: bounds } => bounds
            .iter()
            .map(|b| {
                format!(
                    "{} {}",
                    serde_json::to_value(b.op)
                        .ok()
                        .and_then(|v| v.as_str().map(str::to_owned))
                        .unwrap_or_default(),
                    b.version
                )
            })
            .collect::<Vec<_>>()
            .join(", "),
    }
}

fn first_version(range: &Range) -> Option<&str> {
    match range {
        Range::Exactly { version } => Some(version),
        Range::Bounds { bounds } | Range::Vers { constraints: bounds } => bounds.first().map(|b| b.version.as_str()),
        Range::All => None,
    }
}

/// RPM and Debian fixes name the stream they fix (`el9`, `el8_10`, `deb12u1`): the fix for
/// this version's stream is the one that counts. Failing a stream, a fix with the same major
/// version; failing that, the lowest fix.
fn nearest_fix<'a>(scheme: Scheme, version: &str, fixes: &[&'a str]) -> Option<&'a str> {
    let stream = |v: &str| -> Option<String> {
        let release = v.rsplit_once('-').map(|(_, r)| r)?;
        let at = release.find(".el").map(|i| i + 1).or_else(|| release.find("deb"))?;
        let tag: String = release[at..]
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric())
            .collect();
        Some(tag)
    };
    let major = |v: &str| strip_epoch(v).split(['.', '-']).next().map(str::to_owned);
    let mine = stream(version);
    let pick = |f: &dyn Fn(&&&str) -> bool| {
        fixes
            .iter()
            .filter(f)
            .min_by(|a, b| cmp_epochless(scheme, a, b))
            .copied()
    };
    mine.as_ref()
        .and_then(|s| pick(&|f| stream(f).as_ref() == Some(s)))
        .or_else(|| pick(&|f| major(f) == major(version)))
        .or_else(|| pick(&|_| true))
}

fn strip_epoch(v: &str) -> &str {
    match v.split_once(':') {
        Some((e, rest)) if e.bytes().all(|b| b.is_ascii_digit()) => rest,
        _ => v,
    }
}

/// SBOMs often leave out the RPM epoch that advisories give: when only one side has one,
/// compare without it.
fn cmp_epochless(scheme: Scheme, a: &str, b: &str) -> Ordering {
    let has = |v: &str| strip_epoch(v).len() != v.len();
    if has(a) != has(b) {
        compare(scheme, strip_epoch(a), strip_epoch(b))
    } else {
        compare(scheme, a, b)
    }
}

/// An organisation's applicability from its findings: affected if anything is, else unknown
/// if anything is undecided, else not affected.
pub fn overall(verdicts: impl IntoIterator<Item = Verdict>) -> Verdict {
    verdicts.into_iter().min().unwrap_or(Verdict::NotAffected)
}

#[cfg(test)]
mod tests;
