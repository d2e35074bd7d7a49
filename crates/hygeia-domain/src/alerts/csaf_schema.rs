//! The CSAF 2.0 JSON schema's rules, written as Rust data and checked over a parsed document.
//!
//! Every member the schema defines is here with whether it is required, its type, the least
//! length or number of items, whether items must be distinct, its allowed values, its format
//! (date and time, URI) and, where the schema gives a pattern, a check of our own for the
//! same form (`Rule`). Like the schema, unknown members are allowed. CVSS scores are checked
//! against the members FIRST's CVSS 2.0, 3.0 and 3.1 schemas require and the scores and
//! severities they bound. A test reads the published schema (when `../shared/data` is there)
//! and fails if this table and it disagree on any member, requirement, bound or value list.
//!
//! Source: OASIS, Common Security Advisory Framework Version 2.0, section 3 and its JSON
//! schema <https://docs.oasis-open.org/csaf/csaf/v2.0/csaf_json_schema.json>; FIRST CVSS
//! JSON schemas <https://www.first.org/cvss/>.

use crate::assessments::oscal::ImportError;
use crate::assets::identity::{parse_cpe, parse_purl};
use serde_json::Value;

/// What a value must be.
pub(crate) enum Shape {
    Text(Text),
    /// A number within the bounds (a CVSS score).
    Number {
        min: f64,
        max: f64,
    },
    List {
        item: &'static Shape,
        min_items: usize,
        unique: bool,
    },
    Object {
        members: &'static [Member],
        min_members: usize,
        max_members: Option<usize>,
    },
    /// Exactly one of these (the schema's `oneOf`).
    OneOf(&'static [&'static Shape]),
}

pub(crate) struct Text {
    pub(crate) min_len: usize,
    /// Allowed values; empty allows any.
    pub(crate) values: &'static [&'static str],
    pub(crate) format: Option<Format>,
    pub(crate) rule: Option<Rule>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Format {
    DateTime,
    Uri,
}

/// A form the schema gives as a pattern, checked by our own code.
pub(crate) struct Rule {
    /// What the value must be, for the message: "a CVE id".
    pub(crate) what: &'static str,
    pub(crate) check: fn(&str) -> bool,
}

pub(crate) struct Member {
    pub(crate) name: &'static str,
    pub(crate) required: bool,
    pub(crate) shape: &'static Shape,
}

const fn req(name: &'static str, shape: &'static Shape) -> Member {
    Member {
        name,
        required: true,
        shape,
    }
}

const fn opt(name: &'static str, shape: &'static Shape) -> Member {
    Member {
        name,
        required: false,
        shape,
    }
}

const fn text(min_len: usize) -> Shape {
    Shape::Text(Text {
        min_len,
        values: &[],
        format: None,
        rule: None,
    })
}

const fn one_of(values: &'static [&'static str]) -> Shape {
    Shape::Text(Text {
        min_len: 0,
        values,
        format: None,
        rule: None,
    })
}

const fn formatted(format: Format) -> Shape {
    Shape::Text(Text {
        min_len: 0,
        values: &[],
        format: Some(format),
        rule: None,
    })
}

const fn ruled(min_len: usize, format: Option<Format>, what: &'static str, check: fn(&str) -> bool) -> Shape {
    Shape::Text(Text {
        min_len,
        values: &[],
        format,
        rule: Some(Rule { what, check }),
    })
}

const fn list(item: &'static Shape, min_items: usize, unique: bool) -> Shape {
    Shape::List {
        item,
        min_items,
        unique,
    }
}

const fn object(members: &'static [Member]) -> Shape {
    Shape::Object {
        members,
        min_members: 0,
        max_members: None,
    }
}

const fn object_of_at_least(min_members: usize, members: &'static [Member]) -> Shape {
    Shape::Object {
        members,
        min_members,
        max_members: None,
    }
}

