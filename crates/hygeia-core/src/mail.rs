//! Sending the outbox by SMTP. Mail is queued in the database with whatever caused it (a
//! reminder, say) and sent from here, so a mail server that is down delays mail but never
//! loses it. Sending is plain SMTP to a relay (the host's mail transfer agent or the
//! organisation's smarthost), which is where TLS to the outside world belongs.

use crate::{CoreError, Hygeia};
use lettre::message::header::ContentType;
use lettre::message::{Mailbox, Message};
use lettre::transport::smtp::authentication::Credentials;
use lettre::{AsyncSmtpTransport, AsyncTransport, Tokio1Executor};

/// Attempts per message before it is left for a person to look at.
pub const MAX_ATTEMPTS: i64 = 5;
const BATCH: u32 = 200;

/// Where mail goes: `smtp://[user:password@]host[:port]`, and the sender address.
#[derive(Clone)]
pub struct MailConfig {
    pub smtp_url: String,
    pub from: String,
}

/// Shows the relay without its credentials, so a logged configuration leaks no password.
impl std::fmt::Debug for MailConfig {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let host = self
            .smtp_url
            .rsplit_once('@')
            .map_or(self.smtp_url.as_str(), |(_, h)| h);
        f.debug_struct("MailConfig")
            .field("relay", &host)
            .field("from", &self.from)
            .finish()
    }
}

/// What one delivery run did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Delivery {
    pub sent: u64,
    pub failed: u64,
}

/// Builds the transport from the URL; the error names what is wrong without echoing a
/// password.
pub fn transport(config: &MailConfig) -> Result<AsyncSmtpTransport<Tokio1Executor>, String> {
    let rest = config
        .smtp_url
        .strip_prefix("smtp://")
        .ok_or("the SMTP URL must start with smtp://")?;
    let (credentials, host_port) = match rest.rsplit_once('@') {
        Some((cred, hp)) => (Some(cred), hp),
        None => (None, rest),
    };
    let host_port = host_port.trim_end_matches('/');
    let (host, port) = match host_port.rsplit_once(':') {
        Some((h, p)) => (h, p.parse::<u16>().map_err(|_| format!("'{p}' is not a port"))?),
        None => (host_port, 25),
    };
    if host.is_empty() {
        return Err("the SMTP URL has no host".into());
    }
    let mut builder = AsyncSmtpTransport::<Tokio1Executor>::builder_dangerous(host).port(port);
    if let Some(cred) = credentials {
        let (user, password) = cred.split_once(':').unwrap_or((cred, ""));
        builder = builder.credentials(Credentials::new(user.to_owned(), password.to_owned()));
    }
    Ok(builder.build())
}

impl Hygeia {
    /// Sends what is waiting in the outbox, oldest first, recording each attempt.
    pub async fn deliver_mail(&self, config: &MailConfig) -> Result<Delivery, CoreError> {
        let from: Mailbox = config
            .from
            .parse()
            .map_err(|e| CoreError::Internal(format!("the sender address '{}' is not valid: {e}", config.from)))?;
        let smtp = transport(config).map_err(CoreError::Internal)?;
        let mut done = Delivery::default();
        for mail in self.store.pending_mail(BATCH, MAX_ATTEMPTS).await? {
            let outcome = match mail.recipient.parse::<Mailbox>() {
                Err(e) => Err(format!("recipient: {e}")),
                Ok(to) => match Message::builder()
                    .from(from.clone())
                    .to(to)
                    .subject(mail.subject.clone())
                    .header(ContentType::TEXT_PLAIN)
                    // lettre picks the transfer encoding (quoted-printable for long lines).
                    .body(mail.body.clone())
                {
                    Err(e) => Err(format!("message: {e}")),
                    Ok(message) => smtp.send(message).await.map(|_| ()).map_err(|e| e.to_string()),
                },
            };
            let now = self.now_ms();
            match outcome {
                Ok(()) => {
                    self.store.mail_attempted(mail.id, now, None).await?;
                    done.sent += 1;
                }
                Err(error) => {
                    tracing::warn!(mail = %mail.id, attempt = mail.attempts + 1, %error, "mail not sent");
                    self.store.mail_attempted(mail.id, now, Some(&error)).await?;
                    done.failed += 1;
                }
            }
        }
        Ok(done)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn config(url: &str) -> MailConfig {
        MailConfig {
            smtp_url: url.into(),
            from: "hygeia@example.nhs.uk".into(),
        }
    }

    #[test]
    fn smtp_urls_are_read_and_bad_ones_named() {
        assert!(transport(&config("smtp://relay.example:2525")).is_ok());
        assert!(transport(&config("smtp://user:secret@relay.example")).is_ok());
        assert_eq!(
            transport(&config("http://x")).err().unwrap(),
            "the SMTP URL must start with smtp://"
        );
        assert_eq!(
            transport(&config("smtp://relay:port")).err().unwrap(),
            "'port' is not a port"
        );
        assert_eq!(transport(&config("smtp://")).err().unwrap(), "the SMTP URL has no host");
    }
}
