//! Fuzz target `simple_html`: the law `laws::simple::simple_html` (see `tests/laws/mod.rs`).
#![no_main]

#[path = "../../tests/laws/mod.rs"]
mod laws;

libfuzzer_sys::fuzz_target!(|data: &[u8]| laws::simple::simple_html(data));
