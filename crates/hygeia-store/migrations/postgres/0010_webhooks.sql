-- An organisation's signed webhook for its notifications, and the deliveries queued with each
-- submission and sent by the worker with retries. The secret signs each body (HMAC-SHA256):
-- it must be kept to sign, so it is stored as given to the organisation, never logged.
create table webhooks (
    org_id uuid primary key references orgs(id),
    url text not null,
    secret text not null,
    updated_by text not null,
    updated_at bigint not null
);

create table webhook_deliveries (
    id uuid primary key,
    org_id uuid not null references orgs(id),
    notification_id uuid not null references notifications(id),
    event text not null,
    url text not null,
    body text not null,
    created_at bigint not null,
    attempts bigint not null,
    last_attempt_at bigint,
    -- When the worker may try again (backoff after a failure); none: at once.
    next_attempt_at bigint,
    last_status bigint,
    last_error text,
    delivered_at bigint
);
create index webhook_deliveries_pending on webhook_deliveries(delivered_at, next_attempt_at);
create index webhook_deliveries_by_org on webhook_deliveries(org_id, created_at);
