//! The audit log as a hash chain. Each record's hash covers the previous record's hash and the
//! record's canonical bytes, so removing, reordering or editing any record breaks every link
//! after it. There is one chain per organisation and one for platform-wide events, so that
//! organisations never wait on each other to write.

use serde::{Deserialize, Serialize};
use serde_json::Value;
use sha2::{Digest, Sha256};

/// The hash a chain starts from.
pub const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// What happened, as recorded. `changes` maps field names to `[before, after]` pairs or to
/// the values set; secrets never enter it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AuditEvent {
    pub at_ms: i64,
    /// The actor's user id, or none for the system itself (demo seeding, the worker).
    pub actor_id: Option<String>,
    /// How the actor is shown: their email, or `system`.
    pub actor_label: String,
    /// A dotted verb such as `org.update` or `member.invite`.
    pub action: String,
    pub object_type: String,
    pub object_id: String,
    pub changes: Value,
}

/// A record as stored: the event plus its place in its chain.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AuditRecord {
    pub id: String,
    /// The organisation id, or `platform`.
    pub chain: String,
    pub seq: i64,
    pub event: AuditEvent,
    pub prev_hash: String,
    pub hash: String,
}

/// Canonical JSON: object keys sorted at every depth, no insignificant white space. The same
/// event always gives the same bytes, whatever map order the JSON library keeps.
pub fn canonical_json(value: &Value) -> String {
    match value {
        Value::Object(map) => {
            let mut keys: Vec<&String> = map.keys().collect();
            keys.sort();
            let fields: Vec<String> = keys
                .into_iter()
                .map(|k| format!("{}:{}", Value::String(k.clone()), canonical_json(&map[k])))
                .collect();
            format!("{{{}}}", fields.join(","))
        }
        Value::Array(items) => format!("[{}]", items.iter().map(canonical_json).collect::<Vec<_>>().join(",")),
        scalar => scalar.to_string(),
    }
}

/// The bytes a record's hash covers: chain, position and every field of the event.
pub fn canonical_bytes(chain: &str, seq: i64, event: &AuditEvent) -> Vec<u8> {
    let value = serde_json::json!({
        "chain": chain,
        "seq": seq,
        "at_ms": event.at_ms,
        "actor_id": event.actor_id,
        "actor_label": event.actor_label,
        "action": event.action,
        "object_type": event.object_type,
        "object_id": event.object_id,
        "changes": event.changes,
    });
    canonical_json(&value).into_bytes()
}

/// The hash of a record that follows `prev_hash`.
pub fn link_hash(prev_hash: &str, chain: &str, seq: i64, event: &AuditEvent) -> String {
    let mut hasher = Sha256::new();
    hasher.update(prev_hash.as_bytes());
    hasher.update(b"\n");
    hasher.update(canonical_bytes(chain, seq, event));
    hex(&hasher.finalize())
}

pub fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// Where a chain is broken, and how.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct BrokenLink {
    pub chain: String,
    pub seq: i64,
    pub record_id: Option<String>,
    pub reason: String,
}

/// Checks one chain's records one at a time, in order of `seq`, so a chain of any length is
/// verified in constant memory.
#[derive(Debug)]
pub struct ChainWalker {
    chain: String,
    prev: String,
    next_seq: i64,
}

impl ChainWalker {
    pub fn new(chain: &str) -> Self {
        Self {
            chain: chain.to_owned(),
            prev: GENESIS.to_owned(),
            next_seq: 1,
        }
    }

    fn broken(&self, seq: i64, record_id: Option<&str>, reason: String) -> BrokenLink {
        BrokenLink {
            chain: self.chain.clone(),
            seq,
            record_id: record_id.map(str::to_owned),
            reason,
        }
    }

