//! Notifications to the regulator: a first draft of each field a stage requires, written from
//! the incident, and the checks a submission must pass. Once submitted a notification never
//! changes; an update is a new version that points at the one before.

use super::record::IncidentDetails;
use super::regimes::{ContentField, Stage};
use crate::audit::hex;
use crate::org::coded_enum;
use crate::validation::{FieldError, Invalid};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

/// The format version of a notification's JSON export (`docs/notification-schema.md`).
pub const EXPORT_SCHEMA: &str = "hygeia.notification/v1";

coded_enum!(
    /// Where a notification stands with the regulator that received it.
    ReviewStatus {
        Submitted = "submitted", "Submitted";
        Received = "received", "Received";
        Accepted = "accepted", "Accepted";
        RevisionRequested = "revision_requested", "Revision requested";
    }
);

/// One field of a notification, as submitted.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Entry {
    pub field: ContentField,
    pub value: String,
}

/// What the draft is written from: facts the register holds, already formatted for people
/// (times in the organisation's zone).
#[derive(Debug, Clone, Default)]
pub struct DraftSource<'a> {
    pub org_name: &'a str,
    pub title: &'a str,
    pub category: &'a str,
    pub occurred: Option<String>,
    pub aware: String,
    pub duration: Option<String>,
    pub details: Option<&'a IncidentDetails>,
    pub severity: &'a str,
    pub contact: &'a str,
}

/// A first draft of every field the stage asks for. People edit it before submitting; a field
/// the register cannot fill is left empty for them.
pub fn draft(stage: &Stage, src: &DraftSource<'_>) -> Vec<Entry> {
    let d = src.details.cloned().unwrap_or_default();
    let counts = || {
        let mut parts = Vec::new();
        if let Some(n) = d.data_subjects {
            parts.push(format!("about {n} people"));
        }
        if let Some(n) = d.records_affected {
            parts.push(format!("about {n} records"));
        }
        let kinds: Vec<&str> = d.data_categories.iter().map(|c| c.label()).collect();
        if !kinds.is_empty() {
            parts.push(format!("data: {}", kinds.join(", ")));
        }
        parts.join("; ")
    };
    let yes_no = |b: bool| if b { "Yes" } else { "No" }.to_owned();
    stage
        .contents
        .iter()
        .map(|field| {
            let value = match field {
                ContentField::OperatorName => src.org_name.to_owned(),
                ContentField::EssentialServices => d.essential_services.clone(),
                ContentField::OccurredAt => src.occurred.clone().unwrap_or_default(),
                ContentField::AwareAt => src.aware.clone(),
                ContentField::Duration => src.duration.clone().unwrap_or_default(),
                ContentField::NatureAndImpact => {
                    let mut text = format!("{} ({}). {}", src.title, src.category, d.description);
                    if !d.systems_affected.is_empty() {
                        text.push_str(&format!(" Systems affected: {}.", d.systems_affected));
                    }
                    text.trim().to_owned()
                }
                ContentField::CrossBorder => yes_no(d.cross_border),
                ContentField::SuspectedMalicious => yes_no(d.suspected_malicious),
                ContentField::DataCategoriesAndNumbers => counts(),
                ContentField::Contact => src.contact.to_owned(),
                ContentField::SeverityAssessment => format!("Assessed by the organisation as {}", src.severity),
                ContentField::RootCause => d.root_cause.clone(),
                ContentField::LikelyConsequences
                | ContentField::Measures
                | ContentField::IndicatorsOfCompromise
                | ContentField::Mitigation
                | ContentField::ReasonForDelay
                | ContentField::OtherInformation => String::new(),
            };
            Entry { field: *field, value }
        })
        .collect()
}

/// Checks a notification before it is submitted: every field the stage requires is filled,
/// nothing else is sent, and a late one says why.
pub fn check(stage: &Stage, entries: &[Entry], late: bool, late_reason: &str) -> Result<(), Invalid> {
    let mut errors = Vec::new();
    for required in &stage.contents {
        let filled = entries
            .iter()
            .any(|e| e.field == *required && !e.value.trim().is_empty());
        // A reason for delay is only needed when the notification is late.
        if !filled && (*required != ContentField::ReasonForDelay || late) {
            errors.push(FieldError::new(required.code(), "is required for this report"));
        }
    }
    for e in entries {
        if !stage.contents.contains(&e.field) {
            errors.push(FieldError::new(e.field.code(), "is not part of this report"));
        }
        if e.value.chars().count() > 20_000 {
            errors.push(FieldError::new(e.field.code(), "must be at most 20000 characters"));
        }
    }
    if late && late_reason.trim().is_empty() {
        errors.push(FieldError::new("late_reason", "is required: the deadline has passed"));
    }
    if errors.is_empty() {
        Ok(())
    } else {
        Err(Invalid(errors))
    }
}

