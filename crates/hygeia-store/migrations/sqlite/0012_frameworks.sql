-- The framework library: versioned catalogues (built in or imported), each a tree of nodes in
-- reading order. A version is never changed once stored; assessments refer to it.
create table frameworks (
    id blob primary key,
    key text not null,
    version text not null,
    title text not null,
    publisher text not null,
    source_url text,
    licence text not null,
    origin text not null,
    node_count integer not null,
    imported_by text not null,
    imported_at integer not null
);
create unique index frameworks_key_version on frameworks(key, version);

create table framework_nodes (
    framework_id blob not null references frameworks(id),
    seq integer not null,
    ref_id text not null,
    parent_ref text,
    kind text not null,
    title text not null,
    summary text not null,
    answer text not null,
    level text,
    primary key (framework_id, seq)
);
create unique index framework_nodes_ref on framework_nodes(framework_id, ref_id);
