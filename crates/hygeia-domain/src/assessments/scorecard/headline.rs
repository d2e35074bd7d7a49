//! How a scorecard reads in one word and in one line: the standing publications are counted
//! by across a sector, and the headline lists and reports show.

use super::super::answer::Value;
use super::Scorecard;

impl Scorecard {
    /// A short result that publications are counted by across a sector: the status where the
    /// framework has a rule for one, otherwise pass or fail, or whether the profile is met.
    pub fn standing(&self, has_profile: bool) -> &'static str {
        if let Some(status) = self.status {
            return status;
        }
        if !self.automatic_fails.is_empty() {
            return "Fail";
        }
        let (requirements, compliant) = self.requirements;
        if requirements > 0 {
            return if compliant == requirements {
                "Pass"
            } else {
                "Not passing"
            };
        }
        if !self.sections.is_empty() {
            return if self.sections.iter().any(|(_, v)| *v == Some(Value::Fail)) {
                "Fail"
            } else if self.sections.iter().all(|(_, v)| *v == Some(Value::Pass)) {
                "Pass"
            } else {
                "Incomplete"
            };
        }
        let t = &self.total;
        if !self.outcomes.is_empty() {
            return match (has_profile, t.below_profile == 0 && t.unassessed == 0) {
                (true, true) => "Meets profile",
                (true, false) => "Below profile",
                (false, _) if t.unassessed > 0 => "Partly graded",
                (false, _) => "Graded",
            };
        }
        if t.answered == t.items {
            "Complete"
        } else {
            "Incomplete"
        }
    }

    /// One line for lists and the sector view.
    pub fn headline(&self, has_profile: bool) -> String {
        let line = self.grades_headline(has_profile);
        match self.status {
            Some(status) => format!("{status}: {line}"),
            None => line,
        }
    }

    fn grades_headline(&self, has_profile: bool) -> String {
        let t = &self.total;
        if !self.automatic_fails.is_empty() {
            return format!("Fail: automatic fail on {}", self.automatic_fails.join(", "));
        }
        let (requirements, compliant) = self.requirements;
        if requirements > 0 {
            return if compliant == requirements {
                "Pass: every requirement compliant".into()
            } else {
                format!(
                    "Not passing: {} of {requirements} requirements not yet compliant",
                    requirements - compliant
                )
            };
        }
        if !self.sections.is_empty() {
            let passed = self.sections.iter().filter(|(_, v)| *v == Some(Value::Pass)).count();
            let failed: Vec<&str> = self
                .sections
                .iter()
                .filter(|(_, v)| *v == Some(Value::Fail))
                .map(|(r, _)| r.as_str())
                .collect();
            let mut line = format!("{passed} of {} assessed sections pass", self.sections.len());
            if !failed.is_empty() {
                line.push_str(&format!(" (failed: {})", failed.join(", ")));
            }
            return line;
        }
        if !self.outcomes.is_empty() {
            if has_profile {
                format!(
                    "{} of {} outcomes meet the profile",
                    self.outcomes.len() - t.below_profile,
                    self.outcomes.len()
                )
            } else {
                let mut line = format!(
                    "{} achieved, {} partially achieved, {} not achieved",
                    t.achieved, t.partially_achieved, t.not_achieved
                );
                if t.unassessed > 0 {
                    line.push_str(&format!(", {} not yet assessed", t.unassessed));
                }
                line
            }
        } else {
            format!(
                "{} met, {} not met, {} not applicable of {}",
                t.met, t.not_met, t.not_applicable, t.items
            )
        }
    }
}
