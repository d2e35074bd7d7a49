//! A write the server acknowledged survives the server being killed outright.

use crate::util::*;
use hygeia_testkit::{TestDb, dual_test};

dual_test! {
    async fn an_acknowledged_write_survives_kill_9(backend: Backend) {
        let Some(db) = TestDb::new(backend).await else { return };
        let (_, token) = seed(&db.url);
        let mut server = serve(&db.url);
        let (status, body) = http(&server.address, "GET", "/api/v1/tokens", &token);
        assert_eq!(status, 200, "{body}");
        let tokens: serde_json::Value = serde_json::from_str(&body).unwrap();
        let second = tokens.as_array().unwrap().iter().find(|t| t["name"] == "second").unwrap()["id"].as_str().unwrap().to_owned();
        let (status, _) = http(&server.address, "DELETE", &format!("/api/v1/tokens/{second}"), &token);
        assert_eq!(status, 204, "the revocation was acknowledged");
        // SIGKILL: no shutdown, no flush, no goodbye.
        server.child.kill().unwrap();
        server.child.wait().unwrap();

        let mut again = serve(&db.url);
        let (_, body) = http(&again.address, "GET", "/api/v1/tokens", &token);
        let tokens: serde_json::Value = serde_json::from_str(&body).unwrap();
        let revoked = tokens.as_array().unwrap().iter().find(|t| t["id"] == second.as_str()).unwrap();
        assert!(revoked["revoked_at"].is_string(), "the revocation survived: {revoked}");
        again.child.kill().unwrap();
        again.child.wait().unwrap();
        let verify = ok(&db.url, &["audit", "verify"], None);
        assert!(verify.contains("audit log intact"), "{verify}");
    }
}
