//! Scripted administration, audit verification and backups from the command line.

use crate::util::*;
use hygeia_testkit::{Backend, TestDb, dual_test};

#[test]
fn every_command_has_help() {
    for args in [
        vec!["--help"],
        vec!["serve", "--help"],
        vec!["migrate", "--help"],
        vec!["org", "add", "--help"],
        vec!["org", "list", "--help"],
        vec!["user", "add", "--help"],
        vec!["token", "create", "--help"],
        vec!["audit", "verify", "--help"],
        vec!["backup", "--help"],
        vec!["restore", "--help"],
        vec!["framework", "import", "--help"],
        vec!["framework", "export", "--help"],
        vec!["assets", "import", "--help"],
        vec!["assets", "export", "--help"],
        vec!["alerts", "import", "--help"],
        vec!["alerts", "publish", "--help"],
        vec!["lifecycle", "import", "--help"],
    ] {
        let out = std::process::Command::new(env!("CARGO_BIN_EXE_hygeia"))
            .args(&args)
            .output()
            .unwrap();
        assert!(out.status.success(), "{args:?}");
        assert!(String::from_utf8_lossy(&out.stdout).contains("Usage:"), "{args:?}");
    }
}

dual_test! {
    async fn bad_input_on_the_command_line_names_the_field(backend: Backend) {
        let Some(db) = TestDb::new(backend).await else { return };
        ok(&db.url, &["migrate"], None);
        let run = hygeia(&db.url, &["org", "add", "--name", "X", "--ods", "R!", "--type", "hospital"], None);
        assert_ne!(run.code, 0);
        assert!(run.stderr.contains("ods_code:") && run.stderr.contains("org_type:"), "{}", run.stderr);
        ok(&db.url, &["org", "add", "--name", "Real Trust", "--ods", "RRT", "--type", "trust"], None);
        let weak = hygeia(&db.url, &["user", "add", "--email", "a@real.example", "--name", "A", "--org", "RRT", "--role", "viewer"], Some("password123\n"));
        assert_ne!(weak.code, 0);
        assert!(weak.stderr.contains("password:"), "{}", weak.stderr);
        let wrong_org = hygeia(&db.url, &["user", "add", "--email", "a@real.example", "--name", "A", "--org", "NOPE", "--role", "viewer"], Some("lantern-orchid-basin-8\n"));
        assert!(wrong_org.stderr.contains("--org"), "{}", wrong_org.stderr);
        let listed = ok(&db.url, &["org", "list"], None);
        assert!(listed.contains("RRT\ttrust\tReal Trust"), "{listed}");
        assert!(!listed.contains("R!"), "nothing half-written");
    }
}

dual_test! {
    async fn audit_verify_names_the_first_broken_link(backend: Backend) {
        let Some(db) = TestDb::new(backend).await else { return };
        let (org_id, _) = seed(&db.url);
        assert!(ok(&db.url, &["audit", "verify"], None).contains("audit log intact"));
        db.execute_raw(&format!("update audit_log set changes = '{{\"role\":\"owner\"}}' where chain = '{org_id}' and seq = 2")).await;
        let run = hygeia(&db.url, &["audit", "verify"], None);
        assert_eq!(run.code, 1);
        assert!(run.stdout.contains(&format!("BROKEN in chain {org_id} at record 2")), "{}", run.stdout);
    }
}

dual_test! {
    async fn backup_and_restore_round_trip_exactly_across_backends(backend: Backend) {
        let Some(source) = TestDb::new(backend).await else { return };
        seed(&source.url);
        let dir = tempfile::tempdir().unwrap();
        let first = dir.path().join("first.jsonl");
        ok(&source.url, &["backup", first.to_str().unwrap()], None);
        for target_backend in [Backend::Sqlite, Backend::Postgres] {
            let Some(target) = TestDb::new(target_backend).await else { continue };
            let restored = ok(&target.url, &["restore", first.to_str().unwrap()], None);
            assert!(restored.contains("audit log intact"), "{restored}");
            let second = dir.path().join("second.jsonl");
            ok(&target.url, &["backup", second.to_str().unwrap()], None);
            assert!(std::fs::read(&first).unwrap() == std::fs::read(&second).unwrap(), "{backend:?} -> {target_backend:?}");
            let refused = hygeia(&target.url, &["restore", first.to_str().unwrap()], None);
            assert_ne!(refused.code, 0, "a database with data is not overwritten");
            assert!(refused.stderr.contains("empty database"), "{}", refused.stderr);
        }
    }
}

