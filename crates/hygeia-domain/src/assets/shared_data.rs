//! Every public data file in `../shared/data` reads (see its SOURCES.md). These tests skip,
//! saying so, where that folder is absent.

use std::path::PathBuf;

pub(crate) fn shared(sub: &str) -> Option<PathBuf> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../../shared/data")
        .join(sub);
    if dir.is_dir() {
        Some(dir)
    } else {
        eprintln!(
            "skipped: {} is absent (the shared public data sets are not on this machine)",
            dir.display()
        );
        None
    }
}

pub(crate) fn files(dir: &std::path::Path, ext: &str) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d).into_iter().flatten().flatten() {
            let p = entry.path();
            if p.is_dir() {
                stack.push(p);
            } else if p.to_string_lossy().ends_with(ext) {
                out.push(p);
            }
        }
    }
    out.sort();
    out
}

#[test]
fn every_sbom_reads_with_its_software() {
    let Some(dir) = shared("cyclonedx") else { return };
    let mut read = 0;
    for path in files(&dir, ".json").into_iter().chain(files(&dir, ".xml")) {
        if path.to_string_lossy().contains("/schema/") {
            continue;
        }
        let text = std::fs::read_to_string(&path).unwrap_or_default();
        if path.ends_with("VEX/vex.json") {
            let refused = super::sbom::read(&text).err().map(|e| e.location);
            assert_eq!(
                refused.as_deref(),
                Some("/vulnerabilities"),
                "a VEX is not an inventory"
            );
            continue;
        }
        match super::sbom::read(&text) {
            Ok(asset) => {
                read += 1;
                assert!(
                    !asset.software.is_empty() || path.to_string_lossy().contains("spec-test-vectors"),
                    "{} has no software",
                    path.display()
                );
            }
            Err(e) => panic!("{}: {e}", path.display()),
        }
    }
    assert!(read >= 14, "{read} SBOMs read");
}

#[test]
fn the_red_hat_openssl_sbom_lists_the_rpms() {
    let Some(dir) = shared("cyclonedx/redhat") else { return };
    let text = std::fs::read_to_string(dir.join("openssl-3.0.7-18.el9_2.cdx_1.6.sbom.json")).unwrap_or_default();
    let asset = super::sbom::read(&text).ok();
    assert_eq!(asset.as_ref().map(|a| a.key.as_str()), Some("pkg:rpm/redhat/openssl"));
    assert!(asset.is_some_and(|a| {
        a.software
            .iter()
            .any(|s| s.identity.starts_with("pkg:rpm/redhat/openssl-libs@3.0.7-18.el9_2"))
    }));
}

#[test]
fn every_endoflife_file_reads() {
    let Some(dir) = shared("endoflife") else { return };
    for path in files(&dir.join("products"), ".md") {
        let text = std::fs::read_to_string(&path).unwrap_or_default();
        let stem = path
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_default();
        let p = super::endoflife::parse_product_page(&text, &stem);
        assert!(p.is_ok(), "{}: {:?}", path.display(), p.err());
    }
    for path in files(&dir.join("releases"), ".json") {
        let text = std::fs::read_to_string(&path).unwrap_or_default();
        let stem = path
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_default();
        let p = super::endoflife::parse_release_data(&text, &stem, &stem);
        assert!(p.is_ok(), "{}: {:?}", path.display(), p.err());
    }
}

#[test]
fn every_csaf_advisory_reads_and_the_feed_is_not_taken_for_one() {
    let Some(dir) = shared("csaf") else { return };
    let dictionary = super::dictionary::Dictionary::new(super::lifecycle::builtin());
    let mut read = 0;
    for path in files(&dir, ".json") {
        if path.to_string_lossy().contains("/schema/") {
            continue;
        }
        let text = std::fs::read_to_string(&path).unwrap_or_default();
        if path.ends_with("cisa-csaf-it-feed-tlp-white.json") {
            assert!(!crate::alerts::csaf::detect(&text), "a ROLIE feed is not an advisory");
            continue;
        }
        assert!(crate::alerts::csaf::detect(&text), "{} not recognised", path.display());
        match crate::alerts::csaf::read(&text, &dictionary) {
            Ok(alert) => {
                read += 1;
                assert!(!alert.reference.is_empty());
            }
            Err(e) => panic!("{}: {e}", path.display()),
        }
        // The same document with a status the schema does not know is refused at that place.
        let mut broken: serde_json::Value = serde_json::from_str(&text).unwrap();
        broken["document"]["tracking"]["status"] = "published".into();
        let e = crate::alerts::csaf::read(&broken.to_string(), &dictionary).err();
        assert_eq!(
            e.map(|e| e.location).as_deref(),
            Some("/document/tracking/status"),
            "{}",
            path.display()
        );
    }
    assert_eq!(read, 23, "the 23 advisories of SOURCES.md");
}

