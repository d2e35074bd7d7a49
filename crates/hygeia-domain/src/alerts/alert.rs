//! A national cyber alert: what it is about, which products it affects, and its deadlines.

use crate::assets::identity::Identity;
use crate::assets::version::{Range, Scheme};
use crate::validation::{FieldError, Invalid};
use serde::{Deserialize, Serialize};

/// NHS England's alert levels are High, Low and Information only (reference §4); Medium is
/// kept for publishers that use it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Severity {
    High,
    Medium,
    Low,
    Information,
}

impl Severity {
    pub const ALL: [Severity; 4] = [Severity::High, Severity::Medium, Severity::Low, Severity::Information];

    pub fn as_str(self) -> &'static str {
        match self {
            Severity::High => "high",
            Severity::Medium => "medium",
            Severity::Low => "low",
            Severity::Information => "information",
        }
    }

    pub fn parse(text: &str) -> Option<Severity> {
        match text.trim().to_ascii_lowercase().as_str() {
            "high" | "critical" | "important" => Some(Severity::High),
            "medium" | "moderate" => Some(Severity::Medium),
            "low" => Some(Severity::Low),
            "information" | "info" | "information only" | "none" => Some(Severity::Information),
            _ => None,
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Severity::High => "High",
            Severity::Medium => "Medium",
            Severity::Low => "Low",
            Severity::Information => "Information only",
        }
    }

    /// From a CVSS base score: 7.0 and above is high, as Cyber Essentials counts "high" and
    /// "critical" for its 14-day patching rule.
    pub fn from_cvss(score: f64) -> Severity {
        if score >= 7.0 {
            Severity::High
        } else if score >= 4.0 {
            Severity::Medium
        } else if score > 0.0 {
            Severity::Low
        } else {
            Severity::Information
        }
    }
}

/// Hours and days each step has, counted from publication (acknowledge, remediate) or from
/// acknowledgement (first update).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Deadlines {
    pub acknowledge_hours: Option<u32>,
    pub first_update_days: u32,
    pub remediate_days: Option<u32>,
}

