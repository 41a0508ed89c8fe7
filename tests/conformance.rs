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
