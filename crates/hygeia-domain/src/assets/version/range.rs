//! Version ranges: bounds that must all hold, a single version, everything, or a `vers:`
//! range read as its specification describes.

use super::{Scheme, compare};
use serde::{Deserialize, Serialize};
use std::cmp::Ordering;

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
