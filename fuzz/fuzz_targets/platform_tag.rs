//! Fuzz target `platform_tag`: the law `laws::tags::platform_tag` (see `tests/laws/mod.rs`).
#![no_main]

#[path = "../../tests/laws/mod.rs"]
mod laws;

libfuzzer_sys::fuzz_target!(|data: &[u8]| laws::tags::platform_tag(data));
