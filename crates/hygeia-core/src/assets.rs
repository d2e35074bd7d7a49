//! The asset register: imports (CSV, CycloneDX, SPDX) with a dry run, the support status of
//! every asset and product, the unsupported systems report with its treatments, the sector's
//! end-of-life census, and offline updates of the lifecycle catalogue.

use crate::{Actor, CoreError, Hygeia, Scope};
use hygeia_domain::assessments::oscal::ImportError;
use hygeia_domain::assets::asset::{AssetInput, AssetKind, Diff, SoftwareInput, diff};
use hygeia_domain::assets::dictionary::Dictionary;
use hygeia_domain::assets::lifecycle::{self, Catalogue, Product, Release, Support};
use hygeia_domain::assets::{csv_import, endoflife, sbom};
use hygeia_domain::ids::{AssetId, OrgId, TreatmentId};
use hygeia_domain::org::OrgType;
use hygeia_domain::page::{Page, PageRequest};
use hygeia_domain::permissions::Permission;
use hygeia_store::model::{AssetRecord, SoftwareRecord, Treatment, TreatmentKind};
use jiff::civil::Date;
use serde::Serialize;
use serde_json::json;
use std::collections::HashMap;

/// The largest asset or lifecycle file read; callers refuse bigger ones before reading them.
pub const MAX_ASSET_FILE_BYTES: u64 = 64 * 1024 * 1024;

/// How long a built dictionary serves before the catalogue is read again (another process may
/// have imported a lifecycle update).
pub const DICTIONARY_CACHE_TTL: std::time::Duration = std::time::Duration::from_secs(60);

/// How soon "ending soon" starts, unless a caller asks for another window.
pub const DEFAULT_WARN_DAYS: i32 = 90;

pub(crate) fn import_error(file: &str, e: ImportError) -> CoreError {
    CoreError::field(&format!("{file} {}", e.location), &e.message)
}

#[derive(Debug, Clone, Default)]
pub struct ImportOptions {
    /// CSV header → column, for headers the built-in alternatives do not know.
    pub mapping: HashMap<String, String>,
    /// Only show what would change.
    pub dry_run: bool,
    /// Keep assets of this source that the file no longer lists (default: remove them).
    pub keep_missing: bool,
}

#[derive(Debug, Clone, Serialize)]
pub struct ImportReport {
    pub format: &'static str,
    pub source: String,
    pub dry_run: bool,
    pub assets: usize,
    pub software: usize,
    pub diff: Diff,
    /// Identities the dictionary could not place in the lifecycle catalogue (kept, with an
    /// unknown support status): the first hundred, and how many in all.
    pub unknown: Vec<String>,
    pub unknown_count: usize,
    pub ignored_headers: Vec<String>,
}

/// A product an asset runs, with where the catalogue places it and its status.
#[derive(Debug, Clone, Serialize)]
pub struct SoftwareView {
    pub identity: String,
    pub version: Option<String>,
    pub is_os: bool,
    pub product: Option<String>,
    pub release: Option<String>,
    pub support: Support,
    /// The last day of security support (or of extended updates, when enrolled).
    pub support_ends: Option<Date>,
}

#[derive(Debug, Clone, Serialize)]
pub struct AssetView {
    pub id: AssetId,
    pub key: String,
    pub name: String,
    pub kind: AssetKind,
    pub hostname: Option<String>,
    pub addresses: Vec<String>,
    pub owner: Option<String>,
    pub location: Option<String>,
    pub criticality: hygeia_domain::assets::asset::Criticality,
    pub essential_services: Vec<String>,
    pub internet_facing: bool,
    pub manufacturer: Option<String>,
    pub model: Option<String>,
    pub patchable: Option<bool>,
    pub esu_enrolled: bool,
    pub source: String,
    /// The worst status of what it runs; unknown only when nothing it runs is known.
    pub support: Support,
    pub software: Vec<SoftwareView>,
    pub updated_at: i64,
}

