//! Fuzz target `version`: the law `laws::version::version` (see `tests/laws/mod.rs`).
#![no_main]

#[path = "../../tests/laws/mod.rs"]
mod laws;

libfuzzer_sys::fuzz_target!(|data: &[u8]| laws::version::version(data));
