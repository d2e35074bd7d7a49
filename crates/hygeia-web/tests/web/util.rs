//! A test client for the router.

use axum::Router;
use axum::body::Body;
use axum::http::{HeaderMap, Method, Request, StatusCode, header};
use http_body_util::BodyExt;
use hygeia_core::{Actor, Credential, NewToken};
use hygeia_domain::totp;
use hygeia_testkit::{Backend, TestApp};
use hygeia_web::{AppState, WebConfig};
use tower::ServiceExt;

pub const PASSWORD: &str = hygeia_core::demo::DEMO_PASSWORD;

pub struct Web {
    pub t: TestApp,
    pub state: AppState,
    pub router: Router,
}

pub struct Reply {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub body: String,
}

impl Reply {
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_str(&self.body).unwrap_or_else(|e| panic!("not JSON ({e}): {}", self.body))
    }

    pub fn header(&self, name: &str) -> &str {
        self.headers.get(name).and_then(|v| v.to_str().ok()).unwrap_or_default()
    }

    /// The session cookie set by this reply, as `name=value`.
    pub fn session_cookie(&self) -> String {
        let set = self.header("set-cookie");
        set.split(';').next().unwrap_or_default().to_owned()
    }

    /// The CSRF token in the page's forms.
    pub fn csrf(&self) -> String {
        let marker = "name=\"csrf\" value=\"";
        let start = self
            .body
            .find(marker)
            .map(|i| i + marker.len())
            .expect("a form with a CSRF token");
        self.body[start..].split('"').next().unwrap_or_default().to_owned()
    }
}

impl Web {
    pub async fn new(backend: Backend) -> Option<Self> {
        Self::with_config(backend, hygeia_testkit::test_config()).await
    }

    pub async fn with_config(backend: Backend, config: hygeia_core::CoreConfig) -> Option<Self> {
        let t = TestApp::with_demo_config(backend, config).await?;
        let state = AppState::new(
            t.app.clone(),
            WebConfig {
                max_body_bytes: 64 * 1024,
                ..WebConfig::default()
            },
        );
        let router = hygeia_web::router(state.clone());
        Some(Web { t, state, router })
    }

    pub async fn send(&self, req: Request<Body>) -> Reply {
        let response = self.router.clone().oneshot(req).await.expect("infallible");
        let status = response.status();
        let headers = response.headers().clone();
        let bytes = response.into_body().collect().await.expect("body").to_bytes();
        Reply {
            status,
            headers,
            body: String::from_utf8_lossy(&bytes).into_owned(),
        }
    }

    pub async fn get(&self, path: &str, cookie: Option<&str>) -> Reply {
        let mut req = Request::get(path).header(header::HOST, "hygeia.test");
        if let Some(c) = cookie {
            req = req.header(header::COOKIE, c);
        }
        self.send(req.body(Body::empty()).expect("request")).await
    }

    pub async fn post_form(&self, path: &str, cookie: Option<&str>, pairs: &[(&str, &str)]) -> Reply {
        let body = serde_urlencoded::to_string(pairs).expect("form");
        let mut req = Request::post(path)
            .header(header::HOST, "hygeia.test")
            .header(header::ORIGIN, "http://hygeia.test")
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded");
        if let Some(c) = cookie {
            req = req.header(header::COOKIE, c);
        }
        self.send(req.body(Body::from(body)).expect("request")).await
    }

    pub async fn api(&self, method: Method, path: &str, token: Option<&str>, body: Option<serde_json::Value>) -> Reply {
        let mut req = Request::builder()
            .method(method)
            .uri(format!("/api/v1{path}"))
            .header(header::HOST, "hygeia.test");
        if let Some(t) = token {
            req = req.header(header::AUTHORIZATION, format!("Bearer {t}"));
        }
        let body = match body {
            Some(json) => {
                req = req.header(header::CONTENT_TYPE, "application/json");
                Body::from(json.to_string())
            }
            None => Body::empty(),
        };
        self.send(req.body(body).expect("request")).await
    }

