//! Appending to and reading the audit chains.

use super::{Cols, Repo, Tx, int};
use crate::StoreError;
use crate::model::NewAudit;
use hygeia_domain::audit::{AuditEvent, AuditRecord, GENESIS, link_hash};
use hygeia_domain::page::{Page, PageRequest};
use sqlx::Row as _;

/// Appends one record to its chain inside the caller's transaction. The `update … returning`
/// on the chain's head row takes that row's lock, so concurrent writers to one chain queue up
/// and each links to the hash its predecessor committed.
pub(super) async fn append(tx: &mut Tx<'_>, audit: &NewAudit) -> Result<(), StoreError> {
    sqlx::query("insert into audit_heads (chain, seq, hash) values ($1, 0, $2) on conflict (chain) do nothing")
        .bind(&audit.chain)
        .bind(GENESIS)
        .execute(&mut **tx)
        .await?;
    let head = sqlx::query("update audit_heads set seq = seq + 1 where chain = $1 returning seq, hash")
        .bind(&audit.chain)
        .fetch_one(&mut **tx)
        .await?;
    let seq: i64 = head.try_get("seq")?;
    let prev: String = head.try_get("hash")?;
    let hash = link_hash(&prev, &audit.chain, seq, &audit.event);
    let e = &audit.event;
    sqlx::query(
        "insert into audit_log (id, chain, seq, at, actor_id, actor_label, action, object_type, object_id, changes, prev_hash, hash) \
         values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)",
    )
    .bind(audit.id.0)
    .bind(&audit.chain)
    .bind(seq)
    .bind(e.at_ms)
    .bind(&e.actor_id)
    .bind(&e.actor_label)
    .bind(&e.action)
    .bind(&e.object_type)
    .bind(&e.object_id)
    .bind(e.changes.to_string())
    .bind(&prev)
    .bind(&hash)
    .execute(&mut **tx)
    .await?;
    sqlx::query("update audit_heads set hash = $2 where chain = $1")
        .bind(&audit.chain)
        .bind(&hash)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

const AUDIT_COLUMNS: &str =
    "id, chain, seq, at, actor_id, actor_label, action, object_type, object_id, changes, prev_hash, hash";

fn record(row: &dyn Cols) -> Result<AuditRecord, StoreError> {
    let changes = row.text("changes")?;
    Ok(AuditRecord {
        id: row.id("id")?.to_string(),
        chain: row.text("chain")?,
        seq: row.int("seq")?,
        event: AuditEvent {
            at_ms: row.int("at")?,
            actor_id: row.opt_text("actor_id")?,
            actor_label: row.text("actor_label")?,
            action: row.text("action")?,
            object_type: row.text("object_type")?,
            object_id: row.text("object_id")?,
            changes: serde_json::from_str(&changes).map_err(|e| StoreError::Corrupt(format!("audit changes: {e}")))?,
        },
        prev_hash: row.text("prev_hash")?,
        hash: row.text("hash")?,
    })
}

impl Repo {
    /// A page of one chain, newest first, for people to read.
    pub async fn list_audit(&self, chain: &str, page: PageRequest) -> Result<Page<AuditRecord>, StoreError> {
        let items = self
            .read_all(
                composed!(
                    "select {AUDIT_COLUMNS} from audit_log where chain = $1 order by seq desc limit $2 offset $3"
                ),
                &[chain.into(), i64::from(page.limit).into(), int(page.offset).into()],
                record,
            )
            .await?;
        self.page_of(
            page,
            items,
            "select count(*) as n from audit_log where chain = $1",
            &[chain.into()],
        )
        .await
    }

    /// Every chain's recorded head: `(chain, seq, hash)`.
    pub async fn audit_heads(&self) -> Result<Vec<(String, i64, String)>, StoreError> {
        self.read_all("select chain, seq, hash from audit_heads order by chain", &[], |r| {
            Ok((r.text("chain")?, r.int("seq")?, r.text("hash")?))
        })
        .await
    }

    /// Records of one chain in order, from `after_seq`, in batches so verification of a long
    /// chain runs in bounded memory.
    pub async fn audit_batch(&self, chain: &str, after_seq: i64, limit: u32) -> Result<Vec<AuditRecord>, StoreError> {
        self.read_all(
            composed!("select {AUDIT_COLUMNS} from audit_log where chain = $1 and seq > $2 order by seq limit $3"),
            &[chain.into(), after_seq.into(), i64::from(limit).into()],
            record,
        )
        .await
    }

    /// Chains that have records but no head (a head row deleted to hide truncation).
    pub async fn audit_chains_without_head(&self) -> Result<Vec<String>, StoreError> {
        self.read_all(
            "select distinct chain from audit_log where chain not in (select chain from audit_heads) order by chain",
            &[],
            |r| r.text("chain"),
        )
        .await
    }
}
