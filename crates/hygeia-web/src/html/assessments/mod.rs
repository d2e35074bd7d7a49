//! Assessment pages: the list with the start form, an assessment's overview (progress, grades
//! against the profile, sign-off), one outcome or item to answer with its evidence, and the
//! printable report with its exports. The regulator's view of published ones is in
//! `remit`.

mod chart;
mod compare;
mod item;
mod item_forms;
mod list;
mod remit;
mod report;
mod show;

use super::val;
use crate::state::AppState;
use axum::Router;
use axum::routing::{get, post};
use hygeia_core::assessments::AssessmentView;
use hygeia_domain::assessments::caf::Grade;
use hygeia_domain::assessments::scorecard::OutcomeResult;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/orgs/{org_id}/assessments", get(list::list).post(list::start))
        .route("/orgs/{org_id}/assessments/{assessment_id}", get(show::show))
        .route(
            "/orgs/{org_id}/assessments/{assessment_id}/publish",
            post(show::publish),
        )
        .route("/orgs/{org_id}/assessments/{assessment_id}/plan", post(show::plan))
        .route(
            "/orgs/{org_id}/assessments/{assessment_id}/items/{ref_id}/comments",
            post(item_forms::comment),
        )
        .route(
            "/orgs/{org_id}/assessments/{assessment_id}/items/{ref_id}",
            get(item::show).post(item_forms::save),
        )
        .route(
            "/orgs/{org_id}/assessments/{assessment_id}/items/{ref_id}/evidence",
            post(item_forms::upload),
        )
        .route(
            "/orgs/{org_id}/assessments/{assessment_id}/items/{ref_id}/evidence/link",
            post(item_forms::link),
        )
        .route(
            "/orgs/{org_id}/assessments/{assessment_id}/items/{ref_id}/actions",
            post(item_forms::add_action),
        )
        .route("/orgs/{org_id}/assessments/{assessment_id}/compare", get(compare::show))
        .route("/orgs/{org_id}/assessments/{assessment_id}/report", get(report::html))
        .route(
            "/orgs/{org_id}/assessments/{assessment_id}/report.pdf",
            get(report::pdf),
        )
        .route(
            "/orgs/{org_id}/assessments/{assessment_id}/answers.csv",
            get(report::csv),
        )
        .route(
            "/orgs/{org_id}/assessments/{assessment_id}/snapshot.json",
            get(report::snapshot),
        )
        .route(
            "/orgs/{org_id}/assessments/{assessment_id}/assessment-results.json",
            get(report::oscal),
        )
        .route("/orgs/{org_id}/oversight/assessments", get(remit::list))
        .route("/orgs/{org_id}/oversight/assessments/{assessment_id}", get(remit::show))
        .route(
            "/orgs/{org_id}/oversight/assessments/{assessment_id}/review",
            post(remit::review),
        )
}

/// The NHS.UK tag colour for a grade.
pub(crate) fn grade_tag(g: Grade) -> &'static str {
    match g {
        Grade::Achieved => "nhsuk-tag--green",
        Grade::PartiallyAchieved => "nhsuk-tag--yellow",
        Grade::NotAchieved => "nhsuk-tag--red",
    }
}

/// One row of an outcome or item table.
#[derive(Clone)]
pub(crate) struct Row {
    pub ref_id: String,
    pub title: String,
    /// The principle or standard it sits under, on the first row of each.
    pub heading: Option<String>,
    pub result: String,
    pub tag: &'static str,
    pub overridden: bool,
    pub minimum: String,
    /// "Met", "Below profile" or empty without a profile.
    pub against_profile: &'static str,
    pub flagged: bool,
    pub owner: String,
    pub evidence: usize,
}

fn outcome_cells(o: &OutcomeResult) -> (String, &'static str, String, &'static str) {
    (
        o.grade.label().to_owned(),
        grade_tag(o.grade),
        o.minimum
            .map_or_else(|| "No minimum".to_owned(), |m| m.label().to_owned()),
        match o.meets_profile {
            Some(true) => "Meets profile",
            Some(false) => "Below profile",
            None => "",
        },
    )
}

/// The answerable nodes of an assessment in reading order, with their results.
pub(crate) fn rows(view: &AssessmentView) -> Vec<Row> {
    use hygeia_domain::assessments::framework::AnswerKind;
    let mut out = Vec::new();
    let mut last_parent: Option<&str> = None;
    for n in &view.framework.nodes {
        if matches!(n.answer, AnswerKind::None | AnswerKind::Statement) {
            continue;
        }
        let heading = if n.parent.as_deref() == last_parent {
            None
        } else {
            last_parent = n.parent.as_deref();
            n.parent.as_deref().and_then(|p| {
                view.framework
                    .nodes
                    .iter()
                    .find(|m| m.ref_id == p)
                    .map(|m| format!("{} {}", m.ref_id, m.title))
            })
        };
        let answer = view.answers.get(&n.ref_id);
        let (result, tag, minimum, against_profile, overridden, answered) = match view.scorecard.outcome(&n.ref_id) {
            Some(o) => {
                let (r, t, m, a) = outcome_cells(o);
                (r, t, m, a, o.overridden, o.answered)
            }
            None => {
                let value = answer.and_then(|a| a.value);
                (
                    value.map_or_else(|| "Not answered".to_owned(), |v| v.label().to_owned()),
                    match value.map(|v| v.code()) {
                        Some("met" | "compliant" | "pass") => "nhsuk-tag--green",
                        Some("not_met" | "not_compliant" | "fail") => "nhsuk-tag--red",
                        Some(_) => "nhsuk-tag--grey",
                        None => "nhsuk-tag--white",
                    },
                    String::new(),
                    "",
                    false,
                    value.is_some(),
                )
            }
        };
        out.push(Row {
            ref_id: n.ref_id.clone(),
            title: n.title.clone(),
            heading,
            result: if answered || view.scorecard.outcome(&n.ref_id).is_none() {
                result
            } else {
                format!("{result} (not yet assessed)")
            },
            tag,
            overridden,
            minimum,
            against_profile,
            flagged: answer.is_some_and(|a| a.flagged),
            owner: answer.and_then(|a| a.owner.clone()).unwrap_or_default(),
            evidence: view.evidence.get(&n.ref_id).map_or(0, Vec::len),
        });
    }
    out
}

/// A framework's name for people: its title, with the version unless the title says it.
pub(crate) fn framework_label(title: &str, version: &str) -> String {
    if title.contains(version) {
        title.to_owned()
    } else {
        format!("{title} {version}")
    }
}

/// Dates and times for the assessment's summary list.
pub(crate) fn status_tag(s: hygeia_domain::assessments::record::Status) -> &'static str {
    use hygeia_domain::assessments::record::Status;
    match s {
        Status::Draft => "nhsuk-tag--blue",
        Status::Published => "nhsuk-tag--green",
        Status::Superseded => "nhsuk-tag--grey",
    }
}