static NON_EMPTY: Shape = text(1);
static DATE_TIME: Shape = formatted(Format::DateTime);
static URI: Shape = formatted(Format::Uri);
static NON_EMPTY_LIST: Shape = list(&NON_EMPTY, 1, false);
static DISTINCT_NON_EMPTY_LIST: Shape = list(&NON_EMPTY, 1, true);
static URI_LIST: Shape = list(&URI, 1, false);
static VERSION: Shape = ruled(
    0,
    None,
    "a version: a whole number or a semantic version",
    is_csaf_version,
);
static LANG: Shape = ruled(0, None, "a language tag (BCP 47)", is_language_tag);

// Shared definitions (the schema's `$defs`).
static PRODUCT_ID: Shape = text(1);
static GROUP_ID: Shape = text(1);
static PRODUCTS: Shape = list(&PRODUCT_ID, 1, true);
static GROUPS: Shape = list(&GROUP_ID, 1, true);

static ACKNOWLEDGMENT: Shape = object_of_at_least(
    1,
    &[
        opt("names", &NON_EMPTY_LIST),
        opt("organization", &NON_EMPTY),
        opt("summary", &NON_EMPTY),
        opt("urls", &URI_LIST),
    ],
);
static ACKNOWLEDGMENTS: Shape = list(&ACKNOWLEDGMENT, 1, false);

static NOTE: Shape = object(&[
    opt("audience", &NON_EMPTY),
    req(
        "category",
        &one_of(&[
            "description",
            "details",
            "faq",
            "general",
            "legal_disclaimer",
            "other",
            "summary",
        ]),
    ),
    req("text", &NON_EMPTY),
    opt("title", &NON_EMPTY),
]);
static NOTES: Shape = list(&NOTE, 1, false);

static REFERENCE: Shape = object(&[
    opt("category", &one_of(&["external", "self"])),
    req("summary", &NON_EMPTY),
    req("url", &URI),
]);
static REFERENCES: Shape = list(&REFERENCE, 1, false);

static FILE_HASH: Shape = object(&[
    req("algorithm", &NON_EMPTY),
    req(
        "value",
        &ruled(32, None, "a hash in hexadecimal (at least 32 digits)", is_hex_hash),
    ),
]);
static HASH: Shape = object(&[
    req("file_hashes", &list(&FILE_HASH, 1, false)),
    req("filename", &NON_EMPTY),
]);
static GENERIC_URI: Shape = object(&[req("namespace", &URI), req("uri", &URI)]);
static HELPER: Shape = object_of_at_least(
    1,
    &[
        opt("cpe", &ruled(5, None, "a CPE 2.3 or 2.2 name", is_cpe)),
        opt("hashes", &list(&HASH, 1, false)),
        opt("model_numbers", &DISTINCT_NON_EMPTY_LIST),
        opt(
            "purl",
            &ruled(7, Some(Format::Uri), "a package URL (pkg:type/name)", is_purl),
        ),
        opt("sbom_urls", &URI_LIST),
        opt("serial_numbers", &DISTINCT_NON_EMPTY_LIST),
        opt("skus", &NON_EMPTY_LIST),
        opt("x_generic_uris", &list(&GENERIC_URI, 1, false)),
    ],
);
static FULL_PRODUCT_NAME: Shape = object(&[
    req("name", &NON_EMPTY),
    req("product_id", &PRODUCT_ID),
    opt("product_identification_helper", &HELPER),
]);

static BRANCH: Shape = Shape::Object {
    members: &[
        opt("branches", &BRANCHES),
        req(
            "category",
            &one_of(&[
                "architecture",
                "host_name",
                "language",
                "legacy",
                "patch_level",
                "product_family",
                "product_name",
                "product_version",
                "product_version_range",
                "service_pack",
                "specification",
                "vendor",
            ]),
        ),
        req("name", &NON_EMPTY),
        opt("product", &FULL_PRODUCT_NAME),
    ],
    // A branch is its category, its name, and either deeper branches or a product.
    min_members: 3,
    max_members: Some(3),
};
static BRANCHES: Shape = list(&BRANCH, 1, false);