/// One line of the unsupported systems report.
#[derive(Debug, Clone, Serialize)]
pub struct UnsupportedItem {
    pub asset_id: AssetId,
    pub asset_key: String,
    pub asset_name: String,
    pub kind: AssetKind,
    pub identity: String,
    pub product_id: String,
    pub cycle: String,
    pub release: String,
    pub support: Support,
    pub support_ends: Option<Date>,
    /// `untreated`, `plan`, `accepted`, or `acceptance_expired` (the item is open again).
    pub treatment_state: &'static str,
    pub treatment: Option<TreatmentView>,
}

#[derive(Debug, Clone, Serialize)]
pub struct TreatmentView {
    pub kind: &'static str,
    pub detail: String,
    pub target_date: Option<String>,
    pub signed_by: Option<String>,
    pub recorded_by: String,
    pub recorded_at: i64,
}

#[derive(Debug, Clone, Serialize)]
pub struct UnsupportedReport {
    pub today: Date,
    pub unsupported: Vec<UnsupportedItem>,
    pub ending_soon: Vec<UnsupportedItem>,
    pub open_items: usize,
}

/// One line of the census.
#[derive(Debug, Clone, Serialize)]
pub struct CensusLine {
    pub product_id: String,
    pub product: String,
    pub cycle: String,
    pub release: String,
    pub security_end: Option<Date>,
    pub esu_end: Option<Date>,
    /// The status for an asset without extended updates.
    pub support: Support,
    pub organisations: u64,
    pub assets: u64,
    pub assets_in_esu: u64,
}

#[derive(Debug, Clone, Serialize)]
pub struct LifecycleImport {
    pub product: String,
    pub cycles: usize,
    pub added: Vec<String>,
    pub changed: Vec<String>,
    pub newly_placed: usize,
}

/// What an import reads from a file.
enum Parsed {
    Csv(csv_import::CsvAssets),
    Sbom(Box<AssetInput>, &'static str),
}

fn parse(file: &str, text: &str, options: &ImportOptions) -> Result<Parsed, CoreError> {
    if let Some(format) = sbom::detect(text) {
        let name = match format {
            sbom::SbomFormat::CycloneDxJson => "CycloneDX JSON",
            sbom::SbomFormat::CycloneDxXml => "CycloneDX XML",
            sbom::SbomFormat::SpdxJson => "SPDX JSON",
        };
        let asset = sbom::read(text).map_err(|e| import_error(file, e))?;
        return Ok(Parsed::Sbom(Box::new(asset), name));
    }
    let head = text.trim_start_matches('\u{feff}').trim_start();
    if head.starts_with('{') || head.starts_with('<') || head.starts_with('[') {
        return Err(import_error(
            file,
            ImportError {
                location: "line 1".into(),
                message: "not CSV, CycloneDX (JSON or XML) or SPDX JSON".into(),
            },
        ));
    }
    csv_import::read(text, &options.mapping)
        .map(Parsed::Csv)
        .map_err(|e| import_error(file, e))
}

/// The support status of one release for one asset.
fn status_of(release: Option<&Release>, today: Date, esu: bool, warn: i32) -> (Support, Option<Date>) {
    match release {
        Some(r) => (
            lifecycle::support(r, today, esu, warn),
            lifecycle::support_ends(r, today, esu),
        ),
        None => (Support::Unknown, None),
    }
}

fn find_release<'a>(
    dictionary: &'a Dictionary,
    product: Option<&str>,
    cycle: Option<&str>,
) -> Option<(&'a Product, &'a Release)> {
    let p = dictionary.product(product?)?;
    let r = p.releases.iter().find(|r| Some(r.cycle.as_str()) == cycle)?;
    Some((p, r))
}

/// Reads a stored record back into the form imports compare.
fn as_input(r: &AssetRecord) -> AssetInput {
    let os = r.software.iter().find(|s| s.is_os).map(|s| SoftwareInput {
        identity: s.identity.clone(),
        version: s.given_version.clone(),
    });
    AssetInput {
        key: r.key.clone(),
        name: r.name.clone(),
        kind: r.kind,
        hostname: r.hostname.clone(),
        addresses: r.addresses.clone(),
        owner: r.owner.clone(),
        location: r.location.clone(),
        criticality: r.criticality,
        essential_services: r.essential_services.clone(),
        internet_facing: r.internet_facing,
        manufacturer: r.manufacturer.clone(),
        model: r.model.clone(),
        patchable: r.patchable,
        esu_enrolled: r.esu_enrolled,
        os,
        software: r
            .software
            .iter()
            .filter(|s| !s.is_os)
            .map(|s| SoftwareInput {
                identity: s.identity.clone(),
                version: s.given_version.clone(),
            })
            .collect(),
    }
}

