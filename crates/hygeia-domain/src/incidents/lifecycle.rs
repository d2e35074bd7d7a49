//! An incident's status, category and severity, and the rules for its times and counts.

use crate::org::coded_enum;
use crate::validation::{FieldError, Invalid};

coded_enum!(
    /// Where the response stands, in the order responders move through it.
    IncidentStatus {
        Reported = "reported", "Reported";
        Triage = "triage", "Triage";
        Contained = "contained", "Contained";
        Eradicated = "eradicated", "Eradicated";
        Recovered = "recovered", "Recovered";
        Closed = "closed", "Closed";
    }
);

impl IncidentStatus {
    fn rank(self) -> usize {
        Self::ALL.iter().position(|s| *s == self).unwrap_or(0)
    }

    /// Forward moves may skip stages (a lost laptop is contained and closed at once); going
    /// back is only the reopening of a closed incident, to triage.
    pub fn can_move_to(self, next: IncidentStatus) -> bool {
        next.rank() > self.rank() || (self == IncidentStatus::Closed && next == IncidentStatus::Triage)
    }

    pub fn is_open(self) -> bool {
        self != IncidentStatus::Closed
    }
}

coded_enum!(
    /// The kind of incident: each has a playbook in the organisation's response plan.
    IncidentCategory {
        Ransomware = "ransomware", "Ransomware or other malware";
        Phishing = "phishing", "Phishing or account compromise";
        DataBreach = "data_breach", "Personal data breach";
        LossOfService = "loss_of_service", "Loss of service (power, flood, supplier outage)";
        MedicalDevice = "medical_device", "Medical device";
        LostDevice = "lost_device", "Lost or stolen device";
        Insider = "insider", "Insider";
        Ddos = "ddos", "Denial of service";
        Other = "other", "Other";
    }
);

coded_enum!(
    /// The organisation's own view of how bad it is, for triage (not a statutory test).
    IncidentSeverity {
        Low = "low", "Low";
        Medium = "medium", "Medium";
        High = "high", "High";
        Critical = "critical", "Critical";
    }
);

coded_enum!(
    /// Kinds of data whose involvement raises the stakes of a personal data breach.
    DataCategory {
        Health = "health", "Health data (special category)";
        OtherSpecial = "other_special", "Other special category data";
        Children = "children", "Children's data";
        Vulnerable = "vulnerable", "Vulnerable groups";
        Financial = "financial", "Financial data";
        Identity = "identity", "Identity documents";
        Contact = "contact", "Contact details only";
    }
);

impl DataCategory {
    /// Whether the breach grid treats data of this kind as sensitive (never graded below
    /// Minor: see `grid::effective_harm`).
    pub fn is_sensitive(self) -> bool {
        matches!(
            self,
            DataCategory::Health | DataCategory::OtherSpecial | DataCategory::Children | DataCategory::Vulnerable
        )
    }
}

/// The three moments of an incident, in Unix milliseconds. The statutory clocks run from
/// awareness: the moment the organisation was reasonably certain an incident had happened.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct IncidentTimes {
    pub occurred_at: Option<i64>,
    pub detected_at: i64,
    pub aware_at: i64,
}

impl IncidentTimes {
    /// Checks the order of the moments against each other and against `now`.
    pub fn validate(&self, now: i64) -> Result<(), Invalid> {
        let mut errors = Vec::new();
        if self.aware_at > now {
            errors.push(FieldError::new("aware_at", "cannot be in the future"));
        }
        if self.detected_at > now {
            errors.push(FieldError::new("detected_at", "cannot be in the future"));
        }
        if let Some(occurred) = self.occurred_at {
            if occurred > now {
                errors.push(FieldError::new("occurred_at", "cannot be in the future"));
            }
            if self.detected_at < occurred {
                errors.push(FieldError::new("detected_at", "cannot be before the incident occurred"));
            }
        }
        if self.aware_at < self.detected_at {
            errors.push(FieldError::new(
                "aware_at",
                "cannot be before the incident was detected",
            ));
        }
        if errors.is_empty() {
            Ok(())
        } else {
            Err(Invalid(errors))
        }
    }
}

/// Reads an optional count: blank is unknown, a negative or non-numeric value is an error
/// naming the field.
pub fn parse_count(raw: Option<&str>, field: &str) -> Result<Option<u64>, Invalid> {
    match raw.map(str::trim).filter(|s| !s.is_empty()) {
        None => Ok(None),
        Some(s) => match s.parse::<i64>() {
            Ok(n) if n < 0 => Err(Invalid::one(field, "cannot be negative")),
            Ok(n) => Ok(Some(n.unsigned_abs())),
            Err(_) => Err(Invalid::one(field, format!("'{s}' is not a whole number"))),
        },
    }
}

/// The organisation's incident reference: `INC-2026-0042`, numbered per organisation and year.
pub fn incident_reference(year: i16, number: u32) -> String {
    format!("INC-{year}-{number:04}")
}

#[cfg(test)]
mod tests {
    use super::*;

    const NOW: i64 = 1_780_000_000_000;

    fn fields(e: Invalid) -> Vec<String> {
        e.0.into_iter().map(|f| f.field).collect()
    }

    #[test]
    fn times_in_order_are_accepted() {
        let t = IncidentTimes {
            occurred_at: Some(NOW - 3_000),
            detected_at: NOW - 2_000,
            aware_at: NOW - 1_000,
        };
        assert_eq!(t.validate(NOW), Ok(()));
        let unknown_start = IncidentTimes { occurred_at: None, ..t };
        assert_eq!(unknown_start.validate(NOW), Ok(()));
    }

    #[test]
    fn each_bad_time_is_named() {
        let future = IncidentTimes {
            occurred_at: None,
            detected_at: NOW - 10,
            aware_at: NOW + 1,
        };
        assert_eq!(fields(future.validate(NOW).unwrap_err()), ["aware_at"]);
        let detected_first = IncidentTimes {
            occurred_at: Some(NOW - 10),
            detected_at: NOW - 20,
            aware_at: NOW - 5,
        };
        assert_eq!(fields(detected_first.validate(NOW).unwrap_err()), ["detected_at"]);
        let aware_first = IncidentTimes {
            occurred_at: None,
            detected_at: NOW - 5,
            aware_at: NOW - 20,
        };
        assert_eq!(fields(aware_first.validate(NOW).unwrap_err()), ["aware_at"]);
    }

    #[test]
    fn counts_are_blank_or_whole_and_not_negative() {
        assert_eq!(parse_count(None, "n"), Ok(None));
        assert_eq!(parse_count(Some("  "), "n"), Ok(None));
        assert_eq!(parse_count(Some("12"), "n"), Ok(Some(12)));
        assert_eq!(
            fields(parse_count(Some("-1"), "users_affected").unwrap_err()),
            ["users_affected"]
        );
        assert!(parse_count(Some("lots"), "n").is_err());
    }

    #[test]
    fn status_moves_forward_or_reopens() {
        use IncidentStatus::*;
        assert!(Reported.can_move_to(Triage));
        assert!(Reported.can_move_to(Closed));
        assert!(!Contained.can_move_to(Triage));
        assert!(!Triage.can_move_to(Triage));
        assert!(Closed.can_move_to(Triage));
        assert!(!Closed.can_move_to(Recovered));
        assert!(!Closed.is_open() && Recovered.is_open());
    }

    #[test]
    fn references_are_zero_padded() {
        assert_eq!(incident_reference(2026, 42), "INC-2026-0042");
        assert_eq!(incident_reference(2026, 12_345), "INC-2026-12345");
    }
}
