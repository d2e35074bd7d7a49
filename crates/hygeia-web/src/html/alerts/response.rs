//! An organisation's alert record and its response to one alert: the pre-fill with the
//! assets behind it, then acknowledge, state applicability, post updates and close.

use super::super::{Errors, Layout, Section, page, parse_id, when};
use super::{severity_tag, verdict_tag};
use crate::error::PageError;
use crate::extract::{CsrfForm, SignedIn};
use crate::state::AppState;
use askama::Template;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use hygeia_core::alerts::{JUSTIFICATIONS, ResponseStep, ResponseView};
use hygeia_core::{CoreError, Scope};
use hygeia_domain::FieldError;
use hygeia_domain::ids::{AlertId, OrgId};
use hygeia_domain::page::PageRequest;
use hygeia_domain::permissions::Permission;
use hygeia_store::model::Session;

pub(crate) struct RecordLine {
    pub alert_id: String,
    pub reference: String,
    pub title: String,
    pub severity_tag: &'static str,
    pub severity: &'static str,
    pub published: String,
    pub answer_tag: &'static str,
    pub answer: &'static str,
    pub state: &'static str,
    pub overdue: bool,
}

pub(crate) fn record_line(r: &ResponseView, tz: &str) -> RecordLine {
    let (severity_tag, severity) = severity_tag(r.alert.alert.severity);
    let (answer_tag, answer) = verdict_tag(r.applicability.unwrap_or(r.prefill));
    RecordLine {
        alert_id: r.alert.alert.id.to_string(),
        reference: r.alert.alert.reference.clone(),
        title: r.alert.alert.title.clone(),
        severity_tag,
        severity,
        published: r.alert.alert.published_at.map(|t| when(t, tz)).unwrap_or_default(),
        answer_tag,
        answer,
        state: match r.state {
            "closed" => "Closed",
            "acknowledged" => "Acknowledged",
            _ => "Not acknowledged",
        },
        overdue: r.acknowledge_overdue || r.update_overdue || r.remediation_overdue,
    }
}

#[derive(Template)]
#[template(path = "orgs/alerts.html")]
struct RecordPage {
    layout: Layout,
    org_id: OrgId,
    rows: Vec<RecordLine>,
    total: u64,
    /// The parent group's name when the caller may let it answer for this organisation, and
    /// whether it already may.
    group: Option<(String, bool)>,
}

pub(super) async fn record(
    State(state): State<AppState>,
    signed_in: SignedIn,
    Path(org_id): Path<String>,
) -> Result<Response, PageError> {
    let scope = state.core.scope(&signed_in.actor, parse_id::<OrgId>(&org_id)?).await?;
    let found = state
        .core
        .alert_record(&scope, PageRequest::new(Some(200), None))
        .await?;
    let tz = scope.org.time_zone.clone();
    let group = match scope.org.parent_id {
        Some(parent) if scope.allows(Permission::AlertsDelegate) => {
            let allowed = state.core.alert_delegation(&scope).await?.is_some();
            let name = state.core.store().get_org(parent).await.map_err(CoreError::from)?.name;
            Some((name, allowed))
        }
        _ => None,
    };
    Ok(page(
        StatusCode::OK,
        &RecordPage {
            layout: Layout::for_scope("Cyber alerts", &scope, &signed_in.session, Section::Alerts),
            org_id: scope.org.id,
            total: found.total,
            rows: found.items.iter().map(|r| record_line(r, &tz)).collect(),
            group,
        },
    ))
}

/// Lets the parent group answer alerts for this organisation, or stops it.
pub(super) async fn delegate(
    State(state): State<AppState>,
    Path(org_id): Path<String>,
    form: CsrfForm<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let scope = state.core.scope(&form.actor, parse_id::<OrgId>(&org_id)?).await?;
    let allow = crate::html::val(&form.form, "allow") == "yes";
    state.core.allow_group_responses(&scope, allow).await?;
    Ok(Redirect::to(&format!("/orgs/{}/alerts", scope.org.id)).into_response())
}

#[derive(Template)]
#[template(path = "orgs/alert_response.html")]
pub(crate) struct ResponsePage {
    pub layout: Layout,
    pub errors: Errors,
    pub org_id: OrgId,
    pub r: ResponseView,
    pub line: RecordLine,
    pub prefill_tag: &'static str,
    pub prefill: &'static str,
    pub acknowledge_by: String,
    pub first_update_due: String,
    pub remediate_by: String,
    pub acknowledged: String,
    pub closed: String,
    pub updates: Vec<(String, String, String)>,
    pub matches: Vec<(String, String, &'static str, &'static str, String)>,
    pub justifications: Vec<(&'static str, &'static str)>,
    pub can_respond: bool,
    /// Set when the national team or a regulator drills into an organisation's answer.
    pub read_only_for: Option<String>,
    /// Members that let this organisation answer for them: (id, name).
    pub members: Vec<(String, String)>,
}

