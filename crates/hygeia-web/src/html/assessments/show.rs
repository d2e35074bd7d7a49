//! One assessment: where it stands, its grades against the profile, its chart, and sign-off.

use super::super::{Errors, Layout, Section, page, parse_id, when};
use super::{Row, chart, rows, status_tag, val};
use crate::error::PageError;
use crate::extract::{CsrfForm, SignedIn};
use crate::state::AppState;
use askama::Template;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use hygeia_core::assessments::{AssessmentView, REVIEW_OUTCOMES};
use hygeia_core::{CoreError, Scope};
use hygeia_domain::FieldError;
use hygeia_domain::ids::{AssessmentId, OrgId};
use hygeia_domain::permissions::Permission;
use hygeia_store::model::Session;

/// What the header of an assessment shows, shared with the report and the regulator's view.
pub(crate) struct Summary {
    pub id: String,
    pub reference: String,
    pub title: String,
    pub framework: String,
    pub period: String,
    pub due: String,
    pub scope: String,
    pub profile: String,
    pub status: &'static str,
    pub tag: &'static str,
    pub draft: bool,
    pub version: String,
    pub published: String,
    pub digest: String,
    pub headline: String,
    /// What the publication counts as ("Standards Met", "Pass"), or for a draft what it would
    /// publish as now.
    pub standing: String,
    pub progress: u32,
    pub answered: usize,
    pub items: usize,
    pub flagged: usize,
    pub reviews: Vec<(String, String, String)>,
}

pub(crate) fn summary(view: &AssessmentView, zone: &str) -> Summary {
    let a = &view.assessment;
    let t = &view.scorecard.total;
    Summary {
        id: a.id.to_string(),
        reference: a.reference.clone(),
        title: a.title.clone(),
        framework: super::framework_label(&a.framework_title, &a.framework_version),
        period: a.period.clone(),
        due: a.due_on.clone().unwrap_or_else(|| "No due date".into()),
        scope: a.scope.clone(),
        profile: view.profile_title().unwrap_or("No target profile").to_owned(),
        status: a.status.label(),
        tag: status_tag(a.status),
        draft: !a.status.is_frozen(),
        version: if a.version > 0 {
            format!("Publication {}", a.version)
        } else {
            "Not yet published".into()
        },
        published: match (&a.published_by, a.published_at) {
            (Some(by), Some(at)) => format!("{} by {by}", when(at, zone)),
            _ => String::new(),
        },
        digest: a.digest.clone().unwrap_or_default(),
        headline: view.scorecard.headline(a.profile_key.is_some()),
        standing: match (&a.standing, a.status.is_frozen()) {
            (Some(standing), true) => standing.clone(),
            _ => view.scorecard.standing(a.profile_key.is_some()).to_owned(),
        },
        progress: t.progress(),
        answered: t.answered,
        items: t.items,
        flagged: t.flagged,
        reviews: view
            .reviews
            .iter()
            .map(|r| {
                let outcome = REVIEW_OUTCOMES
                    .iter()
                    .find(|(c, _)| *c == r.outcome)
                    .map_or(r.outcome.as_str(), |(_, l)| l);
                (
                    format!("{} by {}", when(r.reviewed_at, zone), r.reviewed_by),
                    outcome.to_owned(),
                    r.comment.clone(),
                )
            })
            .collect(),
    }
}

#[derive(Template)]
#[template(path = "orgs/assessment.html")]
struct AssessmentPage {
    layout: Layout,
    errors: Errors,
    org_id: OrgId,
    s: Summary,
    rows: Vec<Row>,
    chart: String,
    graded: bool,
    row_version: i64,
    can_edit: bool,
    can_publish: bool,
    /// Gaps that keep the assessment from Standards Met, and those without an action yet.
    gaps: Vec<(String, String)>,
    unplanned: Vec<(String, String)>,
    approaching_gaps: Vec<(String, String)>,
    can_plan: bool,
}

