//! `hygeia serve`: the web UI, the API and the background worker in one process.

use super::{CommandResult, open};
use crate::cli::ServeArgs;
use crate::config::Config;
use hygeia_web::{AppState, WebConfig};
use std::net::SocketAddr;
use std::process::ExitCode;
use std::sync::Arc;
use std::time::Duration;

/// How often the worker clears expired sessions.
const HOUSEKEEPING_EVERY: Duration = Duration::from_secs(600);

pub async fn serve(args: ServeArgs, config: Config) -> CommandResult {
    let app = Arc::new(open(&config).await?);
    let added = app.install_built_in_frameworks().await.map_err(super::describe)?;
    if added > 0 {
        tracing::info!(added, "built-in framework versions added to the library");
    }
    sweep_staging(&config.data_dir.join("staging"), app.now_ms());
    if args.demo {
        let seeded = app.seed_demo().await.map_err(super::describe)?;
        if seeded {
            app.seed_demo_incident().await.map_err(super::describe)?;
            app.seed_demo_assessment().await.map_err(super::describe)?;
            app.seed_demo_assets_and_alert().await.map_err(super::describe)?;
        }
        print_demo_accounts(seeded);
    }
    let state = AppState::new(
        app.clone(),
        WebConfig {
            secure: config.secure,
            max_body_bytes: config.max_body_bytes,
            trust_forwarded_for: config.trust_forwarded_for,
            public_url: config.public_url.clone(),
            ..WebConfig::default()
        },
    );
    let router = hygeia_web::router(state);
    let listener = tokio::net::TcpListener::bind(config.listen)
        .await
        .map_err(|e| format!("cannot listen on {}: {e}", config.listen))?;
    let address = listener.local_addr().map_err(|e| e.to_string())?;
    tracing::info!(%address, backend = ?app.store().backend(), "Hygeia is serving");
    println!("Hygeia is running at http://{address}  (stop with Ctrl-C)");

    let worker = tokio::spawn(housekeeping(app.clone()));
    let clocks = tokio::spawn(clock_worker(app.clone(), config.mail.clone()));
    let served = axum::serve(listener, router.into_make_service_with_connect_info::<SocketAddr>())
        .with_graceful_shutdown(shutdown_signal())
        .await;
    worker.abort();
    clocks.abort();
    app.store().close().await;
    served.map_err(|e| format!("server error: {e}"))?;
    tracing::info!("stopped");
    Ok(ExitCode::SUCCESS)
}

fn print_demo_accounts(seeded: bool) {
    println!();
    println!(
        "{}",
        if seeded {
            "Demo data created."
        } else {
            "Demo data: the database already had accounts, so nothing was added."
        }
    );
    println!(
        "Demo accounts (password for all: {}):",
        hygeia_core::demo::DEMO_PASSWORD
    );
    for account in hygeia_core::demo::accounts() {
        println!("  {:<32} {}", account.email, account.roles);
    }
    println!(
        "Owners, regulator roles and the platform administrator set up multi-factor authentication at first sign-in."
    );
    println!();
}

/// How often deadlines are re-evaluated and reminders queued, and mail sent.
const CLOCKS_EVERY: Duration = Duration::from_secs(60);

/// The clock worker: moves statutory clocks on, queues their reminders and evidence review
/// reminders, and sends the outbox.
async fn clock_worker(app: Arc<hygeia_core::Hygeia>, mail: Option<hygeia_core::mail::MailConfig>) {
    let mut tick = tokio::time::interval(CLOCKS_EVERY);
    loop {
        tick.tick().await;
        match app.tick().await {
            Ok(r) if r.now_due_soon + r.now_overdue + r.reminders_queued > 0 => tracing::info!(
                due_soon = r.now_due_soon,
                overdue = r.now_overdue,
                reminders = r.reminders_queued,
                "clocks moved on"
            ),
            Ok(_) => {}
            Err(e) => tracing::error!(error = %e, "clock tick failed"),
        }
        match app.remind_evidence_reviews().await {
            Ok(n) if n > 0 => tracing::info!(reminders = n, "evidence review reminders queued"),
            Ok(_) => {}
            Err(e) => tracing::error!(error = %e, "evidence review reminders failed"),
        }
        if let Some(mail) = &mail {
            match app.deliver_mail(mail).await {
                Ok(d) if d.sent + d.failed > 0 => tracing::info!(sent = d.sent, failed = d.failed, "mail delivered"),
                Ok(_) => {}
                Err(e) => tracing::error!(error = %e, "mail delivery failed"),
            }
        }
        match app.deliver_webhooks().await {
            Ok(r) if r.delivered + r.failed > 0 => {
                tracing::info!(delivered = r.delivered, failed = r.failed, "webhooks delivered");
            }
            Ok(_) => {}
            Err(e) => tracing::error!(error = %e, "webhook delivery failed"),
        }
    }
}

/// The background worker: periodic housekeeping, driven by the same clock as the rest.
async fn housekeeping(app: Arc<hygeia_core::Hygeia>) {
    let mut tick = tokio::time::interval(HOUSEKEEPING_EVERY);
    loop {
        tick.tick().await;
        match app.store().purge_expired_sessions(app.now_ms()).await {
            Ok(n) if n > 0 => tracing::info!(sessions = n, "expired sessions removed"),
            Ok(_) => {}
            Err(e) => tracing::warn!(error = %e, "housekeeping failed"),
        }
    }
}

/// Ctrl-C or SIGTERM: stop accepting, finish requests in flight, then exit.
async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = terminate => {},
    }
    tracing::info!("shutting down");
}

/// Removes uploads left half-received by a server that stopped mid-upload. Only files over an
/// hour old go: a command-line run beside a live server must not take its uploads away.
fn sweep_staging(dir: &std::path::Path, now_ms: i64) {
    let Ok(entries) = std::fs::read_dir(dir) else { return };
    let hour_ago =
        std::time::UNIX_EPOCH + std::time::Duration::from_millis(u64::try_from(now_ms - 3_600_000).unwrap_or(0));
    for entry in entries.flatten() {
        let stale = entry
            .metadata()
            .and_then(|m| m.modified())
            .is_ok_and(|modified| modified < hour_ago);
        if stale && entry.file_name().to_string_lossy().starts_with("hygeia-upload-") {
            let _ = std::fs::remove_file(entry.path());
        }
    }
}
