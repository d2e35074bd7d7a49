//! Semantic versions: pre-releases before the release, build metadata ignored.

use super::{natural, numeric};
use std::cmp::Ordering;

pub(super) fn semver(a: &str, b: &str) -> Ordering {
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
