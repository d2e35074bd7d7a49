//! Mappings between frameworks in the library, and what they are for: when someone answers a
//! requirement, the evidence their organisation already linked to its counterparts in other
//! frameworks is offered for reuse.

use crate::{Actor, CoreError, Hygeia, Scope};
use hygeia_domain::assessments::builtin;
use hygeia_domain::assessments::mapping::{self, Mapping, Relation};
use hygeia_domain::permissions::Permission;
use hygeia_store::model::EvidenceItem;
use serde::Serialize;
use serde_json::json;
use std::collections::{BTreeSet, HashMap};
use std::time::{Duration, Instant};

/// How long another process's mapping import may take to be seen here.
pub const MAPPING_CACHE_TTL: Duration = Duration::from_secs(60);

/// Evidence linked to a counterpart of the requirement being answered.
#[derive(Debug, Clone, Serialize)]
pub struct EvidenceOffer {
    pub framework_key: String,
    pub ref_id: String,
    pub relation: Relation,
    pub item: EvidenceItem,
}

/// A requirement's counterpart in another framework.
#[derive(Debug, Clone, Serialize)]
pub struct Counterpart {
    pub framework_key: String,
    pub ref_id: String,
    pub relation: Relation,
}

/// One mapping in the library: between which frameworks, how many pairs, from what source.
#[derive(Debug, Clone, Serialize)]
pub struct MappingSummary {
    pub from: String,
    pub to: String,
    pub pairs: i64,
    pub source: String,
}

impl Hygeia {
    /// Reads a `hygeia.mapping/v1` file and replaces the pairs between its two frameworks.
    /// Both frameworks must be in the library and every reference must be one of their
    /// requirements (in some version), or nothing is stored.
    pub async fn import_mapping(
        &self,
        actor: Option<&Actor>,
        file: &str,
        text: &str,
    ) -> Result<MappingSummary, CoreError> {
        if let Some(a) = actor
            && (!a.user.is_platform_admin || a.read_only())
        {
            return Err(CoreError::Forbidden(
                "only platform administrators add to the framework library",
            ));
        }
        let m = mapping::parse(text).map_err(|e| CoreError::field(&format!("{file} {}", e.location), &e.message))?;
        self.check_mapping_refs(file, &m).await?;
        self.store_mapping(actor, &m, file).await
    }

    /// Each side's framework key and every reference must exist in the library.
    async fn check_mapping_refs(&self, file: &str, m: &Mapping) -> Result<(), CoreError> {
        let stored = self.store.frameworks().await?;
        for (field, key) in [("from", &m.from), ("to", &m.to)] {
            let versions: Vec<_> = stored.iter().filter(|f| &f.key == key).collect();
            if versions.is_empty() {
                return Err(CoreError::field(
                    &format!("{file} /mapping/{field}"),
                    &format!("'{key}' is not in the framework library; import it first"),
                ));
            }
            let mut refs = BTreeSet::new();
            for v in versions {
                let framework = self.framework_by_id(v.id).await?;
                refs.extend(
                    framework
                        .nodes
                        .iter()
                        .filter(|n| n.assessable())
                        .map(|n| n.ref_id.clone()),
                );
            }
            for (i, p) in m.pairs.iter().enumerate() {
                let r = if field == "from" { &p.from } else { &p.to };
                if !refs.contains(r) {
                    return Err(CoreError::field(
                        &format!("{file} /mapping/pairs/{i}/{field}"),
                        &format!("'{r}' is not an assessable requirement of any '{key}' version in the library"),
                    ));
                }
            }
        }
        Ok(())
    }

    async fn store_mapping(&self, actor: Option<&Actor>, m: &Mapping, file: &str) -> Result<MappingSummary, CoreError> {
        let audit = self.audit(
            actor,
            None,
            "mapping.import",
            "mapping",
            format!("{}--{}", m.from, m.to),
            json!({"from": m.from, "to": m.to, "pairs": m.pairs.len(), "file": file}),
        );
        self.store.replace_mapping(m, &audit).await?;
        if let Ok(mut links) = self.mapping_links.lock() {
            *links = None;
        }
        Ok(MappingSummary {
            from: m.from.clone(),
            to: m.to.clone(),
            pairs: i64::try_from(m.pairs.len()).unwrap_or(i64::MAX),
            source: m.source.clone(),
        })
    }

