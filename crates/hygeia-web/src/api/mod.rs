//! The JSON API under `/api/v1`, authenticated with bearer tokens. Routes are registered and
//! documented in one place (utoipa-axum), so `/api/v1/openapi.json` always matches the code.

mod alerts;
mod assessments;
mod assets;
mod audit;
mod dto;
mod evidence;
mod frameworks;
pub(crate) use assets::mapping as assets_mapping;
mod governance;
mod incident_dto;
mod incidents;
mod me;
mod members;
mod notifications;
mod orgs;
mod thresholds;
mod tokens;
mod webhook;

use crate::state::AppState;
use axum::Router;
use axum::http::header;
use axum::response::IntoResponse;
use axum::routing::get;
use std::sync::OnceLock;
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::{Modify, OpenApi};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

#[derive(OpenApi)]
#[openapi(
    info(title = "Hygeia API", description = "Cyber hygiene and resilience for health and care. Authenticate with `Authorization: Bearer <token>`; tokens are created under Your account → API tokens. Errors are RFC 9457 problem details with a stable `code`."),
    servers((url = "/api/v1")),
    modifiers(&BearerAuth),
    security(("bearer" = [])),
    components(schemas(crate::error::Problem, crate::error::ProblemField))
)]
struct ApiDoc;

struct BearerAuth;

impl Modify for BearerAuth {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        if let Some(components) = openapi.components.as_mut() {
            components.add_security_scheme(
                "bearer",
                SecurityScheme::Http(HttpBuilder::new().scheme(HttpAuthScheme::Bearer).build()),
            );
        }
    }
}

fn api() -> OpenApiRouter<AppState> {
    OpenApiRouter::with_openapi(ApiDoc::openapi())
        .routes(routes!(me::me))
        .routes(routes!(orgs::list_my_orgs, orgs::create_org))
        .routes(routes!(orgs::get_org, orgs::update_org))
        .routes(routes!(orgs::remit))
        .routes(routes!(members::list_members))
        .routes(routes!(members::update_member, members::remove_member))
        .routes(routes!(members::list_invitations, members::create_invitation))
        .routes(routes!(members::revoke_invitation))
        .routes(routes!(audit::audit_log))
        .routes(routes!(incidents::list_incidents, incidents::report_incident))
        .routes(routes!(incidents::get_incident, incidents::update_incident))
        .routes(routes!(incidents::set_status))
        .routes(routes!(incidents::add_note))
        .routes(routes!(incidents::assess))
        .routes(routes!(incidents::deadlines))
        .routes(routes!(incidents::response_plan))
        .routes(routes!(incidents::response_plan_pdf))
        .routes(routes!(incidents::add_task))
        .routes(routes!(incidents::set_task_done))
        .routes(routes!(thresholds::get_thresholds, thresholds::put_thresholds))
        .routes(routes!(incidents::overdue_and_late))
        .routes(routes!(notifications::submit, notifications::list_for_incident))
        .routes(routes!(notifications::export_sent))
        .routes(routes!(notifications::sent_pdf))
        .routes(routes!(notifications::received_pdf))
        .routes(routes!(notifications::inbox))
        .routes(routes!(notifications::export_received))
        .routes(routes!(notifications::review))
        .routes(routes!(notifications::request_report, notifications::list_requests))
        .routes(routes!(evidence::list_evidence, evidence::add_evidence))
        .routes(routes!(evidence::get_evidence, evidence::update_evidence))
        .routes(routes!(evidence::add_version))
        .routes(routes!(evidence::download))
        .routes(routes!(evidence::link))
        .routes(routes!(evidence::unlink))
        .routes(routes!(evidence::incident_evidence))
        .routes(routes!(frameworks::list_frameworks, frameworks::import_framework))
        .routes(routes!(frameworks::export_framework))
        .routes(routes!(frameworks::list_mappings, frameworks::import_mapping))
        .routes(routes!(frameworks::save_profile))
        .routes(routes!(assessments::plan_gaps))
        .routes(routes!(assessments::list_comments, assessments::add_comment))
        .routes(routes!(assessments::item_offers))
        .routes(routes!(governance::list_actions, governance::add_action))
        .routes(routes!(governance::get_action, governance::update_action))
        .routes(routes!(governance::list_risks, governance::add_risk))
        .routes(routes!(governance::get_risk, governance::update_risk))
        .routes(routes!(governance::link_risk))
        .routes(routes!(governance::unlink_risk))
        .routes(routes!(governance::incident_governance))
        .routes(routes!(assessments::list_assessments, assessments::start_assessment))
        .routes(routes!(assessments::get_assessment))
        .routes(routes!(assessments::list_answers, assessments::save_answers))
        .routes(routes!(assessments::publish))
        .routes(routes!(assessments::snapshot))
        .routes(routes!(assessments::oscal_results))
        .routes(routes!(assessments::remit_assessments))
        .routes(routes!(assessments::review))
        .routes(routes!(
            webhook::get_webhook,
            webhook::put_webhook,
            webhook::delete_webhook
        ))
        .routes(routes!(assets::list_assets, assets::save_asset))
        .routes(routes!(assets::import_assets))
        .routes(routes!(assets::export_assets))
        .routes(routes!(assets::get_asset, assets::delete_asset))
        .routes(routes!(assets::unsupported))
        .routes(routes!(assets::treat))
        .routes(routes!(assets::census))
        .routes(routes!(assets::import_lifecycle))
        .routes(routes!(alerts::alert_record))
        .routes(routes!(alerts::get_response))
        .routes(routes!(alerts::respond))
        .routes(routes!(alerts::respond_for_members))
        .routes(routes!(alerts::delegate))
        .routes(routes!(alerts::list_alerts, alerts::create_alert))
        .routes(routes!(alerts::import_alerts))
        .routes(routes!(alerts::update_alert))
        .routes(routes!(alerts::publish))
        .routes(routes!(alerts::withdraw))
        .routes(routes!(alerts::exposure))
        .routes(routes!(alerts::exposure_detail))
        .routes(routes!(alerts::member_record))
        .routes(routes!(alerts::kev))
        .routes(routes!(alerts::kev_mapping))
        .routes(routes!(alerts::kev_exposure))
        .routes(routes!(alerts::kev_alert))
        .routes(routes!(tokens::list_tokens))
        .routes(routes!(tokens::revoke_token))
}

/// The OpenAPI 3.1 document, generated from the route definitions.
pub fn openapi_document() -> String {
    static DOC: OnceLock<String> = OnceLock::new();
    DOC.get_or_init(|| {
        let (_, doc) = api().split_for_parts();
        doc.to_pretty_json().unwrap_or_default()
    })
    .clone()
}

pub fn router() -> Router<AppState> {
    let (router, _) = api().split_for_parts();
    router.route("/openapi.json", get(openapi_json))
}

async fn openapi_json() -> impl IntoResponse {
    ([(header::CONTENT_TYPE, "application/json")], openapi_document())
}
