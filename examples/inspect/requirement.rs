//! `inspect requirement`: PEP 508 dependency specifiers (through `pep508_rs`).

use pypackaging::version::{VersionOrUrl, parse_requirement};
use serde_json::{Value, json};

/// `{"input", "ok", "name", "extras", "specifier", "url", "marker"}` or
/// `{"input", "ok": false, "error"}`.
pub fn probe(input: &str) -> Value {
    let requirement = match parse_requirement(input) {
        Ok(requirement) => requirement,
        Err(e) => return json!({"input": input, "ok": false, "error": e.to_string()}),
    };
    let mut extras: Vec<&str> = requirement.extras.iter().map(AsRef::as_ref).collect();
    extras.sort_unstable();
    extras.dedup();
    let (specifier, url) = match &requirement.version_or_url {
        None => (String::new(), Value::Null),
        Some(VersionOrUrl::VersionSpecifier(specifiers)) => {
            let mut parts: Vec<String> = specifiers.iter().map(ToString::to_string).collect();
            parts.sort();
            (parts.join(","), Value::Null)
        }
        Some(VersionOrUrl::Url(url)) => (
            String::new(),
            json!(url.given().map_or_else(|| url.to_string(), str::to_owned)),
        ),
    };
    json!({
        "input": input,
        "ok": true,
        "name": requirement.name.as_ref(),
        "extras": extras,
        "specifier": specifier,
        "url": url,
        "marker": requirement.marker.try_to_string(),
    })
}
