//! PEP 508 requirements against packaging 26.3 (`packaging.requirements.Requirement`), through
//! the code `inspect requirement` runs. Vectors: `tests/vectors/pep508.jsonl`.
//!
//! Specifiers and markers are compared by meaning: packaging prints a specifier's version as
//! written and a marker as written, `pep508_rs` prints them normalized (and markers
//! simplified), so both sides are parsed again before comparison.

mod util;

#[path = "../examples/inspect/requirement.rs"]
mod probe_requirement;

use pypackaging::{MarkerTree, VersionSpecifiers};
use serde_json::Value;

fn specifiers(value: &Value) -> Option<Vec<String>> {
    let set: VersionSpecifiers = value.as_str()?.parse().ok()?;
    let mut parts: Vec<String> = set.iter().map(ToString::to_string).collect();
    parts.sort();
    Some(parts)
}

fn marker(value: &Value) -> Option<MarkerTree> {
    match value.as_str() {
        None => Some(MarkerTree::TRUE),
        Some(text) => text.parse().ok(),
    }
}

#[test]
fn requirements_match_packaging() {
    let vectors = util::vectors("pep508.jsonl");
    assert!(vectors.cases.len() > 2000);
    let mut failures = Vec::new();
    for (line, case) in &vectors.cases {
        let input = case["input"].as_str().expect("input");
        let got = probe_requirement::probe(input);
        let id = format!("pep508.jsonl:{line}");
        let mut fail = |what: &str| {
            failures.push((
                id.clone(),
                format!("{input:?}: {what}: got {got}, packaging says {case}"),
            ));
        };
        if got["ok"] != case["ok"] {
            fail("ok");
            continue;
        }
        if case["ok"] != true {
            continue;
        }
        if ["name", "extras", "url"].iter().any(|k| got[k] != case[k]) {
            fail("name, extras or url");
        } else if specifiers(&got["specifier"]) != specifiers(&case["specifier"]) {
            fail("specifier");
        } else if marker(&got["marker"]) != marker(&case["marker"]) {
            fail("marker");
        }
    }
    util::check_failures(&vectors, &failures);
}
