//! Versions, specifiers, requirements and markers:
//! [PEP 440](https://packaging.python.org/en/latest/specifications/version-specifiers/) and
//! [PEP 508](https://packaging.python.org/en/latest/specifications/dependency-specifiers/).
//!
//! These are the types of [`pep440_rs`] and [`pep508_rs`], re-exported so that users of this
//! crate never have to match those crates' versions by hand. Both are complete implementations
//! of their specifications; this module adds only what the packaging formats around them need.
//!
//! # Examples
//!
//! ```
//! use pypackaging::version::{Requirement, Version, VersionSpecifiers};
//!
//! let version: Version = "1.0.0RC1".parse()?;
//! assert_eq!(version.to_string(), "1.0.0rc1");
//! let specifiers: VersionSpecifiers = ">=1.0.0rc1, <2".parse()?;
//! assert!(specifiers.contains(&version));
//!
//! let requirement: Requirement = "Requests[Security] >= 2.8.1 ; python_version < '3.13'".parse()?;
//! assert_eq!(requirement.name.as_ref(), "requests");
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

pub use pep440_rs::{
    LocalSegment, Operator, Prerelease, PrereleaseKind, Version, VersionParseError,
    VersionSpecifier, VersionSpecifiers, VersionSpecifiersParseError,
};
pub use pep508_rs::{
    MarkerEnvironment, MarkerTree, Pep508Error, Requirement, VerbatimUrl, VersionOrUrl,
};

use std::borrow::Cow;
use std::cmp::Ordering;
use std::str::FromStr;

use crate::diagnostic::Quoted;

/// Why a PEP 508 requirement could not be parsed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("invalid requirement `{}`: {message}", Quoted(text))]
#[non_exhaustive]
pub struct RequirementError {
    /// The requirement as given.
    pub text: String,
    /// What is wrong with it: `pep508_rs`'s message, or this crate's for the inputs it screens.
    pub message: String,
    /// The 1-based column (in characters) where `pep508_rs` found the problem, when it said.
    pub column: Option<usize>,
}

