//! The descriptive part of an incident: what people write about it, kept together because it
//! is read and written as a whole (the register's searchable columns live beside it).

use super::lifecycle::DataCategory;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct IncidentDetails {
    pub description: String,
    /// Why the awareness time is that moment (who confirmed what, when).
    pub aware_note: String,
    /// Essential services affected, in the organisation's words.
    pub essential_services: String,
    /// Systems and assets affected.
    pub systems_affected: String,
    pub disruption_start: Option<i64>,
    pub disruption_end: Option<i64>,
    pub patients_affected: Option<u64>,
    pub data_subjects: Option<u64>,
    pub records_affected: Option<u64>,
    pub data_categories: Vec<DataCategory>,
    pub patient_safety_impact: bool,
    pub cross_border: bool,
    pub suspected_malicious: bool,
    pub third_party: bool,
    pub root_cause: String,
    pub lessons_learned: String,
}

impl IncidentDetails {
    /// Minutes of service disruption, when both ends are known (or up to `now` if ongoing).
    pub fn disruption_minutes(&self, now: i64) -> Option<u64> {
        let start = self.disruption_start?;
        let end = self.disruption_end.unwrap_or(now);
        u64::try_from((end - start) / 60_000).ok()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn disruption_runs_to_its_end_or_to_now() {
        let mut d = IncidentDetails {
            disruption_start: Some(0),
            ..IncidentDetails::default()
        };
        assert_eq!(d.disruption_minutes(90 * 60_000), Some(90));
        d.disruption_end = Some(30 * 60_000);
        assert_eq!(d.disruption_minutes(90 * 60_000), Some(30));
        d.disruption_end = Some(-60_000);
        assert_eq!(d.disruption_minutes(0), None, "an end before the start is no duration");
        assert_eq!(IncidentDetails::default().disruption_minutes(5), None);
    }
}
