//! `inspect metadata FILE`: a METADATA or PKG-INFO file as its PEP 566 JSON form, with the
//! verdict of strict validation.

use pypackaging::metadata::RawMetadata;
use serde_json::{Value, json};

/// The JSON document for the bytes of a METADATA or PKG-INFO file: the PEP 566 JSON form, plus
/// `"valid"`, `"errors"` (every problem strict validation finds) and `"error_fields"` (the
/// lower-case fields of the problems pypa/packaging also reports, sorted, each once).
pub fn describe(data: &[u8]) -> Value {
    let raw = RawMetadata::parse(data);
    let mut document = raw.to_json();
    let (errors, mut fields) = match raw.validate() {
        Ok(_) => (Vec::new(), Vec::new()),
        Err(errors) => {
            let messages: Vec<String> = errors.errors().iter().map(ToString::to_string).collect();
            let fields: Vec<String> = errors
                .errors()
                .iter()
                .filter(|e| e.is_reported_by_packaging())
                .map(|e| e.field())
                .collect();
            (messages, fields)
        }
    };
    fields.sort();
    fields.dedup();
    if let Value::Object(map) = &mut document {
        map.insert("valid".into(), json!(errors.is_empty()));
        map.insert("errors".into(), json!(errors));
        map.insert("error_fields".into(), json!(fields));
    }
    document
}

/// `inspect metadata FILE`.
pub fn probe(args: &[String]) -> Result<String, (u8, String)> {
    let [file] = args else {
        return Err((
            2,
            "expected one argument: the METADATA or PKG-INFO file".into(),
        ));
    };
    let data = std::fs::read(file).map_err(|e| (1, format!("{file}: {e}")))?;
    Ok(describe(&data).to_string())
}
