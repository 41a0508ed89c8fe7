//! Laws of `filename` (fuzz targets `wheel_filename`, `sdist_filename`).

use pypackaging::filename::{NonCanonical, ParseMode, SdistFilename, WheelFilename};
use pypackaging::tags::{AbiTag, CompressedTagSet, LanguageTag, PlatformTag};

/// Wheel filenames: parsing never panics; an accepted name displays as a canonical filename
/// (strict mode accepts it, it is a fixpoint, it parses back to the same value); the input has
/// no non-canonical reason exactly when it is already that display; and the tag set stands for
/// at most `MAX_TAGS` distinct triples.
pub fn wheel_filename(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    match WheelFilename::parse_diagnosed(text) {
        Ok((wheel, reasons)) => {
            let shown = wheel.to_string();
            let again = WheelFilename::parse_with(&shown, ParseMode::Strict)
                .unwrap_or_else(|e| panic!("{text:?} displays as {shown:?}, which fails: {e}"));
            assert_eq!(again, wheel, "{text:?}");
            assert_eq!(
                again.to_string(),
                shown,
                "display is a fixpoint for {text:?}"
            );
            assert_eq!(
                reasons.is_empty(),
                text == shown,
                "{text:?} vs {shown:?}: {reasons:?}"
            );
            // The fast paths agree with the general readers: the version with pep440_rs's
            // parser, the tag set with one built from its members.
            let stem = &text[..text.len() - ".whl".len()];
            let parts: Vec<&str> = stem.split('-').collect();
            let version: pypackaging::Version = parts[1].parse().expect("accepted version");
            assert_eq!(wheel.version(), &version, "{text:?}");
            assert_eq!(wheel.sortable_version().to_string(), version.to_string());
            let members = |part: &str| part.split('.').map(str::to_owned).collect::<Vec<_>>();
            let n = parts.len();
            let rebuilt = CompressedTagSet::from_parts(
                members(parts[n - 3])
                    .iter()
                    .map(|m| LanguageTag::parse(m))
                    .collect(),
                members(parts[n - 2])
                    .iter()
                    .map(|m| AbiTag::parse(m))
                    .collect(),
                members(parts[n - 1])
                    .iter()
                    .map(|m| PlatformTag::parse(m))
                    .collect(),
            );
            assert_eq!(rebuilt.as_ref(), Some(wheel.tags()), "{text:?}");
            let tags: Vec<_> = wheel.expanded_tags().collect();
            assert!(tags.len() <= CompressedTagSet::MAX_TAGS);
            let distinct: std::collections::HashSet<_> = tags.iter().collect();
            assert_eq!(distinct.len(), tags.len(), "{text:?} expands to duplicates");
        }
        Err(e) => assert!(!e.to_string().is_empty()),
    }
}

/// Sdist filenames: the same laws as wheels (a `.zip` is valid but never canonical).
pub fn sdist_filename(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    match SdistFilename::parse_diagnosed(text) {
        Ok((sdist, reasons)) => {
            let shown = sdist.to_string();
            let again = SdistFilename::parse(&shown)
                .unwrap_or_else(|e| panic!("{text:?} displays as {shown:?}, which fails: {e}"));
            assert_eq!(again, sdist, "{text:?}");
            assert_eq!(again.to_string(), shown);
            let spelled = reasons
                .iter()
                .filter(|r| !matches!(r, NonCanonical::LegacyFormat))
                .count();
            assert_eq!(
                spelled == 0,
                text == shown,
                "{text:?} vs {shown:?}: {reasons:?}"
            );
        }
        Err(e) => assert!(!e.to_string().is_empty()),
    }
}
