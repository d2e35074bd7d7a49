//! Portable backups: exact round trips, across backends, refusing broken files.

use hygeia_core::CoreError;
use hygeia_testkit::{Backend, TestApp, dual_test};

async fn backup_of(t: &TestApp) -> Vec<u8> {
    let mut out = Vec::new();
    t.app.backup(&mut out).await.unwrap();
    out
}

dual_test! {
    async fn backup_restores_exactly_on_both_backends(backend: Backend) {
        let Some(source) = TestApp::with_demo(backend).await else { return };
        let first = backup_of(&source).await;
        for target_backend in [Backend::Sqlite, Backend::Postgres] {
            let Some(target) = TestApp::new(target_backend).await else { continue };
            let rows = target.app.restore(&mut first.as_slice()).await.unwrap();
            assert!(rows > 50);
            assert!(target.app.verify_audit().await.unwrap().broken.is_none());
            let second = backup_of(&target).await;
            assert!(first == second, "{backend:?} -> {target_backend:?} round trip differs");
            // People can sign in on the restored copy with their old passwords.
            assert!(target.app.sign_in("viewer@riverside.example", crate::util::PASSWORD, "192.0.2.1").await.is_ok());
        }
    }
}

dual_test! {
    async fn restore_refuses_broken_files_and_non_empty_databases_and_writes_nothing(backend: Backend) {
        let Some(source) = TestApp::with_demo(backend).await else { return };
        let good = String::from_utf8(backup_of(&source).await).unwrap();
        let Some(target) = TestApp::new(backend).await else { return };
        let cut: String = good.lines().take(20).map(|l| format!("{l}\n")).collect();
        let err = target.app.restore(&mut cut.as_bytes()).await.unwrap_err();
        assert!(matches!(err, CoreError::Validation(ref e) if e[0].message.contains("cut off")), "{err:?}");
        let mut lines: Vec<&str> = good.lines().collect();
        lines[5] = "{\"table\": \"orgs\", \"row\": ";
        let err = target.app.restore(&mut lines.join("\n").as_bytes()).await.unwrap_err();
        assert!(matches!(err, CoreError::Validation(ref e) if e[0].field == "line 6"), "{err:?}");
        let err = target.app.restore(&mut "{\"format\":\"other\"}\n".as_bytes()).await.unwrap_err();
        assert!(matches!(err, CoreError::Validation(ref e) if e[0].field == "line 1"));
        assert!(target.app.store().is_empty().await.unwrap(), "nothing was written");
        let err = source.app.restore(&mut good.as_bytes()).await.unwrap_err();
        assert!(matches!(err, CoreError::Conflict(_)));
    }
}
