//! Building audit records, reading the log, and proving the chains unbroken.

use crate::access::{Actor, Scope};
use crate::{CoreError, Hygeia};
use hygeia_domain::audit::{AuditEvent, AuditRecord, BrokenLink, ChainWalker};
use hygeia_domain::ids::AuditId;
use hygeia_domain::page::{Page, PageRequest};
use hygeia_domain::permissions::Permission;
use hygeia_store::model::{NewAudit, PLATFORM_CHAIN};
use serde::Serialize;
use serde_json::Value;

/// How many records verification reads at a time.
const VERIFY_BATCH: u32 = 2_000;

#[derive(Debug, Clone, Serialize)]
pub struct ChainReport {
    pub chain: String,
    pub records: u64,
}

#[derive(Debug, Clone, Serialize)]
pub struct AuditVerification {
    pub chains: Vec<ChainReport>,
    /// The first broken link found, if any.
    pub broken: Option<BrokenLink>,
}

impl Hygeia {
    /// An audit record for an organisation's chain (or the platform's when `chain` is none).
    pub(crate) fn audit(
        &self,
        actor: Option<&Actor>,
        chain: Option<hygeia_domain::ids::OrgId>,
        action: &str,
        object_type: &str,
        object_id: impl ToString,
        changes: Value,
    ) -> NewAudit {
        NewAudit {
            id: AuditId(self.new_uuid()),
            chain: chain.map_or_else(|| PLATFORM_CHAIN.to_owned(), |c| c.to_string()),
            event: AuditEvent {
                at_ms: self.clock.now_ms(),
                actor_id: actor.map(|a| a.user.id.to_string()),
                actor_label: actor.map_or_else(|| "system".to_owned(), Actor::label),
                action: action.to_owned(),
                object_type: object_type.to_owned(),
                object_id: object_id.to_string(),
                changes,
            },
        }
    }

    /// An audit record of what the scope's actor did, in the chain of the scope's organisation.
    pub(crate) fn scope_audit(
        &self,
        scope: &Scope,
        action: &str,
        object_type: &str,
        object_id: impl ToString,
        changes: Value,
    ) -> NewAudit {
        self.audit(
            Some(&scope.actor),
            Some(scope.org_id()),
            action,
            object_type,
            object_id,
            changes,
        )
    }

    /// The organisation's audit log, newest first.
    pub async fn audit_log(&self, scope: &Scope, page: PageRequest) -> Result<Page<AuditRecord>, CoreError> {
        scope.require(Permission::AuditView)?;
        Ok(self.store.list_audit(&scope.org.id.to_string(), page).await?)
    }

    /// Walks every chain from its start and reports the first broken link.
    pub async fn verify_audit(&self) -> Result<AuditVerification, CoreError> {
        let mut chains = Vec::new();
        if let Some(orphan) = self.store.audit_chains_without_head().await?.into_iter().next() {
            return Ok(AuditVerification {
                chains,
                broken: Some(BrokenLink {
                    chain: orphan,
                    seq: 0,
                    record_id: None,
                    reason: "the chain's head record is missing".into(),
                }),
            });
        }
        for (chain, head_seq, head_hash) in self.store.audit_heads().await? {
            let mut walker = ChainWalker::new(&chain);
            let mut after = 0;
            loop {
                let batch = self.store.audit_batch(&chain, after, VERIFY_BATCH).await?;
                for record in &batch {
                    if let Err(broken) = walker.step(record) {
                        return Ok(AuditVerification {
                            chains,
                            broken: Some(broken),
                        });
                    }
                }
                after = batch.last().map_or(after, |r| r.seq);
                if batch.len() < VERIFY_BATCH as usize {
                    break;
                }
            }
            match walker.finish(Some((head_seq, &head_hash))) {
                Ok(count) => chains.push(ChainReport { chain, records: count }),
                Err(broken) => {
                    return Ok(AuditVerification {
                        chains,
                        broken: Some(broken),
                    });
                }
            }
        }
        Ok(AuditVerification { chains, broken: None })
    }
}

/// `{"field": [before, after]}` for each field that changed.
pub(crate) fn diff(pairs: &[(&str, Value, Value)]) -> Value {
    let mut map = serde_json::Map::new();
    for (field, before, after) in pairs {
        if before != after {
            map.insert((*field).to_owned(), Value::Array(vec![before.clone(), after.clone()]));
        }
    }
    Value::Object(map)
}
