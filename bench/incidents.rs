//! Benchmark of the incident capability at England's scale (see BENCHMARKS.md): 40,000
//! organisations under one regulator, 100,000 incidents (2,000 of them in one trust), 200,000
//! kept clocks and about 150,000 notifications. Measures, on the chosen backend:
//!   1. the regulator's "overdue and late" list (first page, with its total);
//!   2. an organisation's incident list (first page), for a small and for a large register;
//!   3. the worker's tick over every open clock (steady state, and with work to do).
//!
//! Run: `cargo run --release -p hygeia-testkit --example incidents -- sqlite|postgres`
//! (PostgreSQL needs HYGEIA_TEST_POSTGRES, as the tests do).

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use hygeia_core::clock::Clock;
use hygeia_domain::page::PageRequest;
use hygeia_testkit::timing::measure;
use hygeia_testkit::{Backend, TestApp};
use std::time::Instant;

const DAY: i64 = 86_400_000;
const HOUR: i64 = 3_600_000;

/// Generation in SQL, so 100,000 incidents take seconds. `{ids}` makes a random id, `{n(N)}`
/// a table of 1..N named n(i); `{t}`/`{f}` are the backend's true and false.
const GENERATE: &str = "
create temporary table bench_regulator as select id from orgs where ods_code = 'X26CA';
insert into orgs (id, name, ods_code, org_type, regimes, is_oes, parent_id, regulator_id, require_mfa, time_zone, created_at, updated_at)
  select {ids}, 'Bench organisation ' || i, 'B' || i, 'trust', 'uk_nis,uk_gdpr', {t}, null, (select id from bench_regulator), {f}, 'Europe/London', 0, 0
  from {n(40000)};
create temporary table bench_orgs as select row_number() over (order by ods_code) as k, id from orgs where ods_code like 'B%';
insert into incidents (id, org_id, year, number, reference, title, category, severity, status, occurred_at, detected_at, aware_at, details, facts, created_by, closed_at, created_at, updated_at)
  select {ids}, o.id, 2026, i, 'INC-2026-' || i, 'Bench incident ' || i, 'ransomware', 'medium',
    case when i % 5 = 0 then 'triage' else 'closed' end, null,
    {now} - cast(i % 365 as bigint) * 86400000 - 3600000, {now} - cast(i % 365 as bigint) * 86400000, '{}', '{}', null,
    case when i % 5 = 0 then null else {now} end, {now}, {now}
  from {n(98000)} join bench_orgs o on o.k = (i % 40000) + 1;
insert into incidents (id, org_id, year, number, reference, title, category, severity, status, occurred_at, detected_at, aware_at, details, facts, created_by, closed_at, created_at, updated_at)
  select {ids}, (select id from orgs where ods_code = 'RVX'), 2026, 100000 + i, 'INC-2026-' || (100000 + i), 'Trust incident ' || i, 'phishing', 'low',
    'closed', null, {now} - cast(i % 365 as bigint) * 86400000 - 3600000, {now} - cast(i % 365 as bigint) * 86400000, '{}', '{}', null, {now}, {now}, {now}
  from {n(2000)};
insert into incident_clocks (incident_id, org_id, regulator_id, regime, stage, title, due_at, submitted_at, state, reminded_soon, reminded_overdue)
  select i.id, i.org_id, (select id from bench_regulator), r.regime, 'notification', 'Notification', i.aware_at + 259200000,
    case when i.number % 100 < 90 then i.aware_at + 86400000 when i.number % 100 < 95 then i.aware_at + 288000000 else null end,
    case when i.number % 100 < 90 then 'submitted_on_time' when i.number % 100 < 95 then 'submitted_late'
         when i.aware_at + 259200000 < {now} then 'overdue' else 'due' end,
    {f}, case when i.number % 100 >= 95 and i.aware_at + 259200000 < {now} then {t} else {f} end
  from incidents i cross join (select 'uk_nis' as regime union all select 'uk_gdpr') r;
insert into notifications (id, org_id, incident_id, recipient_org_id, regime, stage, version, previous_id, entries, due_at, submitted_at, on_time, late_reason, submitted_by, digest, review_status, reviewed_at)
  select {ids}, c.org_id, c.incident_id, (select id from bench_regulator), c.regime, 'notification', 1, null, '[]', c.due_at, c.submitted_at,
    case when c.state = 'submitted_on_time' then {t} else {f} end, '', 'bench@example.nhs.uk', 'bench', 'submitted', null
  from incident_clocks c where c.submitted_at is not null and (c.regime = 'uk_nis' or c.incident_id in (select id from incidents where number % 100 < 60));
";

