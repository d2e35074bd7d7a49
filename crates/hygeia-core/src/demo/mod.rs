//! Demo data: a small health economy to explore Hygeia with. Seeded only into an empty
//! database, so `--demo` on a real deployment changes nothing.

use crate::orgs::NewOrg;
use crate::users::NewUser;
use crate::{CoreError, Hygeia};

/// Every demo account signs in with this password.
pub const DEMO_PASSWORD: &str = "hygeia-demo-2026";

/// One demo organisation: name, ODS code, type, regimes, OES, parent's ODS, regulator's ODS,
/// whether MFA is enforced.
type DemoOrg = (
    &'static str,
    &'static str,
    &'static str,
    &'static [&'static str],
    bool,
    Option<&'static str>,
    Option<&'static str>,
    bool,
);

const ORGS: &[DemoOrg] = &[
    (
        "Health NIS Competent Authority (demo)",
        "X26CA",
        "regulator",
        &[],
        false,
        None,
        None,
        true,
    ),
    (
        "National Cyber Operations Centre (demo)",
        "X26NC",
        "national_team",
        &[],
        false,
        None,
        None,
        false,
    ),
    (
        "Riverside Integrated Care Board",
        "QRV",
        "icb",
        &["uk_nis", "uk_gdpr"],
        false,
        None,
        Some("X26CA"),
        false,
    ),
    (
        "Riverside University Hospitals NHS Foundation Trust",
        "RVX",
        "foundation_trust",
        &["uk_nis", "uk_gdpr"],
        true,
        Some("QRV"),
        Some("X26CA"),
        false,
    ),
    (
        "Meadow Lane Surgery",
        "Y99001",
        "gp_practice",
        &["uk_gdpr"],
        false,
        Some("QRV"),
        Some("X26CA"),
        false,
    ),
    (
        "Oakwood Care Group",
        "VOK01",
        "care_provider",
        &["uk_gdpr"],
        false,
        None,
        Some("X26CA"),
        false,
    ),
    (
        "Oakwood House",
        "VOK02",
        "care_provider",
        &["uk_gdpr"],
        false,
        Some("VOK01"),
        Some("X26CA"),
        false,
    ),
    (
        "Willow Court",
        "VOK03",
        "care_provider",
        &["uk_gdpr"],
        false,
        Some("VOK01"),
        Some("X26CA"),
        false,
    ),
];

/// One demo account: email, name, platform admin, and its (ODS code, role) memberships.
type DemoUser = (
    &'static str,
    &'static str,
    bool,
    &'static [(&'static str, &'static str)],
);

const USERS: &[DemoUser] = &[
    ("admin@hygeia.example", "Platform Administrator", true, &[]),
    ("owner@riverside.example", "Olivia Owen", false, &[("RVX", "owner")]),
    (
        "siro@riverside.example",
        "Sanjay Iyer",
        false,
        &[("RVX", "senior_executive")],
    ),
    (
        "security@riverside.example",
        "Sam Clarke",
        false,
        &[("RVX", "security_lead"), ("QRV", "contributor")],
    ),
    ("ig@riverside.example", "Imogen Grant", false, &[("RVX", "ig_lead")]),
    (
        "contributor@riverside.example",
        "Chris Tan",
        false,
        &[("RVX", "contributor")],
    ),
    ("viewer@riverside.example", "Vera Wood", false, &[("RVX", "viewer")]),
    ("auditor@assurance.example", "Aled Jones", false, &[("RVX", "auditor")]),
    (
        "practice@meadowlane.example",
        "Priya Shah",
        false,
        &[("Y99001", "security_lead")],
    ),
    (
        "manager@oakwood.example",
        "Martin Boyd",
        false,
        &[
            ("VOK01", "security_lead"),
            ("VOK02", "security_lead"),
            ("VOK03", "security_lead"),
        ],
    ),
    (
        "inspector@regulator.example",
        "Ines Petrov",
        false,
        &[("X26CA", "inspector")],
    ),
    ("analyst@regulator.example", "Ade Nwosu", false, &[("X26CA", "analyst")]),
    (
        "publisher@ncoc.example",
        "Paul Reid",
        false,
        &[("X26NC", "alert_publisher")],
    ),
];

/// A demo account as listed at start and in the README.
#[derive(Debug, Clone)]
pub struct DemoAccount {
    pub email: &'static str,
    pub roles: String,
}

/// The demo accounts and what each can do, whether or not they were just seeded.
pub fn accounts() -> Vec<DemoAccount> {
    USERS
        .iter()
        .map(|(email, _, admin, memberships)| DemoAccount {
            email,
            roles: if *admin {
                "platform administrator".into()
            } else {
                memberships
                    .iter()
                    .map(|(ods, role)| format!("{role} at {ods}"))
                    .collect::<Vec<_>>()
                    .join(", ")
            },
        })
        .collect()
}

impl Hygeia {
    /// Seeds the demo organisations and accounts into an empty database. Returns whether it
    /// seeded anything.
    pub async fn seed_demo(&self) -> Result<bool, CoreError> {
        if self.store.count_users().await? > 0 {
            return Ok(false);
        }
        for (name, ods, org_type, regimes, oes, parent, regulator, mfa) in ORGS {
            self.create_org(
                None,
                NewOrg {
                    name: (*name).into(),
                    ods_code: (*ods).into(),
                    org_type: (*org_type).into(),
                    regimes: regimes.iter().map(|r| (*r).to_owned()).collect(),
                    is_oes: *oes,
                    parent_ods: parent.map(Into::into),
                    regulator_ods: regulator.map(Into::into),
                    require_mfa: *mfa,
                },
            )
            .await?;
        }
        for (email, name, admin, memberships) in USERS {
            let user = self
                .create_user(
                    None,
                    NewUser {
                        email: (*email).into(),
                        display_name: (*name).into(),
                        password: DEMO_PASSWORD.into(),
                        is_platform_admin: *admin,
                    },
                )
                .await?;
            for (ods, role) in *memberships {
                let org = self.org_by_ods(ods).await?;
                self.add_member_directly(org.id, user.id, role).await?;
            }
        }
        Ok(true)
    }
}

mod examples;
