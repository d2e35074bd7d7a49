//! Version ordering per scheme, and version ranges.
//!
//! Vendors number releases in different ways, and comparing them as text gets "10.0" < "9.2"
//! wrong. Each scheme here follows its ecosystem's own rule: semantic versions (pre-releases
//! before the release, build metadata ignored), dotted numbers and Windows builds (numeric
//! fields), Debian (`epoch:upstream-revision`, `~` before anything) and RPM
//! (`epoch:version-release`, `~` before and `^` after). `Generic` compares runs of digits as
//! numbers and everything else as text, which orders most vendor schemes sensibly.

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

/// Digits compare as numbers, other characters as text, `.`/`-`/`_` only separate, and a
/// version that is a prefix of another (`1.2` against `1.2.1`) is the lesser.
fn natural(a: &str, b: &str) -> Ordering {
    let mut x = tokens(a);
    let mut y = tokens(b);
    loop {
        match (x.next(), y.next()) {
            (None, None) => return Ordering::Equal,
            // "1.2" < "1.2.1" and "1.2" > "1.2rc1" is too subtle for the generic rule: a
            // trailing numeric field is newer, a trailing word (beta, rc) is older.
            (None, Some(t)) => {
                return if t.is_number() {
                    Ordering::Less
                } else {
                    Ordering::Greater
                };
            }
            (Some(t), None) => {
                return if t.is_number() {
                    Ordering::Greater
                } else {
                    Ordering::Less
                };
            }
            (Some(p), Some(q)) => match p.cmp_token(&q) {
                Ordering::Equal => {}
                other => return other,
            },
        }
    }
}

#[derive(Debug, PartialEq, Eq)]
enum Token<'a> {
    Number(&'a str),
    Word(&'a str),
}

impl Token<'_> {
    fn is_number(&self) -> bool {
        matches!(self, Token::Number(_))
    }

    fn cmp_token(&self, other: &Token<'_>) -> Ordering {
        match (self, other) {
            (Token::Number(a), Token::Number(b)) => numeric(a, b),
            (Token::Word(a), Token::Word(b)) => a.to_ascii_lowercase().cmp(&b.to_ascii_lowercase()),
            // A number outranks a word at the same place: 1.0.1 > 1.0.beta.
            (Token::Number(_), Token::Word(_)) => Ordering::Greater,
            (Token::Word(_), Token::Number(_)) => Ordering::Less,
        }
    }
}

fn tokens(s: &str) -> impl Iterator<Item = Token<'_>> {
    let bytes = s.as_bytes();
    let mut at = 0;
    std::iter::from_fn(move || {
        while at < bytes.len() && !bytes[at].is_ascii_alphanumeric() {
            at += 1;
        }
        if at >= bytes.len() {
            return None;
        }
        let start = at;
        let digit = bytes[at].is_ascii_digit();
        while at < bytes.len() && bytes[at].is_ascii_alphanumeric() && bytes[at].is_ascii_digit() == digit {
            at += 1;
        }
        let text = &s[start..at];
        Some(if digit { Token::Number(text) } else { Token::Word(text) })
    })
}

/// Numbers of any length, compared without parsing (no overflow on 40-digit builds).
fn numeric(a: &str, b: &str) -> Ordering {
    let a = a.trim_start_matches('0');
    let b = b.trim_start_matches('0');
    a.len().cmp(&b.len()).then_with(|| a.cmp(b))
}

fn semver(a: &str, b: &str) -> Ordering {
    let strip = |v: &str| -> (String, Option<String>) {
        let v = v.trim_start_matches(['v', 'V']);
        let v = v.split('+').next().unwrap_or(v);
        match v.split_once('-') {
            Some((core, pre)) => (core.to_owned(), Some(pre.to_owned())),
            None => (v.to_owned(), None),
        }
    };
    let (core_a, pre_a) = strip(a);
    let (core_b, pre_b) = strip(b);
    let fields = |c: &str| -> Vec<String> {
        let mut f: Vec<String> = c.split('.').map(str::to_owned).collect();
        while f.len() < 3 {
            f.push("0".into());
        }
        f
    };
    let (fa, fb) = (fields(&core_a), fields(&core_b));
    for (x, y) in fa.iter().zip(fb.iter()) {
        match natural(x, y) {
            Ordering::Equal => {}
            other => return other,
        }
    }
    match fa.len().cmp(&fb.len()) {
        Ordering::Equal => {}
        other => return natural(&core_a, &core_b).then(other),
    }
    match (pre_a, pre_b) {
        (None, None) => Ordering::Equal,
        (None, Some(_)) => Ordering::Greater,
        (Some(_), None) => Ordering::Less,
        (Some(x), Some(y)) => semver_pre(&x, &y),
    }
}

