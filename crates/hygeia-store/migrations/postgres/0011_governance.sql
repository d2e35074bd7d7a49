-- Improvement actions (from incidents' lessons now, assessments' gaps later) and the risk
-- register, with risks linked to the incidents that realised or revealed them.
create table improvement_actions (
    id uuid primary key,
    org_id uuid not null references orgs(id),
    seq bigint not null,
    title text not null,
    detail text not null,
    owner text not null,
    due_on text,
    status text not null,
    source_kind text,
    source_id text,
    created_by text not null,
    created_at bigint not null,
    updated_by text not null,
    updated_at bigint not null
);
create unique index improvement_actions_number on improvement_actions(org_id, seq);
create index improvement_actions_by_source on improvement_actions(org_id, source_kind, source_id);

create table risks (
    id uuid primary key,
    org_id uuid not null references orgs(id),
    seq bigint not null,
    title text not null,
    description text not null,
    likelihood bigint not null,
    impact bigint not null,
    treatment text not null,
    owner text not null,
    status text not null,
    review_by text,
    created_by text not null,
    created_at bigint not null,
    updated_by text not null,
    updated_at bigint not null
);
create unique index risks_number on risks(org_id, seq);

create table risk_links (
    risk_id uuid not null references risks(id),
    target_kind text not null,
    target_id text not null,
    org_id uuid not null references orgs(id),
    linked_by text not null,
    linked_at bigint not null,
    primary key (risk_id, target_kind, target_id)
);
create index risk_links_by_target on risk_links(org_id, target_kind, target_id);
