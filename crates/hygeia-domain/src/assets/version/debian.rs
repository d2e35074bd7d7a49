//! Debian versions: `epoch:upstream-revision`, compared as dpkg does.

use super::{epoch, numeric};
use std::cmp::Ordering;

pub(super) fn debian(a: &str, b: &str) -> Ordering {
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