pub(crate) fn response_page(
    layout: Layout,
    scope_org: OrgId,
    r: ResponseView,
    tz: &str,
    can_respond: bool,
    errors: Vec<FieldError>,
) -> ResponsePage {
    let at = |t: Option<i64>| t.map(|t| when(t, tz)).unwrap_or_default();
    let (prefill_tag, prefill) = verdict_tag(r.prefill);
    ResponsePage {
        layout,
        errors: Errors::from(errors),
        org_id: scope_org,
        line: record_line(&r, tz),
        prefill_tag,
        prefill,
        acknowledge_by: at(r.alert.acknowledge_by),
        first_update_due: at(r.first_update_due),
        remediate_by: at(r.alert.remediate_by),
        acknowledged: at(r.acknowledged_at),
        closed: at(r.closed_at),
        updates: r
            .updates
            .iter()
            .map(|u| (when(u.posted_at, tz), u.posted_by.clone(), u.body.clone()))
            .collect(),
        matches: r
            .matches
            .iter()
            .map(|m| {
                let (tag, label) = verdict_tag(m.verdict);
                (
                    m.asset_id.to_string(),
                    m.asset_name.clone(),
                    tag,
                    label,
                    m.reason.clone(),
                )
            })
            .collect(),
        justifications: JUSTIFICATIONS.to_vec(),
        can_respond,
        read_only_for: None,
        members: Vec::new(),
        r,
    }
}

async fn render(
    state: &AppState,
    scope: &Scope,
    session: &Session,
    id: AlertId,
    status: StatusCode,
    errors: Vec<FieldError>,
) -> Result<Response, PageError> {
    let r = state.core.alert_response(scope, id).await?;
    let title = r.alert.alert.reference.clone();
    let layout = Layout::for_scope(&title, scope, session, Section::Alerts);
    let can = scope.allows(Permission::AlertsRespond);
    let mut p = response_page(layout, scope.org.id, r, &scope.org.time_zone, can, errors);
    if can {
        p.members = state
            .core
            .alert_members(scope)
            .await?
            .into_iter()
            .map(|(id, name)| (id.to_string(), name))
            .collect();
    }
    Ok(page(status, &p))
}

/// A group takes one step for the members it ticked (each must have allowed it).
pub(super) async fn respond_for_members(
    State(state): State<AppState>,
    Path((org_id, alert_id)): Path<(String, String)>,
    form: CsrfForm<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let scope = state.core.scope(&form.actor, parse_id::<OrgId>(&org_id)?).await?;
    let id = parse_id::<AlertId>(&alert_id)?;
    let members: Vec<OrgId> = form
        .form
        .iter()
        .filter(|(k, _)| k == "member")
        .filter_map(|(_, v)| v.parse().ok())
        .collect();
    if members.is_empty() {
        let errors = vec![FieldError::new("member", "tick the members to answer for")];
        return render(
            &state,
            &scope,
            &form.session,
            id,
            StatusCode::UNPROCESSABLE_ENTITY,
            errors,
        )
        .await;
    }
    let v = |k: &str| crate::html::val(&form.form, k);
    let step = match v("members_step").as_str() {
        "close" => ResponseStep::Close {
            remediation: v("members_remediation"),
        },
        _ => ResponseStep::Acknowledge,
    };
    let results = state.core.respond_for_members(&scope, id, &members, &step).await?;
    let failed: Vec<FieldError> = results
        .into_iter()
        .filter_map(|(o, r)| r.err().map(|e| FieldError::new("member", format!("{o}: {e}"))))
        .collect();
    if failed.is_empty() {
        Ok(Redirect::to(&format!("/orgs/{}/alerts/{}", scope.org.id, id)).into_response())
    } else {
        render(
            &state,
            &scope,
            &form.session,
            id,
            StatusCode::UNPROCESSABLE_ENTITY,
            failed,
        )
        .await
    }
}

pub(super) async fn show(
    State(state): State<AppState>,
    signed_in: SignedIn,
    Path((org_id, alert_id)): Path<(String, String)>,
) -> Result<Response, PageError> {
    let scope = state.core.scope(&signed_in.actor, parse_id::<OrgId>(&org_id)?).await?;
    render(
        &state,
        &scope,
        &signed_in.session,
        parse_id::<AlertId>(&alert_id)?,
        StatusCode::OK,
        Vec::new(),
    )
    .await
}

pub(super) async fn respond(
    State(state): State<AppState>,
    Path((org_id, alert_id)): Path<(String, String)>,
    form: CsrfForm<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let scope = state.core.scope(&form.actor, parse_id::<OrgId>(&org_id)?).await?;
    let id = parse_id::<AlertId>(&alert_id)?;
    let v = |k: &str| crate::html::val(&form.form, k);
    let step = match v("step").as_str() {
        "acknowledge" => ResponseStep::Acknowledge,
        "applicability" => ResponseStep::Applicability {
            applicability: v("applicability"),
            reason: v("reason"),
            justification: Some(v("justification")).filter(|j| !j.is_empty()),
        },
        "update" => ResponseStep::Update { body: v("body") },
        "close" => ResponseStep::Close {
            remediation: v("remediation"),
        },
        _ => return Err(CoreError::field("step", "is not a step of a response").into()),
    };
    match state.core.respond(&scope, id, &step).await {
        Ok(_) => Ok(Redirect::to(&format!("/orgs/{}/alerts/{}", scope.org.id, id)).into_response()),
        Err(CoreError::Validation(errors)) => {
            render(
                &state,
                &scope,
                &form.session,
                id,
                StatusCode::UNPROCESSABLE_ENTITY,
                errors,
            )
            .await
        }
        Err(CoreError::Conflict(m)) => {
            render(
                &state,
                &scope,
                &form.session,
                id,
                StatusCode::CONFLICT,
                vec![FieldError::new("step", m)],
            )
            .await
        }
        Err(e) => Err(e.into()),
    }
}