/// The software records of an asset: each identity read and placed by the dictionary.
/// Places identities through the dictionary, once per distinct identity and version: a
/// register names the same few hundred products thousands of times.
pub(crate) struct Placer<'a> {
    dictionary: &'a Dictionary,
    seen: HashMap<(String, Option<String>), SoftwareRecord>,
}

impl<'a> Placer<'a> {
    pub(crate) fn new(dictionary: &'a Dictionary) -> Self {
        Placer {
            dictionary,
            seen: HashMap::new(),
        }
    }

    fn place(&mut self, s: &SoftwareInput, is_os: bool) -> Result<SoftwareRecord, String> {
        let memo = (s.identity.clone(), s.version.clone());
        if let Some(found) = self.seen.get(&memo) {
            return Ok(SoftwareRecord { is_os, ..found.clone() });
        }
        let id = s.parsed()?;
        let placed = self.dictionary.resolve(&id);
        let generic = id.scheme == hygeia_domain::assets::version::Scheme::Generic;
        let record = SoftwareRecord {
            is_os,
            identity: s.identity.clone(),
            given_version: s.version.clone(),
            kind: id.kind,
            product_key: id.product_key(),
            version: id.version.clone(),
            scheme: placed.map_or(id.scheme, |p| if generic { p.product.scheme } else { id.scheme }),
            product_id: placed.map(|p| p.product.id.clone()),
            cycle: placed.and_then(|p| p.release.map(|r| r.cycle.clone())),
        };
        self.seen.insert(memo, record.clone());
        Ok(record)
    }

    /// The software records of an asset: its operating system first, then what it runs.
    pub(crate) fn records(&mut self, a: &AssetInput) -> Result<Vec<SoftwareRecord>, String> {
        let mut out = Vec::with_capacity(a.software.len() + 1);
        if let Some(o) = &a.os {
            out.push(self.place(o, true)?);
        }
        for s in &a.software {
            out.push(self.place(s, false)?);
        }
        Ok(out)
    }
}

impl Hygeia {
    /// The lifecycle catalogue in force: the built-in facts with imported updates laid over.
    pub async fn lifecycle_catalogue(&self) -> Result<Catalogue, CoreError> {
        let mut catalogue = lifecycle::builtin();
        for (document, _, _, _) in self.store.lifecycle_updates().await? {
            let product: Product =
                serde_json::from_str(&document).map_err(|e| CoreError::Internal(format!("lifecycle update: {e}")))?;
            match catalogue.products.iter_mut().find(|p| p.id == product.id) {
                Some(p) => *p = product,
                None => catalogue.products.push(product),
            }
        }
        Ok(catalogue)
    }

    /// The dictionary over the catalogue in force, built at most once a minute: building it
    /// reads the catalogue's updates and parses the built-in facts.
    pub async fn dictionary(&self) -> Result<std::sync::Arc<Dictionary>, CoreError> {
        if let Ok(cached) = self.dictionary.lock()
            && let Some((at, d)) = cached.as_ref()
            && at.elapsed() < DICTIONARY_CACHE_TTL
        {
            return Ok(d.clone());
        }
        let built = std::sync::Arc::new(Dictionary::new(self.lifecycle_catalogue().await?));
        if let Ok(mut cached) = self.dictionary.lock() {
            *cached = Some((std::time::Instant::now(), built.clone()));
        }
        Ok(built)
    }

    fn forget_dictionary(&self) {
        if let Ok(mut cached) = self.dictionary.lock() {
            *cached = None;
        }
    }

    pub(crate) fn today_in(&self, time_zone: &str) -> Date {
        let tz = jiff::tz::TimeZone::get(time_zone).unwrap_or(jiff::tz::TimeZone::UTC);
        jiff::Timestamp::from_millisecond(self.now_ms())
            .map(|t| t.to_zoned_datetime(tz).date())
            .unwrap_or(Date::constant(2000, 1, 1))
    }

