//! Best-file selection against pip 26.3's `LinkEvaluator` and `CandidateEvaluator` (format
//! control, wheel tags, specifier, pre-releases, ordering). Vectors:
//! `tests/vectors/selection.jsonl`; the file lists are in its header. (No `inspect` kind covers
//! selection, so this drives the library directly.)

mod util;

use pypackaging::filename::DistFilename;
use pypackaging::select::{FormatControl, PrereleasePolicy, best_file};
use pypackaging::tags::{Target, TargetSpec};
use pypackaging::{PackageName, VersionSpecifiers};

#[test]
fn best_file_matches_pip() {
    let vectors = util::vectors("selection.jsonl");
    assert!(vectors.cases.len() > 3000);
    let project: PackageName = "foo".parse().unwrap();
    let mut failures = Vec::new();
    for (line, case) in &vectors.cases {
        let names: Vec<String> = serde_json::from_value(
            vectors.header["files"][case["files"].as_str().unwrap()].clone(),
        )
        .expect("file list");
        let files: Vec<DistFilename> = names.iter().map(|n| n.parse().unwrap()).collect();
        let t = &case["target"];
        let strings = |v: &serde_json::Value| -> Vec<String> {
            serde_json::from_value(v.clone()).expect("strings")
        };
        let (abis, platforms) = (strings(&t["abis"]), strings(&t["platforms"]));
        let spec = TargetSpec::new(
            t["implementation"].as_str().unwrap(),
            t["python"].as_str().unwrap(),
            &abis.iter().map(String::as_str).collect::<Vec<_>>(),
            &platforms.iter().map(String::as_str).collect::<Vec<_>>(),
        )
        .unwrap();
        let target = Target::pip(&spec).unwrap();
        let mut control = FormatControl::default();
        for op in case["formats"].as_array().unwrap() {
            let value = op[1].as_str().unwrap();
            match op[0].as_str().unwrap() {
                "only" => control.only_binary(value).unwrap(),
                _ => control.no_binary(value).unwrap(),
            }
        }
        let specifiers: VersionSpecifiers = case["specifier"].as_str().unwrap().parse().unwrap();
        let policy = if case["pre"] == true {
            PrereleasePolicy::Allow
        } else {
            PrereleasePolicy::IfNeeded
        };
        let best = best_file(&project, &files, &target, &specifiers, policy, &control)
            .map(|b| names[files.iter().position(|f| std::ptr::eq(f, b)).unwrap()].clone());
        let expected = case["best"].as_str().map(str::to_owned);
        if best != expected {
            failures.push((
                format!("selection.jsonl:{line}"),
                format!(
                    "{} {:?} pre={} formats={}: got {best:?}, pip picks {expected:?}",
                    case["files"], case["specifier"], case["pre"], case["formats"]
                ),
            ));
        }
    }
    util::check_failures(&vectors, &failures);
}
