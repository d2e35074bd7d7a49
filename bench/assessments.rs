//! Benchmark of assessments at England's scale (see BENCHMARKS.md): 40,000 organisations under
//! one regulator, each with a published CAF 3.2 assessment (1.56 million outcome grades), and
//! the trust's own CAF-aligned DSPT assessment (47 outcomes) with 241 answers and 300 evidence
//! items linked to its outcomes.
//! Measures, on the chosen backend:
//!   1. the regulator's sector summary: result counts and the outcome heat map over every
//!      current publication in the remit;
//!   2. the regulator's list of published assessments (first page with its total);
//!   3. everything the assessment page shows for the trust's assessment (answers, scorecard,
//!      evidence per outcome, reviews), with the framework cached as a server holds it.
//!
//! Run: `cargo run --release -p hygeia-testkit --example assessments -- sqlite|postgres`
//! (PostgreSQL needs HYGEIA_TEST_POSTGRES, as the tests do).

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use hygeia_core::assessments::{AnswerInput, StartInput};
use hygeia_domain::page::PageRequest;
use hygeia_testkit::timing::measure;
use hygeia_testkit::{Backend, TestApp};
use std::time::Instant;

/// Generation in SQL. `{ids}` makes a random id, `{n(N)}` a table of 1..N named n(i).
const GENERATE: &str = "
create temporary table bench_regulator as select id from orgs where ods_code = 'X26CA';
create temporary table bench_caf as select id from frameworks where key = 'ncsc-caf' and version = '3.2';
insert into orgs (id, name, ods_code, org_type, regimes, is_oes, parent_id, regulator_id, require_mfa, time_zone, created_at, updated_at)
  select {ids}, 'Bench organisation ' || i, 'B' || i, 'trust', 'uk_nis,uk_gdpr', {t}, null, (select id from bench_regulator), {f}, 'Europe/London', 0, 0
  from {n(40000)};
insert into assessments (id, org_id, seq, framework_id, title, period, due_on, scope, profile_key, status, version, supersedes,
    result, summary, digest, snapshot, created_by, created_at, updated_by, updated_at, published_by, published_at, row_version)
  select {ids}, o.id, 1, (select id from bench_caf), 'CAF 2025-26', '2025-26', '2026-06-30', 'Whole organisation', 'govassure-baseline',
    'published', 1, null, (20 + cast(substr(o.ods_code, 2) as integer) % 20) || ' of 39 outcomes meet the profile', '{}', 'bench', '{}',
    'bench', {now}, 'bench', {now}, 'bench', {now} - cast(substr(o.ods_code, 2) as integer) * 1000, 3
  from orgs o where o.ods_code like 'B%';
insert into assessment_grades (assessment_id, org_id, regulator_id, ref_id, grade)
  select a.id, a.org_id, o.regulator_id, n.ref_id,
    case (cast(substr(o.ods_code, 2) as integer) + n.seq) % 10 when 0 then 'not_achieved' when 1 then 'not_achieved'
      when 2 then 'partially_achieved' when 3 then 'partially_achieved' when 4 then 'partially_achieved' else 'achieved' end
  from assessments a join orgs o on o.id = a.org_id
  join framework_nodes n on n.framework_id = a.framework_id and n.answer = 'caf_grade'
  where o.ods_code like 'B%';
";

