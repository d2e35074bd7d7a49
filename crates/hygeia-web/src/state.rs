//! What every handler can reach.

use crate::metrics::Metrics;
use hygeia_core::Hygeia;
use std::sync::Arc;
use std::time::Duration;

/// HTTP settings, validated once at start.
#[derive(Debug, Clone)]
pub struct WebConfig {
    /// Mark cookies `Secure` (and use the `__Host-` prefix) and send HSTS: set when Hygeia is
    /// served over TLS, directly or behind a proxy.
    pub secure: bool,
    /// Largest request body accepted, in bytes.
    pub max_body_bytes: usize,
    /// How long a request may take before it is answered 503.
    pub request_timeout: Duration,
    /// Take the client address from `X-Forwarded-For` (only behind a trusted proxy).
    pub trust_forwarded_for: bool,
    /// The address people reach Hygeia at (`https://hygeia.example.nhs.uk`), for links it
    /// hands out such as invitations. Without it, links use the request's Host header.
    pub public_url: Option<String>,
}

impl Default for WebConfig {
    fn default() -> Self {
        Self {
            secure: false,
            max_body_bytes: 1024 * 1024,
            request_timeout: Duration::from_secs(30),
            trust_forwarded_for: false,
            public_url: None,
        }
    }
}

#[derive(Clone)]
pub struct AppState {
    pub core: Arc<Hygeia>,
    pub web: Arc<WebConfig>,
    pub metrics: Arc<Metrics>,
}

impl AppState {
    pub fn new(core: Arc<Hygeia>, web: WebConfig) -> Self {
        Self {
            core,
            web: Arc::new(web),
            metrics: Arc::new(Metrics::default()),
        }
    }

    /// The session cookie's name: `__Host-` binds it to this host and HTTPS when we are secure.
    pub fn session_cookie(&self) -> &'static str {
        if self.web.secure {
            "__Host-hygeia_session"
        } else {
            "hygeia_session"
        }
    }

    pub fn session_cookie_header(&self, token: &str, max_age_secs: i64) -> String {
        let secure = if self.web.secure { "; Secure" } else { "" };
        format!(
            "{}={token}; Path=/; HttpOnly; SameSite=Lax; Max-Age={max_age_secs}{secure}",
            self.session_cookie()
        )
    }

    pub fn clear_session_cookie_header(&self) -> String {
        self.session_cookie_header("", 0)
    }
}
