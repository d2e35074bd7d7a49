//! The permission matrix: which role may do what. Every route and use case asks here, and
//! `docs/permissions.md` is generated from this table (a test keeps the two equal).

use crate::roles::Role;
use serde::{Deserialize, Serialize};

/// Something a person may be allowed to do within one organisation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Permission {
    /// See the organisation's profile and settings.
    OrgView,
    /// Change the organisation's profile and security settings.
    OrgEdit,
    /// See who the members are and their roles.
    MembersView,
    /// Invite members, change roles, remove members.
    MembersManage,
    /// Read the organisation's audit log.
    AuditView,
    /// As a regulator body: see the organisations in its remit.
    OversightView,
    /// See the incident register, timelines, decisions and clocks.
    IncidentsView,
    /// Report incidents, edit them, move their status, add notes.
    IncidentsManage,
    /// Record reportability decisions (the judgement of who must be told).
    IncidentsDecide,
    /// Submit notifications of incidents to the regulator.
    NotificationsSubmit,
    /// As a regulator body: review the notifications its inbox received (reading them is
    /// `OversightView`).
    NotificationsReview,
    /// Edit the organisation's incident response plan (its playbooks).
    PlansEdit,
    /// As a regulator body: set the reporting thresholds its remit is judged by.
    ThresholdsEdit,
    /// See the evidence library and download its files.
    EvidenceView,
    /// Add evidence, new versions and review dates; link and unlink it.
    EvidenceManage,
    /// See the improvement plan and the risk register.
    GovernanceView,
    /// Add and update improvement actions.
    ActionsManage,
    /// Add and update risks, and link them to incidents.
    RisksManage,
    /// See the organisation's assessments (auditors: published ones only).
    AssessmentsView,
    /// Start assessments and answer them while they are drafts.
    AssessmentsEdit,
    /// Sign off and publish an assessment (the senior executive's act).
    AssessmentsPublish,
    /// As a regulator body: record review outcomes on published assessments in its remit
    /// (reading them is `OversightView`).
    AssessmentsReview,
    /// See the asset register, support status and the unsupported systems report.
    AssetsView,
    /// Import, edit and remove assets; record remediation plans for unsupported systems.
    AssetsManage,
    /// Sign a time-boxed risk acceptance of an unsupported system (the senior executive's act).
    UnsupportedAccept,
    /// See national alerts and the organisation's responses to them.
    AlertsView,
    /// Acknowledge alerts, state applicability, post updates and close with remediation.
    AlertsRespond,
    /// Let the organisation's group (its parent: an ICB, a care group) answer alerts for it.
    AlertsDelegate,
    /// As the national team: create, import and publish alerts, and keep the KEV catalogue.
    AlertsPublish,
    /// As the national team or a regulator: see alert exposure and the end-of-life census
    /// across the sector (a regulator: its remit).
    SectorView,
}

impl Permission {
    pub const ALL: &'static [Permission] = &[
        Permission::OrgView,
        Permission::OrgEdit,
        Permission::MembersView,
        Permission::MembersManage,
        Permission::AuditView,
        Permission::OversightView,
        Permission::IncidentsView,
        Permission::IncidentsManage,
        Permission::IncidentsDecide,
        Permission::NotificationsSubmit,
        Permission::NotificationsReview,
        Permission::PlansEdit,
        Permission::ThresholdsEdit,
        Permission::EvidenceView,
        Permission::EvidenceManage,
        Permission::GovernanceView,
        Permission::ActionsManage,
        Permission::RisksManage,
        Permission::AssessmentsView,
        Permission::AssessmentsEdit,
        Permission::AssessmentsPublish,
        Permission::AssessmentsReview,
        Permission::AssetsView,
        Permission::AssetsManage,
        Permission::UnsupportedAccept,
        Permission::AlertsView,
        Permission::AlertsRespond,
        Permission::AlertsDelegate,
        Permission::AlertsPublish,
        Permission::SectorView,
    ];

    /// Reading permissions are the only ones a read-only API token or an oversight grant
    /// can carry.
    pub fn is_read(self) -> bool {
        matches!(
            self,
            Permission::OrgView
                | Permission::MembersView
                | Permission::AuditView
                | Permission::OversightView
                | Permission::IncidentsView
                | Permission::EvidenceView
                | Permission::GovernanceView
                | Permission::AssessmentsView
                | Permission::AssetsView
                | Permission::AlertsView
                | Permission::SectorView
        )
    }

    pub fn describe(self) -> &'static str {
        match self {
            Permission::OrgView => "See the organisation's profile",
            Permission::OrgEdit => "Change the organisation's profile and security settings",
            Permission::MembersView => "See members and their roles",
            Permission::MembersManage => "Invite members, change roles, remove members",
            Permission::AuditView => "Read the audit log",
            Permission::OversightView => "See the organisations in the regulator's remit",
            Permission::IncidentsView => "See incidents, their timelines, decisions and clocks",
            Permission::IncidentsManage => "Report and update incidents, add notes",
            Permission::IncidentsDecide => "Record reportability decisions",
            Permission::NotificationsSubmit => "Submit incident notifications to the regulator",
            Permission::NotificationsReview => {
                "Review notifications received by the regulator (accept, ask for revision)"
            }
            Permission::PlansEdit => "Edit the incident response plan",
            Permission::ThresholdsEdit => "Set the reporting thresholds for the regulator's remit",
            Permission::EvidenceView => "See the evidence library and download its files",
            Permission::EvidenceManage => "Add, version, review and link evidence",
            Permission::GovernanceView => "See the improvement plan and the risk register",
            Permission::ActionsManage => "Add and update improvement actions",
            Permission::RisksManage => "Add and update risks, and link them to incidents",
            Permission::AssessmentsView => "See assessments (auditors: published ones only)",
            Permission::AssessmentsEdit => "Start assessments and answer drafts",
            Permission::AssessmentsPublish => "Sign off and publish assessments",
            Permission::AssessmentsReview => "Record review outcomes on published assessments in the remit",
            Permission::AssetsView => "See the asset register and the unsupported systems report",
            Permission::AssetsManage => "Import and edit assets; record remediation plans",
            Permission::UnsupportedAccept => "Sign risk acceptances of unsupported systems",
            Permission::AlertsView => "See national alerts and the organisation's responses",
            Permission::AlertsRespond => "Acknowledge and respond to national alerts",
            Permission::AlertsDelegate => "Let the organisation's group answer alerts for it",
            Permission::AlertsPublish => "Create, import and publish national alerts; keep the KEV catalogue",
            Permission::SectorView => "See alert exposure and the end-of-life census across the sector (or remit)",
        }
    }
}