static DOCUMENT: Shape = object(&[
    opt("acknowledgments", &ACKNOWLEDGMENTS),
    opt(
        "aggregate_severity",
        &object(&[opt("namespace", &URI), req("text", &NON_EMPTY)]),
    ),
    req(
        "category",
        &ruled(
            1,
            None,
            "a category without spaces, '-', '_' or '.' at either end",
            is_document_category,
        ),
    ),
    req("csaf_version", &one_of(&["2.0"])),
    opt(
        "distribution",
        &object_of_at_least(
            1,
            &[
                opt("text", &NON_EMPTY),
                opt(
                    "tlp",
                    &object(&[
                        req("label", &one_of(&["AMBER", "GREEN", "RED", "WHITE"])),
                        opt("url", &URI),
                    ]),
                ),
            ],
        ),
    ),
    opt("lang", &LANG),
    opt("notes", &NOTES),
    req(
        "publisher",
        &object(&[
            req(
                "category",
                &one_of(&["coordinator", "discoverer", "other", "translator", "user", "vendor"]),
            ),
            opt("contact_details", &NON_EMPTY),
            opt("issuing_authority", &NON_EMPTY),
            req("name", &NON_EMPTY),
            req("namespace", &URI),
        ]),
    ),
    opt("references", &REFERENCES),
    opt("source_lang", &LANG),
    req("title", &NON_EMPTY),
    req("tracking", &TRACKING),
]);

static TRACKING: Shape = object(&[
    opt("aliases", &DISTINCT_NON_EMPTY_LIST),
    req("current_release_date", &DATE_TIME),
    opt(
        "generator",
        &object(&[
            opt("date", &DATE_TIME),
            req(
                "engine",
                &object(&[req("name", &NON_EMPTY), opt("version", &NON_EMPTY)]),
            ),
        ]),
    ),
    req("id", &ruled(1, None, "an id without spaces at either end", is_trimmed)),
    req("initial_release_date", &DATE_TIME),
    req(
        "revision_history",
        &list(
            &object(&[
                req("date", &DATE_TIME),
                opt("legacy_version", &NON_EMPTY),
                req("number", &VERSION),
                req("summary", &NON_EMPTY),
            ]),
            1,
            false,
        ),
    ),
    req("status", &one_of(&["draft", "final", "interim"])),
    req("version", &VERSION),
]);

static PRODUCT_TREE: Shape = object_of_at_least(
    1,
    &[
        opt("branches", &BRANCHES),
        opt("full_product_names", &list(&FULL_PRODUCT_NAME, 1, false)),
        opt(
            "product_groups",
            &list(
                &object(&[
                    req("group_id", &GROUP_ID),
                    req("product_ids", &list(&PRODUCT_ID, 2, true)),
                    opt("summary", &NON_EMPTY),
                ]),
                1,
                false,
            ),
        ),
        opt(
            "relationships",
            &list(
                &object(&[
                    req(
                        "category",
                        &one_of(&[
                            "default_component_of",
                            "external_component_of",
                            "installed_on",
                            "installed_with",
                            "optional_component_of",
                        ]),
                    ),
                    req("full_product_name", &FULL_PRODUCT_NAME),
                    req("product_reference", &PRODUCT_ID),
                    req("relates_to_product_reference", &PRODUCT_ID),
                ]),
                1,
                false,
            ),
        ),
    ],
);

static SCORE: Shape = Shape::Number { min: 0.0, max: 10.0 };
static SEVERITY: Shape = one_of(&["NONE", "LOW", "MEDIUM", "HIGH", "CRITICAL"]);
static CVSS_V2: Shape = object(&[
    req("version", &one_of(&["2.0"])),
    req(
        "vectorString",
        &ruled(0, None, "a CVSS 2.0 vector (AV:…/AC:…/Au:…)", is_cvss2_vector),
    ),
    req("baseScore", &SCORE),
    opt("temporalScore", &SCORE),
    opt("environmentalScore", &SCORE),
]);
static CVSS_V30: Shape = object(&[
    req("version", &one_of(&["3.0"])),
    req(
        "vectorString",
        &ruled(0, None, "a CVSS 3.0 vector (CVSS:3.0/AV:…)", is_cvss30_vector),
    ),
    req("baseScore", &SCORE),
    req("baseSeverity", &SEVERITY),
    opt("temporalScore", &SCORE),
    opt("temporalSeverity", &SEVERITY),
    opt("environmentalScore", &SCORE),
    opt("environmentalSeverity", &SEVERITY),
]);
static CVSS_V31: Shape = object(&[
    req("version", &one_of(&["3.1"])),
    req(
        "vectorString",
        &ruled(0, None, "a CVSS 3.1 vector (CVSS:3.1/AV:…)", is_cvss31_vector),
    ),
    req("baseScore", &SCORE),
    req("baseSeverity", &SEVERITY),
    opt("temporalScore", &SCORE),
    opt("temporalSeverity", &SEVERITY),
    opt("environmentalScore", &SCORE),
    opt("environmentalSeverity", &SEVERITY),
]);

