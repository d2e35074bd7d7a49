//! The register page, its import (with a dry run that shows the diff before anything is
//! written), the CSV export, and one asset's page.

use super::super::val;
use super::super::{Errors, Layout, Section, page, parse_id, when};
use super::{read_upload, support_tag};
use crate::error::PageError;
use crate::extract::{CsrfForm, SignedIn};
use crate::state::AppState;
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use hygeia_core::assets::{AssetView, ImportOptions, ImportReport, MAX_ASSET_FILE_BYTES};
use hygeia_core::{CoreError, Scope};
use hygeia_domain::FieldError;
use hygeia_domain::assets::asset::AssetKind;
use hygeia_domain::ids::{AssetId, OrgId};
use hygeia_domain::page::PageRequest;
use hygeia_domain::permissions::Permission;
use hygeia_store::model::Session;
use serde::Deserialize;

/// Files up to this size ride along in the dry-run page, so "Import" needs no second upload.
const CARRY_LIMIT: usize = 2 * 1024 * 1024;

pub(crate) struct AssetLine {
    pub id: String,
    pub name: String,
    pub key: String,
    pub kind: &'static str,
    pub runs: String,
    pub tag: &'static str,
    pub status: &'static str,
    pub internet_facing: bool,
}

fn line(a: &AssetView) -> AssetLine {
    let (tag, status) = support_tag(a.support);
    let os = a.software.iter().find(|s| s.is_os);
    let runs = os
        .map(|s| s.release.clone().unwrap_or_else(|| s.identity.clone()))
        .unwrap_or_default();
    let more = a.software.len() - usize::from(os.is_some());
    AssetLine {
        id: a.id.to_string(),
        name: a.name.clone(),
        key: a.key.clone(),
        kind: a.kind.label(),
        runs: if more > 0 {
            format!("{runs} (+{more} more)").trim_start().to_owned()
        } else {
            runs
        },
        tag,
        status,
        internet_facing: a.internet_facing,
    }
}

#[derive(Deserialize, Default)]
pub(super) struct ListQuery {
    kind: Option<String>,
    q: Option<String>,
    offset: Option<u64>,
}

#[derive(Template)]
#[template(path = "orgs/assets.html")]
struct RegisterPage {
    layout: Layout,
    errors: Errors,
    org_id: OrgId,
    rows: Vec<AssetLine>,
    total: u64,
    next: Option<u64>,
    kinds: Vec<(&'static str, &'static str)>,
    kind: String,
    q: String,
    can_manage: bool,
    report: Option<ReportView>,
}

/// What an import did or, in a dry run, would do.
struct ReportView {
    dry_run: bool,
    format: &'static str,
    assets: usize,
    software: usize,
    added: Vec<String>,
    changed: Vec<(String, String)>,
    removed: Vec<String>,
    unchanged: usize,
    unknown: Vec<String>,
    unknown_count: usize,
    ignored: Vec<String>,
    /// The file again, for the "Import" button of a dry run (small files only).
    carry: Option<(String, String, String)>,
}

fn report_view(r: ImportReport, carry: Option<(String, String, String)>) -> ReportView {
    ReportView {
        dry_run: r.dry_run,
        format: r.format,
        assets: r.assets,
        software: r.software,
        added: r.diff.added,
        changed: r.diff.changed.into_iter().map(|(k, f)| (k, f.join(", "))).collect(),
        removed: r.diff.removed,
        unchanged: r.diff.unchanged,
        unknown: r.unknown,
        unknown_count: r.unknown_count,
        ignored: r.ignored_headers,
        carry,
    }
}

async fn render(
    state: &AppState,
    scope: &Scope,
    session: &Session,
    status: StatusCode,
    errors: Vec<FieldError>,
    q: ListQuery,
    report: Option<ReportView>,
) -> Result<Response, PageError> {
    let kind = q.kind.as_deref().and_then(AssetKind::parse);
    let search = q.q.as_deref().map(str::trim).filter(|s| !s.is_empty());
    let found = state
        .core
        .assets(scope, kind, search, PageRequest::new(Some(100), q.offset))
        .await?;
    Ok(page(
        status,
        &RegisterPage {
            layout: Layout::for_scope("Asset register", scope, session, Section::Assets),
            errors: Errors::from(errors),
            org_id: scope.org.id,
            next: found.next_offset(),
            total: found.total,
            rows: found.items.iter().map(line).collect(),
            kinds: AssetKind::ALL.iter().map(|k| (k.as_str(), k.label())).collect(),
            kind: kind.map(|k| k.as_str().to_owned()).unwrap_or_default(),
            q: search.unwrap_or_default().to_owned(),
            can_manage: scope.allows(Permission::AssetsManage),
            report,
        },
    ))
}

pub(super) async fn list(
    State(state): State<AppState>,
    signed_in: SignedIn,
    Path(org_id): Path<String>,
    Query(q): Query<ListQuery>,
) -> Result<Response, PageError> {
    let scope = state.core.scope(&signed_in.actor, parse_id::<OrgId>(&org_id)?).await?;
    render(&state, &scope, &signed_in.session, StatusCode::OK, Vec::new(), q, None).await
}

