//! `Store`: the backend chosen at run time, with one method per use case. Each method runs
//! the same SQL on whichever backend is open (see `ops/`).

use crate::StoreError;
use crate::model::*;
use crate::schema::{RowSink, Table};
use hygeia_domain::audit::AuditRecord;
use hygeia_domain::evidence::LinkTarget;
use hygeia_domain::ids::*;
use hygeia_domain::page::{Page, PageRequest};
use hygeia_domain::roles::Role;
use serde_json::{Map, Value};
use std::path::Path;

/// Which database is behind the store.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

pub enum Store {
    Sqlite(crate::sqlite::Repo),
    Postgres(crate::postgres::Repo),
}

impl Store {
    /// Opens the database: a `postgres://` (or `postgresql://`) URL, or else the SQLite file
    /// `hygeia.db` in `data_dir`. Does not migrate; call `migrate`.
    pub async fn open(database_url: Option<&str>, data_dir: &Path) -> Result<Self, StoreError> {
        match database_url {
            Some(url) if url.starts_with("postgres://") || url.starts_with("postgresql://") => {
                Ok(Store::Postgres(crate::postgres::Repo::open(url, 16).await?))
            }
            Some(url) if url.starts_with("sqlite://") => {
                let path = url.trim_start_matches("sqlite://");
                Ok(Store::Sqlite(crate::sqlite::Repo::open(Path::new(path)).await?))
            }
            Some(other) => Err(StoreError::Unavailable(format!(
                "the database URL must start with postgres:// or sqlite:// (got '{}')",
                other.split("://").next().unwrap_or_default()
            ))),
            None => {
                std::fs::create_dir_all(data_dir).map_err(|e| {
                    StoreError::Unavailable(format!("cannot create the data folder {}: {e}", data_dir.display()))
                })?;
                Ok(Store::Sqlite(
                    crate::sqlite::Repo::open(&data_dir.join("hygeia.db")).await?,
                ))
            }
        }
    }

    pub fn backend(&self) -> Backend {
        match self {
            Store::Sqlite(_) => Backend::Sqlite,
            Store::Postgres(_) => Backend::Postgres,
        }
    }

    /// Counts this process's committed writes; caches compare it to know they are stale.
    pub fn generation(&self) -> u64 {
        match self {
            Store::Sqlite(r) => r.generation(),
            Store::Postgres(r) => r.generation(),
        }
    }

    pub async fn close(&self) {
        match self {
            Store::Sqlite(r) => r.close().await,
            Store::Postgres(r) => r.close().await,
        }
    }
}

/// Writes each use-case method once, forwarding to whichever backend is open.
macro_rules! delegate {
    ($(fn $name:ident($($arg:ident: $ty:ty),*) -> $ret:ty;)*) => {
        impl Store {
            $(
                pub async fn $name(&self, $($arg: $ty),*) -> Result<$ret, StoreError> {
                    match self {
                        Store::Sqlite(r) => r.$name($($arg),*).await,
                        Store::Postgres(r) => r.$name($($arg),*).await,
                    }
                }
            )*
        }
    };
}

