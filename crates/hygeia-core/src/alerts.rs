//! National alerts: the publisher creates or imports them (CSAF, CISA KEV), publishing
//! matches them against every organisation's assets, and each organisation answers:
//! acknowledge, state applicability, post updates, close with remediation. A group may answer
//! for members that allow it. The national team and regulators see the exposure.

use crate::assets::import_error;
use crate::{CoreError, Hygeia, Scope};
use hygeia_domain::alerts::alert::{AffectedProduct, AlertDraft, AlertSource, Deadlines, ProductStatus, Severity};
use hygeia_domain::alerts::matching::{self, Software, Verdict};
use hygeia_domain::alerts::{csaf, kev};
use hygeia_domain::assets::dictionary::Dictionary;
use hygeia_domain::assets::identity::Identity;
use hygeia_domain::assets::version::Range;
use hygeia_domain::ids::{AlertId, AlertUpdateId, AssetId, OrgId};
use hygeia_domain::page::{Page, PageRequest};
use hygeia_domain::permissions::Permission;
use hygeia_store::model::{
    Alert, AlertMatch, AlertResponse, AlertStatus, AlertUpdate, Exposure, KevImport, ResponseFilter,
};
use serde::{Deserialize, Serialize};
use serde_json::json;
use std::collections::{BTreeMap, HashMap};

const HOUR_MS: i64 = 3_600_000;
const DAY_MS: i64 = 24 * HOUR_MS;

/// VEX justifications for "not affected" (CSAF 2.0 flags, CycloneDX analysis).
pub const JUSTIFICATIONS: &[(&str, &str)] = &[
    ("component_not_present", "The affected product is not present"),
    ("vulnerable_code_not_present", "The vulnerable code is not present"),
    (
        "vulnerable_code_not_in_execute_path",
        "The vulnerable code cannot be reached",
    ),
    (
        "vulnerable_code_cannot_be_controlled_by_adversary",
        "An attacker cannot control the vulnerable code",
    ),
    (
        "inline_mitigations_already_exist",
        "Mitigations already in place prevent exploitation",
    ),
];

/// A product line as the publisher writes it.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
pub struct ProductLineInput {
    /// A CPE, a package URL, or a product name.
    pub identity: String,
    /// `<=12.1.3`, `>=2.0, <2.4.1`, `vers:rpm/<1.2`, or a single version; empty for every version.
    #[serde(default)]
    pub versions: Option<String>,
    /// `affected` (default), `fixed` (the versions given are the fixes) or `not_affected`.
    #[serde(default)]
    pub status: Option<String>,
}

#[derive(Debug, Clone, Default, Deserialize, Serialize)]
pub struct AlertInput {
    pub reference: String,
    pub title: String,
    /// high, medium, low or information.
    pub severity: String,
    #[serde(default)]
    pub summary: String,
    #[serde(default)]
    pub cves: Vec<String>,
    #[serde(default)]
    pub products: Vec<ProductLineInput>,
    #[serde(default)]
    pub actions: Vec<String>,
    /// Defaults by severity: 48 hours for high.
    #[serde(default)]
    pub acknowledge_hours: Option<u32>,
    #[serde(default)]
    pub first_update_days: Option<u32>,
    #[serde(default)]
    pub remediate_days: Option<u32>,
}

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

fn alert_json(a: &Alert) -> AlertJson {
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

fn state_of(r: &AlertResponse) -> &'static str {
    if r.closed_at.is_some() {
        "closed"
    } else if r.acknowledged_at.is_some() {
        "acknowledged"
    } else {
        "open"
    }
}

fn response_view(
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

/// A step of a response.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(tag = "action", rename_all = "snake_case")]
pub enum ResponseStep {
    Acknowledge,
    /// Confirm or override the pre-fill; `not_affected` needs a justification or a reason.
    Applicability {
        applicability: String,
        #[serde(default)]
        reason: String,
        #[serde(default)]
        justification: Option<String>,
    },
    Update {
        body: String,
    },
    Close {
        remediation: String,
    },
}

impl ResponseStep {
    fn name(&self) -> &'static str {
        match self {
            ResponseStep::Acknowledge => "acknowledge",
            ResponseStep::Applicability { .. } => "applicability",
            ResponseStep::Update { .. } => "update",
            ResponseStep::Close { .. } => "close",
        }
    }
}