#[test]
fn medical_device_advisories_keep_their_version_ranges() {
    let Some(dir) = shared("csaf/cisa") else { return };
    let dictionary = super::dictionary::Dictionary::new(super::lifecycle::builtin());
    let text = std::fs::read_to_string(dir.join("icsma-23-194-01.json")).unwrap_or_default();
    let alert = crate::alerts::csaf::read(&text, &dictionary).ok();
    let line = alert
        .as_ref()
        .and_then(|a| a.products.iter().find(|p| p.label.contains("8015")));
    assert!(
        line.is_some_and(|l| l.range.contains(super::version::Scheme::Generic, "12.1.3")
            && !l.range.contains(super::version::Scheme::Generic, "12.1.4"))
    );
}

#[test]
fn kev_snapshots_read_and_differ_as_sources_md_says() {
    let Some(dir) = shared("kev") else { return };
    let read = |d: &str| {
        let text =
            std::fs::read_to_string(dir.join(d).join("known_exploited_vulnerabilities.json")).unwrap_or_default();
        crate::alerts::kev::read(&text)
    };
    let (old, new) = (read("2025-07-28"), read("2025-08-25"));
    let (Ok(old), Ok(new)) = (old, new) else {
        panic!("a KEV snapshot did not read")
    };
    assert_eq!((old.vulnerabilities.len(), new.vulnerabilities.len()), (1391, 1404));
    let d = crate::alerts::kev::diff(&old.vulnerabilities, &new.vulnerabilities);
    assert_eq!((d.added.len(), d.removed.len()), (13, 0));
    let changed: std::collections::HashMap<_, _> = d.changed.into_iter().collect();
    assert_eq!(changed.len(), 4);
    assert_eq!(
        changed.get("CVE-2025-5777"),
        Some(&vec!["knownRansomwareCampaignUse".to_owned()])
    );
    assert_eq!(
        changed.get("CVE-2025-53770"),
        Some(&vec![
            "shortDescription".to_owned(),
            "requiredAction".to_owned(),
            "knownRansomwareCampaignUse".to_owned()
        ])
    );
    let dictionary = super::dictionary::Dictionary::new(super::lifecycle::builtin());
    let mapped = new
        .vulnerabilities
        .iter()
        .filter(|e| dictionary.product_for_names(&e.vendor_project, &e.product).is_some())
        .count();
    assert!(mapped > 100, "only {mapped} KEV entries map to a catalogue product");
}

mod never_panics {
    //! The importers on arbitrary text: a value or a located error, never a panic. The same
    //! entry points are fuzz targets (`fuzz/`, `cargo fuzz`); these run with every test.
    use proptest::prelude::*;

    /// Text that is mostly the importers' own punctuation, so the parsers get past line 1.
    fn text() -> impl Strategy<Value = String> {
        prop::collection::vec(
            prop_oneof![
                Just("{".to_owned()),
                Just("}".to_owned()),
                Just("[".to_owned()),
                Just("]".to_owned()),
                Just("\"".to_owned()),
                Just(":".to_owned()),
                Just(",".to_owned()),
                Just("\n".to_owned()),
                Just("<bom xmlns=\"http://cyclonedx.org/schema/bom/1.5\">".to_owned()),
                Just("<component>".to_owned()),
                Just("</component>".to_owned()),
                Just("\"bomFormat\":\"CycloneDX\"".to_owned()),
                Just("\"specVersion\":\"1.6\"".to_owned()),
                Just("\"components\":".to_owned()),
                Just("\"csaf_version\":\"2.0\"".to_owned()),
                Just("\"product_tree\":".to_owned()),
                Just("\"catalogVersion\":".to_owned()),
                Just("\"cveID\":".to_owned()),
                Just("---\n".to_owned()),
                Just("releases:\n  - releaseCycle: ".to_owned()),
                Just("key,name,kind\n".to_owned()),
                Just("pkg:rpm/a/b@1".to_owned()),
                Just("cpe:2.3:a:x:y:1".to_owned()),
                "[a-z0-9 .~^-]{0,8}",
            ],
            0..40,
        )
        .prop_map(|parts| parts.concat())
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(256))]
        #[test]
        fn no_importer_panics(input in text()) {
            let dictionary = crate::assets::dictionary::Dictionary::new(crate::assets::lifecycle::builtin());
            let _ = crate::assets::csv_import::read(&input, &Default::default());
            let _ = crate::assets::sbom::read(&input);
            let _ = crate::alerts::csaf::read(&input, &dictionary);
            let _ = crate::alerts::kev::read(&input);
            let _ = crate::assets::endoflife::parse_product_page(&input, "x");
            let _ = crate::assets::endoflife::parse_release_data(&input, "x", "X");
            let _ = crate::assets::identity::Identity::read(&input, None);
        }
    }
}
