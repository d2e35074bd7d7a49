//! The framework library's use cases: import (OSCAL catalogs, CISO Assistant libraries and our
//! own files, told apart by their content), list and export. Frameworks are shared by every
//! organisation; only platform administrators and the command line add to the library.

use crate::{Actor, CoreError, Hygeia};
use hygeia_domain::assessments::framework::{Framework, Profile, validate};
use hygeia_domain::assessments::library_format::{self, FileKind, detect};
use hygeia_domain::assessments::oscal::{self, ImportError};
use hygeia_domain::assessments::oscal_profile;
use hygeia_domain::assessments::{builtin, ciso_assistant};
use hygeia_domain::ids::FrameworkId;
use hygeia_store::model::StoredFramework;
use serde_json::json;
use std::sync::Arc;

/// How long a cached framework version is used before it is read again (profiles can change).
pub const FRAMEWORK_CACHE_TTL: std::time::Duration = std::time::Duration::from_secs(60);

/// The largest framework file read (the full NIST SP 800-53 catalog is about 10 MB).
pub const MAX_FRAMEWORK_BYTES: usize = 64 * 1024 * 1024;

fn import_error(file: &str, e: ImportError) -> CoreError {
    CoreError::field(&format!("{file} {}", e.location), &e.message)
}

impl Hygeia {
    /// Reads a framework file (`file` names it in errors) and adds it to the library; nothing
    /// is stored unless all of it is valid.
    pub async fn import_framework(
        &self,
        actor: Option<&Actor>,
        file: &str,
        text: &str,
        key: Option<&str>,
    ) -> Result<StoredFramework, CoreError> {
        if let Some(a) = actor
            && (!a.user.is_platform_admin || a.read_only())
        {
            return Err(CoreError::Forbidden(
                "only platform administrators add to the framework library",
            ));
        }
        if text.len() > MAX_FRAMEWORK_BYTES {
            return Err(CoreError::TooLarge {
                limit_bytes: MAX_FRAMEWORK_BYTES as u64,
            });
        }
        let framework: Framework = match detect(text) {
            Some(FileKind::Oscal) => oscal::catalog(text, key).map_err(|e| import_error(file, e))?,
            Some(FileKind::CisoAssistant) => ciso_assistant::library(text, key).map_err(|e| import_error(file, e))?,
            Some(FileKind::Hygeia) => {
                let mut f = library_format::parse(text).map_err(|e| import_error(file, e))?;
                if let Some(k) = key {
                    f.key = k.to_owned();
                }
                f
            }
            Some(FileKind::Mapping) => {
                return Err(CoreError::field(
                    file,
                    "is a hygeia.mapping/v1 file, which pairs two frameworks: import it as a mapping",
                ));
            }
            Some(FileKind::OscalProfile) => {
                return Err(CoreError::field(
                    file,
                    "is an OSCAL profile, which selects from a catalog: import the catalog first, then the profile naming it (hygeia framework import FILE --catalog KEY/VERSION, or ?catalog=KEY/VERSION in the API)",
                ));
            }
            None => {
                return Err(CoreError::field(
                    file,
                    "is neither an OSCAL catalog, a hygeia.framework/v1 file (JSON whose first key is \"catalog\" or \"format\") nor a CISO Assistant library (YAML with \"objects:\")",
                ));
            }
        };
        validate(&framework).map_err(CoreError::from)?;
        self.store_framework(actor, &framework, "imported", file).await
    }

    /// Reads an OSCAL profile and adds the selection it makes from `catalog` (`KEY/VERSION`
    /// of a framework already in the library) as a framework of its own.
    pub async fn import_profile(
        &self,
        actor: Option<&Actor>,
        file: &str,
        text: &str,
        key: Option<&str>,
        catalog: &str,
    ) -> Result<StoredFramework, CoreError> {
        if let Some(a) = actor
            && (!a.user.is_platform_admin || a.read_only())
        {
            return Err(CoreError::Forbidden(
                "only platform administrators add to the framework library",
            ));
        }
        if text.len() > MAX_FRAMEWORK_BYTES {
            return Err(CoreError::TooLarge {
                limit_bytes: MAX_FRAMEWORK_BYTES as u64,
            });
        }
        if detect(text) != Some(FileKind::OscalProfile) {
            return Err(CoreError::field(
                file,
                "is not an OSCAL profile (its first key must be \"profile\")",
            ));
        }
        let (catalog_key, catalog_version) = catalog.split_once('/').ok_or_else(|| {
            CoreError::field(
                "catalog",
                "give the catalog as KEY/VERSION, for example nist-sp-800-53/5.0.1",
            )
        })?;
        let meta = self
            .store
            .find_framework(catalog_key, catalog_version)
            .await?
            .ok_or_else(|| CoreError::field("catalog", &format!("'{catalog}' is not in the framework library")))?;
        let source = self.framework_by_id(meta.id).await?;
        let framework = oscal_profile::resolve(text, &source, key).map_err(|e| import_error(file, e))?;
        self.store_framework(actor, &framework, "imported", file).await
    }

