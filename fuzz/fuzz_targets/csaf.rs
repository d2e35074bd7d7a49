//! CSAF 2.0 advisories: any text gives a draft alert or a located error.
#![no_main]
use libfuzzer_sys::fuzz_target;
use std::sync::OnceLock;

static DICTIONARY: OnceLock<hygeia_domain::assets::dictionary::Dictionary> = OnceLock::new();

fuzz_target!(|data: &[u8]| {
    let dictionary = DICTIONARY.get_or_init(|| {
        hygeia_domain::assets::dictionary::Dictionary::new(hygeia_domain::assets::lifecycle::builtin())
    });
    if let Ok(text) = std::str::from_utf8(data) {
        let _ = hygeia_domain::alerts::csaf::read(text, dictionary);
    }
});
