//! Fuzz target `name`: the law `laws::name::name` (see `tests/laws/mod.rs`).
#![no_main]

#[path = "../../tests/laws/mod.rs"]
mod laws;

libfuzzer_sys::fuzz_target!(|data: &[u8]| laws::name::name(data));
