//! The incident register.

use super::super::{Layout, Section, ok, parse_id, when};
use crate::error::PageError;
use crate::extract::SignedIn;
use crate::state::AppState;
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::response::Response;
use hygeia_domain::ids::{IncidentId, OrgId};
use hygeia_domain::page::PageRequest;
use hygeia_domain::permissions::Permission;
use serde::Deserialize;

#[derive(Deserialize)]
pub(super) struct ListQuery {
    #[serde(default)]
    all: Option<String>,
    #[serde(default)]
    offset: Option<u64>,
}

struct Row {
    id: IncidentId,
    reference: String,
    title: String,
    category: &'static str,
    severity: &'static str,
    status: &'static str,
    aware: String,
}

#[derive(Template)]
#[template(path = "orgs/incidents.html")]
struct ListPage {
    layout: Layout,
    org_id: OrgId,
    rows: Vec<Row>,
    total: u64,
    show_all: bool,
    can_report: bool,
    next_offset: Option<u64>,
}

pub(super) async fn list(
    State(state): State<AppState>,
    signed_in: SignedIn,
    Path(org_id): Path<String>,
    Query(q): Query<ListQuery>,
) -> Result<Response, PageError> {
    let scope = state.core.scope(&signed_in.actor, parse_id::<OrgId>(&org_id)?).await?;
    let show_all = q.all.is_some();
    let found = state
        .core
        .incidents(&scope, !show_all, PageRequest::new(Some(50), q.offset))
        .await?;
    let next_offset = found.next_offset();
    let rows = found
        .items
        .into_iter()
        .map(|i| Row {
            id: i.id,
            reference: i.reference,
            title: i.title,
            category: i.category.label(),
            severity: i.severity.label(),
            status: i.status.label(),
            aware: when(i.aware_at, &scope.org.time_zone),
        })
        .collect();
    Ok(ok(&ListPage {
        layout: Layout::for_scope("Incidents", &scope, &signed_in.session, Section::Incidents),
        org_id: scope.org.id,
        rows,
        total: found.total,
        show_all,
        can_report: scope.allows(Permission::IncidentsManage),
        next_offset,
    }))
}
