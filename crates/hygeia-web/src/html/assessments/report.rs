//! The assessment's report and exports: a printable page (print styles, an SVG chart, the gap
//! to the profile, the improvement plan, the digest), the same as PDF, the answers as CSV, the
//! sealed snapshot, and OSCAL assessment-results JSON.

use super::super::{Layout, Section, page, parse_id};
use super::show::{Summary, summary};
use super::{Row, chart, rows};
use crate::documents::assessment_results_json;
use crate::documents::pdf_response;
use crate::error::PageError;
use crate::extract::SignedIn;
use crate::pdf::Document;
use crate::state::AppState;
use askama::Template;
use axum::extract::{Path, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use hygeia_core::Scope;
use hygeia_core::assessments::AssessmentView;
use hygeia_domain::assessments::export::answers_csv;
use hygeia_domain::evidence::ascii_file_name;
use hygeia_domain::ids::{AssessmentId, OrgId};
use hygeia_domain::permissions::Permission;

async fn load(
    state: &AppState,
    signed_in: &SignedIn,
    org_id: &str,
    id: &str,
) -> Result<(Scope, AssessmentView), PageError> {
    let scope = state.core.scope(&signed_in.actor, parse_id::<OrgId>(org_id)?).await?;
    let view = state.core.assessment(&scope, parse_id::<AssessmentId>(id)?).await?;
    Ok((scope, view))
}

/// Improvement actions raised against this assessment's items.
async fn plan(
    state: &AppState,
    scope: &Scope,
    id: AssessmentId,
) -> Result<Vec<(String, String, String, String)>, PageError> {
    if !scope.allows(Permission::GovernanceView) {
        return Ok(Vec::new());
    }
    Ok(state
        .core
        .assessment_actions(scope, id)
        .await?
        .iter()
        .map(|r| {
            let a = &r.action;
            (
                a.reference.clone(),
                a.title.clone(),
                if a.owner.is_empty() {
                    "No owner".into()
                } else {
                    a.owner.clone()
                },
                a.due_on.clone().unwrap_or_else(|| "No due date".into()),
            )
        })
        .collect())
}

#[derive(Template)]
#[template(path = "orgs/assessment_report.html")]
struct ReportPage {
    layout: Layout,
    org_id: OrgId,
    org_name: String,
    s: Summary,
    chart: String,
    rows: Vec<Row>,
    gaps: Vec<Row>,
    graded: bool,
    has_profile: bool,
    plan: Vec<(String, String, String, String)>,
}

pub(super) async fn html(
    State(state): State<AppState>,
    signed_in: SignedIn,
    Path((org_id, assessment_id)): Path<(String, String)>,
) -> Result<Response, PageError> {
    let (scope, view) = load(&state, &signed_in, &org_id, &assessment_id).await?;
    let all = rows(&view);
    let gaps = all
        .iter()
        .filter(|r| r.against_profile == "Below profile" || r.tag == "nhsuk-tag--red")
        .map(|r| Row {
            heading: None,
            ..r.clone()
        })
        .collect();
    Ok(page(
        StatusCode::OK,
        &ReportPage {
            layout: Layout::for_scope(
                &format!("Report: {}", view.assessment.title),
                &scope,
                &signed_in.session,
                Section::Assessments,
            ),
            org_id: scope.org.id,
            org_name: scope.org.name.clone(),
            s: summary(&view, &scope.org.time_zone),
            chart: chart::svg(&view.scorecard),
            graded: !view.scorecard.outcomes.is_empty(),
            has_profile: view.assessment.profile_key.is_some(),
            rows: all,
            gaps,
            plan: plan(&state, &scope, view.assessment.id).await?,
        },
    ))
}

pub(super) async fn pdf(
    State(state): State<AppState>,
    signed_in: SignedIn,
    Path((org_id, assessment_id)): Path<(String, String)>,
) -> Result<Response, PageError> {
    let (scope, view) = load(&state, &signed_in, &org_id, &assessment_id).await?;
    let s = summary(&view, &scope.org.time_zone);
    let mut d = Document::new(&s.title, &format!("{}: {} {}", scope.org.name, s.reference, s.status));
    d.para(&format!("{}. {}, period {}.", scope.org.name, s.framework, s.period));
    d.field("Status", &format!("{} ({})", s.status, s.version));
    d.field("Scope", &s.scope);
    d.field("Target profile", &s.profile);
    d.field("Result", &s.headline);
    d.field("Progress", &format!("{} of {} answered", s.answered, s.items));
    if !s.published.is_empty() {
        d.field("Signed off", &s.published);
        d.field("SHA-256 digest", &s.digest);
    }
    d.heading("By objective");
    for g in &view.scorecard.groups {
        let t = &g.tally;
        let line = if view.scorecard.outcomes.is_empty() {
            format!(
                "{} met, {} not met, {} not applicable, {} of {} answered",
                t.met, t.not_met, t.not_applicable, t.answered, t.items
            )
        } else {
            format!(
                "{} achieved, {} partially, {} not achieved{}",
                t.achieved,
                t.partially_achieved,
                t.not_achieved,
                if view.assessment.profile_key.is_some() {
                    format!("; {} below profile", t.below_profile)
                } else {
                    String::new()
                }
            )
        };
        d.field(&format!("{} {}", g.ref_id, g.title), &line);
    }
    d.heading("Items");
    for r in rows(&view) {
        let mut line = r.result.clone();
        if r.overridden {
            line.push_str(" (assessor override)");
        }
        if !r.against_profile.is_empty() {
            line.push_str(&format!("; {}: {}", r.minimum, r.against_profile));
        }
        d.field(&format!("{} {}", r.ref_id, r.title), &line);
    }
    if !s.digest.is_empty() {
        d.small("The digest is the SHA-256 of the sealed snapshot; download the snapshot to recompute it.");
    }
    Ok(pdf_response(d.render(), &format!("{}-{}.pdf", s.reference, s.period)))
}

fn download(body: String, content_type: &'static str, file_name: &str) -> Response {
    let mut response = body.into_response();
    let h = response.headers_mut();
    h.insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    if let Ok(v) = HeaderValue::from_str(&format!("attachment; filename=\"{}\"", ascii_file_name(file_name))) {
        h.insert(header::CONTENT_DISPOSITION, v);
    }
    response
}

pub(super) async fn csv(
    State(state): State<AppState>,
    signed_in: SignedIn,
    Path((org_id, assessment_id)): Path<(String, String)>,
) -> Result<Response, PageError> {
    let (_, view) = load(&state, &signed_in, &org_id, &assessment_id).await?;
    let body = answers_csv(&view.framework, &view.answers, &view.scorecard);
    Ok(download(
        body,
        "text/csv; charset=utf-8",
        &format!("{}-answers.csv", view.assessment.reference),
    ))
}

pub(super) async fn snapshot(
    State(state): State<AppState>,
    signed_in: SignedIn,
    Path((org_id, assessment_id)): Path<(String, String)>,
) -> Result<Response, PageError> {
    let scope = state.core.scope(&signed_in.actor, parse_id::<OrgId>(&org_id)?).await?;
    let id = parse_id::<AssessmentId>(&assessment_id)?;
    let body = state.core.assessment_snapshot(&scope, id).await?;
    Ok(download(
        body,
        "application/json",
        &format!("assessment-{id}-snapshot.json"),
    ))
}

pub(super) async fn oscal(
    State(state): State<AppState>,
    signed_in: SignedIn,
    Path((org_id, assessment_id)): Path<(String, String)>,
) -> Result<Response, PageError> {
    let (scope, view) = load(&state, &signed_in, &org_id, &assessment_id).await?;
    let body = assessment_results_json(&scope.org.name, &view);
    Ok(download(
        body,
        "application/json",
        &format!("{}-assessment-results.json", view.assessment.reference),
    ))
}
