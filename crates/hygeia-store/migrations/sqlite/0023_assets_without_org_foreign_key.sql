-- PostgreSQL drops the assets' foreign key to their organisation at this version, because it
-- checks it with a query per row. SQLite checks it with one probe of the organisations' key,
-- which costs about 3% of an insert of 5,000 assets; dropping it would mean rebuilding the
-- table, so SQLite keeps it. This version only keeps the two backends' numbering in step.
select 1;
