-- The evidence library. File contents are content-addressed per organisation (one copy of
-- each distinct file, whatever number of items or versions use it), stored in chunks so
-- that uploads and downloads stream instead of holding a whole file in memory.
create table evidence_blobs (
    org_id uuid not null references orgs(id),
    sha256 text not null,
    size_bytes bigint not null,
    chunk_count bigint not null,
    created_at bigint not null,
    primary key (org_id, sha256)
);

create table evidence_chunks (
    org_id uuid not null,
    sha256 text not null,
    seq bigint not null,
    data bytea not null,
    primary key (org_id, sha256, seq),
    foreign key (org_id, sha256) references evidence_blobs(org_id, sha256)
);

create table evidence (
    id uuid primary key,
    org_id uuid not null references orgs(id),
    kind text not null,
    title text not null,
    review_by text,
    created_by text not null,
    created_at bigint not null,
    updated_at bigint not null
);
create index evidence_by_org on evidence(org_id, updated_at);

create table evidence_versions (
    evidence_id uuid not null references evidence(id),
    version bigint not null,
    org_id uuid not null references orgs(id),
    file_name text,
    media_type text,
    size_bytes bigint,
    sha256 text,
    url text,
    note text,
    added_by text not null,
    added_at bigint not null,
    primary key (evidence_id, version)
);

create table evidence_links (
    evidence_id uuid not null references evidence(id),
    target_kind text not null,
    target_id text not null,
    org_id uuid not null references orgs(id),
    linked_by text not null,
    linked_at bigint not null,
    primary key (evidence_id, target_kind, target_id)
);
create index evidence_links_by_target on evidence_links(org_id, target_kind, target_id);