/// Parses a [PEP 508](https://packaging.python.org/en/latest/specifications/dependency-specifiers/)
/// requirement with `pep508_rs`, as every parser in this crate does.
///
/// Use this rather than `Requirement::from_str` directly, for two reasons:
///
/// - `pep508_rs` 0.9.2 panics on some invalid input: a name or an extra that ends in `.`, `-`
///   or `_` before more text (`foo. ==1`, `foo[socks.]`), and non-ASCII text in a marker outside
///   a quoted string (it counts characters as bytes). Such input is invalid PEP 508; here it is
///   an error, found by fuzzing (`fuzz/regressions/`).
/// - `pep508_rs` expands `${NAME}` in the URL of `name @ url` from the process environment.
///   This crate reads no environment: `$` in such a URL is percent-encoded before `pep508_rs`
///   sees it, so the URL is kept as written.
///
/// # Errors
///
/// [`RequirementError`] with the text and what is wrong.
///
/// # Examples
///
/// ```
/// use pypackaging::version::{VersionOrUrl, parse_requirement};
///
/// let r = parse_requirement("Requests[Security]>=2.8.1; python_version<'3.13'")?;
/// assert_eq!(r.name.as_ref(), "requests");
/// let r = parse_requirement("foo @ https://example.com/${VERSION}/foo.whl")?;
/// let Some(VersionOrUrl::Url(url)) = &r.version_or_url else { unreachable!() };
/// assert_eq!(url.given(), Some("https://example.com/${VERSION}/foo.whl"));
/// assert_eq!(
///     parse_requirement("foo. ==1").unwrap_err().to_string(),
///     "invalid requirement `foo. ==1`: package name `foo.` must end with a letter or digit"
/// );
/// # Ok::<(), pypackaging::version::RequirementError>(())
/// ```
pub fn parse_requirement(text: &str) -> Result<Requirement, RequirementError> {
    let error = |message: String| RequirementError {
        text: text.to_owned(),
        message,
        column: None,
    };
    let is_name_char = |c: char| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_');
    let start = text.len() - text.trim_start().len();
    let name_end = text[start..]
        .find(|c: char| !is_name_char(c))
        .map_or(text.len(), |i| start + i);
    let name = &text[start..name_end];
    if name.ends_with(['.', '-', '_']) && name_end < text.len() {
        return Err(error(format!(
            "package name `{name}` must end with a letter or digit"
        )));
    }
    let rest = text[name_end..].trim_start();
    if let Some(extras) = rest.strip_prefix('[') {
        let extras = &extras[..extras.find(']').unwrap_or(extras.len())];
        for extra in extras.split(',') {
            let extra = extra.trim_start();
            let run = &extra[..extra
                .find(|c: char| !is_name_char(c))
                .unwrap_or(extra.len())];
            if run.ends_with(['.', '-', '_']) {
                return Err(error(format!(
                    "extra name `{run}` must end with a letter or digit"
                )));
            }
        }
    }
    if let Some((_, marker)) = text.split_once(';')
        && let Some(c) = non_ascii_outside_quotes(marker)
    {
        return Err(error(format!(
            "unexpected character {c:?} outside a quoted string in the marker"
        )));
    }
    let mut escaped_url = None;
    let for_parser = match text.find('@') {
        Some(at) if text[at..].contains("${") => {
            let url_start = at + 1 + (text[at + 1..].len() - text[at + 1..].trim_start().len());
            let url_end = text[url_start..]
                .find(char::is_whitespace)
                .map_or(text.len(), |i| url_start + i);
            escaped_url = Some(&text[url_start..url_end]);
            Cow::Owned(format!(
                "{}{}{}",
                &text[..url_start],
                text[url_start..url_end].replace('$', "%24"),
                &text[url_end..]
            ))
        }
        _ => Cow::Borrowed(text),
    };
    // Only the message: `Pep508Error`'s `Display` draws a caret under the input, and panics on
    // some non-ASCII input doing so.
    let mut requirement = Requirement::<VerbatimUrl>::from_str(&for_parser)
        .map_err(|e| error(e.message.to_string()))?;
    // Keep the URL as written in `given`, as pep508_rs does when it expands nothing.
    if let (Some(given), Some(VersionOrUrl::Url(url))) =
        (escaped_url, &mut requirement.version_or_url)
    {
        *url = url.clone().with_given(given);
    }
    Ok(requirement)
}

/// A key that orders versions as PEP 440 does, with one integer comparison for nearly every
/// pair of versions seen in practice.
///
/// [`Version`]'s own `Ord` walks its parts behind a pointer; sorting hundreds of thousands of
/// versions spends most of its time there. A `VersionKey` packs epoch, release, pre-, post- and
/// dev-release into one `u128` whose unsigned order agrees with the
/// [PEP 440 order](https://packaging.python.org/en/latest/specifications/version-specifiers/#summary-of-permitted-suffixes-and-relative-ordering)
/// (pypa/packaging's `_cmpkey`): when two packed keys differ, so do the versions, the same way.
/// A field too large for its width saturates: it and every later field become all ones, and the
/// key is marked inexact (likewise after a fifth non-zero release number, and for any version
/// with a local part). Two keys that are equal where either is inexact compare through
/// `Version`'s `Ord`. The order is therefore always exactly the PEP 440 order.
///
/// # Layout, most significant first
///
/// | bits | field |
/// |---|---|
/// | 7 | epoch |
/// | 4 × 20 | release numbers 1 to 4 (missing ones are 0, so `1.0` and `1.0.0` are equal) |
/// | 3 + 12 | pre-release: 0 = only a dev release (sorts first), 1/2/3 = a/b/rc, 4 = none; number |
/// | 13 | post-release: 0 = none, else number + 1 |
/// | 13 | dev release: number, or all ones for none (sorts last) |
#[derive(Debug, Clone, Copy)]
pub struct VersionKey<'a> {
    packed: u128,
    exact: bool,
    version: &'a Version,
}

impl<'a> VersionKey<'a> {
    /// The key of `version`.
    pub fn new(version: &'a Version) -> Self {
        let (packed, exact) = pack(version);
        VersionKey {
            packed,
            exact,
            version,
        }
    }

