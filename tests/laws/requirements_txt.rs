//! Laws of `requirements_txt` (fuzz target `requirements_txt`).

use pypackaging::requirements_txt::RequirementsTxt;

/// Requirements files: reading never panics, for any bytes; whatever decodes is kept byte for
/// byte (writing back reproduces the input, accepted or not); re-reading the written text gives
/// the same file, errors and warnings; and for a file without errors, the canonical rendering
/// reads without errors and is a fixpoint.
pub fn requirements_txt(data: &[u8]) {
    let env = |name: &str| (name == "V").then(|| "1.0".to_owned());
    let Ok(parsed) = RequirementsTxt::parse_bytes("r.txt", data, &env) else {
        // Not decodable: the text view must still keep every character it can.
        let text = String::from_utf8_lossy(data);
        let parsed = RequirementsTxt::parse_str("r.txt", &text, &env);
        assert_eq!(parsed.file.to_string(), text, "lossless text round trip");
        return;
    };
    assert_eq!(parsed.file.to_bytes(), data, "lossless byte round trip");
    let text = parsed.file.to_string();
    let again = RequirementsTxt::parse_str("r.txt", &text, &env);
    assert_eq!(
        again.file.lines(),
        parsed.file.lines(),
        "re-reading {text:?}"
    );
    assert_eq!(again.errors, parsed.errors, "re-reading {text:?}");
    assert_eq!(again.warnings, parsed.warnings, "re-reading {text:?}");
    if parsed.errors.is_empty() {
        let canonical = parsed.file.to_canonical_string();
        let reread = RequirementsTxt::parse_str("r.txt", &canonical, &|_| None);
        assert!(
            reread.errors.is_empty(),
            "canonical form of {text:?} is {canonical:?}, which fails: {:?}",
            reread.errors
        );
        assert_eq!(
            reread.file.to_canonical_string(),
            canonical,
            "canonical fixpoint for {text:?}"
        );
        let entries = |f: &RequirementsTxt| -> Vec<(String, bool, Vec<String>)> {
            let mut v: Vec<_> = f
                .entries()
                .map(|e| {
                    (
                        e.requirement().trim_end().to_owned(),
                        e.is_editable(),
                        e.hashes().iter().map(ToString::to_string).collect(),
                    )
                })
                .collect();
            v.sort();
            v
        };
        if !text.contains("${") {
            assert_eq!(
                entries(&reread.file),
                entries(&parsed.file),
                "canonical keeps entries of {text:?}"
            );
        }
    }
}
