-- Evidence review reminders: the review-by date each reminder was sent for, so a reminder goes
-- once per date and threshold (due soon, overdue), and moving the date re-arms both.
alter table evidence add column review_soon_sent_for text;
alter table evidence add column review_overdue_sent_for text;
