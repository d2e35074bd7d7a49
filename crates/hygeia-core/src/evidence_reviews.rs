//! Reminders for evidence whose review-by date is near (within `REVIEW_SOON_DAYS`) or past:
//! one message when it becomes due soon and one when it is overdue, to whoever added the item
//! (or the organisation's owners once they have left). Run by the worker with the clocks.

use crate::evidence::days_until;
use crate::{CoreError, Hygeia};
use hygeia_domain::evidence::{REVIEW_SOON_DAYS, ReviewState, review_state};
use hygeia_store::model::{ReviewCandidate, ReviewReminder};

/// Items looked at per run; the rest wait for the next minute.
const REVIEW_BATCH: u32 = 500;

impl Hygeia {
    /// Queues the evidence review reminders that fall due now; returns how many messages.
    pub async fn remind_evidence_reviews(&self) -> Result<u64, CoreError> {
        let now = self.now_ms();
        let Ok(utc_today) =
            jiff::Timestamp::from_millisecond(now).map(|t| t.to_zoned_datetime(jiff::tz::TimeZone::UTC).date())
        else {
            return Ok(0);
        };
        // Today anywhere is at most a day after today in UTC, so these bounds miss no one;
        // `decide` then applies the organisation's own calendar.
        let shift = |days: i64| {
            utc_today
                .checked_add(jiff::Span::new().days(days))
                .map(|d| d.to_string())
                .unwrap_or_default()
        };
        let soon_until = shift(REVIEW_SOON_DAYS + 1);
        let overdue_until = shift(0);
        let base = self.link_base();
        let decide = move |c: &ReviewCandidate| -> Option<ReviewReminder> {
            let overdue = match review_state(days_until(&c.review_by, &c.time_zone, now)) {
                ReviewState::Overdue => true,
                ReviewState::DueSoon if !c.soon_sent => false,
                _ => return None,
            };
            let subject = if overdue {
                format!("Evidence review overdue: {}", c.title)
            } else {
                format!("Evidence due for review: {}", c.title)
            };
            let body = format!(
                "{subject}\n\n{} set this evidence to be reviewed by {}. {}\n\nOpen it: {base}/orgs/{}/evidence/{}\n",
                c.org_name,
                c.review_by,
                if overdue {
                    "That date has passed: check it is still true, add a new version if it has changed, and set the next review date."
                } else {
                    "Check it is still true before then, and set the next review date."
                },
                c.org_id,
                c.evidence_id,
            );
            Some(ReviewReminder { overdue, subject, body })
        };
        let new_id = || self.new_uuid();
        Ok(self
            .store
            .remind_evidence_reviews(&soon_until, &overdue_until, REVIEW_BATCH, now, &decide, &new_id)
            .await?)
    }
}