static VULNERABILITY: Shape = object_of_at_least(
    1,
    &[
        opt("acknowledgments", &ACKNOWLEDGMENTS),
        opt(
            "cve",
            &ruled(0, None, "a CVE id (CVE-YYYY-NNNN)", crate::alerts::alert::valid_cve),
        ),
        opt(
            "cwe",
            &object(&[
                req("id", &ruled(0, None, "a CWE id (CWE-N)", is_cwe_id)),
                req("name", &NON_EMPTY),
            ]),
        ),
        opt("discovery_date", &DATE_TIME),
        opt(
            "flags",
            &list(
                &object(&[
                    opt("date", &DATE_TIME),
                    opt("group_ids", &GROUPS),
                    req(
                        "label",
                        &one_of(&[
                            "component_not_present",
                            "inline_mitigations_already_exist",
                            "vulnerable_code_cannot_be_controlled_by_adversary",
                            "vulnerable_code_not_in_execute_path",
                            "vulnerable_code_not_present",
                        ]),
                    ),
                    opt("product_ids", &PRODUCTS),
                ]),
                1,
                true,
            ),
        ),
        opt(
            "ids",
            &list(
                &object(&[req("system_name", &NON_EMPTY), req("text", &NON_EMPTY)]),
                1,
                true,
            ),
        ),
        opt(
            "involvements",
            &list(
                &object(&[
                    opt("date", &DATE_TIME),
                    req(
                        "party",
                        &one_of(&["coordinator", "discoverer", "other", "user", "vendor"]),
                    ),
                    req(
                        "status",
                        &one_of(&[
                            "completed",
                            "contact_attempted",
                            "disputed",
                            "in_progress",
                            "not_contacted",
                            "open",
                        ]),
                    ),
                    opt("summary", &NON_EMPTY),
                ]),
                1,
                true,
            ),
        ),
        opt("notes", &NOTES),
        opt(
            "product_status",
            &object_of_at_least(
                1,
                &[
                    opt("first_affected", &PRODUCTS),
                    opt("first_fixed", &PRODUCTS),
                    opt("fixed", &PRODUCTS),
                    opt("known_affected", &PRODUCTS),
                    opt("known_not_affected", &PRODUCTS),
                    opt("last_affected", &PRODUCTS),
                    opt("recommended", &PRODUCTS),
                    opt("under_investigation", &PRODUCTS),
                ],
            ),
        ),
        opt("references", &REFERENCES),
        opt("release_date", &DATE_TIME),
        opt(
            "remediations",
            &list(
                &object(&[
                    req(
                        "category",
                        &one_of(&[
                            "mitigation",
                            "no_fix_planned",
                            "none_available",
                            "vendor_fix",
                            "workaround",
                        ]),
                    ),
                    opt("date", &DATE_TIME),
                    req("details", &NON_EMPTY),
                    opt("entitlements", &NON_EMPTY_LIST),
                    opt("group_ids", &GROUPS),
                    opt("product_ids", &PRODUCTS),
                    opt(
                        "restart_required",
                        &object(&[
                            req(
                                "category",
                                &one_of(&[
                                    "connected",
                                    "dependencies",
                                    "machine",
                                    "none",
                                    "parent",
                                    "service",
                                    "system",
                                    "vulnerable_component",
                                    "zone",
                                ]),
                            ),
                            opt("details", &NON_EMPTY),
                        ]),
                    ),
                    opt("url", &URI),
                ]),
                1,
                false,
            ),
        ),
        opt(
            "scores",
            &list(
                &object_of_at_least(
                    2,
                    &[
                        opt("cvss_v2", &CVSS_V2),
                        opt("cvss_v3", &Shape::OneOf(&[&CVSS_V30, &CVSS_V31])),
                        req("products", &PRODUCTS),
                    ],
                ),
                1,
                false,
            ),
        ),
        opt(
            "threats",
            &list(
                &object(&[
                    req("category", &one_of(&["exploit_status", "impact", "target_set"])),
                    opt("date", &DATE_TIME),
                    req("details", &NON_EMPTY),
                    opt("group_ids", &GROUPS),
                    opt("product_ids", &PRODUCTS),
                ]),
                1,
                false,
            ),
        ),
        opt("title", &NON_EMPTY),
    ],
);

