//! One asset by hand: a form to add an asset or change one, for the device that is in no
//! register file (a new scanner, a medical device a supplier installed).

use super::super::{Errors, Layout, Section, page, parse_id};
use crate::error::PageError;
use crate::extract::{CsrfForm, SignedIn};
use crate::state::AppState;
use askama::Template;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use hygeia_core::assets::AssetView;
use hygeia_core::{CoreError, Scope};
use hygeia_domain::FieldError;
use hygeia_domain::assets::asset::{AssetInput, AssetKind, Criticality, SoftwareInput};
use hygeia_domain::ids::{AssetId, OrgId};
use hygeia_domain::permissions::Permission;
use hygeia_store::model::Session;

/// The form's values as text, as typed or as the asset has them.
#[derive(Default)]
pub(crate) struct Values {
    pub key: String,
    pub name: String,
    pub kind: String,
    pub criticality: String,
    pub hostname: String,
    pub addresses: String,
    pub owner: String,
    pub location: String,
    pub essential_services: String,
    pub internet_facing: bool,
    pub manufacturer: String,
    pub model: String,
    pub patchable: String,
    pub esu_enrolled: bool,
    pub os: String,
    pub os_version: String,
    /// One product a line: `name`, `name==version`, a CPE or a package URL.
    pub software: String,
}

impl Values {
    fn of(a: &AssetView) -> Values {
        let line = |identity: &str, version: &Option<String>| match version {
            Some(v) => format!("{identity}=={v}"),
            None => identity.to_owned(),
        };
        let os = a.software.iter().find(|s| s.is_os);
        Values {
            key: a.key.clone(),
            name: a.name.clone(),
            kind: a.kind.as_str().to_owned(),
            criticality: a.criticality.as_str().to_owned(),
            hostname: a.hostname.clone().unwrap_or_default(),
            addresses: a.addresses.join(", "),
            owner: a.owner.clone().unwrap_or_default(),
            location: a.location.clone().unwrap_or_default(),
            essential_services: a.essential_services.join(", "),
            internet_facing: a.internet_facing,
            manufacturer: a.manufacturer.clone().unwrap_or_default(),
            model: a.model.clone().unwrap_or_default(),
            patchable: match a.patchable {
                Some(true) => "yes",
                Some(false) => "no",
                None => "",
            }
            .to_owned(),
            esu_enrolled: a.esu_enrolled,
            os: os.map(|s| s.identity.clone()).unwrap_or_default(),
            os_version: os.and_then(|s| s.version.clone()).unwrap_or_default(),
            software: a
                .software
                .iter()
                .filter(|s| !s.is_os)
                .map(|s| line(&s.identity, &s.version))
                .collect::<Vec<_>>()
                .join("\n"),
        }
    }

    fn from_form(form: &[(String, String)]) -> Values {
        let v = |k: &str| super::super::val(form, k);
        Values {
            key: v("key"),
            name: v("name"),
            kind: v("kind"),
            criticality: v("criticality"),
            hostname: v("hostname"),
            addresses: v("addresses"),
            owner: v("owner"),
            location: v("location"),
            essential_services: v("essential_services"),
            internet_facing: !v("internet_facing").is_empty(),
            manufacturer: v("manufacturer"),
            model: v("model"),
            patchable: v("patchable"),
            esu_enrolled: !v("esu_enrolled").is_empty(),
            os: v("os"),
            os_version: v("os_version"),
            software: v("software"),
        }
    }

    /// The asset these values describe, or each field that cannot be read.
    fn input(&self) -> Result<AssetInput, Vec<FieldError>> {
        let mut errors = Vec::new();
        let kind = AssetKind::parse(&self.kind);
        if kind.is_none() {
            errors.push(FieldError::new("kind", "choose the kind of asset"));
        }
        let criticality = Criticality::parse(&self.criticality);
        if criticality.is_none() {
            errors.push(FieldError::new("criticality", "choose how critical it is"));
        }
        let patchable = match self.patchable.as_str() {
            "yes" => Some(true),
            "no" => Some(false),
            _ => None,
        };
        let (Some(kind), Some(criticality)) = (kind, criticality) else {
            return Err(errors);
        };
        let text = |s: &str| Some(s.trim().to_owned()).filter(|s| !s.is_empty());
        let split = |s: &str| -> Vec<String> {
            s.split([',', '\n'])
                .map(str::trim)
                .filter(|p| !p.is_empty())
                .map(str::to_owned)
                .collect()
        };
        Ok(AssetInput {
            key: self.key.trim().to_owned(),
            name: self.name.trim().to_owned(),
            kind,
            hostname: text(&self.hostname),
            addresses: split(&self.addresses),
            owner: text(&self.owner),
            location: text(&self.location),
            criticality,
            essential_services: split(&self.essential_services),
            internet_facing: self.internet_facing,
            manufacturer: text(&self.manufacturer),
            model: text(&self.model),
            patchable,
            esu_enrolled: self.esu_enrolled,
            os: text(&self.os).map(|os| SoftwareInput::new(&os, text(&self.os_version).as_deref())),
            software: self
                .software
                .lines()
                .map(str::trim)
                .filter(|l| !l.is_empty())
                .map(SoftwareInput::from_line)
                .collect(),
        })
    }
}

