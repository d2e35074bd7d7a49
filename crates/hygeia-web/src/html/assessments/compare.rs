//! Year on year: an assessment beside the latest earlier one of the same framework.

use super::super::{Layout, Section, page, parse_id};
use crate::error::PageError;
use crate::extract::SignedIn;
use crate::state::AppState;
use askama::Template;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use hygeia_core::assessments::Change;
use hygeia_domain::ids::{AssessmentId, OrgId};

#[derive(Template)]
#[template(path = "orgs/assessment_compare.html")]
struct ComparePage {
    layout: Layout,
    org_id: OrgId,
    id: String,
    reference: String,
    title: String,
    period: String,
    earlier: Option<(String, String, String)>,
    changes: Vec<Change>,
    better: usize,
    worse: usize,
}

pub(super) async fn show(
    State(state): State<AppState>,
    signed_in: SignedIn,
    Path((org_id, assessment_id)): Path<(String, String)>,
) -> Result<Response, PageError> {
    let scope = state.core.scope(&signed_in.actor, parse_id::<OrgId>(&org_id)?).await?;
    let id = parse_id::<AssessmentId>(&assessment_id)?;
    let now = state.core.assessment(&scope, id).await?;
    let compared = state.core.compare_with_previous(&scope, id).await?;
    let (earlier, changes) = match compared {
        Some((e, c)) => (
            Some((e.id.to_string(), format!("{}: {}", e.reference, e.title), e.period)),
            c,
        ),
        None => (None, Vec::new()),
    };
    Ok(page(
        StatusCode::OK,
        &ComparePage {
            layout: Layout::for_scope("Year on year", &scope, &signed_in.session, Section::Assessments),
            org_id: scope.org.id,
            id: id.to_string(),
            reference: now.assessment.reference.clone(),
            title: now.assessment.title.clone(),
            period: now.assessment.period.clone(),
            better: changes.iter().filter(|c| c.direction > 0).count(),
            worse: changes.iter().filter(|c| c.direction < 0).count(),
            earlier,
            changes,
        },
    ))
}
