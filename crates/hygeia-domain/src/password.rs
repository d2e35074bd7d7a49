//! Password rules as the NCSC and Cyber Essentials advise: a good minimum length and a
//! deny-list of common passwords, with no composition rules and no forced expiry.
//! (Cyber Essentials requirements for user access control: at least 12 characters, or 8 with
//! MFA or a deny-list; we ask for 12 and apply the deny-list as well.)

use crate::Invalid;
use crate::email::Email;
use std::collections::HashSet;
use std::sync::OnceLock;

pub const MIN_LENGTH: usize = 12;
/// Long enough for any passphrase, short enough that hashing cannot be used to exhaust the
/// server.
pub const MAX_LENGTH: usize = 256;

fn deny_list() -> &'static HashSet<&'static str> {
    static LIST: OnceLock<HashSet<&'static str>> = OnceLock::new();
    LIST.get_or_init(|| {
        include_str!("common-passwords.txt")
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty() && !l.starts_with('#'))
            .collect()
    })
}

/// Drops the digits and symbols people add around a common word, undoes the symbol swaps they
/// use inside it, and keeps the letters, so `P@ssw0rd2024!` is seen as `password`.
fn base_word(password: &str) -> String {
    password
        .trim_matches(|c: char| !c.is_alphabetic())
        .to_lowercase()
        .chars()
        .map(|c| match c {
            '0' => 'o',
            '1' | '!' => 'i',
            '3' => 'e',
            '4' | '@' => 'a',
            '5' | '$' => 's',
            '7' => 't',
            other => other,
        })
        .filter(|c| c.is_alphabetic())
        .collect()
}

/// Whether the base word is a common word repeated (e.g. `monkeymonkey`).
fn is_repeated_common(base: &str, list: &HashSet<&str>) -> bool {
    (1..=base.len() / 2).any(|n| {
        base.len().is_multiple_of(n)
            && base.is_char_boundary(n)
            && base[..n].repeat(base.len() / n) == base
            && (list.contains(&base[..n]) || n <= 3)
    })
}

/// Checks a new password. `email` lets us refuse passwords built from the person's own name.
pub fn check_new_password(password: &str, email: Option<&Email>) -> Result<(), Invalid> {
    let field = "password";
    let length = password.chars().count();
    if length < MIN_LENGTH {
        return Err(Invalid::one(
            field,
            format!("must be at least {MIN_LENGTH} characters; a few unrelated words make a good one"),
        ));
    }
    if length > MAX_LENGTH {
        return Err(Invalid::one(field, format!("must be at most {MAX_LENGTH} characters")));
    }
    let distinct: HashSet<char> = password.chars().collect();
    if distinct.len() < 4 {
        return Err(Invalid::one(field, "uses too few different characters"));
    }
    let list = deny_list();
    let base = base_word(password);
    if base.is_empty() {
        return Err(Invalid::one(
            field,
            "must contain some letters; a few unrelated words make a good one",
        ));
    }
    if list.contains(base.as_str()) || is_repeated_common(&base, list) {
        return Err(Invalid::one(field, "is too common; choose something less predictable"));
    }
    if let Some(email) = email {
        let local = base_word(email.local_part());
        if local.len() >= 4 && base.contains(&local) {
            return Err(Invalid::one(field, "must not contain your email address"));
        }
    }
    if is_sequence(password) {
        return Err(Invalid::one(field, "is a keyboard or number sequence"));
    }
    Ok(())
}

/// Runs like `123456789012` or `abcdefghijkl`: each character one step from the last.
fn is_sequence(password: &str) -> bool {
    let codes: Vec<i64> = password.chars().map(|c| i64::from(u32::from(c))).collect();
    let steps: HashSet<i64> = codes.windows(2).map(|w| w[1] - w[0]).collect();
    steps.len() == 1 && steps.iter().all(|s| s.abs() <= 1)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn refuses_short_and_common() {
        for bad in [
            "short",
            "Password1234!",
            "P@ssw0rd2024!!",
            "qwertyuiop12",
            "monkeymonkeymonkey",
            "aaaaaaaaaaaaaaaa",
            "123456789012",
            "abcdefghijklmn",
            "Welcome2026!!",
            "nhsnhsnhsnhs",
        ] {
            let err = check_new_password(bad, None).expect_err(bad);
            assert_eq!(err.0[0].field, "password");
        }
    }

    #[test]
    fn accepts_passphrases() {
        for good in ["correct horse battery staple", "tulip-ferry-quartz-41", "Gx7#kL2p!qZ9w"] {
            assert!(check_new_password(good, None).is_ok(), "{good}");
        }
    }

    #[test]
    fn refuses_own_email_name() {
        let email = Email::parse("margaret.hughes@example.nhs.uk").unwrap();
        assert!(check_new_password("margaret.hughes-1984", Some(&email)).is_err());
        assert!(check_new_password("tulip-ferry-quartz-41", Some(&email)).is_ok());
    }

    proptest! {
        #[test]
        fn never_panics(s in ".{0,300}") {
            let _ = check_new_password(&s, None);
        }

        #[test]
        fn length_bounds_hold(s in "[a-z ]{0,20}") {
            if s.chars().count() < MIN_LENGTH {
                prop_assert!(check_new_password(&s, None).is_err());
            }
        }
    }
}
