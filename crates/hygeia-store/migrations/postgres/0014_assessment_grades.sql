-- The grades of each published assessment's CAF outcomes, one row per outcome, so that the
-- regulator's heat map counts rows instead of opening 40,000 snapshots. Written with the
-- publication; removed when a later publication supersedes it.
create table assessment_grades (
    assessment_id uuid not null references assessments(id),
    org_id uuid not null references orgs(id),
    ref_id text not null,
    grade text not null,
    primary key (assessment_id, ref_id)
);
create index assessment_grades_by_org on assessment_grades(org_id);
