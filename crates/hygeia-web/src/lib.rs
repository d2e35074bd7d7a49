//! Hygeia's HTTP face: server-rendered pages in the NHS.UK design system and the `/api/v1`
//! JSON API, over the use cases in `hygeia-core`. Handlers extract and authorise, call one
//! core function, and render; errors map to responses in `error` only.

// Extractor rejections are axum responses by design; boxing them buys nothing on this path.
#![allow(clippy::result_large_err)]

mod api;
mod assets;
mod documents;
mod error;
mod extract;
mod files;
mod html;
mod metrics;
mod middleware;
mod ops;
mod pdf;
mod state;

pub use api::openapi_document;
pub use metrics::Metrics;
pub use state::{AppState, WebConfig};

use axum::Router;

/// The whole application: pages, API, assets and operations endpoints, with the middleware
/// every request passes through.
pub fn router(state: AppState) -> Router {
    let app = Router::new()
        .merge(html::router())
        .nest("/api/v1", api::router())
        .merge(ops::router())
        .merge(assets::router())
        .fallback(html::not_found);
    middleware::wrap(app, state)
}

/// Wraps any routes in the middleware every Hygeia request passes through (request ids, panic
/// catching, security headers, limits). For tests of the middleware itself.
pub fn with_middleware(app: Router<AppState>, state: AppState) -> Router {
    middleware::wrap(app, state)
}
