-- Each asset written cost a heap tuple and three index entries: its id, its key and its
-- source. The source index served two reads: the keys a file kept beside its source names
-- (now found by key, through the key index) and every key of a source an import replaces (the
-- organisation's keys, each asset's source read beside them). Dropping it makes every asset
-- an import writes cheaper, for a slower read of a whole source only (BENCHMARKS.md).
drop index assets_by_source;
