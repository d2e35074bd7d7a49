//! The asset register, national alerts and the lifecycle catalogue from the command line.

use crate::util::*;
use hygeia_testkit::{TestDb, dual_test};

const PASSWORD: &str = "lantern-orchid-basin-8\n";

dual_test! {
    async fn registers_alerts_and_lifecycle_updates_from_the_command_line(backend: Backend) {
        let Some(db) = TestDb::new(backend).await else { return };
        ok(&db.url, &["migrate"], None);
        ok(&db.url, &["org", "add", "--name", "Real Trust", "--ods", "RRT", "--type", "trust"], None);
        ok(&db.url, &["org", "add", "--name", "Cyber Team", "--ods", "XNC", "--type", "national_team"], None);
        ok(&db.url, &["user", "add", "--email", "lead@real.example", "--name", "Lead", "--org", "RRT", "--role", "security_lead"], Some(PASSWORD));
        ok(&db.url, &["user", "add", "--email", "pub@team.example", "--name", "Pub", "--org", "XNC", "--role", "alert_publisher"], Some(PASSWORD));
        let dir = tempfile::tempdir().unwrap();
        let csv = dir.path().join("register.csv");
        std::fs::write(&csv, "Asset Tag,Device Name,Type,Operating System\nR-1,pacs-01,server,Windows Server 2012 R2 Standard\nR-2,ward-pc,laptop,Windows 11 Pro\n").unwrap();
        let path = csv.display().to_string();
        let who = ["--org", "RRT", "--as", "lead@real.example"];
        let dry = ok(&db.url, &[&["assets", "import", &path, "--dry-run"][..], &who].concat(), None);
        assert!(dry.starts_with("dry run, nothing saved: CSV: 2 assets, 2 products; 2 added"), "{dry}");
        assert!(dry.contains("? Windows 11 Pro"), "the release of Windows 11 is not recorded: {dry}");
        let done = ok(&db.url, &[&["assets", "import", &path][..], &who].concat(), None);
        assert!(done.starts_with("CSV: 2 assets"), "{done}");
        let again = ok(&db.url, &[&["assets", "import", &path][..], &who].concat(), None);
        assert!(again.contains("0 added, 0 changed, 0 removed, 2 unchanged"), "{again}");
        let exported = ok(&db.url, &[&["assets", "export"][..], &who].concat(), None);
        assert!(exported.starts_with("key,name,kind"), "{exported}");
        assert!(exported.contains("R-1,pacs-01,server"), "{exported}");
        // A broken row is named by line and column, and nothing is written.
        std::fs::write(&csv, "key,name,kind\nR-3,x,server\nR-4,y,toaster\n").unwrap();
        let bad = hygeia(&db.url, &[&["assets", "import", &path][..], &who].concat(), None);
        assert_ne!(bad.code, 0);
        assert!(bad.stderr.contains("register.csv line 3, column kind"), "{}", bad.stderr);
        assert!(!ok(&db.url, &[&["assets", "export"][..], &who].concat(), None).contains("R-3"));
        // Members who may not import are refused.
        let refused = hygeia(&db.url, &["assets", "import", &path, "--org", "RRT", "--as", "pub@team.example"], None);
        assert_ne!(refused.code, 0);

        // A CSAF advisory becomes a draft, published at once; its id is printed.
        let advisory = dir.path().join("advisory.json");
        std::fs::write(&advisory, include_str!("../../../hygeia-core/tests/core/openssl-advisory.json")).unwrap();
        let pubwho = ["--org", "XNC", "--as", "pub@team.example"];
        let imported = ok(&db.url, &[&["alerts", "import", &advisory.display().to_string(), "--publish"][..], &pubwho].concat(), None);
        assert!(imported.contains("(HYG-TEST-2023-0001)") && imported.contains("published"), "{imported}");
        let broken = dir.path().join("broken.json");
        std::fs::write(&broken, "{\"document\": {\"csaf_version\": \"2.0\", \"tracking\": {}}}").unwrap();
        let bad = hygeia(&db.url, &[&["alerts", "import", &broken.display().to_string()][..], &pubwho].concat(), None);
        assert_ne!(bad.code, 0);
        assert!(bad.stderr.contains("broken.json /document"), "{}", bad.stderr);

        // An offline lifecycle update.
        let page = dir.path().join("acmepacs.md");
        std::fs::write(&page, "---\ntitle: Acme PACS\nreleases:\n  - releaseCycle: \"5\"\n    eol: 2025-12-31\n---\n").unwrap();
        let updated = ok(&db.url, &["lifecycle", "import", &page.display().to_string(), "--source", "vendor notice"], None);
        assert!(updated.starts_with("acmepacs: 1 releases; 1 added"), "{updated}");
        assert!(ok(&db.url, &["lifecycle", "list"], None).contains("acmepacs\tAcme PACS\t1 releases\tvendor notice"));
    }
}
