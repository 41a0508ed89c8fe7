//! Fuzz target `simple_json`: the law `laws::simple::simple_json` (see `tests/laws/mod.rs`).
#![no_main]

#[path = "../../tests/laws/mod.rs"]
mod laws;

libfuzzer_sys::fuzz_target!(|data: &[u8]| laws::simple::simple_json(data));