fn sql_for(backend: Backend, now: i64) -> String {
    let (ids, t, f) = match backend {
        Backend::Sqlite => ("randomblob(16)", "1", "0"),
        Backend::Postgres => ("gen_random_uuid()", "true", "false"),
    };
    let mut sql = GENERATE
        .replace("{ids}", ids)
        .replace("{t}", t)
        .replace("{f}", f)
        .replace("{now}", &now.to_string());
    for n in ["40000", "98000", "2000"] {
        let series = match backend {
            Backend::Sqlite => format!(
                "(with recursive s(i) as (select 1 union all select i + 1 from s where i < {n}) select i from s) n"
            ),
            Backend::Postgres => format!("generate_series(1, {n}) as n(i)"),
        };
        sql = sql.replace(&format!("{{n({n})}}"), &series);
    }
    sql
}

#[tokio::main]
async fn main() {
    let backend = match std::env::args().nth(1).as_deref() {
        Some("postgres") => Backend::Postgres,
        _ => Backend::Sqlite,
    };
    let t = TestApp::with_demo(backend)
        .await
        .expect("a database (for PostgreSQL set HYGEIA_TEST_POSTGRES)");
    let now = t.clock.now_ms();
    let start = Instant::now();
    t.db.execute_raw(&sql_for(backend, now)).await;
    // Fresh planner statistics, as a deployment's routine maintenance would have.
    t.db.execute_raw("analyze").await;
    let generated = start.elapsed();
    let app = &t.app;
    let store = app.store();
    let db = &t.db;
    println!("backend: {backend:?}; generated in {:.1} s", generated.as_secs_f64());
    println!(
        "dataset: {} organisations, {} incidents, {} clocks, {} notifications",
        db.count("select count(*) from orgs").await,
        db.count("select count(*) from incidents").await,
        db.count("select count(*) from incident_clocks").await,
        db.count("select count(*) from notifications").await
    );

    let regulator = app.org_by_ods("X26CA").await.unwrap();
    let big = app.org_by_ods("RVX").await.unwrap();
    let small = app.org_by_ods("B17").await.unwrap();
    let first = PageRequest::new(Some(50), None);
    let total = store.overdue_and_late(regulator.id, first).await.unwrap().total;
    println!();
    println!("| measurement | runs | p50 | p99 |");
    println!("|---|---|---|---|");
    let (p50, p99) = measure(300, || async {
        store.overdue_and_late(regulator.id, first).await.unwrap();
    })
    .await;
    println!("| regulator's overdue and late list, first page of {total} | 300 | {p50:.2} ms | {p99:.2} ms |");
    // The baseline, in the same run: the same page found through each clock's organisation
    // (what the first version did, before clocks carried their regulator and a partial index).
    let baseline = "select c.incident_id, c.regime, c.stage, c.due_at, c.state, i.reference, o.name from incident_clocks c \
         join incidents i on i.id = c.incident_id join orgs o on o.id = c.org_id \
         where o.regulator_id = (select id from orgs where ods_code = 'X26CA') and c.state in ('overdue', 'submitted_late') \
         order by c.due_at desc, c.incident_id, c.regime, c.stage limit 50; \
         select count(*) from incident_clocks c join orgs o on o.id = c.org_id \
         where o.regulator_id = (select id from orgs where ods_code = 'X26CA') and c.state in ('overdue', 'submitted_late');";
    let (p50, p99) = measure(30, || async {
        db.execute_raw(baseline).await;
    })
    .await;
    println!(
        "| baseline: the same page through each clock's organisation (raw SQL, new connection each run) | 30 | {p50:.2} ms | {p99:.2} ms |"
    );
    let (p50, p99) = measure(30, || async {
        db.execute_raw("select 1").await;
    })
    .await;
    println!("| baseline's fixed cost: a new connection and `select 1` | 30 | {p50:.2} ms | {p99:.2} ms |");
    let (p50, p99) = measure(300, || async {
        store.list_incidents(small.id, false, first).await.unwrap();
    })
    .await;
    println!("| incident list, organisation with 2 incidents | 300 | {p50:.2} ms | {p99:.2} ms |");
    let (p50, p99) = measure(300, || async {
        store.list_incidents(big.id, false, first).await.unwrap();
    })
    .await;
    println!("| incident list, trust with 2,000 incidents, first page | 300 | {p50:.2} ms | {p99:.2} ms |");
    let (p50, p99) = measure(50, || async {
        app.tick().await.unwrap();
    })
    .await;
    println!("| worker tick, nothing to change (200,000 clocks) | 50 | {p50:.2} ms | {p99:.2} ms |");
    // Twelve hours on: the clocks that were due become due soon or overdue, with reminders.
    t.clock.set_ms(now + 12 * HOUR + DAY);
    let start = Instant::now();
    let report = app.tick().await.unwrap();
    let busy = start.elapsed().as_secs_f64() * 1e3;
    println!(
        "| worker tick with work: {} due soon, {} overdue, {} reminders queued | 1 | {busy:.2} ms | – |",
        report.now_due_soon, report.now_overdue, report.reminders_queued
    );
}
