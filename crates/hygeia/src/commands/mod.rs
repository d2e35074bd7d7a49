//! What each subcommand does.

mod admin;
mod assets;
mod backup;
mod frameworks;
mod serve;

use crate::cli::{AuditCommand, Command};
use crate::config::Config;
use hygeia_core::clock::SystemClock;
use hygeia_core::{CoreConfig, Hygeia, Store};
use std::process::ExitCode;
use std::sync::Arc;

pub type CommandResult = Result<ExitCode, String>;

/// Opens the configured database and brings its schema up to date.
pub async fn open(config: &Config) -> Result<Hygeia, String> {
    let store = Store::open(config.database_url.as_deref(), &config.data_dir)
        .await
        .map_err(|e| e.to_string())?;
    let applied = store
        .migrate()
        .await
        .map_err(|e| format!("migrating the database: {e}"))?;
    if applied > 0 {
        tracing::info!(applied, backend = ?store.backend(), "database migrated");
    }
    // Uploads wait beside the data, on the same disk, not in a small tmpfs.
    let staging = config.data_dir.join("staging");
    std::fs::create_dir_all(&staging)
        .map_err(|e| format!("cannot create the upload staging folder {}: {e}", staging.display()))?;
    let core = CoreConfig {
        public_url: config.public_url.clone(),
        max_evidence_bytes: config.max_evidence_bytes,
        staging_dir: Some(staging),
        ..CoreConfig::default()
    };
    Ok(Hygeia::new(store, Arc::new(SystemClock), core))
}

pub async fn run(command: Command, config: Config) -> CommandResult {
    match command {
        Command::Serve(args) => serve::serve(args, config).await,
        Command::Migrate => {
            let app = open(&config).await?;
            let added = app.install_built_in_frameworks().await.map_err(describe)?;
            if added > 0 {
                println!("added {added} built-in framework versions to the library");
            }
            println!(
                "database is at schema version {}",
                app.store().schema_version().await.map_err(|e| e.to_string())?
            );
            Ok(ExitCode::SUCCESS)
        }
        Command::Org(cmd) => admin::org(cmd, &open(&config).await?).await,
        Command::User(cmd) => admin::user(cmd, &open(&config).await?).await,
        Command::Token(cmd) => admin::token(cmd, &open(&config).await?).await,
        Command::Audit(AuditCommand::Verify) => admin::verify(&open(&config).await?).await,
        Command::Framework(cmd) => {
            let app = open(&config).await?;
            app.install_built_in_frameworks().await.map_err(describe)?;
            frameworks::run(cmd, &app).await
        }
        Command::Assets(cmd) => assets::assets(cmd, &open(&config).await?).await,
        Command::Alerts(cmd) => assets::alerts(cmd, &open(&config).await?).await,
        Command::Lifecycle(cmd) => assets::lifecycle(cmd, &open(&config).await?).await,
        Command::Backup { file } => backup::backup(&open(&config).await?, &file).await,
        Command::Restore { file } => backup::restore(&open(&config).await?, &file).await,
        Command::Permissions => {
            print!("{}", hygeia_domain::permissions::matrix_markdown());
            Ok(ExitCode::SUCCESS)
        }
        Command::Openapi => {
            println!("{}", hygeia_web::openapi_document());
            Ok(ExitCode::SUCCESS)
        }
    }
}

/// Formats a use-case error for the terminal, naming each invalid field.
pub fn describe(e: hygeia_core::CoreError) -> String {
    match e {
        hygeia_core::CoreError::Validation(errors) => errors
            .iter()
            .map(|e| format!("{}: {}", e.field, e.message))
            .collect::<Vec<_>>()
            .join("\n"),
        other => other.to_string(),
    }
}
