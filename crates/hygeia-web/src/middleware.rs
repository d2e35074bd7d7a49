//! What every request passes through: request ids, panic catching, security headers,
//! cross-site form protection, body and time limits, metrics, logging.

use crate::error::problem_response;
use crate::html::render_error_page;
use crate::state::AppState;
use axum::Router;
use axum::extract::{MatchedPath, Request, State};
use axum::http::{HeaderMap, HeaderName, HeaderValue, Method, StatusCode, header};
use axum::middleware::{Next, from_fn, from_fn_with_state};
use axum::response::Response;
use futures_util::FutureExt;
use std::panic::AssertUnwindSafe;
use std::time::Instant;
use tower_http::limit::RequestBodyLimitLayer;
use tower_http::request_id::{MakeRequestUuid, PropagateRequestIdLayer, SetRequestIdLayer};
use tower_http::timeout::TimeoutLayer;
use tower_http::trace::TraceLayer;

static REQUEST_ID: HeaderName = HeaderName::from_static("x-request-id");

/// No inline script or style anywhere, nothing from other origins, no framing.
const CSP: &str = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; \
                   font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'none'; \
                   form-action 'self'; frame-ancestors 'none'";

pub fn wrap(app: Router<AppState>, state: AppState) -> Router {
    // The outer ceiling lets an evidence file through; every other body is read with
    // `max_body_bytes` by its extractor, and an upload is held to its own limit as it arrives.
    let upload_ceiling = usize::try_from(state.core.max_evidence_bytes()).unwrap_or(usize::MAX);
    let limit = state.web.max_body_bytes.max(upload_ceiling.saturating_add(256 * 1024));
    let timeout = state.web.request_timeout;
    app.layer(from_fn_with_state(state.clone(), record_metrics))
        .layer(from_fn(catch_panics))
        .layer(from_fn_with_state(state.clone(), same_origin_forms))
        .layer(from_fn_with_state(state.clone(), security_headers))
        .layer(RequestBodyLimitLayer::new(limit))
        // Bodies are bounded by the layer above and by each extractor's own limit.
        .layer(axum::extract::DefaultBodyLimit::disable())
        .layer(TimeoutLayer::with_status_code(StatusCode::SERVICE_UNAVAILABLE, timeout))
        .layer(TraceLayer::new_for_http().make_span_with(|req: &Request| {
            let id = req
                .headers()
                .get(&REQUEST_ID)
                .and_then(|v| v.to_str().ok())
                .unwrap_or("-");
            // The route template, never the raw path: paths can hold secrets (invitation
            // links) and the query string is not logged at all.
            let route = req
                .extensions()
                .get::<MatchedPath>()
                .map_or("(unmatched)", MatchedPath::as_str);
            tracing::info_span!("request", request_id = %id, method = %req.method(), route = %route)
        }))
        .layer(PropagateRequestIdLayer::new(REQUEST_ID.clone()))
        .layer(SetRequestIdLayer::new(REQUEST_ID.clone(), MakeRequestUuid))
        .with_state(state)
}

async fn record_metrics(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let started = Instant::now();
    let method = req.method().to_string();
    let route = req
        .extensions()
        .get::<MatchedPath>()
        .map_or_else(|| "(unmatched)".to_owned(), |m| m.as_str().to_owned());
    let response = next.run(req).await;
    state.metrics.record(
        &method,
        &route,
        response.status().as_u16(),
        started.elapsed().as_secs_f64(),
    );
    response
}

/// A panic in a handler answers 500 with the request id to quote, and is logged; the server
/// carries on.
async fn catch_panics(req: Request, next: Next) -> Response {
    let id = req
        .headers()
        .get(&REQUEST_ID)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("-")
        .to_owned();
    let api = req.uri().path().starts_with("/api/");
    match AssertUnwindSafe(next.run(req)).catch_unwind().await {
        Ok(response) => response,
        Err(panic) => {
            let message = panic
                .downcast_ref::<&str>()
                .map(|s| (*s).to_owned())
                .or_else(|| panic.downcast_ref::<String>().cloned())
                .unwrap_or_else(|| "unknown panic".into());
            tracing::error!(request_id = %id, panic = %message, "handler panicked");
            let detail = format!("Something went wrong on our side. Quote this reference if you report it: {id}");
            if api {
                problem_response(
                    StatusCode::INTERNAL_SERVER_ERROR,
                    "internal",
                    "Something went wrong",
                    detail,
                    &[],
                )
            } else {
                render_error_page(StatusCode::INTERNAL_SERVER_ERROR, "Something went wrong", &detail)
            }
        }
    }
}

fn origin_of_host(headers: &HeaderMap, secure: bool) -> Option<String> {
    let host = headers.get(header::HOST)?.to_str().ok()?;
    Some(format!("{}://{host}", if secure { "https" } else { "http" }))
}

/// Refuses state-changing browser requests that come from another site (CSRF defence in
/// depth, beside the per-session form token). The API authenticates with bearer tokens,
/// which browsers never attach on their own, so it is not checked.
async fn same_origin_forms(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let unsafe_method = !matches!(*req.method(), Method::GET | Method::HEAD | Method::OPTIONS);
    if unsafe_method && !req.uri().path().starts_with("/api/") {
        let expected = origin_of_host(req.headers(), state.web.secure);
        let origin = req
            .headers()
            .get(header::ORIGIN)
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned)
            .or_else(|| {
                req.headers()
                    .get(header::REFERER)
                    .and_then(|v| v.to_str().ok())
                    .map(|r| {
                        let after_scheme = r.find("://").map_or(0, |i| i + 3);
                        let end = r[after_scheme..].find('/').map_or(r.len(), |i| after_scheme + i);
                        r[..end].to_owned()
                    })
            });
        if let (Some(origin), Some(expected)) = (origin, expected) {
            if origin != expected && origin != "null" {
                tracing::warn!(origin = %origin, "cross-site form refused");
                return render_error_page(
                    StatusCode::FORBIDDEN,
                    "Not allowed",
                    "This form was sent from another site.",
                );
            }
            if origin == "null" {
                return render_error_page(
                    StatusCode::FORBIDDEN,
                    "Not allowed",
                    "This form was sent from an opaque origin.",
                );
            }
        }
    }
    next.run(req).await
}

async fn security_headers(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let is_asset = req.uri().path().starts_with("/assets/");
    let mut response = next.run(req).await;
    let h = response.headers_mut();
    // A handler's own, stricter policy stands (file downloads are sandboxed).
    if !h.contains_key(header::CONTENT_SECURITY_POLICY) {
        h.insert(header::CONTENT_SECURITY_POLICY, HeaderValue::from_static(CSP));
    }
    h.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    h.insert(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    h.insert(header::REFERRER_POLICY, HeaderValue::from_static("same-origin"));
    h.insert(
        HeaderName::from_static("cross-origin-opener-policy"),
        HeaderValue::from_static("same-origin"),
    );
    h.insert(
        HeaderName::from_static("permissions-policy"),
        HeaderValue::from_static("camera=(), microphone=(), geolocation=(), payment=()"),
    );
    if state.web.secure {
        h.insert(
            header::STRICT_TRANSPORT_SECURITY,
            HeaderValue::from_static("max-age=63072000; includeSubDomains"),
        );
    }
    // Pages and API answers may hold organisation data: never keep them in shared caches.
    if !is_asset && !h.contains_key(header::CACHE_CONTROL) {
        h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    }
    response
}
