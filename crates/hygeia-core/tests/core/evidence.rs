//! The evidence library: streamed, content-addressed files in chunks, links, versions and
//! review dates, within one organisation.

use crate::util::*;
use hygeia_core::{CoreConfig, CoreError, EvidenceContent, EvidenceInput, Hygeia, IncidentInput, Scope, StagedUpload};
use hygeia_domain::evidence::{LinkTarget, ReviewState};
use hygeia_testkit::{Backend, START_MS, TestApp, dual_test, test_config};
use sha2::{Digest, Sha256};
use std::sync::Arc;

async fn stage(app: &Hygeia, scope: &Scope, name: &str, bytes: &[u8]) -> Result<StagedUpload, CoreError> {
    let mut up = app.begin_upload(scope, name).await?;
    // In uneven pieces, as a network delivers them.
    for piece in bytes.chunks(70_001) {
        up.push(piece).await?;
    }
    up.finish().await
}

fn input(title: &str, content: EvidenceContent) -> EvidenceInput {
    EvidenceInput {
        title: title.into(),
        review_by: String::new(),
        content,
        link: None,
    }
}

async fn download(app: &Hygeia, scope: &Scope, sha: &str) -> Vec<u8> {
    let mut out = Vec::new();
    let mut seq = 0;
    while let Some(chunk) = app.evidence_chunk(scope, sha, seq).await.unwrap() {
        out.extend(chunk);
        seq += 1;
    }
    out
}

/// A PDF of `len` bytes whose content varies, so chunks differ.
fn pdf(len: usize, seed: u8) -> Vec<u8> {
    let mut v = b"%PDF-1.7\n".to_vec();
    v.extend((0..len - v.len()).map(|i| (i as u8).wrapping_mul(31).wrapping_add(seed)));
    v
}

