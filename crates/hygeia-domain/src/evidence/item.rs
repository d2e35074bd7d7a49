//! An evidence item: a file, a link or a note, in versions, with a date by which it should be
//! reviewed, linked to whatever it evidences.

use crate::validation::{FieldError, Invalid};
use serde::{Deserialize, Serialize};

/// What an item holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EvidenceKind {
    File,
    Link,
    Note,
}

impl EvidenceKind {
    pub fn code(self) -> &'static str {
        match self {
            EvidenceKind::File => "file",
            EvidenceKind::Link => "link",
            EvidenceKind::Note => "note",
        }
    }

    pub fn parse(s: &str, field: &str) -> Result<Self, Invalid> {
        match s {
            "file" => Ok(EvidenceKind::File),
            "link" => Ok(EvidenceKind::Link),
            "note" => Ok(EvidenceKind::Note),
            _ => Err(Invalid::one(field, "must be one of file, link, note")),
        }
    }
}

/// What evidence can be linked to. The target's id is kept as text so that requirements of a
/// framework (`dspt-ndg-2025/1.1.1`) and records with uuids can both be targets.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum LinkTarget {
    Incident,
    /// A node of a framework, as `framework-key:ref_id` (`ncsc-caf:B5.c`): the same evidence
    /// then serves every assessment of every version that has the node.
    Requirement,
}

impl LinkTarget {
    pub fn code(self) -> &'static str {
        match self {
            LinkTarget::Incident => "incident",
            LinkTarget::Requirement => "requirement",
        }
    }

    pub fn parse(s: &str, field: &str) -> Result<Self, Invalid> {
        match s {
            "incident" => Ok(LinkTarget::Incident),
            "requirement" => Ok(LinkTarget::Requirement),
            _ => Err(Invalid::one(field, "must be one of: incident, requirement")),
        }
    }
}

pub const TITLE_MAX: usize = 200;
pub const NOTE_MAX: usize = 20_000;
pub const FILE_NAME_MAX: usize = 200;
pub const URL_MAX: usize = 2_000;

/// A title: required, one line, at most `TITLE_MAX` characters.
pub fn check_title(title: &str, field: &str) -> Result<String, Invalid> {
    let t = title.trim();
    if t.is_empty() {
        return Err(Invalid::one(field, "is required"));
    }
    if t.chars().count() > TITLE_MAX || t.contains(['\n', '\r']) {
        return Err(Invalid::one(
            field,
            format!("must be one line of at most {TITLE_MAX} characters"),
        ));
    }
    Ok(t.to_owned())
}

/// A link: an absolute http(s) address. Other schemes (`javascript:`, `file:`) are refused
/// because the address is shown as a link to everyone who can see the item.
pub fn check_url(url: &str, field: &str) -> Result<String, Invalid> {
    let u = url.trim();
    let lower = u.to_ascii_lowercase();
    let rest = lower.strip_prefix("https://").or_else(|| lower.strip_prefix("http://"));
    match rest {
        None => Err(Invalid::one(field, "must start with https:// or http://")),
        Some(r) if r.is_empty() || r.starts_with('/') => Err(Invalid::one(field, "has no host")),
        Some(_) if u.len() > URL_MAX || u.chars().any(|c| c.is_whitespace() || c.is_control()) => Err(Invalid::one(
            field,
            format!("must be one address of at most {URL_MAX} characters, without spaces"),
        )),
        Some(_) => Ok(u.to_owned()),
    }
}

/// A note's text: required, at most `NOTE_MAX` characters.
pub fn check_note(note: &str, field: &str) -> Result<String, Invalid> {
    let n = note.trim();
    if n.is_empty() {
        return Err(Invalid::one(field, "is required"));
    }
    if n.chars().count() > NOTE_MAX {
        return Err(Invalid::one(field, format!("must be at most {NOTE_MAX} characters")));
    }
    Ok(n.to_owned())
}

/// The name a file is kept and offered under: the last path segment of what the client sent,
/// with quotes, control characters and path separators replaced, so it can go in a
/// `Content-Disposition` header and on a page unchanged. Never empty.
pub fn safe_file_name(sent: &str) -> String {
    let last = sent.rsplit(['/', '\\']).next().unwrap_or("");
    let cleaned: String = last
        .chars()
        .map(|c| {
            if c.is_control() || matches!(c, '"' | ';' | '<' | '>' | ':' | '*' | '?' | '|') {
                '_'
            } else {
                c
            }
        })
        .take(FILE_NAME_MAX)
        .collect();
    let trimmed = cleaned.trim().trim_start_matches('.');
    if trimmed.is_empty() {
        "file".to_owned()
    } else {
        trimmed.to_owned()
    }
}

/// The file name as ASCII for the plain `filename=` parameter (the exact name goes in
/// `filename*`, RFC 6266).
pub fn ascii_file_name(name: &str) -> String {
    name.chars()
        .map(|c| if c.is_ascii() && !c.is_ascii_control() { c } else { '_' })
        .collect()
}

