//! The tables a backup holds, with their columns' kinds, in an order that satisfies foreign
//! keys on restore. Backups are portable: one taken on SQLite restores onto PostgreSQL and back.
//! Sessions and sign-in failure counts are left out: they are short-lived, and a restored
//! deployment starts with everyone signed out.

/// How a column's values cross into and out of the portable backup format.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Uuid,
    Text,
    Int,
    Bool,
    /// Binary data, as base64 text in the backup.
    Bytes,
}

#[derive(Debug)]
pub struct Column {
    pub name: &'static str,
    pub kind: Kind,
}

#[derive(Debug)]
pub struct Table {
    pub name: &'static str,
    pub columns: &'static [Column],
    /// A total order, so that two backups of the same data are byte-for-byte equal.
    pub order_by: &'static str,
    /// Columns that refer to rows of the same table: restored as null first, then set, so the
    /// order of rows does not matter.
    pub self_references: &'static [&'static str],
}

const fn c(name: &'static str, kind: Kind) -> Column {
    Column { name, kind }
}

use Kind::*;

/// The version of the backup format written and read.
pub const BACKUP_FORMAT: u32 = 1;

pub const BACKUP_TABLES: &[Table] = &[
    Table {
        name: "orgs",
        columns: &[
            c("id", Uuid),
            c("name", Text),
            c("ods_code", Text),
            c("org_type", Text),
            c("regimes", Text),
            c("is_oes", Bool),
            c("parent_id", Uuid),
            c("regulator_id", Uuid),
            c("require_mfa", Bool),
            c("time_zone", Text),
            c("created_at", Int),
            c("updated_at", Int),
        ],
        order_by: "id",
        self_references: &["parent_id", "regulator_id"],
    },
    Table {
        name: "users",
        columns: &[
            c("id", Uuid),
            c("email", Text),
            c("display_name", Text),
            c("password_hash", Text),
            c("is_platform_admin", Bool),
            c("totp_secret", Text),
            c("totp_enabled", Bool),
            c("totp_last_step", Int),
            c("created_at", Int),
            c("updated_at", Int),
        ],
        order_by: "id",
        self_references: &[],
    },
    Table {
        name: "recovery_codes",
        columns: &[c("user_id", Uuid), c("code_hash", Text), c("used_at", Int)],
        order_by: "user_id, code_hash",
        self_references: &[],
    },
    Table {
        name: "memberships",
        columns: &[
            c("org_id", Uuid),
            c("user_id", Uuid),
            c("role", Text),
            c("created_at", Int),
        ],
        order_by: "org_id, user_id",
        self_references: &[],
    },
    Table {
        name: "invitations",
        columns: &[
            c("id", Uuid),
            c("org_id", Uuid),
            c("email", Text),
            c("role", Text),
            c("token_hash", Text),
            c("invited_by", Uuid),
            c("created_at", Int),
            c("expires_at", Int),
            c("accepted_at", Int),
            c("revoked_at", Int),
        ],
        order_by: "id",
        self_references: &[],
    },
    Table {
        name: "api_tokens",
        columns: &[
            c("id", Uuid),
            c("user_id", Uuid),
            c("name", Text),
            c("token_hash", Text),
            c("read_only", Bool),
            c("org_id", Uuid),
            c("created_at", Int),
            c("expires_at", Int),
            c("last_used_at", Int),
            c("revoked_at", Int),
        ],
        order_by: "id",
        self_references: &[],
    },
    Table {
        name: "audit_heads",
        columns: &[c("chain", Text), c("seq", Int), c("hash", Text)],
        order_by: "chain",
        self_references: &[],
    },
    Table {
        name: "audit_log",
        columns: &[
            c("id", Uuid),
            c("chain", Text),
            c("seq", Int),
            c("at", Int),
            c("actor_id", Text),
            c("actor_label", Text),
            c("action", Text),
            c("object_type", Text),
            c("object_id", Text),
            c("changes", Text),
            c("prev_hash", Text),
            c("hash", Text),
        ],
        order_by: "chain, seq",
        self_references: &[],
    },
    Table {
        name: "incidents",
        columns: &[
            c("id", Uuid),
            c("org_id", Uuid),
            c("year", Int),
            c("number", Int),
            c("reference", Text),
            c("title", Text),
            c("category", Text),
            c("severity", Text),
            c("status", Text),
            c("occurred_at", Int),
            c("detected_at", Int),
            c("aware_at", Int),
            c("details", Text),
            c("facts", Text),
            c("created_by", Uuid),
            c("closed_at", Int),
            c("created_at", Int),
            c("updated_at", Int),
        ],
        order_by: "id",
        self_references: &[],
    },
    Table {
        name: "incident_events",
        columns: &[
            c("id", Uuid),
            c("incident_id", Uuid),
            c("seq", Int),
            c("at", Int),
            c("actor_label", Text),
            c("kind", Text),
            c("body", Text),
        ],
        order_by: "id",
        self_references: &[],
    },
    Table {
        name: "reportability_decisions",
        columns: &[
            c("id", Uuid),
            c("incident_id", Uuid),
            c("regime", Text),
            c("pack_version", Text),
            c("verdict", Text),
            c("outcome", Text),
            c("facts", Text),
            c("rationale", Text),
            c("decided_by", Text),
            c("decided_at", Int),
        ],
        order_by: "id",
        self_references: &[],
    },
    Table {
        name: "notifications",
        columns: &[
            c("id", Uuid),
            c("org_id", Uuid),
            c("incident_id", Uuid),
            c("recipient_org_id", Uuid),
            c("regime", Text),
            c("stage", Text),
            c("version", Int),
            c("previous_id", Uuid),
            c("entries", Text),
            c("due_at", Int),
            c("submitted_at", Int),
            c("on_time", Bool),
            c("late_reason", Text),
            c("submitted_by", Text),
            c("digest", Text),
            c("review_status", Text),
            c("reviewed_at", Int),
        ],
        order_by: "id",
        self_references: &["previous_id"],
    },
    Table {
        name: "notification_reviews",
        columns: &[
            c("id", Uuid),
            c("notification_id", Uuid),
            c("status", Text),
            c("message", Text),
            c("reviewed_by", Text),
            c("at", Int),
        ],
        order_by: "id",
        self_references: &[],
    },
    Table {
        name: "incident_clocks",
        columns: &[
            c("incident_id", Uuid),
            c("org_id", Uuid),
            c("regulator_id", Uuid),
            c("regime", Text),
            c("stage", Text),
            c("title", Text),
            c("due_at", Int),
            c("submitted_at", Int),
            c("state", Text),
            c("reminded_soon", Bool),
            c("reminded_overdue", Bool),
        ],
        order_by: "incident_id, regime, stage",
        self_references: &[],
    },
    Table {
        name: "outbox",
        columns: &[
            c("id", Uuid),
            c("recipient", Text),
            c("subject", Text),
            c("body", Text),
            c("created_at", Int),
            c("sent_at", Int),
            c("attempts", Int),
            c("last_error", Text),
        ],
        order_by: "id",
        self_references: &[],
    },
    Table {
        name: "playbooks",
        columns: &[
            c("org_id", Uuid),
            c("category", Text),
            c("body", Text),
            c("updated_by", Text),
            c("updated_at", Int),
        ],
        order_by: "org_id, category",
        self_references: &[],
    },
    Table {
        name: "incident_tasks",
        columns: &[
            c("id", Uuid),
            c("incident_id", Uuid),
            c("seq", Int),
            c("title", Text),
            c("role", Text),
            c("done_at", Int),
            c("done_by", Text),
            c("created_at", Int),
        ],
        order_by: "id",
        self_references: &[],
    },
    Table {
        name: "regime_settings",
        columns: &[
            c("regulator_id", Uuid),
            c("regime", Text),
            c("body", Text),
            c("updated_by", Text),
            c("updated_at", Int),
        ],
        order_by: "regulator_id, regime",
        self_references: &[],
    },
    Table {
        name: "notification_delivery",
        columns: &[
            c("org_id", Uuid),
            c("email", Text),
            c("updated_by", Text),
            c("updated_at", Int),
        ],
        order_by: "org_id",
        self_references: &[],
    },
    Table {
        name: "evidence_blobs",
        columns: &[
            c("org_id", Uuid),
            c("sha256", Text),
            c("size_bytes", Int),
            c("chunk_count", Int),
            c("created_at", Int),
        ],
        order_by: "org_id, sha256",
        self_references: &[],
    },
    Table {
        name: "evidence_chunks",
        columns: &[c("org_id", Uuid), c("sha256", Text), c("seq", Int), c("data", Bytes)],
        order_by: "org_id, sha256, seq",
        self_references: &[],
    },
    Table {
        name: "evidence",
        columns: &[
            c("id", Uuid),
            c("org_id", Uuid),
            c("kind", Text),
            c("title", Text),
            c("review_by", Text),
            c("created_by", Text),
            c("created_at", Int),
            c("updated_at", Int),
        ],
        order_by: "id",
        self_references: &[],
    },
    Table {
        name: "evidence_versions",
        columns: &[
            c("evidence_id", Uuid),
            c("version", Int),
            c("org_id", Uuid),
            c("file_name", Text),
            c("media_type", Text),
            c("size_bytes", Int),
            c("sha256", Text),
            c("url", Text),
            c("note", Text),
            c("added_by", Text),
            c("added_at", Int),
        ],
        order_by: "evidence_id, version",
        self_references: &[],
    },
    Table {
        name: "evidence_links",
        columns: &[
            c("evidence_id", Uuid),
            c("target_kind", Text),
            c("target_id", Text),
            c("org_id", Uuid),
            c("linked_by", Text),
            c("linked_at", Int),
        ],
        order_by: "evidence_id, target_kind, target_id",
        self_references: &[],
    },
    Table {
        name: "report_requests",
        columns: &[
            c("id", Uuid),
            c("regulator_id", Uuid),
            c("org_id", Uuid),
            c("incident_id", Uuid),
            c("notification_id", Uuid),
            c("regime", Text),
            c("stage", Text),
            c("due_at", Int),
            c("message", Text),
            c("requested_by", Text),
            c("requested_at", Int),
        ],
        order_by: "id",
        self_references: &[],
    },
];

/// Receives the rows of a table as a backup reads them.
pub type RowSink<'a> =
    dyn FnMut(serde_json::Map<String, serde_json::Value>) -> Result<(), crate::StoreError> + Send + 'a;
