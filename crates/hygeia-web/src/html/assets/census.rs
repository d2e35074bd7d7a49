//! The end-of-life census: the national team's view of the sector, a regulator's of its
//! remit, filterable by organisation type and by parent (a region, an ICB, a care group).

use super::super::{Layout, Section, page, parse_id};
use super::support_tag;
use crate::error::PageError;
use crate::extract::SignedIn;
use crate::state::AppState;
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use hygeia_domain::ids::OrgId;
use hygeia_domain::org::OrgType;
use serde::Deserialize;

#[derive(Deserialize, Default)]
pub(super) struct CensusQuery {
    org_type: Option<String>,
    parent: Option<String>,
    all: Option<String>,
}

pub(crate) struct CensusRow {
    pub release: String,
    pub tag: &'static str,
    pub status: &'static str,
    pub security_end: String,
    pub esu_end: String,
    pub organisations: u64,
    pub assets: u64,
    pub in_esu: u64,
}

#[derive(Template)]
#[template(path = "orgs/census.html")]
struct CensusPage {
    layout: Layout,
    org_id: OrgId,
    rows: Vec<CensusRow>,
    types: Vec<(&'static str, &'static str)>,
    org_type: String,
    parents: Vec<(String, String)>,
    parent: String,
    all: bool,
}

pub(super) async fn census(
    State(state): State<AppState>,
    signed_in: SignedIn,
    Path(org_id): Path<String>,
    Query(q): Query<CensusQuery>,
) -> Result<Response, PageError> {
    let scope = state.core.scope(&signed_in.actor, parse_id::<OrgId>(&org_id)?).await?;
    let org_type = q
        .org_type
        .as_deref()
        .filter(|t| !t.is_empty())
        .and_then(|t| OrgType::parse(t, "org_type").ok());
    let all = q.all.as_deref() == Some("yes");
    let parents = state.core.census_parents(&scope).await?;
    // Only a parent the remit has is taken; anything else is no filter rather than an error.
    let parent = q
        .parent
        .as_deref()
        .and_then(|p| parents.iter().find(|(id, _)| id.to_string() == p))
        .map(|(id, _)| *id);
    let lines = state.core.census(&scope, org_type, parent, all).await?;
    let rows = lines
        .into_iter()
        .map(|l| {
            let (tag, status) = support_tag(l.support);
            CensusRow {
                release: l.release,
                tag,
                status,
                security_end: l.security_end.map(|d| d.to_string()).unwrap_or_else(|| "–".into()),
                esu_end: l.esu_end.map(|d| d.to_string()).unwrap_or_else(|| "–".into()),
                organisations: l.organisations,
                assets: l.assets,
                in_esu: l.assets_in_esu,
            }
        })
        .collect();
    Ok(page(
        StatusCode::OK,
        &CensusPage {
            layout: Layout::for_scope("End-of-life census", &scope, &signed_in.session, Section::Census),
            org_id: scope.org.id,
            rows,
            types: OrgType::ALL
                .iter()
                .filter(|t| !t.is_oversight_body())
                .map(|t| (t.code(), t.label()))
                .collect(),
            org_type: org_type.map(|t| t.code().to_owned()).unwrap_or_default(),
            parents: parents.into_iter().map(|(id, name)| (id.to_string(), name)).collect(),
            parent: parent.map(|p| p.to_string()).unwrap_or_default(),
            all,
        },
    ))
}
