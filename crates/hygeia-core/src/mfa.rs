//! Multi-factor authentication with TOTP authenticator apps, and one-time recovery codes.

use crate::access::Actor;
use crate::auth::SignedIn;
use crate::secrets::{random_bytes, token_hash};
use crate::{CoreError, Hygeia};
use data_encoding::BASE32_NOPAD;
use hygeia_domain::totp;
use hygeia_store::model::{MfaState, Session, User};
use serde_json::json;

/// How many recovery codes a person gets when they turn MFA on.
const RECOVERY_CODES: usize = 10;

/// What the person needs to add Hygeia to their authenticator app.
#[derive(Debug, Clone)]
pub struct MfaSetup {
    pub secret_base32: String,
    pub otpauth_uri: String,
}

fn secret_bytes(user: &User) -> Result<Vec<u8>, CoreError> {
    let secret = user
        .totp_secret
        .as_deref()
        .ok_or(CoreError::Conflict("multi-factor set-up has not been started".into()))?;
    BASE32_NOPAD
        .decode(secret.as_bytes())
        .map_err(|e| CoreError::Internal(format!("stored TOTP secret: {e}")))
}

/// A recovery code as people read it: four groups of four, no confusable characters.
fn new_recovery_code() -> String {
    const ALPHABET: &[u8] = b"abcdefghjkmnpqrstuvwxyz23456789";
    let bytes = random_bytes::<16>();
    let chars: Vec<char> = bytes
        .iter()
        .map(|b| ALPHABET[usize::from(*b) % ALPHABET.len()] as char)
        .collect();
    chars
        .chunks(4)
        .map(|c| c.iter().collect::<String>())
        .collect::<Vec<_>>()
        .join("-")
}

fn normalise_recovery_code(code: &str) -> String {
    code.trim().to_lowercase().replace([' ', '-'], "")
}

impl Hygeia {
    /// Starts set-up, or shows the same secret again if set-up was started and not finished
    /// (so a mistyped code does not make the person scan a new QR code). Refused once MFA is on.
    pub async fn start_mfa_setup(&self, actor: &Actor) -> Result<MfaSetup, CoreError> {
        let user = self.store.get_user(actor.user.id).await?;
        if user.totp_enabled {
            return Err(CoreError::Conflict(
                "multi-factor authentication is already set up".into(),
            ));
        }
        let secret = match user.totp_secret {
            Some(pending) => pending,
            None => {
                let fresh = BASE32_NOPAD.encode(&random_bytes::<20>());
                self.store.start_totp(user.id, &fresh, self.now_ms()).await?;
                fresh
            }
        };
        Ok(MfaSetup {
            otpauth_uri: totp::provisioning_uri(&secret, user.email.as_str(), "Hygeia"),
            secret_base32: secret,
        })
    }

    /// Finishes set-up with a code from the app. Returns the recovery codes (shown once) and
    /// the replacement session, now fully signed in.
    pub async fn confirm_mfa_setup(
        &self,
        actor: &Actor,
        code: &str,
    ) -> Result<(Vec<String>, Option<SignedIn>), CoreError> {
        let user = self.store.get_user(actor.user.id).await?;
        if user.totp_enabled {
            return Err(CoreError::Conflict(
                "multi-factor authentication is already set up".into(),
            ));
        }
        let secret = secret_bytes(&user)?;
        let now_s = self.now_ms() / 1000;
        let Some(step) = totp::verify(&secret, code, now_s, None) else {
            return Err(CoreError::field(
                "code",
                "that code is not right; check the time on your phone and try the newest code",
            ));
        };
        let codes: Vec<String> = (0..RECOVERY_CODES).map(|_| new_recovery_code()).collect();
        let hashes: Vec<String> = codes.iter().map(|c| token_hash(&normalise_recovery_code(c))).collect();
        let audit = self.audit(
            Some(actor),
            None,
            "user.mfa_enable",
            "user",
            user.id,
            json!({"totp": true}),
        );
        self.store
            .enable_totp(user.id, step, &hashes, self.now_ms(), &audit)
            .await?;
        let session = match actor.session() {
            Some(s) => Some(self.rotate_session(s, &user, MfaState::Complete).await?),
            None => None,
        };
        Ok((codes, session))
    }

    /// The second step of sign-in: a code from the app, or a recovery code. Throttled like
    /// passwords. On success the session is replaced by a fully signed-in one.
    pub async fn complete_mfa(
        &self,
        session: &Session,
        user: &User,
        code: &str,
        source: &str,
    ) -> Result<SignedIn, CoreError> {
        if session.mfa_state != MfaState::Pending {
            return Err(CoreError::Conflict("no code is expected for this session".into()));
        }
        let email = user.email.to_string();
        self.check_throttle(&email, source).await?;
        let user = self.store.get_user(user.id).await?;
        let secret = secret_bytes(&user)?;
        let typed: String = code.chars().filter(|c| !c.is_whitespace()).collect();
        let accepted = if typed.len() == totp::DIGITS as usize && typed.chars().all(|c| c.is_ascii_digit()) {
            match totp::verify(&secret, &typed, self.now_ms() / 1000, user.totp_last_step) {
                Some(step) => self.store.use_totp_step(user.id, step).await?,
                None => false,
            }
        } else {
            let hash = token_hash(&normalise_recovery_code(code));
            let actor = Actor {
                user: user.clone(),
                credential: crate::Credential::Session(session.clone()),
            };
            let audit = self.audit(
                Some(&actor),
                None,
                "user.recovery_code_used",
                "user",
                user.id,
                json!({}),
            );
            self.store
                .use_recovery_code(user.id, &hash, self.now_ms(), &audit)
                .await?
        };
        if !accepted {
            self.record_failure(&email, source).await?;
            return Err(CoreError::field("code", "that code is not right"));
        }
        self.rotate_session(session, &user, MfaState::Complete).await
    }

    pub async fn recovery_codes_left(&self, actor: &Actor) -> Result<u64, CoreError> {
        Ok(self.store.unused_recovery_codes(actor.user.id).await?)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn recovery_codes_read_well_and_normalise() {
        let code = new_recovery_code();
        assert_eq!(code.len(), 19);
        assert_eq!(code.matches('-').count(), 3);
        assert_eq!(normalise_recovery_code(&code.to_uppercase()), code.replace('-', ""));
    }
}