/// Product lines from the publisher's form: each identity read, placed by the dictionary.
fn product_lines(input: &[ProductLineInput], dictionary: &Dictionary) -> Result<Vec<AffectedProduct>, CoreError> {
    let mut out = Vec::new();
    for (i, p) in input.iter().enumerate() {
        let field = |f: &str| format!("products/{i}/{f}");
        let id = Identity::read(&p.identity, None).map_err(|m| CoreError::field(&field("identity"), &m))?;
        let range = match p.versions.as_deref().map(str::trim).filter(|v| !v.is_empty()) {
            Some(v) => Some(Range::parse(v).map_err(|m| CoreError::field(&field("versions"), &m))?),
            None => None,
        };
        let status = match p.status.as_deref().unwrap_or("affected") {
            "affected" | "" => ProductStatus::Affected,
            "fixed" => ProductStatus::Fixed,
            "not_affected" => ProductStatus::NotAffected,
            other => {
                return Err(CoreError::field(
                    &field("status"),
                    &format!("`{other}` is not affected, fixed or not_affected"),
                ));
            }
        };
        if status == ProductStatus::Fixed && range.is_none() && id.version.is_none() {
            return Err(CoreError::field(
                &field("versions"),
                "a fixed line needs the fixed version",
            ));
        }
        out.push(if status == ProductStatus::Fixed {
            let canonical = dictionary.resolve(&id).map(|r| r.product.id.clone());
            AffectedProduct::from_identity(&id, p.identity.trim(), range, status, canonical)
        } else {
            AffectedProduct::placed(&id, p.identity.trim(), range, status, dictionary)
        });
    }
    Ok(out)
}

/// The longest word of each named line, to find software whose name resembles it.
fn name_words(lines: &[AffectedProduct]) -> Vec<String> {
    let mut out: Vec<String> = lines
        .iter()
        .filter_map(|l| l.product_key.strip_prefix("name:"))
        .filter_map(|k| {
            k.split([':', '_'])
                .filter(|w| w.len() >= 4)
                .max_by_key(|w| w.len())
                .map(str::to_owned)
        })
        .collect();
    out.sort();
    out.dedup();
    out
}

impl Hygeia {
    fn draft_from_input(&self, input: &AlertInput, dictionary: &Dictionary) -> Result<AlertDraft, CoreError> {
        let severity = Severity::parse(&input.severity)
            .ok_or_else(|| CoreError::field("severity", "is not high, medium, low or information"))?;
        let defaults = Deadlines::default_for(severity);
        let draft = AlertDraft {
            reference: input.reference.trim().to_owned(),
            title: input.title.trim().to_owned(),
            severity,
            summary: input.summary.trim().to_owned(),
            cves: input
                .cves
                .iter()
                .map(|c| c.trim().to_uppercase())
                .filter(|c| !c.is_empty())
                .collect(),
            products: product_lines(&input.products, dictionary)?,
            actions: input
                .actions
                .iter()
                .map(|a| a.trim().to_owned())
                .filter(|a| !a.is_empty())
                .collect(),
            source: AlertSource::Manual,
            deadlines: Deadlines {
                acknowledge_hours: input.acknowledge_hours.or(defaults.acknowledge_hours),
                first_update_days: input.first_update_days.unwrap_or(defaults.first_update_days),
                remediate_days: input.remediate_days.or(defaults.remediate_days),
            },
        };
        draft.check()?;
        Ok(draft)
    }

    async fn store_draft(&self, scope: &Scope, draft: AlertDraft) -> Result<Alert, CoreError> {
        let now = self.now_ms();
        let by = scope.actor.label();
        let alert = Alert {
            id: AlertId(self.new_uuid()),
            publisher_id: scope.org_id(),
            reference: draft.reference,
            title: draft.title,
            severity: draft.severity,
            summary: draft.summary,
            cves: draft.cves,
            products: draft.products,
            actions: draft.actions,
            source: draft.source,
            deadlines: draft.deadlines,
            status: AlertStatus::Draft,
            published_at: None,
            revision: 1,
            created_by: by.clone(),
            created_at: now,
            updated_by: by,
            updated_at: now,
        };
        let audit = self.audit(
            Some(&scope.actor),
            Some(scope.org_id()),
            "alert.create",
            "alert",
            alert.id,
            json!({"reference": alert.reference, "severity": alert.severity.as_str(), "source": alert.source.as_str(), "products": alert.products.len()}),
        );
        self.store.save_alert(&alert, &audit).await?;
        Ok(alert)
    }

    /// A draft alert from the publisher's form.
    pub async fn create_alert(&self, scope: &Scope, input: &AlertInput) -> Result<AlertView, CoreError> {
        scope.require(Permission::AlertsPublish)?;
        let dictionary = self.dictionary().await?;
        let draft = self.draft_from_input(input, &dictionary)?;
        Ok(alert_view(&self.store_draft(scope, draft).await?))
    }

