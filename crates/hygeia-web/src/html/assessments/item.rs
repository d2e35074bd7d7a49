//! One outcome or item of an assessment: its statements or choices, the narrative, an
//! assessor's override, owner and review flag, and the evidence behind it (uploaded here
//! or chosen from the library, linked to the requirement so later assessments reuse it).

use super::super::evidence::{ItemRow, item_row};
use super::super::governance::{ActionLine, action_line};
use super::super::{Errors, Layout, Section, page, parse_id, when};
use super::grade_tag;
use crate::error::PageError;
use crate::extract::SignedIn;
use crate::state::AppState;
use askama::Template;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use hygeia_core::assessments::AssessmentView;
use hygeia_core::{ActionInput, ActionRow, CoreError, Scope};
use hygeia_domain::FieldError;
use hygeia_domain::assessments::answer::Value;
use hygeia_domain::assessments::framework::{AnswerKind, Framework, Node};
use hygeia_domain::assessments::scorecard::OutcomeResult;
use hygeia_domain::ids::{AssessmentId, OrgId};
use hygeia_domain::page::PageRequest;
use hygeia_domain::permissions::Permission;
use hygeia_store::model::Session;

pub(super) struct Statement {
    pub ref_id: String,
    pub summary: String,
    pub ticked: bool,
}

pub(super) struct Column {
    pub label: &'static str,
    pub statements: Vec<Statement>,
}

/// The form's values, as stored or as posted back with errors.
#[derive(Default)]
pub(super) struct Values {
    pub value: String,
    pub narrative: String,
    pub override_grade: String,
    pub override_reason: String,
    pub owner: String,
    pub flagged: bool,
    pub ticked: Vec<String>,
}

#[derive(Template)]
#[template(path = "orgs/assessment_item.html")]
struct ItemPage {
    layout: Layout,
    errors: Errors,
    org_id: OrgId,
    assessment_id: String,
    assessment_title: String,
    reference: String,
    ref_id: String,
    title: String,
    summary: String,
    path: String,
    is_outcome: bool,
    /// An outcome without indicator statements: the assessor chooses its grade.
    direct: bool,
    columns: Vec<Column>,
    choices: Vec<(&'static str, &'static str)>,
    grade: String,
    grade_tag: &'static str,
    rule_grade: String,
    minimum: String,
    allows_partial: bool,
    v: Values,
    row_version: i64,
    can_edit: bool,
    can_manage_evidence: bool,
    evidence: Vec<ItemRow>,
    library: Vec<(String, String)>,
    actions: Vec<ActionLine>,
    can_add_action: bool,
    action: ActionInput,
    /// Evidence linked to this requirement's counterparts in mapped frameworks.
    offers: Vec<Offer>,
    counterparts: Vec<String>,
    comments: Vec<(String, String)>,
    can_comment: bool,
    /// Members' names, offered when choosing an owner.
    people: Vec<String>,
}

pub(super) struct Offer {
    pub evidence_id: String,
    pub title: String,
    pub from: String,
}

/// One item of one assessment, as a signed-in member sees it: what the page is built for,
/// and what each form shows again when its input is refused.
pub(super) struct ItemAt<'a> {
    state: &'a AppState,
    scope: &'a Scope,
    session: &'a Session,
    id: AssessmentId,
    ref_id: &'a str,
}

impl<'a> ItemAt<'a> {
    pub(super) fn new(
        state: &'a AppState,
        scope: &'a Scope,
        session: &'a Session,
        id: AssessmentId,
        ref_id: &'a str,
    ) -> Self {
        ItemAt {
            state,
            scope,
            session,
            id,
            ref_id,
        }
    }

    /// The page with `errors` beside their fields, showing the `posted` values if given,
    /// else the stored ones.
    pub(super) async fn render(
        &self,
        status: StatusCode,
        errors: Vec<FieldError>,
        posted: Option<Values>,
    ) -> Result<Response, PageError> {
        self.render_with(status, errors, posted, ActionInput::default()).await
    }

