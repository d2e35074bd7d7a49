//! Organisations: creation by platform administrators, profile edits by owners, lists.

use crate::access::{Actor, Scope};
use crate::audit::diff;
use crate::{CoreError, Hygeia};
use hygeia_domain::ids::OrgId;
use hygeia_domain::org::{OdsCode, OrgType, Regime, normalise_regimes, parse_name, regimes_csv};
use hygeia_domain::page::{Page, PageRequest};
use hygeia_domain::permissions::Permission;
use hygeia_domain::validation::Collector;
use hygeia_store::model::{Membership, Org};
use serde_json::json;

/// What a platform administrator gives to create an organisation (raw, validated here).
#[derive(Debug, Clone, Default)]
pub struct NewOrg {
    pub name: String,
    pub ods_code: String,
    pub org_type: String,
    pub regimes: Vec<String>,
    pub is_oes: bool,
    pub parent_ods: Option<String>,
    pub regulator_ods: Option<String>,
    pub require_mfa: bool,
}

/// Changes an owner may make to their organisation's profile. `None` leaves a field alone.
#[derive(Debug, Clone, Default)]
pub struct OrgPatch {
    pub name: Option<String>,
    pub regimes: Option<Vec<String>>,
    pub is_oes: Option<bool>,
    pub require_mfa: Option<bool>,
    pub time_zone: Option<String>,
    /// The version the editor saw (`updated_at`); a stale edit is refused.
    pub expected_updated_at: Option<i64>,
}

pub const DEFAULT_TIME_ZONE: &str = "Europe/London";

fn parse_regime_list(codes: &[String], field: &str, errors: &mut Collector) -> Option<Vec<Regime>> {
    let parsed: Vec<Option<Regime>> = codes
        .iter()
        .map(|c| errors.check(Regime::parse(c.trim(), field)))
        .collect();
    parsed.into_iter().collect::<Option<Vec<_>>>().map(normalise_regimes)
}

fn check_time_zone(tz: &str) -> Result<String, hygeia_domain::Invalid> {
    jiff::tz::TimeZone::get(tz).map(|_| tz.to_owned()).map_err(|_| {
        hygeia_domain::Invalid::one(
            "time_zone",
            format!("'{tz}' is not a known IANA time zone such as Europe/London"),
        )
    })
}

impl Hygeia {
    async fn org_by_ods_field(
        &self,
        ods: Option<&str>,
        field: &str,
        errors: &mut Collector,
    ) -> Result<Option<Org>, CoreError> {
        let Some(ods) = ods.map(str::trim).filter(|s| !s.is_empty()) else {
            return Ok(None);
        };
        let found = self.store.find_org_by_ods(&ods.to_uppercase()).await?;
        if found.is_none() {
            errors.push(hygeia_domain::FieldError::new(
                field,
                format!("no organisation has the ODS code '{ods}'"),
            ));
        }
        Ok(found)
    }

    /// Creates an organisation. Platform administrators and the command line only.
    pub async fn create_org(&self, actor: Option<&Actor>, input: NewOrg) -> Result<Org, CoreError> {
        if let Some(a) = actor
            && (!a.user.is_platform_admin || a.read_only())
        {
            return Err(CoreError::Forbidden(
                "only platform administrators create organisations",
            ));
        }
        let mut errors = Collector::new();
        let name = errors.check(parse_name(&input.name, "name"));
        let ods = errors.check(OdsCode::parse(&input.ods_code));
        let org_type = errors.check(OrgType::parse(input.org_type.trim(), "org_type"));
        let regimes = parse_regime_list(&input.regimes, "regimes", &mut errors);
        let parent = self
            .org_by_ods_field(input.parent_ods.as_deref(), "parent_ods", &mut errors)
            .await?;
        let regulator = self
            .org_by_ods_field(input.regulator_ods.as_deref(), "regulator_ods", &mut errors)
            .await?;
        if let Some(r) = &regulator
            && r.org_type != OrgType::Regulator
        {
            errors.push(hygeia_domain::FieldError::new(
                "regulator_ods",
                format!("{} is not a regulator", r.name),
            ));
        }
        errors.finish()?;
        let (Some(name), Some(ods_code), Some(org_type), Some(regimes)) = (name, ods, org_type, regimes) else {
            return Err(CoreError::Internal("validated fields missing".into()));
        };
        let now = self.now_ms();
        let org = Org {
            id: OrgId(self.new_uuid()),
            name,
            ods_code,
            org_type,
            regimes,
            is_oes: input.is_oes,
            parent_id: parent.map(|p| p.id),
            regulator_id: regulator.map(|r| r.id),
            require_mfa: input.require_mfa,
            time_zone: DEFAULT_TIME_ZONE.to_owned(),
            created_at: now,
            updated_at: now,
        };
        let audit = self.audit(
            actor,
            Some(org.id),
            "org.create",
            "org",
            org.id,
            json!({
                "name": org.name, "ods_code": org.ods_code, "org_type": org.org_type.code(),
                "regimes": regimes_csv(&org.regimes), "is_oes": org.is_oes,
                "parent_id": org.parent_id, "regulator_id": org.regulator_id, "require_mfa": org.require_mfa,
            }),
        );
        self.store.create_org(&org, &audit).await?;
        Ok(org)
    }