    /// Replaces a draft's or a published alert's content; a published one is re-matched
    /// (stated answers are kept) and its revision goes up.
    pub async fn update_alert(&self, scope: &Scope, id: AlertId, input: &AlertInput) -> Result<AlertView, CoreError> {
        scope.require(Permission::AlertsPublish)?;
        let before = self.store.get_alert(id).await?;
        if before.status == AlertStatus::Withdrawn {
            return Err(CoreError::Conflict("this alert was withdrawn".into()));
        }
        let dictionary = self.dictionary().await?;
        let d = self.draft_from_input(input, &dictionary)?;
        let after = Alert {
            reference: d.reference,
            title: d.title,
            severity: d.severity,
            summary: d.summary,
            cves: d.cves,
            products: d.products,
            actions: d.actions,
            deadlines: d.deadlines,
            revision: before.revision + 1,
            updated_by: scope.actor.label(),
            updated_at: self.now_ms(),
            ..before.clone()
        };
        let audit = self.audit(
            Some(&scope.actor),
            Some(scope.org_id()),
            "alert.update",
            "alert",
            id,
            json!({"revision": after.revision}),
        );
        self.store.save_alert(&after, &audit).await?;
        if after.status == AlertStatus::Published {
            self.match_alert(&after, None).await?;
        }
        Ok(alert_view(&after))
    }

    /// Publishes a draft: the clocks start now and every organisation gets a pre-filled response.
    pub async fn publish_alert(&self, scope: &Scope, id: AlertId) -> Result<AlertView, CoreError> {
        scope.require(Permission::AlertsPublish)?;
        let before = self.store.get_alert(id).await?;
        if before.status != AlertStatus::Draft {
            return Err(CoreError::Conflict("only a draft can be published".into()));
        }
        let now = self.now_ms();
        let after = Alert {
            status: AlertStatus::Published,
            published_at: Some(now),
            updated_by: scope.actor.label(),
            updated_at: now,
            ..before
        };
        let audit = self.audit(
            Some(&scope.actor),
            Some(scope.org_id()),
            "alert.publish",
            "alert",
            id,
            json!({"reference": after.reference}),
        );
        self.store.save_alert(&after, &audit).await?;
        self.match_alert(&after, None).await?;
        Ok(alert_view(&after))
    }

    pub async fn withdraw_alert(&self, scope: &Scope, id: AlertId) -> Result<AlertView, CoreError> {
        scope.require(Permission::AlertsPublish)?;
        let before = self.store.get_alert(id).await?;
        let now = self.now_ms();
        let after = Alert {
            status: AlertStatus::Withdrawn,
            updated_by: scope.actor.label(),
            updated_at: now,
            ..before
        };
        let audit = self.audit(
            Some(&scope.actor),
            Some(scope.org_id()),
            "alert.withdraw",
            "alert",
            id,
            json!({}),
        );
        self.store.save_alert(&after, &audit).await?;
        Ok(alert_view(&after))
    }

    /// Alerts as a list: published ones for everyone who sees alerts, drafts too for the
    /// publisher.
    pub async fn alerts(&self, scope: &Scope, page: PageRequest) -> Result<Page<AlertView>, CoreError> {
        scope.require(Permission::AlertsView)?;
        let drafts = scope.allows(Permission::AlertsPublish);
        let p = self.store.alerts_page(drafts, page).await?;
        Ok(Page {
            items: p.items.iter().map(alert_view).collect(),
            total: p.total,
            limit: p.limit,
            offset: p.offset,
        })
    }

    pub async fn alert(&self, scope: &Scope, id: AlertId) -> Result<AlertView, CoreError> {
        scope.require(Permission::AlertsView)?;
        let a = self.store.get_alert(id).await?;
        if a.status == AlertStatus::Draft && !scope.allows(Permission::AlertsPublish) {
            return Err(CoreError::NotFound);
        }
        Ok(alert_view(&a))
    }

    /// Imports a CSAF advisory (a draft alert) or a KEV snapshot (the catalogue), told apart
    /// by content.
    pub async fn import_alert_file(&self, scope: &Scope, file: &str, text: &str) -> Result<AlertImport, CoreError> {
        scope.require(Permission::AlertsPublish)?;
        let dictionary = self.dictionary().await?;
        if kev::detect(text) {
            return self.import_kev(scope, file, text, &dictionary).await;
        }
        if !csaf::detect(text) {
            return Err(CoreError::field(
                &format!("{file} /"),
                "neither a CSAF 2.0 advisory nor a CISA KEV catalogue",
            ));
        }
        let draft = csaf::read(text, &dictionary).map_err(|e| import_error(file, e))?;
        draft.check()?;
        let products = draft.products.len();
        let unplaced = draft
            .products
            .iter()
            .filter(|p| p.canonical.is_none() && p.product_key.starts_with("name:"))
            .count();
        let alert = self.store_draft(scope, draft).await?;
        Ok(AlertImport::Csaf {
            alert: alert_view(&alert),
            products,
            unplaced,
        })
    }

