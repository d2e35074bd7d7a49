//! Accounts created by administrators (the command line and demo data). People invited
//! through the web create their own accounts (see `invitations`).

use crate::access::Actor;
use crate::{CoreError, Hygeia};
use hygeia_domain::email::Email;
use hygeia_domain::ids::{OrgId, UserId};
use hygeia_domain::org::parse_name;
use hygeia_domain::password::check_new_password;
use hygeia_domain::roles::Role;
use hygeia_domain::validation::Collector;
use hygeia_store::model::User;
use serde_json::json;

#[derive(Debug, Clone, Default)]
pub struct NewUser {
    pub email: String,
    pub display_name: String,
    pub password: String,
    pub is_platform_admin: bool,
}

impl Hygeia {
    /// Creates an account. `actor` is none for the command line, which is trusted because it
    /// can reach the database anyway.
    pub async fn create_user(&self, actor: Option<&Actor>, input: NewUser) -> Result<User, CoreError> {
        if actor.is_some_and(|a| !a.user.is_platform_admin) {
            return Err(CoreError::Forbidden(
                "only platform administrators create accounts directly",
            ));
        }
        let mut errors = Collector::new();
        let email = errors.check(Email::parse(&input.email));
        let name = errors.check(parse_name(&input.display_name, "display_name"));
        errors.check(check_new_password(&input.password, email.as_ref()));
        errors.finish()?;
        let (Some(email), Some(display_name)) = (email, name) else {
            return Err(CoreError::Internal("validated fields missing".into()));
        };
        let now = self.now_ms();
        let user = User {
            id: UserId(self.new_uuid()),
            email,
            display_name,
            password_hash: self.passwords.hash(&input.password).await?,
            is_platform_admin: input.is_platform_admin,
            totp_secret: None,
            totp_enabled: false,
            totp_last_step: None,
            created_at: now,
            updated_at: now,
        };
        let audit = self.audit(
            actor,
            None,
            "user.create",
            "user",
            user.id,
            json!({"email": user.email, "display_name": user.display_name, "is_platform_admin": user.is_platform_admin}),
        );
        self.store.create_user(&user, &audit).await?;
        Ok(user)
    }

    /// Adds an existing account to an organisation directly (command line and demo data).
    pub async fn add_member_directly(&self, org: OrgId, user: UserId, role_code: &str) -> Result<Role, CoreError> {
        let org = self.store.get_org(org).await?;
        let role = Role::parse_for(role_code.trim(), org.org_type, "role")?;
        let audit = self.audit(
            None,
            Some(org.id),
            "member.add",
            "membership",
            user,
            json!({"role": role.code()}),
        );
        self.store.add_member(org.id, user, role, self.now_ms(), &audit).await?;
        Ok(role)
    }

    pub async fn user_by_email(&self, email: &str) -> Result<User, CoreError> {
        let email = Email::parse(email)?;
        self.store
            .find_user_by_email(email.as_str())
            .await?
            .ok_or(CoreError::NotFound)
    }

    /// An actor for the command line, acting as the given account.
    pub fn cli_actor(&self, user: User) -> Actor {
        Actor {
            user,
            credential: crate::Credential::Cli,
        }
    }
}

impl Hygeia {
    /// Changes the caller's own password. The current password is required (and throttled
    /// like sign-in); every other session of the account ends.
    pub async fn change_password(
        &self,
        actor: &Actor,
        current: &str,
        new: &str,
        source: &str,
    ) -> Result<(), CoreError> {
        let session = actor
            .session()
            .ok_or(CoreError::Forbidden("changing a password needs a browser session"))?;
        let email = actor.user.email.to_string();
        self.check_throttle(&email, source).await?;
        let user = self.store.get_user(actor.user.id).await?;
        if !self.passwords.verify(current, Some(&user.password_hash)).await? {
            self.record_failure(&email, source).await?;
            return Err(CoreError::field(
                "current_password",
                "your current password is not right",
            ));
        }
        check_new_password(new, Some(&user.email)).map_err(|e| CoreError::from(e.at("new_password")))?;
        if current == new {
            return Err(CoreError::field(
                "new_password",
                "choose a password different from the current one",
            ));
        }
        let hash = self.passwords.hash(new).await?;
        let audit = self.audit(Some(actor), None, "user.password_change", "user", user.id, json!({}));
        Ok(self
            .store
            .set_password(user.id, &hash, Some(session.id), self.now_ms(), &audit)
            .await?)
    }

    /// Turns MFA off for an account that lost its phone and its recovery codes, so it can set
    /// MFA up again at next sign-in. For operators (the command line); every session ends.
    pub async fn reset_mfa(&self, email: &str) -> Result<User, CoreError> {
        let user = self.user_by_email(email).await?;
        let audit = self.audit(
            None,
            None,
            "user.mfa_reset",
            "user",
            user.id,
            json!({"totp": [true, false]}),
        );
        self.store.reset_totp(user.id, self.now_ms(), &audit).await?;
        Ok(user)
    }
}
