-- Software rows are written only with their asset, in the transaction that upserts it, and
-- removed with it; checking two foreign keys for each of millions of rows cost PostgreSQL
-- almost two thirds of an import (BENCHMARKS.md). The store's tests check that no software
-- row outlives its asset.
alter table asset_software drop constraint asset_software_asset_id_fkey;
alter table asset_software drop constraint asset_software_org_id_fkey;
