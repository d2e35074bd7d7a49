//! Answering a draft: the answers form and a CAF outcome's statements, checked and saved
//! with a row version so that two editors do not overwrite each other.

use super::*;

impl Hygeia {
    pub(super) async fn editable(
        &self,
        scope: &Scope,
        id: AssessmentId,
    ) -> Result<(FrameworkAssessment, Arc<Framework>), CoreError> {
        scope.require(Permission::AssessmentsEdit)?;
        let a = self.store.get_assessment(scope.org_id(), id).await?;
        if a.status.is_frozen() {
            return Err(CoreError::Conflict(format!(
                "{} is {} and cannot change; start a new assessment for the period to revise it",
                a.reference,
                a.status.label().to_lowercase()
            )));
        }
        let framework = self.framework_by_id(a.framework_id).await?;
        Ok((a, framework))
    }

    /// Saves answers to any nodes, checked against each node's answer kind.
    pub async fn save_answers(
        &self,
        scope: &Scope,
        id: AssessmentId,
        row_version: i64,
        inputs: &[AnswerInput],
    ) -> Result<(), CoreError> {
        let (a, framework) = self.editable(scope, id).await?;
        let mut c = Collector::new();
        let mut changes = Vec::with_capacity(inputs.len());
        for (i, input) in inputs.iter().enumerate() {
            let at = |f: &str| format!("/answers/{i}/{f}");
            let Some(node) = framework.nodes.iter().find(|n| n.ref_id == input.ref_id.trim()) else {
                c.push(FieldError::new(
                    at("ref_id"),
                    format!("'{}' is not a node of this framework", input.ref_id),
                ));
                continue;
            };
            let value = c.check(Value::parse(&input.value, node.answer, &at("value")));
            let narrative = c.check(check_narrative(&input.narrative, &at("narrative")));
            let assessor_override = if node.answer == AnswerKind::CafGrade {
                c.check(
                    parse_override(
                        &input.override_grade,
                        &input.override_reason,
                        framework.allows_partial(&node.ref_id),
                    )
                    .map_err(|e| {
                        hygeia_domain::Invalid(
                            e.0.into_iter()
                                .map(|f| FieldError::new(at(&f.field), f.message))
                                .collect(),
                        )
                    }),
                )
                .flatten()
            } else {
                if !input.override_grade.trim().is_empty() {
                    c.push(FieldError::new(
                        at("override_grade"),
                        "only CAF outcomes take an override",
                    ));
                }
                None
            };
            let owner = input.owner.trim();
            if owner.chars().count() > 200 {
                c.push(FieldError::new(at("owner"), "is longer than 200 characters"));
            }
            changes.push((
                node.ref_id.clone(),
                Answer {
                    value: value.flatten(),
                    narrative: narrative.unwrap_or_default(),
                    assessor_override,
                    owner: (!owner.is_empty()).then(|| owner.to_owned()),
                    flagged: input.flagged,
                },
            ));
        }
        c.finish()?;
        self.write_answers(scope, &a, row_version, changes).await
    }

    /// Saves one CAF outcome from its form: the ticked statements and the outcome's own answer.
    pub async fn save_outcome(
        &self,
        scope: &Scope,
        id: AssessmentId,
        row_version: i64,
        input: &OutcomeInput,
    ) -> Result<(), CoreError> {
        let (a, framework) = self.editable(scope, id).await?;
        let outcome = framework
            .nodes
            .iter()
            .find(|n| n.ref_id == input.ref_id && n.answer == AnswerKind::CafGrade)
            .ok_or(CoreError::NotFound)?;
        let statements: Vec<&str> = framework
            .nodes
            .iter()
            .filter(|n| n.parent.as_deref() == Some(outcome.ref_id.as_str()) && n.answer == AnswerKind::Statement)
            .map(|n| n.ref_id.as_str())
            .collect();
        let mut c = Collector::new();
        for t in &input.ticked {
            if !statements.contains(&t.as_str()) {
                c.push(FieldError::new(
                    "ticked",
                    format!("'{t}' is not a statement of {}", outcome.ref_id),
                ));
            }
        }
        let narrative = c.check(check_narrative(&input.narrative, "narrative"));
        let assessor_override = c
            .check(parse_override(
                &input.override_grade,
                &input.override_reason,
                framework.allows_partial(&outcome.ref_id),
            ))
            .flatten();
        let owner = input.owner.trim();
        if owner.chars().count() > 200 {
            c.push(FieldError::new("owner", "is longer than 200 characters"));
        }
        if framework.graded_directly(&outcome.ref_id) && input.override_grade.trim().is_empty() {
            c.push(FieldError::new(
                "override_grade",
                "this outcome has no indicator statements: choose its grade and say why",
            ));
        }
        c.finish()?;
        let mut changes: Vec<(String, Answer)> = statements
            .iter()
            .map(|s| {
                let value = input.ticked.iter().any(|t| t == s).then_some(Value::True);
                (
                    (*s).to_owned(),
                    Answer {
                        value,
                        ..Answer::default()
                    },
                )
            })
            .collect();
        changes.push((
            outcome.ref_id.clone(),
            Answer {
                value: Some(Value::Assessed),
                narrative: narrative.unwrap_or_default(),
                assessor_override,
                owner: (!owner.is_empty()).then(|| owner.to_owned()),
                flagged: input.flagged,
            },
        ));
        self.write_answers(scope, &a, row_version, changes).await
    }

    pub(super) async fn write_answers(
        &self,
        scope: &Scope,
        a: &FrameworkAssessment,
        row_version: i64,
        changes: Vec<(String, Answer)>,
    ) -> Result<(), CoreError> {
        let diff: BTreeMap<&str, &Answer> = changes.iter().map(|(r, ans)| (r.as_str(), ans)).collect();
        let audit = self.scope_audit(scope, "assessment.answer", "assessment", a.id, json!({"answers": diff}));
        Ok(self
            .store
            .save_answers(
                scope.org_id(),
                a.id,
                row_version,
                &changes,
                &scope.actor.label(),
                &audit,
            )
            .await?)
    }
}
