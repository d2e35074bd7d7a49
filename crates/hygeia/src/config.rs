//! Settings, from defaults, an optional TOML file, the environment and flags (in rising order
//! of precedence), validated once.

use crate::cli::{Cli, Command};
use serde::Deserialize;
use std::net::SocketAddr;
use std::path::PathBuf;

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct FileConfig {
    listen: Option<SocketAddr>,
    data_dir: Option<PathBuf>,
    database_url: Option<String>,
    log_format: Option<String>,
    secure: Option<bool>,
    max_body_bytes: Option<usize>,
    trust_forwarded_for: Option<bool>,
    public_url: Option<String>,
    smtp_url: Option<String>,
    mail_from: Option<String>,
    max_evidence_mb: Option<u64>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LogFormat {
    Human,
    Json,
}

/// The settings in force. `database_url` may hold a password: it is never logged or printed.
#[derive(Clone)]
pub struct Config {
    pub listen: SocketAddr,
    pub data_dir: PathBuf,
    pub database_url: Option<String>,
    pub log_format: LogFormat,
    pub secure: bool,
    pub max_body_bytes: usize,
    pub trust_forwarded_for: bool,
    pub public_url: Option<String>,
    /// Where reminders are sent from and through; none: mail waits in the outbox. May hold a
    /// password: never logged or printed.
    pub mail: Option<hygeia_core::mail::MailConfig>,
    /// The largest evidence file accepted.
    pub max_evidence_bytes: u64,
}

impl Config {
    pub fn load(cli: &Cli) -> Result<Self, String> {
        let file = match &cli.global.config {
            Some(path) => {
                let text = std::fs::read_to_string(path).map_err(|e| format!("cannot read {}: {e}", path.display()))?;
                toml::from_str::<FileConfig>(&text).map_err(|e| format!("{}: {e}", path.display()))?
            }
            None => FileConfig::default(),
        };
        let serve = match &cli.command {
            Command::Serve(s) => Some(s),
            _ => None,
        };
        let log_format = match cli.global.log_format.clone().or(file.log_format).as_deref() {
            None | Some("human") => LogFormat::Human,
            Some("json") => LogFormat::Json,
            Some(other) => return Err(format!("log format must be human or json, not '{other}'")),
        };
        let public_url = serve.and_then(|s| s.public_url.clone()).or(file.public_url);
        if let Some(url) = &public_url
            && !(url.starts_with("https://") || url.starts_with("http://"))
        {
            return Err(format!("public URL must start with https:// or http://, not '{url}'"));
        }
        let smtp_url = serve
            .and_then(|s| s.smtp_url.clone())
            .or(file.smtp_url)
            .filter(|u| !u.is_empty());
        let mail_from = serve.and_then(|s| s.mail_from.clone()).or(file.mail_from);
        let mail = match (smtp_url, mail_from) {
            (None, _) => None,
            (Some(url), from) => {
                let config = hygeia_core::mail::MailConfig {
                    smtp_url: url,
                    from: from.unwrap_or_else(|| "Hygeia <hygeia@localhost>".into()),
                };
                hygeia_core::mail::transport(&config).map_err(|e| format!("SMTP URL: {e}"))?;
                Some(config)
            }
        };
        let max_evidence_mb = serve
            .and_then(|s| s.max_evidence_mb)
            .or(file.max_evidence_mb)
            .unwrap_or(50);
        if !(1..=4096).contains(&max_evidence_mb) {
            return Err(format!(
                "the evidence file limit must be 1 to 4096 MB, not {max_evidence_mb}"
            ));
        }
        let default_listen = SocketAddr::from(([127, 0, 0, 1], 8080));
        Ok(Config {
            listen: serve.and_then(|s| s.listen).or(file.listen).unwrap_or(default_listen),
            data_dir: cli
                .global
                .data_dir
                .clone()
                .or(file.data_dir)
                .unwrap_or_else(|| PathBuf::from("hygeia-data")),
            database_url: cli
                .global
                .database_url
                .clone()
                .or(file.database_url)
                .filter(|u| !u.is_empty()),
            log_format,
            secure: serve.is_some_and(|s| s.secure) || file.secure.unwrap_or(false),
            max_body_bytes: file.max_body_bytes.unwrap_or(1024 * 1024),
            trust_forwarded_for: serve.is_some_and(|s| s.trust_forwarded_for)
                || file.trust_forwarded_for.unwrap_or(false),
            public_url,
            mail,
            max_evidence_bytes: max_evidence_mb * 1024 * 1024,
        })
    }
}
