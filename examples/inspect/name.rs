//! `inspect name`: `{"input", "normalized", "valid"}`, plus `"reason"` when not valid.

use pypackaging::PackageName;
use pypackaging::name::{NameKind, normalize};
use serde_json::{Value, json};

/// Answers one input line.
pub fn probe(input: &str) -> Value {
    let mut out = json!({
        "input": input,
        "normalized": normalize(input),
        "valid": true,
    });
    if let Err(e) = PackageName::new(input) {
        debug_assert_eq!(e.kind(), NameKind::Project);
        out["valid"] = json!(false);
        out["reason"] = json!(e.to_string());
    }
    out
}