    async fn import_kev(
        &self,
        scope: &Scope,
        file: &str,
        text: &str,
        dictionary: &Dictionary,
    ) -> Result<AlertImport, CoreError> {
        let catalog = kev::read(text).map_err(|e| import_error(file, e))?;
        let old: Vec<kev::Entry> = self
            .store
            .kev_entries()
            .await?
            .iter()
            .filter_map(|(_, _, _, e)| serde_json::from_str(e).ok())
            .collect();
        let change = kev::diff(&old, &catalog.vulnerabilities);
        let confirmed = self.kev_confirmed().await?;
        let unmapped = catalog
            .vulnerabilities
            .iter()
            .filter(|e| !kev::identity_for(&e.vendor_project, &e.product, &confirmed, dictionary).2)
            .count();
        let rows: Vec<(String, String, String, String)> = catalog
            .vulnerabilities
            .iter()
            .map(|e| {
                (
                    e.cve_id.clone(),
                    e.vendor_project.clone(),
                    e.product.clone(),
                    serde_json::to_string(e).unwrap_or_default(),
                )
            })
            .collect();
        let import = KevImport {
            catalog_version: catalog.catalog_version.clone(),
            released: catalog.date_released.clone(),
            entries: rows.len() as u64,
            changes: serde_json::to_string(&change).unwrap_or_default(),
            imported_by: scope.actor.label(),
            imported_at: self.now_ms(),
        };
        let audit = self.audit(
            Some(&scope.actor),
            Some(scope.org_id()),
            "kev.import",
            "kev_catalog",
            &catalog.catalog_version,
            json!({"entries": rows.len(), "added": change.added.len(), "removed": change.removed.len(), "changed": change.changed.len()}),
        );
        self.store.save_kev(&rows, &import, self.new_uuid(), &audit).await?;
        Ok(AlertImport::Kev {
            catalog_version: catalog.catalog_version,
            entries: rows.len(),
            added: change.added,
            removed: change.removed,
            changed: change.changed,
            unmapped,
        })
    }

    async fn kev_confirmed(&self) -> Result<HashMap<(String, String), String>, CoreError> {
        Ok(self
            .store
            .kev_mappings()
            .await?
            .into_iter()
            .map(|(v, p, i)| ((v, p), i))
            .collect())
    }

    /// The KEV catalogue's imports with what each changed, the unmapped names, the mappings.
    pub async fn kev(&self, scope: &Scope) -> Result<KevView, CoreError> {
        scope.require(Permission::AlertsPublish)?;
        let dictionary = self.dictionary().await?;
        let confirmed = self.kev_confirmed().await?;
        let entries = self.store.kev_entries().await?;
        let mut unmapped: BTreeMap<(String, String), usize> = BTreeMap::new();
        for (_, vendor, product, _) in &entries {
            if !kev::identity_for(vendor, product, &confirmed, &dictionary).2 {
                *unmapped.entry((vendor.clone(), product.clone())).or_default() += 1;
            }
        }
        let mut unmapped: Vec<(String, String, usize)> = unmapped.into_iter().map(|((v, p), n)| (v, p, n)).collect();
        unmapped.sort_by(|a, b| b.2.cmp(&a.2).then(a.0.cmp(&b.0)).then(a.1.cmp(&b.1)));
        let imports = self
            .store
            .kev_imports(20)
            .await?
            .into_iter()
            .map(|i| KevImportView {
                catalog_version: i.catalog_version,
                released: i.released,
                entries: i.entries,
                changes: serde_json::from_str(&i.changes).unwrap_or(serde_json::Value::Null),
                imported_by: i.imported_by,
                imported_at: i.imported_at,
            })
            .collect();
        Ok(KevView {
            imports,
            entries: entries.len(),
            unmapped,
            mappings: self.store.kev_mappings().await?,
        })
    }