delegate! {
    fn list_audit(chain: &str, page: PageRequest) -> Page<AuditRecord>;
    fn audit_heads() -> Vec<(String, i64, String)>;
    fn audit_batch(chain: &str, after_seq: i64, limit: u32) -> Vec<AuditRecord>;
    fn audit_chains_without_head() -> Vec<String>;
    fn dump_table(table: &Table, batch: u32, sink: &mut RowSink<'_>) -> u64;
    fn is_empty() -> bool;
    fn restore(tables: &[(String, Vec<Map<String, Value>>)]) -> ();
    fn create_invitation(inv: &Invitation, token_hash: &str, audit: &NewAudit) -> ();
    fn find_invitation(token_hash: &str) -> Option<Invitation>;
    fn open_invitations(org: OrgId, now: i64) -> Vec<Invitation>;
    fn accept_invitation(inv: &Invitation, user: UserId, new_user: Option<&User>, at: i64, audits: &[NewAudit]) -> ();
    fn revoke_invitation(org: OrgId, id: InvitationId, at: i64, audit: &NewAudit) -> ();
    fn role_in(user: UserId, org: OrgId) -> Option<Role>;
    fn memberships_of(user: UserId) -> Vec<Membership>;
    fn add_member(org: OrgId, user: UserId, role: Role, at: i64, audit: &NewAudit) -> ();
    fn list_members(org: OrgId, page: PageRequest) -> Page<Member>;
    fn count_members_with_role(org: OrgId, role: Role) -> u64;
    fn change_role(org: OrgId, user: UserId, role: Role, audit: &NewAudit) -> ();
    fn remove_member(org: OrgId, user: UserId, audit: &NewAudit) -> ();
    fn migrate() -> u32;
    fn migrate_through(last: i64) -> u32;
    fn schema_version() -> i64;
    fn ping() -> ();
    fn create_org(org: &Org, audit: &NewAudit) -> ();
    fn update_org(org: &Org, expected_updated_at: i64, audit: &NewAudit) -> ();
    fn get_org(id: OrgId) -> Org;
    fn find_org_by_ods(ods: &str) -> Option<Org>;
    fn list_orgs(page: PageRequest) -> Page<Org>;
    fn list_remit(regulator: OrgId, page: PageRequest) -> Page<Org>;
    fn access(user: UserId, org: OrgId) -> Option<Access>;
    fn create_session(s: &Session, token_hash: &str) -> ();
    fn find_session(token_hash: &str, now: i64) -> Option<(Session, User)>;
    fn touch_session(id: SessionId, now: i64, expires_at: i64) -> ();
    fn set_session_org(id: SessionId, org: Option<OrgId>) -> ();
    fn delete_session(id: SessionId) -> ();
    fn purge_expired_sessions(now: i64) -> u64;
    fn record_sign_in_failure(keys: &[String], at: i64, forget_before: i64) -> ();
    fn count_sign_in_failures(key: &str, since: i64) -> u64;
    fn clear_sign_in_failures(key: &str) -> ();
    fn create_token(t: &ApiToken, token_hash: &str, audit: &NewAudit) -> ();
    fn list_tokens(user: UserId) -> Vec<ApiToken>;
    fn find_token(token_hash: &str, now: i64) -> Option<(ApiToken, User)>;
    fn touch_token(id: TokenId, now: i64) -> ();
    fn revoke_token(user: UserId, id: TokenId, at: i64, audit: &NewAudit) -> ();
    fn create_user(user: &User, audit: &NewAudit) -> ();
    fn get_user(id: UserId) -> User;
    fn find_user_by_email(email: &str) -> Option<User>;
    fn set_password(user: UserId, hash: &str, keep_session: Option<SessionId>, at: i64, audit: &NewAudit) -> ();
    fn reset_totp(user: UserId, at: i64, audit: &NewAudit) -> ();
    fn start_totp(user: UserId, secret: &str, at: i64) -> ();
    fn enable_totp(user: UserId, step: i64, recovery_hashes: &[String], at: i64, audit: &NewAudit) -> ();
    fn use_totp_step(user: UserId, step: i64) -> bool;
    fn use_recovery_code(user: UserId, hash: &str, at: i64, audit: &NewAudit) -> bool;
    fn unused_recovery_codes(user: UserId) -> u64;
    fn count_users() -> u64;
    fn create_incident(inc: &Incident, year: i16, first: &IncidentEvent, tasks: &[IncidentTask], audit: &NewAudit) -> String;
    fn get_incident(org: OrgId, id: IncidentId) -> Incident;
    fn list_incidents(org: OrgId, open_only: bool, page: PageRequest) -> Page<Incident>;
    fn update_incident(inc: &Incident, expected_updated_at: i64, events: &[IncidentEvent], changes: (&[ClockRow], &[IncidentTask]), audit: &NewAudit) -> ();
    fn add_incident_event(org: OrgId, e: &IncidentEvent, audit: &NewAudit) -> ();
    fn incident_events(org: OrgId, incident: IncidentId) -> Vec<IncidentEvent>;
    fn record_decisions(a: &Assessment<'_>, audit: &NewAudit) -> ();
    fn decisions(org: OrgId, incident: IncidentId) -> Vec<RecordedDecision>;
    fn submit_notification(n: &Notification, digest_of: &(dyn Fn(u32) -> String + Sync), clocks: &[ClockRow], deliveries: Deliveries<'_>, audit: &NewAudit) -> Notification;
    fn delivery_email(org: OrgId) -> Option<String>;
    fn set_delivery_email(org: OrgId, email: &str, by: &str, at: i64, audit: &NewAudit) -> ();
    fn incident_notifications(org: OrgId, incident: IncidentId) -> Vec<Notification>;
    fn sent_notification(org: OrgId, id: NotificationId) -> Notification;
    fn inbox(regulator: OrgId, page: PageRequest) -> Page<ReceivedNotification>;
    fn received_notification(regulator: OrgId, id: NotificationId) -> ReceivedNotification;
    fn review_notification(regulator: OrgId, review: &Review, audit: &NewAudit) -> ();
    fn reviews(id: NotificationId) -> Vec<Review>;
    fn awareness_changes_since(regulator: OrgId, id: NotificationId) -> Vec<(i64, String, String)>;
    fn sender_records(regulator: OrgId) -> Vec<SenderRecord>;
    fn open_clocks(org: OrgId) -> Vec<ClockListing>;
    fn overdue_and_late(regulator: OrgId, page: PageRequest) -> Page<ClockListing>;
    fn tick_clocks(now: i64, due_soon_ms: i64, batch: u32, reminder: &(dyn Fn(&ClockListing, bool) -> (String, String) + Sync), new_id: &(dyn Fn() -> uuid::Uuid + Sync)) -> TickReport;
    fn pending_mail(limit: u32, max_attempts: i64) -> Vec<Mail>;
    fn mail_attempted(id: MailId, at: i64, error: Option<&str>) -> ();
    fn playbooks(org: OrgId) -> Vec<StoredPlaybook>;
    fn regime_settings(regulator: OrgId) -> Vec<(hygeia_domain::org::Regime, hygeia_domain::incidents::regimes::RegimeSettings)>;
    fn save_regime_settings(regulator: OrgId, entries: &[(hygeia_domain::org::Regime, hygeia_domain::incidents::regimes::RegimeSettings)], by: &str, at: i64, audit: &NewAudit) -> ();
    fn save_playbook(org: OrgId, p: &StoredPlaybook, audit: &NewAudit) -> ();
    fn incident_tasks(org: OrgId, incident: IncidentId) -> Vec<IncidentTask>;
    fn add_evidence(org: OrgId, new: &NewEvidence, first: &EvidenceVersion, file: Option<&StagedFile>, link: Option<&EvidenceLink>, audit: &NewAudit) -> ();
    fn add_evidence_version(org: OrgId, v: &EvidenceVersion, file: Option<&StagedFile>, audit: &NewAudit) -> i64;
    fn update_evidence(org: OrgId, id: EvidenceId, title: &str, review_by: Option<&str>, at: i64, audit: &NewAudit) -> ();
    fn remind_evidence_reviews(soon_until: &str, overdue_until: &str, batch: u32, now: i64, decide: &(dyn Fn(&ReviewCandidate) -> Option<ReviewReminder> + Sync), new_id: &(dyn Fn() -> uuid::Uuid + Sync)) -> u64;
    fn link_evidence(org: OrgId, link: &EvidenceLink, audit: &NewAudit) -> ();
    fn unlink_evidence(org: OrgId, id: EvidenceId, target: LinkTarget, target_id: &str, audit: &NewAudit) -> ();
    fn evidence_page(org: OrgId, search: &str, page: PageRequest) -> Page<EvidenceItem>;
    fn evidence_item(org: OrgId, id: EvidenceId) -> EvidenceItem;
    fn evidence_versions(org: OrgId, id: EvidenceId) -> Vec<EvidenceVersion>;
    fn evidence_version(org: OrgId, id: EvidenceId, number: i64) -> EvidenceVersion;
    fn evidence_links(org: OrgId, id: EvidenceId) -> Vec<EvidenceLink>;
    fn evidence_linked_to(org: OrgId, target: LinkTarget, target_id: &str) -> Vec<EvidenceItem>;
    fn evidence_chunk(org: OrgId, sha256: &str, seq: i64) -> Option<Vec<u8>>;
    fn webhook(org: OrgId) -> Option<Webhook>;
    fn add_framework(meta: &StoredFramework, framework: &hygeia_domain::assessments::framework::Framework, audit: &NewAudit) -> ();
    fn frameworks() -> Vec<StoredFramework>;
    fn find_framework(key: &str, version: &str) -> Option<StoredFramework>;
    fn framework_nodes(id: FrameworkId) -> Vec<hygeia_domain::assessments::framework::Node>;
    fn assessment_actions(org: OrgId, assessment: uuid::Uuid) -> Vec<ImprovementAction>;
    fn requirement_evidence(org: OrgId, framework_key: &str) -> Vec<(String, EvidenceItem)>;
    fn framework_profiles(id: FrameworkId) -> Vec<hygeia_domain::assessments::framework::Profile>;
    fn framework_by_id(id: FrameworkId) -> StoredFramework;
    fn framework(id: FrameworkId) -> (StoredFramework, hygeia_domain::assessments::framework::Framework);
    fn add_assessment(a: &FrameworkAssessment, carried: &[(String, hygeia_domain::assessments::answer::Answer)], audit: &NewAudit) -> ();
    fn get_assessment(org: OrgId, id: AssessmentId) -> FrameworkAssessment;
    fn assessments_page(org: OrgId, frozen_only: bool, page: PageRequest) -> Page<FrameworkAssessment>;
    fn assessment_answers(org: OrgId, id: AssessmentId) -> Vec<StoredAnswer>;
    fn save_answers(org: OrgId, id: AssessmentId, row_version: i64, changes: &[(String, hygeia_domain::assessments::answer::Answer)], by: &str, audit: &NewAudit) -> ();
    fn publish_assessment(a: &FrameworkAssessment, p: &Publication<'_>, audit: &NewAudit) -> ();
    fn assessment_snapshot(org: OrgId, id: AssessmentId) -> String;
    fn published_in_remit(regulator: OrgId, page: PageRequest) -> Page<PublishedAssessment>;
    fn published_in_remit_one(regulator: OrgId, id: AssessmentId) -> PublishedAssessment;
    fn remit_results(regulator: OrgId) -> Vec<(String, String, String, i64)>;
    fn remit_heat_map(regulator: OrgId) -> Vec<(String, String, i64)>;
    fn add_assessment_review(r: &AssessmentReview, standing: Option<(&str, &str)>, audit: &NewAudit) -> ();
    fn previous_standing(org: OrgId, framework_key: &str, period: &str) -> Option<String>;
    fn add_assessment_comment(c: &AssessmentComment, audit: &NewAudit) -> ();
    fn assessment_comments(org: OrgId, id: AssessmentId, ref_id: Option<&str>) -> Vec<AssessmentComment>;
    fn replace_mapping(m: &hygeia_domain::assessments::mapping::Mapping, audit: &NewAudit) -> ();
    fn mapping_links() -> Vec<hygeia_domain::assessments::mapping::Link>;
    fn mapping_summaries() -> Vec<(String, String, i64, String)>;
    fn save_profile(id: FrameworkId, p: &hygeia_domain::assessments::framework::Profile, audit: &NewAudit) -> ();
    fn assessment_reviews(id: AssessmentId) -> Vec<AssessmentReview>;
    fn add_action(a: &ImprovementAction, audit: &NewAudit) -> ();
    fn update_action(a: &ImprovementAction, audit: &NewAudit) -> ();
    fn get_action(org: OrgId, id: ActionId) -> ImprovementAction;
    fn actions_page(org: OrgId, live_only: bool, page: PageRequest) -> Page<ImprovementAction>;
    fn actions_from(org: OrgId, source: hygeia_domain::governance::actions::ActionSource, id: &str) -> Vec<ImprovementAction>;
    fn add_risk(r: &Risk, audit: &NewAudit) -> ();
    fn update_risk(r: &Risk, audit: &NewAudit) -> ();
    fn get_risk(org: OrgId, id: RiskId) -> Risk;
    fn risks_page(org: OrgId, page: PageRequest) -> Page<Risk>;
    fn link_risk(org: OrgId, id: RiskId, incident: uuid::Uuid, by: &str, at: i64, audit: &NewAudit) -> ();
    fn unlink_risk(org: OrgId, id: RiskId, incident: uuid::Uuid, audit: &NewAudit) -> ();
    fn risks_of_incident(org: OrgId, incident: uuid::Uuid) -> Vec<Risk>;
    fn incidents_of_risk(org: OrgId, id: RiskId) -> Vec<(uuid::Uuid, String, String)>;
    fn set_webhook(org: OrgId, hook: Option<&Webhook>, audit: &NewAudit) -> ();
    fn pending_deliveries(now: i64, limit: u32, max_attempts: i64) -> Vec<(WebhookDelivery, Option<String>)>;
    fn delivery_attempted(id: DeliveryId, at: i64, status: Option<i64>, error: Option<&str>, next_attempt_at: Option<i64>) -> ();
    fn recent_deliveries(org: OrgId, limit: u32) -> Vec<WebhookDelivery>;
    fn request_report(r: &ReportRequest, clocks: &[ClockRow], event: &IncidentEvent, audit: &NewAudit) -> ();
    fn report_requests(org: OrgId, incident: IncidentId) -> Vec<ReportRequest>;
    fn requests_on(regulator: OrgId, notification: NotificationId) -> Vec<ReportRequest>;
    fn add_task(org: OrgId, t: &IncidentTask, audit: &NewAudit) -> ();
    fn set_task_done(org: OrgId, incident: IncidentId, id: TaskId, done: Option<(i64, &str)>, audit: &NewAudit) -> ();
    fn save_assets(org: OrgId, assets: &[AssetRecord], remove: &[AssetId], audit: &NewAudit) -> ();
    fn delete_asset(org: OrgId, id: AssetId, audit: &NewAudit) -> ();
    fn assets_of_source(org: OrgId, source: &str) -> Vec<AssetRecord>;
    fn asset_keys_of_source(org: OrgId, source: &str) -> Vec<(String, AssetId)>;
    fn assets_of_source_with_keys(org: OrgId, source: &str, keys: &[&str]) -> Vec<AssetRecord>;
    fn all_assets(org: OrgId) -> Vec<AssetRecord>;
    fn get_asset(org: OrgId, id: AssetId) -> AssetRecord;
    fn assets_page(org: OrgId, kind: Option<hygeia_domain::assets::asset::AssetKind>, search: Option<&str>, page: PageRequest) -> Page<AssetRecord>;
    fn installed_releases(org: OrgId) -> Vec<InstalledRelease>;
    fn census(regulator: Option<OrgId>, org_type: Option<&str>, parent: Option<OrgId>) -> Vec<CensusRow>;
    fn census_parents(regulator: Option<OrgId>) -> Vec<(OrgId, String)>;
    fn unresolved_software(after: Option<(AssetId, i64)>, limit: u32) -> Vec<(AssetId, i64, String, Option<String>)>;
    fn running_products(regulator: Option<OrgId>) -> Vec<(String, u64, u64)>;
    fn running_key(key: &str, regulator: Option<OrgId>) -> (u64, u64);
    fn software_names() -> Vec<String>;
    fn set_resolutions(rows: &[(AssetId, i64, String, Option<String>)]) -> ();
    fn save_alert(a: &Alert, audit: &NewAudit) -> ();
    fn get_alert(id: AlertId) -> Alert;
    fn alerts_page(drafts: bool, page: PageRequest) -> Page<Alert>;
    fn published_alerts() -> Vec<Alert>;
    fn match_candidates(keys: &[String], products: &[(String, Option<String>)], name_words: &[String], org: Option<OrgId>) -> Vec<Candidate>;
    fn save_matching(alert: AlertId, org: Option<OrgId>, verdicts: &[(OrgId, hygeia_domain::alerts::matching::Verdict, String)], matches: &[(OrgId, AssetId, hygeia_domain::alerts::matching::Verdict, String)], at: i64) -> ();
    fn get_response(alert: AlertId, org: OrgId) -> AlertResponse;
    fn responses_of(org: OrgId, page: PageRequest) -> Page<(Alert, AlertResponse)>;
    fn alert_matches(alert: AlertId, org: OrgId) -> Vec<AlertMatch>;
    fn save_response(r: &AlertResponse, audit: &NewAudit) -> ();
    fn add_alert_update(id: AlertUpdateId, alert: AlertId, org: OrgId, update: &AlertUpdate, audit: &NewAudit) -> ();
    fn alert_updates(alert: AlertId, org: OrgId) -> Vec<AlertUpdate>;
    fn exposure(alert: AlertId, regulator: Option<OrgId>, ack_by: Option<i64>, now: i64) -> Exposure;
    fn exposure_page(alert: AlertId, regulator: Option<OrgId>, filter: ResponseFilter, ack_by: Option<i64>, now: i64, page: PageRequest) -> Page<AlertResponse>;
    fn set_alert_delegation(org: OrgId, group: Option<OrgId>, by: &str, at: i64, audit: &NewAudit) -> ();
    fn alert_delegation(org: OrgId) -> Option<OrgId>;
    fn delegated_to(group: OrgId) -> Vec<(OrgId, String)>;
    fn add_treatment(t: &Treatment, audit: &NewAudit) -> ();
    fn treatments(org: OrgId) -> Vec<Treatment>;
    fn lifecycle_updates() -> Vec<(String, String, String, i64)>;
    fn save_lifecycle_update(product: &str, document: &str, source: &str, by: &str, at: i64, audit: &NewAudit) -> ();
    fn kev_entries() -> Vec<(String, String, String, String)>;
    fn save_kev(entries: &[(String, String, String, String)], import: &KevImport, id: uuid::Uuid, audit: &NewAudit) -> ();
    fn kev_imports(limit: u32) -> Vec<KevImport>;
    fn kev_mappings() -> Vec<(String, String, String)>;
    fn save_kev_mapping(vendor: &str, product: &str, identity: &str, by: &str, at: i64, audit: &NewAudit) -> ();
}
