//! The command line. Every option also reads a `HYGEIA_*` environment variable; a TOML file
//! (`--config`) can hold the same settings. Flags beat the environment, which beats the file.

use clap::{Args, Parser, Subcommand};
use std::net::SocketAddr;
use std::path::PathBuf;

#[derive(Parser, Debug)]
#[command(name = "hygeia", version, about = "Cyber hygiene and resilience for health and care")]
pub struct Cli {
    #[command(flatten)]
    pub global: GlobalArgs,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Args, Debug, Clone)]
pub struct GlobalArgs {
    /// Settings file (TOML) with any of: listen, data_dir, database_url, log_format, secure,
    /// max_body_bytes, trust_forwarded_for.
    #[arg(long, global = true, env = "HYGEIA_CONFIG")]
    pub config: Option<PathBuf>,
    /// Folder for the embedded database and local files [default: ./hygeia-data].
    #[arg(long, global = true, env = "HYGEIA_DATA_DIR")]
    pub data_dir: Option<PathBuf>,
    /// A postgres:// URL to run on PostgreSQL instead of the embedded SQLite database.
    #[arg(long, global = true, env = "HYGEIA_DATABASE_URL", hide_env_values = true)]
    pub database_url: Option<String>,
    /// Log format: human or json [default: human].
    #[arg(long, global = true, env = "HYGEIA_LOG_FORMAT")]
    pub log_format: Option<String>,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Serve the web UI and the API (and run the background worker).
    Serve(ServeArgs),
    /// Apply database migrations and exit.
    Migrate,
    /// Manage organisations.
    #[command(subcommand)]
    Org(OrgCommand),
    /// Manage accounts.
    #[command(subcommand)]
    User(UserCommand),
    /// Manage API tokens.
    #[command(subcommand)]
    Token(TokenCommand),
    /// Check the audit log.
    #[command(subcommand)]
    Audit(AuditCommand),
    /// The framework library: import, list, export.
    #[command(subcommand)]
    Framework(FrameworkCommand),
    /// The asset register: import (CSV, CycloneDX, SPDX) and export.
    #[command(subcommand)]
    Assets(AssetsCommand),
    /// National alerts: import (CSAF or KEV) and publish.
    #[command(subcommand)]
    Alerts(AlertsCommand),
    /// The lifecycle catalogue: offline updates from endoflife.date files.
    #[command(subcommand)]
    Lifecycle(LifecycleCommand),
    /// Write a portable backup of every organisation's data to FILE.
    Backup { file: PathBuf },
    /// Load a backup into an empty database (SQLite or PostgreSQL).
    Restore { file: PathBuf },
    /// Print the permission matrix as Markdown (docs/permissions.md).
    Permissions,
    /// Print the OpenAPI document of the JSON API.
    Openapi,
}

#[derive(Args, Debug)]
pub struct ServeArgs {
    /// Address to listen on [default: 127.0.0.1:8080].
    #[arg(long, env = "HYGEIA_LISTEN")]
    pub listen: Option<SocketAddr>,
    /// Seed demo organisations and accounts into an empty database.
    #[arg(long, env = "HYGEIA_DEMO")]
    pub demo: bool,
    /// Served over TLS (directly or by a proxy): Secure cookies and HSTS.
    #[arg(long, env = "HYGEIA_SECURE")]
    pub secure: bool,
    /// The address people reach Hygeia at (for links it hands out), e.g. https://hygeia.example.nhs.uk
    #[arg(long, env = "HYGEIA_PUBLIC_URL")]
    pub public_url: Option<String>,
    /// Trust X-Forwarded-For for the client address (only behind a proxy you run).
    #[arg(long, env = "HYGEIA_TRUST_FORWARDED_FOR")]
    pub trust_forwarded_for: bool,
    /// Mail relay for reminders, smtp://[user:password@]host[:port]; without it mail waits in
    /// the outbox.
    #[arg(long, env = "HYGEIA_SMTP_URL")]
    pub smtp_url: Option<String>,
    /// Sender address of Hygeia's mail, e.g. "Hygeia <hygeia@example.nhs.uk>".
    #[arg(long, env = "HYGEIA_MAIL_FROM")]
    pub mail_from: Option<String>,
    /// The largest evidence file accepted, in megabytes [default: 50].
    #[arg(long, env = "HYGEIA_MAX_EVIDENCE_MB")]
    pub max_evidence_mb: Option<u64>,
}

#[derive(Subcommand, Debug)]
pub enum OrgCommand {
    /// Add an organisation.
    Add {
        #[arg(long)]
        name: String,
        /// ODS code (unique).
        #[arg(long)]
        ods: String,
        /// trust, foundation_trust, icb, csu, independent_provider, gp_practice, pharmacy,
        /// dental_practice, care_provider, supplier, regulator, national_team.
        #[arg(long = "type")]
        org_type: String,
        /// Comma-separated: uk_nis, uk_gdpr, eu_nis2, eu_gdpr.
        #[arg(long, default_value = "")]
        regimes: String,
        /// Designated an operator of essential services.
        #[arg(long)]
        oes: bool,
        /// ODS code of the organisation it is part of.
        #[arg(long)]
        parent: Option<String>,
        /// ODS code of its regulator.
        #[arg(long)]
        regulator: Option<String>,
        /// Require MFA of every member.
        #[arg(long)]
        require_mfa: bool,
    },
    /// List organisations.
    List,
}

