-- The grades of each current publication's CAF outcomes, one row per outcome, so that the
-- regulator's heat map reads an index instead of opening 40,000 snapshots. Written with the
-- publication; removed when a later publication supersedes it. The organisation's regulator
-- is copied in (and kept in step when it changes) so that the heat map is one ordered index
-- range per regulator, with no join.
create table assessment_grades (
    assessment_id uuid not null references assessments(id),
    org_id uuid not null references orgs(id),
    regulator_id uuid references orgs(id),
    ref_id text not null,
    grade text not null,
    primary key (assessment_id, ref_id)
);
create index assessment_grades_by_org on assessment_grades(org_id);
create index assessment_grades_heat_map on assessment_grades(regulator_id, ref_id, grade);
