//! Fuzz target `accept_header`: the law `laws::simple::accept_header` (see `tests/laws/mod.rs`).
#![no_main]

#[path = "../../tests/laws/mod.rs"]
mod laws;

libfuzzer_sys::fuzz_target!(|data: &[u8]| laws::simple::accept_header(data));
