//! Random tokens, their hashes, and password hashing.
//!
//! Session, API and invitation tokens are 256-bit random values; only their SHA-256 is stored,
//! which is enough for high-entropy secrets (no salt or slow hash needed) and lets lookups use
//! an index. Passwords are hashed with Argon2id on a blocking thread.

use crate::CoreError;
use argon2::password_hash::{PasswordHasher, PasswordVerifier};
use argon2::{Algorithm, Argon2, Params, Version};
use data_encoding::BASE64URL_NOPAD;
use sha2::{Digest, Sha256};

/// Random bytes from the operating system's generator.
pub fn random_bytes<const N: usize>() -> [u8; N] {
    let mut bytes = [0u8; N];
    rand::fill(&mut bytes[..]);
    bytes
}

/// A new secret token with a readable prefix saying what it is (`hys_` session,
/// `hyt_` API token, `hyi_` invitation), so leaked tokens can be recognised by scanners.
pub fn new_token(prefix: &str) -> String {
    format!("{prefix}{}", BASE64URL_NOPAD.encode(&random_bytes::<32>()))
}

/// The stored form of a token.
pub fn token_hash(token: &str) -> String {
    hygeia_domain::audit::hex(&Sha256::digest(token.as_bytes()))
}

/// Argon2id cost. The default is one of OWASP's recommended Argon2id settings (46 MiB, 1 pass,
/// 1 lane). It is chosen over the equally strong 19 MiB / 2 passes because a block above glibc's
/// 32 MiB dynamic mmap ceiling is always mapped and unmapped, so memory goes back to the system
/// after each hash instead of staying in per-thread arenas (measured: 13 hashes at 19 MiB left
/// the server at 227 MiB resident; see BENCHMARKS.md). Tests use a cheaper setting.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct HashCost {
    pub memory_kib: u32,
    pub iterations: u32,
}

impl Default for HashCost {
    fn default() -> Self {
        Self {
            memory_kib: 46 * 1024,
            iterations: 1,
        }
    }
}

impl HashCost {
    pub const FOR_TESTS: HashCost = HashCost {
        memory_kib: 64,
        iterations: 1,
    };

    fn hasher(self) -> Result<Argon2<'static>, CoreError> {
        let params = Params::new(self.memory_kib, self.iterations, 1, None)
            .map_err(|e| CoreError::Internal(format!("argon2 parameters: {e}")))?;
        Ok(Argon2::new(Algorithm::Argon2id, Version::V0x13, params))
    }
}

/// Password hashing and checking, at most `MAX_CONCURRENT` at a time so that a burst of
/// sign-ins cannot take more than that many hashes' memory.
pub struct Passwords {
    cost: HashCost,
    permits: tokio::sync::Semaphore,
}

const MAX_CONCURRENT: usize = 2;

/// A password nobody knows, verified against when the account does not exist, so that a wrong
/// email takes as long as a wrong password and reveals nothing.
const DUMMY_PASSWORD: &str = "no account has this password";

impl Passwords {
    pub fn new(cost: HashCost) -> Self {
        Self {
            cost,
            permits: tokio::sync::Semaphore::new(MAX_CONCURRENT),
        }
    }

    /// Hashes a password into a PHC string (which carries its own salt and parameters).
    pub async fn hash(&self, password: &str) -> Result<String, CoreError> {
        let _permit = self
            .permits
            .acquire()
            .await
            .map_err(|e| CoreError::Internal(e.to_string()))?;
        let password = password.to_owned();
        let salt = random_bytes::<16>();
        let cost = self.cost;
        tokio::task::spawn_blocking(move || {
            let hash = cost
                .hasher()?
                .hash_password_with_salt(password.as_bytes(), &salt)
                .map_err(|e| CoreError::Internal(format!("argon2: {e}")))?;
            Ok(hash.to_string())
        })
        .await
        .map_err(|e| CoreError::Internal(format!("hashing task: {e}")))?
    }

    /// Checks a password against a stored hash, or against a fresh dummy hash when `stored` is
    /// none (same cost, same time).
    pub async fn verify(&self, password: &str, stored: Option<&str>) -> Result<bool, CoreError> {
        let stored = match stored {
            Some(s) => s.to_owned(),
            None => {
                self.hash(DUMMY_PASSWORD).await?;
                return Ok(false);
            }
        };
        let _permit = self
            .permits
            .acquire()
            .await
            .map_err(|e| CoreError::Internal(e.to_string()))?;
        let password = password.to_owned();
        tokio::task::spawn_blocking(move || {
            Ok(Argon2::default()
                .verify_password(password.as_bytes(), stored.as_str())
                .is_ok())
        })
        .await
        .map_err(|e| CoreError::Internal(format!("verification task: {e}")))?
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn hash_and_verify() {
        let passwords = Passwords::new(HashCost::FOR_TESTS);
        let hash = passwords.hash("tulip-ferry-quartz-41").await.unwrap();
        assert!(hash.starts_with("$argon2id$v=19$m=64,t=1,p=1$"));
        assert!(passwords.verify("tulip-ferry-quartz-41", Some(&hash)).await.unwrap());
        assert!(!passwords.verify("tulip-ferry-quartz-42", Some(&hash)).await.unwrap());
        assert!(!passwords.verify("anything", None).await.unwrap());
    }

    #[test]
    fn the_default_cost_is_above_the_mmap_ceiling() {
        // glibc's largest dynamic mmap threshold is 32 MiB on 64-bit systems.
        assert!(HashCost::default().memory_kib > 32 * 1024);
    }

    #[test]
    fn tokens_are_unique_and_hashed() {
        let a = new_token("hyt_");
        let b = new_token("hyt_");
        assert_ne!(a, b);
        assert!(a.starts_with("hyt_") && a.len() > 40);
        assert_eq!(token_hash(&a).len(), 64);
        assert_ne!(token_hash(&a), token_hash(&b));
    }
}
