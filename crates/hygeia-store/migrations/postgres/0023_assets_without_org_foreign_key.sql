-- PostgreSQL checks a foreign key with a query per inserted row: for 5,000 assets that was
-- about 22 of 63 ms, a third of the insert (BENCHMARKS.md). Every write to a register takes
-- the organisation's row first (`for no key update`) and fails if there is none, and no
-- organisation is ever deleted, so the key checked nothing the store does not already hold.
-- The store's tests check that no asset can be written for an organisation that is not there.
alter table assets drop constraint assets_org_id_fkey;
