//! Serving the embedded front-end files.

use crate::state::AppState;
use axum::Router;
use axum::extract::Path;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use sha2::{Digest, Sha256};
use std::sync::OnceLock;

mod embedded {
    include!(concat!(env!("OUT_DIR"), "/assets/files.rs"));
}

pub fn router() -> Router<AppState> {
    Router::new().route("/assets/{*path}", get(asset))
}

fn content_type(path: &str) -> &'static str {
    match path.rsplit('.').next() {
        Some("css") => "text/css; charset=utf-8",
        Some("js") => "text/javascript; charset=utf-8",
        Some("svg") => "image/svg+xml",
        Some("ico") => "image/x-icon",
        _ => "application/octet-stream",
    }
}

/// ETags computed once: files never change while the binary runs.
fn etags() -> &'static Vec<String> {
    static TAGS: OnceLock<Vec<String>> = OnceLock::new();
    TAGS.get_or_init(|| {
        embedded::FILES
            .iter()
            .map(|(_, bytes)| format!("\"{}\"", hygeia_domain::audit::hex(&Sha256::digest(bytes)[..8])))
            .collect()
    })
}

async fn asset(Path(path): Path<String>, headers: HeaderMap) -> Response {
    let Some(i) = embedded::FILES.iter().position(|(name, _)| *name == path) else {
        return StatusCode::NOT_FOUND.into_response();
    };
    let etag = &etags()[i];
    if headers.get(header::IF_NONE_MATCH).and_then(|v| v.to_str().ok()) == Some(etag.as_str()) {
        return StatusCode::NOT_MODIFIED.into_response();
    }
    let mut response = embedded::FILES[i].1.into_response();
    let h = response.headers_mut();
    h.insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type(&path)));
    h.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("public, max-age=3600, must-revalidate"),
    );
    if let Ok(v) = HeaderValue::from_str(etag) {
        h.insert(header::ETAG, v);
    }
    response
}
