//! Changing an incident: its details, its status and notes, each recorded as an event.

use super::*;

impl Hygeia {
    /// Edits an incident's description, times and impact. Every changed field goes on the
    /// timeline; moving the awareness time once a decision rests on it needs a reason.
    pub async fn update_incident(
        &self,
        scope: &Scope,
        id: IncidentId,
        input: IncidentInput,
    ) -> Result<Incident, CoreError> {
        scope.require(Permission::IncidentsManage)?;
        let before = self.store.get_incident(scope.org_id(), id).await?;
        let now = self.now_ms();
        let p = parse(&input, now)?;
        let mut after = before.clone();
        after.title = p.title;
        after.category = p.category;
        after.severity = p.severity;
        after.occurred_at = p.times.occurred_at;
        after.detected_at = p.times.detected_at;
        after.aware_at = p.times.aware_at;
        after.details = p.details;
        after.facts.data_categories = after.details.data_categories.clone();
        after.updated_at = now.max(before.updated_at + 1);
        let reason = input.change_reason.trim();
        if after.aware_at != before.aware_at && reason.is_empty() {
            let decided = !self.store.decisions(scope.org_id(), id).await?.is_empty();
            if decided {
                return Err(CoreError::Validation(vec![FieldError::new(
                    "change_reason",
                    "is required: the awareness time starts the statutory clocks",
                )]));
            }
        }
        let changes = diff(&[
            ("title", json!(before.title), json!(after.title)),
            ("category", json!(before.category), json!(after.category)),
            ("severity", json!(before.severity), json!(after.severity)),
            ("occurred_at", json!(before.occurred_at), json!(after.occurred_at)),
            ("detected_at", json!(before.detected_at), json!(after.detected_at)),
            ("aware_at", json!(before.aware_at), json!(after.aware_at)),
            ("details", json!(before.details), json!(after.details)),
        ]);
        let Some(changed) = changes.as_object().filter(|m| !m.is_empty()) else {
            return Ok(before);
        };
        let mut body = format!("Changed: {}", changed.keys().cloned().collect::<Vec<_>>().join(", "));
        if !reason.is_empty() {
            body.push_str(&format!(". Reason: {reason}"));
        }
        let mut events = vec![self.incident_event(scope, id, "change", body)];
        if after.aware_at != before.aware_at {
            // Its own entry, which the regulator is shown beside the notifications it received.
            let zone = jiff::tz::TimeZone::get(&scope.org.time_zone).unwrap_or(jiff::tz::TimeZone::UTC);
            let at = |ms: i64| {
                jiff::Timestamp::from_millisecond(ms)
                    .map(|t| {
                        t.to_zoned_datetime(zone.clone())
                            .strftime("%-d %b %Y %H:%M %Z")
                            .to_string()
                    })
                    .unwrap_or_default()
            };
            let mut text = format!(
                "Awareness time moved from {} to {}",
                at(before.aware_at),
                at(after.aware_at)
            );
            if !reason.is_empty() {
                text.push_str(&format!(". Reason: {reason}"));
            }
            events.push(self.incident_event(scope, id, "awareness", text));
        }
        let mut audit_changes = changes.clone();
        if let Some(map) = audit_changes.as_object_mut()
            && !reason.is_empty()
        {
            map.insert("reason".into(), json!(reason));
        }
        let audit = self.scope_audit(scope, "incident.update", "incident", id, audit_changes);
        let expected = input.expected_updated_at.unwrap_or(before.updated_at);
        let clocks = self.clock_rows(&scope.org, &after, None, Pending::Nothing).await?;
        // A new category brings its playbook's tasks, less any the incident already has.
        let tasks = if after.category == before.category {
            Vec::new()
        } else {
            let existing = self.store.incident_tasks(scope.org_id(), id).await?;
            self.starting_tasks(scope.org_id(), id, after.category)
                .await?
                .into_iter()
                .filter(|t| !existing.iter().any(|e| e.title == t.title))
                .collect()
        };
        self.store
            .update_incident(&after, expected, &events, (&clocks, &tasks), &audit)
            .await?;
        Ok(after)
    }

    /// Moves an incident along its lifecycle (forward, or reopening a closed one).
    pub async fn set_incident_status(
        &self,
        scope: &Scope,
        id: IncidentId,
        status: &str,
        note: &str,
    ) -> Result<Incident, CoreError> {
        scope.require(Permission::IncidentsManage)?;
        let next = IncidentStatus::parse(status.trim(), "status")?;
        let before = self.store.get_incident(scope.org_id(), id).await?;
        if !before.status.can_move_to(next) {
            return Err(CoreError::Validation(vec![FieldError::new(
                "status",
                format!("cannot move from {} to {}", before.status, next),
            )]));
        }
        let now = self.now_ms();
        let mut after = before.clone();
        after.status = next;
        after.closed_at = (next == IncidentStatus::Closed).then_some(now);
        after.updated_at = now.max(before.updated_at + 1);
        let mut body = format!("Status: {} → {}", before.status, next);
        let note = note.trim();
        if !note.is_empty() {
            body.push_str(&format!(". {note}"));
        }
        let events = [self.incident_event(scope, id, "status", body)];
        let audit = self.scope_audit(
            scope,
            "incident.status",
            "incident",
            id,
            diff(&[("status", json!(before.status), json!(after.status))]),
        );
        let clocks = self.clock_rows(&scope.org, &after, None, Pending::Nothing).await?;
        self.store
            .update_incident(&after, before.updated_at, &events, (&clocks, &[]), &audit)
            .await?;
        Ok(after)
    }

    /// Adds a note to an incident's timeline.
    pub async fn add_incident_note(&self, scope: &Scope, id: IncidentId, note: &str) -> Result<(), CoreError> {
        scope.require(Permission::IncidentsManage)?;
        let mut errors = Collector::new();
        let note = text(note, "note", TEXT_MAX, true, &mut errors);
        errors.finish()?;
        let event = self.incident_event(scope, id, "note", note);
        let audit = self.scope_audit(scope, "incident.note", "incident", id, json!({"note": event.body}));
        Ok(self.store.add_incident_event(scope.org_id(), &event, &audit).await?)
    }
}
