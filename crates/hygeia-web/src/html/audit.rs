//! An organisation's audit log, newest first.

use super::{Layout, Section, ok, parse_id, when};
use crate::error::PageError;
use crate::extract::SignedIn;
use crate::state::AppState;
use askama::Template;
use axum::Router;
use axum::extract::{Path, Query, State};
use axum::response::Response;
use axum::routing::get;
use hygeia_domain::audit::canonical_json;
use hygeia_domain::ids::OrgId;
use hygeia_domain::page::PageRequest;
use serde::Deserialize;

pub fn router() -> Router<AppState> {
    Router::new().route("/orgs/{org_id}/audit", get(show))
}

pub struct Row {
    pub seq: i64,
    pub when: String,
    pub actor: String,
    pub action: String,
    pub object: String,
    pub changes: String,
}

#[derive(Template)]
#[template(path = "orgs/audit.html")]
struct AuditPage {
    layout: Layout,
    org_id: OrgId,
    rows: Vec<Row>,
    total: u64,
    first: u64,
    next_offset: Option<u64>,
}

#[derive(Deserialize)]
struct Paging {
    offset: Option<u64>,
}

async fn show(
    State(state): State<AppState>,
    signed_in: SignedIn,
    Path(org_id): Path<String>,
    Query(paging): Query<Paging>,
) -> Result<Response, PageError> {
    let scope = state.core.scope(&signed_in.actor, parse_id::<OrgId>(&org_id)?).await?;
    let page = state
        .core
        .audit_log(&scope, PageRequest::new(Some(50), paging.offset))
        .await?;
    let tz = &scope.org.time_zone;
    let rows = page
        .items
        .iter()
        .map(|r| Row {
            seq: r.seq,
            when: when(r.event.at_ms, tz),
            actor: r.event.actor_label.clone(),
            action: r.event.action.clone(),
            object: format!("{} {}", r.event.object_type, r.event.object_id),
            changes: canonical_json(&r.event.changes),
        })
        .collect();
    Ok(ok(&AuditPage {
        layout: Layout::for_scope("Audit log", &scope, &signed_in.session, Section::Audit),
        org_id: scope.org.id,
        rows,
        total: page.total,
        first: page.offset,
        next_offset: page.next_offset(),
    }))
}
