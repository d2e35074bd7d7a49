-- The evidence library. File contents are content-addressed per organisation (one copy of
-- each distinct file, whatever number of items or versions use it), stored in chunks so
-- that uploads and downloads stream instead of holding a whole file in memory.
create table evidence_blobs (
    org_id blob not null references orgs(id),
    sha256 text not null,
    size_bytes integer not null,
    chunk_count integer not null,
    created_at integer not null,
    primary key (org_id, sha256)
);

create table evidence_chunks (
    org_id blob not null,
    sha256 text not null,
    seq integer not null,
    data blob not null,
    primary key (org_id, sha256, seq),
    foreign key (org_id, sha256) references evidence_blobs(org_id, sha256)
);

create table evidence (
    id blob primary key,
    org_id blob not null references orgs(id),
    kind text not null,
    title text not null,
    review_by text,
    created_by text not null,
    created_at integer not null,
    updated_at integer not null
);
create index evidence_by_org on evidence(org_id, updated_at);

create table evidence_versions (
    evidence_id blob not null references evidence(id),
    version integer not null,
    org_id blob not null references orgs(id),
    file_name text,
    media_type text,
    size_bytes integer,
    sha256 text,
    url text,
    note text,
    added_by text not null,
    added_at integer not null,
    primary key (evidence_id, version)
);

create table evidence_links (
    evidence_id blob not null references evidence(id),
    target_kind text not null,
    target_id text not null,
    org_id blob not null references orgs(id),
    linked_by text not null,
    linked_at integer not null,
    primary key (evidence_id, target_kind, target_id)
);
create index evidence_links_by_target on evidence_links(org_id, target_kind, target_id);
