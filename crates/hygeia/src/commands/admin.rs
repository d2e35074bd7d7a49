//! Scripted administration: organisations, accounts, tokens, audit verification.

use super::{CommandResult, describe};
use crate::cli::{OrgCommand, TokenCommand, UserCommand};
use hygeia_core::{Hygeia, NewOrg, NewToken, NewUser};
use hygeia_domain::page::PageRequest;
use std::io::{BufRead, IsTerminal};
use std::process::ExitCode;

pub async fn org(cmd: OrgCommand, app: &Hygeia) -> CommandResult {
    match cmd {
        OrgCommand::Add {
            name,
            ods,
            org_type,
            regimes,
            oes,
            parent,
            regulator,
            require_mfa,
        } => {
            let input = NewOrg {
                name,
                ods_code: ods,
                org_type,
                regimes: regimes
                    .split(',')
                    .map(str::trim)
                    .filter(|s| !s.is_empty())
                    .map(str::to_owned)
                    .collect(),
                is_oes: oes,
                parent_ods: parent,
                regulator_ods: regulator,
                require_mfa,
            };
            let org = app.create_org(None, input).await.map_err(describe)?;
            println!("{}\t{}\t{}", org.id, org.ods_code, org.name);
        }
        OrgCommand::List => {
            let mut offset = 0;
            loop {
                let page = app
                    .store()
                    .list_orgs(PageRequest::new(Some(200), Some(offset)))
                    .await
                    .map_err(|e| e.to_string())?;
                for org in &page.items {
                    println!("{}\t{}\t{}\t{}", org.id, org.ods_code, org.org_type.code(), org.name);
                }
                match page.next_offset() {
                    Some(next) => offset = next,
                    None => break,
                }
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// Reads a password from standard input: without echo at a terminal, else the first line.
fn read_password() -> Result<String, String> {
    if std::io::stdin().is_terminal() {
        rpassword::prompt_password("Password: ").map_err(|e| format!("reading the password: {e}"))
    } else {
        let mut line = String::new();
        std::io::stdin()
            .lock()
            .read_line(&mut line)
            .map_err(|e| format!("reading the password: {e}"))?;
        Ok(line.trim_end_matches(['\r', '\n']).to_owned())
    }
}

pub async fn user(cmd: UserCommand, app: &Hygeia) -> CommandResult {
    match cmd {
        UserCommand::Add {
            email,
            name,
            platform_admin,
            org,
            role,
        } => add_user(app, email, name, platform_admin, org, role).await,
        UserCommand::ResetMfa { email } => {
            let user = app
                .reset_mfa(&email)
                .await
                .map_err(|_| format!("--email: no account has the address '{email}'"))?;
            println!("multi-factor authentication reset for {}", user.email);
            Ok(ExitCode::SUCCESS)
        }
    }
}

async fn add_user(
    app: &Hygeia,
    email: String,
    name: String,
    platform_admin: bool,
    org: Option<String>,
    role: Option<String>,
) -> CommandResult {
    let password = read_password()?;
    let org = match &org {
        Some(ods) => Some(
            app.org_by_ods(ods)
                .await
                .map_err(|_| format!("--org: no organisation has the ODS code '{ods}'"))?,
        ),
        None => None,
    };
    let user = app
        .create_user(
            None,
            NewUser {
                email,
                display_name: name,
                password,
                is_platform_admin: platform_admin,
            },
        )
        .await
        .map_err(describe)?;
    if let (Some(org), Some(role)) = (org, role) {
        app.add_member_directly(org.id, user.id, &role)
            .await
            .map_err(describe)?;
    }
    println!("{}\t{}", user.id, user.email);
    Ok(ExitCode::SUCCESS)
}

pub async fn token(cmd: TokenCommand, app: &Hygeia) -> CommandResult {
    let TokenCommand::Create {
        email,
        name,
        write,
        org,
        expires_in_days,
    } = cmd;
    let user = app
        .user_by_email(&email)
        .await
        .map_err(|_| format!("--email: no account has the address '{email}'"))?;
    let org_id = match &org {
        Some(ods) => Some(
            app.org_by_ods(ods)
                .await
                .map_err(|_| format!("--org: no organisation has the ODS code '{ods}'"))?
                .id,
        ),
        None => None,
    };
    let actor = app.cli_actor(user);
    let created = app
        .create_token(
            &actor,
            NewToken {
                name,
                read_only: !write,
                org_id,
                expires_in_days,
            },
        )
        .await
        .map_err(describe)?;
    // The secret goes to standard output only, for the caller to capture; it is not logged.
    println!("{}", created.secret);
    Ok(ExitCode::SUCCESS)
}

pub async fn verify(app: &Hygeia) -> CommandResult {
    let report = app.verify_audit().await.map_err(describe)?;
    let records: u64 = report.chains.iter().map(|c| c.records).sum();
    match report.broken {
        None => {
            println!("audit log intact: {} chains, {records} records", report.chains.len());
            Ok(ExitCode::SUCCESS)
        }
        Some(broken) => {
            println!(
                "audit log BROKEN in chain {} at record {}{}: {}",
                broken.chain,
                broken.seq,
                broken.record_id.map(|id| format!(" (id {id})")).unwrap_or_default(),
                broken.reason
            );
            Ok(ExitCode::from(1))
        }
    }
}
