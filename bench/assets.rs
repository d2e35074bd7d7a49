//! Benchmark of assets and national alerts at England's scale (see BENCHMARKS.md): 40,000
//! organisations under one regulator, 2 million assets and 10 million software records, with
//! a product mix that keeps old Windows in the long tail. Measures, on the chosen backend:
//!   1. ingest through the import use case (organisations importing their own registers),
//!      against the database's own insert-select of the same kind of rows as the baseline;
//!   2. matching one CSAF advisory across the sector (publication, and a re-match);
//!   3. matching the full KEV catalogue (the sector's exposure to every entry);
//!   4. the end-of-life census;
//!   5. the process's peak memory.
//!
//! Run: `cargo run --release -p hygeia-testkit --example assets -- sqlite|postgres [scale]`
//! (scale 1 is England; PostgreSQL needs HYGEIA_TEST_POSTGRES, as the tests do). The KEV
//! catalogue is read from `../shared/data/kev` when present, else generated.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use hygeia_core::alerts::{AlertInput, ProductLineInput};
use hygeia_core::assets::ImportOptions;
use hygeia_core::clock::Clock;
use hygeia_domain::assets::asset::SoftwareInput;
use hygeia_domain::assets::dictionary::Dictionary;
use hygeia_domain::assets::lifecycle::builtin;
use hygeia_testkit::timing::measure;
use hygeia_testkit::{Backend, TestApp};
use std::fmt::Write as _;
use std::time::Instant;

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
fn slots_sql(dictionary: &Dictionary) -> String {
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

/// The sector in SQL: organisations, 50 assets each, 5 products per asset, census lines.
fn generate_sql(backend: Backend, orgs: u64, now: i64) -> String {
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
insert into asset_software (asset_id, ord, org_id, is_os, identity, given_version, id_kind, product_key, version, scheme, product_id, cycle)
  select a.id, s.i - 1, a.org_id, case when s.i = 1 then {t} else {f} end, p.identity, p.given, p.id_kind, p.product_key, p.version,
    p.scheme, p.product_id, p.cycle
  from bench_assets a cross join {slots_series} join bench_slots p
    on p.k = case when s.i = 1 then (a.n * 7919) % 1000 else 1000 + (a.n * 31 + s.i * 977) % 1000 end;
insert into asset_software (asset_id, ord, org_id, is_os, identity, given_version, id_kind, product_key, version, scheme, product_id, cycle)
  select a.id, 5, a.org_id, {f}, 'Philips Vue PACS', '12.2.1.5', 'name', 'name::philips_vue_pacs', '12.2.1.5', 'generic', null, null
  from bench_assets a where a.n % 2500 = 1;
insert into software_names (product_key) select distinct product_key from bench_slots where id_kind = 'name';
insert into software_names (product_key) values ('name::philips_vue_pacs');
insert into software_census (org_id, product_id, cycle, assets, esu_assets)
  select s.org_id, s.product_id, s.cycle, count(distinct s.asset_id), count(distinct case when a.esu_enrolled then s.asset_id end)
  from asset_software s join assets a on a.id = s.asset_id
  where s.product_id is not null and s.cycle is not null group by s.org_id, s.product_id, s.cycle;
",
        orgs_series = series(orgs),
        assets_series = series(50),
        slots_series = series(5).replace(" n(i)", " s(i)").replace(") n", ") s"),
    )
}

/// A uuid as a literal of the backend's SQL.
fn quote_id(backend: Backend, id: uuid::Uuid) -> String {
    match backend {
        Backend::Sqlite => format!("x'{}'", id.simple()),
        Backend::Postgres => format!("'{id}'"),
    }
}

fn peak_rss_mib() -> f64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmHWM:"))
                .map(|l| l.split_whitespace().nth(1).unwrap_or("0").parse::<f64>().unwrap_or(0.0))
        })
        .unwrap_or(0.0)
        / 1024.0
}