    /// The same, with the new-action form holding `action`.
    pub(super) async fn render_with(
        &self,
        status: StatusCode,
        errors: Vec<FieldError>,
        posted: Option<Values>,
        action: ActionInput,
    ) -> Result<Response, PageError> {
        let ItemAt {
            state,
            scope,
            session,
            id,
            ref_id,
        } = *self;
        let view = state.core.assessment(scope, id).await?;
        let node = view
            .framework
            .nodes
            .iter()
            .find(|n| n.ref_id == ref_id && !matches!(n.answer, AnswerKind::None | AnswerKind::Statement))
            .ok_or(PageError(CoreError::NotFound))?;
        let v = posted.unwrap_or_else(|| stored_values(&view, ref_id));
        let org = scope.org.id.to_string();
        let (library, actions, offers, counterparts, comments, people) = tokio::try_join!(
            library(state, scope),
            actions_of_item(state, scope, id, ref_id),
            offers(state, scope, &view, ref_id),
            counterparts(state, &view, ref_id),
            comments(state, scope, id, ref_id),
            people(state, scope),
        )?;
        let outcome = view.scorecard.outcome(ref_id);
        let frozen = view.assessment.status.is_frozen();
        Ok(page(
            status,
            &ItemPage {
                layout: Layout::for_scope(
                    &format!("{} {}", node.ref_id, node.title),
                    scope,
                    session,
                    Section::Assessments,
                ),
                errors: Errors::from(errors),
                org_id: scope.org.id,
                assessment_id: id.to_string(),
                assessment_title: view.assessment.title.clone(),
                reference: view.assessment.reference.clone(),
                ref_id: node.ref_id.clone(),
                title: node.title.clone(),
                summary: node.summary.clone(),
                path: breadcrumb(&view.framework, node),
                is_outcome: node.answer == AnswerKind::CafGrade,
                direct: node.answer == AnswerKind::CafGrade && view.framework.graded_directly(ref_id),
                columns: statement_columns(&view.framework, ref_id, &v.ticked),
                choices: Value::choices(node.answer)
                    .iter()
                    .map(|c| (c.code(), c.label()))
                    .collect(),
                grade: outcome.map(|o| o.grade.label().to_owned()).unwrap_or_default(),
                grade_tag: outcome.map_or("", |o| grade_tag(o.grade)),
                rule_grade: outcome.map(|o| o.rule_grade.label().to_owned()).unwrap_or_default(),
                minimum: outcome.map(profile_line).unwrap_or_default(),
                allows_partial: outcome.is_some_and(|o| o.allows_partial),
                v,
                row_version: view.assessment.row_version,
                can_edit: !frozen && scope.allows(Permission::AssessmentsEdit),
                can_manage_evidence: !frozen && scope.allows(Permission::EvidenceManage),
                evidence: linked_evidence(&view, &org, ref_id),
                library,
                actions: actions.iter().map(|r| action_line(&org, r)).collect(),
                can_add_action: scope.allows(Permission::ActionsManage),
                action,
                offers,
                counterparts,
                comments,
                can_comment: scope.allows(Permission::AssessmentsEdit),
                people,
            },
        ))
    }
}

/// The form's values as the item's answer stores them; `ticked` are the item's statements
/// answered true.
fn stored_values(view: &AssessmentView, ref_id: &str) -> Values {
    let answer = view.answers.get(ref_id).cloned().unwrap_or_default();
    let prefix = format!("{ref_id}.");
    Values {
        value: answer.value.map(|v| v.code().to_owned()).unwrap_or_default(),
        override_grade: answer
            .assessor_override
            .as_ref()
            .and_then(|o| serde_json::to_value(o.grade).ok())
            .and_then(|g| g.as_str().map(str::to_owned))
            .unwrap_or_default(),
        override_reason: answer.assessor_override.map(|o| o.justification).unwrap_or_default(),
        owner: answer.owner.unwrap_or_default(),
        flagged: answer.flagged,
        narrative: answer.narrative,
        ticked: view
            .answers
            .iter()
            .filter(|(r, a)| r.starts_with(&prefix) && a.value == Some(Value::True))
            .map(|(r, _)| r.clone())
            .collect(),
    }
}

/// An outcome's indicator statements by level, the levels without any left out.
fn statement_columns(framework: &Framework, ref_id: &str, ticked: &[String]) -> Vec<Column> {
    [("NA", "Not achieved"), ("PA", "Partially achieved"), ("A", "Achieved")]
        .into_iter()
        .map(|(level, label)| Column {
            label,
            statements: framework
                .nodes
                .iter()
                .filter(|n| n.parent.as_deref() == Some(ref_id) && n.level.as_deref() == Some(level))
                .map(|n| Statement {
                    ref_id: n.ref_id.clone(),
                    summary: n.summary.clone(),
                    ticked: ticked.contains(&n.ref_id),
                })
                .collect(),
        })
        .filter(|c| !c.statements.is_empty())
        .collect()
}

/// The node's ancestors from the top, as `A Objective › A1 Principle`.
fn breadcrumb(framework: &Framework, node: &Node) -> String {
    let mut chain = Vec::new();
    let mut at = node.parent.as_deref();
    while let Some(parent) = at.and_then(|p| framework.nodes.iter().find(|n| n.ref_id == p)) {
        chain.push(format!("{} {}", parent.ref_id, parent.title));
        at = parent.parent.as_deref();
    }
    chain.reverse();
    chain.join(" › ")
}

