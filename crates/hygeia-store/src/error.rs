//! What can go wrong in storage, in terms callers can act on.

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("not found")]
    NotFound,
    /// A uniqueness rule was hit (an ODS code or email already in use) or a row changed since
    /// it was read.
    #[error("conflict: {0}")]
    Conflict(String),
    /// The database cannot be reached or refused the connection.
    #[error("database unavailable: {0}")]
    Unavailable(String),
    /// Stored data that the code cannot read (a bad enum code, say): a bug or tampering.
    #[error("stored data is not valid: {0}")]
    Corrupt(String),
    #[error("database error: {0}")]
    Database(String),
}

impl From<sqlx::Error> for StoreError {
    fn from(e: sqlx::Error) -> Self {
        match &e {
            sqlx::Error::RowNotFound => StoreError::NotFound,
            sqlx::Error::Database(db) if db.is_unique_violation() => {
                // PostgreSQL names the constraint; SQLite only says it in the message.
                StoreError::Conflict(db.constraint().map_or_else(|| db.message().to_owned(), str::to_owned))
            }
            sqlx::Error::PoolTimedOut | sqlx::Error::Io(_) | sqlx::Error::PoolClosed | sqlx::Error::Tls(_) => {
                StoreError::Unavailable(e.to_string())
            }
            _ => StoreError::Database(e.to_string()),
        }
    }
}

impl From<hygeia_domain::Invalid> for StoreError {
    fn from(e: hygeia_domain::Invalid) -> Self {
        StoreError::Corrupt(e.to_string())
    }
}
