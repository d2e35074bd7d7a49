//! The asset pages: one asset added and changed by hand through the form, with errors that
//! name the field (and the line of the software box).

use crate::util::*;
use axum::http::StatusCode;
use hygeia_testkit::dual_test;

dual_test! {
    async fn an_asset_is_added_and_changed_by_hand(backend: Backend) {
        let Some(w) = Web::new(backend).await else { return };
        let secret = w.enable_mfa("security@riverside.example").await;
        let cookie = w.sign_in("security@riverside.example", Some(&secret)).await;
        let trust = w.t.app.org_by_ods("RVX").await.unwrap();
        let form = w.get(&format!("/orgs/{}/assets/new", trust.id), Some(&cookie)).await;
        assert_eq!(form.status, StatusCode::OK);
        let csrf = form.csrf();
        let path = format!("/orgs/{}/assets/new", trust.id);
        // A kind not chosen and a software line that is not a package URL: both named.
        let bad = w
            .post_form(&path, Some(&cookie), &[("csrf", &csrf), ("key", "RVX-9001"), ("name", "scanner"), ("kind", ""), ("criticality", "high")])
            .await;
        assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(bad.body.contains("href=\"#kind\""), "{}", bad.body);
        let bad = w
            .post_form(&path, Some(&cookie), &[("csrf", &csrf), ("key", "RVX-9001"), ("name", "scanner"), ("kind", "medical_device"),
                ("criticality", "high"), ("software", "Acme Viewer==2.1\npkg:npm")])
            .await;
        assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(bad.body.contains("href=\"#software\"") && bad.body.contains("line 2:"), "{}", bad.body);
        assert!(bad.body.contains("Acme Viewer==2.1"), "what was typed is kept");
        let saved = w
            .post_form(&path, Some(&cookie), &[("csrf", &csrf), ("key", "RVX-9001"), ("name", "ct-scanner-02"), ("kind", "medical_device"),
                ("criticality", "critical"), ("os", "Windows 7 Professional SP1"), ("software", "Acme Viewer==2.1"),
                ("manufacturer", "Acme Medical"), ("model", "CT-9"), ("patchable", "no"), ("essential_services", "Radiology, A&E")])
            .await;
        assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);
        let page = w.get(saved.header("location"), Some(&cookie)).await;
        assert!(page.body.contains("ct-scanner-02") && page.body.contains("Windows 7"), "{}", page.body);
        // Changed: the form comes back filled in, and the key stays the asset's.
        let id = saved.header("location").rsplit('/').next().unwrap().to_owned();
        let edit = w.get(&format!("/orgs/{}/assets/{id}/edit", trust.id), Some(&cookie)).await;
        assert!(edit.body.contains("value=\"Acme Medical\"") && edit.body.contains("Acme Viewer==2.1"), "{}", edit.body);
        let changed = w
            .post_form(&path, Some(&cookie), &[("csrf", &csrf), ("asset_id", &id), ("key", "RVX-9001"), ("name", "ct-scanner-02"),
                ("kind", "medical_device"), ("criticality", "critical"), ("os", "Windows 10 Enterprise"), ("os_version", "10.0.19045.5011"),
                ("esu_enrolled", "on")])
            .await;
        assert_eq!(changed.header("location"), saved.header("location"), "the same asset");
        let asset = w.t.app.asset(&w.t.app.scope(&w.t.app.cli_actor(w.t.app.user_by_email("security@riverside.example").await.unwrap()), trust.id).await.unwrap(),
            hygeia_domain::ids::AssetId(id.parse().unwrap())).await.unwrap();
        assert!(asset.esu_enrolled && asset.software.len() == 1 && asset.manufacturer.is_none());
        assert_eq!(w.t.db.count("select count(*) from audit_log where action = 'assets.import'").await, 2, "each save is audited");
        // A viewer may look but not change.
        let secret = w.enable_mfa("viewer@riverside.example").await;
        let viewer = w.sign_in("viewer@riverside.example", Some(&secret)).await;
        assert_eq!(w.get(&format!("/orgs/{}/assets/new", trust.id), Some(&viewer)).await.status, StatusCode::FORBIDDEN);
    }
}
