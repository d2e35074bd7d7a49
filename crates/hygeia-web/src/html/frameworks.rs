//! The framework library: every framework version, and one version's tree of nodes. Shared by
//! all organisations, so any signed-in person may read it.

use super::{Errors, Layout, Section, ok, page, when};
use crate::error::PageError;
use crate::extract::{CsrfForm, SignedIn};
use crate::state::AppState;
use askama::Template;
use axum::Router;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use hygeia_core::CoreError;
use hygeia_core::mappings::MappingSummary;
use hygeia_domain::FieldError;
use hygeia_domain::assessments::caf::Grade;
use hygeia_domain::assessments::framework::{AnswerKind, Profile};
use hygeia_store::model::StoredFramework;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/frameworks", get(list))
        .route("/frameworks/import", axum::routing::post(import))
        .route("/frameworks/{key}/{version}", get(show))
        .route(
            "/frameworks/{key}/{version}/profiles/{profile}",
            get(edit_profile).post(save_profile),
        )
}

#[derive(Template)]
#[template(path = "frameworks.html")]
struct LibraryPage {
    layout: Layout,
    errors: Errors,
    can_import: bool,
    key: String,
    rows: Vec<(StoredFramework, String)>,
    mappings: Vec<MappingSummary>,
}

async fn list(State(state): State<AppState>, signed_in: SignedIn) -> Result<Response, PageError> {
    render_library(&state, &signed_in, StatusCode::OK, Vec::new(), String::new()).await
}

async fn render_library(
    state: &AppState,
    signed_in: &SignedIn,
    status: StatusCode,
    errors: Vec<FieldError>,
    key: String,
) -> Result<Response, PageError> {
    let rows = state
        .core
        .frameworks()
        .await?
        .into_iter()
        .map(|f| {
            let at = when(f.imported_at, "Europe/London");
            (f, at)
        })
        .collect();
    Ok(page(
        status,
        &LibraryPage {
            layout: Layout::signed_in(
                "Framework library",
                &signed_in.actor.user,
                &signed_in.session,
                Section::Account,
            ),
            errors: Errors::from(errors),
            can_import: signed_in.actor.user.is_platform_admin && !signed_in.actor.read_only(),
            key,
            rows,
            mappings: state.core.mappings().await?,
        },
    ))
}

