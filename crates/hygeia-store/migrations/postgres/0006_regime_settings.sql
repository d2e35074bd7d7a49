-- A competent authority's own thresholds for a regime, applied to the decisions of every
-- organisation in its remit.
create table regime_settings (
    regulator_id uuid not null references orgs(id),
    regime text not null,
    body text not null,
    updated_by text not null,
    updated_at bigint not null,
    primary key (regulator_id, regime)
);
