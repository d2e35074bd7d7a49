//! endoflife.date product pages and release-data files.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        let _ = hygeia_domain::assets::endoflife::parse_product_page(text, "fuzz");
        let _ = hygeia_domain::assets::endoflife::parse_release_data(text, "fuzz", "Fuzz");
    }
});
