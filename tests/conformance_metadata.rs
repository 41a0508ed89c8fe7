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

#[path = "../examples/inspect/wheel_file.rs"]
#[allow(dead_code)]
mod probe_wheel_file;

#[path = "../examples/inspect/filename.rs"]
#[allow(dead_code)]
mod probe_filename;

const WHEEL_FILE_PARTS: probe_wheel_file::Parts = probe_wheel_file::Parts {
    filename: probe_filename::wheel,
    metadata: probe_metadata::describe,
};

/// `inspect wheel-file` on a wheel built here: every part present, verification clean, and a
/// tampered copy reported.
#[test]
fn wheel_file_probe() {
    use std::io::Write;

    let build = |init: &[u8], record_init: &[u8]| {
        let mut hasher = pypackaging::Hasher::sha256();
        hasher.update(record_init);
        let digest = hasher.finish().as_slice()[0];
        let metadata = b"Metadata-Version: 2.1\nName: demo\nVersion: 1.0\n";
        let wheel = b"Wheel-Version: 1.0\nRoot-Is-Purelib: true\nTag: py2-none-any\nTag: py3-none-any\nBuild: 7x\n";
        let mut record = format!(
            "demo/__init__.py,{},{}\n",
            digest.record(),
            record_init.len()
        );
        for (path, data) in [("METADATA", &metadata[..]), ("WHEEL", &wheel[..])] {
            let mut hasher = pypackaging::Hasher::sha256();
            hasher.update(data);
            let digest = hasher.finish().as_slice()[0];
            record.push_str(&format!(
                "demo-1.0.dist-info/{path},{},{}\n",
                digest.record(),
                data.len()
            ));
        }
        record.push_str("demo-1.0.dist-info/RECORD,,\n");
        let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
        let options = zip::write::SimpleFileOptions::default();
        for (path, data) in [
            ("demo/__init__.py", init),
            ("demo-1.0.dist-info/METADATA", &metadata[..]),
            ("demo-1.0.dist-info/WHEEL", &wheel[..]),
            ("demo-1.0.dist-info/RECORD", record.as_bytes()),
        ] {
            zip.start_file(path, options).unwrap();
            zip.write_all(data).unwrap();
        }
        zip.finish().unwrap().into_inner()
    };
    let name = "demo-1.0-7x-py2.py3-none-any.whl";
    let got = probe_wheel_file::describe(name, build(b"x = 1\n", b"x = 1\n"), &WHEEL_FILE_PARTS);
    assert_eq!(
        got["filename"],
        serde_json::json!({"input": name, "ok": true, "name": "demo", "version": "1.0",
                           "build": [7, "x"], "tags": ["py2-none-any", "py3-none-any"]})
    );
    assert_eq!(
        got["wheel"],
        serde_json::json!({"wheel_version": "1.0", "generator": null, "root_is_purelib": true,
                           "tag": ["py2-none-any", "py3-none-any"], "build": "7x"})
    );
    assert_eq!(got["metadata"]["name"], "demo");
    assert_eq!(got["metadata"]["valid"], true);
    assert_eq!(
        got["record"],
        serde_json::json!({"entries": 4, "verified": true, "problems": []})
    );
    let tampered =
        probe_wheel_file::describe(name, build(b"x = 2\n", b"x = 1\n"), &WHEEL_FILE_PARTS);
    assert_eq!(tampered["record"]["verified"], false);
    assert_eq!(tampered["record"]["problems"].as_array().unwrap().len(), 1);
}

/// One field at a time, through `inspect metadata`: whether packaging's strict validation
/// accepts the value, and for `License-Expression` packaging's canonical form.
#[test]
fn field_values_match_packaging() {
    let vectors = util::vectors("metadata-fields.jsonl");
    let mut failures = Vec::new();
    for (line, case) in &vectors.cases {
        let file = case["file"].as_str().expect("file");
        let got = probe_metadata::describe(file.as_bytes());
        let mut problems = Vec::new();
        if got["error_fields"] != case["error_fields"] {
            problems.push(format!(
                "error fields {} ({}), packaging {} ({})",
                got["error_fields"], got["errors"], case["error_fields"], case["packaging_errors"]
            ));
        }
        if let Some(canonical) = case.get("canonical") {
            let ours =
                pypackaging::metadata::LicenseExpression::parse(case["input"].as_str().unwrap())
                    .ok()
                    .map(|e| e.to_string());
            if serde_json::json!(ours) != *canonical {
                problems.push(format!("canonical {ours:?}, packaging {canonical}"));
            }
        }
        if !problems.is_empty() {
            failures.push((
                format!("metadata-fields.jsonl:{line}"),
                format!(
                    "{} {:?}: {}",
                    case["field"],
                    case["input"],
                    problems.join("; ")
                ),
            ));
        }
    }
    util::check_failures(&vectors, &failures);
}
