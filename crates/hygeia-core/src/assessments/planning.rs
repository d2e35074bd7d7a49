//! Planning from an assessment: its gaps as improvement actions, and what changed since the
//! previous one.

use super::*;

impl Hygeia {
    /// Raises an improvement action for every gap the plan does not cover yet (the toolkit's
    /// generated action plan): owned by whoever asks unless an owner is given, due by `due_on`.
    /// Returns how many were raised.
    pub async fn plan_gaps(
        &self,
        scope: &Scope,
        id: AssessmentId,
        owner: &str,
        due_on: &str,
    ) -> Result<usize, CoreError> {
        scope.require(Permission::ActionsManage)?;
        let view = self.assessment(scope, id).await?;
        let owner = if owner.trim().is_empty() {
            scope.actor.label()
        } else {
            owner.trim().to_owned()
        };
        let titles: HashMap<&str, &str> = view
            .framework
            .nodes
            .iter()
            .map(|n| (n.ref_id.as_str(), n.title.as_str()))
            .collect();
        let mut raised = 0;
        for gap in &view.scorecard.unplanned {
            let title = titles.get(gap.as_str()).copied().unwrap_or_default();
            self.add_action_from(
                scope,
                crate::governance::ActionInput {
                    title: format!("Meet {gap} {title}"),
                    detail: format!(
                        "Raised from {} ({}) because {gap} holds it back from Standards Met.",
                        view.assessment.reference, view.assessment.title
                    ),
                    owner: owner.clone(),
                    due_on: due_on.to_owned(),
                    status: String::new(),
                },
                Some((
                    hygeia_domain::governance::actions::ActionSource::Assessment,
                    format!("{id}:{gap}"),
                )),
            )
            .await?;
            raised += 1;
        }
        Ok(raised)
    }

    /// This assessment against the latest earlier one of the same framework (any version): each
    /// item's result then and now. `None` when there is no earlier assessment.
    pub async fn compare_with_previous(
        &self,
        scope: &Scope,
        id: AssessmentId,
    ) -> Result<Option<(FrameworkAssessment, Vec<Change>)>, CoreError> {
        let now = self.assessment(scope, id).await?;
        let earlier = self
            .store
            .assessments_page(scope.org_id(), false, PageRequest::new(Some(200), Some(0)))
            .await?
            .items
            .into_iter()
            .filter(|a| a.framework_key == now.assessment.framework_key && number(a) < number(&now.assessment))
            .filter(|a| !Self::hidden_from(scope, a))
            .max_by_key(|a| (a.status.is_frozen(), number(a)));
        let Some(earlier) = earlier else { return Ok(None) };
        let then = self.assessment_view(scope, earlier.clone()).await?;
        let result = |v: &AssessmentView, ref_id: &str| -> (String, i8) {
            if let Some(o) = v.scorecard.outcome(ref_id) {
                if o.answered || o.overridden {
                    return (o.grade.label().to_owned(), i8::try_from(o.grade.score()).unwrap_or(0));
                }
                return ("Not yet assessed".to_owned(), 0);
            }
            match v.answers.get(ref_id).and_then(|a| a.value) {
                Some(value @ (Value::Met | Value::Compliant | Value::Pass)) => (value.label().to_owned(), 2),
                Some(value @ (Value::NotMet | Value::NotCompliant | Value::Fail)) => (value.label().to_owned(), 1),
                Some(value) => (value.label().to_owned(), 0),
                None => ("Not answered".to_owned(), 0),
            }
        };
        let changes = now
            .framework
            .nodes
            .iter()
            .filter(|n| !matches!(n.answer, AnswerKind::None | AnswerKind::Statement))
            .map(|n| {
                let (before, b) = result(&then, &n.ref_id);
                let (after, a) = result(&now, &n.ref_id);
                Change {
                    ref_id: n.ref_id.clone(),
                    title: n.title.clone(),
                    before,
                    after,
                    direction: if b == 0 || a == 0 { 0 } else { (a - b).signum() },
                }
            })
            .collect();
        Ok(Some((earlier, changes)))
    }
}

/// The organisation's running number of an assessment (`ASM-0012` → 12): the order they began.
fn number(a: &FrameworkAssessment) -> u64 {
    a.reference.trim_start_matches("ASM-").parse().unwrap_or(0)
}
