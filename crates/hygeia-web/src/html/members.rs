//! Members of an organisation: the list, invitations, role changes, removal.

use super::{Errors, Layout, Section, page, parse_id, role_choices, when};
use crate::error::PageError;
use crate::extract::{CsrfForm, SignedIn};
use crate::state::AppState;
use askama::Template;
use axum::Router;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use hygeia_core::{Actor, CoreError, NewInvitation, Scope};
use hygeia_domain::ids::{InvitationId, OrgId, UserId};
use hygeia_domain::page::PageRequest;
use hygeia_domain::permissions::Permission;
use hygeia_store::model::{Invitation, Member};
use serde::Deserialize;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/orgs/{org_id}/members", get(list))
        .route("/orgs/{org_id}/invitations", post(invite))
        .route("/orgs/{org_id}/invitations/{invitation_id}/revoke", post(revoke))
        .route("/orgs/{org_id}/members/{user_id}/role", post(change_role))
        .route("/orgs/{org_id}/members/{user_id}/remove", post(remove))
}

#[derive(Template)]
#[template(path = "orgs/members.html")]
struct MembersPage {
    layout: Layout,
    errors: Errors,
    org_id: OrgId,
    members: Vec<(Member, String)>,
    total: u64,
    invitations: Vec<(Invitation, String)>,
    can_manage: bool,
    roles: Vec<(&'static str, &'static str)>,
    invite_email: String,
    invite_role: String,
    new_link: Option<String>,
}

#[derive(Deserialize, Default)]
struct Notice {
    done: Option<String>,
}

fn notice_text(code: Option<&str>) -> Option<&'static str> {
    match code? {
        "role" => Some("The role was changed."),
        "removed" => Some("The member was removed."),
        "revoked" => Some("The invitation was withdrawn."),
        _ => None,
    }
}

struct Extra {
    errors: Errors,
    invite_email: String,
    invite_role: String,
    new_link: Option<String>,
    notice: Option<&'static str>,
}

async fn render(
    state: &AppState,
    scope: &Scope,
    session: &hygeia_store::model::Session,
    extra: Extra,
    status: StatusCode,
) -> Result<Response, PageError> {
    let tz = scope.org.time_zone.clone();
    let members = state.core.members(scope, PageRequest::new(Some(200), None)).await?;
    let invitations = state.core.open_invitations(scope).await?;
    Ok(page(
        status,
        &MembersPage {
            layout: Layout::for_scope("Members", scope, session, Section::Members).with_notice(extra.notice),
            errors: extra.errors,
            org_id: scope.org.id,
            total: members.total,
            members: members
                .items
                .into_iter()
                .map(|m| {
                    let since = when(m.since, &tz);
                    (m, since)
                })
                .collect(),
            invitations: invitations
                .into_iter()
                .map(|i| {
                    let expires = when(i.expires_at, &tz);
                    (i, expires)
                })
                .collect(),
            can_manage: scope.allows(Permission::MembersManage),
            roles: role_choices(scope.org.org_type),
            invite_email: extra.invite_email,
            invite_role: if extra.invite_role.is_empty() {
                "contributor".into()
            } else {
                extra.invite_role
            },
            new_link: extra.new_link,
        },
    ))
}

async fn scope_of(state: &AppState, actor: &Actor, org_id: &str) -> Result<Scope, PageError> {
    Ok(state.core.scope(actor, parse_id::<OrgId>(org_id)?).await?)
}

async fn list(
    State(state): State<AppState>,
    signed_in: SignedIn,
    Path(org_id): Path<String>,
    Query(n): Query<Notice>,
) -> Result<Response, PageError> {
    let scope = scope_of(&state, &signed_in.actor, &org_id).await?;
    let extra = Extra {
        errors: Errors::default(),
        invite_email: String::new(),
        invite_role: String::new(),
        new_link: None,
        notice: notice_text(n.done.as_deref()),
    };
    render(&state, &scope, &signed_in.session, extra, StatusCode::OK).await
}

#[derive(Deserialize)]
struct InviteForm {
    #[serde(default)]
    email: String,
    #[serde(default)]
    role: String,
}