    /// Imports a register (CSV) or an SBOM into the organisation. `progress` hears how many
    /// assets of how many have been read. A dry run stores nothing and says what would change.
    pub async fn import_assets(
        &self,
        scope: &Scope,
        file: &str,
        text: &str,
        options: &ImportOptions,
        progress: Option<&(dyn Fn(usize, usize) + Sync)>,
    ) -> Result<ImportReport, CoreError> {
        scope.require(if options.dry_run {
            Permission::AssetsView
        } else {
            Permission::AssetsManage
        })?;
        let (incoming, format, source, ignored_headers) = match parse(file, text, options)? {
            Parsed::Csv(c) => (c.assets, "CSV", "csv".to_owned(), c.ignored_headers),
            Parsed::Sbom(a, format) => {
                let source = format!("sbom:{}", a.key);
                (vec![*a], format, source, Vec::new())
            }
        };
        self.write_assets(scope, &incoming, format, &source, options, ignored_headers, progress)
            .await
    }

    /// Adds or replaces one asset by hand (the form and the API): the same path as an import
    /// of one row, with the source `manual`, removing nothing.
    pub async fn save_asset(&self, scope: &Scope, input: AssetInput) -> Result<AssetView, CoreError> {
        scope.require(Permission::AssetsManage)?;
        input.check()?;
        let options = ImportOptions {
            keep_missing: true,
            ..ImportOptions::default()
        };
        self.write_assets(
            scope,
            std::slice::from_ref(&input),
            "form",
            "manual",
            &options,
            Vec::new(),
            None,
        )
        .await?;
        // Found by its key among the hand-made assets (a search would fold `_` and `%`).
        let record = self
            .store
            .assets_of_source(scope.org_id(), "manual")
            .await?
            .into_iter()
            .find(|a| a.key == input.key)
            .ok_or(CoreError::NotFound)?;
        let dictionary = self.dictionary().await?;
        Ok(self.view(scope, &dictionary, record, DEFAULT_WARN_DAYS))
    }

    #[allow(clippy::too_many_arguments)]
    async fn write_assets(
        &self,
        scope: &Scope,
        incoming: &[AssetInput],
        format: &'static str,
        source: &str,
        options: &ImportOptions,
        ignored_headers: Vec<String>,
        progress: Option<&(dyn Fn(usize, usize) + Sync)>,
    ) -> Result<ImportReport, CoreError> {
        let org = scope.org_id();
        let existing = self.store.assets_of_source(org, source).await?;
        let before: Vec<AssetInput> = existing.iter().map(as_input).collect();
        let mut change = diff(&before, incoming);
        if options.keep_missing {
            change.removed.clear();
        }
        let dictionary = self.dictionary().await?;
        let mut placer = Placer::new(&dictionary);
        let ids: HashMap<&str, AssetId> = existing.iter().map(|a| (a.key.as_str(), a.id)).collect();
        let now = self.now_ms();
        let by = scope.actor.label();
        let mut records = Vec::with_capacity(incoming.len());
        let mut unknown = Vec::new();
        let mut unknown_count = 0;
        let mut software = 0;
        for (i, a) in incoming.iter().enumerate() {
            let rows = placer
                .records(a)
                .map_err(|m| CoreError::field(&format!("{} software", a.key), &m))?;
            for r in rows.iter().filter(|r| r.product_id.is_none() || r.cycle.is_none()) {
                unknown_count += 1;
                if unknown.len() < 100 && !unknown.contains(&r.identity) {
                    unknown.push(r.identity.clone());
                }
            }
            software += rows.len();
            records.push(AssetRecord {
                id: ids
                    .get(a.key.as_str())
                    .copied()
                    .unwrap_or_else(|| AssetId(self.new_uuid())),
                org_id: org,
                key: a.key.clone(),
                name: a.name.clone(),
                kind: a.kind,
                hostname: a.hostname.clone(),
                addresses: a.addresses.clone(),
                owner: a.owner.clone(),
                location: a.location.clone(),
                criticality: a.criticality,
                essential_services: a.essential_services.clone(),
                internet_facing: a.internet_facing,
                manufacturer: a.manufacturer.clone(),
                model: a.model.clone(),
                patchable: a.patchable,
                esu_enrolled: a.esu_enrolled,
                source: source.to_owned(),
                software: rows,
                created_by: by.clone(),
                created_at: now,
                updated_by: by.clone(),
                updated_at: now,
            });
            if let Some(p) = progress
                && (i % 500 == 0 || i + 1 == incoming.len())
            {
                p(i + 1, incoming.len());
            }
        }
        let report = ImportReport {
            format,
            source: source.to_owned(),
            dry_run: options.dry_run,
            assets: incoming.len(),
            software,
            diff: change,
            unknown,
            unknown_count,
            ignored_headers,
        };
        if options.dry_run {
            return Ok(report);
        }
        // Only what changed is written: an unchanged asset keeps its rows and its dates.
        let touched: std::collections::HashSet<&str> = report
            .diff
            .added
            .iter()
            .chain(report.diff.changed.iter().map(|(k, _)| k))
            .map(String::as_str)
            .collect();
        records.retain(|r| touched.contains(r.key.as_str()));
        let removed: Vec<AssetId> = report
            .diff
            .removed
            .iter()
            .filter_map(|k| ids.get(k.as_str()).copied())
            .collect();
        let audit = self.audit(
            Some(&scope.actor),
            Some(org),
            "assets.import",
            "assets",
            source,
            json!({
                "format": format, "assets": report.assets, "software": software,
                "added": report.diff.added.len(), "changed": report.diff.changed.len(), "removed": removed.len(),
            }),
        );
        self.store.save_assets(org, &records, &removed, &audit).await?;
        self.rematch_org(org).await?;
        Ok(report)
    }