dual_test! {
    async fn files_are_streamed_in_stored_once_and_come_back_byte_for_byte(backend: Backend) {
        let Some(t) = TestApp::with_demo(backend).await else { return };
        let lead = scope_of(&t.app, &cli(&t.app, "security@riverside.example").await, "RVX").await;
        let incident = t.app.report_incident(&lead, IncidentInput {
            title: "Phishing wave".into(),
            category: "phishing".into(),
            severity: "low".into(),
            detected_at: Some(START_MS - 60_000),
            aware_at: Some(START_MS),
            ..IncidentInput::default()
        }).await.unwrap();

        let bytes = pdf(2_500_000, 7);
        let staged = stage(&t.app, &lead, "C:\\scans\\firewall \"log\".pdf", &bytes).await.unwrap();
        assert_eq!(staged.media_type().mime, "application/pdf");
        let sha = data_encoding::HEXLOWER.encode(&Sha256::digest(&bytes));
        assert_eq!(staged.sha256(), sha);
        let id = t.app.add_evidence(&lead, EvidenceInput {
            review_by: "2026-12-31".into(),
            link: Some((LinkTarget::Incident, incident.id.to_string())),
            ..input("Firewall log extract", EvidenceContent::File(staged))
        }).await.unwrap();

        let detail = t.app.evidence_detail(&lead, id).await.unwrap();
        let v = &detail.versions[0];
        assert_eq!((v.version, v.size_bytes, v.sha256.as_deref()), (1, Some(2_500_000), Some(sha.as_str())));
        assert_eq!(v.file_name.as_deref(), Some("firewall _log_.pdf"), "path and quotes gone");
        assert_eq!(detail.links.len(), 1);
        assert_eq!(t.db.count("select count(*) as n from evidence_chunks").await, 3, "1 MiB chunks");
        assert_eq!(download(&t.app, &lead, &sha).await, bytes);
        let on_incident = t.app.evidence_for(&lead, LinkTarget::Incident, &incident.id.to_string()).await.unwrap();
        assert_eq!(on_incident.iter().map(|r| r.item.id).collect::<Vec<_>>(), [id]);

        // The same bytes again, under another name: a second item, one stored copy.
        let again = stage(&t.app, &lead, "copy.pdf", &bytes).await.unwrap();
        let second = t.app.add_evidence(&lead, input("The same log", EvidenceContent::File(again))).await.unwrap();
        assert_ne!(second, id);
        assert_eq!(t.db.count("select count(*) as n from evidence_blobs").await, 1);
        assert_eq!(t.db.count("select count(*) as n from evidence_chunks").await, 3);

        // A new version; the old one stays downloadable.
        let changed = pdf(10_000, 9);
        let v2 = stage(&t.app, &lead, "firewall.pdf", &changed).await.unwrap();
        assert_eq!(t.app.add_evidence_version(&lead, id, EvidenceContent::File(v2)).await.unwrap(), 2);
        let detail = t.app.evidence_detail(&lead, id).await.unwrap();
        assert_eq!(detail.versions.iter().map(|v| v.version).collect::<Vec<_>>(), [2, 1]);
        assert_eq!(detail.row.item.latest.size_bytes, Some(10_000));
        assert_eq!(t.app.evidence_file(&lead, id, 1).await.unwrap().sha256.as_deref(), Some(sha.as_str()));
        let err = t.app.add_evidence_version(&lead, id, EvidenceContent::Link("https://example.org".into())).await.unwrap_err();
        assert!(matches!(err, CoreError::Validation(ref e) if e[0].field == "content"), "{err:?}");

        // Links and notes; bad ones are named.
        let link = t.app.add_evidence(&lead, input("Backup policy", EvidenceContent::Link("https://intranet.example.nhs.uk/backup".into()))).await.unwrap();
        assert!(matches!(t.app.evidence_file(&lead, link, 1).await, Err(CoreError::NotFound)), "a link has no file");
        let err = t.app.add_evidence(&lead, EvidenceInput { review_by: "31/12/2026".into(), ..input("", EvidenceContent::Link("javascript:alert(1)".into())) }).await.unwrap_err();
        let fields: Vec<String> = match err { CoreError::Validation(e) => e.into_iter().map(|e| e.field).collect(), other => panic!("{other:?}") };
        assert_eq!(fields, ["title", "review_by", "url"]);

        // Review dates: overdue once passed, in the organisation's own calendar.
        t.app.update_evidence(&lead, link, "Backup policy v2", "2026-01-01").await.unwrap();
        let page = t.app.evidence_page(&lead, "policy", Default::default()).await.unwrap();
        assert_eq!(page.total, 1);
        assert_eq!((page.items[0].item.title.as_str(), page.items[0].review_state), ("Backup policy v2", ReviewState::Overdue));
        assert_eq!(t.app.evidence_page(&lead, "", Default::default()).await.unwrap().total, 3);

        // Unlinking, and every change audited.
        t.app.unlink_evidence(&lead, id, LinkTarget::Incident, &incident.id.to_string()).await.unwrap();
        assert!(t.app.evidence_for(&lead, LinkTarget::Incident, &incident.id.to_string()).await.unwrap().is_empty());
        assert!(matches!(t.app.unlink_evidence(&lead, id, LinkTarget::Incident, &incident.id.to_string()).await, Err(CoreError::NotFound)));
        let audit = t.app.audit_log(&lead, Default::default()).await.unwrap();
        let actions: Vec<&str> = audit.items.iter().map(|r| r.event.action.as_str()).filter(|a| a.starts_with("evidence.")).collect();
        assert_eq!(actions, ["evidence.unlink", "evidence.update", "evidence.add", "evidence.version", "evidence.add", "evidence.add"]);

        // Roles: viewers and auditors read, only responders add.
        let viewer = scope_of(&t.app, &cli(&t.app, "viewer@riverside.example").await, "RVX").await;
        assert_eq!(t.app.evidence_detail(&viewer, id).await.unwrap().row.item.id, id);
        assert!(matches!(t.app.begin_upload(&viewer, "x.pdf").await, Err(CoreError::Forbidden(_))));
        let auditor = scope_of(&t.app, &cli(&t.app, "auditor@assurance.example").await, "RVX").await;
        assert_eq!(download(&t.app, &auditor, &sha).await.len(), bytes.len());

        // Another organisation sees none of it, even knowing the ids and the hash.
        let gp = scope_of(&t.app, &cli(&t.app, "practice@meadowlane.example").await, "Y99001").await;
        assert!(matches!(t.app.evidence_detail(&gp, id).await, Err(CoreError::NotFound)));
        assert!(t.app.evidence_chunk(&gp, &sha, 0).await.unwrap().is_none());
        assert!(matches!(t.app.link_evidence(&gp, id, LinkTarget::Incident, &incident.id.to_string()).await, Err(CoreError::NotFound)));
        let gp_note = t.app.add_evidence(&gp, input("Practice note", EvidenceContent::Note("Checked".into()))).await.unwrap();
        let err = t.app.link_evidence(&gp, gp_note, LinkTarget::Incident, &incident.id.to_string()).await.unwrap_err();
        assert!(matches!(err, CoreError::NotFound), "another organisation's incident is not a target");
        assert!(matches!(t.app.update_evidence(&lead, gp_note, "Mine now", "").await, Err(CoreError::NotFound)));

        // Files survive a backup and restore onto the other backend, chunks and all.
        let mut backup = Vec::new();
        t.app.backup(&mut backup).await.unwrap();
        let other = match backend { Backend::Sqlite => Backend::Postgres, Backend::Postgres => Backend::Sqlite };
        if let Some(copy) = TestApp::new(other).await {
            copy.app.restore(&mut backup.as_slice()).await.unwrap();
            let lead = scope_of(&copy.app, &cli(&copy.app, "security@riverside.example").await, "RVX").await;
            assert_eq!(download(&copy.app, &lead, &sha).await, bytes);
        }
    }
}

