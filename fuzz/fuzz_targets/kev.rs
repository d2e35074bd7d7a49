//! The CISA KEV catalogue: any text gives a catalogue or a located error.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        let _ = hygeia_domain::alerts::kev::read(text);
    }
});
