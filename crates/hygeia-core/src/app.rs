//! The application object the web layer and the CLI call.

use crate::clock::Clock;
use crate::secrets::HashCost;
use hygeia_store::Store;
use std::sync::Arc;
use uuid::Uuid;

/// Settings of the use cases (not of HTTP or storage).
#[derive(Debug, Clone)]
pub struct CoreConfig {
    /// A session ends after this long without use.
    pub session_idle_ms: i64,
    /// A session ends this long after sign-in whatever happens.
    pub session_absolute_ms: i64,
    pub invitation_ttl_ms: i64,
    /// Failed sign-ins allowed per account and per source address within the window.
    pub throttle_limit: u64,
    pub throttle_window_ms: i64,
    pub hash_cost: HashCost,
    /// The address people reach Hygeia at, for links in mail (none: links are paths only).
    pub public_url: Option<String>,
    /// The largest evidence file accepted, in bytes.
    pub max_evidence_bytes: u64,
    /// Where uploads wait while they arrive (the system's temporary folder if none).
    pub staging_dir: Option<std::path::PathBuf>,
}

impl Default for CoreConfig {
    fn default() -> Self {
        const MINUTE: i64 = 60_000;
        Self {
            session_idle_ms: 8 * 60 * MINUTE,
            session_absolute_ms: 12 * 60 * MINUTE,
            invitation_ttl_ms: 7 * 24 * 60 * MINUTE,
            throttle_limit: 10,
            throttle_window_ms: 5 * MINUTE,
            hash_cost: HashCost::default(),
            public_url: None,
            max_evidence_bytes: 50 * 1024 * 1024,
            staging_dir: None,
        }
    }
}

/// Hygeia's use cases over one store, one clock and one configuration.
pub struct Hygeia {
    pub(crate) store: Store,
    pub(crate) clock: Arc<dyn Clock>,
    pub(crate) config: CoreConfig,
    pub(crate) cache: crate::cache::AuthCache,
    pub(crate) passwords: crate::secrets::Passwords,
    /// Framework versions as read from the library, and when. Nodes never change once stored;
    /// profiles can be edited, so an entry is read again after `FRAMEWORK_CACHE_TTL` (an edit
    /// here clears it at once).
    pub(crate) frameworks: std::sync::Mutex<
        std::collections::HashMap<
            hygeia_domain::ids::FrameworkId,
            (
                std::time::Instant,
                Arc<hygeia_domain::assessments::framework::Framework>,
            ),
        >,
    >,
    /// Mapping pairs as last read, and when: an import here clears it at once, and another
    /// process's import shows within `MAPPING_CACHE_TTL`.
    pub(crate) mapping_links:
        std::sync::Mutex<Option<(std::time::Instant, Arc<Vec<hygeia_domain::assessments::mapping::Link>>)>>,
    /// The product dictionary over the lifecycle catalogue in force, and when it was built: a
    /// lifecycle import here clears it at once, another process's shows within
    /// `DICTIONARY_CACHE_TTL`.
    pub(crate) dictionary:
        std::sync::Mutex<Option<(std::time::Instant, Arc<hygeia_domain::assets::dictionary::Dictionary>)>>,
}

impl Hygeia {
    pub fn new(store: Store, clock: Arc<dyn Clock>, config: CoreConfig) -> Self {
        let passwords = crate::secrets::Passwords::new(config.hash_cost);
        Self {
            store,
            clock,
            config,
            cache: crate::cache::AuthCache::default(),
            passwords,
            frameworks: std::sync::Mutex::default(),
            mapping_links: std::sync::Mutex::default(),
            dictionary: std::sync::Mutex::default(),
        }
    }

    pub fn store(&self) -> &Store {
        &self.store
    }

    pub fn now_ms(&self) -> i64 {
        self.clock.now_ms()
    }

    pub fn config(&self) -> &CoreConfig {
        &self.config
    }

    /// Where links in messages point: the configured public URL without a trailing slash
    /// (empty when none is set, giving site-relative links).
    pub(crate) fn link_base(&self) -> String {
        self.config
            .public_url
            .as_deref()
            .unwrap_or_default()
            .trim_end_matches('/')
            .to_owned()
    }

    /// A new time-ordered id (UUIDv7) from the injected clock.
    pub(crate) fn new_uuid(&self) -> Uuid {
        let ms = u64::try_from(self.clock.now_ms()).unwrap_or(0);
        uuid::Builder::from_unix_timestamp_millis(ms, &crate::secrets::random_bytes::<10>()).into_uuid()
    }

    /// Whether the database answers (readiness).
    pub async fn ready(&self) -> Result<(), crate::CoreError> {
        Ok(self.store.ping().await?)
    }
}