pub(super) async fn render(
    state: &AppState,
    scope: &Scope,
    session: &Session,
    id: AssessmentId,
    status: StatusCode,
    errors: Vec<FieldError>,
    notice: Option<&str>,
) -> Result<Response, PageError> {
    let view = state.core.assessment(scope, id).await?;
    let s = summary(&view, &scope.org.time_zone);
    let titled = |ids: &[String]| -> Vec<(String, String)> {
        ids.iter()
            .map(|r| {
                let title = view
                    .framework
                    .nodes
                    .iter()
                    .find(|n| &n.ref_id == r)
                    .map(|n| n.title.clone());
                (r.clone(), title.unwrap_or_default())
            })
            .collect()
    };
    Ok(page(
        status,
        &AssessmentPage {
            layout: Layout::for_scope(&view.assessment.title, scope, session, Section::Assessments).with_notice(notice),
            errors: Errors::from(errors),
            org_id: scope.org.id,
            rows: rows(&view),
            chart: chart::svg(&view.scorecard),
            graded: !view.scorecard.outcomes.is_empty(),
            row_version: view.assessment.row_version,
            can_edit: s.draft && scope.allows(Permission::AssessmentsEdit),
            can_publish: s.draft && scope.allows(Permission::AssessmentsPublish),
            gaps: titled(&view.scorecard.gaps),
            unplanned: titled(&view.scorecard.unplanned),
            approaching_gaps: titled(&view.scorecard.approaching_gaps),
            can_plan: scope.allows(Permission::ActionsManage),
            s,
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
    render(&state, &scope, &signed_in.session, id, StatusCode::OK, Vec::new(), None).await
}

pub(super) async fn publish(
    State(state): State<AppState>,
    Path((org_id, assessment_id)): Path<(String, String)>,
    form: CsrfForm<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let scope = state.core.scope(&form.actor, parse_id::<OrgId>(&org_id)?).await?;
    let id = parse_id::<AssessmentId>(&assessment_id)?;
    let f = &form.form;
    let result = if val(f, "confirm") == "yes" {
        let version = val(f, "row_version").parse::<i64>().unwrap_or(-1);
        state.core.publish_assessment(&scope, id, version).await.map(|_| ())
    } else {
        Err(CoreError::field(
            "confirm",
            "confirm that you sign off this assessment as the senior executive",
        ))
    };
    match result {
        Ok(()) => Ok(Redirect::to(&format!("/orgs/{}/assessments/{id}#sealed", scope.org.id)).into_response()),
        Err(CoreError::Validation(errors)) => {
            render(
                &state,
                &scope,
                &form.session,
                id,
                StatusCode::UNPROCESSABLE_ENTITY,
                errors,
                None,
            )
            .await
        }
        Err(CoreError::Conflict(message)) => {
            let errors = vec![FieldError::new("confirm", message)];
            render(&state, &scope, &form.session, id, StatusCode::CONFLICT, errors, None).await
        }
        Err(e) => Err(e.into()),
    }
}

/// Raises an improvement action for every gap the plan does not cover yet.
pub(super) async fn plan(
    State(state): State<AppState>,
    Path((org_id, assessment_id)): Path<(String, String)>,
    form: CsrfForm<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let scope = state.core.scope(&form.actor, parse_id::<OrgId>(&org_id)?).await?;
    let id = parse_id::<AssessmentId>(&assessment_id)?;
    let f = &form.form;
    match state
        .core
        .plan_gaps(&scope, id, &val(f, "owner"), &val(f, "due_on"))
        .await
    {
        Ok(n) => {
            let notice = format!("{n} improvement action{} raised", if n == 1 { "" } else { "s" });
            render(
                &state,
                &scope,
                &form.session,
                id,
                StatusCode::OK,
                Vec::new(),
                Some(&notice),
            )
            .await
        }
        Err(CoreError::Validation(errors)) => {
            render(
                &state,
                &scope,
                &form.session,
                id,
                StatusCode::UNPROCESSABLE_ENTITY,
                errors,
                None,
            )
            .await
        }
        Err(e) => Err(e.into()),
    }
}
