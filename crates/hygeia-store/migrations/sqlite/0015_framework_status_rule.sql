-- A framework may carry a publication status rule beyond its grades (the CAF-aligned DSPT's).
alter table frameworks add column status_rule text;