/// How the outcome stands against the assessment's target profile.
fn profile_line(outcome: &OutcomeResult) -> String {
    match (outcome.minimum, outcome.meets_profile) {
        (_, None) => "No target profile".to_owned(),
        (None, _) => "The profile sets no minimum".to_owned(),
        (Some(m), Some(true)) => format!("{}: met", m.label()),
        (Some(m), Some(false)) => format!("{}: not met", m.label()),
    }
}

/// The evidence linked to the item, as the evidence list shows it.
fn linked_evidence(view: &AssessmentView, org: &str, ref_id: &str) -> Vec<ItemRow> {
    let items = view.evidence.get(ref_id).map(Vec::as_slice).unwrap_or_default();
    items
        .iter()
        .map(|i| {
            let row = hygeia_core::EvidenceRow {
                item: i.clone(),
                review_state: hygeia_domain::evidence::ReviewState::NoDate,
            };
            item_row(org, &row)
        })
        .collect()
}

/// The library to link from (id, title), for those who may manage evidence.
async fn library(state: &AppState, scope: &Scope) -> Result<Vec<(String, String)>, CoreError> {
    if !scope.allows(Permission::EvidenceManage) {
        return Ok(Vec::new());
    }
    let page = state
        .core
        .evidence_page(scope, "", PageRequest::new(Some(200), Some(0)))
        .await?;
    Ok(page
        .items
        .iter()
        .map(|r| (r.item.id.to_string(), r.item.title.clone()))
        .collect())
}

/// The improvement actions raised from this item, for those who may see them.
async fn actions_of_item(
    state: &AppState,
    scope: &Scope,
    id: AssessmentId,
    ref_id: &str,
) -> Result<Vec<ActionRow>, CoreError> {
    if !scope.allows(Permission::GovernanceView) {
        return Ok(Vec::new());
    }
    let suffix = format!(":{ref_id}");
    let mut rows = state.core.assessment_actions(scope, id).await?;
    rows.retain(|r| r.action.source.as_ref().is_some_and(|(_, s)| s.ends_with(&suffix)));
    Ok(rows)
}

/// Evidence linked to the item's counterparts in mapped frameworks, not yet linked here.
async fn offers(state: &AppState, scope: &Scope, view: &AssessmentView, ref_id: &str) -> Result<Vec<Offer>, CoreError> {
    let linked: Vec<uuid::Uuid> = view
        .evidence
        .get(ref_id)
        .map(|items| items.iter().map(|i| i.id.0).collect())
        .unwrap_or_default();
    let offers = state
        .core
        .evidence_offers(scope, &view.assessment.framework_key, ref_id, &linked)
        .await?;
    Ok(offers
        .into_iter()
        .map(|o| Offer {
            evidence_id: o.item.id.to_string(),
            title: o.item.title,
            from: format!("{} {} ({})", o.framework_key, o.ref_id, o.relation.label()),
        })
        .collect())
}

/// The item's counterparts in mapped frameworks, as `DSPT 1.1.1 (equivalent)`.
async fn counterparts(state: &AppState, view: &AssessmentView, ref_id: &str) -> Result<Vec<String>, CoreError> {
    let found = state.core.counterparts(&view.assessment.framework_key, ref_id).await?;
    Ok(found
        .into_iter()
        .map(|c| format!("{} {} ({})", c.framework_key, c.ref_id, c.relation.label()))
        .collect())
}

/// The item's conversation: (author and time, body), oldest first.
async fn comments(
    state: &AppState,
    scope: &Scope,
    id: AssessmentId,
    ref_id: &str,
) -> Result<Vec<(String, String)>, CoreError> {
    let found = state.core.item_comments(scope, id, Some(ref_id)).await?;
    let zone = &scope.org.time_zone;
    Ok(found
        .into_iter()
        .map(|c| (format!("{}, {}", c.author, when(c.created_at, zone)), c.body))
        .collect())
}

/// Members' names to choose an owner from, for those who may see the members.
async fn people(state: &AppState, scope: &Scope) -> Result<Vec<String>, CoreError> {
    if !scope.allows(Permission::MembersView) {
        return Ok(Vec::new());
    }
    let page = state.core.members(scope, PageRequest::new(Some(200), Some(0))).await?;
    Ok(page.items.into_iter().map(|m| m.display_name).collect())
}

pub(super) async fn show(
    State(state): State<AppState>,
    signed_in: SignedIn,
    Path((org_id, assessment_id, ref_id)): Path<(String, String, String)>,
) -> Result<Response, PageError> {
    let scope = state.core.scope(&signed_in.actor, parse_id::<OrgId>(&org_id)?).await?;
    let id = parse_id::<AssessmentId>(&assessment_id)?;
    let item = ItemAt::new(&state, &scope, &signed_in.session, id, &ref_id);
    item.render(StatusCode::OK, Vec::new(), None).await
}
