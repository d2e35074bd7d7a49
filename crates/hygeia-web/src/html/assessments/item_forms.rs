//! The forms of one outcome or item of an assessment: its answer (with an override, owner and
//! review flag), a comment, evidence uploaded or linked from the library, and an action
//! raised from a gap. Each redirects back to the item, or shows it again with the errors.

use super::super::evidence::{add_posted, form_errors};
use super::super::parse_id;
use super::item::{ItemAt, Values};
use super::val;
use crate::error::PageError;
use crate::extract::{CsrfForm, SignedIn};
use crate::state::AppState;
use axum::extract::multipart::MultipartRejection;
use axum::extract::{Multipart, Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use hygeia_core::assessments::{AnswerInput, OutcomeInput};
use hygeia_core::{ActionInput, Actor, CoreError, Scope};
use hygeia_domain::FieldError;
use hygeia_domain::evidence::LinkTarget;
use hygeia_domain::governance::actions::ActionSource;
use hygeia_domain::ids::{AssessmentId, EvidenceId, OrgId};

/// The member's scope of the organisation in the path, and the assessment's id.
async fn open(
    state: &AppState,
    actor: &Actor,
    org_id: &str,
    assessment_id: &str,
) -> Result<(Scope, AssessmentId), PageError> {
    let scope = state.core.scope(actor, parse_id::<OrgId>(org_id)?).await?;
    Ok((scope, parse_id::<AssessmentId>(assessment_id)?))
}

/// Adds a comment to the item's conversation.
pub(super) async fn comment(
    State(state): State<AppState>,
    Path((org_id, assessment_id, ref_id)): Path<(String, String, String)>,
    form: CsrfForm<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let (scope, id) = open(&state, &form.actor, &org_id, &assessment_id).await?;
    let item = ItemAt::new(&state, &scope, &form.session, id, &ref_id);
    match state
        .core
        .comment_on_item(&scope, id, &ref_id, &val(&form.form, "body"))
        .await
    {
        Ok(_) => Ok(Redirect::to(&format!(
            "/orgs/{}/assessments/{id}/items/{ref_id}#comments",
            scope.org.id
        ))
        .into_response()),
        Err(CoreError::Validation(errors)) => item.render(StatusCode::UNPROCESSABLE_ENTITY, errors, None).await,
        Err(e) => Err(e.into()),
    }
}

/// Saves the item's answer: an outcome's ticked statements and override, or an item's value.
pub(super) async fn save(
    State(state): State<AppState>,
    Path((org_id, assessment_id, ref_id)): Path<(String, String, String)>,
    form: CsrfForm<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let (scope, id) = open(&state, &form.actor, &org_id, &assessment_id).await?;
    let item = ItemAt::new(&state, &scope, &form.session, id, &ref_id);
    let f = &form.form;
    let v = Values {
        value: val(f, "value"),
        narrative: val(f, "narrative"),
        override_grade: val(f, "override_grade"),
        override_reason: val(f, "override_reason"),
        owner: val(f, "owner"),
        flagged: val(f, "flagged") == "on",
        ticked: f
            .iter()
            .filter(|(k, _)| k == "ticked")
            .map(|(_, v)| v.clone())
            .collect(),
    };
    let row_version = val(f, "row_version").parse::<i64>().unwrap_or(-1);
    let result = if val(f, "kind") == "outcome" {
        state
            .core
            .save_outcome(
                &scope,
                id,
                row_version,
                &OutcomeInput {
                    ref_id: ref_id.clone(),
                    ticked: v.ticked.clone(),
                    narrative: v.narrative.clone(),
                    override_grade: v.override_grade.clone(),
                    override_reason: v.override_reason.clone(),
                    owner: v.owner.clone(),
                    flagged: v.flagged,
                },
            )
            .await
    } else {
        state
            .core
            .save_answers(
                &scope,
                id,
                row_version,
                &[AnswerInput {
                    ref_id: ref_id.clone(),
                    value: v.value.clone(),
                    narrative: v.narrative.clone(),
                    owner: v.owner.clone(),
                    flagged: v.flagged,
                    ..AnswerInput::default()
                }],
            )
            .await
            .map_err(|e| match e {
                // The page has one item: its fields carry their plain names.
                CoreError::Validation(errors) => CoreError::Validation(
                    errors
                        .into_iter()
                        .map(|e| FieldError::new(e.field.rsplit('/').next().unwrap_or_default(), e.message))
                        .collect(),
                ),
                other => other,
            })
    };
    match result {
        Ok(()) => Ok(Redirect::to(&format!("/orgs/{}/assessments/{id}#row-{ref_id}", scope.org.id)).into_response()),
        Err(CoreError::Validation(errors)) => item.render(StatusCode::UNPROCESSABLE_ENTITY, errors, Some(v)).await,
        Err(CoreError::Conflict(message)) => {
            let errors = vec![FieldError::new("narrative", message)];
            item.render(StatusCode::CONFLICT, errors, Some(v)).await
        }
        Err(e) => Err(e.into()),
    }
}

fn back(org: OrgId, id: AssessmentId, ref_id: &str) -> Response {
    Redirect::to(&format!("/orgs/{org}/assessments/{id}/items/{ref_id}#evidence")).into_response()
}

/// The requirement's link target: the framework key and the node's reference.
async fn target(state: &AppState, scope: &Scope, id: AssessmentId, ref_id: &str) -> Result<String, PageError> {
    let view = state.core.assessment(scope, id).await?;
    if !view.framework.nodes.iter().any(|n| n.ref_id == ref_id) {
        return Err(PageError(CoreError::NotFound));
    }
    Ok(format!("{}:{ref_id}", view.assessment.framework_key))
}

/// Uploads a file or a note into the library, linked to the item's requirement.
pub(super) async fn upload(
    State(state): State<AppState>,
    signed_in: SignedIn,
    Path((org_id, assessment_id, ref_id)): Path<(String, String, String)>,
    multipart: Result<Multipart, MultipartRejection>,
) -> Result<Response, PageError> {
    let (scope, id) = open(&state, &signed_in.actor, &org_id, &assessment_id).await?;
    let item = ItemAt::new(&state, &scope, &signed_in.session, id, &ref_id);
    let requirement = target(&state, &scope, id, &ref_id).await?;
    let multipart = crate::files::multipart(multipart)?;
    let result = add_posted(
        &state,
        &scope,
        &signed_in.session,
        multipart,
        (LinkTarget::Requirement, requirement),
    )
    .await?;
    match result {
        Ok(_) => Ok(back(scope.org.id, id, &ref_id)),
        Err(e) => {
            let (status, errors) = form_errors(e)?;
            let errors = errors
                .into_iter()
                .map(|e| FieldError::new(format!("evidence_{}", e.field), e.message))
                .collect();
            item.render(status, errors, None).await
        }
    }
}

/// Links an item of the library to the item's requirement.
pub(super) async fn link(
    State(state): State<AppState>,
    Path((org_id, assessment_id, ref_id)): Path<(String, String, String)>,
    form: CsrfForm<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let (scope, id) = open(&state, &form.actor, &org_id, &assessment_id).await?;
    let item = ItemAt::new(&state, &scope, &form.session, id, &ref_id);
    let requirement = target(&state, &scope, id, &ref_id).await?;
    let result = match val(&form.form, "evidence_id").parse::<EvidenceId>() {
        Ok(evidence) => {
            state
                .core
                .link_evidence(&scope, evidence, LinkTarget::Requirement, &requirement)
                .await
        }
        Err(_) => Err(CoreError::field("evidence_id", "Choose an item of the library")),
    };
    match result {
        Ok(()) => Ok(back(scope.org.id, id, &ref_id)),
        Err(e) => {
            let (status, errors) = form_errors(e)?;
            item.render(status, errors, None).await
        }
    }
}

/// Raises an improvement action against the item (a gap the plan must close).
pub(super) async fn add_action(
    State(state): State<AppState>,
    Path((org_id, assessment_id, ref_id)): Path<(String, String, String)>,
    form: CsrfForm<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let (scope, id) = open(&state, &form.actor, &org_id, &assessment_id).await?;
    let item = ItemAt::new(&state, &scope, &form.session, id, &ref_id);
    // The assessment must be the organisation's and have the item.
    target(&state, &scope, id, &ref_id).await?;
    let f = &form.form;
    let input = ActionInput {
        title: val(f, "action_title"),
        detail: String::new(),
        owner: val(f, "action_owner"),
        due_on: val(f, "action_due_on"),
        status: String::new(),
    };
    match state
        .core
        .add_action_from(
            &scope,
            input.clone(),
            Some((ActionSource::Assessment, format!("{id}:{ref_id}"))),
        )
        .await
    {
        Ok(_) => Ok(Redirect::to(&format!(
            "/orgs/{}/assessments/{id}/items/{ref_id}#actions",
            scope.org.id
        ))
        .into_response()),
        Err(CoreError::Validation(errors)) => {
            let errors = errors
                .into_iter()
                .map(|e| FieldError::new(format!("action_{}", e.field), e.message))
                .collect();
            item.render_with(StatusCode::UNPROCESSABLE_ENTITY, errors, None, input)
                .await
        }
        Err(e) => Err(e.into()),
    }
}
