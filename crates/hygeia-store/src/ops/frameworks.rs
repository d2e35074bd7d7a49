//! The framework library: a version and all its nodes written in one transaction, in
//! multi-row inserts (a full NIST SP 800-53 catalog is about 1,200 nodes).

use super::audit::append;
use super::{Cols, Repo};
use crate::StoreError;
use crate::model::{NewAudit, StoredFramework};
use hygeia_domain::assessments::framework::{AnswerKind, Framework, Node, NodeKind, Profile, StatusRule};
use hygeia_domain::ids::FrameworkId;

/// Nodes per insert statement: 12 parameters each, well under both backends' limits.
const NODES_PER_INSERT: usize = 200;
const NODE_PARAMS: usize = 12;

const COLUMNS: &str = "id, key, version, title, publisher, source_url, licence, origin, node_count, imported_by, imported_at, status_rule";

fn stored(row: &dyn Cols) -> Result<StoredFramework, StoreError> {
    Ok(StoredFramework {
        id: FrameworkId(row.id("id")?),
        key: row.text("key")?,
        version: row.text("version")?,
        title: row.text("title")?,
        publisher: row.text("publisher")?,
        source_url: row.opt_text("source_url")?,
        licence: row.text("licence")?,
        origin: row.text("origin")?,
        node_count: row.int("node_count")?,
        imported_by: row.text("imported_by")?,
        imported_at: row.int("imported_at")?,
        status_rule: row.opt_text("status_rule")?,
    })
}

fn code<T: serde::Serialize>(value: T) -> String {
    serde_json::to_value(value)
        .ok()
        .and_then(|v| v.as_str().map(str::to_owned))
        .unwrap_or_default()
}

fn parse<T: serde::de::DeserializeOwned>(text: &str, what: &str) -> Result<T, StoreError> {
    serde_json::from_value(serde_json::Value::String(text.to_owned()))
        .map_err(|e| StoreError::Corrupt(format!("{what} '{text}': {e}")))
}

fn words(text: &str) -> Vec<String> {
    text.split_whitespace().map(str::to_owned).collect()
}

impl Repo {
    /// Stores a validated framework version; a version already in the library is a conflict.
    pub async fn add_framework(
        &self,
        meta: &StoredFramework,
        framework: &Framework,
        audit: &NewAudit,
    ) -> Result<(), StoreError> {
        let mut tx = self.begin_write().await?;
        sqlx::query(composed!(
            "insert into frameworks ({COLUMNS}) values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)"
        ))
        .bind(meta.id.0)
        .bind(&meta.key)
        .bind(&meta.version)
        .bind(&meta.title)
        .bind(&meta.publisher)
        .bind(&meta.source_url)
        .bind(&meta.licence)
        .bind(&meta.origin)
        .bind(meta.node_count)
        .bind(&meta.imported_by)
        .bind(meta.imported_at)
        .bind(framework.status_rule.map(|r| r.code()))
        .execute(&mut *tx)
        .await?;
        for (batch_no, batch) in framework.nodes.chunks(NODES_PER_INSERT).enumerate() {
            let marks: Vec<String> = (0..batch.len())
                .map(|i| {
                    let b = i * NODE_PARAMS;
                    let cells: Vec<String> = (1..=NODE_PARAMS).map(|k| format!("${}", b + k)).collect();
                    format!("({})", cells.join(", "))
                })
                .collect();
            let sql = format!(
                "insert into framework_nodes (framework_id, seq, ref_id, parent_ref, kind, title, summary, answer, level, \
                 applies_to, mandatory_for, source) values {}",
                marks.join(", ")
            );
            let mut q = sqlx::query(sqlx::AssertSqlSafe(sql));
            for (i, n) in batch.iter().enumerate() {
                let seq = i64::try_from(batch_no * NODES_PER_INSERT + i).unwrap_or(i64::MAX);
                q = q
                    .bind(meta.id.0)
                    .bind(seq)
                    .bind(n.ref_id.clone())
                    .bind(n.parent.clone())
                    .bind(code(n.kind))
                    .bind(n.title.clone())
                    .bind(n.summary.clone())
                    .bind(code(n.answer))
                    .bind(n.level.clone())
                    .bind(n.applies_to.join(" "))
                    .bind(n.mandatory_for.join(" "))
                    .bind(n.source.clone());
            }
            q.execute(&mut *tx).await?;
        }
        for (seq, p) in framework.profiles.iter().enumerate() {
            let minima = serde_json::to_string(&p.minima).map_err(|e| StoreError::Corrupt(e.to_string()))?;
            sqlx::query(
                "insert into framework_profiles (framework_id, seq, key, title, summary, source, minima) \
                 values ($1, $2, $3, $4, $5, $6, $7)",
            )
            .bind(meta.id.0)
            .bind(i64::try_from(seq).unwrap_or(i64::MAX))
            .bind(&p.key)
            .bind(&p.title)
            .bind(&p.summary)
            .bind(&p.source)
            .bind(minima)
            .execute(&mut *tx)
            .await?;
        }
        append(&mut tx, audit).await?;
        self.commit(tx).await?;
        Ok(())
    }

