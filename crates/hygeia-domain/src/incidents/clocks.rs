//! Statutory clocks: when each stage of a regime falls due, and where it stands.
//!
//! Times are Unix milliseconds (UTC). Hour deadlines are elapsed time from awareness, so they
//! ignore daylight saving; month deadlines are calendar months on the organisation's wall
//! clock (Europe/London for the NHS), clamped to the month's end, so "one month after 31
//! January" is the end of February at the same local time.

use super::regimes::{Due, RegimePack};
use crate::org::coded_enum;
use jiff::tz::TimeZone;
use jiff::{Span, Timestamp};

const HOUR_MS: i64 = 3_600_000;

coded_enum!(
    /// Where one stage's clock stands. Not due: only when the authority asks, or only if the
    /// incident is still open at a later stage's time.
    ClockState {
        NotDue = "not_due", "Not due";
        Due = "due", "Due";
        DueSoon = "due_soon", "Due soon";
        Overdue = "overdue", "Overdue";
        SubmittedOnTime = "submitted_on_time", "Submitted on time";
        SubmittedLate = "submitted_late", "Submitted late";
    }
);

impl ClockState {
    /// Whether someone still has to act on this stage.
    pub fn needs_action(self) -> bool {
        matches!(self, ClockState::Due | ClockState::DueSoon | ClockState::Overdue)
    }
}

/// The due time of `hours` elapsed hours after `from`.
pub fn hours_after(from: i64, hours: u32) -> i64 {
    from.saturating_add(i64::from(hours).saturating_mul(HOUR_MS))
}

/// The same local wall-clock time `months` calendar months after `from` in `tz`, clamped to
/// the last day of a shorter month; a local time that does not exist that day (the spring
/// gap) moves forward by the gap. None only past the year 9999.
pub fn months_after(from: i64, months: u32, tz: &TimeZone) -> Option<i64> {
    let start = Timestamp::from_millisecond(from).ok()?.to_zoned_datetime(tz.clone());
    let due = start.checked_add(Span::new().months(i64::from(months))).ok()?;
    Some(due.timestamp().as_millisecond())
}

/// One stage of one regime for one incident.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StageClock {
    pub stage: String,
    pub title: String,
    /// None: not due unless asked for (or unless still open at a later stage's time).
    pub due_at: Option<i64>,
    pub submitted_at: Option<i64>,
    pub state: ClockState,
}

/// What is known about an incident when its clocks are worked out.
#[derive(Debug, Clone, Copy)]
pub struct ClockInputs<'a> {
    pub aware_at: i64,
    pub now: i64,
    /// How long before a deadline a clock shows as due soon.
    pub due_soon_ms: i64,
    /// When the incident was closed, if it is.
    pub closed_at: Option<i64>,
    /// When each stage was submitted, by stage code (the first submission counts).
    pub submitted: &'a [(&'a str, i64)],
    /// Deadlines a regulator set for stages it asks for on request, by stage code (the
    /// latest request counts).
    pub requested: &'a [(&'a str, i64)],
    pub time_zone: &'a TimeZone,
}

/// Every stage's clock for a reportable incident, in the pack's order.
pub fn schedule(pack: &RegimePack, inputs: &ClockInputs<'_>) -> Vec<StageClock> {
    let submitted = |code: &str| {
        inputs
            .submitted
            .iter()
            .filter(|(c, _)| *c == code)
            .map(|(_, at)| *at)
            .min()
    };
    let mut clocks: Vec<StageClock> = Vec::with_capacity(pack.stages.len());
    for stage in &pack.stages {
        let earlier = |code: &str| clocks.iter().find(|c| c.stage == code);
        let due_at = match &stage.due {
            Due::HoursAfterAwareness { hours } => Some(hours_after(inputs.aware_at, *hours)),
            Due::MonthsAfterStage { stage, months } => earlier(stage)
                .and_then(|c| c.submitted_at.or(c.due_at))
                .and_then(|from| months_after(from, *months, inputs.time_zone)),
            Due::OnRequest => inputs
                .requested
                .iter()
                .rev()
                .find(|(c, _)| *c == stage.code)
                .map(|(_, due)| *due),
            Due::IfOpenAtStage { stage } => earlier(stage)
                .and_then(|c| c.due_at)
                .filter(|due| inputs.closed_at.is_none_or(|closed| closed > *due)),
        };
        let submitted_at = submitted(&stage.code);
        clocks.push(StageClock {
            stage: stage.code.clone(),
            title: stage.title.clone(),
            due_at,
            submitted_at,
            state: state(due_at, submitted_at, inputs.now, inputs.due_soon_ms),
        });
    }
    clocks
}

