//! The evidence library: items, their versions, their links, and file contents stored once
//! per organisation by SHA-256, in chunks.
//!
//! One module per use: `write` (items, versions, file contents and links, each with its audit
//! record), `read` (the library as its pages and assessments read it), `reminders` (review
//! dates falling due). The row decoding the reads share is here.

mod read;
mod reminders;
mod write;

use super::Cols;
use crate::StoreError;
use crate::model::*;
use hygeia_domain::evidence::EvidenceKind;
use hygeia_domain::ids::{EvidenceId, OrgId};

const ITEM_COLUMNS: &str = "e.id, e.org_id, e.kind, e.title, e.review_by, e.created_by, e.created_at, e.updated_at, \
     v.version, v.file_name, v.media_type, v.size_bytes, v.sha256, v.url, v.note, v.added_by, v.added_at, \
     (select count(*) from evidence_links l where l.evidence_id = e.id) as link_count";

/// The item joined to its latest version.
const ITEM_FROM: &str = "from evidence e join evidence_versions v on v.evidence_id = e.id \
     and v.version = (select max(w.version) from evidence_versions w where w.evidence_id = e.id)";

const VERSION_COLUMNS: &str = "v.evidence_id, v.version, v.file_name, v.media_type, v.size_bytes, v.sha256, v.url, v.note, v.added_by, v.added_at";

fn version(row: &dyn Cols) -> Result<EvidenceVersion, StoreError> {
    Ok(EvidenceVersion {
        evidence_id: EvidenceId(row.id("evidence_id")?),
        version: row.int("version")?,
        file_name: row.opt_text("file_name")?,
        media_type: row.opt_text("media_type")?,
        size_bytes: row.opt_int("size_bytes")?,
        sha256: row.opt_text("sha256")?,
        url: row.opt_text("url")?,
        note: row.opt_text("note")?,
        added_by: row.text("added_by")?,
        added_at: row.int("added_at")?,
    })
}

fn item(row: &dyn Cols) -> Result<EvidenceItem, StoreError> {
    let id = EvidenceId(row.id("id")?);
    Ok(EvidenceItem {
        id,
        org_id: OrgId(row.id("org_id")?),
        kind: EvidenceKind::parse(&row.text("kind")?, "kind")?,
        title: row.text("title")?,
        review_by: row.opt_text("review_by")?,
        created_by: row.text("created_by")?,
        created_at: row.int("created_at")?,
        updated_at: row.int("updated_at")?,
        latest: version_of_item(row)?,
        link_count: row.int("link_count")?,
    })
}

/// The version columns of an item row (whose id column is `id`, not `evidence_id`).
fn version_of_item(row: &dyn Cols) -> Result<EvidenceVersion, StoreError> {
    Ok(EvidenceVersion {
        evidence_id: EvidenceId(row.id("id")?),
        version: row.int("version")?,
        file_name: row.opt_text("file_name")?,
        media_type: row.opt_text("media_type")?,
        size_bytes: row.opt_int("size_bytes")?,
        sha256: row.opt_text("sha256")?,
        url: row.opt_text("url")?,
        note: row.opt_text("note")?,
        added_by: row.text("added_by")?,
        added_at: row.int("added_at")?,
    })
}