    /// Adds every built-in catalogue (`frameworks/`) the library lacks, then the built-in
    /// mappings between them; returns how many catalogues.
    /// Run at start-up and by `hygeia migrate`, so a new release's catalogues arrive with it.
    pub async fn install_built_in_frameworks(&self) -> Result<usize, CoreError> {
        let all = builtin::all().map_err(|(file, e)| import_error(&format!("built-in {file}"), e))?;
        let mut added = 0;
        for framework in &all {
            if self
                .store
                .find_framework(&framework.key, &framework.version)
                .await?
                .is_none()
            {
                match self.store_framework(None, framework, "built_in", "built-in").await {
                    Ok(_) => added += 1,
                    // Another instance installed it at the same moment.
                    Err(CoreError::Conflict(_)) => {}
                    Err(e) => return Err(e),
                }
            }
        }
        self.install_built_in_mappings().await?;
        Ok(added)
    }

    async fn store_framework(
        &self,
        actor: Option<&Actor>,
        framework: &Framework,
        origin: &str,
        file: &str,
    ) -> Result<StoredFramework, CoreError> {
        if self
            .store
            .find_framework(&framework.key, &framework.version)
            .await?
            .is_some()
        {
            return Err(CoreError::Conflict(format!(
                "version {} of '{}' is already in the library; a version is never replaced",
                framework.version, framework.key
            )));
        }
        let meta = StoredFramework {
            id: FrameworkId(self.new_uuid()),
            key: framework.key.clone(),
            version: framework.version.clone(),
            title: framework.title.clone(),
            publisher: framework.publisher.clone(),
            source_url: framework.source_url.clone(),
            licence: framework.licence.clone(),
            origin: origin.into(),
            node_count: i64::try_from(framework.nodes.len()).unwrap_or(i64::MAX),
            imported_by: actor.map_or_else(|| "command line".to_owned(), Actor::label),
            imported_at: self.now_ms(),
            status_rule: framework.status_rule.map(|r| r.code().to_owned()),
        };
        let audit = self.audit(
            actor,
            None,
            "framework.import",
            "framework",
            meta.id,
            json!({"key": meta.key, "version": meta.version, "nodes": meta.node_count, "file": file, "origin": origin}),
        );
        self.store.add_framework(&meta, framework, &audit).await?;
        Ok(meta)
    }

    /// A stored version, whole, from the in-process cache.
    pub async fn framework_by_id(&self, id: FrameworkId) -> Result<Arc<Framework>, CoreError> {
        let cached = self.frameworks.lock().ok().and_then(|m| {
            m.get(&id)
                .filter(|(at, _)| at.elapsed() < FRAMEWORK_CACHE_TTL)
                .map(|(_, f)| f.clone())
        });
        if let Some(hit) = cached {
            return Ok(hit);
        }
        let (_, framework) = self.store.framework(id).await?;
        let framework = Arc::new(framework);
        if let Ok(mut m) = self.frameworks.lock() {
            m.insert(id, (std::time::Instant::now(), framework.clone()));
        }
        Ok(framework)
    }

    /// Saves a target profile of a framework version (adding it when the key is new): the
    /// minimum grade per graded outcome. Platform administrators only; audited. Drafts score
    /// against it from then on; published assessments keep what they were sealed with.
    pub async fn save_profile(&self, actor: &Actor, id: FrameworkId, profile: Profile) -> Result<(), CoreError> {
        if !actor.user.is_platform_admin || actor.read_only() {
            return Err(CoreError::Forbidden(
                "only platform administrators change the framework library",
            ));
        }
        let framework = self.framework_by_id(id).await?;
        let mut changed = (*framework).clone();
        let before = changed.profile(&profile.key).cloned();
        match changed.profiles.iter_mut().find(|p| p.key == profile.key) {
            Some(p) => *p = profile.clone(),
            None => changed.profiles.push(profile.clone()),
        }
        validate(&changed).map_err(|e| {
            CoreError::Validation(
                e.0.into_iter()
                    .map(|f| {
                        let field = f
                            .field
                            .rsplit_once("/minima/")
                            .map_or(f.field.clone(), |(_, r)| format!("minima/{r}"));
                        hygeia_domain::validation::FieldError::new(field, f.message)
                    })
                    .collect(),
            )
        })?;
        let audit = self.audit(
            Some(actor),
            None,
            "framework.profile.save",
            "framework",
            id,
            json!({"key": framework.key, "version": framework.version, "profile": profile.key,
                   "from": before.map(|p| p.minima), "to": profile.minima}),
        );
        self.store.save_profile(id, &profile, &audit).await?;
        if let Ok(mut m) = self.frameworks.lock() {
            m.remove(&id);
        }
        Ok(())
    }

    /// The id of a version in the library by key and version.
    pub async fn framework_id(&self, key: &str, version: &str) -> Result<FrameworkId, CoreError> {
        Ok(self
            .store
            .find_framework(key, version)
            .await?
            .ok_or(CoreError::NotFound)?
            .id)
    }

    /// Every framework version in the library.
    pub async fn frameworks(&self) -> Result<Vec<StoredFramework>, CoreError> {
        Ok(self.store.frameworks().await?)
    }

    /// A stored version as a `hygeia.framework/v1` file.
    pub async fn export_framework(&self, key: &str, version: &str) -> Result<String, CoreError> {
        let meta = self
            .store
            .find_framework(key, version)
            .await?
            .ok_or(CoreError::NotFound)?;
        Ok(library_format::write(&*self.framework_by_id(meta.id).await?))
    }
}