    fn view(&self, scope: &Scope, dictionary: &Dictionary, a: AssetRecord, warn: i32) -> AssetView {
        let today = self.today_in(&scope.org.time_zone);
        let software: Vec<SoftwareView> = a
            .software
            .iter()
            .map(|s| {
                let found = find_release(dictionary, s.product_id.as_deref(), s.cycle.as_deref());
                let (support, ends) = status_of(found.map(|(_, r)| r), today, a.esu_enrolled, warn);
                SoftwareView {
                    identity: s.identity.clone(),
                    version: s.version.clone(),
                    is_os: s.is_os,
                    product: found.map(|(p, _)| p.name.clone()).or_else(|| {
                        s.product_id
                            .as_ref()
                            .and_then(|id| dictionary.product(id).map(|p| p.name.clone()))
                    }),
                    release: found.map(|(p, r)| r.label(p)),
                    support,
                    support_ends: ends,
                }
            })
            .collect();
        let known: Vec<Support> = software
            .iter()
            .map(|s| s.support)
            .filter(|s| *s != Support::Unknown)
            .collect();
        let support = known.into_iter().min().unwrap_or(Support::Unknown);
        AssetView {
            id: a.id,
            key: a.key,
            name: a.name,
            kind: a.kind,
            hostname: a.hostname,
            addresses: a.addresses,
            owner: a.owner,
            location: a.location,
            criticality: a.criticality,
            essential_services: a.essential_services,
            internet_facing: a.internet_facing,
            manufacturer: a.manufacturer,
            model: a.model,
            patchable: a.patchable,
            esu_enrolled: a.esu_enrolled,
            source: a.source,
            support,
            software,
            updated_at: a.updated_at,
        }
    }

    pub async fn assets(
        &self,
        scope: &Scope,
        kind: Option<AssetKind>,
        search: Option<&str>,
        page: PageRequest,
    ) -> Result<Page<AssetView>, CoreError> {
        scope.require(Permission::AssetsView)?;
        let dictionary = self.dictionary().await?;
        let found = self.store.assets_page(scope.org_id(), kind, search, page).await?;
        Ok(Page {
            items: found
                .items
                .into_iter()
                .map(|a| self.view(scope, &dictionary, a, DEFAULT_WARN_DAYS))
                .collect(),
            total: found.total,
            limit: found.limit,
            offset: found.offset,
        })
    }