/// Pre-release identifiers: numeric ones compare as numbers and rank below words; more
/// identifiers win when all shared ones are equal.
fn semver_pre(a: &str, b: &str) -> Ordering {
    let mut x = a.split('.');
    let mut y = b.split('.');
    loop {
        match (x.next(), y.next()) {
            (None, None) => return Ordering::Equal,
            (None, Some(_)) => return Ordering::Less,
            (Some(_), None) => return Ordering::Greater,
            (Some(p), Some(q)) => {
                let pn = !p.is_empty() && p.bytes().all(|c| c.is_ascii_digit());
                let qn = !q.is_empty() && q.bytes().all(|c| c.is_ascii_digit());
                let order = match (pn, qn) {
                    (true, true) => numeric(p, q),
                    (true, false) => Ordering::Less,
                    (false, true) => Ordering::Greater,
                    (false, false) => p.cmp(q),
                };
                if order != Ordering::Equal {
                    return order;
                }
            }
        }
    }
}

/// Splits `epoch:rest` where the epoch is all digits; no epoch is epoch 0.
fn epoch(v: &str) -> (&str, &str) {
    match v.split_once(':') {
        Some((e, rest)) if !e.is_empty() && e.bytes().all(|c| c.is_ascii_digit()) => (e, rest),
        _ => ("0", v),
    }
}

fn debian(a: &str, b: &str) -> Ordering {
    let (ea, ra) = epoch(a);
    let (eb, rb) = epoch(b);
    let split = |r: &str| -> (String, String) {
        match r.rsplit_once('-') {
            Some((u, d)) => (u.to_owned(), d.to_owned()),
            None => (r.to_owned(), String::new()),
        }
    };
    let (ua, da) = split(ra);
    let (ub, db) = split(rb);
    numeric(ea, eb)
        .then_with(|| dpkg_part(&ua, &ub))
        .then_with(|| dpkg_part(&da, &db))
}

/// dpkg's comparison of one part: alternate non-digit runs (letters before non-letters, `~`
/// before everything, even the end) and digit runs compared as numbers.
fn dpkg_part(a: &str, b: &str) -> Ordering {
    fn weight(c: Option<u8>) -> i32 {
        match c {
            Some(b'~') => -1,
            None => 0,
            Some(c) if c.is_ascii_digit() => 0,
            Some(c) if c.is_ascii_alphabetic() => i32::from(c),
            Some(c) => i32::from(c) + 256,
        }
    }
    let (a, b) = (a.as_bytes(), b.as_bytes());
    let (mut i, mut j) = (0, 0);
    while i < a.len() || j < b.len() {
        while (i < a.len() && !a[i].is_ascii_digit()) || (j < b.len() && !b[j].is_ascii_digit()) {
            let wa = weight(a.get(i).copied().filter(|c| !c.is_ascii_digit()));
            let wb = weight(b.get(j).copied().filter(|c| !c.is_ascii_digit()));
            if wa != wb {
                return wa.cmp(&wb);
            }
            if i < a.len() && !a[i].is_ascii_digit() {
                i += 1;
            }
            if j < b.len() && !b[j].is_ascii_digit() {
                j += 1;
            }
        }
        let si = i;
        while i < a.len() && a[i].is_ascii_digit() {
            i += 1;
        }
        let sj = j;
        while j < b.len() && b[j].is_ascii_digit() {
            j += 1;
        }
        let na = std::str::from_utf8(&a[si..i]).unwrap_or("");
        let nb = std::str::from_utf8(&b[sj..j]).unwrap_or("");
        match numeric(na, nb) {
            Ordering::Equal => {}
            other => return other,
        }
    }
    Ordering::Equal
}

