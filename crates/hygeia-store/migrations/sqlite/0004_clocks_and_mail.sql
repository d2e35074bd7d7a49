-- Each reportable stage's clock, kept beside the incident so the worker and the regulator's
-- views read deadlines without working them out for every incident. Rewritten with every
-- change that moves a deadline (a decision, a submission, the awareness time, closing).
create table incident_clocks (
    incident_id blob not null references incidents(id),
    org_id blob not null references orgs(id),
    -- The competent authority of the organisation, so its remit's overdue and late reports
    -- are one index range (organisations do not change regulator in Hygeia today; if they
    -- come to, that change must rewrite this column).
    regulator_id blob references orgs(id),
    regime text not null,
    stage text not null,
    title text not null,
    due_at integer,
    submitted_at integer,
    state text not null,
    reminded_soon integer not null,
    reminded_overdue integer not null,
    primary key (incident_id, regime, stage)
);
create index incident_clocks_state_due on incident_clocks(state, due_at);
create index incident_clocks_org on incident_clocks(org_id, state);
create index incident_clocks_remit_attention on incident_clocks(regulator_id, due_at, incident_id, regime, stage)
    where state in ('overdue', 'submitted_late');

-- Mail waiting to be sent, written in the same transaction as what caused it, so a reminder
-- is never lost to a mail server that is down.
create table outbox (
    id blob primary key,
    recipient text not null,
    subject text not null,
    body text not null,
    created_at integer not null,
    sent_at integer,
    attempts integer not null,
    last_error text not null
);
create index outbox_pending on outbox(sent_at, created_at);
