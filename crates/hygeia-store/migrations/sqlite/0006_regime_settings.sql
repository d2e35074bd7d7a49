-- A competent authority's own thresholds for a regime, applied to the decisions of every
-- organisation in its remit.
create table regime_settings (
    regulator_id blob not null references orgs(id),
    regime text not null,
    body text not null,
    updated_by text not null,
    updated_at integer not null,
    primary key (regulator_id, regime)
);
