//! `inspect wheel` and `inspect sdist`: wheel and source distribution filenames.

use pypackaging::filename::{SdistFilename, WheelFilename};
use serde_json::{Value, json};

/// `{"input", "ok", "name", "version", "build", "tags"}` or `{"input", "ok": false, "error"}`.
pub fn wheel(input: &str) -> Value {
    match WheelFilename::parse(input) {
        Ok(wheel) => {
            let mut tags: Vec<String> = wheel.expanded_tags().map(|t| t.to_string()).collect();
            tags.sort();
            let build = wheel
                .build()
                .map_or(Value::Null, |b| json!([b.number(), b.suffix()]));
            json!({
                "input": input,
                "ok": true,
                "name": wheel.name().as_str(),
                "version": wheel.version().to_string(),
                "build": build,
                "tags": tags,
            })
        }
        Err(e) => json!({"input": input, "ok": false, "error": e.to_string()}),
    }
}

/// `{"input", "ok", "name", "version", "format"}` or `{"input", "ok": false, "error"}`.
pub fn sdist(input: &str) -> Value {
    match SdistFilename::parse(input) {
        Ok(sdist) => json!({
            "input": input,
            "ok": true,
            "name": sdist.name().as_str(),
            "version": sdist.version().to_string(),
            "format": sdist.format().as_str(),
        }),
        Err(e) => json!({"input": input, "ok": false, "error": e.to_string()}),
    }
}