    /// Adds each built-in mapping whose two frameworks have no pairs yet; returns how many.
    /// A mapping an administrator has imported over a built-in one is left as it is.
    pub async fn install_built_in_mappings(&self) -> Result<usize, CoreError> {
        let all = builtin::mappings()
            .map_err(|(file, e)| CoreError::field(&format!("built-in {file} {}", e.location), &e.message))?;
        let present: BTreeSet<(String, String)> = self
            .store
            .mapping_summaries()
            .await?
            .into_iter()
            .flat_map(|(f, t, _, _)| [(f.clone(), t.clone()), (t, f)])
            .collect();
        let mut added = 0;
        for m in all
            .iter()
            .filter(|m| !present.contains(&(m.from.clone(), m.to.clone())))
        {
            self.store_mapping(None, m, "built-in").await?;
            added += 1;
        }
        Ok(added)
    }

    pub async fn mappings(&self) -> Result<Vec<MappingSummary>, CoreError> {
        Ok(self
            .store
            .mapping_summaries()
            .await?
            .into_iter()
            .map(|(from, to, pairs, source)| MappingSummary {
                from,
                to,
                pairs,
                source,
            })
            .collect())
    }

    /// Every pair in the library, kept in memory: a few hundred rows that change only on import.
    async fn links(&self) -> Result<std::sync::Arc<Vec<mapping::Link>>, CoreError> {
        let fresh = |(at, _): &(Instant, _)| at.elapsed() < MAPPING_CACHE_TTL;
        if let Some((_, hit)) = self.mapping_links.lock().ok().and_then(|l| l.clone().filter(fresh)) {
            return Ok(hit);
        }
        let links = std::sync::Arc::new(self.store.mapping_links().await?);
        if let Ok(mut l) = self.mapping_links.lock() {
            *l = Some((Instant::now(), links.clone()));
        }
        Ok(links)
    }

    /// For carrying answers from an assessment of one framework into one of another: each
    /// requirement of `from_key` that the library says is equal to requirements of `to_key`,
    /// with those requirements. Empty when the two are not mapped as equal anywhere.
    pub(crate) async fn equal_requirements(
        &self,
        from_key: &str,
        to_key: &str,
    ) -> Result<HashMap<String, Vec<String>>, CoreError> {
        let mut out: HashMap<String, Vec<String>> = HashMap::new();
        for l in self.links().await?.iter().filter(|l| l.relation == Relation::Equal) {
            if l.from_key == from_key && l.to_key == to_key {
                out.entry(l.from_ref.clone()).or_default().push(l.to_ref.clone());
            } else if l.to_key == from_key && l.from_key == to_key {
                out.entry(l.to_ref.clone()).or_default().push(l.from_ref.clone());
            }
        }
        Ok(out)
    }

    /// A requirement's counterparts in other frameworks.
    pub async fn counterparts(&self, framework_key: &str, ref_id: &str) -> Result<Vec<Counterpart>, CoreError> {
        Ok(mapping::counterparts(&self.links().await?, framework_key, ref_id)
            .into_iter()
            .map(|(framework_key, ref_id, relation)| Counterpart {
                framework_key,
                ref_id,
                relation,
            })
            .collect())
    }

    /// Evidence the organisation linked to a requirement's counterparts, minus what is
    /// already linked to the requirement itself: what to offer for reuse.
    pub async fn evidence_offers(
        &self,
        scope: &Scope,
        framework_key: &str,
        ref_id: &str,
        already: &[uuid::Uuid],
    ) -> Result<Vec<EvidenceOffer>, CoreError> {
        if !scope.allows(Permission::EvidenceView) {
            return Ok(Vec::new());
        }
        let counterparts = self.counterparts(framework_key, ref_id).await?;
        let mut by_key: HashMap<&str, Vec<(String, EvidenceItem)>> = HashMap::new();
        let mut offers: Vec<EvidenceOffer> = Vec::new();
        for c in &counterparts {
            if !by_key.contains_key(c.framework_key.as_str()) {
                let linked = self
                    .store
                    .requirement_evidence(scope.org_id(), &c.framework_key)
                    .await?;
                by_key.insert(c.framework_key.as_str(), linked);
            }
            for (linked_ref, item) in &by_key[c.framework_key.as_str()] {
                if *linked_ref == c.ref_id
                    && !already.contains(&item.id.0)
                    && !offers.iter().any(|o| o.item.id == item.id)
                {
                    offers.push(EvidenceOffer {
                        framework_key: c.framework_key.clone(),
                        ref_id: c.ref_id.clone(),
                        relation: c.relation,
                        item: item.clone(),
                    });
                }
            }
        }
        Ok(offers)
    }
}
