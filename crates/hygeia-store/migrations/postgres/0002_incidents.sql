-- The incident register: searchable columns, with the descriptive details and the
-- reportability facts as JSON documents beside them.
create table incidents (
    id uuid primary key,
    org_id uuid not null references orgs(id),
    year bigint not null,
    number bigint not null,
    reference text not null,
    title text not null,
    category text not null,
    severity text not null,
    status text not null,
    occurred_at bigint,
    detected_at bigint not null,
    aware_at bigint not null,
    details text not null,
    facts text not null,
    created_by uuid references users(id),
    closed_at bigint,
    created_at bigint not null,
    updated_at bigint not null,
    unique (org_id, year, number)
);
create index incidents_org_aware on incidents(org_id, aware_at);
create index incidents_open on incidents(status, aware_at);

-- Each incident's timeline: automatic entries for changes, and people's notes.
create table incident_events (
    id uuid primary key,
    incident_id uuid not null references incidents(id),
    seq bigint not null,
    at bigint not null,
    actor_label text not null,
    kind text not null,
    body text not null
);
create unique index incident_events_incident on incident_events(incident_id, seq);

-- Reportability decisions as made: inputs, rule version, outcome, who and why.
create table reportability_decisions (
    id uuid primary key,
    incident_id uuid not null references incidents(id),
    regime text not null,
    pack_version text not null,
    verdict text not null,
    outcome text not null,
    facts text not null,
    rationale text not null,
    decided_by text not null,
    decided_at bigint not null
);
create index reportability_decisions_incident on reportability_decisions(incident_id, decided_at);
