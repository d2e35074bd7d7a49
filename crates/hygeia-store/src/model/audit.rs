//! What an audit record is written as.

use hygeia_domain::audit::AuditEvent;
use hygeia_domain::ids::*;

/// An audit record to append, in the chain of an organisation or of the platform.
#[derive(Debug, Clone, PartialEq)]
pub struct NewAudit {
    pub id: AuditId,
    pub chain: String,
    pub event: AuditEvent,
}