fn sql_for(backend: Backend, now: i64) -> String {
    let (ids, t, f) = match backend {
        Backend::Sqlite => ("randomblob(16)", "1", "0"),
        Backend::Postgres => ("gen_random_uuid()", "true", "false"),
    };
    let series = match backend {
        Backend::Sqlite => {
            "(with recursive s(i) as (select 1 union all select i + 1 from s where i < 40000) select i from s) n"
                .to_owned()
        }
        Backend::Postgres => "generate_series(1, 40000) as n(i)".to_owned(),
    };
    GENERATE
        .replace("{ids}", ids)
        .replace("{t}", t)
        .replace("{f}", f)
        .replace("{now}", &now.to_string())
        .replace("{n(40000)}", &series)
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
    let app = &t.app;
    app.install_built_in_frameworks().await.unwrap();
    let now = app.now_ms();
    let start = Instant::now();
    t.db.execute_raw(&sql_for(backend, now)).await;

    // The trust's own assessment, made through the use cases: 241 answers, 300 evidence items.
    let lead = app.cli_actor(app.user_by_email("security@riverside.example").await.unwrap());
    let trust = app.org_by_ods("RVX").await.unwrap();
    let scope = app.scope(&lead, trust.id).await.unwrap();
    let caf = app
        .frameworks()
        .await
        .unwrap()
        .into_iter()
        .find(|f| f.key == "dspt-caf" && f.version == "2025-26")
        .unwrap();
    let id = app
        .start_assessment(
            &scope,
            StartInput {
                framework_id: caf.id.to_string(),
                title: "Benchmark".into(),
                period: "2025-26".into(),
                profile: "nhs-england-2025-26".into(),
                ..Default::default()
            },
        )
        .await
        .unwrap();
    let framework = app.framework_by_id(caf.id).await.unwrap();
    let outcomes: Vec<String> = framework
        .nodes
        .iter()
        .filter(|n| n.answer == hygeia_domain::assessments::framework::AnswerKind::CafGrade)
        .map(|n| n.ref_id.clone())
        .collect();
    let mut answers: Vec<AnswerInput> = outcomes
        .iter()
        .map(|o| AnswerInput {
            ref_id: o.clone(),
            value: "assessed".into(),
            narrative: format!("Narrative for {o}"),
            owner: "Security lead".into(),
            ..Default::default()
        })
        .collect();
    answers.extend(
        framework
            .nodes
            .iter()
            .filter(|n| matches!(n.level.as_deref(), Some("A" | "PA")))
            .take(241 - outcomes.len())
            .map(|n| AnswerInput {
                ref_id: n.ref_id.clone(),
                value: "true".into(),
                ..Default::default()
            }),
    );
    app.save_answers(&scope, id, 1, &answers).await.unwrap();
    for i in 0..300 {
        app.add_evidence(
            &scope,
            hygeia_core::EvidenceInput {
                title: format!("Evidence {i}"),
                review_by: String::new(),
                content: hygeia_core::EvidenceContent::Link(format!("https://intranet.example/evidence/{i}")),
                link: Some((
                    hygeia_domain::evidence::LinkTarget::Requirement,
                    format!("dspt-caf:{}", outcomes[i % outcomes.len()]),
                )),
            },
        )
        .await
        .unwrap();
    }
    // Fresh planner statistics, as a deployment's routine maintenance would have.
    t.db.execute_raw("analyze").await;
    let generated = start.elapsed();
    let db = &t.db;
    println!("backend: {backend:?}; generated in {:.1} s", generated.as_secs_f64());
    println!(
        "dataset: {} organisations, {} published assessments, {} outcome grades; the trust's assessment has {} answers and {} evidence links",
        db.count("select count(*) from orgs").await,
        db.count("select count(*) from assessments where status = 'published'")
            .await,
        db.count("select count(*) from assessment_grades").await,
        db.count("select count(*) from assessment_answers").await,
        db.count("select count(*) from evidence_links").await,
    );

    let inspector = app.cli_actor(app.user_by_email("inspector@regulator.example").await.unwrap());
    let regulator = app.org_by_ods("X26CA").await.unwrap();
    let oversight = app.scope(&inspector, regulator.id).await.unwrap();
    let summary = app.sector_summary(&oversight).await.unwrap();
    assert_eq!(summary.published, 40_000);
    assert_eq!(summary.heat_map.len(), 39);
    println!();
    println!("| measurement | runs | p50 | p99 |");
    println!("|---|---|---|---|");
    let (p50, p99) = measure(30, || async {
        app.sector_summary(&oversight).await.unwrap();
    })
    .await;
    println!(
        "| sector summary: result counts and the 39-outcome heat map over 40,000 publications | 30 | {p50:.1} ms | {p99:.1} ms |"
    );
    // The baseline, in the same run: counting the grade rows alone, the least any heat map
    // over them must do.
    let (p50, p99) = measure(30, || async {
        db.count("select count(*) from assessment_grades").await;
    })
    .await;
    println!(
        "| baseline: `count(*)` of the 1.56 million grade rows (raw SQL, new connection each run) | 30 | {p50:.1} ms | {p99:.1} ms |"
    );
    let first = PageRequest::new(Some(50), None);
    let (p50, p99) = measure(100, || async {
        app.remit_assessments(&oversight, first).await.unwrap();
    })
    .await;
    println!("| regulator's published assessments, first page with its total | 100 | {p50:.1} ms | {p99:.1} ms |");
    let (p50, p99) = measure(300, || async {
        app.assessment(&scope, id).await.unwrap();
    })
    .await;
    println!(
        "| the assessment page's data: 47-outcome CAF-aligned DSPT, 241 answers, scorecard, 300 evidence items | 300 | {p50:.2} ms | {p99:.2} ms |"
    );
}
