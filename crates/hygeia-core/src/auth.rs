//! Signing in and out, and recognising sessions and API tokens on each request.

use crate::access::{Actor, Credential};
use crate::secrets::{new_token, token_hash};
use crate::{CoreError, Hygeia};
use hygeia_domain::email::Email;
use hygeia_domain::ids::{OrgId, SessionId};
use hygeia_store::model::{MfaState, Session, User};

/// A new session. `token` goes into the cookie and nowhere else.
#[derive(Debug)]
pub struct SignedIn {
    pub token: String,
    pub session: Session,
}

/// Writes to a session or token's "last used" are skipped when the last one is this recent,
/// so busy clients do not turn every read into a write.
const TOUCH_INTERVAL_MS: i64 = 60_000;

impl Hygeia {
    fn throttle_keys(email: &str, source: &str) -> [String; 2] {
        [format!("account:{email}"), format!("source:{source}")]
    }

    /// Refuses when the account or the source address has failed too often lately
    /// (at most `throttle_limit` failures per `throttle_window_ms` for each).
    pub(crate) async fn check_throttle(&self, email: &str, source: &str) -> Result<(), CoreError> {
        let since = self.now_ms() - self.config.throttle_window_ms;
        for key in Self::throttle_keys(email, source) {
            if self.store.count_sign_in_failures(&key, since).await? >= self.config.throttle_limit {
                let retry_after_secs = u64::try_from(self.config.throttle_window_ms / 1000).unwrap_or(300);
                return Err(CoreError::TooManyAttempts { retry_after_secs });
            }
        }
        Ok(())
    }

    pub(crate) async fn record_failure(&self, email: &str, source: &str) -> Result<(), CoreError> {
        let now = self.now_ms();
        let keys = Self::throttle_keys(email, source);
        self.store
            .record_sign_in_failure(&keys, now, now - self.config.throttle_window_ms)
            .await?;
        Ok(())
    }

    /// Checks email and password and opens a session. Wrong email and wrong password get the
    /// same answer in the same time. The session is new at every sign-in, so a token planted
    /// before sign-in is worthless after it.
    pub async fn sign_in(&self, email: &str, password: &str, source: &str) -> Result<SignedIn, CoreError> {
        let normalised = Email::parse(email)
            .map(|e| e.to_string())
            .unwrap_or_else(|_| email.trim().to_lowercase());
        self.check_throttle(&normalised, source).await?;
        let user = self.store.find_user_by_email(&normalised).await?;
        let ok = self
            .passwords
            .verify(password, user.as_ref().map(|u| u.password_hash.as_str()))
            .await?;
        let Some(user) = user.filter(|_| ok) else {
            self.record_failure(&normalised, source).await?;
            return Err(CoreError::Unauthenticated);
        };
        self.store
            .clear_sign_in_failures(&Self::throttle_keys(&normalised, source)[0])
            .await?;
        let state = self.mfa_state_after_password(&user).await?;
        self.open_session(&user, state, None).await
    }

    /// What a correct password leads to: a code to enter, MFA to set up, or nothing more.
    async fn mfa_state_after_password(&self, user: &User) -> Result<MfaState, CoreError> {
        if user.totp_enabled {
            return Ok(MfaState::Pending);
        }
        if self.mfa_required_for(user).await? {
            return Ok(MfaState::SetupRequired);
        }
        Ok(MfaState::Complete)
    }

    /// MFA is required for platform administrators, for roles that reach many people's data,
    /// and for every member of an organisation that enforces it.
    pub async fn mfa_required_for(&self, user: &User) -> Result<bool, CoreError> {
        if user.is_platform_admin {
            return Ok(true);
        }
        let memberships = self.store.memberships_of(user.id).await?;
        Ok(memberships.iter().any(|m| m.role.needs_mfa_in(m.org.require_mfa)))
    }

    pub(crate) async fn open_session(
        &self,
        user: &User,
        state: MfaState,
        org: Option<OrgId>,
    ) -> Result<SignedIn, CoreError> {
        let now = self.now_ms();
        let token = new_token("hys_");
        let session = Session {
            id: SessionId(self.new_uuid()),
            user_id: user.id,
            current_org_id: org,
            csrf_token: new_token(""),
            mfa_state: state,
            created_at: now,
            expires_at: now + self.config.session_idle_ms.min(self.config.session_absolute_ms),
            last_seen_at: now,
        };
        self.store.create_session(&session, &token_hash(&token)).await?;
        Ok(SignedIn { token, session })
    }

    /// Replaces a session with a fresh one in a new state (after MFA), so the token that was
    /// good for "password only" is not the one that is fully signed in.
    pub(crate) async fn rotate_session(
        &self,
        old: &Session,
        user: &User,
        state: MfaState,
    ) -> Result<SignedIn, CoreError> {
        let fresh = self.open_session(user, state, old.current_org_id).await?;
        self.store.delete_session(old.id).await?;
        Ok(fresh)
    }

    /// The session behind a cookie, kept alive by use. Expired or unknown: none.
    pub async fn session_actor(&self, token: &str) -> Result<Option<Actor>, CoreError> {
        let now = self.now_ms();
        let hash = token_hash(token);
        let generation = self.store.generation();
        let found = match self.cache.session(&hash, generation, now) {
            // A cached session is used only while it is still live by the clock.
            Some(hit) => Some(hit).filter(|(s, _)| s.expires_at > now),
            None => {
                let found = self.store.find_session(&hash, now).await?;
                if let Some(value) = &found {
                    self.cache.put_session(hash, generation, now, value.clone());
                }
                found
            }
        };
        let Some((mut session, user)) = found else {
            return Ok(None);
        };
        if now - session.last_seen_at > TOUCH_INTERVAL_MS {
            let hard_end = session.created_at + self.config.session_absolute_ms;
            let expires = (now + self.config.session_idle_ms).min(hard_end);
            self.store.touch_session(session.id, now, expires).await?;
            session.last_seen_at = now;
            session.expires_at = expires;
        }
        Ok(Some(Actor {
            user,
            credential: Credential::Session(session),
        }))
    }

    /// The API token behind a bearer header. Revoked, expired or unknown: none.
    pub async fn token_actor(&self, token: &str) -> Result<Option<Actor>, CoreError> {
        let now = self.now_ms();
        let hash = token_hash(token);
        let generation = self.store.generation();
        let found = match self.cache.token(&hash, generation, now) {
            Some(hit) => Some(hit).filter(|(t, _)| t.revoked_at.is_none() && t.expires_at.is_none_or(|e| e > now)),
            None => {
                let found = self.store.find_token(&hash, now).await?;
                if let Some(value) = &found {
                    self.cache.put_token(hash, generation, now, value.clone());
                }
                found
            }
        };
        let Some((mut api_token, user)) = found else {
            return Ok(None);
        };
        if api_token.last_used_at.is_none_or(|t| now - t > TOUCH_INTERVAL_MS) {
            self.store.touch_token(api_token.id, now).await?;
            api_token.last_used_at = Some(now);
        }
        Ok(Some(Actor {
            user,
            credential: Credential::Token(api_token),
        }))
    }

    pub async fn sign_out(&self, session: &Session) -> Result<(), CoreError> {
        Ok(self.store.delete_session(session.id).await?)
    }

    /// Makes another of the caller's organisations the current one.
    pub async fn switch_org(&self, actor: &Actor, org: OrgId) -> Result<(), CoreError> {
        let session = actor
            .session()
            .ok_or(CoreError::Forbidden("switching organisation needs a browser session"))?;
        self.scope(actor, org).await?;
        Ok(self.store.set_session_org(session.id, Some(org)).await?)
    }
}
