//! `inspect wheel-file FILE.whl`: a wheel's filename, `WHEEL`, `METADATA` and the verification
//! of every member against `RECORD`.
//!
//! The filename part is the `inspect wheel` object for the file's name.

use std::io::Cursor;

use pypackaging::WheelFilename;
use pypackaging::metadata::{WheelArchive, WheelInfo};
use serde_json::{Value, json};

fn wheel_json(info: &WheelInfo) -> Value {
    let (major, minor) = info.wheel_version;
    json!({
        "wheel_version": format!("{major}.{minor}"),
        "generator": info.generator,
        "root_is_purelib": info.root_is_purelib,
        "tag": info.tags,
        "build": info.build,
    })
}

/// The kinds this one is made of: `inspect wheel` for the filename, `inspect metadata` for
/// `METADATA` (pass `filename::wheel` and `metadata::describe`).
pub struct Parts {
    /// Describes a wheel filename.
    pub filename: fn(&str) -> Value,
    /// Describes `METADATA` bytes.
    pub metadata: fn(&[u8]) -> Value,
}

/// The JSON document for a wheel's bytes and its filename (the last path component).
pub fn describe(filename: &str, data: Vec<u8>, parts: &Parts) -> Value {
    let mut document = json!({"filename": (parts.filename)(filename)});
    let failed = |document: &mut Value, error: String| {
        document["wheel"] = json!({"error": error});
        document["metadata"] = json!({"error": error});
        document["record"] = json!({"entries": 0, "verified": false, "problems": [error]});
    };
    let f = match WheelFilename::parse(filename) {
        Ok(f) => f,
        Err(e) => {
            failed(&mut document, e.to_string());
            return document;
        }
    };
    let mut wheel = match WheelArchive::for_filename(Cursor::new(data), &f) {
        Ok(wheel) => wheel,
        Err(e) => {
            failed(&mut document, e.to_string());
            return document;
        }
    };
    document["wheel"] = match wheel.wheel_info() {
        Ok(info) => wheel_json(&info),
        Err(e) => json!({"error": e.to_string()}),
    };
    document["metadata"] = match wheel.read_dist_info_file("METADATA") {
        Ok(bytes) => (parts.metadata)(&bytes),
        Err(e) => json!({"error": e.to_string()}),
    };
    let report = wheel.verify_filename(&f);
    let problems: Vec<String> = report.problems.iter().map(ToString::to_string).collect();
    document["record"] = json!({
        "entries": report.record_entries,
        "verified": problems.is_empty(),
        "problems": problems,
    });
    document
}

/// `inspect wheel-file FILE.whl`.
pub fn probe(args: &[String], parts: &Parts) -> Result<String, (u8, String)> {
    let [file] = args else {
        return Err((2, "expected one argument: the wheel file".into()));
    };
    let data = std::fs::read(file).map_err(|e| (1, format!("{file}: {e}")))?;
    let filename = std::path::Path::new(file)
        .file_name()
        .map_or_else(|| file.clone(), |n| n.to_string_lossy().into_owned());
    Ok(describe(&filename, data, parts).to_string())
}
