//! A regulator's view of the organisations in its remit.

use super::{Layout, Section, ok, parse_id};
use crate::error::PageError;
use crate::extract::SignedIn;
use crate::state::AppState;
use askama::Template;
use axum::Router;
use axum::extract::{Path, Query, State};
use axum::response::Response;
use axum::routing::get;
use hygeia_domain::ids::OrgId;
use hygeia_domain::page::PageRequest;
use hygeia_store::model::Org;
use serde::Deserialize;

pub fn router() -> Router<AppState> {
    Router::new().route("/orgs/{org_id}/oversight", get(show))
}

#[derive(Template)]
#[template(path = "orgs/oversight.html")]
struct OversightPage {
    layout: Layout,
    orgs: Vec<Org>,
    total: u64,
    org_id: OrgId,
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
        .remit(&scope, PageRequest::new(Some(100), paging.offset))
        .await?;
    Ok(ok(&OversightPage {
        layout: Layout::for_scope("Oversight", &scope, &signed_in.session, Section::Oversight),
        total: page.total,
        next_offset: page.next_offset(),
        orgs: page.items,
        org_id: scope.org.id,
    }))
}
