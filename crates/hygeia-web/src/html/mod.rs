//! Server-rendered pages. Each module owns the pages of one feature; this one owns the layout
//! every page shares and the error pages.

mod account;
mod admin;
mod alerts;
mod assessments;
pub(crate) mod assets;
mod audit;
pub(crate) mod evidence;
mod frameworks;
pub(crate) mod governance;
mod home;
mod incidents;
mod invitations;
mod members;
mod mfa;
mod notifications;
pub(crate) use notifications::notification_download;
mod oversight;
mod password;
mod plans;
mod settings;
mod sign_in;
mod thresholds;
mod webhook;

use crate::state::AppState;
use askama::Template;
use axum::Router;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{Html, IntoResponse, Response};
use hygeia_core::Scope;
use hygeia_domain::FieldError;
use hygeia_domain::permissions::Permission;
use hygeia_domain::roles::Role;
use hygeia_store::model::Session;

pub fn router() -> Router<AppState> {
    Router::new()
        .merge(sign_in::router())
        .merge(mfa::router())
        .merge(password::router())
        .merge(home::router())
        .merge(frameworks::router())
        .merge(members::router())
        .merge(incidents::router())
        .merge(notifications::router())
        .merge(plans::router())
        .merge(evidence::router())
        .merge(governance::router())
        .merge(assets::router())
        .merge(alerts::router())
        .merge(assessments::router())
        .merge(thresholds::router())
        .merge(settings::router())
        .merge(webhook::router())
        .merge(audit::router())
        .merge(account::router())
        .merge(invitations::router())
        .merge(oversight::router())
        .merge(admin::router())
}

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

/// Field errors of a form, for the error summary and the messages beside each field.
#[derive(Default)]
pub struct Errors {
    pub list: Vec<FieldError>,
}

impl Errors {
    pub fn from(list: Vec<FieldError>) -> Self {
        Self { list }
    }

    pub fn any(&self) -> bool {
        !self.list.is_empty()
    }

    pub fn has(&self, field: &str) -> bool {
        self.get(field).is_some()
    }

    pub fn get(&self, field: &str) -> Option<&str> {
        self.list.iter().find(|e| e.field == field).map(|e| e.message.as_str())
    }
}

/// Renders a template as a page with the given status.
pub fn page(status: StatusCode, template: &impl Template) -> Response {
    match template.render() {
        Ok(html) => (status, Html(html)).into_response(),
        Err(e) => {
            tracing::error!(error = %e, "template failed");
            (
                StatusCode::INTERNAL_SERVER_ERROR,
                "Something went wrong rendering this page.",
            )
                .into_response()
        }
    }
}

pub fn ok(template: &impl Template) -> Response {
    page(StatusCode::OK, template)
}

#[derive(Template)]
#[template(path = "error.html")]
struct ErrorPage<'a> {
    layout: Layout,
    heading: &'a str,
    detail: &'a str,
}

pub fn render_error_page(status: StatusCode, heading: &str, detail: &str) -> Response {
    let mut response = page(
        status,
        &ErrorPage {
            layout: Layout::public(heading),
            heading,
            detail,
        },
    );
    response
        .headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response
}

/// Any address that is not a page: a real 404 page (or problem+json under /api).
pub async fn not_found(uri: axum::http::Uri) -> Response {
    if uri.path().starts_with("/api/") {
        return crate::error::problem_response(
            StatusCode::NOT_FOUND,
            "not_found",
            "Not found",
            "There is no such API endpoint.".into(),
            &[],
        );
    }
    render_error_page(
        StatusCode::NOT_FOUND,
        "Page not found",
        "If you typed the web address, check it is correct. If you pasted it, check you copied all of it.",
    )
}

/// Role choices for a form: (code, label) for every role the organisation type allows.
pub fn role_choices(org_type: hygeia_domain::org::OrgType) -> Vec<(&'static str, &'static str)> {
    Role::for_org_type(org_type)
        .into_iter()
        .map(|r| (r.code(), r.label()))
        .collect()
}

/// Formats epoch milliseconds for people, in the organisation's time zone.
pub fn when(ms: i64, time_zone: &str) -> String {
    let Ok(ts) = jiff::Timestamp::from_millisecond(ms) else {
        return "-".into();
    };
    match jiff::tz::TimeZone::get(time_zone) {
        Ok(tz) => ts.to_zoned_datetime(tz).strftime("%-d %b %Y %H:%M %Z").to_string(),
        Err(_) => ts.strftime("%-d %b %Y %H:%M UTC").to_string(),
    }
}

/// Reads an id from the path; a malformed id is simply not found.
pub fn parse_id<T: std::str::FromStr>(raw: &str) -> Result<T, crate::error::PageError> {
    raw.parse()
        .map_err(|_| crate::error::PageError(hygeia_core::CoreError::NotFound))
}