/// How a person reaches an organisation: as its member, or as a regulator whose remit
/// covers it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Access {
    Member(Role),
    /// Oversight through a regulator's remit, carrying the role held in the regulator body.
    Oversight(Role),
}

/// What a request may do: the caller's access, narrowed by the credential used (a read-only
/// API token can never write, whatever the role).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Grant {
    pub access: Access,
    pub read_only: bool,
}

impl Grant {
    pub fn allows(self, permission: Permission) -> bool {
        if self.read_only && !permission.is_read() {
            return false;
        }
        match self.access {
            Access::Member(role) => member_allows(role, permission),
            Access::Oversight(role) => oversight_allows(role, permission),
        }
    }
}

/// The matrix for members of the organisation itself.
pub fn member_allows(role: Role, permission: Permission) -> bool {
    use Permission::*;
    use Role::*;
    match permission {
        OrgView => true,
        OrgEdit | MembersManage => role == Owner,
        // Auditors are outsiders given read access to the evidence, not to the staff list.
        MembersView => role != Auditor,
        AuditView => matches!(
            role,
            Owner | SeniorExecutive | SecurityLead | IgLead | Auditor | Inspector | Analyst
        ),
        OversightView => matches!(role, Inspector | Analyst),
        // Auditors review the register as DSPT evidence; the regulator sees notifications,
        // not the organisation's working register.
        IncidentsView => matches!(
            role,
            Owner | SeniorExecutive | SecurityLead | IgLead | Contributor | Viewer | Auditor
        ),
        IncidentsManage => matches!(role, Owner | SeniorExecutive | SecurityLead | IgLead | Contributor),
        // Who must be told is a judgement for the accountable roles (the DPO for breaches).
        IncidentsDecide => matches!(role, Owner | SeniorExecutive | SecurityLead | IgLead),
        NotificationsSubmit => matches!(role, Owner | SeniorExecutive | SecurityLead | IgLead),
        // Reviewing is the regulator's work; both of its roles see the inbox.
        NotificationsReview => matches!(role, Inspector | Analyst),
        PlansEdit => matches!(role, Owner | SeniorExecutive | SecurityLead | IgLead),
        // Thresholds bind every organisation in the remit: the inspector's call, not the analyst's.
        ThresholdsEdit => role == Inspector,
        // Evidence is read by those who read the register, auditors above all.
        EvidenceView => matches!(
            role,
            Owner | SeniorExecutive | SecurityLead | IgLead | Contributor | Viewer | Auditor
        ),
        EvidenceManage => matches!(role, Owner | SeniorExecutive | SecurityLead | IgLead | Contributor),
        GovernanceView => matches!(
            role,
            Owner | SeniorExecutive | SecurityLead | IgLead | Contributor | Viewer | Auditor
        ),
        ActionsManage => matches!(role, Owner | SeniorExecutive | SecurityLead | IgLead | Contributor),
        // The register is the accountable roles' to keep (the SIRO owns information risk).
        RisksManage => matches!(role, Owner | SeniorExecutive | SecurityLead | IgLead),
        AssessmentsView => matches!(
            role,
            Owner | SeniorExecutive | SecurityLead | IgLead | Contributor | Viewer | Auditor
        ),
        AssessmentsEdit => matches!(role, Owner | SeniorExecutive | SecurityLead | IgLead | Contributor),
        // Sign-off is the accountable senior executive's alone (DSPT and CAF both ask for it).
        AssessmentsPublish => role == SeniorExecutive,
        AssessmentsReview => matches!(role, Inspector | Analyst),
        AssetsView => matches!(
            role,
            Owner | SeniorExecutive | SecurityLead | IgLead | Contributor | Viewer | Auditor
        ),
        AssetsManage => matches!(role, Owner | SeniorExecutive | SecurityLead | IgLead | Contributor),
        // Accepting the risk of running an unsupported system is the SIRO's to sign (DSPT 8).
        UnsupportedAccept => role == SeniorExecutive,
        AlertsView => matches!(
            role,
            Owner
                | SeniorExecutive
                | SecurityLead
                | IgLead
                | Contributor
                | Viewer
                | Auditor
                | AlertPublisher
                | Inspector
                | Analyst
        ),
        AlertsRespond => matches!(role, Owner | SeniorExecutive | SecurityLead | IgLead | Contributor),
        // Letting a group speak for the organisation is the accountable roles' decision.
        AlertsDelegate => matches!(role, Owner | SeniorExecutive | SecurityLead),
        AlertsPublish => role == AlertPublisher,
        SectorView => matches!(role, Inspector | Analyst | AlertPublisher),
    }
}

