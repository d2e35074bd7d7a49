//! `hygeia assets`, `hygeia alerts` and `hygeia lifecycle`: imports from the command line,
//! with a progress bar on large registers.

use super::{CommandResult, describe};
use crate::cli::{ActingAs, AlertsCommand, AssetsCommand, LifecycleCommand};
use hygeia_core::alerts::AlertImport;
use hygeia_core::assets::{ImportOptions, MAX_ASSET_FILE_BYTES};
use hygeia_core::{Hygeia, Scope};
use hygeia_domain::ids::AlertId;
use std::io::{IsTerminal, Write};
use std::path::Path;
use std::process::ExitCode;

/// The file's text, refused before it is read whole when it is too large.
fn read(file: &Path) -> Result<String, String> {
    let size = std::fs::metadata(file)
        .map_err(|e| format!("cannot read {}: {e}", file.display()))?
        .len();
    if size > MAX_ASSET_FILE_BYTES {
        return Err(format!(
            "{} is {size} bytes; files are at most {MAX_ASSET_FILE_BYTES} bytes",
            file.display()
        ));
    }
    std::fs::read_to_string(file).map_err(|e| format!("cannot read {}: {e}", file.display()))
}

async fn scope(app: &Hygeia, who: &ActingAs) -> Result<Scope, String> {
    let user = app
        .user_by_email(&who.as_user)
        .await
        .map_err(|_| format!("no account {}", who.as_user))?;
    let org = app
        .org_by_ods(&who.org)
        .await
        .map_err(|_| format!("no organisation with ODS code {}", who.org))?;
    app.scope(&app.cli_actor(user), org.id)
        .await
        .map_err(|_| format!("{} is not a member of {}", who.as_user, who.org))
}

/// A bar on standard error when it is a terminal: `[#####     ] 50% 5000/10000 assets`.
fn progress_bar() -> Option<impl Fn(usize, usize) + Sync> {
    std::io::stderr().is_terminal().then_some(|done: usize, of: usize| {
        let width = 30;
        let filled = (done * width).checked_div(of).unwrap_or(width).min(width);
        let percent = (done * 100).checked_div(of).unwrap_or(100);
        let mut err = std::io::stderr();
        let _ = write!(
            err,
            "\r[{}{}] {percent:>3}% {done}/{of} assets",
            "#".repeat(filled),
            " ".repeat(width - filled)
        );
        if done == of {
            let _ = writeln!(err);
        }
        let _ = err.flush();
    })
}

pub async fn assets(cmd: AssetsCommand, app: &Hygeia) -> CommandResult {
    match cmd {
        AssetsCommand::Import {
            file,
            who,
            dry_run,
            keep_missing,
            map,
        } => {
            let scope = scope(app, &who).await?;
            let text = read(&file)?;
            let mut mapping = std::collections::HashMap::new();
            for m in &map {
                let (from, to) = m
                    .split_once('=')
                    .ok_or_else(|| format!("--map {m}: write HEADER=COLUMN"))?;
                mapping.insert(from.trim().to_owned(), to.trim().to_owned());
            }
            let options = ImportOptions {
                mapping,
                dry_run,
                keep_missing,
            };
            let bar = progress_bar();
            let progress = bar.as_ref().map(|b| b as &(dyn Fn(usize, usize) + Sync));
            let name = file.display().to_string();
            let r = app
                .import_assets(&scope, &name, &text, &options, progress)
                .await
                .map_err(describe)?;
            println!(
                "{}{}: {} assets, {} products; {} added, {} changed, {} removed, {} unchanged",
                if r.dry_run { "dry run, nothing saved: " } else { "" },
                r.format,
                r.assets,
                r.software,
                r.diff.added.len(),
                r.diff.changed.len(),
                r.diff.removed.len(),
                r.diff.unchanged
            );
            for k in &r.diff.added {
                println!("+ {k}");
            }
            for (k, fields) in &r.diff.changed {
                println!("~ {k} ({})", fields.join(", "));
            }
            for k in &r.diff.removed {
                println!("- {k}");
            }
            if r.unknown_count > 0 {
                println!(
                    "{} products are not in the lifecycle catalogue (kept, support unknown), for example:",
                    r.unknown_count
                );
                for u in r.unknown.iter().take(10) {
                    println!("  ? {u}");
                }
            }
            if !r.ignored_headers.is_empty() {
                println!("columns not used: {}", r.ignored_headers.join(", "));
            }
        }
        AssetsCommand::Export { who, out } => {
            let scope = scope(app, &who).await?;
            let csv = app.export_assets_csv(&scope).await.map_err(describe)?;
            match out {
                Some(path) => {
                    std::fs::write(&path, csv).map_err(|e| format!("cannot write {}: {e}", path.display()))?
                }
                None => print!("{csv}"),
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}

pub async fn alerts(cmd: AlertsCommand, app: &Hygeia) -> CommandResult {
    match cmd {
        AlertsCommand::Import { file, who, publish } => {
            let scope = scope(app, &who).await?;
            let text = read(&file)?;
            match app
                .import_alert_file(&scope, &file.display().to_string(), &text)
                .await
                .map_err(describe)?
            {
                AlertImport::Csaf {
                    alert,
                    products,
                    unplaced,
                } => {
                    println!(
                        "draft alert {} ({}): {} ({} product lines, {} named only by name)",
                        alert.alert.id, alert.alert.reference, alert.alert.title, products, unplaced
                    );
                    if publish {
                        app.publish_alert(&scope, alert.alert.id).await.map_err(describe)?;
                        println!("published");
                    }
                }
                AlertImport::Kev {
                    catalog_version,
                    entries,
                    added,
                    removed,
                    changed,
                    unmapped,
                } => {
                    println!(
                        "KEV catalogue {catalog_version}: {entries} entries; {} added, {} changed, {} removed; {unmapped} name products the dictionary does not know",
                        added.len(),
                        changed.len(),
                        removed.len()
                    );
                    for c in &added {
                        println!("+ {c}");
                    }
                    for (c, fields) in &changed {
                        println!("~ {c} ({})", fields.join(", "));
                    }
                    for c in &removed {
                        println!("- {c}");
                    }
                }
            }
        }
        AlertsCommand::Publish { id, who } => {
            let scope = scope(app, &who).await?;
            let id: AlertId = id.parse().map_err(|_| format!("{id} is not an alert id"))?;
            let a = app.publish_alert(&scope, id).await.map_err(describe)?;
            println!("published {} ({})", a.alert.reference, a.alert.id);
        }
    }
    Ok(ExitCode::SUCCESS)
}

pub async fn lifecycle(cmd: LifecycleCommand, app: &Hygeia) -> CommandResult {
    match cmd {
        LifecycleCommand::Import { file, source } => {
            let text = read(&file)?;
            let name = file.display().to_string();
            let done = app
                .import_lifecycle(None, &name, &text, source.as_deref().unwrap_or(""))
                .await
                .map_err(describe)?;
            println!(
                "{}: {} releases; {} added, {} changed; {} software records newly placed",
                done.product,
                done.cycles,
                done.added.len(),
                done.changed.len(),
                done.newly_placed
            );
        }
        LifecycleCommand::List => {
            for p in app.lifecycle_catalogue().await.map_err(describe)?.products {
                println!("{}\t{}\t{} releases\t{}", p.id, p.name, p.releases.len(), p.source);
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}
