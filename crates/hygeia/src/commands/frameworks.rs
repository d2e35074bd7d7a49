//! `hygeia framework`: the library from the command line.

use super::{CommandResult, describe};
use crate::cli::FrameworkCommand;
use hygeia_core::Hygeia;
use std::process::ExitCode;

pub async fn run(cmd: FrameworkCommand, app: &Hygeia) -> CommandResult {
    match cmd {
        FrameworkCommand::Import { file, key, catalog } => {
            let size = std::fs::metadata(&file)
                .map_err(|e| format!("cannot read {}: {e}", file.display()))?
                .len();
            // Refused before it is read whole.
            if size > hygeia_core::frameworks::MAX_FRAMEWORK_BYTES as u64 {
                return Err(format!(
                    "{} is {size} bytes; framework files are at most {} bytes",
                    file.display(),
                    hygeia_core::frameworks::MAX_FRAMEWORK_BYTES
                ));
            }
            let text = std::fs::read_to_string(&file).map_err(|e| format!("cannot read {}: {e}", file.display()))?;
            let name = file.display().to_string();
            if hygeia_domain::assessments::library_format::detect(&text)
                == Some(hygeia_domain::assessments::library_format::FileKind::Mapping)
            {
                let m = app.import_mapping(None, &name, &text).await.map_err(describe)?;
                println!("imported the mapping {} to {} ({} pairs)", m.from, m.to, m.pairs);
                return Ok(ExitCode::SUCCESS);
            }
            let stored = match catalog {
                Some(catalog) => app.import_profile(None, &name, &text, key.as_deref(), &catalog).await,
                None => app.import_framework(None, &name, &text, key.as_deref()).await,
            }
            .map_err(describe)?;
            println!(
                "imported {} {} ({} nodes): {}",
                stored.key, stored.version, stored.node_count, stored.title
            );
        }
        FrameworkCommand::List => {
            for f in app.frameworks().await.map_err(describe)? {
                println!("{}\t{}\t{}\t{}\t{}", f.key, f.version, f.node_count, f.origin, f.title);
            }
        }
        FrameworkCommand::Mappings => {
            for m in app.mappings().await.map_err(describe)? {
                println!("{}\t{}\t{}\t{}", m.from, m.to, m.pairs, m.source);
            }
        }
        FrameworkCommand::Export { key, version, out } => {
            let text = app.export_framework(&key, &version).await.map_err(describe)?;
            match out {
                Some(path) => {
                    std::fs::write(&path, text).map_err(|e| format!("cannot write {}: {e}", path.display()))?;
                    println!("wrote {} {} to {}", key, version, path.display());
                }
                None => println!("{text}"),
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}