    /// A person confirms what a KEV vendor/product pair names: a CPE, a package URL or a
    /// product name.
    pub async fn confirm_kev_mapping(
        &self,
        scope: &Scope,
        vendor: &str,
        product: &str,
        identity: &str,
    ) -> Result<(), CoreError> {
        scope.require(Permission::AlertsPublish)?;
        if vendor.trim().is_empty() || product.trim().is_empty() {
            return Err(CoreError::field(
                "vendor_project",
                "give the vendor and product as the catalogue writes them",
            ));
        }
        Identity::read(identity, None).map_err(|m| CoreError::field("identity", &m))?;
        let audit = self.audit(
            Some(&scope.actor),
            Some(scope.org_id()),
            "kev.map",
            "kev_mapping",
            format!("{vendor}/{product}"),
            json!({"identity": identity.trim()}),
        );
        self.store
            .save_kev_mapping(
                vendor,
                product,
                identity.trim(),
                &scope.actor.label(),
                self.now_ms(),
                &audit,
            )
            .await?;
        Ok(())
    }

    /// A draft alert from one KEV entry.
    pub async fn alert_from_kev(&self, scope: &Scope, cve: &str) -> Result<AlertView, CoreError> {
        scope.require(Permission::AlertsPublish)?;
        let entry = self
            .store
            .kev_entries()
            .await?
            .into_iter()
            .find(|(c, _, _, _)| c.eq_ignore_ascii_case(cve.trim()))
            .ok_or(CoreError::NotFound)?;
        let entry: kev::Entry = serde_json::from_str(&entry.3).map_err(|e| CoreError::Internal(e.to_string()))?;
        let dictionary = self.dictionary().await?;
        let draft = kev::draft(&entry, &self.kev_confirmed().await?, &dictionary);
        Ok(alert_view(&self.store_draft(scope, draft).await?))
    }

    /// The whole KEV catalogue matched against the sector (or the remit): for every entry,
    /// how many organisations and assets run the product it names. KEV gives no versions, so
    /// running the product is the match.
    pub async fn kev_exposure(&self, scope: &Scope) -> Result<Vec<KevExposure>, CoreError> {
        let remit = self.sector_of(scope)?;
        let dictionary = self.dictionary().await?;
        let confirmed = self.kev_confirmed().await?;
        let running: HashMap<String, (u64, u64)> = self
            .store
            .running_products(remit)
            .await?
            .into_iter()
            .map(|(p, o, a)| (p, (o, a)))
            .collect();
        let mut by_key: HashMap<String, (u64, u64)> = HashMap::new();
        // Free-text names nobody runs need no query: most unmapped KEV names are such.
        let names: std::collections::HashSet<String> = self.store.software_names().await?.into_iter().collect();
        let mut out = Vec::new();
        for (cve, vendor, product, entry) in self.store.kev_entries().await? {
            let (identity, canonical, _) = kev::identity_for(&vendor, &product, &confirmed, &dictionary);
            let (organisations, assets) = match &canonical {
                Some(p) => running.get(p).copied().unwrap_or((0, 0)),
                None => {
                    let key = identity.product_key();
                    let absent = key.starts_with("name:") && !names.contains(&key);
                    match by_key.get(&key) {
                        _ if absent => (0, 0),
                        Some(v) => *v,
                        None => {
                            let v = self.store.running_key(&key, remit).await?;
                            by_key.insert(key, v);
                            v
                        }
                    }
                }
            };
            let known_ransomware =
                serde_json::from_str::<kev::Entry>(&entry).is_ok_and(|e| e.known_ransomware_campaign_use == "Known");
            out.push(KevExposure {
                cve,
                vendor_project: vendor,
                product,
                placed_as: canonical,
                organisations,
                assets,
                known_ransomware,
            });
        }
        out.sort_by(|a, b| b.organisations.cmp(&a.organisations).then(b.cve.cmp(&a.cve)));
        Ok(out)
    }

