//! Evidence, its versions and links, and files staged before they are stored.

use hygeia_domain::evidence::{EvidenceKind, LinkTarget};
use hygeia_domain::ids::*;
use serde::Serialize;

/// An item of the evidence library, with its latest version.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct EvidenceItem {
    pub id: EvidenceId,
    pub org_id: OrgId,
    pub kind: EvidenceKind,
    pub title: String,
    /// `YYYY-MM-DD`, when someone should check it is still true.
    pub review_by: Option<String>,
    pub created_by: String,
    pub created_at: i64,
    pub updated_at: i64,
    pub latest: EvidenceVersion,
    /// How many records it is linked to.
    pub link_count: i64,
}

/// One version of an item: a file (by its content hash), a link or a note.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct EvidenceVersion {
    pub evidence_id: EvidenceId,
    pub version: i64,
    pub file_name: Option<String>,
    pub media_type: Option<String>,
    pub size_bytes: Option<i64>,
    pub sha256: Option<String>,
    pub url: Option<String>,
    pub note: Option<String>,
    pub added_by: String,
    pub added_at: i64,
}

/// A new item, before it is stored.
#[derive(Debug, Clone)]
pub struct NewEvidence {
    pub id: EvidenceId,
    pub kind: EvidenceKind,
    pub title: String,
    pub review_by: Option<String>,
    pub created_by: String,
    pub created_at: i64,
}

/// Something an item is linked to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct EvidenceLink {
    pub evidence_id: EvidenceId,
    pub target_kind: LinkTarget,
    pub target_id: String,
    pub linked_by: String,
    pub linked_at: i64,
}

/// A file received in full, hashed and waiting on disk to be stored.
#[derive(Debug, Clone)]
pub struct StagedFile {
    pub path: std::path::PathBuf,
    pub sha256: String,
    pub size_bytes: i64,
}