    /// The version the key stands for.
    pub fn version(&self) -> &'a Version {
        self.version
    }

    /// Whether the packed key alone decides every comparison with another exact key.
    pub fn is_exact(&self) -> bool {
        self.exact
    }
}

impl PartialEq for VersionKey<'_> {
    fn eq(&self, other: &Self) -> bool {
        self.cmp(other) == Ordering::Equal
    }
}

impl Eq for VersionKey<'_> {}

impl PartialOrd for VersionKey<'_> {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for VersionKey<'_> {
    fn cmp(&self, other: &Self) -> Ordering {
        compare_packed(
            (self.packed, self.exact),
            (other.packed, other.exact),
            || self.version.cmp(other.version),
        )
    }
}

/// Compares two packed keys, calling `full` only when they are equal and either is inexact.
fn compare_packed(
    (a, a_exact): (u128, bool),
    (b, b_exact): (u128, bool),
    full: impl FnOnce() -> Ordering,
) -> Ordering {
    match a.cmp(&b) {
        Ordering::Equal if !(a_exact && b_exact) => full(),
        order => order,
    }
}

/// Packs `version` as [`VersionKey`] documents: the key and whether it is exact.
fn pack(version: &Version) -> (u128, bool) {
    /// Appends fields to a key. A value too large for its field saturates it: the field and
    /// every later one become all ones, so the key stays at or above every key of a version
    /// that agrees on the earlier fields, and is marked inexact.
    struct Packer {
        key: u128,
        exact: bool,
        saturated: bool,
    }
    impl Packer {
        fn push(&mut self, value: u64, bits: u32) {
            self.push_up_to(value, bits, (1u64 << bits) - 1);
        }

        fn push_up_to(&mut self, value: u64, bits: u32, max: u64) {
            if value > max {
                self.saturate();
            }
            let value = if self.saturated {
                (1u64 << bits) - 1
            } else {
                value
            };
            self.key = (self.key << bits) | u128::from(value);
        }

        fn saturate(&mut self) {
            self.saturated = true;
            self.exact = false;
        }
    }

    let mut packer = Packer {
        key: 0,
        exact: version.local().is_empty(),
        saturated: false,
    };
    packer.push(version.epoch(), 7);
    let release = version.release();
    for i in 0..4 {
        packer.push(release.get(i).copied().unwrap_or(0), 20);
    }
    if release.len() > 4 && release[4..].iter().any(|&n| n != 0) {
        // The release goes on beyond the key: it is above every version that agrees on the
        // first four numbers and has zeros after them, whatever their suffixes.
        packer.saturate();
    }
    let (pre_kind, pre_number) = match (version.pre(), version.post(), version.dev()) {
        (None, None, Some(_)) => (0, 0),
        (None, _, _) => (4, 0),
        (Some(pre), _, _) => match pre.kind {
            PrereleaseKind::Alpha => (1, pre.number),
            PrereleaseKind::Beta => (2, pre.number),
            PrereleaseKind::Rc => (3, pre.number),
        },
    };
    packer.push(pre_kind, 3);
    packer.push(pre_number, 12);
    packer.push(version.post().map_or(0, |n| n.saturating_add(1)), 13);
    // No dev release sorts last: all ones, which a dev number never reaches.
    match version.dev() {
        None => packer.push(u64::MAX >> (64 - 13), 13),
        Some(n) => packer.push_up_to(n, 13, (1 << 13) - 2),
    }
    (packer.key, packer.exact)
}