    /// Matches an alert against the assets of one organisation or, with None, the sector,
    /// and records each organisation's pre-fill with the assets behind it.
    pub(crate) async fn match_alert(&self, alert: &Alert, org: Option<OrgId>) -> Result<(), CoreError> {
        let mut keys: Vec<String> = alert.products.iter().map(|p| p.product_key.clone()).collect();
        keys.sort();
        keys.dedup();
        // Per catalogue product, its releases when every line naming it names one.
        let mut products: Vec<(String, Option<String>)> = Vec::new();
        for p in alert.products.iter().filter(|p| p.canonical.is_some()) {
            let id = p.canonical.clone().unwrap_or_default();
            let whole = alert
                .products
                .iter()
                .any(|q| q.canonical.as_deref() == Some(id.as_str()) && (q.cycle.is_none() || q.range != Range::All));
            products.push((id, if whole { None } else { p.cycle.clone() }));
        }
        products.sort();
        products.dedup();
        let candidates = self
            .store
            .match_candidates(&keys, &products, &name_words(&alert.products), org)
            .await?;
        // Per asset, the most serious finding; per organisation, the overall verdict.
        let mut per_asset: BTreeMap<(OrgId, AssetId), (Verdict, String)> = BTreeMap::new();
        for c in &candidates {
            let sw = Software {
                kind: c.kind,
                product_key: &c.product_key,
                canonical: c.product_id.as_deref(),
                cycle: c.cycle.as_deref(),
                version: c.version.as_deref(),
                scheme: c.scheme,
            };
            if let Some(f) = matching::judge(&alert.products, &sw) {
                let slot = per_asset
                    .entry((c.org_id, c.asset_id))
                    .or_insert((f.verdict, f.reason.clone()));
                if f.verdict < slot.0 {
                    *slot = (f.verdict, f.reason);
                }
            }
        }
        let mut per_org: BTreeMap<OrgId, Vec<(Verdict, &str)>> = BTreeMap::new();
        for ((o, _), (v, reason)) in &per_asset {
            per_org.entry(*o).or_default().push((*v, reason.as_str()));
        }
        let verdicts: Vec<(OrgId, Verdict, String)> = per_org
            .iter()
            .map(|(o, found)| {
                let overall = matching::overall(found.iter().map(|(v, _)| *v));
                let same: Vec<&&str> = found.iter().filter(|(v, _)| *v == overall).map(|(_, r)| r).collect();
                let what = match overall {
                    Verdict::Affected => "likely affected",
                    Verdict::Unknown => "undecided",
                    Verdict::NotAffected => "checked, not affected",
                };
                let reason = format!(
                    "{} asset{} {what}: {}",
                    same.len(),
                    if same.len() == 1 { "" } else { "s" },
                    same.first().map_or("", |r| **r)
                );
                (*o, overall, reason)
            })
            .collect();
        // Only the assets behind an affected or undecided answer are kept: a sector-wide alert
        // on a common product would otherwise store a row for every asset that runs it.
        let matches: Vec<(OrgId, AssetId, Verdict, String)> = per_asset
            .into_iter()
            .filter(|(_, (v, _))| *v != Verdict::NotAffected)
            .map(|((o, a), (v, r))| (o, a, v, r))
            .collect();
        self.store
            .save_matching(alert.id, org, &verdicts, &matches, self.now_ms())
            .await?;
        Ok(())
    }

    /// After an organisation's assets change, its pre-fills for every alert in force follow.
    pub(crate) async fn rematch_org(&self, org: OrgId) -> Result<(), CoreError> {
        for alert in self.store.published_alerts().await? {
            self.match_alert(&alert, Some(org)).await?;
        }
        Ok(())
    }

    /// The organisation's alert record, newest first.
    pub async fn alert_record(&self, scope: &Scope, page: PageRequest) -> Result<Page<ResponseView>, CoreError> {
        scope.require(Permission::AlertsView)?;
        let now = self.now_ms();
        let p = self.store.responses_of(scope.org_id(), page).await?;
        Ok(Page {
            items: p
                .items
                .into_iter()
                .map(|(a, r)| response_view(&a, r, Vec::new(), Vec::new(), now))
                .collect(),
            total: p.total,
            limit: p.limit,
            offset: p.offset,
        })
    }

    /// The organisation's response to one alert, with the assets behind its pre-fill.
    pub async fn alert_response(&self, scope: &Scope, id: AlertId) -> Result<ResponseView, CoreError> {
        scope.require(Permission::AlertsView)?;
        let a = self.store.get_alert(id).await?;
        if a.status == AlertStatus::Draft {
            return Err(CoreError::NotFound);
        }
        let r = self.store.get_response(id, scope.org_id()).await?;
        let matches = self.store.alert_matches(id, scope.org_id()).await?;
        let updates = self.store.alert_updates(id, scope.org_id()).await?;
        Ok(response_view(&a, r, matches, updates, self.now_ms()))
    }

    /// Takes one step of the organisation's response.
    pub async fn respond(&self, scope: &Scope, id: AlertId, step: &ResponseStep) -> Result<ResponseView, CoreError> {
        scope.require(Permission::AlertsRespond)?;
        self.respond_for(scope, scope.org_id(), id, step).await?;
        self.alert_response(scope, id).await
    }

