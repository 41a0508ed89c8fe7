//! Wheel and sdist filenames against packaging 26.3 (`parse_wheel_filename`,
//! `parse_sdist_filename`), through the code `inspect wheel` / `inspect sdist` run.
//! Vectors: `tests/vectors/wheels.jsonl`, `tests/vectors/sdists.jsonl`.

mod util;

#[path = "../examples/inspect/filename.rs"]
mod probe_filename;

fn check(file: &'static str, probe: fn(&str) -> serde_json::Value, keys: &[&str]) {
    let vectors = util::vectors(file);
    assert!(
        vectors.cases.len() > 2000,
        "{file} holds the real-name slice"
    );
    let mut failures = Vec::new();
    for (line, case) in &vectors.cases {
        let input = case["input"].as_str().expect("input");
        let got = probe(input);
        let keys: &[&str] = if case["ok"] == true { keys } else { &["ok"] };
        for key in keys {
            if got[key] != case[key] {
                failures.push((
                    format!("{file}:{line}"),
                    format!(
                        "{input:?} ({}): {key} is {}, packaging says {} ({})",
                        case["note"], got[key], case[key], got["error"]
                    ),
                ));
                break;
            }
        }
    }
    util::check_failures(&vectors, &failures);
}

#[test]
fn wheels_match_packaging() {
    check(
        "wheels.jsonl",
        probe_filename::wheel,
        &["ok", "name", "version", "build", "tags"],
    );
}

#[test]
fn sdists_match_packaging() {
    check(
        "sdists.jsonl",
        probe_filename::sdist,
        &["ok", "name", "version", "format"],
    );
}
