//! Reading assessments: the organisation's list, one assessment with its answers, scorecard,
//! evidence and reviews, and who may see what.

use super::*;

impl Hygeia {
    /// Auditors see only what has been signed off.
    pub(super) fn hidden_from(scope: &Scope, a: &FrameworkAssessment) -> bool {
        scope.member_role() == Some(Role::Auditor) && !a.status.is_frozen()
    }

    pub async fn assessments(&self, scope: &Scope, page: PageRequest) -> Result<Page<FrameworkAssessment>, CoreError> {
        scope.require(Permission::AssessmentsView)?;
        let auditor = scope.member_role() == Some(Role::Auditor);
        Ok(self.store.assessments_page(scope.org_id(), auditor, page).await?)
    }

    pub(super) async fn assessment_record(
        &self,
        scope: &Scope,
        id: AssessmentId,
    ) -> Result<FrameworkAssessment, CoreError> {
        scope.require(Permission::AssessmentsView)?;
        let a = self.store.get_assessment(scope.org_id(), id).await?;
        if Self::hidden_from(scope, &a) {
            return Err(CoreError::NotFound);
        }
        Ok(a)
    }

    /// What the framework's status rule needs beyond the answers: which items the improvement
    /// plan covers (live actions raised from this assessment) and whether the previous
    /// period's publication was Approaching Standards. Frameworks without a rule need neither.
    pub(super) async fn status_context(
        &self,
        a: &FrameworkAssessment,
        framework: &Framework,
    ) -> Result<StatusContext, CoreError> {
        if framework.status_rule.is_none() {
            return Ok(StatusContext::default());
        }
        let planned = self
            .store
            .assessment_actions(a.org_id, a.id.0)
            .await?
            .into_iter()
            .filter(|x| x.status != ActionStatus::Cancelled)
            .filter_map(|x| x.source.and_then(|(_, s)| s.split_once(':').map(|(_, r)| r.to_owned())))
            .collect();
        let previous = self
            .store
            .previous_standing(a.org_id, &a.framework_key, &a.period)
            .await?;
        Ok(StatusContext {
            planned,
            last_published_approaching: previous.as_deref() == Some(APPROACHING),
        })
    }

    pub async fn assessment(&self, scope: &Scope, id: AssessmentId) -> Result<AssessmentView, CoreError> {
        let assessment = self.assessment_record(scope, id).await?;
        self.assessment_view(scope, assessment).await
    }

    pub(super) async fn assessment_view(
        &self,
        scope: &Scope,
        assessment: FrameworkAssessment,
    ) -> Result<AssessmentView, CoreError> {
        let framework = self.framework_by_id(assessment.framework_id).await?;
        let answers = answers_map(self.store.assessment_answers(assessment.org_id, assessment.id).await?);
        let profile = assessment.profile_key.as_deref().and_then(|k| framework.profile(k));
        let context = self.status_context(&assessment, &framework).await?;
        let scorecard = score_in(&framework, profile, &answers, &context);
        let mut evidence: BTreeMap<String, Vec<EvidenceItem>> = BTreeMap::new();
        if scope.allows(Permission::EvidenceView) {
            for (ref_id, item) in self
                .store
                .requirement_evidence(assessment.org_id, &assessment.framework_key)
                .await?
            {
                evidence.entry(ref_id).or_default().push(item);
            }
        }
        let reviews = self.store.assessment_reviews(assessment.id).await?;
        Ok(AssessmentView {
            assessment,
            framework,
            answers,
            scorecard,
            evidence,
            reviews,
        })
    }

    /// The raw answers (for the API's list of an assessment's answers): one query.
    pub async fn assessment_answers(&self, scope: &Scope, id: AssessmentId) -> Result<Vec<StoredAnswer>, CoreError> {
        scope.require(Permission::AssessmentsView)?;
        if scope.member_role() == Some(Role::Auditor) {
            self.assessment_record(scope, id).await?;
        }
        let answers = self.store.assessment_answers(scope.org_id(), id).await?;
        if answers.is_empty() {
            // Tell "no answers yet" from "no such assessment".
            self.store.get_assessment(scope.org_id(), id).await?;
        }
        Ok(answers)
    }
}
