//! The England-sized sector of the assets benchmark: the product mix, the SQL that has the
//! database generate 40,000 organisations' assets and software (the ingest baseline), and
//! one organisation's register as CSV for the import use case.

use hygeia_domain::assets::asset::SoftwareInput;
use hygeia_domain::assets::dictionary::Dictionary;
use hygeia_testkit::Backend;
use std::fmt::Write as _;

/// Operating systems by weight out of 1,000: mostly current Windows, a long tail of old.
const OS_MIX: &[(u32, &str, &str)] = &[
    (330, "Windows 11 Enterprise", "10.0.26100.4349"),
    (250, "Windows 10 Enterprise", "10.0.19045.5011"),
    (60, "Windows Server 2019", ""),
    (60, "Windows Server 2022", ""),
    (40, "Windows Server 2016", ""),
    (35, "Microsoft Windows Server 2012 R2 Standard", ""),
    (10, "Windows Server 2008 R2", ""),
    (25, "Windows 7 Professional SP1", ""),
    (5, "Windows XP", ""),
    (60, "Red Hat Enterprise Linux", "9.2"),
    (30, "Red Hat Enterprise Linux", "8.10"),
    (10, "Red Hat Enterprise Linux", "7.9"),
    (40, "Ubuntu", "22.04"),
    (20, "Ubuntu", "18.04"),
    (25, "cpe:2.3:o:apple:macos:14.5:*:*:*:*:*:*:*", ""),
];

/// Installed software by weight out of 1,000.
const APP_MIX: &[(u32, &str, &str)] = &[
    (200, "Google Chrome", "138.0.7204.100"),
    (60, "Google Chrome", "120.0.6099.71"),
    (120, "Mozilla Firefox", "140.0"),
    (100, "Microsoft Office 2019", ""),
    (60, "Microsoft Office 2016", ""),
    (20, "Microsoft Office 2010", ""),
    (60, "Oracle Java", "8"),
    (40, "Oracle Java", "17.0.8"),
    (40, "SQL Server 2016", ""),
    (20, "SQL Server 2012", ""),
    (40, "pkg:rpm/redhat/openssl@3.0.7-18.el9_2?arch=x86_64", ""),
    (20, "pkg:rpm/redhat/openssl@3.0.7-27.el9?arch=x86_64", ""),
    (40, "PostgreSQL", "13.16"),
    (20, "Python", "3.8.10"),
    (30, "pkg:npm/lodash@4.17.20", ""),
    (60, "Adobe Acrobat Reader DC", "24.002"),
    (50, "Acme Clinical Viewer", "5.2"),
    (20, "7-Zip", "19.00"),
];

struct Placed {
    identity: String,
    given: Option<String>,
    kind: &'static str,
    key: String,
    version: Option<String>,
    scheme: &'static str,
    product: Option<String>,
    cycle: Option<String>,
}

fn place(dictionary: &Dictionary, identity: &str, version: &str) -> Placed {
    let given = Some(version).filter(|v| !v.is_empty());
    let id = SoftwareInput::new(identity, given).parsed().unwrap();
    let placed = dictionary.resolve(&id);
    let scheme = serde_json::to_value(placed.map_or(id.scheme, |p| p.product.scheme)).unwrap();
    Placed {
        identity: identity.to_owned(),
        given: given.map(str::to_owned),
        kind: id.kind.as_str(),
        key: id.product_key(),
        version: id.version.clone(),
        scheme: match scheme.as_str().unwrap() {
            "windows_build" => "windows_build",
            "semver" => "semver",
            "dotted" => "dotted",
            "debian" => "debian",
            "rpm" => "rpm",
            _ => "generic",
        },
        product: placed.map(|p| p.product.id.clone()),
        cycle: placed.and_then(|p| p.release.map(|r| r.cycle.clone())),
    }
}

fn quote(v: Option<&str>) -> String {
    v.map_or_else(|| "null".to_owned(), |v| format!("'{}'", v.replace('\'', "''")))
}

