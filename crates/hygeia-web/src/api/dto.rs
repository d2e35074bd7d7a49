//! What the API sends and receives. Kept apart from the store's records so the wire format
//! changes only on purpose.

use hygeia_domain::audit::AuditRecord;
use hygeia_domain::page::{Page, PageRequest};
use hygeia_store::model::{ApiToken, Invitation, Member, Org};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

pub use hygeia_core::export::time;

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct PageQuery {
    /// Items per page, 1 to 200 (default 50).
    pub limit: Option<u32>,
    /// Items to skip.
    pub offset: Option<u64>,
}

impl PageQuery {
    pub fn page(&self) -> PageRequest {
        PageRequest::new(self.limit, self.offset)
    }
}

/// A page of results. `next_offset` is absent on the last page.
#[derive(Serialize, ToSchema)]
pub struct Paged<T: ToSchema> {
    pub items: Vec<T>,
    pub total: u64,
    pub limit: u32,
    pub offset: u64,
    pub next_offset: Option<u64>,
}

impl<T: ToSchema> Paged<T> {
    pub fn from<S>(page: Page<S>, f: impl Fn(S) -> T) -> Self {
        let next_offset = page.next_offset();
        Paged {
            items: page.items.into_iter().map(f).collect(),
            total: page.total,
            limit: page.limit,
            offset: page.offset,
            next_offset,
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct OrgDto {
    pub id: Uuid,
    pub name: String,
    pub ods_code: String,
    /// One of: trust, foundation_trust, icb, csu, independent_provider, gp_practice, pharmacy,
    /// dental_practice, care_provider, supplier, regulator, national_team.
    pub org_type: String,
    /// Codes of the regimes it reports under: uk_nis, uk_gdpr, eu_nis2, eu_gdpr.
    pub regimes: Vec<String>,
    pub is_oes: bool,
    pub parent_id: Option<Uuid>,
    pub regulator_id: Option<Uuid>,
    pub require_mfa: bool,
    pub time_zone: String,
    pub created_at: String,
    /// Send back as `version` when updating, so concurrent edits are detected.
    pub version: i64,
}

impl From<Org> for OrgDto {
    fn from(o: Org) -> Self {
        OrgDto {
            id: o.id.0,
            name: o.name,
            ods_code: o.ods_code.to_string(),
            org_type: o.org_type.code().into(),
            regimes: o.regimes.iter().map(|r| r.code().to_owned()).collect(),
            is_oes: o.is_oes,
            parent_id: o.parent_id.map(|p| p.0),
            regulator_id: o.regulator_id.map(|r| r.0),
            require_mfa: o.require_mfa,
            time_zone: o.time_zone,
            created_at: time(o.created_at),
            version: o.updated_at,
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct MyOrgDto {
    pub org: OrgDto,
    /// Your role there.
    pub role: String,
}

#[derive(Deserialize, ToSchema)]
pub struct CreateOrgRequest {
    pub name: String,
    pub ods_code: String,
    pub org_type: String,
    #[serde(default)]
    pub regimes: Vec<String>,
    #[serde(default)]
    pub is_oes: bool,
    /// ODS code of the organisation it belongs to (an ICB, a care group).
    pub parent_ods: Option<String>,
    /// ODS code of its competent authority.
    pub regulator_ods: Option<String>,
    #[serde(default)]
    pub require_mfa: bool,
}

#[derive(Deserialize, ToSchema)]
pub struct UpdateOrgRequest {
    pub name: Option<String>,
    pub regimes: Option<Vec<String>>,
    pub is_oes: Option<bool>,
    pub require_mfa: Option<bool>,
    pub time_zone: Option<String>,
    /// The `version` you read; the update is refused with 409 if the organisation changed since.
    pub version: Option<i64>,
}

#[derive(Serialize, ToSchema)]
pub struct MemberDto {
    pub user_id: Uuid,
    pub email: String,
    pub display_name: String,
    pub role: String,
    pub mfa_enabled: bool,
    pub since: String,
}

impl From<Member> for MemberDto {
    fn from(m: Member) -> Self {
        MemberDto {
            user_id: m.user_id.0,
            email: m.email.to_string(),
            display_name: m.display_name,
            role: m.role.code().into(),
            mfa_enabled: m.mfa_enabled,
            since: time(m.since),
        }
    }
}

#[derive(Deserialize, ToSchema)]
pub struct UpdateMemberRequest {
    pub role: String,
}

#[derive(Serialize, ToSchema)]
pub struct InvitationDto {
    pub id: Uuid,
    pub email: String,
    pub role: String,
    pub created_at: String,
    pub expires_at: String,
}

impl From<Invitation> for InvitationDto {
    fn from(i: Invitation) -> Self {
        InvitationDto {
            id: i.id.0,
            email: i.email.to_string(),
            role: i.role.code().into(),
            created_at: time(i.created_at),
            expires_at: time(i.expires_at),
        }
    }
}

#[derive(Deserialize, ToSchema)]
pub struct CreateInvitationRequest {
    pub email: String,
    pub role: String,
}

#[derive(Serialize, ToSchema)]
pub struct CreatedInvitationDto {
    pub invitation: InvitationDto,
    /// The link to send to the invited person (relative to this server). Shown once.
    pub accept_path: String,
}

#[derive(Serialize, ToSchema)]
pub struct AuditDto {
    pub seq: i64,
    pub at: String,
    pub actor: String,
    pub action: String,
    pub object_type: String,
    pub object_id: String,
    #[schema(value_type = Object)]
    pub changes: Value,
    pub hash: String,
}

impl From<AuditRecord> for AuditDto {
    fn from(r: AuditRecord) -> Self {
        AuditDto {
            seq: r.seq,
            at: time(r.event.at_ms),
            actor: r.event.actor_label,
            action: r.event.action,
            object_type: r.event.object_type,
            object_id: r.event.object_id,
            changes: r.event.changes,
            hash: r.hash,
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct TokenDto {
    pub id: Uuid,
    pub name: String,
    pub read_only: bool,
    pub org_id: Option<Uuid>,
    pub created_at: String,
    pub expires_at: Option<String>,
    pub last_used_at: Option<String>,
    pub revoked_at: Option<String>,
}

impl From<ApiToken> for TokenDto {
    fn from(t: ApiToken) -> Self {
        TokenDto {
            id: t.id.0,
            name: t.name,
            read_only: t.read_only,
            org_id: t.org_id.map(|o| o.0),
            created_at: time(t.created_at),
            expires_at: t.expires_at.map(time),
            last_used_at: t.last_used_at.map(time),
            revoked_at: t.revoked_at.map(time),
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct MeDto {
    pub id: Uuid,
    pub email: String,
    pub display_name: String,
    pub is_platform_admin: bool,
    pub mfa_enabled: bool,
    /// Whether this token can only read.
    pub read_only: bool,
}
