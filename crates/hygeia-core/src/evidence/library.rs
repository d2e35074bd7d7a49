//! Adding to the evidence library: uploads staged and hashed, items and their new versions,
//! their details, and links to what they support.

use super::*;

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
        let audit = self.scope_audit(
            scope,
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
        let audit = self.scope_audit(
            scope,
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
        let audit = self.scope_audit(
            scope,
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
        let audit = self.scope_audit(
            scope,
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
        let audit = self.scope_audit(
            scope,
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
}
