//! Fuzz target `digest`: the law `laws::digest::digest` (see `tests/laws/mod.rs`).
#![no_main]

#[path = "../../tests/laws/mod.rs"]
mod laws;

libfuzzer_sys::fuzz_target!(|data: &[u8]| laws::digest::digest(data));