/// An uploaded register or SBOM, or the text a dry run carried forward.
pub(super) async fn import(
    State(state): State<AppState>,
    signed_in: SignedIn,
    Path(org_id): Path<String>,
    multipart: Result<axum::extract::Multipart, axum::extract::multipart::MultipartRejection>,
) -> Result<Response, PageError> {
    // The organisation first: a request about one the caller cannot reach is 404 whatever it holds.
    let scope = state.core.scope(&signed_in.actor, parse_id::<OrgId>(&org_id)?).await?;
    let (fields, mut name, mut text) = read_upload(multipart, &signed_in.session, MAX_ASSET_FILE_BYTES).await?;
    let carried = val(&fields, "carried");
    if text.is_empty() && !carried.is_empty() {
        text = carried;
        name = val(&fields, "carried_name");
    }
    let session = &signed_in.session;
    if text.trim().is_empty() {
        let errors = vec![FieldError::new("file", "choose a file to import")];
        return render(
            &state,
            &scope,
            session,
            StatusCode::UNPROCESSABLE_ENTITY,
            errors,
            ListQuery::default(),
            None,
        )
        .await;
    }
    let mapping = crate::api::assets_mapping(Some(&val(&fields, "map")))?;
    let options = ImportOptions {
        mapping: mapping.clone(),
        dry_run: !val(&fields, "dry_run").is_empty(),
        keep_missing: !val(&fields, "keep_missing").is_empty(),
    };
    match state.core.import_assets(&scope, &name, &text, &options, None).await {
        Ok(report) => {
            let carry = (report.dry_run && text.len() <= CARRY_LIMIT)
                .then(|| (name.clone(), text.clone(), val(&fields, "map")));
            let view = report_view(report, carry);
            render(
                &state,
                &scope,
                session,
                StatusCode::OK,
                Vec::new(),
                ListQuery::default(),
                Some(view),
            )
            .await
        }
        Err(CoreError::Validation(errors)) => {
            let errors = errors
                .into_iter()
                .map(|e| FieldError::new("file", format!("{}: {}", e.field, e.message)))
                .collect();
            render(
                &state,
                &scope,
                session,
                StatusCode::UNPROCESSABLE_ENTITY,
                errors,
                ListQuery::default(),
                None,
            )
            .await
        }
        Err(e) => Err(e.into()),
    }
}

pub(super) async fn export(
    State(state): State<AppState>,
    signed_in: SignedIn,
    Path(org_id): Path<String>,
) -> Result<Response, PageError> {
    let scope = state.core.scope(&signed_in.actor, parse_id::<OrgId>(&org_id)?).await?;
    let csv = state.core.export_assets_csv(&scope).await?;
    Ok((
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8"),
            (header::CONTENT_DISPOSITION, "attachment; filename=\"assets.csv\""),
        ],
        csv,
    )
        .into_response())
}

pub(crate) struct SoftwareLine {
    pub identity: String,
    pub version: String,
    pub is_os: bool,
    pub release: String,
    pub tag: &'static str,
    pub status: &'static str,
    pub ends: String,
}

#[derive(Template)]
#[template(path = "orgs/asset.html")]
struct AssetPage {
    layout: Layout,
    org_id: OrgId,
    asset: AssetView,
    kind: &'static str,
    criticality: &'static str,
    tag: &'static str,
    status: &'static str,
    software: Vec<SoftwareLine>,
    updated: String,
    can_manage: bool,
}

pub(super) async fn show(
    State(state): State<AppState>,
    signed_in: SignedIn,
    Path((org_id, asset_id)): Path<(String, String)>,
) -> Result<Response, PageError> {
    let scope = state.core.scope(&signed_in.actor, parse_id::<OrgId>(&org_id)?).await?;
    let asset = state.core.asset(&scope, parse_id::<AssetId>(&asset_id)?).await?;
    let (tag, status) = support_tag(asset.support);
    let software = asset
        .software
        .iter()
        .map(|s| {
            let (tag, status) = support_tag(s.support);
            SoftwareLine {
                identity: s.identity.clone(),
                version: s.version.clone().unwrap_or_default(),
                is_os: s.is_os,
                release: s
                    .release
                    .clone()
                    .unwrap_or_else(|| "Not in the lifecycle catalogue".into()),
                tag,
                status,
                ends: s.support_ends.map(|d| d.to_string()).unwrap_or_default(),
            }
        })
        .collect();
    Ok(page(
        StatusCode::OK,
        &AssetPage {
            layout: Layout::for_scope(&asset.name, &scope, &signed_in.session, Section::Assets),
            org_id: scope.org.id,
            kind: asset.kind.label(),
            criticality: asset.criticality.as_str(),
            tag,
            status,
            software,
            updated: when(asset.updated_at, &scope.org.time_zone),
            can_manage: scope.allows(Permission::AssetsManage),
            asset,
        },
    ))
}

pub(super) async fn delete(
    State(state): State<AppState>,
    Path((org_id, asset_id)): Path<(String, String)>,
    form: CsrfForm<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let scope = state.core.scope(&form.actor, parse_id::<OrgId>(&org_id)?).await?;
    state.core.delete_asset(&scope, parse_id::<AssetId>(&asset_id)?).await?;
    Ok(Redirect::to(&format!("/orgs/{}/assets", scope.org.id)).into_response())
}
