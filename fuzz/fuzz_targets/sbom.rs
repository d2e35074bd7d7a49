//! CycloneDX (JSON and XML) and SPDX JSON: any text gives an asset or a located error.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        let _ = hygeia_domain::assets::sbom::read(text);
    }
});
