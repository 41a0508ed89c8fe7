//! Laws of `version`.

use std::str::FromStr;

use pypackaging::version::{SortableVersion, VersionKey, parse_version};

/// `SortableVersion` accepts exactly what `parse_version` (pep440_rs's `Version` after Python's
/// whitespace strip, as packaging reads versions) accepts, with the same
/// version, normalized form, error message and order key; and sorting a few of them by key
/// agrees with `Version`'s `Ord`.
pub fn version(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let mut parsed = Vec::new();
    for part in std::iter::once(text).chain(text.split('|').take(8)) {
        let ours = SortableVersion::from_str(part);
        let theirs = parse_version(part);
        match (&ours, &theirs) {
            (Ok(ours), Ok(theirs)) => {
                let built = ours.to_version();
                assert_eq!(&built, theirs, "{part:?}");
                assert_eq!(ours.to_string(), theirs.to_string(), "{part:?}");
                assert_eq!(built.to_string(), theirs.to_string(), "{part:?}");
                assert_eq!(built.release(), theirs.release(), "{part:?}");
                assert_eq!(
                    (built.pre(), built.post(), built.dev()),
                    (theirs.pre(), theirs.post(), theirs.dev()),
                    "{part:?}"
                );
                assert_eq!(
                    ours.cmp(&SortableVersion::new(theirs.clone())),
                    std::cmp::Ordering::Equal,
                    "{part:?}"
                );
                parsed.push(ours.clone());
            }
            (Err(ours), Err(theirs)) => assert_eq!(ours.to_string(), theirs.to_string()),
            _ => panic!("{part:?}: SortableVersion {ours:?}, Version {theirs:?}"),
        }
    }
    for a in &parsed {
        for b in &parsed {
            let (x, y) = (a.to_version(), b.to_version());
            let by_version = x.cmp(&y);
            assert_eq!(a.cmp(b), by_version, "{a} vs {b}");
            assert_eq!(
                VersionKey::new(&x).cmp(&VersionKey::new(&y)),
                by_version,
                "{a} vs {b}"
            );
            if a == b {
                let hash = |v: &SortableVersion| {
                    use std::hash::{Hash, Hasher};
                    let mut state = std::hash::DefaultHasher::new();
                    v.hash(&mut state);
                    state.finish()
                };
                assert_eq!(hash(a), hash(b), "{a} == {b} must hash alike");
            }
        }
    }
}