/// The whole document.
pub(crate) static CSAF: Shape = object(&[
    req("document", &DOCUMENT),
    opt("product_tree", &PRODUCT_TREE),
    opt("vulnerabilities", &list(&VULNERABILITY, 1, false)),
]);

/// Checks a parsed document against the schema; the first breach, with its JSON pointer.
pub fn validate(doc: &Value) -> Result<(), ImportError> {
    check(&CSAF, doc, "")
}

fn fail(at: &str, message: String) -> Result<(), ImportError> {
    Err(ImportError {
        location: if at.is_empty() { "/".to_owned() } else { at.to_owned() },
        message,
    })
}

/// A member's pointer: `~` and `/` in its name escaped as RFC 6901 says.
fn pointer(at: &str, name: &str) -> String {
    format!("{at}/{}", name.replace('~', "~0").replace('/', "~1"))
}

fn check(shape: &Shape, value: &Value, at: &str) -> Result<(), ImportError> {
    match shape {
        Shape::Text(t) => check_text(t, value, at),
        Shape::Number { min, max } => match value.as_f64() {
            Some(n) if (*min..=*max).contains(&n) => Ok(()),
            _ => fail(at, format!("must be a number from {min} to {max}")),
        },
        Shape::List {
            item,
            min_items,
            unique,
        } => {
            let Some(items) = value.as_array() else {
                return fail(at, "must be a list".into());
            };
            if items.len() < *min_items {
                return fail(at, format!("must have at least {min_items} item(s)"));
            }
            for (i, v) in items.iter().enumerate() {
                check(item, v, &format!("{at}/{i}"))?;
                if *unique && items[..i].contains(v) {
                    return fail(
                        &format!("{at}/{i}"),
                        "repeats an earlier item; the items must differ".into(),
                    );
                }
            }
            Ok(())
        }
        Shape::Object {
            members,
            min_members,
            max_members,
        } => {
            let Some(map) = value.as_object() else {
                return fail(at, "must be an object".into());
            };
            for m in members.iter() {
                match map.get(m.name) {
                    Some(v) => check(m.shape, v, &pointer(at, m.name))?,
                    None if m.required => return fail(at, format!("the member `{}` is required", m.name)),
                    None => {}
                }
            }
            if map.len() < *min_members {
                return fail(at, format!("must have at least {min_members} member(s)"));
            }
            if let Some(max) = max_members
                && map.len() > *max
            {
                return fail(at, format!("must have at most {max} members"));
            }
            Ok(())
        }
        Shape::OneOf(options) => {
            let results: Vec<Result<(), ImportError>> = options.iter().map(|s| check(s, value, at)).collect();
            match results.iter().filter(|r| r.is_ok()).count() {
                1 => Ok(()),
                0 => results
                    .into_iter()
                    .filter_map(Result::err)
                    // The option that got furthest says most about what is wrong.
                    .max_by_key(|e| e.location.len())
                    .map_or(Ok(()), Err),
                _ => fail(at, "matches more than one of its allowed forms".into()),
            }
        }
    }
}

