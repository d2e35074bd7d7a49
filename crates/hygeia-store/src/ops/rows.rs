//! Reading rows into records, shared by every query that selects the same columns.

use super::Cols;
use crate::StoreError;
use crate::model::*;
use hygeia_domain::email::Email;
use hygeia_domain::ids::*;
use hygeia_domain::org::{OdsCode, OrgType, parse_regimes};
use hygeia_domain::roles::Role;

pub(super) const ORG_COLUMNS: &str = "o.id, o.name, o.ods_code, o.org_type, o.regimes, o.is_oes, o.parent_id, \
     o.regulator_id, o.require_mfa, o.time_zone, o.created_at, o.updated_at";

pub(super) fn org(row: &dyn Cols) -> Result<Org, StoreError> {
    Ok(Org {
        id: OrgId(row.id("id")?),
        name: row.text("name")?,
        ods_code: OdsCode::parse(&row.text("ods_code")?)?,
        org_type: OrgType::parse(&row.text("org_type")?, "org_type")?,
        regimes: parse_regimes(&row.text("regimes")?, "regimes")?,
        is_oes: row.flag("is_oes")?,
        parent_id: row.opt_id("parent_id")?.map(OrgId),
        regulator_id: row.opt_id("regulator_id")?.map(OrgId),
        require_mfa: row.flag("require_mfa")?,
        time_zone: row.text("time_zone")?,
        created_at: row.int("created_at")?,
        updated_at: row.int("updated_at")?,
    })
}

/// User columns are aliased with a `u_` prefix so they can sit beside another table's
/// `id` and `created_at` in one row (sessions join users on every request).
pub(super) const USER_COLUMNS: &str = "u.id as u_id, u.email as u_email, u.display_name as u_display_name, \
     u.password_hash as u_password_hash, u.is_platform_admin as u_is_platform_admin, u.totp_secret as u_totp_secret, \
     u.totp_enabled as u_totp_enabled, u.totp_last_step as u_totp_last_step, u.created_at as u_created_at, \
     u.updated_at as u_updated_at";

pub(super) fn user(row: &dyn Cols) -> Result<User, StoreError> {
    Ok(User {
        id: UserId(row.id("u_id")?),
        email: Email::parse(&row.text("u_email")?)?,
        display_name: row.text("u_display_name")?,
        password_hash: row.text("u_password_hash")?,
        is_platform_admin: row.flag("u_is_platform_admin")?,
        totp_secret: row.opt_text("u_totp_secret")?,
        totp_enabled: row.flag("u_totp_enabled")?,
        totp_last_step: row.opt_int("u_totp_last_step")?,
        created_at: row.int("u_created_at")?,
        updated_at: row.int("u_updated_at")?,
    })
}

pub(super) fn role(row: &dyn Cols, column: &str) -> Result<Role, StoreError> {
    Ok(Role::parse(&row.text(column)?, column)?)
}

pub(super) const INVITATION_COLUMNS: &str =
    "id, org_id, email, role, invited_by, created_at, expires_at, accepted_at, revoked_at";

pub(super) fn invitation(row: &dyn Cols) -> Result<Invitation, StoreError> {
    Ok(Invitation {
        id: InvitationId(row.id("id")?),
        org_id: OrgId(row.id("org_id")?),
        email: Email::parse(&row.text("email")?)?,
        role: role(row, "role")?,
        invited_by: UserId(row.id("invited_by")?),
        created_at: row.int("created_at")?,
        expires_at: row.int("expires_at")?,
        accepted_at: row.opt_int("accepted_at")?,
        revoked_at: row.opt_int("revoked_at")?,
    })
}

pub(super) fn session(row: &dyn Cols) -> Result<Session, StoreError> {
    let state = row.text("mfa_state")?;
    Ok(Session {
        id: SessionId(row.id("id")?),
        user_id: UserId(row.id("user_id")?),
        current_org_id: row.opt_id("current_org_id")?.map(OrgId),
        csrf_token: row.text("csrf_token")?,
        mfa_state: MfaState::parse(&state).ok_or_else(|| StoreError::Corrupt(format!("mfa_state '{state}'")))?,
        created_at: row.int("created_at")?,
        expires_at: row.int("expires_at")?,
        last_seen_at: row.int("last_seen_at")?,
    })
}

pub(super) const TOKEN_COLUMNS: &str =
    "id, user_id, name, read_only, org_id, created_at, expires_at, last_used_at, revoked_at";

pub(super) fn token(row: &dyn Cols) -> Result<ApiToken, StoreError> {
    Ok(ApiToken {
        id: TokenId(row.id("id")?),
        user_id: UserId(row.id("user_id")?),
        name: row.text("name")?,
        read_only: row.flag("read_only")?,
        org_id: row.opt_id("org_id")?.map(OrgId),
        created_at: row.int("created_at")?,
        expires_at: row.opt_int("expires_at")?,
        last_used_at: row.opt_int("last_used_at")?,
        revoked_at: row.opt_int("revoked_at")?,
    })
}
