-- A publication's standing (Standards Met, Pass, Meets profile ...) is what a sector is
-- counted by; the regulator can move it (an approved improvement plan gives Approaching
-- Standards). Mappings between frameworks' requirements, by framework key, drive evidence
-- offers. Comments are a conversation on one item of an assessment.
alter table assessments add column standing text;

create table framework_mappings (
    from_key text not null,
    from_ref text not null,
    to_key text not null,
    to_ref text not null,
    relation text not null,
    source text not null,
    primary key (from_key, from_ref, to_key, to_ref)
);
create index framework_mappings_to on framework_mappings(to_key, to_ref);

create table assessment_comments (
    id uuid primary key,
    assessment_id uuid not null references assessments(id),
    org_id uuid not null references orgs(id),
    ref_id text not null,
    body text not null,
    author text not null,
    created_at bigint not null
);
create index assessment_comments_by_item on assessment_comments(assessment_id, ref_id, created_at);