/// Sorts `items` by version in ascending PEP 440 order, stably (equal versions keep their
/// order), comparing [`VersionKey`]s.
///
/// # Examples
///
/// ```
/// use pypackaging::version::{Version, sort_by_version};
///
/// let mut files = vec![("b", "1.0"), ("a", "1.0.dev1"), ("c", "1.0.0"), ("d", "0.9")];
/// let versions: Vec<Version> = files.iter().map(|f| f.1.parse().unwrap()).collect();
/// let mut pairs: Vec<_> = files.iter().zip(&versions).collect();
/// sort_by_version(&mut pairs, |(_, v)| v);
/// let names: Vec<&str> = pairs.iter().map(|(f, _)| f.0).collect();
/// assert_eq!(names, ["d", "a", "b", "c"]);
/// ```
pub fn sort_by_version<T>(items: &mut [T], version_of: impl Fn(&T) -> &Version) {
    // Keys sort as plain integers; ties are broken by position, which makes the unstable sort
    // stable, after `Version`'s `Ord` where a key is inexact.
    let mut keys: Vec<(u128, bool, usize)> = items
        .iter()
        .enumerate()
        .map(|(i, item)| {
            let (key, exact) = pack(version_of(item));
            (key, exact, i)
        })
        .collect();
    keys.sort_unstable_by(|a, b| {
        compare_packed((a.0, a.1), (b.0, b.1), || {
            version_of(&items[a.2]).cmp(version_of(&items[b.2]))
        })
        .then(a.2.cmp(&b.2))
    });
    let permutation = keys.into_iter().map(|(_, _, i)| i).collect();
    apply_permutation(items, permutation);
}

/// Reorders `items` so that position `i` holds what was at `permutation[i]`.
fn apply_permutation<T>(items: &mut [T], mut permutation: Vec<usize>) {
    for start in 0..items.len() {
        let mut current = start;
        while permutation[current] != start {
            let next = permutation[current];
            items.swap(current, next);
            permutation[current] = current;
            current = next;
        }
        permutation[current] = current;
    }
}

/// A non-ASCII character pep508_rs 0.9.2 could trip on, in marker text: one outside quotes, or
/// one in the whitespace-free run that follows a closing quote (where it looks for `and`/`or`,
/// counting characters as bytes, and panics). Valid markers have neither (PEP 508 writes
/// variables, operators and `and`/`or` in ASCII), so they are refused before it sees them.
pub(crate) fn non_ascii_outside_quotes(marker: &str) -> Option<char> {
    let mut quote = None;
    let mut after_close = false;
    for c in marker.chars() {
        if c.is_whitespace() {
            after_close = false;
        } else if after_close && !c.is_ascii() {
            return Some(c);
        }
        match quote {
            Some(q) if c == q => {
                quote = None;
                after_close = true;
            }
            Some(_) => {}
            None if c == '\'' || c == '"' => quote = Some(c),
            None if !c.is_ascii() => return Some(c),
            None => {}
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn permutation() {
        let mut items = ['a', 'b', 'c', 'd', 'e'];
        apply_permutation(&mut items, vec![3, 0, 4, 1, 2]);
        assert_eq!(items, ['d', 'a', 'e', 'b', 'c']);
    }

    #[test]
    fn packed_keys_order_as_pep_440() {
        let ordered = [
            "0.9",
            "1.0.dev1",
            "1.0a1.dev1",
            "1.0a1",
            "1.0a1.post1.dev1",
            "1.0a1.post1",
            "1.0a2",
            "1.0b1",
            "1.0rc1",
            "1.0",
            "1.0.post1.dev1",
            "1.0.post1",
            "1.0.1",
            "1.1",
            "1!0.1",
        ];
        let versions: Vec<Version> = ordered.iter().map(|v| v.parse().unwrap()).collect();
        for pair in versions.windows(2) {
            let (a, b) = (VersionKey::new(&pair[0]), VersionKey::new(&pair[1]));
            assert!(a.is_exact() && b.is_exact());
            assert!(a < b, "{} < {}", pair[0], pair[1]);
            assert_eq!(pair[0].cmp(&pair[1]), Ordering::Less);
        }
        let (a, b): (Version, Version) = ("1.0".parse().unwrap(), "1.0.0.0".parse().unwrap());
        assert_eq!(VersionKey::new(&a), VersionKey::new(&b));
        let local: Version = "1.0+local".parse().unwrap();
        assert!(!VersionKey::new(&local).is_exact());
        assert!(VersionKey::new(&a) < VersionKey::new(&local));
        let date: Version = "20241022".parse().unwrap();
        assert!(!VersionKey::new(&date).is_exact());
        assert!(VersionKey::new(&a) < VersionKey::new(&date));
    }
}
