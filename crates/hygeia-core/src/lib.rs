//! Hygeia's use cases. Each public method of [`Hygeia`] authorises the caller, validates the
//! input, builds the audit record and makes one store call. Nothing here knows about HTTP.

mod access;
pub mod alerts;
mod app;
pub mod assessments;
pub mod assets;
mod audit;
mod auth;
mod backup;
mod cache;
pub mod clock;
pub mod clocks;
pub mod demo;
mod error;
mod evidence;
mod evidence_reviews;
pub mod export;
pub mod frameworks;
mod governance;
mod http_post;
mod incidents;
mod invitations;
pub mod mail;
pub mod mappings;
mod members;
mod mfa;
mod notifications;
mod orgs;
mod plans;
mod requests;
pub mod secrets;
mod thresholds;
mod tokens;
mod users;
pub mod webhooks;

pub use access::{Actor, Credential, Scope};
pub use app::{CoreConfig, Hygeia};
pub use audit::{AuditVerification, ChainReport};
pub use auth::SignedIn;
pub use error::CoreError;
pub use evidence::{EvidenceContent, EvidenceDetail, EvidenceInput, EvidenceRow, StagedUpload, Upload};
pub use governance::{ActionInput, ActionRow, RiskInput, RiskRow};
pub use incidents::{Assessed, FactsInput, IncidentInput, IncidentView, RegimeStanding};
pub use invitations::{AcceptInvitation, InvitationView, NewInvitation};
pub use mfa::MfaSetup;
pub use notifications::{NotificationDraft, NotificationView};
pub use orgs::{NewOrg, OrgPatch};
pub use plans::PlanEntry;
pub use requests::requestable_stages;
pub use thresholds::{ThresholdsInput, ThresholdsView};
pub use tokens::{CreatedToken, NewToken};
pub use users::NewUser;

pub use hygeia_store::{Backend, Store, StoreError, model};
