//! Who is asking, and what they may do in which organisation. Tenant isolation is decided
//! here and only here: every organisation-scoped use case takes a [`Scope`], and the only way
//! to get one is [`Hygeia::scope`].

use crate::{CoreError, Hygeia};
use hygeia_domain::ids::OrgId;
use hygeia_domain::permissions::{Access, Grant, Permission};
use hygeia_domain::roles::Role;
use hygeia_store::model::{ApiToken, Org, Session, User};

/// How the caller proved who they are.
#[derive(Debug, Clone)]
pub enum Credential {
    Session(Session),
    Token(ApiToken),
    /// The command line, run by whoever can reach the server's database.
    Cli,
}

/// An authenticated caller.
#[derive(Debug, Clone)]
pub struct Actor {
    pub user: User,
    pub credential: Credential,
}

impl Actor {
    /// API tokens may be limited to reading.
    pub fn read_only(&self) -> bool {
        matches!(&self.credential, Credential::Token(t) if t.read_only)
    }

    /// API tokens may be limited to one organisation.
    pub fn token_org(&self) -> Option<OrgId> {
        match &self.credential {
            Credential::Token(t) => t.org_id,
            _ => None,
        }
    }

    pub fn session(&self) -> Option<&Session> {
        match &self.credential {
            Credential::Session(s) => Some(s),
            _ => None,
        }
    }

    pub fn label(&self) -> String {
        self.user.email.to_string()
    }
}

/// An actor's authorised reach into one organisation.
#[derive(Debug, Clone)]
pub struct Scope {
    pub actor: Actor,
    pub org: Org,
    pub grant: Grant,
}

impl Scope {
    pub fn allows(&self, permission: Permission) -> bool {
        self.grant.allows(permission)
    }

    /// Refuses with 403 when the caller can see the organisation but may not do this.
    pub fn require(&self, permission: Permission) -> Result<(), CoreError> {
        if self.allows(permission) {
            Ok(())
        } else {
            Err(CoreError::Forbidden(permission.describe()))
        }
    }

    pub fn org_id(&self) -> OrgId {
        self.org.id
    }

    /// The caller's role as a member, if they are one (not for oversight access).
    pub fn member_role(&self) -> Option<Role> {
        match self.grant.access {
            Access::Member(role) => Some(role),
            Access::Oversight(_) => None,
        }
    }
}

impl Hygeia {
    /// Resolves the caller's reach into an organisation. Anything the caller cannot reach is
    /// `NotFound`, exactly as if the id did not exist.
    pub async fn scope(&self, actor: &Actor, org_id: OrgId) -> Result<Scope, CoreError> {
        if actor.token_org().is_some_and(|only| only != org_id) {
            return Err(CoreError::NotFound);
        }
        let now = self.now_ms();
        let generation = self.store.generation();
        let found = match self.cache.access(actor.user.id, org_id, generation, now) {
            Some(hit) => hit,
            None => {
                let found = self
                    .store
                    .access(actor.user.id, org_id)
                    .await?
                    .ok_or(CoreError::NotFound)?;
                self.cache
                    .put_access(actor.user.id, org_id, generation, now, found.clone());
                found
            }
        };
        let access = match (found.member_role, found.oversight_role) {
            (Some(role), _) => Access::Member(role),
            (None, Some(role @ (Role::Inspector | Role::Analyst))) => Access::Oversight(role),
            _ => return Err(CoreError::NotFound),
        };
        let org = found.org;
        let (Access::Member(role) | Access::Oversight(role)) = access;
        if role.needs_mfa_in(org.require_mfa)
            && !actor.user.totp_enabled
            && !matches!(actor.credential, Credential::Cli)
        {
            return Err(CoreError::MfaRequired);
        }
        Ok(Scope {
            actor: actor.clone(),
            org,
            grant: Grant {
                access,
                read_only: actor.read_only(),
            },
        })
    }

    /// The scope of the organisation the session last worked in, or of the caller's first
    /// organisation.
    pub async fn current_scope(&self, actor: &Actor) -> Result<Option<Scope>, CoreError> {
        let current = actor.session().and_then(|s| s.current_org_id);
        if let Some(org) = current {
            match self.scope(actor, org).await {
                Ok(scope) => return Ok(Some(scope)),
                Err(CoreError::NotFound) => {}
                Err(e) => return Err(e),
            }
        }
        let memberships = self.store.memberships_of(actor.user.id).await?;
        match memberships.first() {
            Some(m) => Ok(Some(self.scope(actor, m.org.id).await?)),
            None => Ok(None),
        }
    }
}
