//! Conformance of requirements-file reading against pip 26.3's own parser, through the code the
//! `inspect requirements` probe runs. Vectors: `tests/vectors/requirements.jsonl`, produced by
//! `scripts/gen-vectors requirements` over `tests/data/requirements/*.txt`.

mod util;

#[path = "../examples/inspect/requirements.rs"]
#[allow(
    dead_code,
    reason = "the test uses probe_file, the probe main uses probe"
)]
mod probe_requirements;

use serde_json::Value;

/// The `${VAR}` values the generator set (recorded in the vector file's header).
fn env(header: &Value) -> impl Fn(&str) -> Option<String> + '_ {
    move |name| header["env"][name].as_str().map(str::to_owned)
}

/// `os.path.normpath` on the `/`-separated relative names pip's paths were turned into.
fn normalize(path: &str) -> String {
    let mut parts: Vec<&str> = Vec::new();
    for part in path.split('/') {
        match part {
            "" | "." => {}
            ".." if parts.last().is_some_and(|p| *p != "..") => {
                parts.pop();
            }
            p => parts.push(p),
        }
    }
    parts.join("/")
}

fn compare(case: &Value, got: &Value) -> Option<String> {
    let pip_error = case.get("error").is_some();
    let our_error = got.get("error").is_some();
    match (pip_error, our_error) {
        (true, false) => return Some(format!("pip fails ({}), we accept", case["error"])),
        (false, true) => return Some(format!("pip accepts, we fail: {}", got["error"])),
        (true, true) => {
            let same_file = normalize(case["file"].as_str().unwrap_or_default())
                == normalize(got["file"].as_str().unwrap_or_default());
            if !same_file || (!case["line"].is_null() && case["line"] != got["line"]) {
                return Some(format!(
                    "pip fails at {}:{}, we at {}:{} ({})",
                    case["file"], case["line"], got["file"], got["line"], got["error"]
                ));
            }
            return None;
        }
        (false, false) => {}
    }
    let expected = case["entries"].as_array().expect("entries");
    let ours = got["entries"].as_array().expect("entries");
    if expected.len() != ours.len() {
        return Some(format!(
            "{} entries, pip has {}",
            ours.len(),
            expected.len()
        ));
    }
    for (e, o) in expected.iter().zip(ours) {
        for key in ["line", "requirement", "editable", "constraint", "hashes"] {
            if e[key] != o[key] {
                return Some(format!("entry {key} is {}, pip says {}", o[key], e[key]));
            }
        }
        let (ef, of) = (
            e["file"].as_str().unwrap_or_default(),
            o["file"].as_str().unwrap_or_default(),
        );
        if normalize(ef) != normalize(of) {
            return Some(format!("entry file is {of:?}, pip says {ef:?}"));
        }
    }
    for (key, value) in case["options"].as_object().expect("options") {
        if got["options"][key] != *value {
            return Some(format!(
                "option {key} is {}, pip says {value}",
                got["options"][key]
            ));
        }
    }
    None
}

/// Every file in `tests/data/requirements/` reads as pip reads it: the same entries (file, line,
/// requirement text, editable, constraint, hashes) and options, or an error at the same place.
#[test]
fn requirements_files_match_pip() {
    let vectors = util::vectors("requirements.jsonl");
    assert!(vectors.cases.len() >= 90, "every data file has a case");
    let lookup = env(&vectors.header);
    let mut failures = Vec::new();
    for (line, case) in &vectors.cases {
        let input = case["input"].as_str().expect("input");
        let path = util::path(&format!("tests/data/requirements/{input}"));
        let got = probe_requirements::probe_file(&path, &lookup);
        if let Some(why) = compare(case, &got) {
            failures.push((
                format!("requirements.jsonl:{line}"),
                format!("{input}: {why}"),
            ));
        }
    }
    util::check_failures(&vectors, &failures);
}
