//! The evidence library: items, their versions, their links, and file contents stored once
//! per organisation by SHA-256, in chunks.

use super::audit::append;
use super::{Arg, Cols, Repo, Tx, expect_one, int};
use crate::StoreError;
use crate::model::*;
use hygeia_domain::evidence::{EvidenceKind, LinkTarget};
use hygeia_domain::ids::{EvidenceId, MailId, OrgId};
use hygeia_domain::page::{Page, PageRequest};
use tokio::io::AsyncReadExt;

/// Bytes per stored chunk: big enough that a 50 MB file is 50 rows, small enough that a
/// download or a backup holds only one at a time.
pub const CHUNK_BYTES: usize = 1024 * 1024;

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

    /// A page of the library, most recently changed first, optionally narrowed to titles
    /// containing `search` (lower case).
    pub async fn evidence_page(
        &self,
        org: OrgId,
        search: &str,
        page: PageRequest,
    ) -> Result<Page<EvidenceItem>, StoreError> {
        let pattern = format!("%{}%", search.to_lowercase());
        let args = [
            Arg::Id(org.0),
            Arg::Text(&pattern),
            Arg::Int(i64::from(page.limit)),
            Arg::Int(int(page.offset)),
        ];
        let items = self
            .read_all(
                composed!(
                    "select {ITEM_COLUMNS} {ITEM_FROM} where e.org_id = $1 and lower(e.title) like $2 \
                     order by e.updated_at desc, e.id desc limit $3 offset $4"
                ),
                &args,
                item,
            )
            .await?;
        self.page_of(
            page,
            items,
            "select count(*) as n from evidence e where e.org_id = $1 and lower(e.title) like $2",
            &args[..2],
        )
        .await
    }

    pub async fn evidence_item(&self, org: OrgId, id: EvidenceId) -> Result<EvidenceItem, StoreError> {
        self.read_one(
            composed!("select {ITEM_COLUMNS} {ITEM_FROM} where e.org_id = $1 and e.id = $2"),
            &[org.0.into(), id.0.into()],
            item,
        )
        .await
    }

    /// Every version of an item, newest first.
    pub async fn evidence_versions(&self, org: OrgId, id: EvidenceId) -> Result<Vec<EvidenceVersion>, StoreError> {
        self.read_all(
            composed!(
                "select {VERSION_COLUMNS} from evidence_versions v where v.org_id = $1 and v.evidence_id = $2 \
                 order by v.version desc limit 500"
            ),
            &[org.0.into(), id.0.into()],
            version,
        )
        .await
    }

    pub async fn evidence_version(
        &self,
        org: OrgId,
        id: EvidenceId,
        number: i64,
    ) -> Result<EvidenceVersion, StoreError> {
        self.read_one(
            composed!(
                "select {VERSION_COLUMNS} from evidence_versions v where v.org_id = $1 and v.evidence_id = $2 \
                 and v.version = $3"
            ),
            &[org.0.into(), id.0.into(), number.into()],
            version,
        )
        .await
    }

    /// What an item is linked to.
    pub async fn evidence_links(&self, org: OrgId, id: EvidenceId) -> Result<Vec<EvidenceLink>, StoreError> {
        self.read_all(
            "select evidence_id, target_kind, target_id, linked_by, linked_at from evidence_links \
             where org_id = $1 and evidence_id = $2 order by linked_at, target_kind, target_id limit 500",
            &[org.0.into(), id.0.into()],
            |r| {
                Ok(EvidenceLink {
                    evidence_id: EvidenceId(r.id("evidence_id")?),
                    target_kind: LinkTarget::parse(&r.text("target_kind")?, "target_kind")?,
                    target_id: r.text("target_id")?,
                    linked_by: r.text("linked_by")?,
                    linked_at: r.int("linked_at")?,
                })
            },
        )
        .await
    }

    /// The items linked to one record.
    pub async fn evidence_linked_to(
        &self,
        org: OrgId,
        target: LinkTarget,
        target_id: &str,
    ) -> Result<Vec<EvidenceItem>, StoreError> {
        self.read_all(
            composed!(
                "select {ITEM_COLUMNS} {ITEM_FROM} join evidence_links k on k.evidence_id = e.id \
                 where e.org_id = $1 and k.target_kind = $2 and k.target_id = $3 order by k.linked_at, e.id limit 500"
            ),
            &[org.0.into(), target.code().into(), target_id.into()],
            item,
        )
        .await
    }

    /// One chunk of a stored file of `org`, or none past its end.
    pub async fn evidence_chunk(&self, org: OrgId, sha256: &str, seq: i64) -> Result<Option<Vec<u8>>, StoreError> {
        self.read_opt(
            "select data from evidence_chunks where org_id = $1 and sha256 = $2 and seq = $3",
            &[org.0.into(), sha256.into(), seq.into()],
            |r| r.bytes("data"),
        )
        .await
    }

    /// Every item linked to a requirement of one framework (any version), with the
    /// requirement's `ref_id`: what an assessment of it shows and seals.
    pub async fn requirement_evidence(
        &self,
        org: OrgId,
        framework_key: &str,
    ) -> Result<Vec<(String, EvidenceItem)>, StoreError> {
        // Keys are slugs (letters, digits, dots, hyphens), so they hold no LIKE wildcards.
        let prefix = format!("{framework_key}:%");
        self.read_all(
            composed!(
                "select k.target_id as linked_to, {ITEM_COLUMNS} {ITEM_FROM} join evidence_links k on k.evidence_id = e.id \
                 where e.org_id = $1 and k.target_kind = 'requirement' and k.target_id like $2 \
                 order by k.target_id, k.linked_at, e.id limit 5000"
            ),
            &[org.0.into(), prefix.as_str().into()],
            |r| {
                let linked = r.text("linked_to")?;
                Ok((linked.split_once(':').map_or(linked.clone(), |(_, rest)| rest.to_owned()), item(r)?))
            },
        )
        .await
    }
}

