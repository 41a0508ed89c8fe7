//! Target tag lists against pip 26.3 (`get_supported`) and packaging 26.3 (`sys_tags` on a
//! native interpreter), through the code `inspect tags` runs. Vectors: `tests/vectors/tags.jsonl`.

mod util;

#[path = "../examples/inspect/tags.rs"]
mod probe_tags;

use sha2::{Digest, Sha256};

#[test]
fn target_tags_match_pip_and_packaging() {
    let vectors = util::vectors("tags.jsonl");
    assert!(vectors.cases.len() > 1000);
    let mut failures = Vec::new();
    for (line, case) in &vectors.cases {
        let args: Vec<String> = serde_json::from_value(case["args"].clone()).expect("args");
        let id = format!("tags.jsonl:{line}");
        let text = match probe_tags::probe(&args) {
            Ok(text) => text,
            Err((_, e)) => {
                failures.push((id, format!("{args:?}: error {e}")));
                continue;
            }
        };
        let lines: Vec<&str> = text.lines().collect();
        let head: Vec<String> = serde_json::from_value(case["head"].clone()).expect("head");
        let digest = format!("{:x}", Sha256::digest(text.as_bytes()));
        if lines.len() as u64 != case["count"].as_u64().expect("count")
            || lines.iter().zip(&head).any(|(a, b)| a != b)
            || digest != case["sha256"].as_str().expect("sha256")
        {
            let first = lines.iter().zip(&head).position(|(a, b)| a != b);
            failures.push((
                id,
                format!(
                    "{}: {} tags (reference {}), first difference in head at {first:?}, got head {:?}",
                    args.join(" "),
                    lines.len(),
                    case["count"],
                    &lines[..lines.len().min(8)]
                ),
            ));
        }
    }
    util::check_failures(&vectors, &failures);
}
