//! A framework version's target profile: the minimum grade it sets for each outcome, edited
//! by platform administrators.

use super::super::{Errors, Layout, Section, page};
use crate::error::PageError;
use crate::extract::{CsrfForm, SignedIn};
use crate::state::AppState;
use askama::Template;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use hygeia_core::CoreError;
use hygeia_domain::FieldError;
use hygeia_domain::assessments::caf::Grade;
use hygeia_domain::assessments::framework::{AnswerKind, Profile};

/// One graded outcome in the profile editor.
struct MinimumLine {
    ref_id: String,
    title: String,
    allows_partial: bool,
    /// achieved, partially_achieved, not_achieved, or empty for none.
    chosen: String,
}

#[derive(Template)]
#[template(path = "framework_profile.html")]
struct ProfilePage {
    layout: Layout,
    errors: Errors,
    key: String,
    version: String,
    framework_title: String,
    profile_key: String,
    title: String,
    summary: String,
    source: String,
    lines: Vec<MinimumLine>,
    is_new: bool,
}

#[allow(clippy::too_many_arguments)]
async fn render_profile(
    state: &AppState,
    signed_in_user: &hygeia_core::Actor,
    session: &hygeia_store::model::Session,
    key: &str,
    version: &str,
    profile_key: &str,
    posted: Option<Profile>,
    status: StatusCode,
    errors: Vec<FieldError>,
) -> Result<Response, PageError> {
    let id = state.core.framework_id(key, version).await?;
    if !signed_in_user.user.is_platform_admin {
        return Err(PageError(CoreError::Forbidden(
            "only platform administrators change the framework library",
        )));
    }
    let f = state.core.framework_by_id(id).await?;
    let existing = f.profile(profile_key).cloned();
    let is_new = existing.is_none();
    let p = posted.or(existing).unwrap_or_else(|| Profile {
        key: profile_key.to_owned(),
        title: String::new(),
        summary: String::new(),
        source: None,
        minima: Default::default(),
    });
    let lines = f
        .nodes
        .iter()
        .filter(|n| n.answer == AnswerKind::CafGrade)
        .map(|n| MinimumLine {
            ref_id: n.ref_id.clone(),
            title: n.title.clone(),
            allows_partial: f.allows_partial(&n.ref_id),
            chosen: p
                .minima
                .get(&n.ref_id)
                .copied()
                .flatten()
                .map(grade_code)
                .unwrap_or_default()
                .to_owned(),
        })
        .collect();
    Ok(page(
        status,
        &ProfilePage {
            layout: Layout::signed_in(
                &format!("Profile {profile_key}"),
                &signed_in_user.user,
                session,
                Section::Account,
            ),
            errors: Errors::from(errors),
            key: key.to_owned(),
            version: version.to_owned(),
            framework_title: f.title.clone(),
            profile_key: profile_key.to_owned(),
            title: p.title,
            summary: p.summary,
            source: p.source.unwrap_or_default(),
            lines,
            is_new,
        },
    ))
}

fn grade_code(g: Grade) -> &'static str {
    match g {
        Grade::Achieved => "achieved",
        Grade::PartiallyAchieved => "partially_achieved",
        Grade::NotAchieved => "not_achieved",
    }
}

/// The profile editor: a minimum grade (or none) for each graded outcome. A new key adds a
/// profile.
pub(super) async fn edit_profile(
    State(state): State<AppState>,
    signed_in: SignedIn,
    Path((key, version, profile)): Path<(String, String, String)>,
) -> Result<Response, PageError> {
    render_profile(
        &state,
        &signed_in.actor,
        &signed_in.session,
        &key,
        &version,
        &profile,
        None,
        StatusCode::OK,
        Vec::new(),
    )
    .await
}

pub(super) async fn save_profile(
    State(state): State<AppState>,
    Path((key, version, profile_key)): Path<(String, String, String)>,
    form: CsrfForm<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let get = |name: &str| {
        form.form
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.trim().to_owned())
            .unwrap_or_default()
    };
    let mut minima = std::collections::BTreeMap::new();
    for (name, value) in &form.form {
        if let Some(outcome) = name.strip_prefix("min:") {
            let grade = match value.as_str() {
                "achieved" => Some(Grade::Achieved),
                "partially_achieved" => Some(Grade::PartiallyAchieved),
                "not_achieved" => Some(Grade::NotAchieved),
                _ => None,
            };
            minima.insert(outcome.to_owned(), grade);
        }
    }
    let profile = Profile {
        key: profile_key.clone(),
        title: get("title"),
        summary: get("summary"),
        source: Some(get("source")).filter(|s| !s.is_empty()),
        minima,
    };
    let id = state.core.framework_id(&key, &version).await?;
    match state.core.save_profile(&form.actor, id, profile.clone()).await {
        Ok(()) => Ok(Redirect::to(&format!("/frameworks/{key}/{version}#profiles")).into_response()),
        Err(CoreError::Validation(errors)) => {
            render_profile(
                &state,
                &form.actor,
                &form.session,
                &key,
                &version,
                &profile_key,
                Some(profile),
                StatusCode::UNPROCESSABLE_ENTITY,
                errors,
            )
            .await
        }
        Err(e) => Err(e.into()),
    }
}