    async fn respond_for(&self, scope: &Scope, org: OrgId, id: AlertId, step: &ResponseStep) -> Result<(), CoreError> {
        let a = self.store.get_alert(id).await?;
        if a.status != AlertStatus::Published {
            return Err(CoreError::Conflict("this alert is not in force".into()));
        }
        let before = self.store.get_response(id, org).await?;
        if before.closed_at.is_some() {
            return Err(CoreError::Conflict("this response is closed".into()));
        }
        let now = self.now_ms();
        let by = scope.actor.label();
        let on_behalf = (org != scope.org_id()).then(|| scope.org.name.clone());
        let mut after = before.clone();
        let mut changes = json!({"step": step.name(), "on_behalf_of_group": on_behalf});
        match step {
            ResponseStep::Acknowledge => {
                if before.acknowledged_at.is_some() {
                    return Err(CoreError::Conflict("already acknowledged".into()));
                }
                after.acknowledged_at = Some(now);
                after.acknowledged_by = Some(by.clone());
            }
            ResponseStep::Applicability {
                applicability,
                reason,
                justification,
            } => {
                let v = Verdict::parse(applicability)
                    .ok_or_else(|| CoreError::field("applicability", "is not affected, not_affected or unknown"))?;
                let reason = reason.trim();
                if let Some(j) = justification
                    && !JUSTIFICATIONS.iter().any(|(code, _)| code == j)
                {
                    return Err(CoreError::field(
                        "justification",
                        "is not one of the VEX justifications",
                    ));
                }
                if v == Verdict::NotAffected && justification.is_none() && reason.is_empty() {
                    return Err(CoreError::field(
                        "reason",
                        "say why it does not apply, or choose a justification",
                    ));
                }
                if v != before.prefill && reason.is_empty() {
                    return Err(CoreError::field(
                        "reason",
                        "overriding the pre-filled answer needs a reason",
                    ));
                }
                if reason.len() > 5000 {
                    return Err(CoreError::field("reason", "is longer than 5,000 characters"));
                }
                after.applicability = Some(v);
                after.applicability_reason = (!reason.is_empty()).then(|| reason.to_owned());
                after.justification = if v == Verdict::NotAffected {
                    justification.clone()
                } else {
                    None
                };
                if after.acknowledged_at.is_none() {
                    after.acknowledged_at = Some(now);
                    after.acknowledged_by = Some(by.clone());
                }
                changes["applicability"] = json!(v.as_str());
                changes["prefill"] = json!(before.prefill.as_str());
            }
            ResponseStep::Update { body } => {
                let body = body.trim();
                if body.is_empty() || body.len() > 10_000 {
                    return Err(CoreError::field("body", "write the update (at most 10,000 characters)"));
                }
                if before.acknowledged_at.is_none() {
                    return Err(CoreError::Conflict("acknowledge the alert first".into()));
                }
                let audit = self.audit(Some(&scope.actor), Some(org), "alert.response", "alert", id, changes);
                let update = AlertUpdate {
                    body: body.to_owned(),
                    posted_by: by,
                    posted_at: now,
                };
                self.store
                    .add_alert_update(AlertUpdateId(self.new_uuid()), id, org, &update, &audit)
                    .await?;
                return Ok(());
            }
            ResponseStep::Close { remediation } => {
                let remediation = remediation.trim();
                if remediation.is_empty() || remediation.len() > 10_000 {
                    return Err(CoreError::field(
                        "remediation",
                        "say what was done (at most 10,000 characters)",
                    ));
                }
                if before.acknowledged_at.is_none() {
                    after.acknowledged_at = Some(now);
                    after.acknowledged_by = Some(by.clone());
                }
                if after.applicability.is_none() {
                    after.applicability = Some(before.prefill);
                }
                after.closed_at = Some(now);
                after.closed_by = Some(by.clone());
                after.remediation = Some(remediation.to_owned());
            }
        }
        let audit = self.audit(Some(&scope.actor), Some(org), "alert.response", "alert", id, changes);
        self.store.save_response(&after, &audit).await?;
        Ok(())
    }

    /// A group answers for the members that let it: the same step for each organisation
    /// named; those that have not allowed it, or where the step does not fit, are listed.
    pub async fn respond_for_members(
        &self,
        scope: &Scope,
        id: AlertId,
        members: &[OrgId],
        step: &ResponseStep,
    ) -> Result<Vec<(OrgId, Result<(), String>)>, CoreError> {
        scope.require(Permission::AlertsRespond)?;
        let allowed: Vec<OrgId> = self
            .store
            .delegated_to(scope.org_id())
            .await?
            .into_iter()
            .map(|(o, _)| o)
            .collect();
        let mut out = Vec::new();
        for m in members {
            if !allowed.contains(m) {
                out.push((
                    *m,
                    Err("this organisation has not let the group answer for it".to_owned()),
                ));
                continue;
            }
            let done = self.respond_for(scope, *m, id, step).await.map_err(|e| e.to_string());
            out.push((*m, done));
        }
        Ok(out)
    }

