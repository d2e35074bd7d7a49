-- Software rows are written only with their asset, in the transaction that upserts it, and
-- removed with it: the same table without its two foreign keys, which were checked for every
-- one of millions of rows (BENCHMARKS.md). SQLite cannot drop a constraint, so the table is
-- rebuilt. The store's tests check that no software row outlives its asset.
create table asset_software_rebuilt (
    asset_id blob not null,
    ord integer not null,
    org_id blob not null,
    is_os integer not null,
    identity text not null,
    given_version text,
    id_kind text not null,
    product_key text not null,
    version text,
    scheme text not null,
    product_id text,
    cycle text,
    primary key (asset_id, ord)
);
insert into asset_software_rebuilt
    select asset_id, ord, org_id, is_os, identity, given_version, id_kind, product_key, version, scheme, product_id, cycle
    from asset_software;
drop table asset_software;
alter table asset_software_rebuilt rename to asset_software;
create index asset_software_by_key on asset_software(product_key, org_id);
create index asset_software_by_product on asset_software(product_id, cycle, org_id);
