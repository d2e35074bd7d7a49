-- Each organisation's own playbooks (categories without a row use Hygeia's defaults), and
-- the tasks of each incident, created from its category's playbook.
create table playbooks (
    org_id uuid not null references orgs(id),
    category text not null,
    body text not null,
    updated_by text not null,
    updated_at bigint not null,
    primary key (org_id, category)
);

create table incident_tasks (
    id uuid primary key,
    incident_id uuid not null references incidents(id),
    seq bigint not null,
    title text not null,
    role text,
    done_at bigint,
    done_by text,
    created_at bigint not null
);
create unique index incident_tasks_order on incident_tasks(incident_id, seq);