    /// The members that let this organisation answer for them.
    pub async fn alert_members(&self, scope: &Scope) -> Result<Vec<(OrgId, String)>, CoreError> {
        scope.require(Permission::AlertsView)?;
        Ok(self.store.delegated_to(scope.org_id()).await?)
    }

    /// An organisation lets its parent group answer alerts for it, or stops it.
    pub async fn allow_group_responses(&self, scope: &Scope, allow: bool) -> Result<Option<OrgId>, CoreError> {
        scope.require(Permission::AlertsDelegate)?;
        let group = if allow {
            Some(
                scope
                    .org
                    .parent_id
                    .ok_or_else(|| CoreError::field("allow", "this organisation has no parent group"))?,
            )
        } else {
            None
        };
        let audit = self.audit(
            Some(&scope.actor),
            Some(scope.org_id()),
            "alert.delegation",
            "org",
            scope.org_id(),
            json!({"group": group.map(|g| g.to_string())}),
        );
        self.store
            .set_alert_delegation(scope.org_id(), group, &scope.actor.label(), self.now_ms(), &audit)
            .await?;
        Ok(group)
    }

    pub async fn alert_delegation(&self, scope: &Scope) -> Result<Option<OrgId>, CoreError> {
        scope.require(Permission::AlertsView)?;
        Ok(self.store.alert_delegation(scope.org_id()).await?)
    }

    /// The sector's (or remit's) response to one alert, and a page of the organisations in
    /// the chosen state.
    pub async fn alert_exposure(
        &self,
        scope: &Scope,
        id: AlertId,
        filter: &str,
        page: PageRequest,
    ) -> Result<ExposureView, CoreError> {
        let remit = self.sector_of(scope)?;
        let parsed = ResponseFilter::parse(filter).ok_or_else(|| {
            CoreError::field(
                "state",
                "is not all, affected, unknown, acknowledged, overdue or remediated",
            )
        })?;
        let a = self.store.get_alert(id).await?;
        if a.status == AlertStatus::Draft {
            return Err(CoreError::NotFound);
        }
        let view = alert_view(&a);
        let now = self.now_ms();
        let Exposure {
            organisations,
            affected,
            unknown,
            acknowledged,
            overdue,
            remediated,
        } = self.store.exposure(id, remit, view.acknowledge_by, now).await?;
        let p = self
            .store
            .exposure_page(id, remit, parsed, view.acknowledge_by, now, page)
            .await?;
        let responses = Page {
            items: p
                .items
                .into_iter()
                .map(|r| response_view(&a, r, Vec::new(), Vec::new(), now))
                .collect(),
            total: p.total,
            limit: p.limit,
            offset: p.offset,
        };
        let filter = match parsed {
            ResponseFilter::All => "all",
            ResponseFilter::Affected => "affected",
            ResponseFilter::Unknown => "unknown",
            ResponseFilter::Acknowledged => "acknowledged",
            ResponseFilter::Overdue => "overdue",
            ResponseFilter::Remediated => "remediated",
        };
        Ok(ExposureView {
            alert: view,
            organisations,
            affected,
            unknown,
            acknowledged,
            overdue,
            remediated,
            filter,
            responses,
        })
    }

    /// One organisation's response as the sector view drills into it (its matches too).
    pub async fn exposure_detail(&self, scope: &Scope, id: AlertId, org: OrgId) -> Result<ResponseView, CoreError> {
        let remit = self.sector_of(scope)?;
        let target = self.store.get_org(org).await?;
        if remit.is_some() && target.regulator_id != remit {
            return Err(CoreError::NotFound);
        }
        let a = self.store.get_alert(id).await?;
        let r = self.store.get_response(id, org).await?;
        let matches = self.store.alert_matches(id, org).await?;
        let updates = self.store.alert_updates(id, org).await?;
        Ok(response_view(&a, r, matches, updates, self.now_ms()))
    }

    /// One organisation's alert record over time, as the national team (or its regulator)
    /// sees it.
    pub async fn member_alert_record(
        &self,
        scope: &Scope,
        org: OrgId,
        page: PageRequest,
    ) -> Result<Page<ResponseView>, CoreError> {
        let remit = self.sector_of(scope)?;
        let target = self.store.get_org(org).await?;
        if remit.is_some() && target.regulator_id != remit {
            return Err(CoreError::NotFound);
        }
        let now = self.now_ms();
        let p = self.store.responses_of(org, page).await?;
        Ok(Page {
            items: p
                .items
                .into_iter()
                .map(|(a, r)| response_view(&a, r, Vec::new(), Vec::new(), now))
                .collect(),
            total: p.total,
            limit: p.limit,
            offset: p.offset,
        })
    }
}