    pub async fn asset(&self, scope: &Scope, id: AssetId) -> Result<AssetView, CoreError> {
        scope.require(Permission::AssetsView)?;
        let dictionary = self.dictionary().await?;
        let a = self.store.get_asset(scope.org_id(), id).await?;
        Ok(self.view(scope, &dictionary, a, DEFAULT_WARN_DAYS))
    }

    pub async fn delete_asset(&self, scope: &Scope, id: AssetId) -> Result<(), CoreError> {
        scope.require(Permission::AssetsManage)?;
        let a = self.store.get_asset(scope.org_id(), id).await?;
        let audit = self.audit(
            Some(&scope.actor),
            Some(scope.org_id()),
            "asset.delete",
            "asset",
            id,
            json!({"key": a.key, "name": a.name}),
        );
        self.store.delete_asset(scope.org_id(), id, &audit).await?;
        Ok(())
    }

    /// The register as CSV in the documented columns; it imports back unchanged.
    pub async fn export_assets_csv(&self, scope: &Scope) -> Result<String, CoreError> {
        scope.require(Permission::AssetsView)?;
        let all = self.store.all_assets(scope.org_id()).await?;
        let inputs: Vec<AssetInput> = all.iter().map(as_input).collect();
        Ok(csv_import::write(&inputs))
    }

    /// DSPT standard 8's report: every unsupported product on every asset, with its
    /// remediation plan or risk acceptance; an expired acceptance re-opens the item. Products
    /// whose support ends within `warn_days` are listed apart.
    pub async fn unsupported_report(&self, scope: &Scope, warn_days: i32) -> Result<UnsupportedReport, CoreError> {
        scope.require(Permission::AssetsView)?;
        let dictionary = self.dictionary().await?;
        let today = self.today_in(&scope.org.time_zone);
        let installed = self.store.installed_releases(scope.org_id()).await?;
        let mut latest: HashMap<(AssetId, String, String), Treatment> = HashMap::new();
        for t in self.store.treatments(scope.org_id()).await? {
            latest.insert((t.asset_id, t.product_id.clone(), t.cycle.clone()), t);
        }
        let mut unsupported = Vec::new();
        let mut ending_soon = Vec::new();
        for i in installed {
            let Some((product, release)) = find_release(&dictionary, Some(&i.product_id), Some(&i.cycle)) else {
                continue;
            };
            let (support, ends) = status_of(Some(release), today, i.esu_enrolled, warn_days);
            if !support.is_unsupported() && support != Support::EndingSoon {
                continue;
            }
            let t = latest.get(&(i.asset_id, i.product_id.clone(), i.cycle.clone()));
            let state = match t {
                None => "untreated",
                Some(t) if t.kind == TreatmentKind::Plan => "plan",
                Some(t) => {
                    let until = t.target_date.as_deref().and_then(|d| d.parse::<Date>().ok());
                    if until.is_some_and(|u| u >= today) {
                        "accepted"
                    } else {
                        "acceptance_expired"
                    }
                }
            };
            let item = UnsupportedItem {
                asset_id: i.asset_id,
                asset_key: i.asset_key,
                asset_name: i.asset_name,
                kind: i.kind,
                identity: i.identity,
                product_id: i.product_id,
                cycle: i.cycle,
                release: release.label(product),
                support,
                support_ends: ends,
                treatment_state: state,
                treatment: t.map(|t| TreatmentView {
                    kind: t.kind.code(),
                    detail: t.detail.clone(),
                    target_date: t.target_date.clone(),
                    signed_by: t.signed_by.clone(),
                    recorded_by: t.created_by.clone(),
                    recorded_at: t.created_at,
                }),
            };
            if support.is_unsupported() {
                unsupported.push(item)
            } else {
                ending_soon.push(item)
            }
        }
        let open_items = unsupported
            .iter()
            .filter(|i| matches!(i.treatment_state, "untreated" | "acceptance_expired"))
            .count();
        Ok(UnsupportedReport {
            today,
            unsupported,
            ending_soon,
            open_items,
        })
    }

