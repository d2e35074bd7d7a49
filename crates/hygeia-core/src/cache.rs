//! A short-lived cache of who a credential belongs to and what they may reach, so that the
//! common request (read a list with a token or a session) costs one query instead of three.
//!
//! Correctness: every entry remembers the store's write generation when it was filled and is
//! used only while that generation is unchanged, so any committed write in this process
//! (a revoked token, a changed role, a new MFA setting) empties it at once. Other processes
//! sharing a PostgreSQL database do not bump our generation, so entries also expire after
//! `TTL_MS`: that bounds how long another instance's change can take to be seen here.

use hygeia_domain::ids::{OrgId, UserId};
use hygeia_store::model::{Access, ApiToken, Session, User};
use std::collections::HashMap;
use std::hash::Hash;
use std::sync::Mutex;

pub const TTL_MS: i64 = 1_000;
/// Beyond this many entries a map is emptied rather than grown: the cache is a fast path, not
/// a store.
const MAX_ENTRIES: usize = 10_000;

struct Entry<V> {
    generation: u64,
    filled_at: i64,
    value: V,
}

struct Map<K, V>(Mutex<HashMap<K, Entry<V>>>);

impl<K: Eq + Hash, V: Clone> Map<K, V> {
    fn new() -> Self {
        Self(Mutex::new(HashMap::new()))
    }

    fn get(&self, key: &K, generation: u64, now: i64) -> Option<V> {
        let map = self.0.lock().ok()?;
        let entry = map.get(key)?;
        (entry.generation == generation && now - entry.filled_at < TTL_MS && now >= entry.filled_at)
            .then(|| entry.value.clone())
    }

    fn put(&self, key: K, generation: u64, now: i64, value: V) {
        if let Ok(mut map) = self.0.lock() {
            if map.len() >= MAX_ENTRIES {
                map.clear();
            }
            map.insert(
                key,
                Entry {
                    generation,
                    filled_at: now,
                    value,
                },
            );
        }
    }
}

pub struct AuthCache {
    sessions: Map<String, (Session, User)>,
    tokens: Map<String, (ApiToken, User)>,
    access: Map<(UserId, OrgId), Access>,
}

impl Default for AuthCache {
    fn default() -> Self {
        Self {
            sessions: Map::new(),
            tokens: Map::new(),
            access: Map::new(),
        }
    }
}

impl AuthCache {
    pub fn session(&self, hash: &str, generation: u64, now: i64) -> Option<(Session, User)> {
        self.sessions.get(&hash.to_owned(), generation, now)
    }

    pub fn put_session(&self, hash: String, generation: u64, now: i64, value: (Session, User)) {
        self.sessions.put(hash, generation, now, value);
    }

    pub fn token(&self, hash: &str, generation: u64, now: i64) -> Option<(ApiToken, User)> {
        self.tokens.get(&hash.to_owned(), generation, now)
    }

    pub fn put_token(&self, hash: String, generation: u64, now: i64, value: (ApiToken, User)) {
        self.tokens.put(hash, generation, now, value);
    }

    pub fn access(&self, user: UserId, org: OrgId, generation: u64, now: i64) -> Option<Access> {
        self.access.get(&(user, org), generation, now)
    }

    pub fn put_access(&self, user: UserId, org: OrgId, generation: u64, now: i64, value: Access) {
        self.access.put((user, org), generation, now, value);
    }
}