#[derive(Template)]
#[template(path = "orgs/asset_form.html")]
struct FormPage {
    layout: Layout,
    errors: Errors,
    org_id: OrgId,
    /// The asset being changed; none when adding.
    editing: Option<(String, String)>,
    values: Values,
    kinds: Vec<(&'static str, &'static str)>,
    criticalities: Vec<(&'static str, &'static str)>,
    patchable_options: Vec<(&'static str, &'static str)>,
}

fn render(
    scope: &Scope,
    session: &Session,
    status: StatusCode,
    errors: Vec<FieldError>,
    editing: Option<&AssetView>,
    values: Values,
) -> Result<Response, PageError> {
    scope.require(Permission::AssetsManage)?;
    let title = if editing.is_some() {
        "Change an asset"
    } else {
        "Add an asset"
    };
    Ok(page(
        status,
        &FormPage {
            layout: Layout::for_scope(title, scope, session, Section::Assets),
            errors: Errors::from(errors),
            org_id: scope.org.id,
            editing: editing.map(|a| (a.id.to_string(), a.source.clone())),
            values,
            kinds: AssetKind::ALL.iter().map(|k| (k.as_str(), k.label())).collect(),
            criticalities: vec![
                ("low", "Low"),
                ("medium", "Medium"),
                ("high", "High"),
                ("critical", "Critical"),
            ],
            patchable_options: vec![("yes", "Yes"), ("no", "No")],
        },
    ))
}

pub(super) async fn new(
    State(state): State<AppState>,
    signed_in: SignedIn,
    Path(org_id): Path<String>,
) -> Result<Response, PageError> {
    let scope = state.core.scope(&signed_in.actor, parse_id::<OrgId>(&org_id)?).await?;
    let values = Values {
        criticality: "medium".into(),
        ..Values::default()
    };
    render(&scope, &signed_in.session, StatusCode::OK, Vec::new(), None, values)
}

pub(super) async fn edit(
    State(state): State<AppState>,
    signed_in: SignedIn,
    Path((org_id, asset_id)): Path<(String, String)>,
) -> Result<Response, PageError> {
    let scope = state.core.scope(&signed_in.actor, parse_id::<OrgId>(&org_id)?).await?;
    let asset = state.core.asset(&scope, parse_id::<AssetId>(&asset_id)?).await?;
    render(
        &scope,
        &signed_in.session,
        StatusCode::OK,
        Vec::new(),
        Some(&asset),
        Values::of(&asset),
    )
}

/// Saves the form, adding or changing the asset with that key; back to the form with each
/// field's error otherwise.
pub(super) async fn save(
    State(state): State<AppState>,
    Path(org_id): Path<String>,
    form: CsrfForm<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let scope = state.core.scope(&form.actor, parse_id::<OrgId>(&org_id)?).await?;
    let values = Values::from_form(&form.form);
    let editing = match super::super::val(&form.form, "asset_id").as_str() {
        "" => None,
        id => Some(state.core.asset(&scope, parse_id::<AssetId>(id)?).await?),
    };
    let errors = match values.input() {
        Err(errors) => errors,
        Ok(input) => match state.core.save_asset(&scope, input).await {
            Ok(saved) => {
                return Ok(Redirect::to(&format!("/orgs/{}/assets/{}", scope.org.id, saved.id)).into_response());
            }
            // `software/2` is the third line of the software box: the box carries the message.
            Err(CoreError::Validation(errors)) => errors
                .into_iter()
                .map(|e| match e.field.split_once('/') {
                    Some((field, n)) => {
                        let line = n.parse::<usize>().map_or(0, |n| n + 1);
                        FieldError::new(field, format!("line {line}: {}", e.message))
                    }
                    None => e,
                })
                .collect(),
            Err(e) => return Err(e.into()),
        },
    };
    render(
        &scope,
        &form.session,
        StatusCode::UNPROCESSABLE_ENTITY,
        errors,
        editing.as_ref(),
        values,
    )
}
