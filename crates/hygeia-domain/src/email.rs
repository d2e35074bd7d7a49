//! E-mail addresses as sign-in names.

use crate::Invalid;
use serde::{Deserialize, Serialize};
use std::fmt;

/// A syntactically plausible e-mail address, lower-cased so that sign-in ignores case.
/// Deliverability is proven by use (invitations), not by syntax.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Email(String);

impl Email {
    pub fn parse(raw: &str) -> Result<Self, Invalid> {
        let value = raw.trim().to_lowercase();
        let err = |m: &str| Err(Invalid::one("email", m));
        if value.is_empty() {
            return err("enter an email address");
        }
        if value.len() > 254 {
            return err("must be at most 254 characters");
        }
        let Some((local, domain)) = value.split_once('@') else {
            return err("must contain @, like name@example.nhs.uk");
        };
        if local.is_empty() || domain.is_empty() || domain.contains('@') {
            return err("must look like name@example.nhs.uk");
        }
        if !domain.contains('.') || domain.starts_with('.') || domain.ends_with('.') {
            return err("the part after @ must be a domain, like example.nhs.uk");
        }
        if value.chars().any(|c| c.is_whitespace() || c.is_control()) {
            return err("must not contain spaces");
        }
        Ok(Self(value))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The part before @, used to refuse passwords built from the user's own name.
    pub fn local_part(&self) -> &str {
        self.0.split('@').next().unwrap_or_default()
    }
}

impl fmt::Display for Email {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalises_case_and_space() {
        assert_eq!(
            Email::parse("  Jo.Bloggs@Example.NHS.uk ").map(|e| e.0),
            Ok("jo.bloggs@example.nhs.uk".into())
        );
    }

    #[test]
    fn rejects_malformed_addresses_naming_the_field() {
        for bad in ["", "nobody", "@x.uk", "a@", "a@b", "a@@b.uk", "a b@c.uk", "a@.uk"] {
            let err = Email::parse(bad).expect_err(bad);
            assert_eq!(err.0[0].field, "email", "{bad}");
        }
    }
}
