//! The KEV catalogue page: imports with what each snapshot changed, the vendor/product pairs
//! nobody has placed (with a form to confirm what each names), and the sector's exposure.

use super::super::{Errors, Layout, Section, page, parse_id, when};
use crate::error::PageError;
use crate::extract::{CsrfForm, SignedIn};
use crate::state::AppState;
use askama::Template;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use hygeia_core::{CoreError, Scope};
use hygeia_domain::FieldError;
use hygeia_domain::ids::OrgId;
use hygeia_store::model::Session;

pub(crate) struct ImportLine {
    pub version: String,
    pub at: String,
    pub entries: u64,
    pub added: Vec<String>,
    pub changed: Vec<String>,
    pub removed: Vec<String>,
}

#[derive(Template)]
#[template(path = "orgs/kev.html")]
struct KevPage {
    layout: Layout,
    errors: Errors,
    org_id: OrgId,
    entries: usize,
    imports: Vec<ImportLine>,
    unmapped: Vec<(String, String, usize)>,
    mappings: Vec<(String, String, String)>,
    exposed: Vec<(String, String, u64, u64, bool)>,
}

fn strings(v: &serde_json::Value, key: &str) -> Vec<String> {
    v[key]
        .as_array()
        .map(|a| {
            a.iter()
                .map(|x| match x {
                    serde_json::Value::Array(pair) => format!(
                        "{} ({})",
                        pair.first().and_then(|c| c.as_str()).unwrap_or_default(),
                        pair.get(1)
                            .and_then(|f| f.as_array())
                            .map(|f| f.iter().filter_map(|s| s.as_str()).collect::<Vec<_>>().join(", "))
                            .unwrap_or_default()
                    ),
                    other => other.as_str().unwrap_or_default().to_owned(),
                })
                .collect()
        })
        .unwrap_or_default()
}

async fn render(
    state: &AppState,
    scope: &Scope,
    session: &Session,
    status: StatusCode,
    errors: Vec<FieldError>,
) -> Result<Response, PageError> {
    let view = state.core.kev(scope).await?;
    let tz = scope.org.time_zone.clone();
    let exposure = state.core.kev_exposure(scope).await?;
    Ok(page(
        status,
        &KevPage {
            layout: Layout::for_scope(
                "Known exploited vulnerabilities",
                scope,
                session,
                Section::NationalAlerts,
            ),
            errors: Errors::from(errors),
            org_id: scope.org.id,
            entries: view.entries,
            imports: view
                .imports
                .iter()
                .map(|i| ImportLine {
                    version: i.catalog_version.clone(),
                    at: when(i.imported_at, &tz),
                    entries: i.entries,
                    added: strings(&i.changes, "added"),
                    changed: strings(&i.changes, "changed"),
                    removed: strings(&i.changes, "removed"),
                })
                .collect(),
            unmapped: view.unmapped.into_iter().take(100).collect(),
            mappings: view.mappings,
            exposed: exposure
                .into_iter()
                .filter(|e| e.organisations > 0)
                .take(50)
                .map(|e| {
                    (
                        e.cve,
                        format!("{} {}", e.vendor_project, e.product),
                        e.organisations,
                        e.assets,
                        e.known_ransomware,
                    )
                })
                .collect(),
        },
    ))
}

pub(super) async fn catalogue(
    State(state): State<AppState>,
    signed_in: SignedIn,
    Path(org_id): Path<String>,
) -> Result<Response, PageError> {
    let scope = state.core.scope(&signed_in.actor, parse_id::<OrgId>(&org_id)?).await?;
    render(&state, &scope, &signed_in.session, StatusCode::OK, Vec::new()).await
}

pub(super) async fn map(
    State(state): State<AppState>,
    Path(org_id): Path<String>,
    form: CsrfForm<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let scope = state.core.scope(&form.actor, parse_id::<OrgId>(&org_id)?).await?;
    let v = |k: &str| crate::html::val(&form.form, k);
    match state
        .core
        .confirm_kev_mapping(&scope, &v("vendor_project"), &v("product"), &v("identity"))
        .await
    {
        Ok(()) => Ok(Redirect::to(&format!("/orgs/{}/kev", scope.org.id)).into_response()),
        Err(CoreError::Validation(errors)) => {
            render(&state, &scope, &form.session, StatusCode::UNPROCESSABLE_ENTITY, errors).await
        }
        Err(e) => Err(e.into()),
    }
}
