//! Time-based one-time passwords (RFC 6238 with RFC 4226's HOTP): HMAC-SHA1, 6 digits,
//! 30-second steps, as every authenticator app implements by default.

use hmac::{Hmac, KeyInit, Mac};
use sha1::Sha1;

pub const STEP_SECONDS: i64 = 30;
pub const DIGITS: u32 = 6;
/// Steps either side of now that are still accepted, to allow for clock drift between the
/// phone and the server (RFC 6238 section 5.2 recommends at most one).
pub const DRIFT_STEPS: i64 = 1;

/// The HOTP value for one counter (RFC 4226 section 5.3, dynamic truncation).
pub fn hotp(secret: &[u8], counter: u64) -> u32 {
    let Ok(mut mac) = Hmac::<Sha1>::new_from_slice(secret) else {
        // HMAC accepts keys of any length; this cannot happen.
        return 0;
    };
    mac.update(&counter.to_be_bytes());
    let digest = mac.finalize().into_bytes();
    let offset = usize::from(digest[19] & 0x0f);
    let binary = (u32::from(digest[offset]) & 0x7f) << 24
        | u32::from(digest[offset + 1]) << 16
        | u32::from(digest[offset + 2]) << 8
        | u32::from(digest[offset + 3]);
    binary % 10u32.pow(DIGITS)
}

/// The step number a Unix time falls in.
pub fn step_at(unix_seconds: i64) -> i64 {
    unix_seconds.div_euclid(STEP_SECONDS)
}

/// The code shown by an authenticator at this time, zero-padded.
pub fn code_at(secret: &[u8], unix_seconds: i64) -> String {
    let step = u64::try_from(step_at(unix_seconds)).unwrap_or(0);
    format!("{:0width$}", hotp(secret, step), width = DIGITS as usize)
}

/// Checks a code typed by the user. Returns the step it matched, which the caller stores so
/// that the same code cannot be replayed (RFC 6238 section 5.2): a code is accepted only for a
/// step later than `last_used_step`.
pub fn verify(secret: &[u8], code: &str, unix_seconds: i64, last_used_step: Option<i64>) -> Option<i64> {
    let code: String = code.chars().filter(|c| !c.is_whitespace()).collect();
    if code.len() != DIGITS as usize || !code.chars().all(|c| c.is_ascii_digit()) {
        return None;
    }
    let now = step_at(unix_seconds);
    (now - DRIFT_STEPS..=now + DRIFT_STEPS)
        .filter(|step| *step >= 0 && last_used_step.is_none_or(|last| *step > last))
        .find(|step| {
            let expected = format!("{:0width$}", hotp(secret, *step as u64), width = DIGITS as usize);
            constant_time_eq(expected.as_bytes(), code.as_bytes())
        })
}

fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// The `otpauth://` URI authenticator apps read from a QR code.
pub fn provisioning_uri(secret_base32: &str, account: &str, issuer: &str) -> String {
    let enc = |s: &str| -> String {
        s.bytes()
            .map(|b| match b {
                b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' | b'@' => (b as char).to_string(),
                other => format!("%{other:02X}"),
            })
            .collect()
    };
    format!(
        "otpauth://totp/{}:{}?secret={}&issuer={}&algorithm=SHA1&digits={}&period={}",
        enc(issuer),
        enc(account),
        secret_base32,
        enc(issuer),
        DIGITS,
        STEP_SECONDS
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// RFC 6238 appendix B test vectors (SHA1 key "12345678901234567890"), last 6 digits.
    #[test]
    fn rfc6238_vectors() {
        let key = b"12345678901234567890";
        for (t, code) in [
            (59, "287082"),
            (1_111_111_109, "081804"),
            (1_111_111_111, "050471"),
            (1_234_567_890, "005924"),
            (2_000_000_000, "279037"),
        ] {
            assert_eq!(code_at(key, t), code, "t={t}");
        }
    }

    #[test]
    fn accepts_drift_and_refuses_replay() {
        let key = b"12345678901234567890";
        let code = code_at(key, 1_000_000);
        let step = verify(key, &code, 1_000_000 + 30, None).unwrap();
        assert_eq!(step, step_at(1_000_000));
        assert_eq!(verify(key, &code, 1_000_000, Some(step)), None, "replay");
        assert_eq!(verify(key, &code, 1_000_000 + 90, None), None, "too old");
        assert_eq!(verify(key, "12345", 1_000_000, None), None);
        assert_eq!(verify(key, "abcdef", 1_000_000, None), None);
    }

    proptest! {
        #[test]
        fn a_fresh_code_always_verifies(t in 0i64..4_000_000_000, key in proptest::collection::vec(any::<u8>(), 10..40)) {
            let code = code_at(&key, t);
            prop_assert_eq!(verify(&key, &code, t, None), Some(step_at(t)));
        }
    }
}
