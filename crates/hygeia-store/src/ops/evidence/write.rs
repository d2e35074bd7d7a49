//! Writing the library: an item with its first version, later versions, renames and
//! review dates, links and unlinks, all or nothing with the audit record. File contents are
//! stored once per organisation, by SHA-256, in chunks.

use super::super::audit::append;
use super::super::{Repo, Tx, expect_one};
use crate::StoreError;
use crate::model::*;
use hygeia_domain::evidence::LinkTarget;
use hygeia_domain::ids::{EvidenceId, OrgId};
use tokio::io::AsyncReadExt;

/// Bytes per stored chunk: big enough that a 50 MB file is 50 rows, small enough that a
/// download or a backup holds only one at a time.
const CHUNK_BYTES: usize = 1024 * 1024;

/// Stores a staged file's contents unless the organisation already has the same bytes.
async fn put_blob(tx: &mut Tx<'_>, org: OrgId, file: &StagedFile, at: i64) -> Result<(), StoreError> {
    let chunks = (file.size_bytes + CHUNK_BYTES as i64 - 1) / CHUNK_BYTES as i64;
    let inserted = sqlx::query(
        "insert into evidence_blobs (org_id, sha256, size_bytes, chunk_count, created_at) values ($1, $2, $3, $4, $5) \
         on conflict (org_id, sha256) do nothing",
    )
    .bind(org.0)
    .bind(&file.sha256)
    .bind(file.size_bytes)
    .bind(chunks)
    .bind(at)
    .execute(&mut **tx)
    .await?;
    if inserted.rows_affected() == 0 {
        return Ok(());
    }
    let io = |e: std::io::Error| StoreError::Database(format!("reading the uploaded file: {e}"));
    let mut source = tokio::fs::File::open(&file.path).await.map_err(io)?;
    let mut buf = vec![0u8; CHUNK_BYTES];
    let mut seq = 0i64;
    let mut total = 0i64;
    loop {
        let mut filled = 0;
        while filled < CHUNK_BYTES {
            let n = source.read(&mut buf[filled..]).await.map_err(io)?;
            if n == 0 {
                break;
            }
            filled += n;
        }
        if filled == 0 {
            break;
        }
        sqlx::query("insert into evidence_chunks (org_id, sha256, seq, data) values ($1, $2, $3, $4)")
            .bind(org.0)
            .bind(&file.sha256)
            .bind(seq)
            .bind(&buf[..filled])
            .execute(&mut **tx)
            .await?;
        seq += 1;
        total += filled as i64;
    }
    if total != file.size_bytes || seq != chunks {
        return Err(StoreError::Database(
            "the uploaded file changed while it was being stored".into(),
        ));
    }
    Ok(())
}

async fn insert_version(tx: &mut Tx<'_>, org: OrgId, v: &EvidenceVersion) -> Result<i64, StoreError> {
    let row = sqlx::query(
        "insert into evidence_versions (evidence_id, version, org_id, file_name, media_type, size_bytes, sha256, url, \
         note, added_by, added_at) select $1, coalesce(max(version), 0) + 1, $2, $3, $4, $5, $6, $7, $8, $9, $10 \
         from evidence_versions where evidence_id = $1 returning version",
    )
    .bind(v.evidence_id.0)
    .bind(org.0)
    .bind(&v.file_name)
    .bind(&v.media_type)
    .bind(v.size_bytes)
    .bind(&v.sha256)
    .bind(&v.url)
    .bind(&v.note)
    .bind(&v.added_by)
    .bind(v.added_at)
    .fetch_one(&mut **tx)
    .await?;
    Ok(sqlx::Row::try_get(&row, "version")?)
}

/// Whether a link target is a record of `org` (read inside the write, so it cannot vanish
/// between check and link).
async fn target_exists(tx: &mut Tx<'_>, org: OrgId, kind: LinkTarget, id: &str) -> Result<(), StoreError> {
    let found = match kind {
        LinkTarget::Incident => {
            let Ok(id) = uuid::Uuid::parse_str(id) else {
                return Err(StoreError::NotFound);
            };
            sqlx::query("select 1 from incidents where org_id = $1 and id = $2")
                .bind(org.0)
                .bind(id)
                .fetch_optional(&mut **tx)
                .await?
                .is_some()
        }
        LinkTarget::Requirement => {
            let Some((key, ref_id)) = id.split_once(':') else {
                return Err(StoreError::NotFound);
            };
            sqlx::query(
                "select 1 from framework_nodes n join frameworks f on f.id = n.framework_id \
                 where f.key = $1 and n.ref_id = $2 limit 1",
            )
            .bind(key)
            .bind(ref_id)
            .fetch_optional(&mut **tx)
            .await?
            .is_some()
        }
    };
    expect_one(u64::from(found))
}

