//! Fuzz target `sdist_filename`: the law `laws::filename::sdist_filename` (see `tests/laws/mod.rs`).
#![no_main]

#[path = "../../tests/laws/mod.rs"]
mod laws;

libfuzzer_sys::fuzz_target!(|data: &[u8]| laws::filename::sdist_filename(data));
