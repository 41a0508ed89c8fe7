//! The laws each parser obeys, one function per fuzz target.
//!
//! Shared by the cargo-fuzz targets in `fuzz/` (through `#[path]`) and by `tests/fuzz_seeds.rs`,
//! which replays every committed seed and past crash under `cargo test`. Each law panics, with
//! the input, when it is broken.
//!
//! Each module holds the laws of one module of the crate; each law is `pub fn target(data: &[u8])`
//! named for its fuzz target.
#![allow(dead_code)]

pub mod digest;
pub mod filename;
pub mod metadata;
pub mod name;
pub mod requirements_txt;
pub mod simple;
pub mod tags;
pub mod version;