/// The matrix for a regulator looking into an organisation in its remit: read-only, and only
/// for the regulator's own oversight roles.
pub fn oversight_allows(role: Role, permission: Permission) -> bool {
    matches!(role, Role::Inspector | Role::Analyst)
        && matches!(
            permission,
            Permission::OrgView | Permission::MembersView | Permission::AuditView
        )
}

/// Renders the matrix as the Markdown table kept in `docs/permissions.md`.
pub fn matrix_markdown() -> String {
    let mut out = String::from(
        "# Permissions\n\nGenerated from `crates/hygeia-domain/src/permissions.rs` by \
         `hygeia permissions`; a test fails if this file and the code differ.\n\n\
         A person reaches an organisation as a member (with one role) or, for regulator roles, \
         through the remit of their regulator body (read-only oversight). Read-only API tokens \
         carry only the read permissions. A request for an organisation the caller cannot \
         reach answers 404, never 403, so that ids of other organisations reveal nothing.\n\n\
         ## Members\n\n| permission |",
    );
    for role in Role::ALL {
        out.push_str(&format!(" {} |", role.code()));
    }
    out.push_str("\n|---|");
    out.push_str(&"---|".repeat(Role::ALL.len()));
    out.push('\n');
    for p in Permission::ALL {
        out.push_str(&format!("| {} |", p.describe()));
        for role in Role::ALL {
            out.push_str(if member_allows(*role, *p) { " yes |" } else { " – |" });
        }
        out.push('\n');
    }
    out.push_str("\n## Oversight (regulator roles, organisations in the remit)\n\n| permission | inspector | analyst |\n|---|---|---|\n");
    for p in Permission::ALL {
        let cell = |r| if oversight_allows(r, *p) { "yes" } else { "–" };
        out.push_str(&format!(
            "| {} | {} | {} |\n",
            p.describe(),
            cell(Role::Inspector),
            cell(Role::Analyst)
        ));
    }
    out.push_str(
        "\n## Platform administrators\n\nA platform administrator (a property of the account) \
         may create organisations and set their regulator; it gives no access to any \
         organisation's data unless the person is also a member.\n",
    );
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn read_only_grants_never_write() {
        for role in Role::ALL {
            for p in Permission::ALL {
                let grant = Grant {
                    access: Access::Member(*role),
                    read_only: true,
                };
                if grant.allows(*p) {
                    assert!(p.is_read(), "{role:?} {p:?}");
                }
            }
        }
    }

    #[test]
    fn oversight_is_read_only_and_regulator_only() {
        for role in Role::ALL {
            for p in Permission::ALL {
                if oversight_allows(*role, *p) {
                    assert!(p.is_read());
                    assert!(matches!(role, Role::Inspector | Role::Analyst));
                }
            }
        }
    }

    #[test]
    fn only_owners_manage() {
        for role in Role::ALL {
            assert_eq!(member_allows(*role, Permission::MembersManage), *role == Role::Owner);
        }
        assert!(!member_allows(Role::Auditor, Permission::MembersView));
        assert!(member_allows(Role::Auditor, Permission::AuditView));
        assert!(!member_allows(Role::Contributor, Permission::AuditView));
    }

    #[test]
    fn incident_decisions_are_for_accountable_roles() {
        assert!(member_allows(Role::IgLead, Permission::IncidentsDecide));
        assert!(!member_allows(Role::Contributor, Permission::IncidentsDecide));
        assert!(member_allows(Role::Contributor, Permission::IncidentsManage));
        assert!(!member_allows(Role::Viewer, Permission::IncidentsManage));
        assert!(member_allows(Role::Auditor, Permission::IncidentsView));
        assert!(!oversight_allows(Role::Inspector, Permission::IncidentsView));
    }
}
