//! One item: its versions (each file downloadable), what it is linked to, and the forms to
//! rename it, set its review date and add a version.

use super::super::{Errors, Layout, Section, page, parse_id, when};
use super::{ItemRow, check_csrf, content_of, form_errors, item_row};
use crate::error::PageError;
use crate::extract::{CsrfForm, SignedIn};
use crate::files::read_upload;
use crate::state::AppState;
use askama::Template;
use axum::extract::multipart::MultipartRejection;
use axum::extract::{Multipart, Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use hygeia_core::Scope;
use hygeia_domain::FieldError;
use hygeia_domain::evidence::{LinkTarget, human_size};
use hygeia_domain::ids::{EvidenceId, IncidentId, OrgId};
use hygeia_domain::permissions::Permission;
use hygeia_store::model::Session;
use serde::Deserialize;

struct VersionRow {
    version: i64,
    what: String,
    sha256: String,
    added: String,
    download: Option<String>,
    url: Option<String>,
    note: Option<String>,
}

struct LinkRow {
    label: String,
    href: Option<String>,
    linked: String,
}

#[derive(Template)]
#[template(path = "orgs/evidence_item.html")]
struct ItemPage {
    layout: Layout,
    errors: Errors,
    org_id: OrgId,
    row: ItemRow,
    title: String,
    review_by: String,
    created: String,
    versions: Vec<VersionRow>,
    links: Vec<LinkRow>,
    can_manage: bool,
    limit: String,
}

#[derive(Deserialize)]
pub(super) struct Notice {
    added: Option<String>,
    saved: Option<String>,
}

async fn render(
    state: &AppState,
    scope: &Scope,
    session: &Session,
    id: EvidenceId,
    status: StatusCode,
    errors: Vec<FieldError>,
    notice: Option<&str>,
) -> Result<Response, PageError> {
    let d = state.core.evidence_detail(scope, id).await?;
    let zone = &scope.org.time_zone;
    let org = scope.org.id.to_string();
    let mut links = Vec::new();
    for l in &d.links {
        let (label, href) = match l.target_kind {
            LinkTarget::Incident => {
                let reference = match l.target_id.parse::<IncidentId>() {
                    Ok(incident) if scope.allows(Permission::IncidentsView) => state
                        .core
                        .incident_reference(scope, incident)
                        .await
                        .unwrap_or_else(|_| "an incident".into()),
                    _ => "an incident".into(),
                };
                (
                    format!("Incident {reference}"),
                    Some(format!("/orgs/{org}/incidents/{}", l.target_id)),
                )
            }
            LinkTarget::Requirement => {
                let (key, ref_id) = l.target_id.split_once(':').unwrap_or(("", l.target_id.as_str()));
                (format!("Requirement {ref_id} of {key}"), None)
            }
        };
        links.push(LinkRow {
            label,
            href,
            linked: format!("{} by {}", when(l.linked_at, zone), l.linked_by),
        });
    }
    let versions = d
        .versions
        .iter()
        .map(|v| VersionRow {
            version: v.version,
            what: match &v.file_name {
                Some(name) => format!(
                    "{name} ({})",
                    human_size(v.size_bytes.and_then(|s| u64::try_from(s).ok()).unwrap_or(0))
                ),
                None => String::new(),
            },
            sha256: v.sha256.clone().unwrap_or_default(),
            added: format!("{} by {}", when(v.added_at, zone), v.added_by),
            download: v
                .sha256
                .as_ref()
                .map(|_| format!("/orgs/{org}/evidence/{id}/versions/{}/download", v.version)),
            url: v.url.clone(),
            note: v.note.clone(),
        })
        .collect();
    let item = &d.row.item;
    Ok(page(
        status,
        &ItemPage {
            layout: Layout::for_scope(&item.title, scope, session, Section::Evidence).with_notice(notice),
            errors: Errors::from(errors),
            org_id: scope.org.id,
            title: item.title.clone(),
            review_by: item.review_by.clone().unwrap_or_default(),
            created: format!("{} by {}", when(item.created_at, zone), item.created_by),
            row: item_row(&org, &d.row),
            versions,
            links,
            can_manage: scope.allows(Permission::EvidenceManage),
            limit: human_size(state.core.max_evidence_bytes()),
        },
    ))
}

pub(super) async fn show(
    State(state): State<AppState>,
    signed_in: SignedIn,
    Path((org_id, evidence_id)): Path<(String, String)>,
    Query(n): Query<Notice>,
) -> Result<Response, PageError> {
    let scope = state.core.scope(&signed_in.actor, parse_id::<OrgId>(&org_id)?).await?;
    let id = parse_id::<EvidenceId>(&evidence_id)?;
    let notice = match (n.added, n.saved) {
        (Some(_), _) => Some("Evidence added."),
        (_, Some(_)) => Some("Saved."),
        _ => None,
    };
    render(
        &state,
        &scope,
        &signed_in.session,
        id,
        StatusCode::OK,
        Vec::new(),
        notice,
    )
    .await
}

pub(super) async fn update(
    State(state): State<AppState>,
    Path((org_id, evidence_id)): Path<(String, String)>,
    form: CsrfForm<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let scope = state.core.scope(&form.actor, parse_id::<OrgId>(&org_id)?).await?;
    let id = parse_id::<EvidenceId>(&evidence_id)?;
    let val = |name: &str| {
        form.form
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.clone())
            .unwrap_or_default()
    };
    match state
        .core
        .update_evidence(&scope, id, &val("title"), &val("review_by"))
        .await
    {
        Ok(()) => Ok(Redirect::to(&format!("/orgs/{}/evidence/{id}?saved=1", scope.org.id)).into_response()),
        Err(e) => {
            let (status, errors) = form_errors(e)?;
            render(&state, &scope, &form.session, id, status, errors, None).await
        }
    }
}

pub(super) async fn add_version(
    State(state): State<AppState>,
    signed_in: SignedIn,
    Path((org_id, evidence_id)): Path<(String, String)>,
    multipart: Result<Multipart, MultipartRejection>,
) -> Result<Response, PageError> {
    let scope = state.core.scope(&signed_in.actor, parse_id::<OrgId>(&org_id)?).await?;
    let id = parse_id::<EvidenceId>(&evidence_id)?;
    let result = match read_upload(&state.core, &scope, crate::files::multipart(multipart)?, "file").await {
        Ok(mut form) => {
            check_csrf(&form, &signed_in.session)?;
            match content_of(&mut form, "") {
                Ok(content) => state.core.add_evidence_version(&scope, id, content).await,
                Err(e) => Err(e),
            }
        }
        Err(e) => Err(e),
    };
    match result {
        Ok(_) => Ok(Redirect::to(&format!("/orgs/{}/evidence/{id}?saved=1", scope.org.id)).into_response()),
        Err(e) => {
            let (status, errors) = form_errors(e)?;
            render(&state, &scope, &signed_in.session, id, status, errors, None).await
        }
    }
}

pub(super) async fn download(
    State(state): State<AppState>,
    signed_in: SignedIn,
    Path((org_id, evidence_id, version)): Path<(String, String, String)>,
) -> Result<Response, PageError> {
    let scope = state.core.scope(&signed_in.actor, parse_id::<OrgId>(&org_id)?).await?;
    let id = parse_id::<EvidenceId>(&evidence_id)?;
    let version: i64 = version
        .parse()
        .map_err(|_| PageError(hygeia_core::CoreError::NotFound))?;
    let v = state.core.evidence_file(&scope, id, version).await?;
    Ok(crate::files::download(state.core.clone(), scope, v))
}
