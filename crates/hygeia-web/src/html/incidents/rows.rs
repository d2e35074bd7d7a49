//! How the incident page shows each part: a regime's standing and clocks, a task, a sent
//! report, a timeline entry, and the lines of a verdict and of a disruption.

use super::super::when;
use hygeia_core::RegimeStanding;
use hygeia_domain::ids::TaskId;
use hygeia_domain::incidents::clocks::ClockState;
use hygeia_domain::incidents::reportability::{Decision, Verdict};
use hygeia_store::model::{Incident, IncidentTask, Notification};

pub(super) struct ClockRow {
    pub(super) title: String,
    /// Where to write (or update) this stage's report.
    pub(super) notify: String,
    pub(super) submitted: bool,
    pub(super) due: String,
    pub(super) state: &'static str,
    /// The NHS.UK tag colour for the state.
    pub(super) tag: &'static str,
}

pub(super) struct StandingRow {
    pub(super) title: String,
    pub(super) verdict: Option<&'static str>,
    pub(super) recipients: String,
    pub(super) reasons: Vec<String>,
    pub(super) rationale: String,
    pub(super) decided: String,
    pub(super) clocks: Vec<ClockRow>,
}

pub(super) struct TaskRow {
    pub(super) id: TaskId,
    pub(super) title: String,
    pub(super) who: &'static str,
    pub(super) done: Option<String>,
}

pub(super) struct SentRow {
    pub(super) link: String,
    pub(super) report: String,
    pub(super) version: u32,
    pub(super) submitted: String,
    pub(super) on_time: bool,
    pub(super) status: &'static str,
}

pub(super) struct EventRow {
    pub(super) at: String,
    pub(super) actor: String,
    pub(super) kind: String,
    pub(super) body: String,
}

fn clock_tag(state: ClockState) -> &'static str {
    match state {
        ClockState::Overdue | ClockState::SubmittedLate => "nhsuk-tag--red",
        ClockState::DueSoon => "nhsuk-tag--orange",
        ClockState::Due => "nhsuk-tag--blue",
        ClockState::SubmittedOnTime => "nhsuk-tag--green",
        ClockState::NotDue => "nhsuk-tag--grey",
    }
}

pub(super) fn verdict_line(d: &Decision) -> (String, &'static str, String) {
    let detail = match d.verdict {
        Verdict::Reportable => format!("to {}", d.recipients.join(", ")),
        Verdict::NeedsInput => format!("needs: {}", d.missing.join(", ")),
        Verdict::NotReportable => d.reasons.join("; "),
    };
    (d.regime.label().to_owned(), d.verdict.label(), detail)
}

/// One regime's standing: its recorded decision, if any, and its clocks, each with the link
/// that drafts its report.
pub(super) fn standing_row(s: RegimeStanding, notify_base: &str, zone: &str) -> StandingRow {
    let decision = s.decision.as_ref();
    StandingRow {
        title: s.title,
        verdict: decision.map(|d| d.decision.verdict.label()),
        recipients: decision.map(|d| d.decision.recipients.join(", ")).unwrap_or_default(),
        reasons: decision.map(|d| d.decision.reasons.clone()).unwrap_or_default(),
        rationale: decision.map(|d| d.rationale.clone()).unwrap_or_default(),
        decided: decision
            .map(|d| format!("{} by {}", when(d.decided_at, zone), d.decided_by))
            .unwrap_or_default(),
        clocks: s
            .clocks
            .into_iter()
            .map(|c| ClockRow {
                notify: format!("{notify_base}?regime={}&stage={}", s.regime.code(), c.stage),
                submitted: c.submitted_at.is_some(),
                title: c.title,
                due: c.due_at.map_or_else(|| "Only if asked".to_owned(), |d| when(d, zone)),
                state: c.state.label(),
                tag: clock_tag(c.state),
            })
            .collect(),
    }
}

/// When the service was disrupted, as the page says it.
pub(super) fn disruption_line(i: &Incident, zone: &str) -> String {
    match (i.details.disruption_start, i.details.disruption_end) {
        (Some(s), Some(e)) => format!("{} to {}", when(s, zone), when(e, zone)),
        (Some(s), None) => format!("since {} (ongoing)", when(s, zone)),
        _ => "None recorded".into(),
    }
}

pub(super) fn task_row(t: &IncidentTask, zone: &str) -> TaskRow {
    TaskRow {
        id: t.id,
        title: t.title.clone(),
        who: t.role.map_or("Incident lead", |r| r.label()),
        done: t.done_at.map(|at| {
            let by = t.done_by.as_deref().unwrap_or_default();
            format!("Done {} by {by}", when(at, zone))
        }),
    }
}

pub(super) fn sent_row(n: &Notification, org: &str, zone: &str) -> SentRow {
    SentRow {
        link: format!("/orgs/{org}/notifications/{}", n.id),
        report: format!("{}: {}", n.regime.label(), n.stage),
        version: n.version,
        submitted: when(n.submitted_at, zone),
        on_time: n.on_time,
        status: n.review_status.label(),
    }
}
