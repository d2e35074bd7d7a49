-- Foundation: organisations, people, access and the audit chain (SQLite).
-- Ids are UUIDs stored as 16-byte blobs; times are Unix epoch milliseconds (UTC).

create table orgs (
    id blob primary key,
    name text not null,
    ods_code text not null unique,
    org_type text not null,
    regimes text not null,
    is_oes integer not null,
    parent_id blob references orgs(id),
    regulator_id blob references orgs(id),
    require_mfa integer not null,
    time_zone text not null,
    created_at integer not null,
    updated_at integer not null
);
create index orgs_regulator on orgs(regulator_id);
create index orgs_parent on orgs(parent_id);

create table users (
    id blob primary key,
    email text not null unique,
    display_name text not null,
    password_hash text not null,
    is_platform_admin integer not null,
    totp_secret text,
    totp_enabled integer not null,
    totp_last_step integer,
    created_at integer not null,
    updated_at integer not null
);

create table recovery_codes (
    user_id blob not null references users(id) on delete cascade,
    code_hash text not null,
    used_at integer,
    primary key (user_id, code_hash)
);

create table memberships (
    org_id blob not null references orgs(id),
    user_id blob not null references users(id),
    role text not null,
    created_at integer not null,
    primary key (org_id, user_id)
);
create index memberships_user on memberships(user_id);

create table invitations (
    id blob primary key,
    org_id blob not null references orgs(id),
    email text not null,
    role text not null,
    token_hash text not null unique,
    invited_by blob not null references users(id),
    created_at integer not null,
    expires_at integer not null,
    accepted_at integer,
    revoked_at integer
);
create index invitations_org on invitations(org_id);

create table sessions (
    id blob primary key,
    token_hash text not null unique,
    user_id blob not null references users(id) on delete cascade,
    current_org_id blob references orgs(id),
    csrf_token text not null,
    mfa_state text not null,
    created_at integer not null,
    expires_at integer not null,
    last_seen_at integer not null
);
create index sessions_user on sessions(user_id);

create table api_tokens (
    id blob primary key,
    user_id blob not null references users(id) on delete cascade,
    name text not null,
    token_hash text not null unique,
    read_only integer not null,
    org_id blob references orgs(id),
    created_at integer not null,
    expires_at integer,
    last_used_at integer,
    revoked_at integer
);
create index api_tokens_user on api_tokens(user_id);

create table sign_in_failures (
    throttle_key text not null,
    at integer not null
);
create index sign_in_failures_key on sign_in_failures(throttle_key, at);

create table audit_heads (
    chain text primary key,
    seq integer not null,
    hash text not null
);

create table audit_log (
    id blob primary key,
    chain text not null,
    seq integer not null,
    at integer not null,
    actor_id text,
    actor_label text not null,
    action text not null,
    object_type text not null,
    object_id text not null,
    changes text not null,
    prev_hash text not null,
    hash text not null,
    unique (chain, seq)
);