/// The slot table: 1,000 operating-system slots (k 0..999) and 1,000 software slots
/// (k 1000..1999), each product repeated by its weight.
pub(crate) fn slots_sql(dictionary: &Dictionary) -> String {
    let mut sql = String::from(
        "create table bench_slots (k integer primary key, identity text, given text, id_kind text, product_key text, \
         version text, scheme text, product_id text, cycle text);\n",
    );
    let mut k = 0;
    for (mix, base) in [(OS_MIX, 0), (APP_MIX, 1000)] {
        k = base;
        for (weight, identity, version) in mix {
            let p = place(dictionary, identity, version);
            for _ in 0..*weight {
                writeln!(
                    sql,
                    "insert into bench_slots values ({k}, {}, {}, '{}', {}, {}, '{}', {}, {});",
                    quote(Some(&p.identity)),
                    quote(p.given.as_deref()),
                    p.kind,
                    quote(Some(&p.key)),
                    quote(p.version.as_deref()),
                    p.scheme,
                    quote(p.product.as_deref()),
                    quote(p.cycle.as_deref())
                )
                .unwrap();
                k += 1;
            }
        }
    }
    assert_eq!(k, 2000, "the mixes weigh 1,000 each");
    sql
}

/// One product of a software list, from slot alias `p`, as the backend's SQL writes JSON.
fn list_item(backend: Backend, p: &str, is_os: u8) -> String {
    let f = |c: &str| format!("{p}.{c}");
    let fields = [
        "identity",
        "given",
        "id_kind",
        "product_key",
        "version",
        "scheme",
        "product_id",
        "cycle",
    ]
    .map(f)
    .join(", ");
    match backend {
        Backend::Sqlite => format!("json_array({is_os}, {fields})"),
        Backend::Postgres => format!("json_build_array({is_os}, {fields})"),
    }
}

/// The sector in SQL: organisations, 50 assets each with a list of 5 products (one asset in
/// 2,500 also runs a PACS the dictionary does not know), the presence and census lines.
pub(crate) fn generate_sql(backend: Backend, orgs: u64, now: i64) -> String {
    let (ids, t, f) = match backend {
        Backend::Sqlite => ("randomblob(16)", "1", "0"),
        Backend::Postgres => ("gen_random_uuid()", "true", "false"),
    };
    let series = |n: u64| match backend {
        Backend::Sqlite => {
            format!("(with recursive s(i) as (select 1 union all select i + 1 from s where i < {n}) select i from s) n")
        }
        Backend::Postgres => format!("generate_series(1, {n}) as n(i)"),
    };
    // Slot of product i (1 is the operating system) of asset n.
    let slot = |i: u64| {
        if i == 1 {
            "(a.n * 7919) % 1000".to_owned()
        } else {
            format!("1000 + (a.n * 31 + {i} * 977) % 1000")
        }
    };
    let items: Vec<String> = (1..=5)
        .map(|i| list_item(backend, &format!("p{i}"), u8::from(i == 1)))
        .collect();
    let joins: String = (1..=5)
        .map(|i| format!(" join bench_slots p{i} on p{i}.k = {}", slot(i)))
        .collect();
    let unplaced: Vec<String> = (1..=5)
        .map(|i| match backend {
            Backend::Sqlite => format!("(p{i}.product_id is null)"),
            Backend::Postgres => format!("(p{i}.product_id is null)::int"),
        })
        .collect();
    let (list, pacs) = match backend {
        Backend::Sqlite => (
            format!("json_array({})", items.join(", ")),
            "json_insert(software, '$[#]', json_array(0, 'Philips Vue PACS', '12.2.1.5', 'name', 'name::philips_vue_pacs', \
             '12.2.1.5', 'generic', null, null))",
        ),
        Backend::Postgres => (
            format!("json_build_array({})::text", items.join(", ")),
            "(software::jsonb || jsonb_build_array(jsonb_build_array(0, 'Philips Vue PACS', '12.2.1.5', 'name', \
             'name::philips_vue_pacs', '12.2.1.5', 'generic', null, null)))::text",
        ),
    };
    let records = format!(
        "select a.org_id, a.id as asset_id, p.product_key, p.product_id, p.cycle from bench_assets a cross join {} \
         join bench_slots p on p.k = case when s.i = 1 then {} else 1000 + (a.n * 31 + s.i * 977) % 1000 end \
         union all select a.org_id, a.id, 'name::philips_vue_pacs', null, null from bench_assets a where a.n % 2500 = 1",
        series(5).replace(" n(i)", " s(i)").replace(") n", ") s"),
        slot(1)
    );
    format!(
        "
create table bench_regulator as select id from orgs where ods_code = 'X26CA';
insert into orgs (id, name, ods_code, org_type, regimes, is_oes, parent_id, regulator_id, require_mfa, time_zone, created_at, updated_at)
  select {ids}, 'Bench organisation ' || i, 'B' || i,
    case when i % 20 = 0 then 'trust' when i % 10 < 4 then 'gp_practice' when i % 10 < 9 then 'care_provider' else 'pharmacy' end,
    'uk_gdpr', {f}, null, (select id from bench_regulator), {f}, 'Europe/London', 0, 0
  from {orgs_series};
create table bench_orgs as select row_number() over (order by id) as k, id from orgs where ods_code like 'B%';
create table bench_assets as select {ids} as id, o.id as org_id, (o.k - 1) * 50 + n.i as n from bench_orgs o cross join {assets_series};
insert into assets (id, org_id, asset_key, name, kind, hostname, addresses, owner, location, criticality, essential_services,
    internet_facing, manufacturer, model, patchable, esu_enrolled, source, created_by, created_at, updated_by, updated_at)
  select id, org_id, 'A' || n, 'asset-' || n, case when n % 10 < 2 then 'server' else 'end_user_device' end, null, '[]', null, null,
    'medium', '[]', {f}, null, null, null, case when n % 100 = 0 then {t} else {f} end, 'csv', 'bench', {now}, 'bench', {now}
  from bench_assets;
insert into software_lists (org_id, asset_id, software, unplaced)
  select a.org_id, a.id, {list}, {unplaced} from bench_assets a{joins};
update software_lists set software = {pacs}, unplaced = unplaced + 1
  where asset_id in (select id from bench_assets where n % 2500 = 1);
insert into software_names (product_key) select distinct product_key from bench_slots where id_kind = 'name';
insert into software_names (product_key) values ('name::philips_vue_pacs');
create view bench_records as {records};
insert into software_presence (org_id, product_key, product_id, cycle, assets, asset_ids)
  select org_id, product_key, coalesce(product_id, ''), coalesce(cycle, ''), count(distinct asset_id),
    case when count(distinct asset_id) <= 32 then {named} end
  from bench_records group by org_id, product_key, coalesce(product_id, ''), coalesce(cycle, '');
insert into software_census (org_id, product_id, cycle, assets, esu_assets)
  select s.org_id, s.product_id, s.cycle, count(distinct s.asset_id), count(distinct case when a.esu_enrolled then s.asset_id end)
  from bench_records s join assets a on a.id = s.asset_id
  where s.product_id is not null and s.cycle is not null group by s.org_id, s.product_id, s.cycle;
drop view bench_records;
",
        unplaced = unplaced.join(" + "),
        named = match backend {
            Backend::Sqlite => "json_group_array(distinct lower(hex(asset_id)))",
            Backend::Postgres => "json_agg(distinct replace(asset_id::text, '-', ''))::text",
        },
        orgs_series = series(orgs),
        assets_series = series(50),
    )
}