dual_test! {
    async fn settings_come_from_a_toml_file_and_mistakes_in_it_are_named(backend: Backend) {
        let Some(db) = TestDb::new(backend).await else { return };
        let dir = tempfile::tempdir().unwrap();
        let run = |file: &std::path::Path| {
            std::process::Command::new(env!("CARGO_BIN_EXE_hygeia"))
                .args(["--config", file.to_str().unwrap(), "migrate"])
                .env_remove("HYGEIA_DATABASE_URL")
                .output()
                .unwrap()
        };
        let good = dir.path().join("hygeia.toml");
        std::fs::write(&good, format!("database_url = \"{}\"\nlog_format = \"json\"\n", db.url)).unwrap();
        let out = run(&good);
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        assert!(String::from_utf8_lossy(&out.stdout).contains("schema version 23"));
        let bad = dir.path().join("bad.toml");
        std::fs::write(&bad, "database_url = \"sqlite:///nowhere\"\ncolour = \"blue\"\n").unwrap();
        let out = run(&bad);
        assert!(!out.status.success());
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains("bad.toml") && err.contains("colour"), "{err}");
    }
}

dual_test! {
    async fn reset_mfa_from_the_command_line(backend: Backend) {
        let Some(db) = TestDb::new(backend).await else { return };
        seed(&db.url);
        let done = ok(&db.url, &["user", "reset-mfa", "--email", "lead@durable.example"], None);
        assert!(done.contains("reset for lead@durable.example"), "{done}");
        let unknown = hygeia(&db.url, &["user", "reset-mfa", "--email", "nobody@durable.example"], None);
        assert_ne!(unknown.code, 0);
        assert!(unknown.stderr.contains("--email"), "{}", unknown.stderr);
        assert!(ok(&db.url, &["audit", "verify"], None).contains("intact"));
    }
}

dual_test! {
    async fn the_framework_library_from_the_command_line(backend: Backend) {
        let Some(db) = TestDb::new(backend).await else { return };
        ok(&db.url, &["migrate"], None);
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("tiny.json");
        std::fs::write(&file, r#"{"format": "hygeia.framework/v1", "framework": {"key": "tiny", "version": "1", "title": "Tiny",
            "publisher": "Tests", "licence": "OGL-UK-3.0", "nodes": [{"ref_id": "A", "kind": "objective", "title": "A", "answer": "none"}]}}"#).unwrap();
        let path = file.display().to_string();
        let out = ok(&db.url, &["framework", "import", &path], None);
        assert!(out.contains("imported tiny 1 (1 nodes)"), "{out}");
        let again = hygeia(&db.url, &["framework", "import", &path], None);
        assert_ne!(again.code, 0);
        assert!(again.stderr.contains("already in the library"), "{}", again.stderr);
        assert!(ok(&db.url, &["framework", "list"], None).contains("tiny\t1\t1\timported\tTiny"));
        let exported = ok(&db.url, &["framework", "export", "tiny", "1"], None);
        assert!(exported.contains("\"format\": \"hygeia.framework/v1\""));
        let profile = dir.path().join("profile.json");
        std::fs::write(&profile, r#"{"profile": {"imports": []}}"#).unwrap();
        let refused = hygeia(&db.url, &["framework", "import", &profile.display().to_string()], None);
        assert_ne!(refused.code, 0);
        assert!(refused.stderr.contains("profile.json: is an OSCAL profile"), "{}", refused.stderr);
    }
}