#[derive(Subcommand, Debug)]
pub enum UserCommand {
    /// Add an account; the password is read from standard input, never from the command line.
    Add {
        #[arg(long)]
        email: String,
        #[arg(long)]
        name: String,
        /// Make the account a platform administrator.
        #[arg(long)]
        platform_admin: bool,
        /// ODS code of an organisation to add the account to.
        #[arg(long, requires = "role")]
        org: Option<String>,
        /// Role in that organisation (owner, senior_executive, security_lead, ig_lead,
        /// contributor, viewer, auditor, inspector, analyst, alert_publisher).
        #[arg(long, requires = "org")]
        role: Option<String>,
    },
    /// Turn multi-factor authentication off for an account that lost its phone and its
    /// recovery codes; it sets MFA up again at next sign-in. Ends all its sessions.
    ResetMfa {
        #[arg(long)]
        email: String,
    },
}

#[derive(Subcommand, Debug)]
pub enum TokenCommand {
    /// Create an API token for an account and print it (once).
    Create {
        /// The account the token acts as.
        #[arg(long)]
        email: String,
        /// What the token is for.
        #[arg(long)]
        name: String,
        /// Allow writing (tokens read only by default).
        #[arg(long)]
        write: bool,
        /// Limit to one organisation (ODS code).
        #[arg(long)]
        org: Option<String>,
        /// Days until it expires.
        #[arg(long)]
        expires_in_days: Option<u32>,
    },
}

#[derive(Subcommand, Debug)]
pub enum AuditCommand {
    /// Walk every audit chain and name the first broken link (exit status 1 if any).
    Verify,
}

#[derive(Subcommand, Debug)]
pub enum FrameworkCommand {
    /// Add a framework version from FILE: an OSCAL catalog (JSON), a CISO Assistant library
    /// (YAML) or a hygeia.framework/v1 file, told apart by content, or an OSCAL profile with
    /// --catalog; or a hygeia.mapping/v1 file,
    /// which replaces the pairs between its two frameworks. All of it or nothing.
    Import {
        file: PathBuf,
        /// The library key to file it under [default: the file's own, or the catalog title's slug].
        #[arg(long)]
        key: Option<String>,
        /// For an OSCAL profile: the catalog in the library it selects from, as KEY/VERSION.
        #[arg(long)]
        catalog: Option<String>,
    },
    /// List the library's framework versions.
    List,
    /// List the mappings between frameworks (from, to, pairs, source).
    Mappings,
    /// Write a framework version as a hygeia.framework/v1 file (to standard output, or --out).
    Export {
        key: String,
        version: String,
        #[arg(long)]
        out: Option<PathBuf>,
    },
}

/// Who acts, and in which organisation: the command line acts as an account, so that the
/// audit log names a person and the permission matrix applies as it does on the web.
#[derive(Args, Debug)]
pub struct ActingAs {
    /// The organisation's ODS code.
    #[arg(long)]
    pub org: String,
    /// The account acting (its email); it must hold the role the action needs there.
    #[arg(long = "as")]
    pub as_user: String,
}

#[derive(Subcommand, Debug)]
pub enum AssetsCommand {
    /// Import FILE into the register: a CSV register (docs/assets-csv.md) or an SBOM
    /// (CycloneDX 1.2-1.6 JSON or XML, SPDX 2.3 JSON), told apart by content. Assets are
    /// upserted by key; what the same register no longer lists is removed. All or nothing.
    Import {
        file: PathBuf,
        #[command(flatten)]
        who: ActingAs,
        /// Only show what would change.
        #[arg(long)]
        dry_run: bool,
        /// Keep assets this source brought before that the file no longer lists.
        #[arg(long)]
        keep_missing: bool,
        /// A CSV header the built-in names do not know, as HEADER=COLUMN (repeatable).
        #[arg(long = "map")]
        map: Vec<String>,
    },
    /// Write the register as CSV (to standard output, or --out).
    Export {
        #[command(flatten)]
        who: ActingAs,
        #[arg(long)]
        out: Option<PathBuf>,
    },
}

#[derive(Subcommand, Debug)]
pub enum AlertsCommand {
    /// Import FILE: a CSAF 2.0 advisory becomes a draft alert, a CISA KEV catalogue replaces
    /// the catalogue (told apart by content). The account must publish alerts.
    Import {
        file: PathBuf,
        #[command(flatten)]
        who: ActingAs,
        /// Publish the draft an advisory becomes at once.
        #[arg(long)]
        publish: bool,
    },
    /// Publish a draft alert by id.
    Publish {
        id: String,
        #[command(flatten)]
        who: ActingAs,
    },
}

#[derive(Subcommand, Debug)]
pub enum LifecycleCommand {
    /// Lay an endoflife.date product page (NAME.md) or release-data file (NAME.json) over the
    /// catalogue; the file's name names the product.
    Import {
        file: PathBuf,
        /// Where the file came from, kept as its provenance [default: the file's name].
        #[arg(long)]
        source: Option<String>,
    },
    /// List the catalogue: product, releases, source.
    List,
}
