//! The install verdict (`check_wheel`, `check_sdist`): one test per rule on archives built
//! here, and the verdicts on real files from PyPI (their `.dist-info` files, or tiny
//! archives rebuilt from them, in `tests/data/real/`).

mod util;

use std::io::Cursor;

use pypackaging::filename::DistFilename;
use pypackaging::metadata::{DistCheck, check_sdist, check_wheel};

/// The verdict on the file `name` holding `bytes`.
fn check(name: &str, bytes: Vec<u8>) -> DistCheck {
    match name
        .parse::<DistFilename>()
        .expect("a distribution filename")
    {
        DistFilename::Wheel(wheel) => check_wheel(Cursor::new(bytes), &wheel),
        DistFilename::Sdist(sdist) => check_sdist(Cursor::new(bytes), &sdist),
        other => panic!("not a wheel or sdist: {other:?}"),
    }
}

/// Prints the verdict on every file in `$PYPACKAGING_VERDICT_DIR` (the sweep over real files
/// downloaded with `pip download`): `cargo test --test verdict -- --ignored --nocapture`.
#[test]
#[ignore = "reads the directory named by PYPACKAGING_VERDICT_DIR"]
fn verdicts_of_a_directory() {
    let dir = std::env::var("PYPACKAGING_VERDICT_DIR").expect("PYPACKAGING_VERDICT_DIR");
    let mut names: Vec<_> = std::fs::read_dir(&dir)
        .expect("directory")
        .map(|e| e.expect("entry").path())
        .collect();
    names.sort();
    for path in names {
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        if !matches!(
            name.parse::<DistFilename>(),
            Ok(DistFilename::Wheel(_) | DistFilename::Sdist(_))
        ) {
            continue;
        }
        let started = std::time::Instant::now();
        let checked = check(&name, std::fs::read(&path).expect("file"));
        println!(
            "{name} ({} ms): {}",
            started.elapsed().as_millis(),
            checked.verdict
        );
    }
}
