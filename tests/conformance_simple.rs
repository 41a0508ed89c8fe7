//! Parsing of real-server-shaped pages (`tests/data/simple/`) against pypi-simple and pip, through
//! the same code the `inspect` probe runs. Expectations: `tests/vectors/simple.jsonl`, written by
//! `scripts/gen-vectors simple`.

mod util;

#[path = "../examples/inspect/simple.rs"]
#[allow(dead_code)]
mod probe;

use pypackaging::simple::{Yanked, html};
use serde_json::Value;

/// Compares `keys` of `expected` and `got`, naming each difference.
/// Hex digests compare ignoring case: the model holds a digest's bytes (so comparing it with a
/// computed digest ignores case) and writes them in lower case, where pypi-simple and pip keep
/// the case the page used.
fn digests_lowered(value: &Value) -> Value {
    match value {
        Value::Object(map) => Value::Object(
            map.iter()
                .map(|(k, v)| match v {
                    Value::String(s) => (k.clone(), Value::String(s.to_ascii_lowercase())),
                    other => (k.clone(), other.clone()),
                })
                .collect(),
        ),
        other => other.clone(),
    }
}

fn compare(what: &str, expected: &Value, got: &Value, keys: &[&str], out: &mut Vec<String>) {
    for key in keys {
        let differs = if matches!(*key, "hashes" | "core-metadata") {
            digests_lowered(&expected[*key]) != digests_lowered(&got[*key])
        } else {
            expected[*key] != got[*key]
        };
        if expected.get(*key).is_some() && differs {
            out.push(format!(
                "{what} {key}: ours {}, theirs {}",
                got[*key], expected[*key]
            ));
        }
    }
}

/// html5lib's tokenizer against ours on character references: each case's input in an
/// attribute (`data-yanked`) and in text (an anchor's text, between two `t` so that nothing
/// trims).
fn check_references(cases: &[Value]) -> Vec<String> {
    let mut page = String::from("<!DOCTYPE html><html><body>\n");
    for (i, case) in cases.iter().enumerate() {
        let input = case["input"].as_str().expect("input");
        page.push_str(&format!(
            "<a href=\"f{i}\" data-yanked=\"{input}\">t{input}t</a>\n"
        ));
    }
    let parsed = html::parse_project_page(&page, "https://index.example/simple/demo/")
        .expect("references page");
    let files = &parsed.value.files;
    assert_eq!(files.len(), cases.len());
    let mut problems = Vec::new();
    for (case, file) in cases.iter().zip(files) {
        let attribute = match &file.yanked {
            Yanked::Yanked(Some(reason)) => reason.as_str(),
            _ => "",
        };
        let text = file.filename.strip_prefix('t').unwrap_or(&file.filename);
        let text = text.strip_suffix('t').unwrap_or(text);
        if attribute != case["attribute"] || text != case["text"] {
            problems.push(format!(
                "{}: ours {attribute:?} / {text:?}, html5lib {} / {}",
                case["input"], case["attribute"], case["text"]
            ));
        }
    }
    problems
}

fn check(case: &Value) -> Vec<String> {
    if case["kind"] == "references" {
        return check_references(case["cases"].as_array().expect("cases"));
    }
    let file = case["file"].as_str().expect("file");
    let kind = case["kind"].as_str().expect("kind");
    let url = case["url"].as_str().expect("url");
    let text = std::fs::read_to_string(util::path(&format!("tests/data/simple/{file}")))
        .expect("page file");
    let got = probe::parse(kind, &text, url);
    let mut problems = Vec::new();
    let expected = &case["pypi_simple"];
    if expected.get("error").is_some() || got.get("error").is_some() {
        if expected.get("error").is_some() != got.get("error").is_some() {
            problems.push(format!(
                "pypi-simple: {}, ours: {}",
                expected.get("error").unwrap_or(&Value::Null),
                got.get("error").unwrap_or(&Value::Null)
            ));
        }
        return problems;
    }
    if expected["api-version"] != got["meta"]["api-version"] {
        problems.push(format!(
            "api-version: ours {}, pypi-simple {}",
            got["meta"]["api-version"], expected["api-version"]
        ));
    }
    let warned = got["warnings"].as_array().is_some_and(|w| {
        w.iter()
            .any(|w| w.as_str().is_some_and(|s| s.contains("newer than")))
    });
    if expected["newer-minor-warning"] != warned {
        problems.push(format!("newer-minor warning: ours {warned}"));
    }
    if kind.starts_with("root") {
        let names: Vec<&Value> = got["projects"]
            .as_array()
            .expect("projects")
            .iter()
            .map(|p| &p["name"])
            .collect();
        let theirs: Vec<&Value> = expected["projects"]
            .as_array()
            .expect("projects")
            .iter()
            .collect();
        if names != theirs {
            problems.push(format!("projects: ours {names:?}, pypi-simple {theirs:?}"));
        }
        return problems;
    }
    compare(
        "pypi-simple",
        expected,
        &got,
        &["project-status", "versions"],
        &mut problems,
    );
    let ours = got["files"].as_array().expect("files");
    let theirs = expected["files"].as_array().expect("files");
    if ours.len() != theirs.len() {
        problems.push(format!(
            "{} files, pypi-simple {}",
            ours.len(),
            theirs.len()
        ));
    }
    for (i, (o, t)) in ours.iter().zip(theirs).enumerate() {
        compare(
            &format!("file {i} (pypi-simple)"),
            t,
            o,
            &[
                "filename",
                "url",
                "hashes",
                "requires-python",
                "yanked",
                "core-metadata",
                "gpg-sig",
                "provenance",
                "size",
            ],
            &mut problems,
        );
    }
    if let Some(pip) = case["pip"].as_array() {
        if pip.len() != ours.len() {
            problems.push(format!("{} files, pip {}", ours.len(), pip.len()));
        }
        for (i, (o, t)) in ours.iter().zip(pip).enumerate() {
            compare(
                &format!("file {i} (pip)"),
                t,
                o,
                &[
                    "url",
                    "requires-python",
                    "yanked",
                    "hashes",
                    "core-metadata",
                ],
                &mut problems,
            );
        }
    }
    problems
}

