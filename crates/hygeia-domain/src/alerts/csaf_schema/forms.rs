//! Our own checks for the forms the schema gives as patterns (and its two formats).

use crate::assets::identity::{parse_cpe, parse_purl};

/// RFC 3339 date-time: date, `T`, time with optional fraction, and `Z` or an offset.
pub(super) fn is_date_time(s: &str) -> bool {
    let b = s.as_bytes();
    let digits = |r: std::ops::Range<usize>| b.get(r.clone()).is_some_and(|d| d.iter().all(u8::is_ascii_digit));
    let num = |r: std::ops::Range<usize>| s.get(r).and_then(|d| d.parse::<u32>().ok()).unwrap_or(99);
    if b.len() < 20 || !digits(0..4) || b[4] != b'-' || !digits(5..7) || b[7] != b'-' || !digits(8..10) {
        return false;
    }
    if !matches!(b[10], b'T' | b't')
        || !digits(11..13)
        || b[13] != b':'
        || !digits(14..16)
        || b[16] != b':'
        || !digits(17..19)
    {
        return false;
    }
    let (month, day, hour, minute, second) = (num(5..7), num(8..10), num(11..13), num(14..16), num(17..19));
    if !(1..=12).contains(&month) || !(1..=31).contains(&day) || hour > 23 || minute > 59 || second > 60 {
        return false;
    }
    let mut i = 19;
    if b[i] == b'.' {
        i += 1;
        let start = i;
        while i < b.len() && b[i].is_ascii_digit() {
            i += 1;
        }
        if i == start {
            return false;
        }
    }
    match &b[i..] {
        [b'Z' | b'z'] => true,
        [b'+' | b'-', h1, h2, b':', m1, m2] => {
            [h1, h2, m1, m2].iter().all(|d| d.is_ascii_digit()) && num(i + 1..i + 3) <= 23 && num(i + 4..i + 6) <= 59
        }
        _ => false,
    }
}

/// An absolute URI (RFC 3986): a scheme, `:`, and no spaces or control characters.
pub(super) fn is_uri(s: &str) -> bool {
    let Some((scheme, rest)) = s.split_once(':') else {
        return false;
    };
    let mut chars = scheme.chars();
    chars.next().is_some_and(|c| c.is_ascii_alphabetic())
        && chars.all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'))
        && !rest.is_empty()
        && !s.chars().any(|c| c.is_whitespace() || c.is_control())
}

pub(super) fn is_trimmed(s: &str) -> bool {
    s.trim() == s
}

pub(super) fn is_document_category(s: &str) -> bool {
    let edge = |c: char| c.is_whitespace() || matches!(c, '-' | '_' | '.');
    !s.starts_with(edge) && !s.ends_with(edge)
}

/// A whole number without leading zeros, or a semantic version (2.0.0) with optional
/// pre-release and build parts.
pub(super) fn is_csaf_version(s: &str) -> bool {
    let number = |p: &str| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()) && (p == "0" || !p.starts_with('0'));
    let identifiers = |p: &str| {
        !p.is_empty()
            && p.split('.')
                .all(|id| !id.is_empty() && id.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-'))
    };
    if number(s) {
        return true;
    }
    let (rest, build) = match s.split_once('+') {
        Some((r, b)) => (r, Some(b)),
        None => (s, None),
    };
    let (core, pre) = match rest.split_once('-') {
        Some((c, p)) => (c, Some(p)),
        None => (rest, None),
    };
    let parts: Vec<&str> = core.split('.').collect();
    parts.len() == 3
        && parts.iter().all(|p| number(p))
        && pre.is_none_or(|p| {
            identifiers(p)
                && p.split('.')
                    .all(|id| !(id.bytes().all(|b| b.is_ascii_digit()) && id.len() > 1 && id.starts_with('0')))
        })
        && build.is_none_or(identifiers)
}

