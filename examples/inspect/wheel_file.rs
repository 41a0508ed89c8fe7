//! `inspect wheel-file FILE.whl`: a wheel's filename, `WHEEL`, `METADATA` and the verification
//! of every member against `RECORD`.
//!
//! The filename is split by a minimal private parser (name, version, optional build tag,
//! compressed tag set) until the crate's wheel filename module can be used here.

use std::io::Cursor;

use pypackaging::metadata::{WheelArchive, WheelInfo};
use pypackaging::{PackageName, Version};
use serde_json::{Value, json};

/// The parts of a wheel filename: name, version, build, tags (expanded, sorted).
struct Filename {
    name: PackageName,
    version: Version,
    build: Option<String>,
    tags: Vec<String>,
}

fn split_filename(filename: &str) -> Result<Filename, String> {
    let stem = filename
        .strip_suffix(".whl")
        .ok_or_else(|| format!("`{filename}` does not end in `.whl`"))?;
    let parts: Vec<&str> = stem.split('-').collect();
    let (name, version, build, python, abi, platform) = match parts[..] {
        [n, v, p, a, pl] => (n, v, None, p, a, pl),
        [n, v, b, p, a, pl] => (n, v, Some(b), p, a, pl),
        _ => {
            return Err(format!(
                "`{filename}` does not have 5 or 6 `-`-separated parts"
            ));
        }
    };
    let name: PackageName = name.parse().map_err(|e| format!("{e}"))?;
    let version: Version = version.parse().map_err(|e| format!("{e}"))?;
    if let Some(b) = build
        && !b.starts_with(|c: char| c.is_ascii_digit())
    {
        return Err(format!("build tag `{b}` does not start with a digit"));
    }
    let mut tags = Vec::new();
    for p in python.split('.') {
        for a in abi.split('.') {
            for pl in platform.split('.') {
                tags.push(format!("{p}-{a}-{pl}"));
            }
        }
    }
    tags.sort();
    tags.dedup();
    Ok(Filename {
        name,
        version,
        build: build.map(str::to_owned),
        tags,
    })
}

fn filename_json(input: &str, parsed: &Result<Filename, String>) -> Value {
    match parsed {
        Ok(f) => {
            let build = f.build.as_ref().map(|b| {
                let digits = b.bytes().take_while(u8::is_ascii_digit).count();
                json!([b[..digits].parse::<u64>().unwrap_or(u64::MAX), &b[digits..]])
            });
            json!({"input": input, "ok": true, "name": f.name.as_str(), "version": f.version.to_string(),
                   "build": build, "tags": f.tags})
        }
        Err(e) => json!({"input": input, "ok": false, "error": e}),
    }
}

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

/// The JSON document for a wheel's bytes and its filename (the last path component);
/// `metadata` describes `METADATA` (the `inspect metadata` document: pass `metadata::describe`).
pub fn describe(filename: &str, data: Vec<u8>, metadata: fn(&[u8]) -> Value) -> Value {
    let parsed = split_filename(filename);
    let mut document = json!({"filename": filename_json(filename, &parsed)});
    let failed = |document: &mut Value, error: String| {
        document["wheel"] = json!({"error": error});
        document["metadata"] = json!({"error": error});
        document["record"] = json!({"entries": 0, "verified": false, "problems": [error]});
    };
    let f = match parsed {
        Ok(f) => f,
        Err(e) => {
            failed(&mut document, format!("invalid wheel filename: {e}"));
            return document;
        }
    };
    let mut wheel = match WheelArchive::new(Cursor::new(data), &f.name, &f.version) {
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
        Ok(bytes) => metadata(&bytes),
        Err(e) => json!({"error": e.to_string()}),
    };
    let report = wheel.verify(&f.tags, f.build.as_deref());
    let problems: Vec<String> = report.problems.iter().map(ToString::to_string).collect();
    document["record"] = json!({
        "entries": report.record_entries,
        "verified": problems.is_empty(),
        "problems": problems,
    });
    document
}

/// `inspect wheel-file FILE.whl`, with `metadata` describing `METADATA`.
pub fn probe(args: &[String], metadata: fn(&[u8]) -> Value) -> Result<String, (u8, String)> {
    let [file] = args else {
        return Err((2, "expected one argument: the wheel file".into()));
    };
    let data = std::fs::read(file).map_err(|e| (1, format!("{file}: {e}")))?;
    let filename = std::path::Path::new(file)
        .file_name()
        .map_or_else(|| file.clone(), |n| n.to_string_lossy().into_owned());
    Ok(describe(&filename, data, metadata).to_string())
}
