//! `inspect version` and `inspect sort-versions` (PEP 440).

use pypackaging::version::{Version, sort_by_version};
use serde_json::{Value, json};

/// Answers one input line: `{"input", "ok", "normalized", "epoch", "release", "pre", "dev",
/// "local"}`, or `{"input", "ok": false, "error"}`.
pub fn probe(input: &str) -> Value {
    match pypackaging::version::parse_version(input) {
        Ok(v) => {
            let local = if v.local().is_empty() {
                Value::Null
            } else {
                let segments: Vec<String> = v.local().iter().map(ToString::to_string).collect();
                json!(segments.join("."))
            };
            json!({
                "input": input,
                "ok": true,
                "normalized": v.to_string(),
                "epoch": v.epoch(),
                "release": v.release(),
                "pre": v.any_prerelease(),
                "dev": v.is_dev(),
                "local": local,
            })
        }
        Err(e) => json!({"input": input, "ok": false, "error": e.to_string()}),
    }
}

/// The valid versions among `lines`, in ascending PEP 440 order, each as given; equal versions
/// keep their input order, invalid lines are left out.
pub fn sort(lines: &[String]) -> Vec<String> {
    let mut versions: Vec<(Version, &String)> = lines
        .iter()
        .filter_map(|line| {
            pypackaging::version::parse_version(line)
                .ok()
                .map(|v| (v, line))
        })
        .collect();
    sort_by_version(&mut versions, |(v, _)| v);
    versions.into_iter().map(|(_, line)| line.clone()).collect()
}
