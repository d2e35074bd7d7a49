//! Operations endpoints, headers, limits, errors, panics.

use crate::util::*;
use axum::Router;
use axum::body::Body;
use axum::http::{Request, StatusCode};
use axum::routing::get;
use hygeia_testkit::dual_test;
use tower::ServiceExt;

dual_test! {
    async fn health_ready_and_metrics(backend: Backend) {
        let Some(w) = Web::new(backend).await else { return };
        let health = w.get("/healthz", None).await;
        assert_eq!((health.status, health.body.as_str()), (StatusCode::OK, "ok\n"));
        assert_eq!(w.get("/readyz", None).await.status, StatusCode::OK);
        let metrics = w.get("/metrics", None).await;
        assert!(metrics.body.contains("hygeia_http_requests_total{method=\"GET\",route=\"/healthz\",status=\"200\"} 1"), "{}", metrics.body);
        assert!(metrics.body.contains("hygeia_http_request_duration_seconds_count"));
        // With the database gone, readiness says so and liveness does not care.
        w.t.app.store().close().await;
        let ready = w.get("/readyz", None).await;
        assert_eq!(ready.status, StatusCode::SERVICE_UNAVAILABLE);
        assert!(ready.body.contains("database"));
        assert_eq!(w.get("/healthz", None).await.status, StatusCode::OK);
    }
}

dual_test! {
    async fn security_headers_on_every_answer(backend: Backend) {
        let Some(w) = Web::new(backend).await else { return };
        for path in ["/sign-in", "/healthz", "/nowhere", "/api/v1/me", "/assets/hygeia.css"] {
            let r = w.get(path, None).await;
            let csp = r.header("content-security-policy");
            assert!(csp.contains("script-src 'self'") && !csp.contains("unsafe-inline"), "{path}: {csp}");
            assert!(csp.contains("frame-ancestors 'none'"));
            assert_eq!(r.header("x-frame-options"), "DENY", "{path}");
            assert_eq!(r.header("x-content-type-options"), "nosniff");
            assert!(!r.header("x-request-id").is_empty(), "{path} has a request id");
            assert!(r.header("strict-transport-security").is_empty(), "no HSTS without TLS");
        }
        assert_eq!(w.get("/orgs/x", None).await.header("cache-control"), "no-store");
    }
}

dual_test! {
    async fn unknown_pages_get_a_real_404_page_and_the_api_a_problem(backend: Backend) {
        let Some(w) = Web::new(backend).await else { return };
        let page = w.get("/no/such/page", None).await;
        assert_eq!(page.status, StatusCode::NOT_FOUND);
        assert!(page.body.contains("<h1>Page not found</h1>"));
        assert!(page.header("content-type").starts_with("text/html"));
        let api = w.get("/api/v1/no-such-thing", None).await;
        assert_eq!(api.status, StatusCode::NOT_FOUND);
        assert_eq!(api.header("content-type"), "application/problem+json");
        assert_eq!(api.json()["code"], "not_found");
    }
}

dual_test! {
    async fn oversized_bodies_are_refused_with_413(backend: Backend) {
        let Some(w) = Web::new(backend).await else { return };
        let big = "x".repeat(100 * 1024);
        let page = w.post_form("/sign-in", None, &[("email", &big), ("password", "p")]).await;
        assert_eq!(page.status, StatusCode::PAYLOAD_TOO_LARGE);
        let token = w.token("viewer@riverside.example").await;
        let api = w.api(axum::http::Method::POST, "/orgs", Some(&token), Some(serde_json::json!({"name": big}))).await;
        assert_eq!(api.status, StatusCode::PAYLOAD_TOO_LARGE);
    }
}

dual_test! {
    async fn a_panicking_handler_answers_500_with_its_request_id(backend: Backend) {
        let Some(w) = Web::new(backend).await else { return };
        #[allow(clippy::panic)]
        async fn boom() -> &'static str {
            panic!("deliberate test panic")
        }
        let app = hygeia_web::with_middleware(Router::new().route("/boom", get(boom)).route("/api/boom", get(boom)), w.state.clone());
        for path in ["/boom", "/api/boom"] {
            let response = app.clone().oneshot(Request::get(path).body(Body::empty()).unwrap()).await.unwrap();
            assert_eq!(response.status(), StatusCode::INTERNAL_SERVER_ERROR);
            let id = response.headers()["x-request-id"].to_str().unwrap().to_owned();
            let body = http_body_util::BodyExt::collect(response.into_body()).await.unwrap().to_bytes();
            let body = String::from_utf8_lossy(&body);
            assert!(body.contains(&id), "{path}: the reference is shown: {body}");
            assert!(!body.contains("deliberate"), "the panic message is not shown");
        }
    }
}