    /// Every framework version in the library, by key and then version.
    pub async fn frameworks(&self) -> Result<Vec<StoredFramework>, StoreError> {
        self.read_all(
            composed!("select {COLUMNS} from frameworks order by key, version limit 1000"),
            &[],
            stored,
        )
        .await
    }

    pub async fn find_framework(&self, key: &str, version: &str) -> Result<Option<StoredFramework>, StoreError> {
        self.read_opt(
            composed!("select {COLUMNS} from frameworks where key = $1 and version = $2"),
            &[key.into(), version.into()],
            stored,
        )
        .await
    }

    /// A stored version with its nodes in reading order, as a framework again.
    pub async fn framework_nodes(&self, id: FrameworkId) -> Result<Vec<Node>, StoreError> {
        self.read_all(
            "select ref_id, parent_ref, kind, title, summary, answer, level, applies_to, mandatory_for, source \
             from framework_nodes where framework_id = $1 order by seq",
            &[id.0.into()],
            |r| {
                Ok(Node {
                    ref_id: r.text("ref_id")?,
                    parent: r.opt_text("parent_ref")?,
                    kind: parse::<NodeKind>(&r.text("kind")?, "kind")?,
                    title: r.text("title")?,
                    summary: r.text("summary")?,
                    answer: parse::<AnswerKind>(&r.text("answer")?, "answer")?,
                    level: r.opt_text("level")?,
                    applies_to: words(&r.text("applies_to")?),
                    mandatory_for: words(&r.text("mandatory_for")?),
                    source: r.opt_text("source")?,
                })
            },
        )
        .await
    }

    /// A version's target profiles, in the order the catalogue gives them.
    pub async fn framework_profiles(&self, id: FrameworkId) -> Result<Vec<Profile>, StoreError> {
        self.read_all(
            "select key, title, summary, source, minima from framework_profiles where framework_id = $1 order by seq",
            &[id.0.into()],
            |r| {
                Ok(Profile {
                    key: r.text("key")?,
                    title: r.text("title")?,
                    summary: r.text("summary")?,
                    source: r.opt_text("source")?,
                    minima: serde_json::from_str(&r.text("minima")?)
                        .map_err(|e| StoreError::Corrupt(format!("profile minima: {e}")))?,
                })
            },
        )
        .await
    }

    pub async fn framework_by_id(&self, id: FrameworkId) -> Result<StoredFramework, StoreError> {
        self.read_one(
            composed!("select {COLUMNS} from frameworks where id = $1"),
            &[id.0.into()],
            stored,
        )
        .await
    }

    /// A stored version whole again: its record, nodes and profiles.
    pub async fn framework(&self, id: FrameworkId) -> Result<(StoredFramework, Framework), StoreError> {
        let meta = self.framework_by_id(id).await?;
        let nodes = self.framework_nodes(id).await?;
        let profiles = self.framework_profiles(id).await?;
        let framework = Framework {
            key: meta.key.clone(),
            version: meta.version.clone(),
            title: meta.title.clone(),
            publisher: meta.publisher.clone(),
            source_url: meta.source_url.clone(),
            licence: meta.licence.clone(),
            nodes,
            profiles,
            status_rule: meta.status_rule.as_deref().and_then(StatusRule::from_code),
        };
        Ok((meta, framework))
    }

    /// Saves a profile of a stored version: replaces the one with its key, or adds it last.
    /// Drafts score against it from then on; publications keep the grades they were sealed
    /// with.
    pub async fn save_profile(&self, id: FrameworkId, p: &Profile, audit: &NewAudit) -> Result<(), StoreError> {
        let minima = serde_json::to_string(&p.minima).map_err(|e| StoreError::Corrupt(e.to_string()))?;
        let mut tx = self.begin_write().await?;
        let updated = sqlx::query(
            "update framework_profiles set title = $3, summary = $4, source = $5, minima = $6 \
             where framework_id = $1 and key = $2",
        )
        .bind(id.0)
        .bind(&p.key)
        .bind(&p.title)
        .bind(&p.summary)
        .bind(&p.source)
        .bind(&minima)
        .execute(&mut *tx)
        .await?;
        if updated.rows_affected() == 0 {
            sqlx::query(
                "insert into framework_profiles (framework_id, seq, key, title, summary, source, minima) \
                 select $1, coalesce(max(seq), -1) + 1, $2, $3, $4, $5, $6 from framework_profiles where framework_id = $1",
            )
            .bind(id.0)
            .bind(&p.key)
            .bind(&p.title)
            .bind(&p.summary)
            .bind(&p.source)
            .bind(&minima)
            .execute(&mut *tx)
            .await?;
        }
        append(&mut tx, audit).await?;
        self.commit(tx).await?;
        Ok(())
    }
}
