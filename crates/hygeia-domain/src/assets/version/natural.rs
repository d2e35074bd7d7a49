//! The ordering of dotted numbers, Windows builds and generic vendor versions.

use super::numeric;
use std::cmp::Ordering;

/// Digits compare as numbers, other characters as text, `.`/`-`/`_` only separate, and a
/// version that is a prefix of another (`1.2` against `1.2.1`) is the lesser.
pub(super) fn natural(a: &str, b: &str) -> Ordering {
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