/// A SHA-256 digest of what was submitted, in a canonical form (fields in the stage's order,
/// each as `code=value` on its own line), so anyone holding the export can show it is unchanged.
pub fn digest(regime: &str, stage: &str, version: u32, entries: &[Entry]) -> String {
    let mut h = Sha256::new();
    h.update(format!("{EXPORT_SCHEMA}\n{regime}\n{stage}\n{version}\n"));
    for e in entries {
        h.update(format!("{}={}\n", e.field.code(), e.value.replace('\n', "\\n")));
    }
    hex(&h.finalize())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::incidents::DataCategory;
    use crate::incidents::regimes::pack_for;
    use crate::org::Regime;

    fn stage(regime: Regime, code: &str) -> Stage {
        pack_for(regime)
            .unwrap()
            .stages
            .iter()
            .find(|s| s.code == code)
            .unwrap()
            .clone()
    }

    #[test]
    fn the_draft_fills_what_the_register_knows_and_nothing_more() {
        let details = IncidentDetails {
            description: "Servers encrypted.".into(),
            essential_services: "Radiology".into(),
            data_subjects: Some(1200),
            data_categories: vec![DataCategory::Health],
            ..IncidentDetails::default()
        };
        let src = DraftSource {
            org_name: "Riverside",
            title: "Ransomware",
            category: "Ransomware or other malware",
            aware: "23 Nov 2026 09:00 GMT".into(),
            details: Some(&details),
            contact: "dpo@riverside.example",
            ..DraftSource::default()
        };
        let nis = draft(&stage(Regime::UkNis, "notification"), &src);
        assert_eq!(
            nis.iter().map(|e| e.field).collect::<Vec<_>>(),
            stage(Regime::UkNis, "notification").contents
        );
        assert_eq!(nis[0].value, "Riverside");
        assert_eq!(nis[1].value, "Radiology");
        let gdpr = draft(&stage(Regime::UkGdpr, "notification"), &src);
        let counts = gdpr
            .iter()
            .find(|e| e.field == ContentField::DataCategoriesAndNumbers)
            .unwrap();
        assert_eq!(counts.value, "about 1200 people; data: Health data (special category)");
        assert!(
            gdpr.iter()
                .find(|e| e.field == ContentField::Measures)
                .unwrap()
                .value
                .is_empty()
        );
    }

    #[test]
    fn a_submission_needs_every_field_and_a_late_one_a_reason() {
        let s = stage(Regime::UkGdpr, "notification");
        let mut entries: Vec<Entry> = s
            .contents
            .iter()
            .map(|f| Entry {
                field: *f,
                value: "x".into(),
            })
            .collect();
        entries.retain(|e| e.field != ContentField::ReasonForDelay);
        assert_eq!(
            check(&s, &entries, false, ""),
            Ok(()),
            "on time: no reason for delay needed"
        );
        let late = check(&s, &entries, true, "").unwrap_err();
        let fields: Vec<&str> = late.0.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(fields, ["reason_for_delay", "late_reason"]);
        entries[0].value = " ".into();
        entries.push(Entry {
            field: ContentField::RootCause,
            value: "y".into(),
        });
        let bad = check(&s, &entries, false, "").unwrap_err();
        let fields: Vec<&str> = bad.0.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(fields, ["operator_name", "root_cause"]);
    }

    #[test]
    fn the_digest_changes_with_any_part() {
        let e = vec![Entry {
            field: ContentField::OperatorName,
            value: "A".into(),
        }];
        let base = digest("uk_nis", "notification", 1, &e);
        assert_eq!(base.len(), 64);
        assert_eq!(base, digest("uk_nis", "notification", 1, &e));
        assert_ne!(base, digest("uk_nis", "notification", 2, &e));
        assert_ne!(base, digest("uk_gdpr", "notification", 1, &e));
        let other = vec![Entry {
            field: ContentField::OperatorName,
            value: "B".into(),
        }];
        assert_ne!(base, digest("uk_nis", "notification", 1, &other));
    }
}