/// A size for people: `12 KB`, `3.4 MB` (powers of 1024, as file managers show them).
pub fn human_size(bytes: u64) -> String {
    const KB: u64 = 1024;
    const MB: u64 = 1024 * KB;
    match bytes {
        b if b < KB => format!("{b} bytes"),
        b if b < MB => format!("{} KB", b.div_ceil(KB)),
        b if b % MB == 0 => format!("{} MB", b / MB),
        b => format!("{:.1} MB", b as f64 / MB as f64),
    }
}

/// Where an item stands against its review-by date, on `today` (dates as `YYYY-MM-DD`, which
/// order as text).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ReviewState {
    NoDate,
    Current,
    /// Within `REVIEW_SOON_DAYS` of the date.
    DueSoon,
    Overdue,
}

pub const REVIEW_SOON_DAYS: i64 = 30;

/// `days_left` is the number of whole days from today to the review date (negative once
/// passed), computed by the caller in the organisation's time zone.
pub fn review_state(days_left: Option<i64>) -> ReviewState {
    match days_left {
        None => ReviewState::NoDate,
        Some(d) if d < 0 => ReviewState::Overdue,
        Some(d) if d <= REVIEW_SOON_DAYS => ReviewState::DueSoon,
        Some(_) => ReviewState::Current,
    }
}

/// A review-by date as typed: empty for none, otherwise `YYYY-MM-DD`.
pub fn check_review_by(input: &str, field: &str) -> Result<Option<String>, Invalid> {
    let s = input.trim();
    if s.is_empty() {
        return Ok(None);
    }
    let strict = s.len() == 10 && s.as_bytes()[4] == b'-' && s.as_bytes()[7] == b'-';
    if !strict || s.parse::<jiff::civil::Date>().is_err() {
        return Err(Invalid(vec![FieldError::new(field, "must be a date, YYYY-MM-DD")]));
    }
    Ok(Some(s.to_owned()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_names_lose_paths_and_header_breaking_characters() {
        assert_eq!(safe_file_name("C:\\Users\\a\\report.pdf"), "report.pdf");
        assert_eq!(safe_file_name("../../etc/passwd"), "passwd");
        assert_eq!(safe_file_name("a\"b;c\r\nd.txt"), "a_b_c__d.txt");
        assert_eq!(safe_file_name(".htaccess"), "htaccess");
        assert_eq!(safe_file_name(""), "file");
        assert_eq!(safe_file_name("   "), "file");
        assert_eq!(safe_file_name(&"x".repeat(500)).len(), FILE_NAME_MAX);
        assert_eq!(ascii_file_name("plan é.pdf"), "plan _.pdf");
    }

    #[test]
    fn sizes_for_people() {
        assert_eq!(human_size(0), "0 bytes");
        assert_eq!(human_size(1023), "1023 bytes");
        assert_eq!(human_size(1025), "2 KB");
        assert_eq!(human_size(50 * 1024 * 1024), "50 MB");
        assert_eq!(human_size(1024 * 1024 + 512 * 1024), "1.5 MB");
    }

    #[test]
    fn links_must_be_web_addresses() {
        assert!(check_url("https://example.nhs.uk/policy", "url").is_ok());
        assert!(check_url("javascript:alert(1)", "url").is_err());
        assert!(check_url("file:///etc/passwd", "url").is_err());
        assert!(check_url("https://", "url").is_err());
        assert!(check_url("https://a b", "url").is_err());
        assert_eq!(check_url("ftp://x", "u").unwrap_err().0[0].field, "u");
    }

    #[test]
    fn review_dates_and_states() {
        assert_eq!(check_review_by("", "review_by"), Ok(None));
        assert_eq!(
            check_review_by("2027-03-31", "review_by"),
            Ok(Some("2027-03-31".into()))
        );
        for bad in [
            "2027-3-31",
            "31/03/2027",
            "2027-13-01",
            "2027-00-10",
            "2027-01-32",
            "2027-02-29",
        ] {
            assert!(check_review_by(bad, "review_by").is_err(), "{bad}");
        }
        assert_eq!(review_state(None), ReviewState::NoDate);
        assert_eq!(review_state(Some(-1)), ReviewState::Overdue);
        assert_eq!(review_state(Some(0)), ReviewState::DueSoon);
        assert_eq!(review_state(Some(REVIEW_SOON_DAYS)), ReviewState::DueSoon);
        assert_eq!(review_state(Some(REVIEW_SOON_DAYS + 1)), ReviewState::Current);
    }

    #[test]
    fn titles_are_one_bounded_line() {
        assert_eq!(check_title("  DSPT policy ", "title"), Ok("DSPT policy".into()));
        assert!(check_title("", "title").is_err());
        assert!(check_title("a\nb", "title").is_err());
        assert!(check_title(&"x".repeat(TITLE_MAX + 1), "title").is_err());
    }
}
