-- An import reads every key its source has, with each asset's id, to tell added assets
-- from changed and removed ones. With the keys and ids in the source index that read is the
-- index alone: a department's file added to a trust's register of 45,000 read 45,000 table
-- rows for them before (BENCHMARKS.md).
drop index assets_by_source;
create index assets_by_source on assets(org_id, source, asset_key, id);
