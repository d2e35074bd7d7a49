//! Backup and restore to and from a portable file.

use super::{CommandResult, describe};
use hygeia_core::Hygeia;
use std::fs::File;
use std::io::{BufReader, BufWriter};
use std::path::Path;
use std::process::ExitCode;

pub async fn backup(app: &Hygeia, path: &Path) -> CommandResult {
    // Written beside the target and renamed into place, so a failed backup never leaves a
    // half-written file under the name the operator expects.
    let partial = path.with_extension("partial");
    let file = File::create(&partial).map_err(|e| format!("cannot create {}: {e}", partial.display()))?;
    let mut out = BufWriter::new(file);
    let rows = app.backup(&mut out).await.map_err(describe)?;
    out.into_inner()
        .map_err(|e| format!("writing {}: {e}", partial.display()))?
        .sync_all()
        .map_err(|e| format!("writing {}: {e}", partial.display()))?;
    std::fs::rename(&partial, path).map_err(|e| format!("cannot move the backup into place: {e}"))?;
    println!("backed up {rows} rows to {}", path.display());
    Ok(ExitCode::SUCCESS)
}

pub async fn restore(app: &Hygeia, path: &Path) -> CommandResult {
    let file = File::open(path).map_err(|e| format!("cannot open {}: {e}", path.display()))?;
    let rows = app
        .restore(&mut BufReader::new(file))
        .await
        .map_err(|e| format!("{}: {}", path.display(), describe(e)))?;
    let report = app.verify_audit().await.map_err(describe)?;
    if let Some(broken) = report.broken {
        return Err(format!(
            "restored, but the audit chain {} is broken at record {}: {}",
            broken.chain, broken.seq, broken.reason
        ));
    }
    println!("restored {rows} rows from {}; audit log intact", path.display());
    Ok(ExitCode::SUCCESS)
}