/// How many software records the lists hold (counted by the database's JSON functions).
pub(crate) fn records_sql(backend: Backend) -> &'static str {
    match backend {
        Backend::Sqlite => "select sum(json_array_length(software)) from software_lists",
        Backend::Postgres => "select cast(sum(json_array_length(software::json)) as bigint) from software_lists",
    }
}

/// A uuid as a literal of the backend's SQL.
pub(crate) fn quote_id(backend: Backend, id: uuid::Uuid) -> String {
    match backend {
        Backend::Sqlite => format!("x'{}'", id.simple()),
        Backend::Postgres => format!("'{id}'"),
    }
}

/// One organisation's register as CSV: `n` assets, each with an operating system and four
/// products, drawn from the same mix as the generated sector.
pub(crate) fn register(org: usize, n: usize) -> String {
    let mut csv = String::from("key,name,kind,os,os_version,software\n");
    let pick = |mix: &[(u32, &'static str, &'static str)], r: usize| {
        let mut left = (r % 1000) as u32;
        for (w, id, v) in mix {
            if left < *w {
                return (*id, *v);
            }
            left -= w;
        }
        (mix[0].1, mix[0].2)
    };
    for a in 0..n {
        let r = org * 100_003 + a;
        let (os, osv) = pick(OS_MIX, r * 7919);
        let apps: Vec<String> = (2..=5)
            .map(|s| {
                let (id, v) = pick(APP_MIX, r * 31 + s * 977);
                if v.is_empty() {
                    id.to_owned()
                } else {
                    format!("{id}=={v}")
                }
            })
            .collect();
        writeln!(
            csv,
            "I{org}-{a},imported-{a},{},{},{},{}",
            if a % 5 == 0 { "server" } else { "laptop" },
            csv_field(os),
            osv,
            csv_field(&apps.join("; "))
        )
        .unwrap();
    }
    csv
}

fn csv_field(v: &str) -> String {
    if v.contains([',', '"']) {
        format!("\"{}\"", v.replace('"', "\"\""))
    } else {
        v.to_owned()
    }
}