    /// A `multipart/form-data` post: to a page with a session cookie, or to the API (a path
    /// under `/api/v1`) with a bearer token.
    pub async fn multipart(
        &self,
        path: &str,
        credential: Option<&str>,
        fields: &[(&str, &str)],
        file: Option<(&str, &str, &[u8])>,
    ) -> Reply {
        const BOUNDARY: &str = "hygeia-test-boundary-5d1c";
        let mut body = Vec::new();
        for (name, value) in fields {
            body.extend(
                format!("--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n{value}\r\n")
                    .as_bytes(),
            );
        }
        if let Some((field, file_name, bytes)) = file {
            body.extend(format!("--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"{field}\"; filename=\"{file_name}\"\r\nContent-Type: application/pdf\r\n\r\n").as_bytes());
            body.extend_from_slice(bytes);
            body.extend(b"\r\n");
        }
        body.extend(format!("--{BOUNDARY}--\r\n").as_bytes());
        let api = path.starts_with("/api/");
        let mut req = Request::post(path).header(header::HOST, "hygeia.test").header(
            header::CONTENT_TYPE,
            format!("multipart/form-data; boundary={BOUNDARY}"),
        );
        match (credential, api) {
            (Some(token), true) => req = req.header(header::AUTHORIZATION, format!("Bearer {token}")),
            (Some(cookie), false) => {
                req = req
                    .header(header::COOKIE, cookie)
                    .header(header::ORIGIN, "http://hygeia.test")
            }
            (None, _) => {}
        }
        self.send(req.body(Body::from(body)).expect("request")).await
    }

    /// Turns on MFA for an account so that every role can be used, returning its secret.
    pub async fn enable_mfa(&self, email: &str) -> Vec<u8> {
        let user = self.t.app.user_by_email(email).await.expect("user");
        let actor = Actor {
            user,
            credential: Credential::Cli,
        };
        let setup = self.t.app.start_mfa_setup(&actor).await.expect("start");
        let secret = data_encoding::BASE32_NOPAD
            .decode(setup.secret_base32.as_bytes())
            .expect("base32");
        let code = totp::code_at(&secret, self.now_s());
        self.t.app.confirm_mfa_setup(&actor, &code).await.expect("confirm");
        secret
    }

    pub fn now_s(&self) -> i64 {
        use hygeia_core::clock::Clock;
        self.t.clock.now_ms() / 1000
    }

    /// A read-write API token for an account.
    pub async fn token(&self, email: &str) -> String {
        let user = self.t.app.user_by_email(email).await.expect("user");
        let actor = self.t.app.cli_actor(user);
        self.t
            .app
            .create_token(
                &actor,
                NewToken {
                    name: "test".into(),
                    ..NewToken::default()
                },
            )
            .await
            .expect("token")
            .secret
    }

    /// A read-only API token for an account.
    pub async fn read_token(&self, email: &str) -> String {
        let user = self.t.app.user_by_email(email).await.expect("user");
        let actor = self.t.app.cli_actor(user);
        let input = NewToken {
            name: "test".into(),
            read_only: true,
            ..NewToken::default()
        };
        self.t.app.create_token(&actor, input).await.expect("token").secret
    }

    /// Signs in through the pages (password, then the code where MFA is on): the cookie.
    pub async fn sign_in(&self, email: &str, secret: Option<&[u8]>) -> String {
        let reply = self
            .post_form("/sign-in", None, &[("email", email), ("password", PASSWORD)])
            .await;
        assert_eq!(reply.status, StatusCode::SEE_OTHER, "{}", reply.body);
        let cookie = reply.session_cookie();
        let Some(secret) = secret else { return cookie };
        assert_eq!(reply.header("location"), "/sign-in/mfa");
        let page = self.get("/sign-in/mfa", Some(&cookie)).await;
        self.t.clock.advance_ms(30_000);
        let code = totp::code_at(secret, self.now_s());
        let done = self
            .post_form(
                "/sign-in/mfa",
                Some(&cookie),
                &[("csrf", &page.csrf()), ("code", &code)],
            )
            .await;
        assert_eq!(done.status, StatusCode::SEE_OTHER, "{}", done.body);
        done.session_cookie()
    }
}
