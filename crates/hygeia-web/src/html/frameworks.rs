//! The framework library: every framework version, and one version's tree of nodes. Shared by
//! all organisations, so any signed-in person may read it.

use super::{Layout, Section, ok, when};
use crate::error::PageError;
use crate::extract::SignedIn;
use crate::state::AppState;
use askama::Template;
use axum::Router;
use axum::extract::{Path, State};
use axum::response::Response;
use axum::routing::get;
use hygeia_core::CoreError;
use hygeia_store::model::StoredFramework;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/frameworks", get(list))
        .route("/frameworks/{key}/{version}", get(show))
}

#[derive(Template)]
#[template(path = "frameworks.html")]
struct LibraryPage {
    layout: Layout,
    rows: Vec<(StoredFramework, String)>,
}

async fn list(State(state): State<AppState>, signed_in: SignedIn) -> Result<Response, PageError> {
    let rows = state
        .core
        .frameworks()
        .await?
        .into_iter()
        .map(|f| {
            let at = when(f.imported_at, "Europe/London");
            (f, at)
        })
        .collect();
    Ok(ok(&LibraryPage {
        layout: Layout::signed_in(
            "Framework library",
            &signed_in.actor.user,
            &signed_in.session,
            Section::Account,
        ),
        rows,
    }))
}

/// One node as the tree shows it: indented by depth.
struct NodeLine {
    ref_id: String,
    title: String,
    summary: String,
    depth: usize,
    answerable: bool,
}

#[derive(Template)]
#[template(path = "framework.html")]
struct FrameworkPage {
    layout: Layout,
    title: String,
    key: String,
    version: String,
    publisher: String,
    licence: String,
    source_url: Option<String>,
    nodes: Vec<NodeLine>,
}

async fn show(
    State(state): State<AppState>,
    signed_in: SignedIn,
    Path((key, version)): Path<(String, String)>,
) -> Result<Response, PageError> {
    let text = state.core.export_framework(&key, &version).await?;
    let f = hygeia_domain::assessments::library_format::parse(&text)
        .map_err(|e| PageError(CoreError::Internal(format!("stored framework unreadable: {e}"))))?;
    let mut depths: std::collections::HashMap<String, usize> = std::collections::HashMap::new();
    let nodes = f
        .nodes
        .iter()
        .map(|n| {
            let depth = n.parent.as_ref().and_then(|p| depths.get(p)).map_or(0, |d| d + 1);
            depths.insert(n.ref_id.clone(), depth);
            NodeLine {
                ref_id: n.ref_id.clone(),
                title: n.title.clone(),
                summary: n.summary.clone(),
                depth: depth.min(5),
                answerable: n.assessable(),
            }
        })
        .collect();
    Ok(ok(&FrameworkPage {
        layout: Layout::signed_in(&f.title, &signed_in.actor.user, &signed_in.session, Section::Account),
        title: f.title,
        key: f.key,
        version: f.version,
        publisher: f.publisher,
        licence: f.licence,
        source_url: f.source_url,
        nodes,
    }))
}
