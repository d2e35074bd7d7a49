//! Starting an assessment: a framework version for a period, with a profile, carrying
//! forward an earlier assessment's answers when asked.

use super::*;

impl Hygeia {
    pub async fn start_assessment(&self, scope: &Scope, input: StartInput) -> Result<AssessmentId, CoreError> {
        scope.require(Permission::AssessmentsEdit)?;
        let mut c = Collector::new();
        let framework_id = input.framework_id.trim().parse::<FrameworkId>().ok();
        if framework_id.is_none() {
            c.push(FieldError::new(
                "framework_id",
                "choose a framework version from the library",
            ));
        }
        let start = c.check(record::check_start(
            &input.title,
            &input.period,
            &input.due_on,
            &input.scope,
        ));
        c.finish()?;
        let (Some(framework_id), Some(start)) = (framework_id, start) else {
            return Err(CoreError::Internal("validated input missing".into()));
        };
        let meta = match self.store.framework_by_id(framework_id).await {
            Ok(m) => m,
            Err(hygeia_store::StoreError::NotFound) => {
                return Err(CoreError::field(
                    "framework_id",
                    "is not a framework version in the library",
                ));
            }
            Err(e) => return Err(e.into()),
        };
        let framework = self.framework_by_id(framework_id).await?;
        let profile = input.profile.trim();
        let profile_key = if profile.is_empty() && framework.status_rule == Some(StatusRule::DsptNdg) {
            return Err(CoreError::field(
                "profile",
                "choose the organisation's DSPT category: it decides which evidence items apply and which are mandatory",
            ));
        } else if profile.is_empty() {
            None
        } else if framework.profile(profile).is_some() {
            Some(profile.to_owned())
        } else {
            return Err(CoreError::field(
                "profile",
                &format!("is not a profile of {} {}", meta.title, meta.version),
            ));
        };
        let carried = match input.copy_from.trim() {
            "" => Vec::new(),
            from => {
                let from: AssessmentId = from
                    .parse()
                    .map_err(|_| CoreError::field("copy_from", "is not an assessment id"))?;
                let earlier = match self.store.get_assessment(scope.org_id(), from).await {
                    Ok(a) => a,
                    Err(hygeia_store::StoreError::NotFound) => {
                        return Err(CoreError::field(
                            "copy_from",
                            "is not one of this organisation's assessments",
                        ));
                    }
                    Err(e) => return Err(e.into()),
                };
                // Within one framework a reference means the same in every version; into
                // another (CAF 3.2 to 4.0), only through requirements mapped as equal.
                let renamed = if earlier.framework_key == meta.key {
                    None
                } else {
                    let equal = self.equal_requirements(&earlier.framework_key, &meta.key).await?;
                    if equal.is_empty() {
                        return Err(CoreError::field(
                            "copy_from",
                            "is an assessment of a framework with no equal requirements in this one; answers carry forward only within a framework or across a mapping",
                        ));
                    }
                    Some(equal)
                };
                // Only nodes this version still has, answered in a way it still accepts.
                let kinds: HashMap<&str, AnswerKind> =
                    framework.nodes.iter().map(|n| (n.ref_id.as_str(), n.answer)).collect();
                self.store
                    .assessment_answers(scope.org_id(), from)
                    .await?
                    .into_iter()
                    .flat_map(|s| {
                        let targets = match &renamed {
                            None => vec![s.ref_id.clone()],
                            Some(equal) => equal.get(&s.ref_id).cloned().unwrap_or_default(),
                        };
                        targets.into_iter().map(move |r| (r, s.answer.clone()))
                    })
                    .filter(|(ref_id, answer)| {
                        kinds
                            .get(ref_id.as_str())
                            .is_some_and(|k| answer.value.is_none_or(|v| Value::choices(*k).contains(&v)))
                    })
                    .collect()
            }
        };
        let now = self.now_ms();
        let a = FrameworkAssessment {
            id: AssessmentId(self.new_uuid()),
            org_id: scope.org_id(),
            reference: String::new(),
            framework_id,
            framework_key: meta.key.clone(),
            framework_version: meta.version.clone(),
            framework_title: meta.title.clone(),
            title: start.title,
            period: start.period,
            due_on: start.due_on,
            scope: start.scope,
            profile_key,
            status: Status::Draft,
            version: 0,
            supersedes: None,
            result: None,
            standing: None,
            summary: None,
            digest: None,
            created_by: scope.actor.label(),
            created_at: now,
            updated_by: scope.actor.label(),
            updated_at: now,
            published_by: None,
            published_at: None,
            row_version: 1,
        };
        let audit = self.scope_audit(
            scope,
            "assessment.start",
            "assessment",
            a.id,
            json!({"framework": meta.key, "version": meta.version, "title": a.title, "period": a.period,
                   "profile": a.profile_key, "carried_answers": carried.len()}),
        );
        self.store.add_assessment(&a, &carried, &audit).await?;
        Ok(a.id)
    }
}
