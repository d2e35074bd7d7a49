//! Typed identifiers. Every entity has its own id type so that an organisation id can never be
//! passed where a user id is expected. Ids are UUIDv7, made by the caller (see `new_v7`).

use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;
use uuid::Uuid;

macro_rules! typed_id {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        #[serde(transparent)]
        pub struct $name(pub Uuid);

        impl $name {
            /// A new time-ordered id (UUIDv7) from the given Unix time in milliseconds, so ids
            /// sort by creation and index well. The caller supplies time and randomness.
            pub fn from_parts(unix_ms: u64, random: [u8; 10]) -> Self {
                Self(uuid::Builder::from_unix_timestamp_millis(unix_ms, &random).into_uuid())
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                self.0.fmt(f)
            }
        }

        impl FromStr for $name {
            type Err = uuid::Error;
            fn from_str(s: &str) -> Result<Self, Self::Err> {
                Uuid::parse_str(s).map(Self)
            }
        }
    };
}

typed_id!(/// An organisation (a tenant).
    OrgId);
typed_id!(/// A person who signs in.
    UserId);
typed_id!(/// An API token.
    TokenId);
typed_id!(/// An invitation to join an organisation.
    InvitationId);
typed_id!(/// A signed-in session.
    SessionId);
typed_id!(/// One record of the audit log.
    AuditId);
typed_id!(/// An incident in an organisation's register.
    IncidentId);
typed_id!(/// One entry of an incident's timeline.
    IncidentEventId);
typed_id!(/// One recorded reportability decision.
    DecisionId);
typed_id!(/// A notification sent to a regulator (one version).
    NotificationId);
typed_id!(/// A regulator's review of a notification.
    ReviewId);
typed_id!(/// A message in the outbox.
    MailId);
typed_id!(/// A task of an incident's response.
    TaskId);
typed_id!(/// An item of the evidence library (its versions share the id).
    EvidenceId);
typed_id!(/// A regulator's request for a report on request (NIS2's intermediate report).
    ReportRequestId);
typed_id!(/// One delivery of an event to an organisation's webhook.
    DeliveryId);
typed_id!(/// An improvement action.
    ActionId);
typed_id!(/// A risk in an organisation's register.
    RiskId);
typed_id!(/// A framework version in the library.
    FrameworkId);
typed_id!(/// An organisation's assessment of a framework version for a period.
    AssessmentId);
typed_id!(/// A regulator's review of a published assessment.
    AssessmentReviewId);
typed_id!(/// An asset in an organisation's register.
    AssetId);
typed_id!(/// A remediation plan or risk acceptance of an unsupported system.
    TreatmentId);
typed_id!(/// A national cyber alert.
    AlertId);
typed_id!(/// An update an organisation posted on its response to an alert.
    AlertUpdateId);
