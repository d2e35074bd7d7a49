//! How the embedded SQLite database keeps itself: the WAL is copied back into the database
//! file by a thread of its own after commits, not inside a writer's commit.

use crate::util::{cli, scope_of};
use hygeia_core::assets::ImportOptions;
use hygeia_testkit::{Backend, TestApp};
use std::time::{Duration, Instant};

#[tokio::test]
async fn sqlite_copies_the_wal_back_after_commits() {
    let Some(t) = TestApp::with_demo(Backend::Sqlite).await else {
        return;
    };
    let path = t.db.url.trim_start_matches("sqlite://").to_owned();
    let size = || std::fs::metadata(&path).map(|m| m.len()).unwrap_or(0);
    // Let the checkpoint after the demo data settle.
    tokio::time::sleep(Duration::from_millis(600)).await;
    let before = size();
    let lead = cli(&t.app, "security@riverside.example").await;
    let scope = scope_of(&t.app, &lead, "RVX").await;
    let mut csv = String::from("key,name,kind,software\n");
    for i in 0..2000 {
        csv.push_str(&format!(
            "K-{i},host-{i},server,\"7-Zip==19.00; Google Chrome==120.0.{i}\"\n"
        ));
    }
    t.app
        .import_assets(&scope, "r.csv", &csv, &ImportOptions::default(), None)
        .await
        .unwrap();
    // The writer's own automatic checkpoint waits for far more than this import wrote, so
    // only the checkpoint thread moves its pages into the database file.
    let deadline = Instant::now() + Duration::from_secs(10);
    while size() <= before && Instant::now() < deadline {
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert!(
        size() > before,
        "the database file stayed at {before} bytes: the WAL was not copied back"
    );
}