fn rpm(a: &str, b: &str) -> Ordering {
    let (ea, ra) = epoch(a);
    let (eb, rb) = epoch(b);
    let split = |r: &str| -> (String, Option<String>) {
        match r.rsplit_once('-') {
            Some((v, rel)) => (v.to_owned(), Some(rel.to_owned())),
            None => (r.to_owned(), None),
        }
    };
    let (va, la) = split(ra);
    let (vb, lb) = split(rb);
    numeric(ea, eb)
        .then_with(|| rpmvercmp(&va, &vb))
        .then_with(|| match (la, lb) {
            // A version without a release matches any release of that version.
            (Some(x), Some(y)) => rpmvercmp(&x, &y),
            _ => Ordering::Equal,
        })
}

/// rpm's segment comparison: alphanumeric segments, numbers beat letters, `~` sorts before
/// everything and `^` after the base version but before anything longer.
fn rpmvercmp(a: &str, b: &str) -> Ordering {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    let (mut i, mut j) = (0, 0);
    loop {
        while i < a.len() && !a[i].is_ascii_alphanumeric() && a[i] != b'~' && a[i] != b'^' {
            i += 1;
        }
        while j < b.len() && !b[j].is_ascii_alphanumeric() && b[j] != b'~' && b[j] != b'^' {
            j += 1;
        }
        let (ta, tb) = (a.get(i).copied(), b.get(j).copied());
        if ta == Some(b'~') || tb == Some(b'~') {
            if ta != Some(b'~') {
                return Ordering::Greater;
            }
            if tb != Some(b'~') {
                return Ordering::Less;
            }
            i += 1;
            j += 1;
            continue;
        }
        if ta == Some(b'^') || tb == Some(b'^') {
            if ta.is_none() {
                return Ordering::Less;
            }
            if tb.is_none() {
                return Ordering::Greater;
            }
            if ta != Some(b'^') {
                return Ordering::Greater;
            }
            if tb != Some(b'^') {
                return Ordering::Less;
            }
            i += 1;
            j += 1;
            continue;
        }
        if i >= a.len() || j >= b.len() {
            break;
        }
        let digit = a[i].is_ascii_digit();
        let (si, sj) = (i, j);
        let class = |c: u8| {
            if digit {
                c.is_ascii_digit()
            } else {
                c.is_ascii_alphabetic()
            }
        };
        while i < a.len() && class(a[i]) {
            i += 1;
        }
        while j < b.len() && class(b[j]) {
            j += 1;
        }
        if sj == j {
            // Segments of different kinds: a number is newer than letters.
            return if digit { Ordering::Greater } else { Ordering::Less };
        }
        let sa = std::str::from_utf8(&a[si..i]).unwrap_or("");
        let sb = std::str::from_utf8(&b[sj..j]).unwrap_or("");
        let order = if digit { numeric(sa, sb) } else { sa.cmp(sb) };
        if order != Ordering::Equal {
            return order;
        }
    }
    let rest_a = i < a.len();
    let rest_b = j < b.len();
    match (rest_a, rest_b) {
        (false, false) => Ordering::Equal,
        (true, false) => Ordering::Greater,
        (false, true) => Ordering::Less,
        (true, true) => Ordering::Equal,
    }
}

/// One bound of a range.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Bound {
    pub op: Op,
    pub version: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Op {
    #[serde(rename = "=")]
    Eq,
    #[serde(rename = "!=")]
    Ne,
    #[serde(rename = "<")]
    Lt,
    #[serde(rename = "<=")]
    Le,
    #[serde(rename = ">")]
    Gt,
    #[serde(rename = ">=")]
    Ge,
}

/// A set of versions: bounds that must all hold (`>=2.0, <2.4.1`), or, for a `vers:` range,
/// the union its specification describes. `All` is every version (a CPE with `*`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Range {
    All,
    Exactly {
        version: String,
    },
    Bounds {
        bounds: Vec<Bound>,
    },
    /// A `vers:` range: constraints sorted by version, read as intervals.
    Vers {
        constraints: Vec<Bound>,
    },
}