    /// Checks the next record.
    pub fn step(&mut self, record: &AuditRecord) -> Result<(), BrokenLink> {
        let id = Some(record.id.as_str());
        if record.seq != self.next_seq {
            return Err(self.broken(
                self.next_seq,
                id,
                format!("record {} is missing (found {} next)", self.next_seq, record.seq),
            ));
        }
        if record.prev_hash != self.prev {
            return Err(self.broken(
                record.seq,
                id,
                "its previous-hash does not match the record before it".into(),
            ));
        }
        let hash = link_hash(&self.prev, &self.chain, record.seq, &record.event);
        if hash != record.hash {
            return Err(self.broken(
                record.seq,
                id,
                "its contents do not match its hash (the record was changed)".into(),
            ));
        }
        self.prev = hash;
        self.next_seq += 1;
        Ok(())
    }

    /// Ends the walk; `head` is the chain's recorded last `(seq, hash)`, which catches records
    /// cut off the end. Returns how many records were checked.
    pub fn finish(self, head: Option<(i64, &str)>) -> Result<u64, BrokenLink> {
        let count = self.next_seq - 1;
        if let Some((head_seq, head_hash)) = head
            && (head_seq != count || head_hash != self.prev)
        {
            return Err(self.broken(
                head_seq,
                None,
                format!("the chain's head says {head_seq} records but {count} were found (records were removed)"),
            ));
        }
        Ok(u64::try_from(count).unwrap_or(0))
    }
}

/// Checks a whole chain held in memory.
pub fn verify_chain<'a>(
    chain: &str,
    records: impl IntoIterator<Item = &'a AuditRecord>,
    head: Option<(i64, &str)>,
) -> Result<u64, BrokenLink> {
    let mut walker = ChainWalker::new(chain);
    for record in records {
        walker.step(record)?;
    }
    walker.finish(head)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn event(n: i64) -> AuditEvent {
        AuditEvent {
            at_ms: 1_700_000_000_000 + n,
            actor_id: Some("u1".into()),
            actor_label: "a@example.nhs.uk".into(),
            action: "org.update".into(),
            object_type: "org".into(),
            object_id: "o1".into(),
            changes: serde_json::json!({"name": ["Old", format!("New {n}")], "a": 1}),
        }
    }

    fn build(n: i64) -> Vec<AuditRecord> {
        let mut prev = GENESIS.to_owned();
        (1..=n)
            .map(|seq| {
                let e = event(seq);
                let hash = link_hash(&prev, "c", seq, &e);
                let r = AuditRecord {
                    id: format!("r{seq}"),
                    chain: "c".into(),
                    seq,
                    event: e,
                    prev_hash: prev.clone(),
                    hash: hash.clone(),
                };
                prev = hash;
                r
            })
            .collect()
    }

    #[test]
    fn canonical_json_sorts_keys() {
        let a: Value = serde_json::from_str(r#"{"b":1,"a":{"d":2,"c":[1,{"z":0,"y":1}]}}"#).unwrap();
        assert_eq!(canonical_json(&a), r#"{"a":{"c":[1,{"y":1,"z":0}],"d":2},"b":1}"#);
    }

    #[test]
    fn intact_chain_verifies() {
        let records = build(5);
        let head = records.last().map(|r| (r.seq, r.hash.as_str()));
        assert_eq!(verify_chain("c", &records, head), Ok(5));
    }

    #[test]
    fn truncation_is_caught_by_the_head() {
        let records = build(5);
        let head = (5, records[4].hash.as_str());
        let err = verify_chain("c", &records[..4], Some(head)).unwrap_err();
        assert!(err.reason.contains("removed"));
    }

    proptest! {
        /// Changing any one record anywhere is found at exactly that record.
        #[test]
        fn any_tamper_is_found_where_it_is(n in 1i64..20, at in 0usize..20, what in 0u8..4) {
            let mut records = build(n);
            let at = at % records.len();
            match what {
                0 => records[at].event.actor_label.push('x'),
                1 => records[at].event.at_ms += 1,
                2 => records[at].event.changes = serde_json::json!({}),
                _ => records[at].event.object_id.push('x'),
            }
            let err = verify_chain("c", &records, None).unwrap_err();
            prop_assert_eq!(err.seq, records[at].seq);
        }

        #[test]
        fn deletion_is_found(n in 2i64..20, at in 0usize..19) {
            let mut records = build(n);
            let at = at % (records.len() - 1);
            records.remove(at);
            prop_assert!(verify_chain("c", &records, None).is_err());
        }
    }
}
