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

impl Hygeia {
    /// Starts receiving a file for the evidence library of the scope's organisation.
    pub async fn begin_upload(&self, scope: &Scope, file_name: &str) -> Result<Upload, CoreError> {
        scope.require(Permission::EvidenceManage)?;
        let dir = self.config.staging_dir.clone().unwrap_or_else(std::env::temp_dir);
        let name = format!(
            "hygeia-upload-{}",
            data_encoding::HEXLOWER.encode(&crate::secrets::random_bytes::<12>())
        );
        let path = dir.join(name);
        let file = tokio::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&path)
            .await
            .map_err(staging_error)?;
        Ok(Upload {
            file,
            temp: TempPath(path),
            hasher: Sha256::new(),
            size: 0,
            head: Vec::with_capacity(SNIFF_BYTES),
            limit: self.config.max_evidence_bytes,
            file_name: rules::safe_file_name(file_name),
        })
    }

    pub fn max_evidence_bytes(&self) -> u64 {
        self.config.max_evidence_bytes
    }

    /// Adds an item to the library.
    pub async fn add_evidence(&self, scope: &Scope, input: EvidenceInput) -> Result<EvidenceId, CoreError> {
        scope.require(Permission::EvidenceManage)?;
        let id = EvidenceId(self.new_uuid());
        let by = scope.actor.label();
        let now = self.now_ms();
        let mut c = Collector::new();
        let title = c.check(rules::check_title(&input.title, "title"));
        let review_by = c.check(rules::check_review_by(&input.review_by, "review_by"));
        let first = c.check(version_of(id, &input.content, &by, now));
        c.finish()?;
        let (Some(title), Some(review_by), Some(first)) = (title, review_by, first) else {
            return Err(CoreError::Internal("validated input went missing".into()));
        };
        if let Some((_, target_id)) = &input.link
            && target_id.trim().is_empty()
        {
            return Err(CoreError::field("target_id", "is required"));
        }
        let link = input.link.as_ref().map(|(kind, target_id)| EvidenceLink {
            evidence_id: id,
            target_kind: *kind,
            target_id: target_id.trim().to_owned(),
            linked_by: by.clone(),
            linked_at: now,
        });
        let new = NewEvidence {
            id,
            kind: input.content.kind(),
            title: title.clone(),
            review_by: review_by.clone(),
            created_by: by,
            created_at: now,
        };
        let audit = self.audit(
            Some(&scope.actor),
            Some(scope.org_id()),
            "evidence.add",
            "evidence",
            id,
            json!({
                "title": title,
                "kind": new.kind.code(),
                "review_by": review_by,
                "sha256": first.sha256,
                "url": first.url,
                "linked_to": link.as_ref().map(|l| format!("{}:{}", l.target_kind.code(), l.target_id)),
            }),
        );
        self.store
            .add_evidence(
                scope.org_id(),
                &new,
                &first,
                staged(&input.content),
                link.as_ref(),
                &audit,
            )
            .await?;
        Ok(id)
    }

    /// Adds a version to an item; its content must be of the item's kind.
    pub async fn add_evidence_version(
        &self,
        scope: &Scope,
        id: EvidenceId,
        content: EvidenceContent,
    ) -> Result<i64, CoreError> {
        scope.require(Permission::EvidenceManage)?;
        let item = self.store.evidence_item(scope.org_id(), id).await?;
        if item.kind != content.kind() {
            return Err(CoreError::field(
                "content",
                &format!("this item holds a {}; a new version must too", item.kind.code()),
            ));
        }
        let v = version_of(id, &content, &scope.actor.label(), self.now_ms())?;
        let audit = self.audit(
            Some(&scope.actor),
            Some(scope.org_id()),
            "evidence.version",
            "evidence",
            id,
            json!({"sha256": v.sha256, "url": v.url, "file_name": v.file_name}),
        );
        Ok(self
            .store
            .add_evidence_version(scope.org_id(), &v, staged(&content), &audit)
            .await?)
    }

    /// Renames an item and sets (or clears) its review-by date.
    pub async fn update_evidence(
        &self,
        scope: &Scope,
        id: EvidenceId,
        title: &str,
        review_by: &str,
    ) -> Result<(), CoreError> {
        scope.require(Permission::EvidenceManage)?;
        // Another organisation's item is not found, whatever was sent.
        let before = self.store.evidence_item(scope.org_id(), id).await?;
        let mut c = Collector::new();
        let title = c.check(rules::check_title(title, "title"));
        let review_by = c.check(rules::check_review_by(review_by, "review_by"));
        c.finish()?;
        let (Some(title), Some(review_by)) = (title, review_by) else {
            return Err(CoreError::Internal("validated input went missing".into()));
        };
        let audit = self.audit(
            Some(&scope.actor),
            Some(scope.org_id()),
            "evidence.update",
            "evidence",
            id,
            json!({
                "title": {"from": before.title, "to": title},
                "review_by": {"from": before.review_by, "to": review_by},
            }),
        );
        Ok(self
            .store
            .update_evidence(scope.org_id(), id, &title, review_by.as_deref(), self.now_ms(), &audit)
            .await?)
    }

    /// Links an item to a record of the same organisation.
    pub async fn link_evidence(
        &self,
        scope: &Scope,
        id: EvidenceId,
        target: LinkTarget,
        target_id: &str,
    ) -> Result<(), CoreError> {
        scope.require(Permission::EvidenceManage)?;
        let link = EvidenceLink {
            evidence_id: id,
            target_kind: target,
            target_id: target_id.trim().to_owned(),
            linked_by: scope.actor.label(),
            linked_at: self.now_ms(),
        };
        let audit = self.audit(
            Some(&scope.actor),
            Some(scope.org_id()),
            "evidence.link",
            "evidence",
            id,
            json!({"target": target.code(), "target_id": link.target_id}),
        );
        Ok(self.store.link_evidence(scope.org_id(), &link, &audit).await?)
    }

    pub async fn unlink_evidence(
        &self,
        scope: &Scope,
        id: EvidenceId,
        target: LinkTarget,
        target_id: &str,
    ) -> Result<(), CoreError> {
        scope.require(Permission::EvidenceManage)?;
        let audit = self.audit(
            Some(&scope.actor),
            Some(scope.org_id()),
            "evidence.unlink",
            "evidence",
            id,
            json!({"target": target.code(), "target_id": target_id}),
        );
        Ok(self
            .store
            .unlink_evidence(scope.org_id(), id, target, target_id.trim(), &audit)
            .await?)
    }

    fn evidence_row(&self, scope: &Scope, item: EvidenceItem) -> EvidenceRow {
        let days_left = item
            .review_by
            .as_deref()
            .and_then(|d| days_until(d, &scope.org.time_zone, self.now_ms()));
        EvidenceRow {
            review_state: review_state(days_left),
            item,
        }
    }

    pub async fn evidence_page(
        &self,
        scope: &Scope,
        search: &str,
        page: PageRequest,
    ) -> Result<Page<EvidenceRow>, CoreError> {
        scope.require(Permission::EvidenceView)?;
        let found = self.store.evidence_page(scope.org_id(), search.trim(), page).await?;
        Ok(Page {
            items: found.items.into_iter().map(|i| self.evidence_row(scope, i)).collect(),
            total: found.total,
            limit: found.limit,
            offset: found.offset,
        })
    }

    pub async fn evidence_detail(&self, scope: &Scope, id: EvidenceId) -> Result<EvidenceDetail, CoreError> {
        scope.require(Permission::EvidenceView)?;
        let item = self.store.evidence_item(scope.org_id(), id).await?;
        let versions = self.store.evidence_versions(scope.org_id(), id).await?;
        let links = self.store.evidence_links(scope.org_id(), id).await?;
        Ok(EvidenceDetail {
            row: self.evidence_row(scope, item),
            versions,
            links,
        })
    }

    /// The items linked to one record.
    pub async fn evidence_for(
        &self,
        scope: &Scope,
        target: LinkTarget,
        target_id: &str,
    ) -> Result<Vec<EvidenceRow>, CoreError> {
        scope.require(Permission::EvidenceView)?;
        let items = self.store.evidence_linked_to(scope.org_id(), target, target_id).await?;
        Ok(items.into_iter().map(|i| self.evidence_row(scope, i)).collect())
    }

    /// A file version to download (a link or note version is not found here).
    pub async fn evidence_file(
        &self,
        scope: &Scope,
        id: EvidenceId,
        version: i64,
    ) -> Result<EvidenceVersion, CoreError> {
        scope.require(Permission::EvidenceView)?;
        let v = self.store.evidence_version(scope.org_id(), id, version).await?;
        if v.sha256.is_none() {
            return Err(CoreError::NotFound);
        }
        Ok(v)
    }

    /// The `seq`-th chunk of a file of the scope's organisation; none past the end.
    pub async fn evidence_chunk(&self, scope: &Scope, sha256: &str, seq: i64) -> Result<Option<Vec<u8>>, CoreError> {
        scope.require(Permission::EvidenceView)?;
        Ok(self.store.evidence_chunk(scope.org_id(), sha256, seq).await?)
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
