//! Reading the library: a page of items, one item with its versions and links, what is
//! linked to a record or a framework's requirements, and stored file contents chunk by chunk.

use super::super::{Arg, Repo, int};
use super::{ITEM_COLUMNS, ITEM_FROM, VERSION_COLUMNS, item, version};
use crate::StoreError;
use crate::model::*;
use hygeia_domain::evidence::LinkTarget;
use hygeia_domain::ids::{EvidenceId, OrgId};
use hygeia_domain::page::{Page, PageRequest};

impl Repo {
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
