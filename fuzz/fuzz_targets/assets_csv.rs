//! The CSV register reader: any bytes give assets or a located error, never a panic.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        let _ = hygeia_domain::assets::csv_import::read(text, &Default::default());
    }
});