fn check_text(t: &Text, value: &Value, at: &str) -> Result<(), ImportError> {
    let Some(s) = value.as_str() else {
        return fail(at, "must be a string".into());
    };
    if s.chars().count() < t.min_len {
        return fail(
            at,
            if t.min_len == 1 {
                "must not be empty".into()
            } else {
                format!("must be at least {} characters", t.min_len)
            },
        );
    }
    if !t.values.is_empty() && !t.values.contains(&s) {
        return fail(at, format!("`{s}` is not one of: {}", t.values.join(", ")));
    }
    match t.format {
        Some(Format::DateTime) if !is_date_time(s) => {
            return fail(
                at,
                format!("`{s}` is not a date and time (RFC 3339, e.g. 2024-05-01T09:30:00Z)"),
            );
        }
        Some(Format::Uri) if !is_uri(s) => return fail(at, format!("`{s}` is not an absolute URI")),
        _ => {}
    }
    if let Some(rule) = &t.rule
        && !(rule.check)(s)
    {
        return fail(at, format!("`{s}` is not {}", rule.what));
    }
    Ok(())
}

/// RFC 3339 date-time: date, `T`, time with optional fraction, and `Z` or an offset.
fn is_date_time(s: &str) -> bool {
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
fn is_uri(s: &str) -> bool {
    let Some((scheme, rest)) = s.split_once(':') else {
        return false;
    };
    let mut chars = scheme.chars();
    chars.next().is_some_and(|c| c.is_ascii_alphabetic())
        && chars.all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'))
        && !rest.is_empty()
        && !s.chars().any(|c| c.is_whitespace() || c.is_control())
}

fn is_trimmed(s: &str) -> bool {
    s.trim() == s
}

fn is_document_category(s: &str) -> bool {
    let edge = |c: char| c.is_whitespace() || matches!(c, '-' | '_' | '.');
    !s.starts_with(edge) && !s.ends_with(edge)
}

/// A whole number without leading zeros, or a semantic version (2.0.0) with optional
/// pre-release and build parts.
fn is_csaf_version(s: &str) -> bool {
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
fn is_language_tag(s: &str) -> bool {
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

fn is_hex_hash(s: &str) -> bool {
    s.len() >= 32 && s.bytes().all(|b| b.is_ascii_hexdigit())
}

fn is_cpe(s: &str) -> bool {
    (s.starts_with("cpe:2.3:") || s.starts_with("cpe:/")) && parse_cpe(s).is_ok()
}

fn is_purl(s: &str) -> bool {
    s.split_once('/')
        .is_some_and(|(t, name)| t.len() > 4 && !name.is_empty())
        && parse_purl(s).is_ok()
}

fn is_cwe_id(s: &str) -> bool {
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

fn is_cvss2_vector(s: &str) -> bool {
    metrics(s, &["AV", "AC", "Au", "C", "I", "A"])
}

fn is_cvss30_vector(s: &str) -> bool {
    s.strip_prefix("CVSS:3.0/").is_some_and(|m| metrics(m, CVSS3_BASE))
}

fn is_cvss31_vector(s: &str) -> bool {
    s.strip_prefix("CVSS:3.1/").is_some_and(|m| metrics(m, CVSS3_BASE))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn minimal() -> Value {
        json!({"document": {
            "category": "csaf_security_advisory", "csaf_version": "2.0", "title": "T",
            "publisher": {"category": "vendor", "name": "Acme", "namespace": "https://acme.example"},
            "tracking": {"id": "ACME-1", "status": "final", "version": "1",
                "current_release_date": "2024-05-01T09:30:00Z", "initial_release_date": "2024-05-01T09:30:00.123+01:00",
                "revision_history": [{"date": "2024-05-01T09:30:00Z", "number": "1", "summary": "First"}]}
        }})
    }

    fn error(doc: &Value) -> (String, String) {
        let e = validate(doc).unwrap_err();
        (e.location, e.message)
    }

    #[test]
    fn a_minimal_document_passes_and_each_breach_names_its_pointer() {
        assert!(validate(&minimal()).is_ok());
        let mut d = minimal();
        d["document"]["tracking"].as_object_mut().unwrap().remove("status");
        assert_eq!(error(&d).0, "/document/tracking");
        assert!(error(&d).1.contains("`status` is required"));
        let mut d = minimal();
        d["document"]["publisher"]["category"] = json!("author");
        assert_eq!(error(&d).0, "/document/publisher/category");
        let mut d = minimal();
        d["document"]["tracking"]["current_release_date"] = json!("2024-05-01");
        assert_eq!(error(&d).0, "/document/tracking/current_release_date");
        let mut d = minimal();
        d["document"]["tracking"]["version"] = json!("01");
        assert_eq!(error(&d).0, "/document/tracking/version");
        let mut d = minimal();
        d["vulnerabilities"] = json!([{"cve": "CVE-2024-1234", "product_status": {"fixed": ["A", "A"]}}]);
        assert_eq!(error(&d).0, "/vulnerabilities/0/product_status/fixed/1");
        let mut d = minimal();
        d["vulnerabilities"] = json!([]);
        assert_eq!(error(&d).0, "/vulnerabilities");
        let mut d = minimal();
        d["product_tree"] = json!({"branches": [{"category": "vendor", "name": "Acme"}]});
        assert_eq!(
            error(&d),
            (
                "/product_tree/branches/0".into(),
                "must have at least 3 member(s)".into()
            )
        );
        let mut d = minimal();
        d["vulnerabilities"] = json!([{"scores": [{"products": ["A"], "cvss_v3": {"version": "3.1",
            "vectorString": "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H", "baseScore": 11, "baseSeverity": "CRITICAL"}}]}]);
        assert_eq!(error(&d).0, "/vulnerabilities/0/scores/0/cvss_v3/baseScore");
        d["vulnerabilities"][0]["scores"][0]["cvss_v3"]["baseScore"] = json!(9.8);
        assert!(validate(&d).is_ok());
        let mut d = minimal();
        d["document"]["notes"] = json!([{"category": "summary", "text": ""}]);
        assert_eq!(error(&d), ("/document/notes/0/text".into(), "must not be empty".into()));
    }

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

/// The published schemas (`../shared/data/csaf/schema`) and the table above agree.
#[cfg(test)]
mod conformance {
    use super::*;
    use std::collections::BTreeSet;
    use std::path::Path;

    struct Schemas<'a> {
        dir: &'a Path,
    }

    impl Schemas<'_> {
        fn load(&self, file: &str) -> Value {
            let text = std::fs::read_to_string(self.dir.join(file)).unwrap();
            serde_json::from_str(&text).unwrap()
        }

        /// Follows a `$ref` within `root` (`#/$defs/x`, `#/definitions/x`) or to a FIRST CVSS
        /// schema kept beside it; answers the node and the document it is in.
        fn resolve(&self, node: &Value, root: &Value) -> (Value, Value) {
            match node.get("$ref").and_then(Value::as_str) {
                Some(r) if r.starts_with('#') => {
                    let target = root.pointer(&r[1..]).unwrap_or_else(|| panic!("{r} not found")).clone();
                    self.resolve(&target, root)
                }
                Some(r) => {
                    let file = r.rsplit('/').next().unwrap();
                    let doc = self.load(file);
                    (doc.clone(), doc)
                }
                None => (node.clone(), root.clone()),
            }
        }

        /// Compares one of our shapes with the schema's node at `at`. CVSS objects are
        /// compared on the members we check (all the required ones among them).
        fn compare(&self, ours: &Shape, node: &Value, root: &Value, at: &str, seen: &mut Vec<String>) {
            let (node, root) = self.resolve(node, root);
            // A shape met again against the same node (branches hold branches) is done.
            let key = format!("{:p} {node}", ours);
            if seen.contains(&key) {
                return;
            }
            seen.push(key);
            let cvss = root.pointer("/properties/vectorString").is_some();
            let usize_of = |k: &str| node.get(k).and_then(Value::as_u64).map(|n| n as usize);
            match ours {
                Shape::Text(t) => {
                    assert_eq!(node["type"], "string", "{at}: type");
                    assert_eq!(usize_of("minLength").unwrap_or(0), t.min_len, "{at}: minLength");
                    let theirs: BTreeSet<&str> = node
                        .get("enum")
                        .and_then(Value::as_array)
                        .into_iter()
                        .flatten()
                        .filter_map(Value::as_str)
                        .collect();
                    let mine: BTreeSet<&str> = t.values.iter().copied().collect();
                    assert_eq!(mine, theirs, "{at}: enum");
                    let format = match node.get("format").and_then(Value::as_str) {
                        Some("date-time") => Some(Format::DateTime),
                        Some("uri") => Some(Format::Uri),
                        Some(other) => panic!("{at}: format {other} is not handled"),
                        None => None,
                    };
                    assert_eq!(t.format, format, "{at}: format");
                    let pattern = node.get("pattern").is_some();
                    assert!(
                        pattern == t.rule.is_some() || (cvss && at.ends_with("vectorString")),
                        "{at}: the schema {} a pattern",
                        if pattern { "gives" } else { "gives no" }
                    );
                }
                Shape::Number { min, max } => {
                    assert_eq!(node["type"], "number", "{at}: type");
                    assert_eq!(node["minimum"].as_f64(), Some(*min), "{at}: minimum");
                    assert_eq!(node["maximum"].as_f64(), Some(*max), "{at}: maximum");
                }
                Shape::List {
                    item,
                    min_items,
                    unique,
                } => {
                    assert_eq!(node["type"], "array", "{at}: type");
                    assert_eq!(usize_of("minItems").unwrap_or(0), *min_items, "{at}: minItems");
                    assert_eq!(
                        node.get("uniqueItems").and_then(Value::as_bool).unwrap_or(false),
                        *unique,
                        "{at}: uniqueItems"
                    );
                    self.compare(item, &node["items"], &root, &format!("{at}/[]"), seen);
                }
                Shape::Object {
                    members,
                    min_members,
                    max_members,
                } => {
                    assert_eq!(node["type"], "object", "{at}: type");
                    let props = node["properties"]
                        .as_object()
                        .unwrap_or_else(|| panic!("{at}: no properties"));
                    let theirs: BTreeSet<&str> = props.keys().map(String::as_str).collect();
                    let mine: BTreeSet<&str> = members.iter().map(|m| m.name).collect();
                    if cvss {
                        assert!(mine.is_subset(&theirs), "{at}: members {:?}", mine.difference(&theirs));
                    } else {
                        assert_eq!(mine, theirs, "{at}: members");
                    }
                    let required: BTreeSet<&str> = node
                        .get("required")
                        .and_then(Value::as_array)
                        .into_iter()
                        .flatten()
                        .filter_map(Value::as_str)
                        .collect();
                    let mine_required: BTreeSet<&str> = members.iter().filter(|m| m.required).map(|m| m.name).collect();
                    assert_eq!(mine_required, required, "{at}: required");
                    assert_eq!(
                        usize_of("minProperties").unwrap_or(0),
                        *min_members,
                        "{at}: minProperties"
                    );
                    assert_eq!(usize_of("maxProperties"), *max_members, "{at}: maxProperties");
                    for m in members.iter() {
                        self.compare(m.shape, &props[m.name], &root, &format!("{at}/{}", m.name), seen);
                    }
                }
                Shape::OneOf(options) => {
                    let theirs = node["oneOf"].as_array().unwrap_or_else(|| panic!("{at}: no oneOf"));
                    assert_eq!(theirs.len(), options.len(), "{at}: oneOf");
                    for (i, (o, t)) in options.iter().zip(theirs).enumerate() {
                        self.compare(o, t, &root, &format!("{at}/oneOf{i}"), seen);
                    }
                }
            }
        }
    }

    #[test]
    fn the_table_is_the_published_schema() {
        let Some(dir) = crate::assets::shared_data::shared("csaf/schema") else {
            return;
        };
        let schemas = Schemas { dir: &dir };
        let root = schemas.load("csaf_json_schema.json");
        let mut seen = Vec::new();
        schemas.compare(&CSAF, &root, &root, "", &mut seen);
        assert!(seen.len() > 100, "walked {} nodes", seen.len());
    }
}