/// The address people reach this server at, for links to pass on: the configured public
/// address, or else the one this request came to.
fn base_url(state: &AppState, headers: &HeaderMap) -> String {
    if let Some(url) = &state.web.public_url {
        return url.trim_end_matches('/').to_owned();
    }
    let host = headers
        .get(header::HOST)
        .and_then(|h| h.to_str().ok())
        .unwrap_or("localhost");
    format!("{}://{host}", if state.web.secure { "https" } else { "http" })
}

async fn invite(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(org_id): Path<String>,
    form: CsrfForm<InviteForm>,
) -> Result<Response, PageError> {
    let scope = scope_of(&state, &form.actor, &org_id).await?;
    let input = NewInvitation {
        email: form.form.email.clone(),
        role: form.form.role.clone(),
    };
    match state.core.invite(&scope, input).await {
        Ok((invitation, token)) => {
            let link = format!("{}/invitations/{token}", base_url(&state, &headers));
            let extra = Extra {
                errors: Errors::default(),
                invite_email: String::new(),
                invite_role: String::new(),
                new_link: Some(link),
                notice: None,
            };
            tracing::info!(invitation = %invitation.id, "invitation created");
            render(&state, &scope, &form.session, extra, StatusCode::OK).await
        }
        Err(CoreError::Validation(errors)) => {
            let extra = Extra {
                errors: Errors::from(errors),
                invite_email: form.form.email,
                invite_role: form.form.role,
                new_link: None,
                notice: None,
            };
            render(&state, &scope, &form.session, extra, StatusCode::UNPROCESSABLE_ENTITY).await
        }
        Err(e) => Err(e.into()),
    }
}

#[derive(Deserialize)]
struct Empty {}

async fn revoke(
    State(state): State<AppState>,
    Path((org_id, invitation_id)): Path<(String, String)>,
    form: CsrfForm<Empty>,
) -> Result<Response, PageError> {
    let scope = scope_of(&state, &form.actor, &org_id).await?;
    state
        .core
        .revoke_invitation(&scope, parse_id::<InvitationId>(&invitation_id)?)
        .await?;
    Ok(Redirect::to(&format!("/orgs/{}/members?done=revoked", scope.org.id)).into_response())
}

#[derive(Deserialize)]
struct RoleForm {
    #[serde(default)]
    role: String,
}

async fn member_action_failed(
    state: &AppState,
    scope: &Scope,
    session: &hygeia_store::model::Session,
    e: CoreError,
) -> Result<Response, PageError> {
    match e {
        CoreError::Validation(errors) => {
            let extra = Extra {
                errors: Errors::from(errors),
                invite_email: String::new(),
                invite_role: String::new(),
                new_link: None,
                notice: None,
            };
            render(state, scope, session, extra, StatusCode::UNPROCESSABLE_ENTITY).await
        }
        CoreError::Conflict(why) => {
            let extra = Extra {
                errors: Errors::from(vec![hygeia_domain::FieldError::new("members", why)]),
                invite_email: String::new(),
                invite_role: String::new(),
                new_link: None,
                notice: None,
            };
            render(state, scope, session, extra, StatusCode::CONFLICT).await
        }
        e => Err(e.into()),
    }
}

async fn change_role(
    State(state): State<AppState>,
    Path((org_id, user_id)): Path<(String, String)>,
    form: CsrfForm<RoleForm>,
) -> Result<Response, PageError> {
    let scope = scope_of(&state, &form.actor, &org_id).await?;
    match state
        .core
        .change_role(&scope, parse_id::<UserId>(&user_id)?, &form.form.role)
        .await
    {
        Ok(()) => Ok(Redirect::to(&format!("/orgs/{}/members?done=role", scope.org.id)).into_response()),
        Err(e) => member_action_failed(&state, &scope, &form.session, e).await,
    }
}

async fn remove(
    State(state): State<AppState>,
    Path((org_id, user_id)): Path<(String, String)>,
    form: CsrfForm<Empty>,
) -> Result<Response, PageError> {
    let scope = scope_of(&state, &form.actor, &org_id).await?;
    match state.core.remove_member(&scope, parse_id::<UserId>(&user_id)?).await {
        Ok(()) => Ok(Redirect::to(&format!("/orgs/{}/members?done=removed", scope.org.id)).into_response()),
        Err(e) => member_action_failed(&state, &scope, &form.session, e).await,
    }
}
