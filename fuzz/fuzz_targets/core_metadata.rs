//! Fuzz target `core_metadata`: the law `laws::metadata::core_metadata` (see `tests/laws/mod.rs`).
#![no_main]

#[path = "../../tests/laws/mod.rs"]
mod laws;

libfuzzer_sys::fuzz_target!(|data: &[u8]| laws::metadata::core_metadata(data));
