//! RPM versions: `epoch:version-release`, compared as rpm does.

use super::{epoch, numeric};
use std::cmp::Ordering;

pub(super) fn rpm(a: &str, b: &str) -> Ordering {
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
