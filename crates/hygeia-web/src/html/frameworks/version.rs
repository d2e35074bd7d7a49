//! One framework version's tree of nodes, with its profiles and mappings.

use super::super::{Layout, Section, ok};
use crate::error::PageError;
use crate::extract::SignedIn;
use crate::state::AppState;
use askama::Template;
use axum::extract::{Path, State};
use axum::response::Response;
use hygeia_core::CoreError;

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
    /// Key, title, how many outcomes have a minimum.
    profiles: Vec<(String, String, usize)>,
    can_edit: bool,
}

pub(super) async fn show(
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
        profiles: f
            .profiles
            .iter()
            .map(|p| {
                (
                    p.key.clone(),
                    p.title.clone(),
                    p.minima.values().filter(|m| m.is_some()).count(),
                )
            })
            .collect(),
        can_edit: signed_in.actor.user.is_platform_admin && !signed_in.actor.read_only(),
        nodes,
    }))
}