impl Repo {
    /// Queues the evidence review reminders that fall due, once per review date and threshold.
    /// Candidates are items dated on or before `soon_until` not yet reminded as due soon, or
    /// on or before `overdue_until` not yet reminded as overdue (both `YYYY-MM-DD`, loose by a
    /// day so every time zone is covered); `decide` says, in the organisation's own time zone,
    /// which reminder is due now, if any. Each goes to whoever added the item, if still a
    /// member, else to the organisation's owners. Returns how many messages were queued.
    pub async fn remind_evidence_reviews(
        &self,
        soon_until: &str,
        overdue_until: &str,
        batch: u32,
        now: i64,
        decide: &(dyn Fn(&ReviewCandidate) -> Option<ReviewReminder> + Sync),
        new_id: &(dyn Fn() -> uuid::Uuid + Sync),
    ) -> Result<u64, StoreError> {
        let mut tx = self.begin_write().await?;
        let rows = sqlx::query(
            "select e.id, e.org_id, o.name as org_name, o.time_zone, e.title, e.review_by, e.created_by, \
             e.review_soon_sent_for from evidence e join orgs o on o.id = e.org_id \
             where e.review_by is not null and ( \
               (e.review_by <= $1 and (e.review_soon_sent_for is null or e.review_soon_sent_for <> e.review_by)) \
               or (e.review_by <= $2 and (e.review_overdue_sent_for is null or e.review_overdue_sent_for <> e.review_by))) \
             order by e.review_by, e.id limit $3",
        )
        .bind(soon_until)
        .bind(overdue_until)
        .bind(i64::from(batch))
        .fetch_all(&mut *tx)
        .await?;
        let mut queued = 0;
        for row in &rows {
            let review_by = row.text("review_by")?;
            let candidate = ReviewCandidate {
                evidence_id: EvidenceId(row.id("id")?),
                org_id: OrgId(row.id("org_id")?),
                org_name: row.text("org_name")?,
                time_zone: row.text("time_zone")?,
                title: row.text("title")?,
                soon_sent: row.opt_text("review_soon_sent_for")?.as_deref() == Some(review_by.as_str()),
                review_by,
            };
            let Some(reminder) = decide(&candidate) else { continue };
            let emails = |sql: &'static str, who: String| sqlx::query(sql).bind(candidate.org_id.0).bind(who);
            let mut to: Vec<String> = emails(
                "select u.email from users u join memberships m on m.user_id = u.id where m.org_id = $1 and u.email = $2",
                row.text("created_by")?,
            )
            .fetch_all(&mut *tx)
            .await?
            .iter()
            .map(|r| r.text("email"))
            .collect::<Result<_, _>>()?;
            if to.is_empty() {
                to = emails(
                    "select u.email from users u join memberships m on m.user_id = u.id \
                     where m.org_id = $1 and m.role = $2 order by u.email",
                    "owner".to_owned(),
                )
                .fetch_all(&mut *tx)
                .await?
                .iter()
                .map(|r| r.text("email"))
                .collect::<Result<_, _>>()?;
            }
            for recipient in to {
                let mail = Mail {
                    id: MailId(new_id()),
                    recipient,
                    subject: reminder.subject.clone(),
                    body: reminder.body.clone(),
                    created_at: now,
                    attempts: 0,
                };
                super::clocks::queue_mail(&mut tx, &mail).await?;
                queued += 1;
            }
            // An overdue reminder stands for the due-soon one too.
            let sql = if reminder.overdue {
                "update evidence set review_soon_sent_for = review_by, review_overdue_sent_for = review_by where id = $1"
            } else {
                "update evidence set review_soon_sent_for = review_by where id = $1"
            };
            sqlx::query(sql).bind(candidate.evidence_id.0).execute(&mut *tx).await?;
        }
        self.commit(tx).await?;
        Ok(queued)
    }
}
