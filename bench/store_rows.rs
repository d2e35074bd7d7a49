//! Micro-benchmark of the store's read path on SQLite, without HTTP: how the cost of one query
//! grows with the rows it returns. Run: `cargo run --release -p hygeia-testkit --example store_rows`.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use hygeia_testkit::{Backend, TestApp};
use std::time::Instant;

const N: u32 = 5_000;

fn per_query(start: Instant) -> f64 {
    start.elapsed().as_secs_f64() * 1e6 / f64::from(N)
}

#[tokio::main]
async fn main() {
    let t = TestApp::with_demo(Backend::Sqlite).await.expect("demo");
    let org = t.app.org_by_ods("RVX").await.unwrap();
    let store = t.app.store();
    for _ in 0..1_000 {
        store.list_members(org.id, Default::default()).await.unwrap();
    }
    let start = Instant::now();
    for _ in 0..N {
        store.ping().await.unwrap();
    }
    println!("select 1 (no table):            {:6.1} us/query", per_query(start));
    let start = Instant::now();
    for _ in 0..N {
        store.get_org(org.id).await.unwrap();
    }
    println!("one organisation (1 row):       {:6.1} us/query", per_query(start));
    let page = |n| hygeia_domain::page::PageRequest::new(Some(n), None);
    for rows in [1, 3, 7] {
        let start = Instant::now();
        for _ in 0..N {
            store.list_members(org.id, page(rows)).await.unwrap();
        }
        println!("member page ({rows} rows):          {:6.1} us/query", per_query(start));
    }
}
