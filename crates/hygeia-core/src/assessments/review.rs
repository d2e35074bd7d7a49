//! The regulator's side: published assessments across its remit, review outcomes and the
//! standing they move, and the sector summary.

use super::*;

impl Hygeia {
    /// Published assessments across the regulator's remit.
    pub async fn remit_assessments(
        &self,
        scope: &Scope,
        page: PageRequest,
    ) -> Result<Page<PublishedAssessment>, CoreError> {
        scope.require(Permission::OversightView)?;
        Ok(self.store.published_in_remit(scope.org_id(), page).await?)
    }

    /// One published assessment in the remit, with its scorecard, for the regulator.
    pub async fn remit_assessment(
        &self,
        scope: &Scope,
        id: AssessmentId,
    ) -> Result<(PublishedAssessment, AssessmentView), CoreError> {
        scope.require(Permission::OversightView)?;
        let found = self.store.published_in_remit_one(scope.org_id(), id).await?;
        let framework = self.framework_by_id(found.assessment.framework_id).await?;
        let answers = answers_map(self.store.assessment_answers(found.assessment.org_id, id).await?);
        let profile = found
            .assessment
            .profile_key
            .as_deref()
            .and_then(|k| framework.profile(k));
        let context = self.status_context(&found.assessment, &framework).await?;
        let scorecard = score_in(&framework, profile, &answers, &context);
        let reviews = self.store.assessment_reviews(id).await?;
        let view = AssessmentView {
            assessment: found.assessment.clone(),
            framework,
            answers,
            scorecard,
            evidence: BTreeMap::new(),
            reviews,
        };
        Ok((found, view))
    }

    pub async fn review_assessment(
        &self,
        scope: &Scope,
        id: AssessmentId,
        outcome: &str,
        comment: &str,
    ) -> Result<(), CoreError> {
        scope.require(Permission::AssessmentsReview)?;
        let found = self.store.published_in_remit_one(scope.org_id(), id).await?;
        let mut c = Collector::new();
        if !REVIEW_OUTCOMES.iter().any(|(code, _)| *code == outcome) {
            c.push(FieldError::new(
                "outcome",
                "must be one of: accepted, concerns, challenged, plan_approved, plan_completed",
            ));
        }
        let comment = c.check(check_narrative(comment, "comment")).unwrap_or_default();
        if !matches!(outcome, "accepted" | "plan_completed") && comment.is_empty() {
            c.push(FieldError::new(
                "comment",
                "say what concerns you, or what the approval rests on, so the organisation can respond",
            ));
        }
        c.finish()?;
        let standing = self.standing_move(&found.assessment, outcome).await?;
        let review = AssessmentReview {
            id: AssessmentReviewId(self.new_uuid()),
            assessment_id: id,
            org_id: found.assessment.org_id,
            regulator_id: scope.org_id(),
            outcome: outcome.to_owned(),
            comment,
            reviewed_by: scope.actor.label(),
            reviewed_at: self.now_ms(),
        };
        // The review belongs to the organisation's record as much as to the regulator's.
        let audit = self.audit(
            Some(&scope.actor),
            Some(found.assessment.org_id),
            "assessment.review",
            "assessment",
            id,
            json!({"outcome": review.outcome, "comment": review.comment, "regulator": scope.org_id().to_string(),
                   "standing": standing.map(|(from, to)| json!({"from": from, "to": to}))}),
        );
        Ok(self.store.add_assessment_review(&review, standing, &audit).await?)
    }

    /// The standing a plan review moves a publication between, after checking it may: an
    /// improvement plan is approved on a Standards Not Met publication that has one, and
    /// completed on an Approaching Standards publication whose actions are all done.
    pub(super) async fn standing_move(
        &self,
        a: &FrameworkAssessment,
        outcome: &str,
    ) -> Result<Option<(&'static str, &'static str)>, CoreError> {
        let (from, to) = match outcome {
            "plan_approved" => (STANDARDS_NOT_MET, APPROACHING),
            "plan_completed" => (APPROACHING, STANDARDS_MET),
            _ => return Ok(None),
        };
        if a.standing.as_deref() != Some(from) {
            return Err(CoreError::field(
                "outcome",
                &format!(
                    "{} is {}, not {from}",
                    a.reference,
                    a.standing.as_deref().unwrap_or("without a status")
                ),
            ));
        }
        let actions: Vec<_> = self
            .store
            .assessment_actions(a.org_id, a.id.0)
            .await?
            .into_iter()
            .filter(|x| x.status != ActionStatus::Cancelled)
            .collect();
        if actions.is_empty() {
            return Err(CoreError::field(
                "outcome",
                &format!(
                    "{} has no improvement plan: no actions were raised from it",
                    a.reference
                ),
            ));
        }
        if outcome == "plan_completed" {
            let open: Vec<&str> = actions
                .iter()
                .filter(|x| x.status != ActionStatus::Done)
                .map(|x| x.reference.as_str())
                .collect();
            if !open.is_empty() {
                return Err(CoreError::field(
                    "outcome",
                    &format!("the plan still has open actions: {}", open.join(", ")),
                ));
            }
        }
        Ok(Some((from, to)))
    }

    /// Counts of published results across the remit.
    pub async fn sector_summary(&self, scope: &Scope) -> Result<SectorSummary, CoreError> {
        scope.require(Permission::OversightView)?;
        let results = self.store.remit_results(scope.org_id()).await?;
        let published = results.iter().map(|r| r.3).sum();
        let mut heat_map: Vec<(String, [i64; 3])> = Vec::new();
        for (ref_id, grade, n) in self.store.remit_heat_map(scope.org_id()).await? {
            let column = match grade.as_str() {
                "achieved" => 0,
                "partially_achieved" => 1,
                _ => 2,
            };
            match heat_map.last_mut() {
                Some((r, counts)) if *r == ref_id => counts[column] += n,
                _ => {
                    let mut counts = [0; 3];
                    counts[column] = n;
                    heat_map.push((ref_id, counts));
                }
            }
        }
        Ok(SectorSummary {
            results,
            published,
            heat_map,
        })
    }
}
