//! Conformance against the reference implementations, through the same code the `inspect`
//! probe runs. Vectors are in `tests/vectors/`, produced by `scripts/gen-vectors`.

mod util;

#[path = "../examples/inspect/name.rs"]
mod probe_name;

/// Every name in `names.jsonl` gets packaging's `canonicalize_name(name)` and
/// `canonicalize_name(name, validate=True)` verdict.
#[test]
fn names_match_packaging() {
    let vectors = util::vectors("names.jsonl");
    assert!(
        vectors.cases.len() > 20_000,
        "the vectors hold the real-name slice"
    );
    let mut failures = Vec::new();
    for (line, case) in &vectors.cases {
        let input = case["input"].as_str().expect("input");
        let got = probe_name::probe(input);
        for key in ["normalized", "valid"] {
            if got[key] != case[key] {
                failures.push((
                    format!("names.jsonl:{line}"),
                    format!(
                        "{input:?}: {key} is {}, packaging says {}",
                        got[key], case[key]
                    ),
                ));
            }
        }
    }
    util::check_failures(&vectors, &failures);
}

#[path = "../examples/inspect/version.rs"]
mod probe_version;

/// Every version in `versions.jsonl` gets packaging's `Version(text)`: valid or not, and when
/// valid its normal form and parts.
#[test]
fn versions_match_packaging() {
    let vectors = util::vectors("versions.jsonl");
    let mut failures = Vec::new();
    for (line, case) in &vectors.cases {
        let input = case["input"].as_str().expect("input");
        let got = probe_version::probe(input);
        let keys: &[&str] = if case["ok"] == true {
            &[
                "ok",
                "normalized",
                "epoch",
                "release",
                "pre",
                "dev",
                "local",
            ]
        } else {
            &["ok"]
        };
        for key in keys {
            if got[key] != case[key] {
                failures.push((
                    format!("versions.jsonl:{line}"),
                    format!(
                        "{input:?}: {key} is {}, packaging says {}",
                        got[key], case[key]
                    ),
                ));
            }
        }
    }
    util::check_failures(&vectors, &failures);
}

/// `sort-versions` orders as `sorted(valid, key=Version)`, stable for equal versions.
#[test]
fn version_order_matches_packaging() {
    let vectors = util::vectors("sort-versions.jsonl");
    let mut failures = Vec::new();
    for (line, case) in &vectors.cases {
        let input: Vec<String> = serde_json::from_value(case["input"].clone()).expect("input");
        let expected: Vec<String> = serde_json::from_value(case["sorted"].clone()).expect("sorted");
        let got = probe_version::sort(&input);
        if got != expected {
            let first = got.iter().zip(&expected).position(|(a, b)| a != b);
            failures.push((
                format!("sort-versions.jsonl:{line}"),
                format!("{}: first difference at {first:?}", case["note"]),
            ));
        }
    }
    util::check_failures(&vectors, &failures);
}
