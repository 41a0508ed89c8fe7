//! The laws each parser obeys, one function per fuzz target.
//!
//! Shared by the cargo-fuzz targets in `fuzz/` (through `#[path]`) and by `tests/fuzz_seeds.rs`,
//! which replays every committed seed and past crash under `cargo test`. Each law panics, with
//! the input, when it is broken.
#![allow(dead_code)]

use pypackaging::name::{self, normalize};
use pypackaging::{Digest, ExtraName, PackageName};

/// Names: parsing never panics; an accepted name round-trips through `Display`, its normal form
/// is a fixpoint, agrees with [`normalize`], and both name kinds accept the same strings.
pub fn name(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let normalized = normalize(text);
    assert_eq!(
        normalize(&normalized),
        normalized,
        "normalize is idempotent for {text:?}"
    );
    match PackageName::new(text) {
        Ok(parsed) => {
            assert!(name::is_valid(text));
            assert_eq!(parsed.as_str(), normalized, "{text:?}");
            let again: PackageName = parsed.to_string().parse().expect("display re-parses");
            assert_eq!(again, parsed, "{text:?}");
            let extra = ExtraName::new(text).expect("same rule for extras");
            assert_eq!(extra.as_str(), parsed.as_str());
            let owned = PackageName::from_owned(text.to_owned()).expect("owned parse agrees");
            assert_eq!(owned, parsed);
        }
        Err(e) => {
            assert!(!name::is_valid(text));
            assert!(ExtraName::new(text).is_err(), "{text:?}");
            assert!(!e.to_string().is_empty());
        }
    }
}

/// Digests: each textual form either fails or round-trips exactly (after lower-casing hex), and
/// every accepted digest prints in the other forms, which parse back to it.
pub fn digest(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let check_all_forms = |digest: &Digest| {
        let pip = digest.to_string();
        assert_eq!(pip.parse::<Digest>().as_ref(), Ok(digest), "{pip}");
        let fragment = digest.url_fragment().to_string();
        assert_eq!(
            Digest::from_url_fragment(&fragment).as_ref(),
            Ok(digest),
            "{fragment}"
        );
        let record = digest.record().to_string();
        assert_eq!(
            Digest::from_record(&record).as_ref(),
            Ok(digest),
            "{record}"
        );
        assert_eq!(
            Digest::from_hex(digest.algorithm(), &digest.hex()).as_ref(),
            Ok(digest)
        );
    };
    if let Ok(d) = text.parse::<Digest>() {
        assert_eq!(
            d.to_string(),
            text.to_ascii_lowercase(),
            "pip form round-trips"
        );
        check_all_forms(&d);
    }
    if let Ok(d) = Digest::from_url_fragment(text) {
        let bare = text.strip_prefix('#').unwrap_or(text);
        assert_eq!(d.url_fragment().to_string(), bare.to_ascii_lowercase());
        check_all_forms(&d);
    }
    if let Ok(d) = Digest::from_record(text) {
        assert_eq!(
            d.record().to_string(),
            text,
            "RECORD form round-trips byte for byte"
        );
        check_all_forms(&d);
    }
}
