-- Notifications to the regulator. The content columns are written once: an update is a new
-- version pointing at the previous one. Only the review status, the regulator's view of it,
-- changes afterwards; every review is kept in notification_reviews.
create table notifications (
    id uuid primary key,
    org_id uuid not null references orgs(id),
    incident_id uuid not null references incidents(id),
    recipient_org_id uuid references orgs(id),
    regime text not null,
    stage text not null,
    version bigint not null,
    previous_id uuid references notifications(id),
    entries text not null,
    due_at bigint,
    submitted_at bigint not null,
    on_time boolean not null,
    late_reason text not null,
    submitted_by text not null,
    digest text not null,
    review_status text not null,
    reviewed_at bigint,
    unique (incident_id, regime, stage, version)
);
create index notifications_recipient on notifications(recipient_org_id, submitted_at);

create table notification_reviews (
    id uuid primary key,
    notification_id uuid not null references notifications(id),
    status text not null,
    message text not null,
    reviewed_by text not null,
    at bigint not null
);
create index notification_reviews_notification on notification_reviews(notification_id, at);
