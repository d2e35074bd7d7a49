-- Each organisation's own playbooks (categories without a row use Hygeia's defaults), and
-- the tasks of each incident, created from its category's playbook.
create table playbooks (
    org_id blob not null references orgs(id),
    category text not null,
    body text not null,
    updated_by text not null,
    updated_at integer not null,
    primary key (org_id, category)
);

create table incident_tasks (
    id blob primary key,
    incident_id blob not null references incidents(id),
    seq integer not null,
    title text not null,
    role text,
    done_at integer,
    done_by text,
    created_at integer not null
);
create unique index incident_tasks_order on incident_tasks(incident_id, seq);
