-- Assessments of a framework version by an organisation, their answers, and the target
-- profiles frameworks carry. Nodes gain where they apply and where they are mandatory.
alter table framework_nodes add column applies_to text not null default '';
alter table framework_nodes add column mandatory_for text not null default '';
alter table framework_nodes add column source text;

create table framework_profiles (
    framework_id uuid not null references frameworks(id),
    seq bigint not null,
    key text not null,
    title text not null,
    summary text not null,
    source text,
    minima text not null,
    primary key (framework_id, key)
);

create table assessments (
    id uuid primary key,
    org_id uuid not null references orgs(id),
    seq bigint not null,
    framework_id uuid not null references frameworks(id),
    title text not null,
    period text not null,
    due_on text,
    scope text not null,
    profile_key text,
    status text not null,
    version bigint not null,
    supersedes uuid,
    result text,
    summary text,
    digest text,
    snapshot text,
    created_by text not null,
    created_at bigint not null,
    updated_by text not null,
    updated_at bigint not null,
    published_by text,
    published_at bigint,
    row_version bigint not null
);
create unique index assessments_number on assessments(org_id, seq);
create index assessments_by_status on assessments(status, framework_id);

create table assessment_answers (
    assessment_id uuid not null references assessments(id),
    ref_id text not null,
    org_id uuid not null references orgs(id),
    value text,
    narrative text not null,
    override_grade text,
    override_reason text,
    owner text,
    flagged boolean not null,
    updated_by text not null,
    updated_at bigint not null,
    primary key (assessment_id, ref_id)
);

create table assessment_reviews (
    id uuid primary key,
    assessment_id uuid not null references assessments(id),
    org_id uuid not null references orgs(id),
    regulator_id uuid not null references orgs(id),
    outcome text not null,
    comment text not null,
    reviewed_by text not null,
    reviewed_at bigint not null
);
create index assessment_reviews_by_assessment on assessment_reviews(assessment_id, reviewed_at);
