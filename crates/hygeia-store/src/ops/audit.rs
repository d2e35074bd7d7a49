//! Appending to and reading the audit chains.

use super::{Repo, Row, Tx, int, rows};
use crate::StoreError;
use crate::model::NewAudit;
use hygeia_domain::audit::{AuditEvent, AuditRecord, GENESIS, link_hash};
use hygeia_domain::page::{Page, PageRequest};
use sqlx::Row as _;
use uuid::Uuid;

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

fn record(row: &Row) -> Result<AuditRecord, StoreError> {
    let changes: String = row.try_get("changes")?;
    Ok(AuditRecord {
        id: row.try_get::<Uuid, _>("id")?.to_string(),
        chain: row.try_get("chain")?,
        seq: row.try_get("seq")?,
        event: AuditEvent {
            at_ms: row.try_get("at")?,
            actor_id: row.try_get("actor_id")?,
            actor_label: row.try_get("actor_label")?,
            action: row.try_get("action")?,
            object_type: row.try_get("object_type")?,
            object_id: row.try_get("object_id")?,
            changes: serde_json::from_str(&changes).map_err(|e| StoreError::Corrupt(format!("audit changes: {e}")))?,
        },
        prev_hash: row.try_get("prev_hash")?,
        hash: row.try_get("hash")?,
    })
}

impl Repo {
    /// A page of one chain, newest first, for people to read.
    pub async fn list_audit(&self, chain: &str, page: PageRequest) -> Result<Page<AuditRecord>, StoreError> {
        let total = rows::count(
            &sqlx::query("select count(*) from audit_log where chain = $1")
                .bind(chain)
                .fetch_one(self.reader())
                .await?,
        )?;
        let items = sqlx::query(composed!(
            "select {AUDIT_COLUMNS} from audit_log where chain = $1 order by seq desc limit $2 offset $3"
        ))
        .bind(chain)
        .bind(i64::from(page.limit))
        .bind(int(page.offset))
        .fetch_all(self.reader())
        .await?
        .iter()
        .map(record)
        .collect::<Result<_, _>>()?;
        Ok(Page {
            items,
            total,
            limit: page.limit,
            offset: page.offset,
        })
    }

    /// Every chain's recorded head: `(chain, seq, hash)`.
    pub async fn audit_heads(&self) -> Result<Vec<(String, i64, String)>, StoreError> {
        let rows = sqlx::query("select chain, seq, hash from audit_heads order by chain")
            .fetch_all(self.reader())
            .await?;
        rows.iter()
            .map(|r| Ok((r.try_get("chain")?, r.try_get("seq")?, r.try_get("hash")?)))
            .collect()
    }

    /// Records of one chain in order, from `after_seq`, in batches so verification of a long
    /// chain runs in bounded memory.
    pub async fn audit_batch(&self, chain: &str, after_seq: i64, limit: u32) -> Result<Vec<AuditRecord>, StoreError> {
        sqlx::query(composed!(
            "select {AUDIT_COLUMNS} from audit_log where chain = $1 and seq > $2 order by seq limit $3"
        ))
        .bind(chain)
        .bind(after_seq)
        .bind(i64::from(limit))
        .fetch_all(self.reader())
        .await?
        .iter()
        .map(record)
        .collect()
    }

    /// Chains that have records but no head (a head row deleted to hide truncation).
    pub async fn audit_chains_without_head(&self) -> Result<Vec<String>, StoreError> {
        let rows = sqlx::query(
            "select distinct chain from audit_log where chain not in (select chain from audit_heads) order by chain",
        )
        .fetch_all(self.reader())
        .await?;
        rows.iter().map(|r| Ok(r.try_get("chain")?)).collect()
    }
}
