//! The evidence library's use cases. Files arrive through an [`Upload`]: streamed to a
//! staging file while hashed, measured against the limit and sniffed, then stored in one
//! transaction with the item, so a refused or broken upload leaves nothing behind.

use crate::{CoreError, Hygeia, Scope};
use hygeia_domain::evidence::{
    self as rules, EvidenceKind, LinkTarget, MediaType, ReviewState, SNIFF_BYTES, review_state,
};
use hygeia_domain::ids::EvidenceId;
use hygeia_domain::page::{Page, PageRequest};
use hygeia_domain::permissions::Permission;
use hygeia_domain::validation::Collector;
use hygeia_store::model::{EvidenceItem, EvidenceLink, EvidenceVersion, NewEvidence, StagedFile};
use serde::Serialize;
use serde_json::json;
use sha2::{Digest, Sha256};
use std::path::PathBuf;
use tokio::io::AsyncWriteExt;

mod library;
mod reading;

/// A staging file, removed when dropped: whether the upload is stored, refused or abandoned
/// halfway, nothing stays on disk.
struct TempPath(PathBuf);

impl Drop for TempPath {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.0);
    }
}

/// A file arriving. Feed it with [`Upload::push`], then [`Upload::finish`].
pub struct Upload {
    file: tokio::fs::File,
    temp: TempPath,
    hasher: Sha256,
    size: u64,
    head: Vec<u8>,
    limit: u64,
    file_name: String,
}

/// A file received in full, waiting to be stored.
pub struct StagedUpload {
    staged: StagedFile,
    media: MediaType,
    file_name: String,
    _temp: TempPath,
}

impl StagedUpload {
    pub fn sha256(&self) -> &str {
        &self.staged.sha256
    }

    pub fn media_type(&self) -> MediaType {
        self.media
    }
}

fn staging_error(e: std::io::Error) -> CoreError {
    CoreError::Internal(format!("staging an upload: {e}"))
}

impl Upload {
    /// Adds the next piece of the file; refuses it as soon as the limit is passed.
    pub async fn push(&mut self, bytes: &[u8]) -> Result<(), CoreError> {
        self.size += bytes.len() as u64;
        if self.size > self.limit {
            return Err(CoreError::TooLarge {
                limit_bytes: self.limit,
            });
        }
        if self.head.len() < SNIFF_BYTES {
            let take = (SNIFF_BYTES - self.head.len()).min(bytes.len());
            self.head.extend_from_slice(&bytes[..take]);
        }
        self.hasher.update(bytes);
        self.file.write_all(bytes).await.map_err(staging_error)
    }

    pub async fn finish(mut self) -> Result<StagedUpload, CoreError> {
        self.file.flush().await.map_err(staging_error)?;
        self.file.sync_data().await.map_err(staging_error)?;
        let sha256 = data_encoding::HEXLOWER.encode(&self.hasher.finalize());
        Ok(StagedUpload {
            media: rules::sniff(&self.head, &self.file_name),
            staged: StagedFile {
                path: self.temp.0.clone(),
                sha256,
                size_bytes: i64::try_from(self.size).unwrap_or(i64::MAX),
            },
            file_name: self.file_name,
            _temp: self.temp,
        })
    }
}

/// What a new item or version holds.
pub enum EvidenceContent {
    File(StagedUpload),
    Link(String),
    Note(String),
}

impl EvidenceContent {
    fn kind(&self) -> EvidenceKind {
        match self {
            EvidenceContent::File(_) => EvidenceKind::File,
            EvidenceContent::Link(_) => EvidenceKind::Link,
            EvidenceContent::Note(_) => EvidenceKind::Note,
        }
    }
}

/// A new item: its title, review date, first content and, optionally, what it evidences.
pub struct EvidenceInput {
    pub title: String,
    pub review_by: String,
    pub content: EvidenceContent,
    pub link: Option<(LinkTarget, String)>,
}

/// An item as lists show it: with where it stands against its review date.
#[derive(Debug, Clone, Serialize)]
pub struct EvidenceRow {
    #[serde(flatten)]
    pub item: EvidenceItem,
    pub review_state: ReviewState,
}

/// An item with its history and links.
#[derive(Debug, Clone, Serialize)]
pub struct EvidenceDetail {
    #[serde(flatten)]
    pub row: EvidenceRow,
    pub versions: Vec<EvidenceVersion>,
    pub links: Vec<EvidenceLink>,
}

/// The version's content fields, checked.
fn version_of(
    id: EvidenceId,
    content: &EvidenceContent,
    by: &str,
    at: i64,
) -> Result<EvidenceVersion, hygeia_domain::Invalid> {
    let mut v = EvidenceVersion {
        evidence_id: id,
        version: 0,
        file_name: None,
        media_type: None,
        size_bytes: None,
        sha256: None,
        url: None,
        note: None,
        added_by: by.to_owned(),
        added_at: at,
    };
    match content {
        EvidenceContent::File(f) => {
            v.file_name = Some(f.file_name.clone());
            v.media_type = Some(f.media.mime.to_owned());
            v.size_bytes = Some(f.staged.size_bytes);
            v.sha256 = Some(f.staged.sha256.clone());
        }
        EvidenceContent::Link(url) => v.url = Some(rules::check_url(url, "url")?),
        EvidenceContent::Note(note) => v.note = Some(rules::check_note(note, "note")?),
    }
    Ok(v)
}

fn staged(content: &EvidenceContent) -> Option<&StagedFile> {
    match content {
        EvidenceContent::File(f) => Some(&f.staged),
        _ => None,
    }
}

/// Whole days from today in `time_zone` (UTC if unknown) to `date` (`YYYY-MM-DD`), negative
/// once it has passed; `None` for a date that does not parse.
pub(crate) fn days_until(date: &str, time_zone: &str, now_ms: i64) -> Option<i64> {
    let due: jiff::civil::Date = date.parse().ok()?;
    let tz = jiff::tz::TimeZone::get(time_zone).unwrap_or(jiff::tz::TimeZone::UTC);
    let today = jiff::Timestamp::from_millisecond(now_ms)
        .ok()?
        .to_zoned_datetime(tz)
        .date();
    today.until(due).ok().map(|span| i64::from(span.get_days()))
}
