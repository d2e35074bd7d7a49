//! The regulator's view: published assessments across its remit with the count of each
//! result, one assessment's scorecard, and the review outcome the regulator records on it.

use super::super::{Errors, Layout, Section, page, parse_id, when};
use super::show::{Summary, summary};
use super::{Row, chart, rows, val};
use crate::error::PageError;
use crate::extract::{CsrfForm, SignedIn};
use crate::state::AppState;
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use hygeia_core::assessments::REVIEW_OUTCOMES;
use hygeia_core::{CoreError, Scope};
use hygeia_domain::FieldError;
use hygeia_domain::ids::{AssessmentId, OrgId};
use hygeia_domain::page::PageRequest;
use hygeia_domain::permissions::Permission;
use hygeia_store::model::Session;

pub(super) struct Line {
    pub id: String,
    pub org: String,
    pub title: String,
    pub framework: String,
    pub period: String,
    pub result: String,
    pub published: String,
}

#[derive(Template)]
#[template(path = "orgs/remit_assessments.html")]
struct ListPage {
    layout: Layout,
    org_id: OrgId,
    lines: Vec<Line>,
    total: u64,
    results: Vec<(String, String, i64)>,
    published: i64,
    heat_map: Vec<(String, [i64; 3])>,
}

#[derive(serde::Deserialize)]
pub(super) struct Paging {
    offset: Option<u64>,
}

pub(super) async fn list(
    State(state): State<AppState>,
    signed_in: SignedIn,
    Path(org_id): Path<String>,
    Query(paging): Query<Paging>,
) -> Result<Response, PageError> {
    let scope = state.core.scope(&signed_in.actor, parse_id::<OrgId>(&org_id)?).await?;
    let found = state
        .core
        .remit_assessments(&scope, PageRequest::new(Some(100), paging.offset))
        .await?;
    let summary = state.core.sector_summary(&scope).await?;
    let zone = &scope.org.time_zone;
    Ok(page(
        StatusCode::OK,
        &ListPage {
            layout: Layout::for_scope(
                "Published assessments",
                &scope,
                &signed_in.session,
                Section::Assessments,
            ),
            org_id: scope.org.id,
            total: found.total,
            lines: found
                .items
                .iter()
                .map(|p| Line {
                    id: p.assessment.id.to_string(),
                    org: format!("{} ({})", p.org_name, p.org_ods),
                    title: p.assessment.title.clone(),
                    framework: super::framework_label(&p.assessment.framework_title, &p.assessment.framework_version),
                    period: p.assessment.period.clone(),
                    result: match (&p.assessment.standing, &p.assessment.result) {
                        (Some(standing), Some(result)) if !result.starts_with(standing.as_str()) => {
                            format!("{standing} ({result})")
                        }
                        (_, result) => result.clone().unwrap_or_default(),
                    },
                    published: p.assessment.published_at.map(|t| when(t, zone)).unwrap_or_default(),
                })
                .collect(),
            results: summary
                .results
                .into_iter()
                .map(|(key, version, result, n)| (format!("{key} {version}"), result, n))
                .collect(),
            published: summary.published,
            heat_map: summary.heat_map,
        },
    ))
}

#[derive(Template)]
#[template(path = "orgs/remit_assessment.html")]
struct ShowPage {
    layout: Layout,
    errors: Errors,
    org_id: OrgId,
    org_name: String,
    s: Summary,
    chart: String,
    rows: Vec<Row>,
    graded: bool,
    can_review: bool,
    outcomes: Vec<(&'static str, &'static str)>,
    outcome: String,
    comment: String,
}

#[allow(clippy::too_many_arguments)]
async fn render(
    state: &AppState,
    scope: &Scope,
    session: &Session,
    id: AssessmentId,
    status: StatusCode,
    errors: Vec<FieldError>,
    outcome: String,
    comment: String,
) -> Result<Response, PageError> {
    let (found, view) = state.core.remit_assessment(scope, id).await?;
    Ok(page(
        status,
        &ShowPage {
            layout: Layout::for_scope(&view.assessment.title, scope, session, Section::Assessments),
            errors: Errors::from(errors),
            org_id: scope.org.id,
            org_name: format!("{} ({})", found.org_name, found.org_ods),
            s: summary(&view, &scope.org.time_zone),
            chart: chart::svg(&view.scorecard),
            graded: !view.scorecard.outcomes.is_empty(),
            rows: rows(&view),
            can_review: scope.allows(Permission::AssessmentsReview),
            outcomes: REVIEW_OUTCOMES.to_vec(),
            outcome,
            comment,
        },
    ))
}

pub(super) async fn show(
    State(state): State<AppState>,
    signed_in: SignedIn,
    Path((org_id, assessment_id)): Path<(String, String)>,
) -> Result<Response, PageError> {
    let scope = state.core.scope(&signed_in.actor, parse_id::<OrgId>(&org_id)?).await?;
    let id = parse_id::<AssessmentId>(&assessment_id)?;
    render(
        &state,
        &scope,
        &signed_in.session,
        id,
        StatusCode::OK,
        Vec::new(),
        String::new(),
        String::new(),
    )
    .await
}

pub(super) async fn review(
    State(state): State<AppState>,
    Path((org_id, assessment_id)): Path<(String, String)>,
    form: CsrfForm<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let scope = state.core.scope(&form.actor, parse_id::<OrgId>(&org_id)?).await?;
    let id = parse_id::<AssessmentId>(&assessment_id)?;
    let outcome = val(&form.form, "outcome");
    let comment = val(&form.form, "comment");
    match state.core.review_assessment(&scope, id, &outcome, &comment).await {
        Ok(()) => {
            Ok(Redirect::to(&format!("/orgs/{}/oversight/assessments/{id}#reviews", scope.org.id)).into_response())
        }
        Err(CoreError::Validation(errors)) => {
            render(
                &state,
                &scope,
                &form.session,
                id,
                StatusCode::UNPROCESSABLE_ENTITY,
                errors,
                outcome,
                comment,
            )
            .await
        }
        Err(e) => Err(e.into()),
    }
}
