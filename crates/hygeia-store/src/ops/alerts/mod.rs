//! National alerts, each organisation's response, the matches behind its pre-fill, and the
//! delegations that let a group answer for its members.
//!
//! One module per use: `publish` (the publisher's alerts), `matching` (writing what a match
//! run found), `responses` (an organisation's answers and updates), `exposure` (the sector's
//! counts and drill-down), `delegation` (groups answering for their members). The row
//! decoding the reads share is here.

mod delegation;
mod exposure;
mod matching;
mod publish;
mod responses;

use super::Cols;
use crate::StoreError;
use crate::model::{Alert, AlertResponse, AlertStatus};
use hygeia_domain::alerts::alert::{AlertSource, Deadlines, Severity};
use hygeia_domain::alerts::matching::Verdict;
use hygeia_domain::ids::{AlertId, OrgId};

const ALERT_COLUMNS: &str = "id, publisher_id, reference, title, severity, summary, cves, products, actions, source, \
     acknowledge_hours, first_update_days, remediate_days, status, published_at, revision, created_by, created_at, \
     updated_by, updated_at";

fn json<T: serde::de::DeserializeOwned>(row: &dyn Cols, col: &str) -> Result<T, StoreError> {
    serde_json::from_str(&row.text(col)?).map_err(|e| StoreError::Corrupt(format!("{col}: {e}")))
}

fn alert(row: &dyn Cols) -> Result<Alert, StoreError> {
    let severity = row.text("severity")?;
    let source = row.text("source")?;
    let status = row.text("status")?;
    let hours =
        |c: &str| -> Result<Option<u32>, StoreError> { Ok(row.opt_int(c)?.and_then(|v| u32::try_from(v).ok())) };
    Ok(Alert {
        id: AlertId(row.id("id")?),
        publisher_id: OrgId(row.id("publisher_id")?),
        reference: row.text("reference")?,
        title: row.text("title")?,
        severity: Severity::parse(&severity).ok_or_else(|| StoreError::Corrupt(format!("severity: {severity}")))?,
        summary: row.text("summary")?,
        cves: json(row, "cves")?,
        products: json(row, "products")?,
        actions: json(row, "actions")?,
        source: [AlertSource::Manual, AlertSource::Csaf, AlertSource::Kev]
            .into_iter()
            .find(|s| s.as_str() == source)
            .ok_or_else(|| StoreError::Corrupt(format!("source: {source}")))?,
        deadlines: Deadlines {
            acknowledge_hours: hours("acknowledge_hours")?,
            first_update_days: hours("first_update_days")?.unwrap_or(3),
            remediate_days: hours("remediate_days")?,
        },
        status: [AlertStatus::Draft, AlertStatus::Published, AlertStatus::Withdrawn]
            .into_iter()
            .find(|s| s.code() == status)
            .ok_or_else(|| StoreError::Corrupt(format!("status: {status}")))?,
        published_at: row.opt_int("published_at")?,
        revision: row.int("revision")?,
        created_by: row.text("created_by")?,
        created_at: row.int("created_at")?,
        updated_by: row.text("updated_by")?,
        updated_at: row.int("updated_at")?,
    })
}

fn verdict(row: &dyn Cols, col: &str) -> Result<Verdict, StoreError> {
    let v = row.text(col)?;
    Verdict::parse(&v).ok_or_else(|| StoreError::Corrupt(format!("{col}: {v}")))
}

const RESPONSE_COLUMNS: &str = "r.alert_id, r.org_id, o.name as org_name, r.prefill, r.prefill_reason, r.matched_at, \
     r.applicability, r.applicability_reason, r.justification, r.acknowledged_at, r.acknowledged_by, r.last_update_at, \
     r.closed_at, r.closed_by, r.remediation";

fn response(row: &dyn Cols) -> Result<AlertResponse, StoreError> {
    Ok(AlertResponse {
        alert_id: AlertId(row.id("alert_id")?),
        org_id: OrgId(row.id("org_id")?),
        org_name: row.text("org_name")?,
        prefill: verdict(row, "prefill")?,
        prefill_reason: row.text("prefill_reason")?,
        matched_at: row.int("matched_at")?,
        applicability: row.opt_text("applicability")?.and_then(|v| Verdict::parse(&v)),
        applicability_reason: row.opt_text("applicability_reason")?,
        justification: row.opt_text("justification")?,
        acknowledged_at: row.opt_int("acknowledged_at")?,
        acknowledged_by: row.opt_text("acknowledged_by")?,
        last_update_at: row.opt_int("last_update_at")?,
        closed_at: row.opt_int("closed_at")?,
        closed_by: row.opt_text("closed_by")?,
        remediation: row.opt_text("remediation")?,
    })
}
