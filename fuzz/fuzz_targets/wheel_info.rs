//! Fuzz target `wheel_info`: the law `laws::metadata::wheel_info` (see `tests/laws/mod.rs`).
#![no_main]

#[path = "../../tests/laws/mod.rs"]
mod laws;

libfuzzer_sys::fuzz_target!(|data: &[u8]| laws::metadata::wheel_info(data));
