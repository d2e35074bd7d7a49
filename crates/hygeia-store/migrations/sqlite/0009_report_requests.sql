-- A regulator's request for a report a regime asks for only on request (NIS2's intermediate
-- report), with the deadline it set; the stage's clock runs from it.
create table report_requests (
    id blob primary key,
    regulator_id blob not null references orgs(id),
    org_id blob not null references orgs(id),
    incident_id blob not null references incidents(id),
    notification_id blob not null references notifications(id),
    regime text not null,
    stage text not null,
    due_at integer not null,
    message text not null,
    requested_by text not null,
    requested_at integer not null
);
create index report_requests_by_incident on report_requests(incident_id, requested_at);
