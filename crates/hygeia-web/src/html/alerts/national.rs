//! The national team's alerts: the list with the draft and import forms. One alert, its
//! publication and its exposure are in `exposure`. A regulator sees the published alerts
//! here too.

use super::super::{Errors, Layout, Section, page, parse_id, when};
use super::severity_tag;
use crate::error::PageError;
use crate::extract::{CsrfForm, SignedIn};
use crate::state::AppState;
use askama::Template;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use hygeia_core::alerts::{AlertImport, AlertInput, AlertView, ProductLineInput};
use hygeia_core::assets::MAX_ASSET_FILE_BYTES;
use hygeia_core::{CoreError, Scope};
use hygeia_domain::FieldError;
use hygeia_domain::alerts::alert::Severity;
use hygeia_domain::ids::OrgId;
use hygeia_domain::page::PageRequest;
use hygeia_domain::permissions::Permission;
use hygeia_store::model::Session;

pub(crate) struct AlertLine {
    pub id: String,
    pub reference: String,
    pub title: String,
    pub severity_tag: &'static str,
    pub severity: &'static str,
    pub status: &'static str,
    pub published: String,
}

pub(super) fn alert_line(a: &AlertView, tz: &str) -> AlertLine {
    let (severity_tag, severity) = severity_tag(a.alert.severity);
    AlertLine {
        id: a.alert.id.to_string(),
        reference: a.alert.reference.clone(),
        title: a.alert.title.clone(),
        severity_tag,
        severity,
        status: a.alert.status,
        published: a
            .alert
            .published_at
            .map(|t| when(t, tz))
            .unwrap_or_else(|| "Draft".into()),
    }
}

/// The draft form's values, as typed.
#[derive(Default, Clone)]
pub(crate) struct DraftForm {
    pub reference: String,
    pub title: String,
    pub severity: String,
    pub summary: String,
    pub cves: String,
    pub products: String,
    pub actions: String,
    /// Blank: the severity's default.
    pub acknowledge_hours: String,
    pub first_update_days: String,
    pub remediate_days: String,
}

#[derive(Template)]
#[template(path = "orgs/national_alerts.html")]
struct ListPage {
    layout: Layout,
    errors: Errors,
    org_id: OrgId,
    rows: Vec<AlertLine>,
    can_publish: bool,
    v: DraftForm,
    severities: Vec<(&'static str, &'static str)>,
    imported: Option<String>,
}

async fn render_list(
    state: &AppState,
    scope: &Scope,
    session: &Session,
    status: StatusCode,
    errors: Vec<FieldError>,
    v: DraftForm,
    imported: Option<String>,
) -> Result<Response, PageError> {
    let found = state.core.alerts(scope, PageRequest::new(Some(200), None)).await?;
    let tz = scope.org.time_zone.clone();
    Ok(page(
        status,
        &ListPage {
            layout: Layout::for_scope("National alerts", scope, session, Section::NationalAlerts),
            errors: Errors::from(errors),
            org_id: scope.org.id,
            rows: found.items.iter().map(|a| alert_line(a, &tz)).collect(),
            can_publish: scope.allows(Permission::AlertsPublish),
            v: DraftForm {
                severity: if v.severity.is_empty() {
                    "high".into()
                } else {
                    v.severity.clone()
                },
                ..v
            },
            severities: Severity::ALL.iter().map(|s| (s.as_str(), s.label())).collect(),
            imported,
        },
    ))
}

pub(super) async fn list(
    State(state): State<AppState>,
    signed_in: SignedIn,
    Path(org_id): Path<String>,
) -> Result<Response, PageError> {
    let scope = state.core.scope(&signed_in.actor, parse_id::<OrgId>(&org_id)?).await?;
    scope.require(Permission::SectorView)?;
    render_list(
        &state,
        &scope,
        &signed_in.session,
        StatusCode::OK,
        Vec::new(),
        DraftForm::default(),
        None,
    )
    .await
}

/// Product lines typed one a line: `identity | versions | status`.
fn product_lines(text: &str) -> Vec<ProductLineInput> {
    text.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .map(|l| {
            let mut parts = l.split('|').map(str::trim);
            ProductLineInput {
                identity: parts.next().unwrap_or_default().to_owned(),
                versions: parts.next().filter(|v| !v.is_empty()).map(str::to_owned),
                status: parts.next().filter(|s| !s.is_empty()).map(str::to_owned),
            }
        })
        .collect()
}

