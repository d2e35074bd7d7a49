//! The layout every page shares: the header's organisation and account, the navigation of
//! the sections the signed-in member may use, and a notice after a change.

use hygeia_core::Scope;
use hygeia_domain::permissions::Permission;
use hygeia_store::model::Session;

pub struct NavItem {
    pub href: String,
    pub label: &'static str,
    pub current: bool,
}

/// What the shared layout shows around every page.
pub struct Layout {
    pub title: String,
    pub user: Option<String>,
    pub csrf: String,
    pub org_name: Option<String>,
    pub nav: Vec<NavItem>,
    pub notice: Option<String>,
}

/// The sections of an organisation's pages, for the navigation.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Section {
    Overview,
    Incidents,
    Evidence,
    Assessments,
    Actions,
    Risks,
    Assets,
    Unsupported,
    Alerts,
    NationalAlerts,
    Census,
    Inbox,
    Thresholds,
    Members,
    Audit,
    Settings,
    Oversight,
    Account,
    Admin,
}

impl Layout {
    pub fn public(title: &str) -> Self {
        Self {
            title: title.to_owned(),
            user: None,
            csrf: String::new(),
            org_name: None,
            nav: Vec::new(),
            notice: None,
        }
    }

    /// A page of a signed-in person outside any organisation (account, admin).
    pub fn signed_in(title: &str, user: &hygeia_store::model::User, session: &Session, section: Section) -> Self {
        let mut nav = vec![NavItem {
            href: "/account".into(),
            label: "Your account",
            current: section == Section::Account,
        }];
        if let Some(org) = session.current_org_id {
            nav.insert(
                0,
                NavItem {
                    href: format!("/orgs/{org}"),
                    label: "Organisation",
                    current: false,
                },
            );
        }
        nav.push(NavItem {
            href: "/frameworks".into(),
            label: "Framework library",
            current: false,
        });
        if user.is_platform_admin {
            nav.push(NavItem {
                href: "/admin/orgs".into(),
                label: "Administration",
                current: section == Section::Admin,
            });
        }
        Self {
            title: title.to_owned(),
            user: Some(user.display_name.clone()),
            csrf: session.csrf_token.clone(),
            org_name: None,
            nav,
            notice: None,
        }
    }

    /// A page inside an organisation: the navigation offers what the caller may do there.
    pub fn for_scope(title: &str, scope: &Scope, session: &Session, section: Section) -> Self {
        let base = format!("/orgs/{}", scope.org.id);
        let mut nav = vec![NavItem {
            href: base.clone(),
            label: "Overview",
            current: section == Section::Overview,
        }];
        let mut offer = |allowed: bool, path: &str, label: &'static str, s: Section| {
            if allowed {
                nav.push(NavItem {
                    href: format!("{base}{path}"),
                    label,
                    current: section == s,
                });
            }
        };
        offer(
            scope.allows(Permission::OversightView),
            "/oversight",
            "Oversight",
            Section::Oversight,
        );
        offer(
            scope.allows(Permission::OversightView),
            "/inbox",
            "Notifications received",
            Section::Inbox,
        );
        offer(
            scope.allows(Permission::OversightView),
            "/thresholds",
            "Reporting thresholds",
            Section::Thresholds,
        );
        offer(
            scope.allows(Permission::IncidentsView),
            "/incidents",
            "Incidents",
            Section::Incidents,
        );
        offer(
            scope.allows(Permission::EvidenceView),
            "/evidence",
            "Evidence",
            Section::Evidence,
        );
        offer(
            scope.allows(Permission::AssessmentsView),
            "/assessments",
            "Assessments",
            Section::Assessments,
        );
        offer(
            scope.allows(Permission::OversightView),
            "/oversight/assessments",
            "Published assessments",
            Section::Assessments,
        );
        offer(
            scope.allows(Permission::GovernanceView),
            "/actions",
            "Improvement plan",
            Section::Actions,
        );
        offer(
            scope.allows(Permission::GovernanceView),
            "/risks",
            "Risks",
            Section::Risks,
        );
        offer(
            scope.allows(Permission::AssetsView),
            "/assets",
            "Assets",
            Section::Assets,
        );
        offer(
            scope.allows(Permission::AssetsView),
            "/unsupported",
            "Unsupported systems",
            Section::Unsupported,
        );
        offer(
            scope.allows(Permission::AlertsView) && !scope.allows(Permission::SectorView),
            "/alerts",
            "Cyber alerts",
            Section::Alerts,
        );
        offer(
            scope.allows(Permission::SectorView),
            "/national-alerts",
            "National alerts",
            Section::NationalAlerts,
        );
        offer(
            scope.allows(Permission::SectorView),
            "/census",
            "End-of-life census",
            Section::Census,
        );
        offer(
            scope.allows(Permission::MembersView),
            "/members",
            "Members",
            Section::Members,
        );
        offer(
            scope.allows(Permission::AuditView),
            "/audit",
            "Audit log",
            Section::Audit,
        );
        offer(
            scope.allows(Permission::OrgEdit),
            "/settings",
            "Settings",
            Section::Settings,
        );
        nav.push(NavItem {
            href: "/account".into(),
            label: "Your account",
            current: section == Section::Account,
        });
        if scope.actor.user.is_platform_admin {
            nav.push(NavItem {
                href: "/admin/orgs".into(),
                label: "Administration",
                current: section == Section::Admin,
            });
        }
        Self {
            title: title.to_owned(),
            user: Some(scope.actor.user.display_name.clone()),
            csrf: session.csrf_token.clone(),
            org_name: Some(scope.org.name.clone()),
            nav,
            notice: None,
        }
    }

    pub fn with_notice(mut self, notice: Option<&str>) -> Self {
        self.notice = notice.map(str::to_owned);
        self
    }
}