/// A framework or mapping file uploaded by a platform administrator: told apart by content
/// like `hygeia framework import`, all of it or nothing; problems come back on the page.
async fn import(
    State(state): State<AppState>,
    signed_in: SignedIn,
    multipart: Result<axum::extract::Multipart, axum::extract::multipart::MultipartRejection>,
) -> Result<Response, PageError> {
    let mut body = crate::files::multipart(multipart)?;
    let unreadable =
        |e: axum::extract::multipart::MultipartError| CoreError::field("file", &format!("could not be read ({e})"));
    let (mut csrf, mut key, mut name, mut bytes) = (String::new(), String::new(), String::new(), Vec::new());
    while let Some(mut field) = body.next_field().await.map_err(unreadable)? {
        match field.name() {
            Some("csrf") => csrf = field.text().await.map_err(unreadable)?,
            Some("key") => key = field.text().await.map_err(unreadable)?.trim().to_owned(),
            Some("file") => {
                name = field.file_name().unwrap_or("upload").to_owned();
                while let Some(chunk) = field.chunk().await.map_err(unreadable)? {
                    if bytes.len() + chunk.len() > hygeia_core::frameworks::MAX_FRAMEWORK_BYTES {
                        return Err(PageError(CoreError::TooLarge {
                            limit_bytes: hygeia_core::frameworks::MAX_FRAMEWORK_BYTES as u64,
                        }));
                    }
                    bytes.extend_from_slice(&chunk);
                }
            }
            _ => {}
        }
    }
    if csrf.is_empty() || !crate::extract::constant_time_eq(csrf.as_bytes(), signed_in.session.csrf_token.as_bytes()) {
        return Err(PageError(CoreError::Forbidden(
            "send a form from a page of this session",
        )));
    }
    let Ok(text) = String::from_utf8(bytes) else {
        let errors = vec![FieldError::new("file", "is not UTF-8 text")];
        return render_library(&state, &signed_in, StatusCode::UNPROCESSABLE_ENTITY, errors, key).await;
    };
    if text.trim().is_empty() {
        let errors = vec![FieldError::new("file", "choose a file to import")];
        return render_library(&state, &signed_in, StatusCode::UNPROCESSABLE_ENTITY, errors, key).await;
    }
    let actor = Some(&signed_in.actor);
    let is_mapping = hygeia_domain::assessments::library_format::detect(&text)
        == Some(hygeia_domain::assessments::library_format::FileKind::Mapping);
    let done = if is_mapping {
        state
            .core
            .import_mapping(actor, &name, &text)
            .await
            .map(|_| "/frameworks#mappings".to_owned())
    } else {
        let key = Some(key.as_str()).filter(|k| !k.is_empty());
        state
            .core
            .import_framework(actor, &name, &text, key)
            .await
            .map(|f| format!("/frameworks/{}/{}", f.key, f.version))
    };
    match done {
        Ok(to) => Ok(Redirect::to(&to).into_response()),
        Err(CoreError::Validation(errors)) => {
            // The import names the file and place; the form shows it against the file input.
            let errors = errors
                .into_iter()
                .map(|e| FieldError::new("file", format!("{} {}", e.field, e.message)))
                .collect();
            render_library(&state, &signed_in, StatusCode::UNPROCESSABLE_ENTITY, errors, key).await
        }
        Err(CoreError::Conflict(m)) => {
            render_library(
                &state,
                &signed_in,
                StatusCode::CONFLICT,
                vec![FieldError::new("file", m)],
                key,
            )
            .await
        }
        Err(e) => Err(PageError(e)),
    }
}

/// One node as the tree shows it: indented by depth.
struct NodeLine {
    ref_id: String,
    title: String,
    summary: String,
    depth: usize,
    answerable: bool,
}

#[derive(Template)]
#[template(path = "framework.html")]
struct FrameworkPage {
    layout: Layout,
    title: String,
    key: String,
    version: String,
    publisher: String,
    licence: String,
    source_url: Option<String>,
    nodes: Vec<NodeLine>,
    /// Key, title, how many outcomes have a minimum.
    profiles: Vec<(String, String, usize)>,
    can_edit: bool,
}

async fn show(
    State(state): State<AppState>,
    signed_in: SignedIn,
    Path((key, version)): Path<(String, String)>,
) -> Result<Response, PageError> {
    let text = state.core.export_framework(&key, &version).await?;
    let f = hygeia_domain::assessments::library_format::parse(&text)
        .map_err(|e| PageError(CoreError::Internal(format!("stored framework unreadable: {e}"))))?;
    let mut depths: std::collections::HashMap<String, usize> = std::collections::HashMap::new();
    let nodes = f
        .nodes
        .iter()
        .map(|n| {
            let depth = n.parent.as_ref().and_then(|p| depths.get(p)).map_or(0, |d| d + 1);
            depths.insert(n.ref_id.clone(), depth);
            NodeLine {
                ref_id: n.ref_id.clone(),
                title: n.title.clone(),
                summary: n.summary.clone(),
                depth: depth.min(5),
                answerable: n.assessable(),
            }
        })
        .collect();
    Ok(ok(&FrameworkPage {
        layout: Layout::signed_in(&f.title, &signed_in.actor.user, &signed_in.session, Section::Account),
        title: f.title,
        key: f.key,
        version: f.version,
        publisher: f.publisher,
        licence: f.licence,
        source_url: f.source_url,
        profiles: f
            .profiles
            .iter()
            .map(|p| {
                (
                    p.key.clone(),
                    p.title.clone(),
                    p.minima.values().filter(|m| m.is_some()).count(),
                )
            })
            .collect(),
        can_edit: signed_in.actor.user.is_platform_admin && !signed_in.actor.read_only(),
        nodes,
    }))
}

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
async fn edit_profile(
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

async fn save_profile(
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