impl Range {
    /// Reads `vers:rpm/>=1.0|<2.0`, `<=12.1.3`, `>= 2.0, < 3.0`, `*`, or a single version.
    pub fn parse(text: &str) -> Result<Range, String> {
        let t = text.trim();
        if t.is_empty() {
            return Err("an empty version range".into());
        }
        if t == "*" || t.eq_ignore_ascii_case("all") || t == "-" {
            return Ok(Range::All);
        }
        if let Some(rest) = t.strip_prefix("vers:") {
            let (_, spec) = rest
                .split_once('/')
                .ok_or_else(|| format!("`{t}` is not a vers range: no `/` after the scheme"))?;
            if spec.trim() == "*" {
                return Ok(Range::All);
            }
            let constraints = spec
                .split('|')
                .map(|c| {
                    bound(c.trim()).map(|b| {
                        b.unwrap_or(Bound {
                            op: Op::Eq,
                            version: c.trim().to_owned(),
                        })
                    })
                })
                .collect::<Result<Vec<_>, _>>()?;
            return Ok(Range::Vers { constraints });
        }
        let mut bounds = Vec::new();
        for part in t.split([',', '&']).map(str::trim).filter(|p| !p.is_empty()) {
            match bound(part)? {
                Some(b) => bounds.push(b),
                None if bounds.is_empty() && !t.contains(',') => {
                    return Ok(Range::Exactly {
                        version: part.to_owned(),
                    });
                }
                None => return Err(format!("`{part}` in `{t}` has no comparison (<, <=, >, >=, =)")),
            }
        }
        Ok(Range::Bounds { bounds })
    }

    /// Whether `version` is in the range under `scheme`.
    pub fn contains(&self, scheme: Scheme, version: &str) -> bool {
        match self {
            Range::All => true,
            Range::Exactly { version: v } => compare(scheme, version, v) == Ordering::Equal,
            Range::Bounds { bounds } => bounds.iter().all(|b| holds(scheme, version, b)),
            Range::Vers { constraints } => vers_contains(scheme, constraints, version),
        }
    }
}

/// `>=1.2` → a bound; a bare version → None.
fn bound(part: &str) -> Result<Option<Bound>, String> {
    let ops = [
        (">=", Op::Ge),
        ("<=", Op::Le),
        ("!=", Op::Ne),
        ("==", Op::Eq),
        (">", Op::Gt),
        ("<", Op::Lt),
        ("=", Op::Eq),
    ];
    for (text, op) in ops {
        if let Some(v) = part.strip_prefix(text) {
            let version = v.trim();
            if version.is_empty() {
                return Err(format!("`{part}` has a comparison but no version"));
            }
            return Ok(Some(Bound {
                op,
                version: version.to_owned(),
            }));
        }
    }
    Ok(None)
}

fn holds(scheme: Scheme, version: &str, b: &Bound) -> bool {
    let o = compare(scheme, version, &b.version);
    match b.op {
        Op::Eq => o == Ordering::Equal,
        Op::Ne => o != Ordering::Equal,
        Op::Lt => o == Ordering::Less,
        Op::Le => o != Ordering::Greater,
        Op::Gt => o == Ordering::Greater,
        Op::Ge => o != Ordering::Less,
    }
}

/// The vers algorithm: equality and inequality constraints are checked first; the others,
/// sorted by version, form intervals, each lower bound opening one that the next upper bound
/// closes. A lone upper bound covers everything below it, a lone lower bound everything above.
fn vers_contains(scheme: Scheme, constraints: &[Bound], version: &str) -> bool {
    if constraints.iter().any(|b| b.op == Op::Eq && holds(scheme, version, b)) {
        return true;
    }
    if constraints.iter().any(|b| b.op == Op::Ne && !holds(scheme, version, b)) {
        return false;
    }
    let mut ranged: Vec<&Bound> = constraints
        .iter()
        .filter(|b| !matches!(b.op, Op::Eq | Op::Ne))
        .collect();
    if ranged.is_empty() {
        return constraints.iter().all(|b| b.op == Op::Ne);
    }
    ranged.sort_by(|a, b| compare(scheme, &a.version, &b.version));
    let mut open: Option<&Bound> = None;
    for (i, b) in ranged.iter().enumerate() {
        match b.op {
            Op::Gt | Op::Ge => {
                if open.is_none() {
                    open = Some(b);
                }
                if i == ranged.len() - 1 && holds(scheme, version, b) {
                    return true;
                }
            }
            Op::Lt | Op::Le => {
                let above_lower = open.is_none_or(|l| holds(scheme, version, l));
                if above_lower && holds(scheme, version, b) {
                    return true;
                }
                open = None;
            }
            Op::Eq | Op::Ne => {}
        }
    }
    false
}

#[cfg(test)]
mod tests;
