//! One HTTP/1.1 POST, over TLS (rustls, with the Mozilla roots) or, to this machine only,
//! plain TCP: enough for webhook deliveries without a general HTTP client in the build.

use bytes::Bytes;
use http_body_util::{BodyExt, Full};
use hyper::Request;
use hyper_util::rt::TokioIo;
use std::sync::{Arc, OnceLock};
use std::time::Duration;
use tokio::net::TcpStream;
use tokio_rustls::TlsConnector;
use tokio_rustls::rustls::pki_types::ServerName;
use tokio_rustls::rustls::{ClientConfig, RootCertStore};
use url::Url;

fn tls() -> Result<TlsConnector, String> {
    static CONFIG: OnceLock<Result<Arc<ClientConfig>, String>> = OnceLock::new();
    let config = CONFIG.get_or_init(|| {
        let roots = RootCertStore {
            roots: webpki_roots::TLS_SERVER_ROOTS.to_vec(),
        };
        let provider = Arc::new(tokio_rustls::rustls::crypto::ring::default_provider());
        ClientConfig::builder_with_provider(provider)
            .with_safe_default_protocol_versions()
            .map(|b| Arc::new(b.with_root_certificates(roots).with_no_client_auth()))
            .map_err(|e| format!("TLS set-up: {e}"))
    });
    config.clone().map(TlsConnector::from)
}

/// Whether a URL may be called: `https`, or `http` to this machine (a local relay, tests).
pub fn allowed(url: &Url) -> bool {
    match url.scheme() {
        "https" => url.host_str().is_some(),
        "http" => matches!(url.host_str(), Some("localhost" | "127.0.0.1" | "[::1]")),
        _ => false,
    }
}

/// Posts `body` to `url` with `headers`; the response's status, or why there was none.
pub async fn post(url: &Url, headers: &[(&str, String)], body: Vec<u8>, timeout: Duration) -> Result<u16, String> {
    tokio::time::timeout(timeout, send(url, headers, body))
        .await
        .map_err(|_| format!("no answer within {} s", timeout.as_secs()))?
}

async fn send(url: &Url, headers: &[(&str, String)], body: Vec<u8>) -> Result<u16, String> {
    if !allowed(url) {
        return Err("only https addresses (or http to this machine) are called".into());
    }
    let host = url.host_str().ok_or("the address has no host")?.to_owned();
    let port = url.port_or_known_default().ok_or("the address has no port")?;
    let tcp = TcpStream::connect((host.trim_matches(['[', ']']), port))
        .await
        .map_err(|e| format!("cannot connect to {host}:{port}: {e}"))?;
    let mut path = url.path().to_owned();
    if let Some(q) = url.query() {
        path = format!("{path}?{q}");
    }
    let authority = match url.port() {
        Some(p) => format!("{host}:{p}"),
        None => host.clone(),
    };
    let mut request = Request::post(path).header(hyper::header::HOST, authority);
    for (name, value) in headers {
        request = request.header(*name, value.as_str());
    }
    let request = request
        .body(Full::new(Bytes::from(body)))
        .map_err(|e| format!("building the request: {e}"))?;
    if url.scheme() == "https" {
        let name = ServerName::try_from(host.clone()).map_err(|e| format!("'{host}' is not a server name: {e}"))?;
        let stream = tls()?
            .connect(name, tcp)
            .await
            .map_err(|e| format!("TLS with {host}: {e}"))?;
        exchange(TokioIo::new(stream), request).await
    } else {
        exchange(TokioIo::new(tcp), request).await
    }
}

async fn exchange<T>(io: T, request: Request<Full<Bytes>>) -> Result<u16, String>
where
    T: hyper::rt::Read + hyper::rt::Write + Unpin + Send + 'static,
{
    let (mut sender, connection) = hyper::client::conn::http1::handshake(io)
        .await
        .map_err(|e| format!("HTTP handshake: {e}"))?;
    let driver = tokio::spawn(connection);
    let result = sender.send_request(request).await;
    let status = match result {
        Ok(response) => {
            let status = response.status().as_u16();
            // Read (and drop) the answer so the connection closes cleanly.
            let _ = response.into_body().collect().await;
            Ok(status)
        }
        Err(e) => Err(format!("sending: {e}")),
    };
    driver.abort();
    status
}
