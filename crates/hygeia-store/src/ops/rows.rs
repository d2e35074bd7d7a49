//! Reading rows into records, shared by every query that selects the same columns.

use super::Row;
use crate::StoreError;
use crate::model::*;
use hygeia_domain::email::Email;
use hygeia_domain::ids::*;
use hygeia_domain::org::{OdsCode, OrgType, parse_regimes};
use hygeia_domain::roles::Role;
use sqlx::Row as _;
use uuid::Uuid;

pub(super) const ORG_COLUMNS: &str = "o.id, o.name, o.ods_code, o.org_type, o.regimes, o.is_oes, o.parent_id, \
     o.regulator_id, o.require_mfa, o.time_zone, o.created_at, o.updated_at";

pub(super) fn org(row: &Row) -> Result<Org, StoreError> {
    Ok(Org {
        id: OrgId(row.try_get("id")?),
        name: row.try_get("name")?,
        ods_code: OdsCode::parse(row.try_get::<&str, _>("ods_code")?)?,
        org_type: OrgType::parse(row.try_get::<&str, _>("org_type")?, "org_type")?,
        regimes: parse_regimes(row.try_get::<&str, _>("regimes")?, "regimes")?,
        is_oes: row.try_get("is_oes")?,
        parent_id: row.try_get::<Option<Uuid>, _>("parent_id")?.map(OrgId),
        regulator_id: row.try_get::<Option<Uuid>, _>("regulator_id")?.map(OrgId),
        require_mfa: row.try_get("require_mfa")?,
        time_zone: row.try_get("time_zone")?,
        created_at: row.try_get("created_at")?,
        updated_at: row.try_get("updated_at")?,
    })
}

/// User columns are aliased with a `u_` prefix so they can sit beside another table's
/// `id` and `created_at` in one row (sessions join users on every request).
pub(super) const USER_COLUMNS: &str = "u.id as u_id, u.email as u_email, u.display_name as u_display_name, \
     u.password_hash as u_password_hash, u.is_platform_admin as u_is_platform_admin, u.totp_secret as u_totp_secret, \
     u.totp_enabled as u_totp_enabled, u.totp_last_step as u_totp_last_step, u.created_at as u_created_at, \
     u.updated_at as u_updated_at";

pub(super) fn user(row: &Row) -> Result<User, StoreError> {
    Ok(User {
        id: UserId(row.try_get("u_id")?),
        email: Email::parse(row.try_get::<&str, _>("u_email")?)?,
        display_name: row.try_get("u_display_name")?,
        password_hash: row.try_get("u_password_hash")?,
        is_platform_admin: row.try_get("u_is_platform_admin")?,
        totp_secret: row.try_get("u_totp_secret")?,
        totp_enabled: row.try_get("u_totp_enabled")?,
        totp_last_step: row.try_get("u_totp_last_step")?,
        created_at: row.try_get("u_created_at")?,
        updated_at: row.try_get("u_updated_at")?,
    })
}

pub(super) fn role(row: &Row, column: &str) -> Result<Role, StoreError> {
    Ok(Role::parse(row.try_get::<&str, _>(column)?, column)?)
}

pub(super) const INVITATION_COLUMNS: &str =
    "id, org_id, email, role, invited_by, created_at, expires_at, accepted_at, revoked_at";

pub(super) fn invitation(row: &Row) -> Result<Invitation, StoreError> {
    Ok(Invitation {
        id: InvitationId(row.try_get("id")?),
        org_id: OrgId(row.try_get("org_id")?),
        email: Email::parse(row.try_get::<&str, _>("email")?)?,
        role: role(row, "role")?,
        invited_by: UserId(row.try_get("invited_by")?),
        created_at: row.try_get("created_at")?,
        expires_at: row.try_get("expires_at")?,
        accepted_at: row.try_get("accepted_at")?,
        revoked_at: row.try_get("revoked_at")?,
    })
}

pub(super) fn session(row: &Row) -> Result<Session, StoreError> {
    let state: &str = row.try_get("mfa_state")?;
    Ok(Session {
        id: SessionId(row.try_get("id")?),
        user_id: UserId(row.try_get("user_id")?),
        current_org_id: row.try_get::<Option<Uuid>, _>("current_org_id")?.map(OrgId),
        csrf_token: row.try_get("csrf_token")?,
        mfa_state: MfaState::parse(state).ok_or_else(|| StoreError::Corrupt(format!("mfa_state '{state}'")))?,
        created_at: row.try_get("created_at")?,
        expires_at: row.try_get("expires_at")?,
        last_seen_at: row.try_get("last_seen_at")?,
    })
}

pub(super) const TOKEN_COLUMNS: &str =
    "id, user_id, name, read_only, org_id, created_at, expires_at, last_used_at, revoked_at";

pub(super) fn token(row: &Row) -> Result<ApiToken, StoreError> {
    Ok(ApiToken {
        id: TokenId(row.try_get("id")?),
        user_id: UserId(row.try_get("user_id")?),
        name: row.try_get("name")?,
        read_only: row.try_get("read_only")?,
        org_id: row.try_get::<Option<Uuid>, _>("org_id")?.map(OrgId),
        created_at: row.try_get("created_at")?,
        expires_at: row.try_get("expires_at")?,
        last_used_at: row.try_get("last_used_at")?,
        revoked_at: row.try_get("revoked_at")?,
    })
}

pub(super) fn count(row: &Row) -> Result<u64, StoreError> {
    let n: i64 = row.try_get(0)?;
    Ok(u64::try_from(n).unwrap_or(0))
}
