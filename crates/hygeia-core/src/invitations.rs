//! Inviting people into an organisation, and accepting.
//!
//! An invitation is a secret link. Until e-mail delivery exists the inviter passes the link
//! on; whoever opens it must either be signed in as the invited address, or create the account
//! for that address there and then.

use crate::access::{Actor, Scope};
use crate::auth::SignedIn;
use crate::secrets::{new_token, token_hash};
use crate::{CoreError, Hygeia};
use hygeia_domain::email::Email;
use hygeia_domain::ids::{InvitationId, UserId};
use hygeia_domain::org::parse_name;
use hygeia_domain::password::check_new_password;
use hygeia_domain::permissions::Permission;
use hygeia_domain::roles::Role;
use hygeia_domain::validation::Collector;
use hygeia_store::model::{Invitation, MfaState, Org, User};
use serde_json::json;

#[derive(Debug, Clone)]
pub struct NewInvitation {
    pub email: String,
    pub role: String,
}

/// What the person opening an invitation link sees.
#[derive(Debug, Clone)]
pub struct InvitationView {
    pub invitation: Invitation,
    pub org: Org,
    /// An account with the invited address exists, so accepting means signing in as it.
    pub account_exists: bool,
}

/// Accepting as a new account: the details of that account.
#[derive(Debug, Clone)]
pub struct AcceptInvitation {
    pub display_name: String,
    pub password: String,
}

impl Hygeia {
    /// Creates an invitation and returns it with its secret token (shown once, in the link).
    pub async fn invite(&self, scope: &Scope, input: NewInvitation) -> Result<(Invitation, String), CoreError> {
        scope.require(Permission::MembersManage)?;
        let mut errors = Collector::new();
        let email = errors.check(Email::parse(&input.email));
        let role = errors.check(Role::parse_for(input.role.trim(), scope.org.org_type, "role"));
        errors.finish()?;
        let (Some(email), Some(role)) = (email, role) else {
            return Err(CoreError::Internal("validated fields missing".into()));
        };
        if let Some(existing) = self.store.find_user_by_email(email.as_str()).await?
            && self.store.role_in(existing.id, scope.org_id()).await?.is_some()
        {
            return Err(CoreError::field("email", "this person is already a member"));
        }
        let now = self.now_ms();
        let invitation = Invitation {
            id: InvitationId(self.new_uuid()),
            org_id: scope.org_id(),
            email,
            role,
            invited_by: scope.actor.user.id,
            created_at: now,
            expires_at: now + self.config.invitation_ttl_ms,
            accepted_at: None,
            revoked_at: None,
        };
        let token = new_token("hyi_");
        let audit = self.scope_audit(
            scope,
            "member.invite",
            "invitation",
            invitation.id,
            json!({"email": invitation.email, "role": role.code()}),
        );
        self.store
            .create_invitation(&invitation, &token_hash(&token), &audit)
            .await?;
        Ok((invitation, token))
    }

    pub async fn open_invitations(&self, scope: &Scope) -> Result<Vec<Invitation>, CoreError> {
        scope.require(Permission::MembersView)?;
        Ok(self.store.open_invitations(scope.org_id(), self.now_ms()).await?)
    }

    pub async fn revoke_invitation(&self, scope: &Scope, id: InvitationId) -> Result<(), CoreError> {
        scope.require(Permission::MembersManage)?;
        let audit = self.scope_audit(scope, "member.invite_revoke", "invitation", id, json!({}));
        Ok(self
            .store
            .revoke_invitation(scope.org_id(), id, self.now_ms(), &audit)
            .await?)
    }

    /// Looks up a usable invitation by its token; used, revoked or expired ones are not found.
    pub async fn invitation(&self, token: &str) -> Result<InvitationView, CoreError> {
        let invitation = self
            .store
            .find_invitation(&token_hash(token))
            .await?
            .ok_or(CoreError::NotFound)?;
        if invitation.accepted_at.is_some() || invitation.revoked_at.is_some() || invitation.expires_at <= self.now_ms()
        {
            return Err(CoreError::NotFound);
        }
        let org = self.store.get_org(invitation.org_id).await?;
        let account_exists = self
            .store
            .find_user_by_email(invitation.email.as_str())
            .await?
            .is_some();
        Ok(InvitationView {
            invitation,
            org,
            account_exists,
        })
    }

    /// Accepts an invitation. A signed-in person must be the invited address; otherwise
    /// `new_account` creates that account, and a session for it is returned.
    pub async fn accept_invitation(
        &self,
        token: &str,
        actor: Option<&Actor>,
        new_account: Option<AcceptInvitation>,
    ) -> Result<(hygeia_domain::ids::OrgId, Option<SignedIn>), CoreError> {
        let view = self.invitation(token).await?;
        let inv = view.invitation;
        let now = self.now_ms();
        if let Some(actor) = actor {
            if actor.user.email != inv.email {
                return Err(CoreError::Forbidden("this invitation is for a different email address"));
            }
            let audit = self.audit(
                Some(actor),
                Some(inv.org_id),
                "member.join",
                "membership",
                actor.user.id,
                json!({"role": inv.role.code()}),
            );
            self.store
                .accept_invitation(&inv, actor.user.id, None, now, &[audit])
                .await?;
            return Ok((inv.org_id, None));
        }
        if view.account_exists {
            return Err(CoreError::Conflict(format!(
                "sign in as {} to accept this invitation",
                inv.email
            )));
        }
        let Some(account) = new_account else {
            return Err(CoreError::field("password", "choose a password to create your account"));
        };
        let mut errors = Collector::new();
        let name = errors.check(parse_name(&account.display_name, "display_name"));
        errors.check(check_new_password(&account.password, Some(&inv.email)));
        errors.finish()?;
        let user = User {
            id: UserId(self.new_uuid()),
            email: inv.email.clone(),
            display_name: name.unwrap_or_default(),
            password_hash: self.passwords.hash(&account.password).await?,
            is_platform_admin: false,
            totp_secret: None,
            totp_enabled: false,
            totp_last_step: None,
            created_at: now,
            updated_at: now,
        };
        let as_actor = Actor {
            user: user.clone(),
            credential: crate::Credential::Cli,
        };
        let audits = [
            self.audit(
                Some(&as_actor),
                None,
                "user.create",
                "user",
                user.id,
                json!({"email": user.email, "display_name": user.display_name}),
            ),
            self.audit(
                Some(&as_actor),
                Some(inv.org_id),
                "member.join",
                "membership",
                user.id,
                json!({"role": inv.role.code()}),
            ),
        ];
        self.store
            .accept_invitation(&inv, user.id, Some(&user), now, &audits)
            .await?;
        let state = if inv.role.needs_mfa_in(view.org.require_mfa) {
            MfaState::SetupRequired
        } else {
            MfaState::Complete
        };
        Ok((
            inv.org_id,
            Some(self.open_session(&user, state, Some(inv.org_id)).await?),
        ))
    }
}