/// One organisation's register as CSV: `n` assets, each with an operating system and four
/// products, drawn from the same mix as the generated sector.
fn register(org: usize, n: usize) -> String {
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

#[tokio::main]
async fn main() {
    let backend = match std::env::args().nth(1).as_deref() {
        Some("postgres") => Backend::Postgres,
        _ => Backend::Sqlite,
    };
    let scale: f64 = std::env::args().nth(2).and_then(|s| s.parse().ok()).unwrap_or(1.0);
    let orgs = ((40_000.0 * scale) as u64).max(10);
    let t = TestApp::with_demo(backend)
        .await
        .expect("a database (for PostgreSQL set HYGEIA_TEST_POSTGRES)");
    let app = &t.app;
    let db = &t.db;
    let now = t.clock.now_ms();
    let dictionary = Dictionary::new(builtin());

    // The sector, generated by the database itself: the baseline for ingest.
    db.execute_raw(&slots_sql(&dictionary)).await;
    let start = Instant::now();
    db.execute_raw(&generate_sql(backend, orgs, now)).await;
    let generated = start.elapsed().as_secs_f64();
    db.execute_raw("analyze").await;
    let software = db.count("select count(*) from asset_software").await;
    println!("backend: {backend:?}; scale {scale}");
    println!(
        "dataset: {} organisations, {} assets, {software} software records, {} census lines",
        db.count("select count(*) from orgs").await,
        db.count("select count(*) from assets").await,
        db.count("select count(*) from software_census").await
    );
    println!();
    println!("| measurement | runs | p50 | p99 | rate |");
    println!("|---|---|---|---|---|");
    println!(
        "| baseline: the database's own insert-select of the sector (no parsing, no use case) | 1 | {:.1} s | – | {:.0} software records/s |",
        generated,
        software as f64 / generated
    );

    // Ingest through the use case: organisations importing their registers, one after another.
    let lead = app.cli_actor(app.user_by_email("security@riverside.example").await.unwrap());
    let importers = [("RVX", 5_000usize), ("Y99001", 200)];
    for (ods, n) in importers {
        let scope = app.scope(&lead, app.org_by_ods(ods).await.unwrap().id).await;
        let scope = match scope {
            Ok(s) => s,
            Err(_) => {
                let gp = app.cli_actor(app.user_by_email("practice@meadowlane.example").await.unwrap());
                app.scope(&gp, app.org_by_ods(ods).await.unwrap().id).await.unwrap()
            }
        };
        let csv = register(n, n);
        let dry = ImportOptions {
            dry_run: true,
            ..ImportOptions::default()
        };
        let start = Instant::now();
        app.import_assets(&scope, "bench.csv", &csv, &dry, None).await.unwrap();
        println!(
            "| dry run of that register (parse, place, diff; nothing written) | 1 | {:.0} ms | – | – |",
            start.elapsed().as_secs_f64() * 1e3
        );
        let start = Instant::now();
        let r = app
            .import_assets(&scope, "bench.csv", &csv, &ImportOptions::default(), None)
            .await
            .unwrap();
        let took = start.elapsed().as_secs_f64();
        println!(
            "| import use case: one register of {} assets, {} software records (parse, place, diff, write, census, re-match) | 1 | {:.0} ms | – | {:.0} software records/s |",
            r.assets,
            r.software,
            took * 1e3,
            r.software as f64 / took
        );
        let start = Instant::now();
        let again = app
            .import_assets(&scope, "bench.csv", &csv, &ImportOptions::default(), None)
            .await
            .unwrap();
        let took = start.elapsed().as_secs_f64();
        assert!(again.diff.is_empty());
        println!(
            "| the same register again (nothing changes) | 1 | {:.0} ms | – | {:.0} software records/s |",
            took * 1e3,
            again.software as f64 / took
        );
    }

    // Sustained ingest: a trust adding ten departmental files of 5,000 assets one after
    // another (each kept beside the last), so the rate is a median, not one run.
    let lead_scope = app.scope(&lead, app.org_by_ods("RVX").await.unwrap().id).await.unwrap();
    let keep = ImportOptions {
        keep_missing: true,
        ..ImportOptions::default()
    };
    let mut rates = Vec::new();
    for file in 0..10 {
        let csv = register(1_000 + file, 5_000);
        let start = Instant::now();
        let r = app
            .import_assets(&lead_scope, "department.csv", &csv, &keep, None)
            .await
            .unwrap();
        rates.push(r.software as f64 / start.elapsed().as_secs_f64());
    }
    rates.sort_by(f64::total_cmp);
    println!(
        "| sustained ingest: ten files of 5000 assets, 25000 software records each, added to one register | 10 | – | – | p50 {:.0}, slowest {:.0} software records/s |",
        rates[rates.len() / 2],
        rates[0]
    );

    // An advisory for a product a few organisations run (a PACS in one trust in fifty), as
    // most medical-device advisories are: publication creates every organisation's response.
    let publisher = app.cli_actor(app.user_by_email("publisher@ncoc.example").await.unwrap());
    let team = app
        .scope(&publisher, app.org_by_ods("X26NC").await.unwrap().id)
        .await
        .unwrap();
    let niche = AlertInput {
        reference: "B-PACS".into(),
        title: "Philips Vue PACS".into(),
        severity: "high".into(),
        products: vec![ProductLineInput {
            identity: "Philips Vue PACS".into(),
            versions: Some("<=12.2.8.0".into()),
            status: None,
        }],
        ..AlertInput::default()
    };
    let draft = app.create_alert(&team, &niche).await.unwrap();
    let start = Instant::now();
    app.publish_alert(&team, draft.alert.id).await.unwrap();
    let publish = start.elapsed().as_secs_f64() * 1e3;
    println!(
        "| publish one advisory (a PACS): a response for each of {} organisations, {} likely affected | 1 | {publish:.0} ms | – | – |",
        db.count("select count(*) from alert_responses").await,
        db.count("select count(*) from alert_responses where prefill = 'affected'")
            .await
    );
    let (p50, p99) = measure(20, || async {
        app.update_alert(&team, draft.alert.id, &niche).await.unwrap();
    })
    .await;
    println!(
        "| re-match that advisory across the sector (an edit of the published alert) | 20 | {p50:.0} ms | {p99:.0} ms | – |"
    );

    // One CSAF advisory across the sector: the Red Hat openssl fix, by package URL, in a mix
    // where every organisation runs some RHEL (a stress case, not a typical advisory).
    let advisory = include_str!("../crates/hygeia-core/tests/core/openssl-advisory.json");
    let hygeia_core::alerts::AlertImport::Csaf { alert, .. } =
        app.import_alert_file(&team, "advisory.json", advisory).await.unwrap()
    else {
        panic!("not CSAF")
    };
    let start = Instant::now();
    app.publish_alert(&team, alert.alert.id).await.unwrap();
    let publish = start.elapsed().as_secs_f64() * 1e3;
    let first = hygeia_domain::page::PageRequest::new(Some(1), None);
    let affected = app
        .alert_exposure(&team, alert.alert.id, "all", first)
        .await
        .unwrap()
        .affected;
    let matched = db
        .count(&format!(
            "select count(*) from alert_matches where alert_id = {}",
            quote_id(backend, alert.alert.id.0)
        ))
        .await;
    println!(
        "| publish one CSAF advisory (openssl, stress): {affected} organisations likely affected through {matched} assets | 1 | {publish:.0} ms | – | – |"
    );
    let input = AlertInput {
        reference: "B-1".into(),
        title: "bench".into(),
        severity: "high".into(),
        products: vec![ProductLineInput {
            identity: "pkg:rpm/redhat/openssl".into(),
            versions: Some("<3.0.7-24.el9".into()),
            status: None,
        }],
        ..AlertInput::default()
    };
    let (p50, p99) = measure(3, || async {
        app.update_alert(&team, alert.alert.id, &input).await.unwrap();
    })
    .await;
    println!(
        "| re-match that advisory across the sector (an edit of a published alert) | 3 | {p50:.0} ms | {p99:.0} ms | – |"
    );
    let server = AlertInput {
        products: vec![ProductLineInput {
            identity: "Windows Server 2012 R2".into(),
            versions: None,
            status: None,
        }],
        ..input.clone()
    };
    let (p50, p99) = measure(3, || async {
        app.update_alert(&team, alert.alert.id, &server).await.unwrap();
    })
    .await;
    println!(
        "| re-match with a whole release instead (Windows Server 2012 R2: {} assets) | 3 | {p50:.0} ms | {p99:.0} ms | – |",
        db.count(&format!(
            "select count(*) from alert_matches where alert_id = {}",
            quote_id(backend, alert.alert.id.0)
        ))
        .await
    );

    // The full KEV catalogue against the sector.
    let kev_file = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../../shared/data/kev/2025-08-25/known_exploited_vulnerabilities.json");
    let kev = std::fs::read_to_string(&kev_file).unwrap_or_else(|_| {
        let entries: Vec<String> = (0..1400)
            .map(|i| format!("{{\"cveID\":\"CVE-2025-{:05}\",\"vendorProject\":\"{}\",\"product\":\"{}\",\"vulnerabilityName\":\"x\",\"dateAdded\":\"2025-01-01\",\"shortDescription\":\"x\",\"requiredAction\":\"x\",\"dueDate\":\"2025-02-01\",\"knownRansomwareCampaignUse\":\"Unknown\",\"notes\":\"\",\"cwes\":[]}}",
                10_000 + i, ["Microsoft", "Google", "Oracle", "Acme"][i % 4], ["Windows", "Chrome", "Java", "Thing"][i % 4]))
            .collect();
        format!("{{\"title\":\"t\",\"catalogVersion\":\"synthetic\",\"dateReleased\":\"2025-01-01T00:00:00Z\",\"count\":1400,\"vulnerabilities\":[{}]}}", entries.join(","))
    });
    app.import_alert_file(&team, "kev.json", &kev).await.unwrap();
    let (p50, p99) = measure(5, || async {
        app.kev_exposure(&team).await.unwrap();
    })
    .await;
    let exposed = app.kev_exposure(&team).await.unwrap();
    println!(
        "| full KEV catalogue against the sector ({} entries, {} running somewhere) | 5 | {p50:.0} ms | {p99:.0} ms | – |",
        exposed.len(),
        exposed.iter().filter(|e| e.organisations > 0).count()
    );

    // The census, national and for the regulator's remit, and one type.
    let inspector = app.cli_actor(app.user_by_email("inspector@regulator.example").await.unwrap());
    let regulator = app
        .scope(&inspector, app.org_by_ods("X26CA").await.unwrap().id)
        .await
        .unwrap();
    let (p50, p99) = measure(20, || async {
        app.census(&team, None, None, false).await.unwrap();
    })
    .await;
    let lines = app.census(&team, None, None, false).await.unwrap();
    let ws = lines
        .iter()
        .find(|l| l.product_id == "windows-server" && l.cycle == "2012-r2");
    println!(
        "| end-of-life census, whole sector ({} unsupported or ending releases; Server 2012 R2: {} organisations, {} assets) | 20 | {p50:.0} ms | {p99:.0} ms | – |",
        lines.len(),
        ws.map_or(0, |l| l.organisations),
        ws.map_or(0, |l| l.assets)
    );
    let (p50, p99) = measure(20, || async {
        app.census(&regulator, Some(hygeia_domain::org::OrgType::GpPractice), None, false)
            .await
            .unwrap();
    })
    .await;
    println!("| census, the regulator's remit, GP practices only | 20 | {p50:.0} ms | {p99:.0} ms | – |");
    println!();
    println!("peak RSS of the benchmark process: {:.1} MiB", peak_rss_mib());
}
