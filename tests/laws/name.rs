//! Laws of `name` (fuzz target `name`).

use pypackaging::name::{self, normalize};
use pypackaging::{ExtraName, PackageName};

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