pub(super) async fn create(
    State(state): State<AppState>,
    Path(org_id): Path<String>,
    form: CsrfForm<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let scope = state.core.scope(&form.actor, parse_id::<OrgId>(&org_id)?).await?;
    let v = |k: &str| crate::html::val(&form.form, k);
    let typed = DraftForm {
        reference: v("reference"),
        title: v("title"),
        severity: v("severity"),
        summary: v("summary"),
        cves: v("cves"),
        products: v("products"),
        actions: v("actions"),
        acknowledge_hours: v("acknowledge_hours"),
        first_update_days: v("first_update_days"),
        remediate_days: v("remediate_days"),
    };
    // A deadline typed as something other than a whole number is named before anything else.
    let mut bad = Vec::new();
    let mut number = |field: &str, text: &str| -> Option<u32> {
        let text = text.trim();
        if text.is_empty() {
            return None;
        }
        let n = text.parse::<u32>().ok();
        if n.is_none() {
            bad.push(FieldError::new(
                field,
                format!("{field}: `{text}` is not a whole number"),
            ));
        }
        n
    };
    let acknowledge_hours = number("acknowledge_hours", &typed.acknowledge_hours);
    let first_update_days = number("first_update_days", &typed.first_update_days);
    let remediate_days = number("remediate_days", &typed.remediate_days);
    if !bad.is_empty() {
        return render_list(
            &state,
            &scope,
            &form.session,
            StatusCode::UNPROCESSABLE_ENTITY,
            bad,
            typed,
            None,
        )
        .await;
    }
    let input = AlertInput {
        reference: typed.reference.clone(),
        title: typed.title.clone(),
        severity: typed.severity.clone(),
        summary: typed.summary.clone(),
        cves: typed
            .cves
            .split([',', ' ', '\n'])
            .map(str::trim)
            .filter(|c| !c.is_empty())
            .map(str::to_owned)
            .collect(),
        products: product_lines(&typed.products),
        actions: typed
            .actions
            .lines()
            .map(str::trim)
            .filter(|a| !a.is_empty())
            .map(str::to_owned)
            .collect(),
        acknowledge_hours,
        first_update_days,
        remediate_days,
    };
    match state.core.create_alert(&scope, &input).await {
        Ok(a) => Ok(Redirect::to(&format!("/orgs/{}/national-alerts/{}", scope.org.id, a.alert.id)).into_response()),
        Err(CoreError::Validation(errors)) => {
            let errors = errors
                .into_iter()
                .map(|e| {
                    let field = e.field.split('/').next().unwrap_or_default().to_owned();
                    FieldError::new(field, format!("{}: {}", e.field, e.message))
                })
                .collect();
            render_list(
                &state,
                &scope,
                &form.session,
                StatusCode::UNPROCESSABLE_ENTITY,
                errors,
                typed,
                None,
            )
            .await
        }
        Err(e) => Err(e.into()),
    }
}

pub(super) async fn import(
    State(state): State<AppState>,
    signed_in: SignedIn,
    Path(org_id): Path<String>,
    multipart: Result<axum::extract::Multipart, axum::extract::multipart::MultipartRejection>,
) -> Result<Response, PageError> {
    let scope = state.core.scope(&signed_in.actor, parse_id::<OrgId>(&org_id)?).await?;
    let (_, name, text) = crate::html::assets::read_upload(multipart, &signed_in.session, MAX_ASSET_FILE_BYTES).await?;
    let session = &signed_in.session;
    match state.core.import_alert_file(&scope, &name, &text).await {
        Ok(AlertImport::Csaf { alert, .. }) => {
            Ok(Redirect::to(&format!("/orgs/{}/national-alerts/{}", scope.org.id, alert.alert.id)).into_response())
        }
        Ok(AlertImport::Kev {
            catalog_version,
            added,
            changed,
            removed,
            ..
        }) => {
            let note = format!(
                "KEV catalogue {catalog_version} imported: {} added, {} changed, {} removed.",
                added.len(),
                changed.len(),
                removed.len()
            );
            render_list(
                &state,
                &scope,
                session,
                StatusCode::OK,
                Vec::new(),
                DraftForm::default(),
                Some(note),
            )
            .await
        }
        Err(CoreError::Validation(errors)) => {
            let errors = errors
                .into_iter()
                .map(|e| FieldError::new("file", format!("{}: {}", e.field, e.message)))
                .collect();
            render_list(
                &state,
                &scope,
                session,
                StatusCode::UNPROCESSABLE_ENTITY,
                errors,
                DraftForm::default(),
                None,
            )
            .await
        }
        Err(e) => Err(e.into()),
    }
}
