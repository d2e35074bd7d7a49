//! Comments on one item of an assessment.

use super::*;

impl Hygeia {
    /// Adds a remark to the conversation on one item of an assessment (draft or published:
    /// a comment changes no answer). Audited in the organisation's chain.
    pub async fn comment_on_item(
        &self,
        scope: &Scope,
        id: AssessmentId,
        ref_id: &str,
        body: &str,
    ) -> Result<AssessmentComment, CoreError> {
        scope.require(Permission::AssessmentsEdit)?;
        let a = self.store.get_assessment(scope.org_id(), id).await?;
        let framework = self.framework_by_id(a.framework_id).await?;
        if !framework.nodes.iter().any(|n| n.ref_id == ref_id && n.assessable()) {
            return Err(CoreError::field(
                "ref_id",
                &format!("'{ref_id}' is not an item of {}", a.framework_title),
            ));
        }
        let body = check_narrative(body, "body")?;
        if body.is_empty() {
            return Err(CoreError::field("body", "write the comment"));
        }
        let comment = AssessmentComment {
            id: self.new_uuid(),
            assessment_id: id,
            org_id: scope.org_id(),
            ref_id: ref_id.to_owned(),
            body,
            author: scope.actor.label(),
            created_at: self.now_ms(),
        };
        let audit = self.scope_audit(
            scope,
            "assessment.comment",
            "assessment",
            id,
            json!({"ref_id": comment.ref_id, "comment": comment.id.to_string(), "body": comment.body}),
        );
        self.store.add_assessment_comment(&comment, &audit).await?;
        Ok(comment)
    }

    /// The comments on one item, or on every item when `ref_id` is `None`, oldest first.
    pub async fn item_comments(
        &self,
        scope: &Scope,
        id: AssessmentId,
        ref_id: Option<&str>,
    ) -> Result<Vec<AssessmentComment>, CoreError> {
        self.assessment_record(scope, id).await?;
        Ok(self.store.assessment_comments(scope.org_id(), id, ref_id).await?)
    }
}
