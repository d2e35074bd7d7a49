//! Evidence review reminders: the items whose review date falls due, each reminded once per
//! date and threshold.

use super::super::{Cols, Repo};
use crate::StoreError;
use crate::model::*;
use hygeia_domain::ids::{EvidenceId, MailId, OrgId};

impl Repo {
    /// Queues the evidence review reminders that fall due, once per review date and threshold.
    /// Candidates are items dated on or before `soon_until` not yet reminded as due soon, or
    /// on or before `overdue_until` not yet reminded as overdue (both `YYYY-MM-DD`, loose by a
    /// day so every time zone is covered); `decide` says, in the organisation's own time zone,
    /// which reminder is due now, if any. Each goes to whoever added the item, if still a
    /// member, else to the organisation's owners. Returns how many messages were queued.
    pub async fn remind_evidence_reviews(
        &self,
        soon_until: &str,
        overdue_until: &str,
        batch: u32,
        now: i64,
        decide: &(dyn Fn(&ReviewCandidate) -> Option<ReviewReminder> + Sync),
        new_id: &(dyn Fn() -> uuid::Uuid + Sync),
    ) -> Result<u64, StoreError> {
        let mut tx = self.begin_write().await?;
        let rows = sqlx::query(
            "select e.id, e.org_id, o.name as org_name, o.time_zone, e.title, e.review_by, e.created_by, \
             e.review_soon_sent_for from evidence e join orgs o on o.id = e.org_id \
             where e.review_by is not null and ( \
               (e.review_by <= $1 and (e.review_soon_sent_for is null or e.review_soon_sent_for <> e.review_by)) \
               or (e.review_by <= $2 and (e.review_overdue_sent_for is null or e.review_overdue_sent_for <> e.review_by))) \
             order by e.review_by, e.id limit $3",
        )
        .bind(soon_until)
        .bind(overdue_until)
        .bind(i64::from(batch))
        .fetch_all(&mut *tx)
        .await?;
        let mut queued = 0;
        for row in &rows {
            let review_by = row.text("review_by")?;
            let candidate = ReviewCandidate {
                evidence_id: EvidenceId(row.id("id")?),
                org_id: OrgId(row.id("org_id")?),
                org_name: row.text("org_name")?,
                time_zone: row.text("time_zone")?,
                title: row.text("title")?,
                soon_sent: row.opt_text("review_soon_sent_for")?.as_deref() == Some(review_by.as_str()),
                review_by,
            };
            let Some(reminder) = decide(&candidate) else { continue };
            let emails = |sql: &'static str, who: String| sqlx::query(sql).bind(candidate.org_id.0).bind(who);
            let mut to: Vec<String> = emails(
                "select u.email from users u join memberships m on m.user_id = u.id where m.org_id = $1 and u.email = $2",
                row.text("created_by")?,
            )
            .fetch_all(&mut *tx)
            .await?
            .iter()
            .map(|r| r.text("email"))
            .collect::<Result<_, _>>()?;
            if to.is_empty() {
                to = emails(
                    "select u.email from users u join memberships m on m.user_id = u.id \
                     where m.org_id = $1 and m.role = $2 order by u.email",
                    "owner".to_owned(),
                )
                .fetch_all(&mut *tx)
                .await?
                .iter()
                .map(|r| r.text("email"))
                .collect::<Result<_, _>>()?;
            }
            for recipient in to {
                let mail = Mail {
                    id: MailId(new_id()),
                    recipient,
                    subject: reminder.subject.clone(),
                    body: reminder.body.clone(),
                    created_at: now,
                    attempts: 0,
                };
                super::super::clocks::queue_mail(&mut tx, &mail).await?;
                queued += 1;
            }
            // An overdue reminder stands for the due-soon one too.
            let sql = if reminder.overdue {
                "update evidence set review_soon_sent_for = review_by, review_overdue_sent_for = review_by where id = $1"
            } else {
                "update evidence set review_soon_sent_for = review_by where id = $1"
            };
            sqlx::query(sql).bind(candidate.evidence_id.0).execute(&mut *tx).await?;
        }
        self.commit(tx).await?;
        Ok(queued)
    }
}
