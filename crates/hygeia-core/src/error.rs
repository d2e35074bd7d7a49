//! What a use case can answer instead of success. The web layer maps each variant to one
//! status code and one stable problem code, in one place.

use hygeia_domain::{FieldError, Invalid};
use hygeia_store::StoreError;

#[derive(Debug, thiserror::Error)]
pub enum CoreError {
    /// The input is wrong; each error names its field.
    #[error("invalid input")]
    Validation(Vec<FieldError>),
    /// No such thing, or not one the caller may know about (other organisations' ids look
    /// exactly like ids that do not exist).
    #[error("not found")]
    NotFound,
    /// The caller may see the thing but not do this to it.
    #[error("forbidden: {0}")]
    Forbidden(&'static str),
    /// The caller is not signed in, or the credentials are wrong.
    #[error("not signed in")]
    Unauthenticated,
    /// This account must set up multi-factor authentication first.
    #[error("multi-factor authentication must be set up first")]
    MfaRequired,
    /// Too many failed attempts; try again after the given number of seconds.
    #[error("too many attempts")]
    TooManyAttempts { retry_after_secs: u64 },
    /// The request clashes with the current state (a duplicate, a stale edit).
    #[error("conflict: {0}")]
    Conflict(String),
    /// An upload is bigger than this deployment accepts.
    #[error("too large: the limit is {limit_bytes} bytes")]
    TooLarge { limit_bytes: u64 },
    /// The database cannot be reached.
    #[error("service unavailable: {0}")]
    Unavailable(String),
    /// A bug or broken data: logged in full, shown to nobody.
    #[error("internal error: {0}")]
    Internal(String),
}

impl From<Invalid> for CoreError {
    fn from(e: Invalid) -> Self {
        CoreError::Validation(e.0)
    }
}

impl From<StoreError> for CoreError {
    fn from(e: StoreError) -> Self {
        match e {
            StoreError::NotFound => CoreError::NotFound,
            StoreError::Conflict(what) => CoreError::Conflict(conflict_message(&what)),
            StoreError::Unavailable(why) => CoreError::Unavailable(why),
            StoreError::Corrupt(why) | StoreError::Database(why) => CoreError::Internal(why),
        }
    }
}

/// Turns a constraint name into words a person understands.
fn conflict_message(constraint: &str) -> String {
    if constraint.contains("ods_code") {
        "an organisation with this ODS code already exists".into()
    } else if constraint.contains("email") {
        "an account with this email address already exists".into()
    } else if constraint.contains("memberships") || constraint.contains("pkey") {
        "this person is already a member".into()
    } else {
        constraint.to_owned()
    }
}

impl CoreError {
    pub fn field(field: &str, message: &str) -> Self {
        CoreError::Validation(vec![FieldError::new(field, message)])
    }
}
