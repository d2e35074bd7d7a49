//! What an import would do to an organisation's register: the assets it adds, changes
//! (with the fields that differ) and removes, by asset key.

use super::asset::{AssetInput, SoftwareInput};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, HashMap};

/// What an import would do to the register, by asset key.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Diff {
    pub added: Vec<String>,
    /// Each changed key with the fields that differ.
    pub changed: Vec<(String, Vec<String>)>,
    pub removed: Vec<String>,
    pub unchanged: usize,
}

impl Diff {
    pub fn is_empty(&self) -> bool {
        self.added.is_empty() && self.changed.is_empty() && self.removed.is_empty()
    }
}

/// Compares the assets an import brings with those it replaces (the ones the same source
/// brought last time). Software lists compare as sets, so order in the file does not matter.
pub fn diff(existing: &[AssetInput], incoming: &[AssetInput]) -> Diff {
    let old: HashMap<&str, &AssetInput> = existing.iter().map(|a| (a.key.as_str(), a)).collect();
    let new: BTreeMap<&str, &AssetInput> = incoming.iter().map(|a| (a.key.as_str(), a)).collect();
    let mut out = Diff::default();
    for (key, a) in &new {
        match old.get(key) {
            None => out.added.push((*key).to_owned()),
            Some(b) => {
                let fields = changed_fields(b, a);
                if fields.is_empty() {
                    out.unchanged += 1;
                } else {
                    out.changed.push(((*key).to_owned(), fields));
                }
            }
        }
    }
    let mut removed: Vec<String> = old
        .keys()
        .filter(|k| !new.contains_key(*k))
        .map(|k| (*k).to_owned())
        .collect();
    removed.sort();
    out.removed = removed;
    out
}

/// The same diff when only the existing assets the file names were read (a large register
/// takes a small file without reading all of it): `existing` holds those, `existing_keys`
/// every key the source has. The removed keys are those of `existing_keys` the file does not
/// name, so a caller that keeps the source's other assets may pass only the keys the file
/// names, and gets no removals.
pub fn diff_against_keys<K: AsRef<str>>(existing_keys: &[K], existing: &[AssetInput], incoming: &[AssetInput]) -> Diff {
    let mut out = diff(existing, incoming);
    let new: std::collections::HashSet<&str> = incoming.iter().map(|a| a.key.as_str()).collect();
    let mut removed: Vec<String> = existing_keys
        .iter()
        .map(AsRef::as_ref)
        .filter(|k| !new.contains(k))
        .map(str::to_owned)
        .collect();
    removed.sort();
    out.removed = removed;
    out
}

fn changed_fields(a: &AssetInput, b: &AssetInput) -> Vec<String> {
    let mut out = Vec::new();
    let mut check = |name: &str, same: bool| {
        if !same {
            out.push(name.to_owned());
        }
    };
    check("name", a.name == b.name);
    check("kind", a.kind == b.kind);
    check("hostname", a.hostname == b.hostname);
    check("addresses", a.addresses == b.addresses);
    check("owner", a.owner == b.owner);
    check("location", a.location == b.location);
    check("criticality", a.criticality == b.criticality);
    check("essential_services", a.essential_services == b.essential_services);
    check("internet_facing", a.internet_facing == b.internet_facing);
    check("manufacturer", a.manufacturer == b.manufacturer);
    check("model", a.model == b.model);
    check("patchable", a.patchable == b.patchable);
    check("esu_enrolled", a.esu_enrolled == b.esu_enrolled);
    check("os", a.os == b.os);
    let set = |s: &[SoftwareInput]| {
        let mut v = s.to_vec();
        v.sort();
        v.dedup();
        v
    };
    check("software", set(&a.software) == set(&b.software));
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::assets::asset::Criticality;
    use crate::assets::asset::tests::asset;

    #[test]
    fn a_reimport_shows_added_changed_removed_and_ignores_order() {
        let old = vec![asset("a"), asset("b"), asset("c")];
        let mut b = asset("b");
        b.software.reverse();
        let mut c = asset("c");
        c.criticality = Criticality::High;
        c.software.pop();
        let new = vec![b, c, asset("d")];
        let d = diff(&old, &new);
        assert_eq!(d.added, vec!["d".to_owned()]);
        assert_eq!(
            d.changed,
            vec![("c".to_owned(), vec!["criticality".to_owned(), "software".to_owned()])]
        );
        assert_eq!(d.removed, vec!["a".to_owned()]);
        assert_eq!(d.unchanged, 1);
        assert!(diff(&new, &new).is_empty());
    }

    proptest::proptest! {
        /// Reading only the assets a file names, plus every key, gives the diff that reading
        /// the whole register would.
        #[test]
        fn a_diff_against_keys_is_the_whole_diff(
            old in proptest::collection::btree_map("[a-f]", 0u8..3, 0..6),
            new in proptest::collection::btree_map("[a-f]", 0u8..3, 0..6),
        ) {
            let make = |(k, v): (&String, &u8)| {
                let mut a = asset(k);
                a.criticality = [Criticality::Low, Criticality::Medium, Criticality::High][usize::from(*v)];
                a
            };
            let existing: Vec<AssetInput> = old.iter().map(make).collect();
            let incoming: Vec<AssetInput> = new.iter().map(make).collect();
            let keys: Vec<&str> = old.keys().map(String::as_str).collect();
            let named: Vec<AssetInput> = existing.iter().filter(|a| new.contains_key(&a.key)).cloned().collect();
            proptest::prop_assert_eq!(diff_against_keys(&keys, &named, &incoming), diff(&existing, &incoming));
        }
    }
}
