//! The product dictionary: turns whatever identity an asset or an alert gives (a CPE, a
//! package URL, "Microsoft Windows Server 2012 R2 Standard") into one canonical product of the
//! lifecycle catalogue and, where it can tell, the release. An identity it cannot place is
//! not dropped: it resolves to nothing and is reported as unknown.

use super::identity::{Identity, IdentityKind, normalise};
use super::lifecycle::{Catalogue, Product, Release};
use std::collections::HashMap;

pub struct Dictionary {
    catalogue: Catalogue,
    by_cpe: HashMap<String, usize>,
    by_purl: HashMap<String, usize>,
    /// Normalised names, longest first, so the most specific alias wins.
    names: Vec<(String, usize)>,
}

/// A product found for an identity, and its release when the identity says which.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Resolved<'a> {
    pub product: &'a Product,
    pub release: Option<&'a Release>,
}

impl Dictionary {
    pub fn new(catalogue: Catalogue) -> Dictionary {
        let mut by_cpe = HashMap::new();
        let mut by_purl = HashMap::new();
        let mut names = Vec::new();
        for (i, p) in catalogue.products.iter().enumerate() {
            for c in &p.cpe {
                by_cpe.entry(c.to_ascii_lowercase()).or_insert(i);
            }
            for u in &p.purl {
                by_purl.entry(u.to_ascii_lowercase()).or_insert(i);
            }
            for n in p.names.iter().chain(std::iter::once(&p.name)) {
                names.push((normalise(n), i));
            }
        }
        names.sort_by(|a, b| b.0.len().cmp(&a.0.len()).then(a.1.cmp(&b.1)));
        Dictionary {
            catalogue,
            by_cpe,
            by_purl,
            names,
        }
    }

    pub fn catalogue(&self) -> &Catalogue {
        &self.catalogue
    }

    pub fn product(&self, id: &str) -> Option<&Product> {
        self.catalogue.products.iter().find(|p| p.id == id)
    }

    /// The canonical product and release of `identity`, if the dictionary knows it.
    pub fn resolve(&self, identity: &Identity) -> Option<Resolved<'_>> {
        let version = identity.version.as_deref();
        let (index, words) = match identity.kind {
            IdentityKind::Cpe => self.cpe_product(identity)?,
            IdentityKind::Purl => {
                let key = format!("{}/{}/{}", identity.part, identity.vendor, identity.product);
                let bare = format!("{}/{}", identity.part, identity.product);
                let i = self.by_purl.get(&key).or_else(|| self.by_purl.get(&bare))?;
                (*i, Vec::new())
            }
            IdentityKind::Name => self.named_product(&identity.vendor, &identity.product)?,
        };
        let product = self.catalogue.products.get(index)?;
        let release =
            release_by_words(product, &words).or_else(|| version.and_then(|v| release_by_version(product, v)));
        Some(Resolved { product, release })
    }

    /// A CPE pair, or a pair whose product begins with a known one (`windows_server_2012`).
    /// Words after the known part, the version and the update field may name the release.
    fn cpe_product(&self, identity: &Identity) -> Option<(usize, Vec<String>)> {
        let key = format!("{}:{}", identity.vendor, identity.product);
        let extra = identity
            .version
            .iter()
            .chain(identity.update.iter())
            .flat_map(|v| words(v));
        if let Some(i) = self.by_cpe.get(&key) {
            return Some((*i, extra.collect()));
        }
        let mut cut = identity.product.len();
        while let Some(at) = identity.product[..cut].rfind('_') {
            cut = at;
            let prefix = format!("{}:{}", identity.vendor, &identity.product[..cut]);
            if let Some(i) = self.by_cpe.get(&prefix) {
                let mut w = words(&identity.product[cut + 1..]);
                w.extend(extra);
                return Some((*i, w));
            }
        }
        None
    }

    /// The longest known name at the start of "vendor product", or of the product alone.
    fn named_product(&self, vendor: &str, product: &str) -> Option<(usize, Vec<String>)> {
        let full = if vendor.is_empty() {
            product.to_owned()
        } else {
            format!("{vendor}_{product}")
        };
        for text in [full.as_str(), product] {
            for (name, i) in &self.names {
                if let Some(rest) = text.strip_prefix(name.as_str())
                    && (rest.is_empty() || rest.starts_with('_'))
                {
                    return Some((*i, words(rest)));
                }
            }
        }
        None
    }

    /// Maps free-text vendor and product (CISA KEV's `vendorProject` and `product`) to a
    /// canonical product id.
    pub fn product_for_names(&self, vendor: &str, product: &str) -> Option<&Product> {
        let (i, _) = self.named_product(&normalise(vendor), &normalise(product))?;
        self.catalogue.products.get(i)
    }
}

/// Words of an identifier: `2012-r2` → [2012, r2]; `8.1` → [8, 1].
fn words(text: &str) -> Vec<String> {
    normalise(text)
        .split('_')
        .filter(|w| !w.is_empty())
        .map(str::to_owned)
        .collect()
}