    /// Records a remediation plan (target date) or, for the senior executive, a risk
    /// acceptance that holds until a date at most a year away.
    #[allow(clippy::too_many_arguments)]
    pub async fn treat_unsupported(
        &self,
        scope: &Scope,
        asset: AssetId,
        product_id: &str,
        cycle: &str,
        acceptance: bool,
        detail: &str,
        date: &str,
    ) -> Result<(), CoreError> {
        scope.require(if acceptance {
            Permission::UnsupportedAccept
        } else {
            Permission::AssetsManage
        })?;
        let detail = detail.trim();
        if detail.is_empty() || detail.len() > 5000 {
            return Err(CoreError::field(
                "detail",
                "say what will be done or why the risk is accepted (at most 5,000 characters)",
            ));
        }
        let today = self.today_in(&scope.org.time_zone);
        let until: Date = date
            .trim()
            .parse()
            .map_err(|_| CoreError::field("date", "is not a date (YYYY-MM-DD)"))?;
        if until < today {
            return Err(CoreError::field("date", "is in the past"));
        }
        if acceptance && until > today.saturating_add(jiff::Span::new().days(366)) {
            return Err(CoreError::field(
                "date",
                "an acceptance holds for at most a year: review it again then",
            ));
        }
        let installed = self.store.installed_releases(scope.org_id()).await?;
        if !installed
            .iter()
            .any(|i| i.asset_id == asset && i.product_id == product_id && i.cycle == cycle)
        {
            return Err(CoreError::NotFound);
        }
        // The latest treatment of an item is the one in force: keep them strictly ordered in
        // time even when two are recorded within the same millisecond.
        let before = self
            .store
            .treatments(scope.org_id())
            .await?
            .into_iter()
            .filter(|t| t.asset_id == asset && t.product_id == product_id && t.cycle == cycle)
            .map(|t| t.created_at)
            .max();
        let at = before.map_or(self.now_ms(), |b| self.now_ms().max(b + 1));
        let t = Treatment {
            id: TreatmentId(self.new_uuid()),
            org_id: scope.org_id(),
            asset_id: asset,
            product_id: product_id.to_owned(),
            cycle: cycle.to_owned(),
            kind: if acceptance {
                TreatmentKind::Acceptance
            } else {
                TreatmentKind::Plan
            },
            detail: detail.to_owned(),
            target_date: Some(until.to_string()),
            signed_by: acceptance.then(|| scope.actor.user.display_name.clone()),
            created_by: scope.actor.label(),
            created_at: at,
        };
        let audit = self.audit(
            Some(&scope.actor),
            Some(scope.org_id()),
            if acceptance {
                "unsupported.accept"
            } else {
                "unsupported.plan"
            },
            "asset",
            asset,
            json!({"product": product_id, "cycle": cycle, "until": t.target_date, "detail": t.detail}),
        );
        self.store.add_treatment(&t, &audit).await?;
        Ok(())
    }

    /// Whose organisations a sector view covers: everyone for the national team, the remit
    /// for a regulator.
    pub(crate) fn sector_of(&self, scope: &Scope) -> Result<Option<OrgId>, CoreError> {
        scope.require(Permission::SectorView)?;
        Ok(match scope.org.org_type {
            OrgType::NationalTeam => None,
            _ => Some(scope.org_id()),
        })
    }

    /// How many organisations and assets run each release, unsupported ones first; by
    /// organisation type and parent (an ICB or region) when asked. `all` includes supported
    /// releases too.
    pub async fn census(
        &self,
        scope: &Scope,
        org_type: Option<OrgType>,
        parent: Option<OrgId>,
        all: bool,
    ) -> Result<Vec<CensusLine>, CoreError> {
        let remit = self.sector_of(scope)?;
        let dictionary = self.dictionary().await?;
        let today = self.today_in(&scope.org.time_zone);
        let rows = self.store.census(remit, org_type.map(|t| t.code()), parent).await?;
        let mut out: Vec<CensusLine> = rows
            .into_iter()
            .filter_map(|r| {
                let (product, release) = find_release(&dictionary, Some(&r.product_id), Some(&r.cycle))?;
                let support = lifecycle::support(release, today, false, DEFAULT_WARN_DAYS);
                (all || support != Support::Supported).then(|| CensusLine {
                    product_id: r.product_id,
                    product: product.name.clone(),
                    cycle: r.cycle,
                    release: release.label(product),
                    security_end: release.security_end,
                    esu_end: release.esu_end,
                    support,
                    organisations: r.orgs,
                    assets: r.assets,
                    assets_in_esu: r.esu_assets,
                })
            })
            .collect();
        out.sort_by(|a, b| {
            a.support
                .cmp(&b.support)
                .then(b.assets.cmp(&a.assets))
                .then(a.release.cmp(&b.release))
        });
        Ok(out)
    }