/// Every page in `tests/data/simple/` parses as pypi-simple 1.8.0 and pip 26.3 parse it, but for
/// the deviations listed (with reasons) in `expected_failures.txt`.
#[test]
fn pages_match_pypi_simple_and_pip() {
    let vectors = util::vectors("simple.jsonl");
    assert!(vectors.cases.len() >= 15);
    let mut failures = Vec::new();
    for (line, case) in &vectors.cases {
        let problems = check(case);
        if !problems.is_empty() {
            failures.push((
                format!("simple.jsonl:{line}"),
                format!("{}: {}", case["file"], problems.join("; ")),
            ));
        }
    }
    util::check_failures(&vectors, &failures);
}

/// `inspect render-json MODEL` then `inspect project-json` gives the model back, and
/// `render-html` then `project-html` gives what HTML carries of it, for every model the client
/// check (`scripts/check-simple-clients`) feeds to pip and pypi-simple.
#[test]
fn models_render_and_parse_back() {
    let dir = util::path("tests/data/simple/models");
    let mut count = 0;
    for entry in std::fs::read_dir(dir).expect("models") {
        let path = entry.expect("entry").path();
        let text = std::fs::read_to_string(&path).expect("model");
        let mut model: Value = serde_json::from_str(&text).expect("model JSON");
        let url = "https://index.example/simple/demo/";
        let json_page = probe::render("render-json", &text).expect("renders");
        let mut back = probe::parse("project-json", &json_page, url);
        assert_eq!(
            back["warnings"],
            serde_json::json!([]),
            "{}",
            path.display()
        );
        back.as_object_mut().unwrap().remove("warnings");
        model["meta"]["api-version"] = "1.4".into();
        if model["meta"].get("_last-serial").is_none() {
            model["meta"]["_last-serial"] = Value::Null;
        }
        for key in ["project-status", "versions"] {
            if model.get(key).is_none() {
                model[key] = Value::Null;
            }
        }
        assert_eq!(back, model, "{}", path.display());
        let html_page = probe::render("render-html", &text).expect("renders");
        let back = probe::parse("project-html", &html_page, url);
        assert_eq!(
            back["warnings"],
            serde_json::json!([]),
            "{}",
            path.display()
        );
        for (got, want) in back["files"]
            .as_array()
            .unwrap()
            .iter()
            .zip(model["files"].as_array().unwrap())
        {
            for key in [
                "filename",
                "url",
                "requires-python",
                "yanked",
                "gpg-sig",
                "provenance",
            ] {
                assert_eq!(got[key], want[key], "{} {key}", path.display());
            }
        }
        count += 1;
    }
    assert!(count >= 3);
}

/// The named-reference table is what `scripts/gen-html-entities` makes of html5lib's copy of
/// the WHATWG table (run where the reference venv is: `PYPACKAGING_REF_VENV`).
#[test]
fn entity_table_regenerates_unchanged() {
    if std::env::var_os("PYPACKAGING_REF_VENV").is_none() {
        eprintln!("PYPACKAGING_REF_VENV is not set: not regenerating the entity table");
        return;
    }
    let status = std::process::Command::new(util::path("scripts/gen-html-entities"))
        .arg("--check")
        .status()
        .expect("scripts/gen-html-entities runs");
    assert!(status.success(), "src/simple/html/entity_table.rs is stale");
}
