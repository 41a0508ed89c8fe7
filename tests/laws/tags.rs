//! Laws of `tags` (fuzz target `platform_tag`).

use pypackaging::tags::{AbiTag, LanguageTag, PlatformTag};

/// Every string is a platform, ABI and Python tag: parsing never panics, the display is the
/// lower-cased input, and parsing the display gives the same value.
pub fn platform_tag(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let lower = text.to_lowercase();
    let platform = PlatformTag::parse(text);
    assert_eq!(
        platform.to_string(),
        lower,
        "platform {text:?}: {platform:?}"
    );
    assert_eq!(PlatformTag::parse(&lower), platform);
    let abi = AbiTag::parse(text);
    assert_eq!(abi.to_string(), lower, "ABI {text:?}: {abi:?}");
    assert_eq!(AbiTag::parse(&lower), abi);
    let python = LanguageTag::parse(text);
    assert_eq!(python.to_string(), lower, "python {text:?}: {python:?}");
    assert_eq!(LanguageTag::parse(&lower), python);
}
