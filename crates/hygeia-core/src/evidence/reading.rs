//! Reading the evidence library: its pages, one item with its versions, the items behind a
//! requirement, and a file's content.

use super::*;

impl Hygeia {
    pub(super) fn evidence_row(&self, scope: &Scope, item: EvidenceItem) -> EvidenceRow {
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
