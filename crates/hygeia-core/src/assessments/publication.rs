//! Publication: the senior executive freezes a draft into a snapshot sealed by its digest.

use super::*;

impl Hygeia {
    /// Signs off and freezes a draft: its answers, grades and the hashes of the evidence
    /// behind them go into a snapshot whose digest is printed on the report.
    pub async fn publish_assessment(
        &self,
        scope: &Scope,
        id: AssessmentId,
        row_version: i64,
    ) -> Result<String, CoreError> {
        scope.require(Permission::AssessmentsPublish)?;
        let (a, _) = self.editable(scope, id).await?;
        if a.row_version != row_version {
            return Err(CoreError::Conflict(
                "the assessment changed since you read it; review it again before publishing".into(),
            ));
        }
        let view = self.assessment_view(scope, a).await?;
        if view.scorecard.total.answered == 0 {
            return Err(CoreError::field("assessment", "nothing has been answered yet"));
        }
        let now = self.now_ms();
        let snapshot = snapshot(&view, &scope.actor.label(), now);
        let digest = record::digest(&snapshot);
        let result = view.scorecard.headline(view.assessment.profile_key.is_some());
        let standing = view.scorecard.standing(view.assessment.profile_key.is_some());
        let summary = serde_json::to_string(&view.scorecard.total).map_err(|e| CoreError::Internal(e.to_string()))?;
        let grades: Vec<(String, &'static str)> = view
            .scorecard
            .outcomes
            .iter()
            .map(|o| (o.ref_id.clone(), grade_code(o.grade)))
            .collect();
        let audit = self.scope_audit(
            scope,
            "assessment.publish",
            "assessment",
            id,
            json!({"digest": digest, "result": result, "standing": standing}),
        );
        self.store
            .publish_assessment(
                &view.assessment,
                &Publication {
                    result: &result,
                    standing,
                    summary: &summary,
                    digest: &digest,
                    snapshot: &record::canonical(&snapshot),
                    by: &scope.actor.label(),
                    at: now,
                    grades: &grades,
                },
                &audit,
            )
            .await?;
        Ok(digest)
    }

    /// The sealed snapshot of a published assessment, exactly as its digest was computed.
    pub async fn assessment_snapshot(&self, scope: &Scope, id: AssessmentId) -> Result<String, CoreError> {
        self.assessment_record(scope, id).await?;
        Ok(self.store.assessment_snapshot(scope.org_id(), id).await?)
    }
}

/// The frozen record: what was assessed, every answer, every grade and the evidence hashes.
fn snapshot(view: &AssessmentView, by: &str, at: i64) -> serde_json::Value {
    let a = &view.assessment;
    let answers: BTreeMap<&String, &Answer> = view.answers.iter().collect();
    let evidence: BTreeMap<&String, Vec<serde_json::Value>> = view
        .evidence
        .iter()
        .map(|(r, items)| {
            (
                r,
                items
                    .iter()
                    .map(|e| {
                        json!({"id": e.id.to_string(), "title": e.title, "version": e.latest.version,
                                    "sha256": e.latest.sha256, "url": e.latest.url})
                    })
                    .collect(),
            )
        })
        .collect();
    json!({
        "format": "hygeia.assessment-snapshot/v1",
        "assessment": {"id": a.id.to_string(), "reference": a.reference, "org_id": a.org_id.to_string(),
                       "title": a.title, "period": a.period, "due_on": a.due_on, "scope": a.scope,
                       "profile": a.profile_key},
        "framework": {"key": a.framework_key, "version": a.framework_version, "title": a.framework_title},
        "answers": answers,
        "results": {"outcomes": view.scorecard.outcomes, "groups": view.scorecard.groups, "total": view.scorecard.total},
        "evidence": evidence,
        "published": {"by": by, "at": at},
    })
}

fn grade_code(g: hygeia_domain::assessments::caf::Grade) -> &'static str {
    use hygeia_domain::assessments::caf::Grade;
    match g {
        Grade::Achieved => "achieved",
        Grade::PartiallyAchieved => "partially_achieved",
        Grade::NotAchieved => "not_achieved",
    }
}
