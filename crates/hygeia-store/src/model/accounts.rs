//! Organisations and users: memberships, invitations, second factors, sessions and API
//! tokens.

use hygeia_domain::email::Email;
use hygeia_domain::ids::*;
use hygeia_domain::org::{OdsCode, OrgType, Regime};
use hygeia_domain::roles::Role;
use serde::Serialize;
use std::fmt;

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Org {
    pub id: OrgId,
    pub name: String,
    pub ods_code: OdsCode,
    pub org_type: OrgType,
    pub regimes: Vec<Regime>,
    /// Designated an operator of essential services under the NIS Regulations.
    pub is_oes: bool,
    pub parent_id: Option<OrgId>,
    /// The competent authority whose remit covers this organisation.
    pub regulator_id: Option<OrgId>,
    pub require_mfa: bool,
    pub time_zone: String,
    pub created_at: i64,
    pub updated_at: i64,
}

/// A person's account. Debug leaves out the password hash and TOTP secret so that they can
/// never reach a log.
#[derive(Clone, PartialEq)]
pub struct User {
    pub id: UserId,
    pub email: Email,
    pub display_name: String,
    pub password_hash: String,
    pub is_platform_admin: bool,
    /// Base32 TOTP secret; present from set-up start, in force once `totp_enabled`.
    pub totp_secret: Option<String>,
    pub totp_enabled: bool,
    pub totp_last_step: Option<i64>,
    pub created_at: i64,
    pub updated_at: i64,
}

impl fmt::Debug for User {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("User")
            .field("id", &self.id)
            .field("email", &self.email)
            .field("is_platform_admin", &self.is_platform_admin)
            .field("totp_enabled", &self.totp_enabled)
            .finish_non_exhaustive()
    }
}

/// A member of an organisation, as listed to its administrators.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Member {
    pub user_id: UserId,
    pub email: Email,
    pub display_name: String,
    pub role: Role,
    pub mfa_enabled: bool,
    pub since: i64,
}

/// One of a person's organisations with their role there.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Membership {
    pub org: Org,
    pub role: Role,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Invitation {
    pub id: InvitationId,
    pub org_id: OrgId,
    pub email: Email,
    pub role: Role,
    pub invited_by: UserId,
    pub created_at: i64,
    pub expires_at: i64,
    pub accepted_at: Option<i64>,
    pub revoked_at: Option<i64>,
}

/// Where a signed-in session stands with multi-factor authentication.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum MfaState {
    /// Fully signed in.
    Complete,
    /// Password accepted; the one-time code is still to come.
    Pending,
    /// Password accepted, but this account must set up MFA before doing anything else.
    SetupRequired,
}

impl MfaState {
    pub fn code(self) -> &'static str {
        match self {
            MfaState::Complete => "complete",
            MfaState::Pending => "pending",
            MfaState::SetupRequired => "setup_required",
        }
    }

    pub fn parse(code: &str) -> Option<Self> {
        match code {
            "complete" => Some(MfaState::Complete),
            "pending" => Some(MfaState::Pending),
            "setup_required" => Some(MfaState::SetupRequired),
            _ => None,
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Session {
    pub id: SessionId,
    pub user_id: UserId,
    pub current_org_id: Option<OrgId>,
    /// The per-session token every state-changing form must carry.
    pub csrf_token: String,
    pub mfa_state: MfaState,
    pub created_at: i64,
    pub expires_at: i64,
    pub last_seen_at: i64,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ApiToken {
    pub id: TokenId,
    pub user_id: UserId,
    pub name: String,
    pub read_only: bool,
    /// When set, the token reaches only this organisation.
    pub org_id: Option<OrgId>,
    pub created_at: i64,
    pub expires_at: Option<i64>,
    pub last_used_at: Option<i64>,
    pub revoked_at: Option<i64>,
}

/// The chain name for events that belong to no organisation (accounts, platform admin).
pub const PLATFORM_CHAIN: &str = "platform";

/// A person's reach into one organisation, as stored: the organisation, their role as a
/// member (if any), and their role in its regulator body (if any).
#[derive(Debug, Clone, PartialEq)]
pub struct Access {
    pub org: Org,
    pub member_role: Option<Role>,
    pub oversight_role: Option<Role>,
}
