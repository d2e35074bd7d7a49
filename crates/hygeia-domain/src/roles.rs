//! The roles a person can hold in an organisation.

use crate::Invalid;
use crate::org::{OrgType, coded_enum};

coded_enum!(
    /// A member's role in one organisation. A person may hold different roles in different
    /// organisations; platform administration is a property of the account, not a role.
    Role {
        Owner = "owner", "Owner (administrator)";
        SeniorExecutive = "senior_executive", "Senior executive (SIRO)";
        SecurityLead = "security_lead", "Security lead";
        IgLead = "ig_lead", "IG lead / DPO";
        Contributor = "contributor", "Contributor";
        Viewer = "viewer", "Viewer";
        Auditor = "auditor", "Auditor (read-only)";
        Inspector = "inspector", "Regulator inspector";
        Analyst = "analyst", "Regulator analyst";
        AlertPublisher = "alert_publisher", "National alert publisher";
    }
);

impl Role {
    /// Whether an organisation of this type can have members with this role: regulator roles
    /// exist only in regulator bodies, alert publishing only in national teams.
    pub fn fits(self, org_type: OrgType) -> bool {
        match self {
            Role::Inspector | Role::Analyst => org_type == OrgType::Regulator,
            Role::AlertPublisher => org_type == OrgType::NationalTeam,
            _ => true,
        }
    }

    /// Parses a role and checks it fits the organisation.
    pub fn parse_for(code: &str, org_type: OrgType, field: &str) -> Result<Self, Invalid> {
        let role = Self::parse(code, field)?;
        if role.fits(org_type) {
            Ok(role)
        } else {
            Err(Invalid::one(
                field,
                format!("the role '{}' is not available in a {}", role.code(), org_type.label()),
            ))
        }
    }

    /// Roles whose holders must use multi-factor authentication whatever the organisation
    /// says: administrators and regulators can reach many people's data.
    pub fn requires_mfa(self) -> bool {
        matches!(self, Role::Owner | Role::Inspector | Role::Analyst)
    }

    /// Whether holding this role in an organisation requires MFA: always for the roles above,
    /// and for every role where the organisation enforces it.
    pub fn needs_mfa_in(self, org_requires_mfa: bool) -> bool {
        org_requires_mfa || self.requires_mfa()
    }

    /// The roles offered for an organisation of this type, in display order.
    pub fn for_org_type(org_type: OrgType) -> Vec<Role> {
        Role::ALL.iter().copied().filter(|r| r.fits(org_type)).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn regulator_roles_only_in_regulators() {
        assert!(Role::parse_for("inspector", OrgType::Regulator, "role").is_ok());
        let err = Role::parse_for("inspector", OrgType::Trust, "role").unwrap_err();
        assert_eq!(err.0[0].field, "role");
        assert!(Role::parse_for("alert_publisher", OrgType::NationalTeam, "role").is_ok());
        assert!(Role::parse_for("alert_publisher", OrgType::GpPractice, "role").is_err());
    }

    #[test]
    fn mfa_follows_the_role_or_the_organisation() {
        assert!(Role::Owner.needs_mfa_in(false));
        assert!(Role::Inspector.needs_mfa_in(false));
        assert!(!Role::Viewer.needs_mfa_in(false));
        assert!(Role::Viewer.needs_mfa_in(true));
    }

    #[test]
    fn every_org_type_has_an_owner_role() {
        for t in OrgType::ALL {
            assert!(Role::for_org_type(*t).contains(&Role::Owner));
        }
    }
}
