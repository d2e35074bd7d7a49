-- Foundation: organisations, people, access and the audit chain (PostgreSQL).
-- Ids are UUIDs stored as uuid; times are Unix epoch milliseconds (UTC).

create table orgs (
    id uuid primary key,
    name text not null,
    ods_code text not null unique,
    org_type text not null,
    regimes text not null,
    is_oes boolean not null,
    parent_id uuid references orgs(id),
    regulator_id uuid references orgs(id),
    require_mfa boolean not null,
    time_zone text not null,
    created_at bigint not null,
    updated_at bigint not null
);
create index orgs_regulator on orgs(regulator_id);
create index orgs_parent on orgs(parent_id);

create table users (
    id uuid primary key,
    email text not null unique,
    display_name text not null,
    password_hash text not null,
    is_platform_admin boolean not null,
    totp_secret text,
    totp_enabled boolean not null,
    totp_last_step bigint,
    created_at bigint not null,
    updated_at bigint not null
);

create table recovery_codes (
    user_id uuid not null references users(id) on delete cascade,
    code_hash text not null,
    used_at bigint,
    primary key (user_id, code_hash)
);

create table memberships (
    org_id uuid not null references orgs(id),
    user_id uuid not null references users(id),
    role text not null,
    created_at bigint not null,
    primary key (org_id, user_id)
);
create index memberships_user on memberships(user_id);

create table invitations (
    id uuid primary key,
    org_id uuid not null references orgs(id),
    email text not null,
    role text not null,
    token_hash text not null unique,
    invited_by uuid not null references users(id),
    created_at bigint not null,
    expires_at bigint not null,
    accepted_at bigint,
    revoked_at bigint
);
create index invitations_org on invitations(org_id);

create table sessions (
    id uuid primary key,
    token_hash text not null unique,
    user_id uuid not null references users(id) on delete cascade,
    current_org_id uuid references orgs(id),
    csrf_token text not null,
    mfa_state text not null,
    created_at bigint not null,
    expires_at bigint not null,
    last_seen_at bigint not null
);
create index sessions_user on sessions(user_id);

create table api_tokens (
    id uuid primary key,
    user_id uuid not null references users(id) on delete cascade,
    name text not null,
    token_hash text not null unique,
    read_only boolean not null,
    org_id uuid references orgs(id),
    created_at bigint not null,
    expires_at bigint,
    last_used_at bigint,
    revoked_at bigint
);
create index api_tokens_user on api_tokens(user_id);

create table sign_in_failures (
    throttle_key text not null,
    at bigint not null
);
create index sign_in_failures_key on sign_in_failures(throttle_key, at);

create table audit_heads (
    chain text primary key,
    seq bigint not null,
    hash text not null
);

create table audit_log (
    id uuid primary key,
    chain text not null,
    seq bigint not null,
    at bigint not null,
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
