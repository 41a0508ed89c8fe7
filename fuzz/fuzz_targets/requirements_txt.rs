//! Fuzz target `requirements_txt`: the law `laws::requirements_txt::requirements_txt` (see
//! `tests/laws/mod.rs`).
#![no_main]

#[path = "../../tests/laws/mod.rs"]
mod laws;

libfuzzer_sys::fuzz_target!(|data: &[u8]| laws::requirements_txt::requirements_txt(data));
