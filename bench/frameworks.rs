//! Benchmark of the framework library (see BENCHMARKS.md): importing the full NIST SP 800-53
//! rev 5 OSCAL catalog (about 10 MB, 1,209 nodes) through the same use case the CLI and API
//! call (detect, parse, validate, store in one transaction, audit), against the baseline of
//! only parsing the file as JSON, measured in the same run.
//!
//! Run: `cargo run --release -p hygeia-testkit --example frameworks -- sqlite|postgres`
//! (PostgreSQL needs HYGEIA_TEST_POSTGRES, as the tests do; the catalog is read from
//! `../shared/data/oscal`).

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use hygeia_testkit::{Backend, TestApp};
use std::time::{Duration, Instant};

const RUNS: usize = 15;

fn summary(name: &str, mut times: Vec<Duration>) {
    times.sort();
    let p = |q: f64| times[((times.len() - 1) as f64 * q).round() as usize];
    println!(
        "| {name} | {} | {:.1} ms | {:.1} ms |",
        times.len(),
        p(0.5).as_secs_f64() * 1000.0,
        p(0.99).as_secs_f64() * 1000.0
    );
}

#[tokio::main]
async fn main() {
    let backend = match std::env::args().nth(1).as_deref() {
        Some("postgres") => Backend::Postgres,
        _ => Backend::Sqlite,
    };
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../../shared/data/oscal/NIST_SP-800-53_rev5_catalog_2021-06-08.json");
    let Ok(text) = std::fs::read_to_string(&path) else {
        println!("skipped: {} is absent (see shared/data/SOURCES.md)", path.display());
        return;
    };
    let t = TestApp::with_demo(backend).await.expect("database");
    let mut parse = Vec::new();
    for _ in 0..RUNS {
        let started = Instant::now();
        let value: serde_json::Value = serde_json::from_str(&text).unwrap();
        parse.push(started.elapsed());
        std::hint::black_box(value);
    }
    let mut import = Vec::new();
    for run in 0..RUNS {
        let key = format!("nist-sp-800-53-run-{run}");
        let started = Instant::now();
        let stored = t
            .app
            .import_framework(None, "nist.json", &text, Some(&key))
            .await
            .unwrap();
        import.push(started.elapsed());
        assert_eq!(stored.node_count, 1_209);
    }
    println!("{backend:?}: {} bytes, 1,209 nodes", text.len());
    println!("| measurement | runs | p50 | p99 |");
    println!("|---|---|---|---|");
    summary("baseline: parse the file as JSON only", parse);
    summary("import: detect, parse, validate, store, audit", import);
}
