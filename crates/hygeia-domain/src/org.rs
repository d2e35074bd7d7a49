//! Organisations: the tenants of Hygeia, what kind they are and which regimes bind them.

use crate::Invalid;
use serde::{Deserialize, Serialize};
use std::fmt;

/// Declares a closed set of codes with a stable string form (used in the database, the API and
/// forms) and a label for people.
macro_rules! coded_enum {
    ($(#[$doc:meta])* $name:ident { $($variant:ident = $code:literal, $label:literal;)+ }) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, ::serde::Serialize, ::serde::Deserialize)]
        pub enum $name {
            $(#[serde(rename = $code)] $variant,)+
        }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant,)+];

            /// The stable code stored and sent over the API.
            pub fn code(self) -> &'static str {
                match self { $($name::$variant => $code,)+ }
            }

            /// The name shown to people.
            pub fn label(self) -> &'static str {
                match self { $($name::$variant => $label,)+ }
            }

            /// Reads a code; the error lists the codes that are accepted.
            pub fn parse(code: &str, field: &str) -> Result<Self, $crate::Invalid> {
                match code {
                    $($code => Ok($name::$variant),)+
                    other => Err($crate::Invalid::one(field, format!(
                        "'{}' is not one of: {}", other,
                        [$($code),+].join(", ")
                    ))),
                }
            }
        }

        impl ::std::fmt::Display for $name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(self.label())
            }
        }
    };
}
pub(crate) use coded_enum;

coded_enum!(
    /// The kind of organisation. Determines which roles it may have and, later, which
    /// framework categories apply (DSPT organisation categories follow from it).
    OrgType {
        Trust = "trust", "NHS trust";
        FoundationTrust = "foundation_trust", "NHS foundation trust";
        Icb = "icb", "Integrated care board";
        Csu = "csu", "Commissioning support unit";
        IndependentProvider = "independent_provider", "Independent provider";
        GpPractice = "gp_practice", "GP practice";
        Pharmacy = "pharmacy", "Pharmacy";
        DentalPractice = "dental_practice", "Dental practice";
        CareProvider = "care_provider", "Care provider";
        Supplier = "supplier", "Supplier";
        Regulator = "regulator", "Regulator (competent authority)";
        NationalTeam = "national_team", "National cyber team";
    }
);

coded_enum!(
    /// A legal regime an organisation reports under. Clocks and notifications follow from it.
    Regime {
        UkNis = "uk_nis", "UK NIS Regulations 2018";
        UkGdpr = "uk_gdpr", "UK GDPR";
        EuNis2 = "eu_nis2", "EU NIS2 Directive";
        EuGdpr = "eu_gdpr", "EU GDPR";
        UkCsrb = "uk_csrb", "UK Cyber Security and Resilience Bill (draft)";
    }
);

impl OrgType {
    /// Oversight bodies hold remits over other organisations rather than duties of their own.
    pub fn is_oversight_body(self) -> bool {
        matches!(self, OrgType::Regulator | OrgType::NationalTeam)
    }
}

/// The set of regimes an organisation is under, kept sorted and without repeats.
pub fn normalise_regimes(mut regimes: Vec<Regime>) -> Vec<Regime> {
    regimes.sort();
    regimes.dedup();
    regimes
}

/// Parses a comma-separated list of regime codes (the CLI and stored form).
pub fn parse_regimes(csv: &str, field: &str) -> Result<Vec<Regime>, Invalid> {
    let regimes = csv
        .split(',')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(|code| Regime::parse(code, field))
        .collect::<Result<Vec<_>, _>>()?;
    Ok(normalise_regimes(regimes))
}

pub fn regimes_csv(regimes: &[Regime]) -> String {
    regimes.iter().map(|r| r.code()).collect::<Vec<_>>().join(",")
}

/// An ODS code: the identifier NHS England's Organisation Data Service gives every health and
/// care organisation (3 characters for trusts, 6 for GP practices, longer for some sites).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct OdsCode(String);

impl OdsCode {
    pub fn parse(raw: &str) -> Result<Self, Invalid> {
        let value = raw.trim().to_uppercase();
        if !(3..=10).contains(&value.len()) {
            return Err(Invalid::one("ods_code", "must be 3 to 10 letters and digits"));
        }
        if !value.chars().all(|c| c.is_ascii_alphanumeric()) {
            return Err(Invalid::one("ods_code", "may contain only letters and digits"));
        }
        Ok(Self(value))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for OdsCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// A display name for an organisation or a person: trimmed, not empty, bounded.
pub fn parse_name(raw: &str, field: &str) -> Result<String, Invalid> {
    let value = raw.trim();
    if value.is_empty() {
        return Err(Invalid::one(field, "must not be empty"));
    }
    if value.chars().count() > 200 {
        return Err(Invalid::one(field, "must be at most 200 characters"));
    }
    if value.chars().any(char::is_control) {
        return Err(Invalid::one(field, "must not contain control characters"));
    }
    Ok(value.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_round_trip() {
        for t in OrgType::ALL {
            assert_eq!(OrgType::parse(t.code(), "type"), Ok(*t));
        }
        for r in Regime::ALL {
            assert_eq!(Regime::parse(r.code(), "regimes"), Ok(*r));
        }
    }

    #[test]
    fn unknown_code_lists_the_accepted_ones() {
        let err = OrgType::parse("hospital", "type").unwrap_err();
        assert_eq!(err.0[0].field, "type");
        assert!(err.0[0].message.contains("gp_practice"));
    }

    #[test]
    fn regimes_parse_sorted_and_unique() {
        assert_eq!(
            parse_regimes("uk_gdpr, uk_nis,uk_gdpr", "regimes"),
            Ok(vec![Regime::UkNis, Regime::UkGdpr])
        );
        assert!(parse_regimes("uk_nis,nis3", "regimes").is_err());
    }

    #[test]
    fn ods_codes() {
        assert_eq!(OdsCode::parse(" rxx ").map(|c| c.0), Ok("RXX".into()));
        assert!(OdsCode::parse("R1").is_err());
        assert!(OdsCode::parse("R-1X").is_err());
        assert!(OdsCode::parse("A12345678901").is_err());
    }

    #[test]
    fn names() {
        assert!(parse_name("  ", "name").is_err());
        assert!(parse_name("a\u{0}b", "name").is_err());
        assert_eq!(parse_name(" Riverside ", "name"), Ok("Riverside".into()));
    }
}