impl Deadlines {
    /// High: acknowledge within 48 hours (NHS England's rule, DSPT 6.3.2) and remediate in 14
    /// days (Cyber Essentials' rule for high and critical fixes; no NHS source sets one).
    /// Every level: the first update 3 days after acknowledgement (the NHS service's default).
    pub fn default_for(severity: Severity) -> Deadlines {
        match severity {
            Severity::High => Deadlines {
                acknowledge_hours: Some(48),
                first_update_days: 3,
                remediate_days: Some(14),
            },
            _ => Deadlines {
                acknowledge_hours: None,
                first_update_days: 3,
                remediate_days: None,
            },
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ProductStatus {
    /// Versions in the range are affected.
    Affected,
    /// The range names the fixed version: older versions of the product are affected.
    Fixed,
    /// Versions in the range are explicitly not affected.
    NotAffected,
}

/// One product line of an alert.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AffectedProduct {
    /// Human name, as the source wrote it.
    pub label: String,
    /// The identity's product key (`purl:rpm/redhat/openssl`, `cpe:microsoft:exchange_server`).
    pub product_key: String,
    /// The dictionary's product (`windows-server`) when it knows the identity.
    #[serde(default)]
    pub canonical: Option<String>,
    /// The catalogue release the identity names (`2012-r2`), when it names one: software is
    /// then matched by release rather than by version.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cycle: Option<String>,
    pub scheme: Scheme,
    pub range: Range,
    pub status: ProductStatus,
}

impl AffectedProduct {
    /// From an identity: its own version, if any, is the range unless one is given.
    pub fn from_identity(
        identity: &Identity,
        label: &str,
        range: Option<Range>,
        status: ProductStatus,
        canonical: Option<String>,
    ) -> AffectedProduct {
        let range = range.unwrap_or_else(|| match &identity.version {
            Some(v) => Range::Exactly { version: v.clone() },
            None => Range::All,
        });
        AffectedProduct {
            label: label.to_owned(),
            product_key: identity.product_key(),
            canonical,
            cycle: None,
            scheme: identity.scheme,
            range,
            status,
        }
    }

    /// From an identity placed by the dictionary: a line that names a release (and has no
    /// range of its own) matches that release, whatever build of it runs.
    pub fn placed(
        identity: &Identity,
        label: &str,
        range: Option<Range>,
        status: ProductStatus,
        dictionary: &crate::assets::dictionary::Dictionary,
    ) -> AffectedProduct {
        let placed = dictionary.resolve(identity);
        let canonical = placed.map(|p| p.product.id.clone());
        let mut line = AffectedProduct::from_identity(identity, label, range.clone(), status, canonical);
        if range.is_none()
            && let Some(release) = placed.and_then(|p| p.release)
        {
            line.cycle = Some(release.cycle.clone());
            line.range = Range::All;
        }
        line
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AlertSource {
    Manual,
    Csaf,
    Kev,
}

impl AlertSource {
    pub fn as_str(self) -> &'static str {
        match self {
            AlertSource::Manual => "manual",
            AlertSource::Csaf => "csaf",
            AlertSource::Kev => "kev",
        }
    }
}

/// An alert before it is stored: from the publisher's form, a CSAF advisory or KEV entries.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AlertDraft {
    /// The publisher's reference (`CC-4719`, a CSAF tracking id, a CVE).
    pub reference: String,
    pub title: String,
    pub severity: Severity,
    #[serde(default)]
    pub summary: String,
    #[serde(default)]
    pub cves: Vec<String>,
    #[serde(default)]
    pub products: Vec<AffectedProduct>,
    /// What organisations must do, in order.
    #[serde(default)]
    pub actions: Vec<String>,
    pub source: AlertSource,
    pub deadlines: Deadlines,
}

pub fn valid_cve(text: &str) -> bool {
    let Some(rest) = text.strip_prefix("CVE-") else {
        return false;
    };
    let Some((year, number)) = rest.split_once('-') else {
        return false;
    };
    year.len() == 4
        && year.bytes().all(|b| b.is_ascii_digit())
        && number.len() >= 4
        && number.bytes().all(|b| b.is_ascii_digit())
}

impl AlertDraft {
    pub fn check(&self) -> Result<(), Invalid> {
        let mut errors = Vec::new();
        if self.reference.trim().is_empty() || self.reference.len() > 100 {
            errors.push(FieldError::new("reference", "is required, at most 100 characters"));
        }
        if self.title.trim().is_empty() || self.title.len() > 300 {
            errors.push(FieldError::new("title", "is required, at most 300 characters"));
        }
        if self.summary.len() > 20_000 {
            errors.push(FieldError::new("summary", "is longer than 20,000 characters"));
        }
        for (i, c) in self.cves.iter().enumerate() {
            if !valid_cve(c) {
                errors.push(FieldError::new(
                    format!("cves/{i}"),
                    format!("`{c}` is not a CVE id (CVE-YYYY-NNNN)"),
                ));
            }
        }
        if self.products.len() > 50_000 {
            errors.push(FieldError::new("products", "lists more than 50,000 products"));
        }
        if self.deadlines.acknowledge_hours.is_some_and(|h| h == 0 || h > 24 * 90) {
            errors.push(FieldError::new(
                "acknowledge_hours",
                "must be between 1 hour and 90 days",
            ));
        }
        if self.deadlines.first_update_days == 0 || self.deadlines.first_update_days > 90 {
            errors.push(FieldError::new("first_update_days", "must be between 1 and 90 days"));
        }
        if self.deadlines.remediate_days.is_some_and(|d| d == 0 || d > 365) {
            errors.push(FieldError::new("remediate_days", "must be between 1 and 365 days"));
        }
        if errors.is_empty() {
            Ok(())
        } else {
            Err(Invalid(errors))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn high_alerts_get_the_48_hour_and_14_day_defaults() {
        let d = Deadlines::default_for(Severity::High);
        assert_eq!(
            (d.acknowledge_hours, d.first_update_days, d.remediate_days),
            (Some(48), 3, Some(14))
        );
        assert_eq!(Deadlines::default_for(Severity::Low).acknowledge_hours, None);
        assert_eq!(Severity::from_cvss(9.8), Severity::High);
        assert_eq!(Severity::from_cvss(7.0), Severity::High);
        assert_eq!(Severity::from_cvss(6.9), Severity::Medium);
        assert_eq!(Severity::parse("Important"), Some(Severity::High));
        assert!(valid_cve("CVE-2025-53770"));
        assert!(!valid_cve("CVE-25-1"));
    }
}
