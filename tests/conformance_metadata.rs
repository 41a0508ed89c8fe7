//! Conformance of METADATA / PKG-INFO reading and validation with pypa/packaging
//! (`parse_email`, `Metadata.from_email(validate=True)`), through the code `inspect metadata`
//! runs. Vectors: `tests/vectors/metadata.jsonl` over `tests/data/metadata/`, produced by
//! `scripts/gen-vectors metadata`.

mod util;

#[path = "../examples/inspect/metadata.rs"]
#[allow(dead_code)]
mod probe_metadata;

#[test]
fn metadata_matches_packaging() {
    let vectors = util::vectors("metadata.jsonl");
    assert!(vectors.cases.len() > 100, "real files and edge cases");
    let mut failures = Vec::new();
    let mut real = 0;
    for (line, case) in &vectors.cases {
        let file = case["file"].as_str().expect("file");
        real += usize::from(file.starts_with("real/"));
        let data = std::fs::read(util::path(&format!("tests/data/metadata/{file}")))
            .unwrap_or_else(|e| panic!("{file}: {e}"));
        let got = probe_metadata::describe(&data);
        let mut problems = Vec::new();
        let expected = case["json"].as_object().expect("json");
        let object = got.as_object().expect("object");
        for (key, value) in expected {
            if object.get(key) != Some(value) {
                problems.push(format!("{key}: {:?}, packaging {value}", object.get(key)));
            }
        }
        for key in object.keys() {
            if !expected.contains_key(key)
                && !["valid", "errors", "error_fields"].contains(&key.as_str())
            {
                problems.push(format!("{key}: not in packaging's result"));
            }
        }
        if got["error_fields"] != case["error_fields"] {
            problems.push(format!(
                "error fields {} ({}), packaging {} ({})",
                got["error_fields"], got["errors"], case["error_fields"], case["packaging_errors"]
            ));
        }
        let stricter = got["errors"].as_array().map_or(0, Vec::len)
            > got["error_fields"].as_array().map_or(0, Vec::len);
        if got["valid"] != case["valid"] && !stricter {
            problems.push(format!(
                "valid {}, packaging {}",
                got["valid"], case["valid"]
            ));
        }
        if !problems.is_empty() {
            failures.push((
                format!("metadata.jsonl:{line}"),
                format!("{file}: {}", problems.join("; ")),
            ));
        }
    }
    assert!(real >= 40, "at least 40 real files, found {real}");
    util::check_failures(&vectors, &failures);
}