dual_test! {
    async fn a_file_over_the_limit_is_refused_while_arriving_and_leaves_nothing(backend: Backend) {
        let Some(t) = TestApp::with_demo(backend).await else { return };
        let staging = std::env::temp_dir().join(format!("hygeia-staging-test-{}", uuid::Uuid::now_v7()));
        std::fs::create_dir_all(&staging).unwrap();
        let config = CoreConfig { max_evidence_bytes: 100_000, staging_dir: Some(staging.clone()), ..test_config() };
        let app = Hygeia::new(t.db.store().await, Arc::new(t.clock.clone()), config);
        let lead = scope_of(&app, &cli(&app, "security@riverside.example").await, "RVX").await;
        let err = stage(&app, &lead, "big.pdf", &pdf(250_000, 1)).await.err().unwrap();
        assert!(matches!(err, CoreError::TooLarge { limit_bytes: 100_000 }), "{err:?}");
        assert_eq!(std::fs::read_dir(&staging).unwrap().count(), 0, "the partial file is removed");

        // One that fits, abandoned before it is stored, is removed too.
        let staged = stage(&app, &lead, "small.pdf", &pdf(1_000, 1)).await.unwrap();
        assert_eq!(std::fs::read_dir(&staging).unwrap().count(), 1);
        drop(staged);
        assert_eq!(std::fs::read_dir(&staging).unwrap().count(), 0);
        // Refused input stores nothing, the staged file included.
        let staged = stage(&app, &lead, "small.pdf", &pdf(1_000, 1)).await.unwrap();
        assert!(app.add_evidence(&lead, input(" ", EvidenceContent::File(staged))).await.is_err());
        assert_eq!(t.db.count("select count(*) as n from evidence_blobs").await, 0);
        assert_eq!(std::fs::read_dir(&staging).unwrap().count(), 0);
        std::fs::remove_dir_all(&staging).unwrap();
    }
}

dual_test! {
    async fn review_dates_bring_one_reminder_when_due_soon_and_one_when_overdue(backend: Backend) {
        let Some(t) = TestApp::with_demo(backend).await else { return };
        let lead = scope_of(&t.app, &cli(&t.app, "security@riverside.example").await, "RVX").await;
        // 14 November: due 10 December is within 30 days; 1 March is not.
        let policy = t.app.add_evidence(&lead, EvidenceInput { review_by: "2026-12-10".into(), ..input("Backup policy", EvidenceContent::Note("v3".into())) }).await.unwrap();
        t.app.add_evidence(&lead, EvidenceInput { review_by: "2027-03-01".into(), ..input("Network diagram", EvidenceContent::Note("v1".into())) }).await.unwrap();
        t.app.add_evidence(&lead, input("Undated note", EvidenceContent::Note("n".into()))).await.unwrap();

        assert_eq!(t.app.remind_evidence_reviews().await.unwrap(), 1);
        let mail = t.app.store().pending_mail(100, 5).await.unwrap();
        assert_eq!((mail[0].recipient.as_str(), mail[0].subject.as_str()), ("security@riverside.example", "Evidence due for review: Backup policy"));
        assert!(mail[0].body.contains(&format!("/evidence/{policy}")), "{}", mail[0].body);
        assert_eq!(t.app.remind_evidence_reviews().await.unwrap(), 0, "once per threshold");

        // 10 December in London is still on time; the 11th is overdue.
        t.clock.set_ms(START_MS + 26 * DAY + 12 * HOUR);
        assert_eq!(t.app.remind_evidence_reviews().await.unwrap(), 0);
        t.clock.set_ms(START_MS + 27 * DAY);
        assert_eq!(t.app.remind_evidence_reviews().await.unwrap(), 1);
        let mail = t.app.store().pending_mail(100, 5).await.unwrap();
        assert!(mail.iter().any(|m| m.subject == "Evidence review overdue: Backup policy"));
        assert_eq!(t.app.remind_evidence_reviews().await.unwrap(), 0);

        // A new date re-arms the reminders; once its author has left, the owners hear of it.
        t.app.update_evidence(&lead, policy, "Backup policy", "2026-12-20").await.unwrap();
        let owner = scope_of(&t.app, &cli(&t.app, "owner@riverside.example").await, "RVX").await;
        t.app.remove_member(&owner, lead.actor.user.id).await.unwrap();
        let before = t.app.store().pending_mail(100, 5).await.unwrap().len();
        assert_eq!(t.app.remind_evidence_reviews().await.unwrap(), 1);
        let mail = t.app.store().pending_mail(100, 5).await.unwrap();
        assert_eq!(mail.len(), before + 1);
        assert!(mail.iter().any(|m| m.recipient == "owner@riverside.example" && m.subject == "Evidence due for review: Backup policy"));
    }
}
