//! CPE and package URL parsing, version comparison and ranges.
#![no_main]
use hygeia_domain::assets::version::{Range, Scheme, compare};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        let _ = hygeia_domain::assets::identity::Identity::read(text, None);
        let (a, b) = text.split_once('\n').unwrap_or((text, ""));
        for s in [Scheme::Semver, Scheme::Dotted, Scheme::Debian, Scheme::Rpm, Scheme::Generic] {
            assert_eq!(compare(s, a, b), compare(s, b, a).reverse());
            if let Ok(r) = Range::parse(a) {
                let _ = r.contains(s, b);
            }
        }
    }
});
