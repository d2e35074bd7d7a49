//! A regulator's reporting thresholds over the API: the ones in force in its remit, and
//! setting them.

use crate::error::ApiError;
use crate::extract::{ApiBody, ApiCaller, api_id};
use crate::state::AppState;
use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use hygeia_domain::ids::OrgId;

/// The reporting thresholds in force in a regulator's remit.
#[derive(serde::Serialize, serde::Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ThresholdsDto {
    /// UK NIS significance: users affected, at least (null for no threshold).
    pub users_affected_at_least: Option<u64>,
    pub disruption_minutes_at_least: Option<u64>,
    pub regions_affected_at_least: Option<u32>,
    /// UK GDPR breach grid: per recipient, the likelihood and harm codes to reach.
    pub grid: Vec<GridThresholdDto>,
}

#[derive(serde::Serialize, serde::Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct GridThresholdDto {
    pub recipient: String,
    /// not_occurred, not_likely, likely, highly_likely, occurred.
    pub likelihood_at_least: String,
    /// no_adverse_effect, minor, adverse, serious, catastrophic.
    pub harm_at_least: String,
}

/// A regulator's reporting thresholds.
#[utoipa::path(get, path = "/orgs/{org_id}/thresholds", tag = "notifications", params(("org_id" = String, Path)),
    responses((status = 200, body = ThresholdsDto), (status = 403, body = crate::error::Problem), (status = 404, body = crate::error::Problem)))]
pub async fn get_thresholds(
    State(state): State<AppState>,
    ApiCaller(actor): ApiCaller,
    Path(org_id): Path<String>,
) -> Result<Json<ThresholdsDto>, ApiError> {
    let scope = state.core.scope(&actor, api_id::<OrgId>(&org_id)?).await?;
    let v = state.core.thresholds(&scope).await?;
    Ok(Json(ThresholdsDto {
        users_affected_at_least: v.significance.users_affected_at_least,
        disruption_minutes_at_least: v.significance.disruption_minutes_at_least,
        regions_affected_at_least: v.significance.regions_affected_at_least,
        grid: v
            .grid
            .into_iter()
            .map(|(recipient, t)| GridThresholdDto {
                recipient,
                likelihood_at_least: t.likelihood_at_least.code().into(),
                harm_at_least: t.harm_at_least.code().into(),
            })
            .collect(),
    }))
}

/// Sets a regulator's reporting thresholds (inspectors). Decisions from then on, across the
/// remit, are made under them.
#[utoipa::path(put, path = "/orgs/{org_id}/thresholds", tag = "notifications", params(("org_id" = String, Path)), request_body = ThresholdsDto,
    responses((status = 204), (status = 403, body = crate::error::Problem), (status = 404, body = crate::error::Problem), (status = 422, body = crate::error::Problem)))]
pub async fn put_thresholds(
    State(state): State<AppState>,
    ApiCaller(actor): ApiCaller,
    Path(org_id): Path<String>,
    body: ApiBody,
) -> Result<StatusCode, ApiError> {
    let scope = state.core.scope(&actor, api_id::<OrgId>(&org_id)?).await?;
    let body: ThresholdsDto = body.parse()?;
    let text = |n: Option<u64>| n.map(|n| n.to_string()).unwrap_or_default();
    let input = hygeia_core::ThresholdsInput {
        users_affected_at_least: text(body.users_affected_at_least),
        disruption_minutes_at_least: text(body.disruption_minutes_at_least),
        regions_affected_at_least: text(body.regions_affected_at_least.map(u64::from)),
        grid: body
            .grid
            .into_iter()
            .map(|g| (g.recipient, g.likelihood_at_least, g.harm_at_least))
            .collect(),
    };
    match state.core.save_thresholds(&scope, input).await {
        Ok(()) => Ok(StatusCode::NO_CONTENT),
        // The form's field names, as pointers into this body.
        Err(hygeia_core::CoreError::Validation(errors)) => Err(hygeia_core::CoreError::Validation(
            errors
                .into_iter()
                .map(|mut e| {
                    for (prefix, member) in [
                        ("grid_likelihood_", "likelihood_at_least"),
                        ("grid_harm_", "harm_at_least"),
                        ("grid_recipient_", "recipient"),
                    ] {
                        if let Some(i) = e.field.strip_prefix(prefix) {
                            e.field = format!("grid.{i}.{member}");
                        }
                    }
                    e
                })
                .collect(),
        )
        .into()),
        Err(e) => Err(e.into()),
    }
}
