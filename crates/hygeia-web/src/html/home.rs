//! The start page, an organisation's overview, and switching organisation.

use super::{Layout, Section, ok, parse_id, when};
use crate::error::PageError;
use crate::extract::{CsrfForm, SignedIn};
use crate::state::AppState;
use askama::Template;
use axum::Router;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use hygeia_core::Scope;
use hygeia_domain::ids::OrgId;
use hygeia_domain::page::PageRequest;
use hygeia_domain::permissions::Access;
use hygeia_domain::permissions::Permission;
use hygeia_store::model::{Membership, Org};
use serde::Deserialize;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/", get(start))
        .route("/orgs/{org_id}", get(overview))
        .route("/session/org", post(switch))
}

/// Sends a signed-in person to the organisation they last worked in.
async fn start(State(state): State<AppState>, signed_in: SignedIn) -> Result<Response, PageError> {
    Ok(match state.core.current_scope(&signed_in.actor).await? {
        Some(scope) => Redirect::to(&format!("/orgs/{}", scope.org.id)).into_response(),
        None => Redirect::to("/account").into_response(),
    })
}

#[derive(Template)]
#[template(path = "orgs/overview.html")]
struct OverviewPage {
    layout: Layout,
    org: Org,
    access: String,
    regimes: String,
    parent: Option<Org>,
    regulator: Option<Org>,
    created: String,
    others: Vec<Membership>,
    /// Reporting deadlines that still need action, soonest first.
    deadlines: Vec<Deadline>,
    /// For a regulator: reports overdue or late across its remit.
    overdue: Vec<Deadline>,
    overdue_total: u64,
}

/// One statutory deadline as the overview lists it.
pub struct Deadline {
    pub link: String,
    pub org: String,
    pub reference: String,
    pub report: String,
    pub due: String,
    pub state: &'static str,
    pub tag: &'static str,
}

fn deadline(l: hygeia_store::model::ClockListing, link: String, time_zone: &str) -> Deadline {
    use hygeia_domain::incidents::clocks::ClockState::*;
    Deadline {
        link,
        org: l.org_name,
        reference: l.reference,
        report: format!("{}: {}", l.clock.regime.label(), l.clock.title),
        due: l.clock.due_at.map_or_else(String::new, |d| when(d, time_zone)),
        state: l.clock.state.label(),
        tag: match l.clock.state {
            Overdue | SubmittedLate => "nhsuk-tag--red",
            DueSoon => "nhsuk-tag--orange",
            _ => "nhsuk-tag--blue",
        },
    }
}

async fn overview(
    State(state): State<AppState>,
    signed_in: SignedIn,
    Path(org_id): Path<String>,
) -> Result<Response, PageError> {
    let scope: Scope = state.core.scope(&signed_in.actor, parse_id::<OrgId>(&org_id)?).await?;
    if signed_in.session.current_org_id != Some(scope.org.id) && scope.member_role().is_some() {
        state.core.switch_org(&signed_in.actor, scope.org.id).await?;
    }
    let related = |id: Option<OrgId>| {
        let core = state.core.clone();
        async move {
            match id {
                Some(id) => core.store().get_org(id).await.ok(),
                None => None,
            }
        }
    };
    let access = match scope.grant.access {
        Access::Member(role) => format!("You are a member: {}", role.label()),
        Access::Oversight(role) => format!("Oversight as {} (read-only)", role.label()),
    };
    let others = state
        .core
        .my_orgs(&signed_in.actor)
        .await?
        .into_iter()
        .filter(|m| m.org.id != scope.org.id)
        .collect();
    let zone = scope.org.time_zone.clone();
    let deadlines = if scope.allows(Permission::IncidentsView) {
        state
            .core
            .open_clocks(&scope)
            .await?
            .into_iter()
            .map(|l| {
                let link = format!("/orgs/{}/incidents/{}", l.clock.org_id, l.clock.incident_id);
                deadline(l, link, &zone)
            })
            .collect()
    } else {
        Vec::new()
    };
    let (overdue, overdue_total) = if scope.allows(Permission::OversightView) {
        let page = state
            .core
            .overdue_and_late(&scope, PageRequest::new(Some(20), None))
            .await?;
        let rows = page
            .items
            .into_iter()
            .map(|l| deadline(l, format!("/orgs/{}/inbox", scope.org.id), &zone))
            .collect();
        (rows, page.total)
    } else {
        (Vec::new(), 0)
    };
    let org = scope.org.clone();
    Ok(ok(&OverviewPage {
        deadlines,
        overdue,
        overdue_total,
        layout: Layout::for_scope(&org.name, &scope, &signed_in.session, Section::Overview),
        regimes: if org.regimes.is_empty() {
            "None recorded".into()
        } else {
            org.regimes.iter().map(|r| r.label()).collect::<Vec<_>>().join(", ")
        },
        parent: related(org.parent_id).await,
        regulator: related(org.regulator_id).await,
        created: when(org.created_at, &org.time_zone),
        access,
        others,
        org,
    }))
}

#[derive(Deserialize)]
struct SwitchForm {
    org_id: String,
}

async fn switch(State(state): State<AppState>, form: CsrfForm<SwitchForm>) -> Result<Response, PageError> {
    let org: OrgId = parse_id(&form.form.org_id)?;
    state.core.switch_org(&form.actor, org).await?;
    Ok(Redirect::to(&format!("/orgs/{org}")).into_response())
}
