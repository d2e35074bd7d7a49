//! Writing and submitting a stage's report.

use super::super::{Errors, Layout, Section, ok, page, parse_id, when};
use crate::error::PageError;
use crate::extract::{CsrfForm, SignedIn};
use crate::state::AppState;
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use hygeia_core::{CoreError, NotificationDraft, Scope};
use hygeia_domain::FieldError;
use hygeia_domain::ids::{IncidentId, OrgId};
use hygeia_store::model::Session;
use serde::Deserialize;

/// The prefix of the form fields that carry a report's contents (`field:operator_name`).
const FIELD: &str = "field:";

struct FieldRow {
    code: &'static str,
    label: &'static str,
    value: String,
    error: Option<String>,
}

#[derive(Template)]
#[template(path = "orgs/notify.html")]
struct NotifyPage {
    layout: Layout,
    errors: Errors,
    org_id: OrgId,
    incident_id: IncidentId,
    reference: String,
    regime: &'static str,
    regime_title: String,
    stage: String,
    stage_title: String,
    source: String,
    due: String,
    late: bool,
    previous_version: Option<u32>,
    fields: Vec<FieldRow>,
    late_reason: String,
}

fn notify_page(
    scope: &Scope,
    session: &Session,
    d: NotificationDraft,
    values: Option<&[(String, String)]>,
    late_reason: String,
    errors: Vec<FieldError>,
) -> NotifyPage {
    let fields = d
        .entries
        .iter()
        .map(|e| FieldRow {
            code: e.field.code(),
            label: e.field.label(),
            value: values
                .and_then(|v| v.iter().find(|(k, _)| k == e.field.code()).map(|(_, v)| v.clone()))
                .unwrap_or_else(|| e.value.clone()),
            error: errors
                .iter()
                .find(|x| x.field == e.field.code())
                .map(|x| x.message.clone()),
        })
        .collect();
    let errors = errors
        .into_iter()
        .map(|e| {
            let label = hygeia_domain::incidents::regimes::ContentField::parse(&e.field, "field")
                .map(|f| f.label())
                .unwrap_or(if e.field == "late_reason" {
                    "Reason for the late report"
                } else {
                    ""
                });
            FieldError::new(e.field, format!("{label} {}", e.message).trim().to_owned())
        })
        .collect();
    NotifyPage {
        layout: Layout::for_scope("Prepare a notification", scope, session, Section::Incidents),
        errors: Errors::from(errors),
        org_id: scope.org.id,
        incident_id: d.incident.id,
        reference: d.incident.reference.clone(),
        regime: d.regime.code(),
        regime_title: d.regime_title,
        stage: d.stage.code.clone(),
        stage_title: d.stage.title.clone(),
        source: d.stage.source.title.clone(),
        due: d
            .due_at
            .map_or_else(|| "when asked".to_owned(), |t| when(t, &scope.org.time_zone)),
        late: d.late,
        previous_version: d.previous.map(|p| p.version),
        fields,
        late_reason,
    }
}

/// Which report to write. Missing parts are not a malformed request but a report that does
/// not exist: the page answers 404 after the organisation check, like any other unknown id.
#[derive(Deserialize)]
pub(super) struct StageQuery {
    #[serde(default)]
    regime: String,
    #[serde(default)]
    stage: String,
}

pub(super) async fn notify_form(
    State(state): State<AppState>,
    signed_in: SignedIn,
    Path((org_id, incident_id)): Path<(String, String)>,
    Query(q): Query<StageQuery>,
) -> Result<Response, PageError> {
    let scope = state.core.scope(&signed_in.actor, parse_id::<OrgId>(&org_id)?).await?;
    let id = parse_id::<IncidentId>(&incident_id)?;
    let d = match state.core.notification_draft(&scope, id, &q.regime, &q.stage).await {
        Ok(d) => d,
        // A regime or stage that does not apply is, for a page address, not found.
        Err(CoreError::Validation(_)) => return Err(CoreError::NotFound.into()),
        Err(e) => return Err(e.into()),
    };
    Ok(ok(&notify_page(
        &scope,
        &signed_in.session,
        d,
        None,
        String::new(),
        Vec::new(),
    )))
}

pub(super) async fn submit(
    State(state): State<AppState>,
    Path((org_id, incident_id)): Path<(String, String)>,
    form: CsrfForm<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let scope = state.core.scope(&form.actor, parse_id::<OrgId>(&org_id)?).await?;
    let id = parse_id::<IncidentId>(&incident_id)?;
    let get = |k: &str| {
        form.form
            .iter()
            .find(|(key, _)| key == k)
            .map(|(_, v)| v.clone())
            .unwrap_or_default()
    };
    let (regime, stage, late_reason) = (get("regime"), get("stage"), get("late_reason"));
    let values: Vec<(String, String)> = form
        .form
        .iter()
        .filter_map(|(k, v)| k.strip_prefix(FIELD).map(|code| (code.to_owned(), v.clone())))
        .collect();
    match state
        .core
        .submit_notification(&scope, id, &regime, &stage, &values, &late_reason)
        .await
    {
        Ok(n) => {
            Ok(Redirect::to(&format!("/orgs/{}/notifications/{}?submitted=1", scope.org.id, n.id)).into_response())
        }
        Err(CoreError::Validation(errors)) => {
            let d = match state.core.notification_draft(&scope, id, &regime, &stage).await {
                Ok(d) => d,
                Err(CoreError::Validation(_)) => return Err(CoreError::NotFound.into()),
                Err(e) => return Err(e.into()),
            };
            Ok(page(
                StatusCode::UNPROCESSABLE_ENTITY,
                &notify_page(&scope, &form.session, d, Some(&values), late_reason, errors),
            ))
        }
        Err(e) => Err(e.into()),
    }
}