    /// Edits the organisation's profile and security settings.
    pub async fn update_org(&self, scope: &Scope, patch: OrgPatch) -> Result<Org, CoreError> {
        scope.require(Permission::OrgEdit)?;
        let before = self.store.get_org(scope.org_id()).await?;
        let mut errors = Collector::new();
        let mut after = before.clone();
        if let Some(name) = &patch.name
            && let Some(n) = errors.check(parse_name(name, "name"))
        {
            after.name = n;
        }
        if let Some(codes) = &patch.regimes
            && let Some(r) = parse_regime_list(codes, "regimes", &mut errors)
        {
            after.regimes = r;
        }
        if let Some(tz) = &patch.time_zone
            && let Some(tz) = errors.check(check_time_zone(tz.trim()))
        {
            after.time_zone = tz;
        }
        errors.finish()?;
        after.is_oes = patch.is_oes.unwrap_or(before.is_oes);
        after.require_mfa = patch.require_mfa.unwrap_or(before.require_mfa);
        after.updated_at = self.now_ms().max(before.updated_at + 1);
        let changes = diff(&[
            ("name", json!(before.name), json!(after.name)),
            (
                "regimes",
                json!(regimes_csv(&before.regimes)),
                json!(regimes_csv(&after.regimes)),
            ),
            ("is_oes", json!(before.is_oes), json!(after.is_oes)),
            ("require_mfa", json!(before.require_mfa), json!(after.require_mfa)),
            ("time_zone", json!(before.time_zone), json!(after.time_zone)),
        ]);
        if changes.as_object().is_some_and(|m| m.is_empty()) {
            return Ok(before);
        }
        let expected = patch.expected_updated_at.unwrap_or(before.updated_at);
        let audit = self.audit(
            Some(&scope.actor),
            Some(after.id),
            "org.update",
            "org",
            after.id,
            changes,
        );
        self.store.update_org(&after, expected, &audit).await?;
        Ok(after)
    }

    /// The caller's organisations with their role in each.
    pub async fn my_orgs(&self, actor: &Actor) -> Result<Vec<Membership>, CoreError> {
        let all = self.store.memberships_of(actor.user.id).await?;
        Ok(match actor.token_org() {
            Some(only) => all.into_iter().filter(|m| m.org.id == only).collect(),
            None => all,
        })
    }

    /// The organisations a regulator body oversees.
    pub async fn remit(&self, scope: &Scope, page: PageRequest) -> Result<Page<Org>, CoreError> {
        scope.require(Permission::OversightView)?;
        Ok(self.store.list_remit(scope.org_id(), page).await?)
    }

    /// Every organisation: platform administrators only.
    pub async fn all_orgs(&self, actor: &Actor, page: PageRequest) -> Result<Page<Org>, CoreError> {
        if !actor.user.is_platform_admin {
            return Err(CoreError::Forbidden(
                "only platform administrators see every organisation",
            ));
        }
        Ok(self.store.list_orgs(page).await?)
    }

    /// An organisation by ODS code, for the command line.
    pub async fn org_by_ods(&self, ods: &str) -> Result<Org, CoreError> {
        self.store
            .find_org_by_ods(&ods.trim().to_uppercase())
            .await?
            .ok_or(CoreError::NotFound)
    }
}
