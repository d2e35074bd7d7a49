//! What the alert use cases answer with: alerts with their deadlines as instants, responses
//! with what is late, exposure, KEV imports. The web UI and the JSON API both show these.

use super::*;

/// An alert with its deadlines as instants.
#[derive(Debug, Clone, Serialize)]
pub struct AlertView {
    #[serde(flatten)]
    pub alert: AlertJson,
    pub acknowledge_by: Option<i64>,
    pub remediate_by: Option<i64>,
}

#[derive(Debug, Clone, Serialize)]
pub struct AlertJson {
    pub id: AlertId,
    pub reference: String,
    pub title: String,
    pub severity: Severity,
    pub summary: String,
    pub cves: Vec<String>,
    pub products: Vec<AffectedProduct>,
    pub actions: Vec<String>,
    pub source: AlertSource,
    pub deadlines: Deadlines,
    pub status: &'static str,
    pub published_at: Option<i64>,
    pub revision: i64,
}

pub(super) fn alert_json(a: &Alert) -> AlertJson {
    AlertJson {
        id: a.id,
        reference: a.reference.clone(),
        title: a.title.clone(),
        severity: a.severity,
        summary: a.summary.clone(),
        cves: a.cves.clone(),
        products: a.products.clone(),
        actions: a.actions.clone(),
        source: a.source,
        deadlines: a.deadlines,
        status: a.status.code(),
        published_at: a.published_at,
        revision: a.revision,
    }
}

pub fn alert_view(a: &Alert) -> AlertView {
    let ack = a
        .deadlines
        .acknowledge_hours
        .zip(a.published_at)
        .map(|(h, p)| p + i64::from(h) * HOUR_MS);
    let fix = a
        .deadlines
        .remediate_days
        .zip(a.published_at)
        .map(|(d, p)| p + i64::from(d) * DAY_MS);
    AlertView {
        alert: alert_json(a),
        acknowledge_by: ack,
        remediate_by: fix,
    }
}

/// An organisation's response with its deadlines and what is late.
#[derive(Debug, Clone, Serialize)]
pub struct ResponseView {
    pub alert: AlertView,
    pub org_id: OrgId,
    pub org_name: String,
    /// What matching found, until the organisation states its own view.
    pub prefill: Verdict,
    pub prefill_reason: String,
    pub applicability: Option<Verdict>,
    pub applicability_reason: Option<String>,
    pub justification: Option<String>,
    /// `open`, `acknowledged`, `closed`.
    pub state: &'static str,
    pub acknowledged_at: Option<i64>,
    pub acknowledged_by: Option<String>,
    pub first_update_due: Option<i64>,
    pub last_update_at: Option<i64>,
    pub closed_at: Option<i64>,
    pub remediation: Option<String>,
    pub acknowledge_overdue: bool,
    pub update_overdue: bool,
    pub remediation_overdue: bool,
    pub matches: Vec<MatchView>,
    pub updates: Vec<UpdateView>,
}

#[derive(Debug, Clone, Serialize)]
pub struct MatchView {
    pub asset_id: AssetId,
    pub asset_name: String,
    pub verdict: Verdict,
    pub reason: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct UpdateView {
    pub body: String,
    pub posted_by: String,
    pub posted_at: i64,
}

#[derive(Debug, Clone, Serialize)]
pub struct ExposureView {
    pub alert: AlertView,
    pub organisations: u64,
    pub affected: u64,
    pub unknown: u64,
    pub acknowledged: u64,
    pub overdue: u64,
    pub remediated: u64,
    pub filter: &'static str,
    pub responses: Page<ResponseView>,
}

/// What an alert import did.
#[derive(Debug, Clone, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum AlertImport {
    /// A CSAF advisory became a draft alert.
    Csaf {
        alert: AlertView,
        products: usize,
        unplaced: usize,
    },
    /// A KEV snapshot replaced the catalogue.
    Kev {
        catalog_version: String,
        entries: usize,
        added: Vec<String>,
        removed: Vec<String>,
        changed: Vec<(String, Vec<String>)>,
        unmapped: usize,
    },
}

#[derive(Debug, Clone, Serialize)]
pub struct KevView {
    pub imports: Vec<KevImportView>,
    pub entries: usize,
    /// Vendor/product pairs neither the dictionary nor a person has placed, with how many
    /// entries name them.
    pub unmapped: Vec<(String, String, usize)>,
    pub mappings: Vec<(String, String, String)>,
}

#[derive(Debug, Clone, Serialize)]
pub struct KevImportView {
    pub catalog_version: String,
    pub released: String,
    pub entries: u64,
    pub changes: serde_json::Value,
    pub imported_by: String,
    pub imported_at: i64,
}

#[derive(Debug, Clone, Serialize)]
pub struct KevExposure {
    pub cve: String,
    pub vendor_project: String,
    pub product: String,
    pub placed_as: Option<String>,
    pub organisations: u64,
    pub assets: u64,
    pub known_ransomware: bool,
}

pub(super) fn state_of(r: &AlertResponse) -> &'static str {
    if r.closed_at.is_some() {
        "closed"
    } else if r.acknowledged_at.is_some() {
        "acknowledged"
    } else {
        "open"
    }
}

pub(super) fn response_view(
    a: &Alert,
    r: AlertResponse,
    matches: Vec<AlertMatch>,
    updates: Vec<AlertUpdate>,
    now: i64,
) -> ResponseView {
    let view = alert_view(a);
    let first_update_due = r
        .acknowledged_at
        .map(|t| t + i64::from(a.deadlines.first_update_days) * DAY_MS);
    let open = r.closed_at.is_none();
    ResponseView {
        acknowledge_overdue: r.acknowledged_at.is_none() && view.acknowledge_by.is_some_and(|d| now > d),
        update_overdue: open && r.last_update_at.is_none() && first_update_due.is_some_and(|d| now > d),
        remediation_overdue: open
            && view.remediate_by.is_some_and(|d| now > d)
            && r.applicability.unwrap_or(r.prefill) == Verdict::Affected,
        alert: view,
        org_id: r.org_id,
        org_name: r.org_name.clone(),
        prefill: r.prefill,
        prefill_reason: r.prefill_reason.clone(),
        applicability: r.applicability,
        applicability_reason: r.applicability_reason.clone(),
        justification: r.justification.clone(),
        state: state_of(&r),
        acknowledged_at: r.acknowledged_at,
        acknowledged_by: r.acknowledged_by.clone(),
        first_update_due,
        last_update_at: r.last_update_at,
        closed_at: r.closed_at,
        remediation: r.remediation,
        matches: matches
            .into_iter()
            .map(|m| MatchView {
                asset_id: m.asset_id,
                asset_name: m.asset_name,
                verdict: m.verdict,
                reason: m.reason,
            })
            .collect(),
        updates: updates
            .into_iter()
            .map(|u| UpdateView {
                body: u.body,
                posted_by: u.posted_by,
                posted_at: u.posted_at,
            })
            .collect(),
    }
}