async fn insert_link(tx: &mut Tx<'_>, org: OrgId, link: &EvidenceLink) -> Result<(), StoreError> {
    target_exists(tx, org, link.target_kind, &link.target_id).await?;
    sqlx::query(
        "insert into evidence_links (evidence_id, target_kind, target_id, org_id, linked_by, linked_at) \
         values ($1, $2, $3, $4, $5, $6) on conflict (evidence_id, target_kind, target_id) do nothing",
    )
    .bind(link.evidence_id.0)
    .bind(link.target_kind.code())
    .bind(&link.target_id)
    .bind(org.0)
    .bind(&link.linked_by)
    .bind(link.linked_at)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

impl Repo {
    /// Adds an item with its first version (and file contents, and a first link), all or
    /// nothing.
    pub async fn add_evidence(
        &self,
        org: OrgId,
        new: &NewEvidence,
        first: &EvidenceVersion,
        file: Option<&StagedFile>,
        link: Option<&EvidenceLink>,
        audit: &NewAudit,
    ) -> Result<(), StoreError> {
        let mut tx = self.begin_write().await?;
        if let Some(file) = file {
            put_blob(&mut tx, org, file, new.created_at).await?;
        }
        sqlx::query(
            "insert into evidence (id, org_id, kind, title, review_by, created_by, created_at, updated_at) \
             values ($1, $2, $3, $4, $5, $6, $7, $7)",
        )
        .bind(new.id.0)
        .bind(org.0)
        .bind(new.kind.code())
        .bind(&new.title)
        .bind(&new.review_by)
        .bind(&new.created_by)
        .bind(new.created_at)
        .execute(&mut *tx)
        .await?;
        insert_version(&mut tx, org, first).await?;
        if let Some(link) = link {
            insert_link(&mut tx, org, link).await?;
        }
        append(&mut tx, audit).await?;
        self.commit(tx).await?;
        Ok(())
    }

    /// Adds a version to an item of `org`; returns its number.
    pub async fn add_evidence_version(
        &self,
        org: OrgId,
        v: &EvidenceVersion,
        file: Option<&StagedFile>,
        audit: &NewAudit,
    ) -> Result<i64, StoreError> {
        let mut tx = self.begin_write().await?;
        let touched = sqlx::query("update evidence set updated_at = $3 where org_id = $1 and id = $2")
            .bind(org.0)
            .bind(v.evidence_id.0)
            .bind(v.added_at)
            .execute(&mut *tx)
            .await?;
        expect_one(touched.rows_affected())?;
        if let Some(file) = file {
            put_blob(&mut tx, org, file, v.added_at).await?;
        }
        let number = insert_version(&mut tx, org, v).await?;
        append(&mut tx, audit).await?;
        self.commit(tx).await?;
        Ok(number)
    }

    /// Renames an item and sets its review-by date.
    pub async fn update_evidence(
        &self,
        org: OrgId,
        id: EvidenceId,
        title: &str,
        review_by: Option<&str>,
        at: i64,
        audit: &NewAudit,
    ) -> Result<(), StoreError> {
        let mut tx = self.begin_write().await?;
        let changed = sqlx::query(
            "update evidence set title = $3, review_by = $4, updated_at = $5 where org_id = $1 and id = $2",
        )
        .bind(org.0)
        .bind(id.0)
        .bind(title)
        .bind(review_by)
        .bind(at)
        .execute(&mut *tx)
        .await?;
        expect_one(changed.rows_affected())?;
        append(&mut tx, audit).await?;
        self.commit(tx).await?;
        Ok(())
    }

    /// Links an item of `org` to a record of `org` (linking twice changes nothing).
    pub async fn link_evidence(&self, org: OrgId, link: &EvidenceLink, audit: &NewAudit) -> Result<(), StoreError> {
        let mut tx = self.begin_write().await?;
        let owned = sqlx::query("select 1 from evidence where org_id = $1 and id = $2")
            .bind(org.0)
            .bind(link.evidence_id.0)
            .fetch_optional(&mut *tx)
            .await?;
        expect_one(u64::from(owned.is_some()))?;
        insert_link(&mut tx, org, link).await?;
        append(&mut tx, audit).await?;
        self.commit(tx).await?;
        Ok(())
    }

    pub async fn unlink_evidence(
        &self,
        org: OrgId,
        id: EvidenceId,
        target: LinkTarget,
        target_id: &str,
        audit: &NewAudit,
    ) -> Result<(), StoreError> {
        let mut tx = self.begin_write().await?;
        let gone = sqlx::query(
            "delete from evidence_links where org_id = $1 and evidence_id = $2 and target_kind = $3 and target_id = $4",
        )
        .bind(org.0)
        .bind(id.0)
        .bind(target.code())
        .bind(target_id)
        .execute(&mut *tx)
        .await?;
        expect_one(gone.rows_affected())?;
        append(&mut tx, audit).await?;
        self.commit(tx).await?;
        Ok(())
    }
}
