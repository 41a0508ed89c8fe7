//! Helpers shared by the integration tests.
#![allow(dead_code)]

use std::path::{Path, PathBuf};

/// The repository root.
pub fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// A path below the repository root.
pub fn path(relative: &str) -> PathBuf {
    root().join(relative)
}

/// A conformance vector file: its header (the versions that produced it) and its cases, each
/// with its 1-based line number in the file.
pub struct Vectors {
    pub file: &'static str,
    pub header: serde_json::Value,
    pub cases: Vec<(usize, serde_json::Value)>,
}

/// Reads `tests/vectors/<file>`.
#[track_caller]
pub fn vectors(file: &'static str) -> Vectors {
    let text = std::fs::read_to_string(path(&format!("tests/vectors/{file}")))
        .unwrap_or_else(|e| panic!("reading tests/vectors/{file}: {e}"));
    let mut lines = text.lines().enumerate();
    let (_, first) = lines.next().expect("a header line");
    let header = serde_json::from_str(first).expect("header is JSON");
    let cases = lines
        .map(|(i, line)| {
            let value = serde_json::from_str(line)
                .unwrap_or_else(|e| panic!("tests/vectors/{file}:{}: {e}", i + 1));
            (i + 1, value)
        })
        .collect();
    Vectors {
        file,
        header,
        cases,
    }
}

/// The case ids listed in `tests/vectors/expected_failures.txt` for `file`: lines
/// `FILE:LINE  reason`, `#` comments.
pub fn expected_failures(file: &str) -> Vec<String> {
    let text = std::fs::read_to_string(path("tests/vectors/expected_failures.txt"))
        .expect("tests/vectors/expected_failures.txt");
    text.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .filter_map(|l| l.split_whitespace().next())
        .filter(|id| id.split(':').next() == Some(file))
        .map(str::to_owned)
        .collect()
}

/// Checks the failures of a vector run against the expected-failures list, both ways: a case
/// that fails must be listed, and a listed case must still exist and still fail.
#[track_caller]
pub fn check_failures(vectors: &Vectors, failures: &[(String, String)]) {
    let expected = expected_failures(vectors.file);
    let mut problems = Vec::new();
    for (id, why) in failures {
        if !expected.contains(id) {
            problems.push(format!("unexpected failure {id}: {why}"));
        }
    }
    for id in &expected {
        if !failures.iter().any(|(f, _)| f == id) {
            problems.push(format!(
                "{id} is listed in expected_failures.txt but passes (or is gone)"
            ));
        }
    }
    assert!(
        problems.is_empty(),
        "{} conformance ({} cases, reference {}):\n{}",
        vectors.file,
        vectors.cases.len(),
        vectors.header,
        problems.join("\n")
    );
}