/// A language tag in the shape BCP 47 gives: a 2–3 letter language (or `i-`/`x-` private
/// use), then subtags of 1–8 letters or digits.
pub(super) fn is_language_tag(s: &str) -> bool {
    let mut parts = s.split('-');
    let Some(first) = parts.next() else { return false };
    let first_ok = (2..=3).contains(&first.len()) && first.bytes().all(|b| b.is_ascii_alphabetic())
        || matches!(first, "i" | "I" | "x" | "X");
    let rest: Vec<&str> = parts.collect();
    first_ok
        && (first.len() > 1 || !rest.is_empty())
        && rest
            .iter()
            .all(|p| (1..=8).contains(&p.len()) && p.bytes().all(|b| b.is_ascii_alphanumeric()))
}

pub(super) fn is_hex_hash(s: &str) -> bool {
    s.len() >= 32 && s.bytes().all(|b| b.is_ascii_hexdigit())
}

pub(super) fn is_cpe(s: &str) -> bool {
    (s.starts_with("cpe:2.3:") || s.starts_with("cpe:/")) && parse_cpe(s).is_ok()
}

pub(super) fn is_purl(s: &str) -> bool {
    s.split_once('/')
        .is_some_and(|(t, name)| t.len() > 4 && !name.is_empty())
        && parse_purl(s).is_ok()
}

pub(super) fn is_cwe_id(s: &str) -> bool {
    s.strip_prefix("CWE-")
        .is_some_and(|n| (1..=6).contains(&n.len()) && n.bytes().all(|b| b.is_ascii_digit()) && !n.starts_with('0'))
}

/// `KEY:VALUE` metrics separated by `/`, each key once, with the base metrics present.
fn metrics(s: &str, base: &[&str]) -> bool {
    let mut seen = Vec::new();
    for part in s.split('/') {
        let Some((key, value)) = part.split_once(':') else {
            return false;
        };
        let key_ok = !key.is_empty() && key.bytes().all(|b| b.is_ascii_alphabetic());
        let value_ok = !value.is_empty() && value.bytes().all(|b| b.is_ascii_alphabetic());
        if !key_ok || !value_ok || seen.contains(&key) {
            return false;
        }
        seen.push(key);
    }
    base.iter().all(|k| seen.contains(k))
}

const CVSS3_BASE: &[&str] = &["AV", "AC", "PR", "UI", "S", "C", "I", "A"];

pub(super) fn is_cvss2_vector(s: &str) -> bool {
    metrics(s, &["AV", "AC", "Au", "C", "I", "A"])
}

pub(super) fn is_cvss30_vector(s: &str) -> bool {
    s.strip_prefix("CVSS:3.0/").is_some_and(|m| metrics(m, CVSS3_BASE))
}

pub(super) fn is_cvss31_vector(s: &str) -> bool {
    s.strip_prefix("CVSS:3.1/").is_some_and(|m| metrics(m, CVSS3_BASE))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn forms_the_schema_gives_as_patterns() {
        for good in ["1", "0", "2.0.0", "1.0.0-rc.1+build.5", "10.2.3"] {
            assert!(is_csaf_version(good), "{good}");
        }
        for bad in ["01", "1.0", "1.0.0-01", "v1", "", "1.0.0+"] {
            assert!(!is_csaf_version(bad), "{bad}");
        }
        for good in ["en", "en-GB", "de-DE-1996", "x-private", "zh-Hant-TW"] {
            assert!(is_language_tag(good), "{good}");
        }
        for bad in ["e", "english", "en_GB", "en-", "x"] {
            assert!(!is_language_tag(bad), "{bad}");
        }
        assert!(is_date_time("2024-02-29T23:59:60.5-05:00"));
        assert!(!is_date_time("2024-13-01T00:00:00Z") && !is_date_time("2024-01-01 00:00:00Z"));
        assert!(!is_uri("https://example.org/a b") && is_uri("urn:x") && !is_uri("example.org"));
        assert!(is_cwe_id("CWE-79") && !is_cwe_id("CWE-079"));
        assert!(is_cvss31_vector("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H/E:P"));
        assert!(!is_cvss31_vector("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H"));
        assert!(is_cvss2_vector("AV:N/AC:L/Au:N/C:P/I:P/A:P"));
        assert!(is_document_category("csaf_vex") && !is_document_category("_csaf"));
    }
}