/// Where a clock stands at `now`.
pub fn state(due_at: Option<i64>, submitted_at: Option<i64>, now: i64, due_soon_ms: i64) -> ClockState {
    match (due_at, submitted_at) {
        (Some(due), Some(at)) if at > due => ClockState::SubmittedLate,
        (_, Some(_)) => ClockState::SubmittedOnTime,
        (None, None) => ClockState::NotDue,
        (Some(due), None) if now > due => ClockState::Overdue,
        (Some(due), None) if due - now <= due_soon_ms => ClockState::DueSoon,
        (Some(_), None) => ClockState::Due,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::incidents::regimes::pack_for;
    use crate::org::Regime;
    use jiff::civil::DateTime;
    use proptest::prelude::*;

    fn london() -> TimeZone {
        TimeZone::get("Europe/London").unwrap()
    }

    fn local(tz: &TimeZone, s: &str) -> i64 {
        s.parse::<DateTime>()
            .unwrap()
            .to_zoned_datetime(tz.clone())
            .unwrap()
            .timestamp()
            .as_millisecond()
    }

    fn show(tz: &TimeZone, ms: i64) -> String {
        Timestamp::from_millisecond(ms)
            .unwrap()
            .to_zoned_datetime(tz.clone())
            .datetime()
            .to_string()
    }

    #[test]
    fn seventy_two_hours_across_the_spring_change_is_seventy_two_real_hours() {
        let tz = london();
        // Aware 09:00 on Saturday 28 March 2026; clocks go forward at 01:00 GMT on the 29th.
        let aware = local(&tz, "2026-03-28T09:00");
        let due = hours_after(aware, 72);
        assert_eq!(due - aware, 72 * HOUR_MS);
        assert_eq!(show(&tz, due), "2026-03-31T10:00:00", "one wall-clock hour is lost");
    }

    #[test]
    fn seventy_two_hours_across_the_autumn_change() {
        let tz = london();
        // Clocks go back at 02:00 BST on Sunday 25 October 2026.
        let aware = local(&tz, "2026-10-24T09:00");
        assert_eq!(show(&tz, hours_after(aware, 72)), "2026-10-27T08:00:00");
        assert_eq!(show(&tz, hours_after(aware, 24)), "2026-10-25T08:00:00");
    }

    #[test]
    fn a_month_keeps_the_wall_clock_and_clamps_to_month_end() {
        let tz = london();
        let cases = [
            ("2026-01-31T14:30", "2026-02-28T14:30:00"),
            ("2028-01-31T14:30", "2028-02-29T14:30:00"),
            ("2026-03-15T10:00", "2026-04-15T10:00:00"), // across the spring change
            ("2026-10-10T10:00", "2026-11-10T10:00:00"), // across the autumn change
            ("2026-12-31T23:59", "2027-01-31T23:59:00"),
            ("2026-05-31T09:00", "2026-06-30T09:00:00"),
        ];
        for (from, want) in cases {
            assert_eq!(
                show(&tz, months_after(local(&tz, from), 1, &tz).unwrap()),
                want,
                "{from}"
            );
        }
        // 01:30 on 29 March 2026 does not exist in London: the due time moves past the gap.
        let gap = months_after(local(&tz, "2026-01-29T01:30"), 2, &tz);
        assert_eq!(gap.map(|d| show(&tz, d)), Some("2026-03-29T02:30:00".into()));
    }

    #[test]
    fn states_by_hand() {
        let soon = 6 * HOUR_MS;
        assert_eq!(state(None, None, 0, soon), ClockState::NotDue);
        assert_eq!(state(Some(100 * HOUR_MS), None, 0, soon), ClockState::Due);
        assert_eq!(
            state(Some(100 * HOUR_MS), None, 94 * HOUR_MS, soon),
            ClockState::DueSoon
        );
        assert_eq!(
            state(Some(100 * HOUR_MS), None, 100 * HOUR_MS, soon),
            ClockState::DueSoon
        );
        assert_eq!(
            state(Some(100 * HOUR_MS), None, 100 * HOUR_MS + 1, soon),
            ClockState::Overdue
        );
        assert_eq!(state(Some(100), Some(100), 500, soon), ClockState::SubmittedOnTime);
        assert_eq!(state(Some(100), Some(101), 500, soon), ClockState::SubmittedLate);
        assert_eq!(state(None, Some(101), 500, soon), ClockState::SubmittedOnTime);
    }

    #[test]
    fn nis2_schedule_runs_from_awareness_and_from_the_notification() {
        let tz = london();
        let pack = pack_for(Regime::EuNis2).unwrap();
        let aware = local(&tz, "2026-01-30T16:00");
        let notified = local(&tz, "2026-01-31T12:00");
        let submitted = [("early_warning", aware + HOUR_MS), ("notification", notified)];
        let clocks = schedule(
            pack,
            &ClockInputs {
                aware_at: aware,
                now: notified + HOUR_MS,
                due_soon_ms: 6 * HOUR_MS,
                closed_at: None,
                submitted: &submitted,
                requested: &[],
                time_zone: &tz,
            },
        );
        let by = |code: &str| clocks.iter().find(|c| c.stage == code).unwrap();
        assert_eq!(by("early_warning").state, ClockState::SubmittedOnTime);
        assert_eq!(by("notification").due_at, Some(hours_after(aware, 72)));
        assert_eq!(by("intermediate").state, ClockState::NotDue);
        // The final report is due one month after the notification was submitted (31 Jan →
        // 28 Feb), and the progress report with it while the incident is still open.
        assert_eq!(show(&tz, by("final").due_at.unwrap()), "2026-02-28T12:00:00");
        assert_eq!(by("progress").due_at, by("final").due_at);
        let closed_early = schedule(
            pack,
            &ClockInputs {
                closed_at: Some(notified + HOUR_MS),
                ..ClockInputs {
                    aware_at: aware,
                    now: notified + HOUR_MS,
                    due_soon_ms: 0,
                    closed_at: None,
                    submitted: &submitted,
                    requested: &[],
                    time_zone: &tz,
                }
            },
        );
        assert_eq!(
            closed_early.iter().find(|c| c.stage == "progress").unwrap().state,
            ClockState::NotDue
        );
        // Asked for an intermediate report: its clock runs to the regulator's deadline (the
        // latest request counts), and no other stage asks for one.
        let requested = [
            ("intermediate", notified + 48 * HOUR_MS),
            ("intermediate", notified + 24 * HOUR_MS),
        ];
        let asked = schedule(
            pack,
            &ClockInputs {
                aware_at: aware,
                now: notified + 20 * HOUR_MS,
                due_soon_ms: 6 * HOUR_MS,
                closed_at: None,
                submitted: &submitted,
                requested: &requested,
                time_zone: &tz,
            },
        );
        let intermediate = asked.iter().find(|c| c.stage == "intermediate").unwrap();
        assert_eq!(intermediate.due_at, Some(notified + 24 * HOUR_MS));
        assert_eq!(intermediate.state, ClockState::DueSoon);
        assert_eq!(
            asked.iter().find(|c| c.stage == "final").unwrap().due_at,
            by("final").due_at
        );
    }

    /// Instants from 2025 to 2029, so both 2026 transitions and leap day 2028 are in range.
    fn instant() -> impl Strategy<Value = i64> {
        1_735_689_600_000i64..1_861_920_000_000i64
    }

    proptest! {
        #[test]
        fn hour_deadlines_are_exact_elapsed_time(aware in instant(), hours in 1u32..2_000) {
            prop_assert_eq!(hours_after(aware, hours) - aware, i64::from(hours) * HOUR_MS);
        }

        #[test]
        fn a_month_later_is_the_clamped_day_at_the_same_wall_time(from in instant(), months in 1u32..14) {
            let tz = london();
            let start = Timestamp::from_millisecond(from).unwrap().to_zoned_datetime(tz.clone());
            let due_ms = months_after(from, months, &tz).unwrap();
            let due = Timestamp::from_millisecond(due_ms).unwrap().to_zoned_datetime(tz.clone());
            prop_assert!(due_ms > from);
            let expected_month = (i32::from(start.month()) - 1 + months as i32) % 12 + 1;
            prop_assert_eq!(i32::from(due.month()), expected_month);
            let last_day = due.date().days_in_month();
            prop_assert_eq!(due.day(), start.day().min(last_day));
            // Same wall-clock time, unless that time fell in the spring gap on the due day.
            let gap_day = due.month() == 3 && due.day() >= 25 && due.weekday() == jiff::civil::Weekday::Sunday;
            if !gap_day {
                prop_assert_eq!((due.hour(), due.minute()), (start.hour(), start.minute()));
            }
        }

        #[test]
        fn once_overdue_a_clock_stays_overdue_until_submitted(due in instant(), a in 0i64..10_000_000, b in 0i64..10_000_000) {
            let (early, late) = (due + 1 + a.min(b), due + 1 + a.max(b));
            prop_assert_eq!(state(Some(due), None, early, HOUR_MS), ClockState::Overdue);
            prop_assert_eq!(state(Some(due), None, late, HOUR_MS), ClockState::Overdue);
            prop_assert_eq!(state(Some(due), Some(early), late, HOUR_MS), ClockState::SubmittedLate);
            prop_assert_eq!(state(Some(due), Some(due - a), late, HOUR_MS), ClockState::SubmittedOnTime);
        }
    }
}
