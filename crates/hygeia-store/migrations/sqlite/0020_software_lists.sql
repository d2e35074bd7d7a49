-- An asset's software is kept as one list per asset instead of one row per product: an
-- import writes one row per asset, not five B-tree entries per product (BENCHMARKS.md).
-- Like asset_software since 0019 it has no foreign keys: its rows are written and removed
-- only with their asset's. Matching finds organisations through `software_presence`, a few
-- lines per organisation kept like the census, and judges their lists in Rust.
--
-- `software` is a JSON array with one array per product, in the order given:
-- [is_os (0/1), identity, given_version, id_kind, product_key, version, scheme, product_id, cycle].
-- Ordered by organisation so that one organisation's lists are read from adjacent pages.
create table software_lists (
    org_id blob not null,
    asset_id blob not null,
    software text not null,
    -- How many of the products the dictionary could not place (re-placed when the catalogue grows).
    unplaced integer not null,
    primary key (org_id, asset_id)
) without rowid;
create index software_lists_unplaced on software_lists(asset_id) where unplaced > 0;

-- Per organisation, each product key and placement its assets run and on how many assets
-- (product_id and cycle '' where the dictionary did not place it or the release is unknown),
-- naming the assets (a JSON list of their ids, without hyphens) while there are at most 32:
-- an advisory for a product few assets run then reads only their lists.
create table software_presence (
    org_id blob not null references orgs(id),
    product_key text not null,
    product_id text not null,
    cycle text not null,
    assets integer not null,
    asset_ids text,
    primary key (org_id, product_key, product_id, cycle)
);
create index software_presence_by_key on software_presence(product_key);
create index software_presence_by_product on software_presence(product_id, cycle);

insert into software_lists (org_id, asset_id, software, unplaced)
    select org_id, asset_id,
        json_group_array(json_array(is_os, identity, given_version, id_kind, product_key, version, scheme, product_id, cycle)),
        sum(case when product_id is null then 1 else 0 end)
    from (select * from asset_software order by asset_id, ord)
    group by org_id, asset_id;

insert into software_presence (org_id, product_key, product_id, cycle, assets, asset_ids)
    select org_id, product_key, coalesce(product_id, ''), coalesce(cycle, ''), count(distinct asset_id),
        case when count(distinct asset_id) <= 32 then json_group_array(distinct lower(hex(asset_id))) end
    from asset_software group by org_id, product_key, coalesce(product_id, ''), coalesce(cycle, '');

drop table asset_software;

-- The whole sector's census sums every line by release: with the counts in the index it is
-- read from the index alone, in release order, whatever order the lines were written in.
drop index software_census_by_release;
create index software_census_by_release on software_census(product_id, cycle, assets, esu_assets);

-- A re-match resets the pre-fills that say something other than "not affected": the few
-- organisations the alert concerned, found here instead of among every organisation's
-- response to every alert.
create index alert_responses_prefilled on alert_responses(alert_id)
    where prefill <> 'not_affected' or prefill_reason <> '';