/// The release whose cycle (or one of its other names) appears among `given`, starting with
/// its first word; the one with most words wins, so "2012 R2" beats "2012".
fn release_by_words<'a>(product: &'a Product, given: &[String]) -> Option<&'a Release> {
    let first = given.first()?;
    let mut best: Option<(&Release, usize)> = None;
    for r in &product.releases {
        for name in std::iter::once(&r.cycle).chain(r.names.iter()) {
            let want = words(name);
            let fits = want.first() == Some(first) && want.iter().all(|w| given.contains(w));
            if fits && best.is_none_or(|(_, n)| want.len() > n) {
                best = Some((r, want.len()));
            }
        }
    }
    best.map(|(r, _)| r)
}

/// The release whose build prefix, or failing that whose cycle, begins `version` field by
/// field: `10.0.20348.2113` is Server 2022, `9.2` is RHEL 9, `3.11.4` is Python 3.11.
fn release_by_version<'a>(product: &'a Product, version: &str) -> Option<&'a Release> {
    let given: Vec<&str> = version.split(['.', '-', '_', ' ']).filter(|w| !w.is_empty()).collect();
    let starts = |prefix: &str| {
        let want: Vec<&str> = prefix.split(['.', '-', '_', ' ']).filter(|w| !w.is_empty()).collect();
        !want.is_empty()
            && want.len() <= given.len()
            && want
                .iter()
                .zip(&given)
                .all(|(a, b)| a.trim_start_matches('0') == b.trim_start_matches('0') || a.eq_ignore_ascii_case(b))
    };
    let by = |pick: &dyn Fn(&Release) -> Vec<String>| {
        product
            .releases
            .iter()
            .filter_map(|r| {
                pick(r)
                    .iter()
                    .filter(|p| starts(p))
                    .map(|p| p.len())
                    .max()
                    .map(|n| (r, n))
            })
            .max_by_key(|(_, n)| *n)
            .map(|(r, _)| r)
    };
    by(&|r: &Release| r.builds.clone()).or_else(|| by(&|r: &Release| vec![r.cycle.clone()]))
}

#[cfg(test)]
mod tests {
    use super::super::identity::{Identity, named};
    use super::super::lifecycle::builtin;
    use super::*;

    fn place(d: &Dictionary, text: &str, version: Option<&str>) -> Option<(String, Option<String>)> {
        let identity = Identity::read(text, version).ok()?;
        d.resolve(&identity)
            .map(|r| (r.product.id.clone(), r.release.map(|x| x.cycle.clone())))
    }

    fn some(product: &str, cycle: &str) -> Option<(String, Option<String>)> {
        Some((product.into(), Some(cycle.into())))
    }

    #[test]
    fn the_same_release_is_found_from_cpe_name_and_build() {
        let d = Dictionary::new(builtin());
        assert_eq!(
            place(&d, "cpe:2.3:o:microsoft:windows_server_2012:r2:*:*:*:*:*:*:*", None),
            some("windows-server", "2012-r2")
        );
        assert_eq!(
            place(&d, "cpe:/o:microsoft:windows_server_2012:r2", None),
            some("windows-server", "2012-r2")
        );
        assert_eq!(
            place(&d, "Microsoft Windows Server 2012 R2 Standard", None),
            some("windows-server", "2012-r2")
        );
        assert_eq!(
            place(&d, "Windows Server", Some("6.3.9600")),
            some("windows-server", "2012-r2")
        );
        assert_eq!(place(&d, "Windows Server 2012", None), some("windows-server", "2012"));
        assert_eq!(place(&d, "Windows 7 Professional SP1", None), some("windows", "7"));
        assert_eq!(place(&d, "Windows 8.1 Pro", None), some("windows", "8.1"));
        assert_eq!(
            place(&d, "Windows 11 Enterprise", Some("10.0.26100.4349")),
            some("windows", "11-24h2")
        );
        assert_eq!(place(&d, "Red Hat Enterprise Linux", Some("9.2")), some("rhel", "9"));
        assert_eq!(
            place(&d, "cpe:2.3:o:redhat:enterprise_linux:8:*:*:*:*:*:*:*", None),
            some("rhel", "8")
        );
        assert_eq!(place(&d, "pkg:generic/postgresql@13.4", None), some("postgresql", "13"));
        assert_eq!(place(&d, "Python", Some("3.11.1")), some("python", "3.11"));
        assert_eq!(place(&d, "SQL Server 2014", None), some("mssqlserver", "2014"));
        let unknown = named("Acme", "Infusion Manager", Some("2.1"));
        assert!(d.resolve(&unknown).is_none());
        assert_eq!(place(&d, "Windows 11 Pro", None), Some(("windows".into(), None)));
    }

    #[test]
    fn kev_vendor_and_product_text_maps_to_a_product() {
        let d = Dictionary::new(builtin());
        let id = |v: &str, p: &str| d.product_for_names(v, p).map(|x| x.id.clone());
        assert_eq!(id("Microsoft", "Windows"), Some("windows".into()));
        assert_eq!(id("Microsoft", "Exchange Server"), Some("msexchange".into()));
        assert_eq!(id("Google", "Chromium V8"), None);
        assert_eq!(id("Microsoft", "Win32k"), None);
    }
}