    /// Lays an endoflife.date product page (`.md`) or release-data file (`.json`) over the
    /// catalogue, with its provenance, then places software the update now covers. Platform
    /// administrators, or the command line.
    pub async fn import_lifecycle(
        &self,
        actor: Option<&Actor>,
        file: &str,
        text: &str,
        source: &str,
    ) -> Result<LifecycleImport, CoreError> {
        if let Some(a) = actor
            && (!a.user.is_platform_admin || a.read_only())
        {
            return Err(CoreError::Forbidden(
                "only platform administrators update the lifecycle catalogue",
            ));
        }
        let stem = std::path::Path::new(file)
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_default();
        let update = if text.trim_start().starts_with("---") {
            endoflife::parse_product_page(text, &stem)
        } else {
            endoflife::parse_release_data(text, &stem, &stem)
        }
        .map_err(|e| import_error(file, e))?;
        let mut update = update;
        update.source = if source.trim().is_empty() {
            format!("endoflife.date file {file}")
        } else {
            source.trim().to_owned()
        };
        let catalogue = self.lifecycle_catalogue().await?;
        let base = catalogue.products.iter().find(|p| p.id == update.id).cloned();
        let merged = match &base {
            Some(b) => endoflife::merge(b, &update),
            None => update.clone(),
        };
        let added: Vec<String> = update
            .releases
            .iter()
            .filter(|r| {
                base.as_ref()
                    .is_none_or(|b| !b.releases.iter().any(|x| x.cycle == r.cycle))
            })
            .map(|r| r.cycle.clone())
            .collect();
        let changed: Vec<String> = merged
            .releases
            .iter()
            .filter(|r| {
                base.as_ref()
                    .and_then(|b| b.releases.iter().find(|x| x.cycle == r.cycle))
                    .is_some_and(|x| x != *r)
            })
            .map(|r| r.cycle.clone())
            .collect();
        let document = serde_json::to_string(&merged).map_err(|e| CoreError::Internal(e.to_string()))?;
        let by = actor.map_or_else(|| "command line".to_owned(), Actor::label);
        let audit = self.audit(
            actor,
            None,
            "lifecycle.import",
            "lifecycle_product",
            &merged.id,
            json!({"file": file, "source": update.source, "added": added, "changed": changed}),
        );
        self.store
            .save_lifecycle_update(&merged.id, &document, &update.source, &by, self.now_ms(), &audit)
            .await?;
        self.forget_dictionary();
        let newly_placed = self.place_unresolved().await?;
        Ok(LifecycleImport {
            product: merged.id,
            cycles: merged.releases.len(),
            added,
            changed,
            newly_placed,
        })
    }

    /// Places software rows the dictionary could not place before; how many it now places.
    async fn place_unresolved(&self) -> Result<usize, CoreError> {
        let dictionary = self.dictionary().await?;
        let mut after = None;
        let mut placed = 0;
        loop {
            let rows = self.store.unresolved_software(after, 2000).await?;
            let Some(last) = rows.last() else { break };
            after = Some((last.0, last.1));
            let mut updates = Vec::new();
            for (asset, ord, identity, version) in &rows {
                let Ok(id) = SoftwareInput::new(identity, version.as_deref()).parsed() else {
                    continue;
                };
                if let Some(r) = dictionary.resolve(&id) {
                    updates.push((*asset, *ord, r.product.id.clone(), r.release.map(|x| x.cycle.clone())));
                }
            }
            placed += updates.len();
            if !updates.is_empty() {
                self.store.set_resolutions(&updates).await?;
            }
        }
        Ok(placed)
    }
}
