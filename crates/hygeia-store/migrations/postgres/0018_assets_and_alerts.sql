-- Assets, the software they run, the lifecycle catalogue's local updates, the unsupported
-- systems report's treatments, national alerts with each organisation's response, and the
-- CISA KEV catalogue.
create table assets (
    id uuid primary key,
    org_id uuid not null references orgs(id),
    asset_key text not null,
    name text not null,
    kind text not null,
    hostname text,
    addresses text not null,
    owner text,
    location text,
    criticality text not null,
    essential_services text not null,
    internet_facing boolean not null,
    manufacturer text,
    model text,
    patchable boolean,
    esu_enrolled boolean not null,
    source text not null,
    created_by text not null,
    created_at bigint not null,
    updated_by text not null,
    updated_at bigint not null
);
create unique index assets_by_key on assets(org_id, asset_key);
create index assets_by_source on assets(org_id, source);

-- One row per product an asset runs (ord 0 is the operating system when is_os). The
-- identity as given is kept beside what was read from it and what the dictionary made of it.
create table asset_software (
    asset_id uuid not null references assets(id),
    ord bigint not null,
    org_id uuid not null references orgs(id),
    is_os boolean not null,
    identity text not null,
    given_version text,
    id_kind text not null,
    product_key text not null,
    version text,
    scheme text not null,
    product_id text,
    cycle text,
    primary key (asset_id, ord)
);
create index asset_software_by_key on asset_software(product_key, org_id);
create index asset_software_by_product on asset_software(product_id, cycle, org_id);

-- Every product key written as a free-text name: matching looks through these few thousand
-- for names that resemble an alert's, instead of scanning millions of software rows.
create table software_names (
    product_key text primary key
);

-- Per organisation, how many assets run each catalogue release: the census reads this
-- instead of every software row. Rewritten for the organisation by each asset change.
create table software_census (
    org_id uuid not null references orgs(id),
    product_id text not null,
    cycle text not null,
    assets bigint not null,
    esu_assets bigint not null,
    primary key (org_id, product_id, cycle)
);
create index software_census_by_release on software_census(product_id, cycle);

create table lifecycle_products (
    product_id text primary key,
    document text not null,
    source text not null,
    imported_by text not null,
    imported_at bigint not null
);

-- The unsupported systems report: a remediation plan, or a risk acceptance signed by the
-- senior executive until a date, for one asset's unsupported release.
create table unsupported_treatments (
    id uuid primary key,
    org_id uuid not null references orgs(id),
    asset_id uuid not null references assets(id),
    product_id text not null,
    cycle text not null,
    kind text not null,
    detail text not null,
    target_date text,
    signed_by text,
    created_by text not null,
    created_at bigint not null
);
create index unsupported_treatments_by_asset on unsupported_treatments(org_id, asset_id, product_id, cycle, created_at);

create table alerts (
    id uuid primary key,
    publisher_id uuid not null references orgs(id),
    reference text not null,
    title text not null,
    severity text not null,
    summary text not null,
    cves text not null,
    products text not null,
    actions text not null,
    source text not null,
    acknowledge_hours bigint,
    first_update_days bigint not null,
    remediate_days bigint,
    status text not null,
    published_at bigint,
    revision bigint not null,
    created_by text not null,
    created_at bigint not null,
    updated_by text not null,
    updated_at bigint not null
);
create index alerts_by_status on alerts(status, published_at);

create table alert_responses (
    alert_id uuid not null references alerts(id),
    org_id uuid not null references orgs(id),
    prefill text not null,
    prefill_reason text not null,
    matched_at bigint not null,
    applicability text,
    applicability_reason text,
    justification text,
    acknowledged_at bigint,
    acknowledged_by text,
    last_update_at bigint,
    closed_at bigint,
    closed_by text,
    remediation text,
    primary key (alert_id, org_id)
);
create index alert_responses_by_org on alert_responses(org_id, alert_id);

create table alert_matches (
    alert_id uuid not null references alerts(id),
    org_id uuid not null references orgs(id),
    asset_id uuid not null references assets(id),
    verdict text not null,
    reason text not null,
    primary key (alert_id, org_id, asset_id)
);

create table alert_updates (
    id uuid primary key,
    alert_id uuid not null references alerts(id),
    org_id uuid not null references orgs(id),
    body text not null,
    posted_by text not null,
    posted_at bigint not null
);
create index alert_updates_by_response on alert_updates(alert_id, org_id, posted_at);

create table kev_entries (
    cve_id text primary key,
    vendor_project text not null,
    product text not null,
    entry text not null,
    catalog_version text not null,
    updated_at bigint not null
);

create table kev_imports (
    id uuid primary key,
    catalog_version text not null,
    released text not null,
    entries bigint not null,
    changes text not null,
    imported_by text not null,
    imported_at bigint not null
);

create table kev_mappings (
    vendor_project text not null,
    product text not null,
    identity text not null,
    confirmed_by text not null,
    confirmed_at bigint not null,
    primary key (vendor_project, product)
);

-- A member organisation lets its group (an ICB, a care group: its parent) answer alerts for it.
create table alert_delegations (
    org_id uuid primary key references orgs(id),
    group_id uuid not null references orgs(id),
    granted_by text not null,
    granted_at bigint not null
);
