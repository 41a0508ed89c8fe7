//! Project names and extra names, normalized.
//!
//! - [`PackageName`]: a project name in the normal form of
//!   [PEP 503](https://peps.python.org/pep-0503/#normalized-names), as specified in
//!   [Names and normalization](https://packaging.python.org/en/latest/specifications/name-normalization/).
//! - [`ExtraName`]: an optional-dependency group name, normalized the same way as
//!   [PEP 685](https://peps.python.org/pep-0685/#specification) requires.
//!
//! # Syntax
//!
//! A valid name follows the core metadata
//! [`Name`](https://packaging.python.org/en/latest/specifications/core-metadata/#name) rule:
//!
//! ```text
//! ^([A-Z0-9]|[A-Z0-9][A-Z0-9._-]*[A-Z0-9])$      (case-insensitive, ASCII only)
//! ```
//!
//! and its normal form is the name lower-cased with every run of `-`, `_` and `.` replaced by
//! a single `-`:
//!
//! ```text
//! re.sub(r"[-_.]+", "-", name).lower()
//! ```
//!
//! # Agreement with pypa/packaging
//!
//! Validation agrees with `packaging.utils.canonicalize_name(name, validate=True)` of
//! packaging 26.3, which matches the rule with `fullmatch` under `re.ASCII`: a trailing `\n`,
//! and non-ASCII letters that fold to ASCII ones (`K`, U+212A KELVIN SIGN), are invalid in both.
//! (Releases before 23.2 had no validation at all; some older tools used a `$`-anchored
//! pattern that accepted `"foo\n"`.) `tests/vectors/names.jsonl` holds packaging's answers for
//! every real name in the bench slice and for hand-made edge cases.
//!
//! [`normalize`] applies the normalization to any string, valid or not, exactly as
//! `canonicalize_name(name)` does (including Python's Unicode lower-casing of non-ASCII text).

use std::borrow::{Borrow, Cow};
use std::fmt;
use std::str::FromStr;

use compact_str::CompactString;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::diagnostic::Quoted;

/// What kind of name an error is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum NameKind {
    /// A project (distribution) name: [`PackageName`].
    Project,
    /// An extra (optional dependency group) name: [`ExtraName`].
    Extra,
}

impl fmt::Display for NameKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            NameKind::Project => "project name",
            NameKind::Extra => "extra name",
        })
    }
}

/// Why a string is not a valid project or extra name.
///
/// Each variant quotes the whole name and names the rule it breaks. Positions are 1-based
/// character columns.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum NameError {
    /// The name is the empty string.
    #[error("invalid {kind} ``: a name must not be empty")]
    Empty {
        /// Project or extra.
        kind: NameKind,
    },
    /// The name holds a character outside ASCII letters, digits, `.`, `_` and `-`.
    #[error(
        "invalid {kind} `{}`: character {character:?} at column {column} is not allowed \
         (only ASCII letters, digits, `.`, `_` and `-`)",
        Quoted(.name)
    )]
    InvalidCharacter {
        /// Project or extra.
        kind: NameKind,
        /// The name as given.
        name: String,
        /// The first character that is not allowed.
        character: char,
        /// Its 1-based column (in characters).
        column: usize,
    },
    /// The name starts with `.`, `_` or `-`.
    #[error(
        "invalid {kind} `{}`: it must start with an ASCII letter or digit, not {character:?}",
        Quoted(.name)
    )]
    InvalidStart {
        /// Project or extra.
        kind: NameKind,
        /// The name as given.
        name: String,
        /// The first character.
        character: char,
    },
    /// The name ends with `.`, `_` or `-`.
    #[error(
        "invalid {kind} `{}`: it must end with an ASCII letter or digit, not {character:?}",
        Quoted(.name)
    )]
    InvalidEnd {
        /// Project or extra.
        kind: NameKind,
        /// The name as given.
        name: String,
        /// The last character.
        character: char,
    },
}

impl NameError {
    /// The kind of name the error is about.
    pub fn kind(&self) -> NameKind {
        match self {
            NameError::Empty { kind }
            | NameError::InvalidCharacter { kind, .. }
            | NameError::InvalidStart { kind, .. }
            | NameError::InvalidEnd { kind, .. } => *kind,
        }
    }
}

/// Byte classes of the name grammar.
///
/// `ALNUM` is `[A-Za-z0-9]`, `SEP` is `[-_.]` (core metadata `Name`).
const ALNUM: u8 = 1;
const SEP: u8 = 2;
const UPPER: u8 = 4;

/// The class of each byte; non-ASCII bytes are 0 (not allowed).
static CLASS: [u8; 256] = {
    let mut table = [0u8; 256];
    let mut b = 0;
    while b < 256 {
        let c = b as u8;
        table[b] = if c.is_ascii_lowercase() || c.is_ascii_digit() {
            ALNUM
        } else if c.is_ascii_uppercase() {
            ALNUM | UPPER
        } else if c == b'-' || c == b'_' || c == b'.' {
            SEP
        } else {
            0
        };
        b += 1;
    }
    table
};

/// Checks `name` against the core metadata `Name` rule; returns whether it is already in
/// normal form.
fn validate(name: &str, kind: NameKind) -> Result<bool, NameError> {
    // Fast path: most names are already normal (`[a-z0-9]` runs joined by single `-`).
    let mut after_dash = true;
    for &b in name.as_bytes() {
        match CLASS[usize::from(b)] {
            ALNUM => after_dash = false,
            SEP if b == b'-' && !after_dash => after_dash = true,
            _ => return validate_slow(name, kind),
        }
    }
    if after_dash {
        // Empty, or ending in `-`.
        return validate_slow(name, kind);
    }
    Ok(true)
}

/// [`validate`] for names that are not in normal form or not valid.
fn validate_slow(name: &str, kind: NameKind) -> Result<bool, NameError> {
    let bytes = name.as_bytes();
    let (Some(&first), Some(&last)) = (bytes.first(), bytes.last()) else {
        return Err(NameError::Empty { kind });
    };
    let mut normalized = true;
    let mut previous_separator = false;
    for (i, &b) in bytes.iter().enumerate() {
        let class = CLASS[usize::from(b)];
        if class == 0 {
            let column = name[..i].chars().count() + 1;
            let character = name[i..].chars().next().unwrap_or('\u{fffd}');
            return Err(NameError::InvalidCharacter {
                kind,
                name: name.to_owned(),
                character,
                column,
            });
        }
        if class & SEP != 0 {
            normalized &= b == b'-' && !previous_separator;
            previous_separator = true;
        } else {
            normalized &= class & UPPER == 0;
            previous_separator = false;
        }
    }
    if CLASS[usize::from(first)] & SEP != 0 {
        return Err(NameError::InvalidStart {
            kind,
            name: name.to_owned(),
            character: char::from(first),
        });
    }
    if CLASS[usize::from(last)] & SEP != 0 {
        return Err(NameError::InvalidEnd {
            kind,
            name: name.to_owned(),
            character: char::from(last),
        });
    }
    Ok(normalized)
}

/// Writes the normal form of an ASCII name that passed [`validate`].
fn normalize_valid(name: &str) -> String {
    let mut out = Vec::with_capacity(name.len());
    normalize_bytes(name, |b| out.push(b));
    // Only ASCII went in (`validate` rejects everything else).
    String::from_utf8(out).unwrap_or_default()
}

/// Gives the bytes of the normal form of a name that passed [`validate`], one at a time.
fn normalize_bytes(name: &str, mut push: impl FnMut(u8)) {
    let mut previous_separator = false;
    for &b in name.as_bytes() {
        let separator = CLASS[usize::from(b)] & SEP != 0;
        if !separator {
            push(b.to_ascii_lowercase());
        } else if !previous_separator {
            push(b'-');
        }
        previous_separator = separator;
    }
}

/// [`normalize_valid`] into a [`CompactString`]: names short enough to be stored inline are
/// normalized on the stack, without a heap allocation.
fn normalize_compact(name: &str) -> CompactString {
    const INLINE: usize = std::mem::size_of::<CompactString>();
    if name.len() > INLINE {
        return CompactString::from(normalize_valid(name));
    }
    // The normal form is never longer than the name.
    let mut buffer = [0u8; INLINE];
    let mut len = 0;
    normalize_bytes(name, |b| {
        buffer[len] = b;
        len += 1;
    });
    // Only ASCII went in (`validate` rejects everything else).
    std::str::from_utf8(&buffer[..len])
        .map_or_else(|_| CompactString::default(), CompactString::new)
}

/// Each byte's normal form in a name without runs of separators: letters lower-cased, digits
/// as they are, `-_.` as `-`, and 0 for every byte a name must not hold.
static NORMAL_BYTE: [u8; 256] = {
    let mut table = [0u8; 256];
    let mut b = 0;
    while b < 256 {
        table[b] = match CLASS[b] {
            0 => 0,
            SEP => b'-',
            _ => (b as u8).to_ascii_lowercase(),
        };
        b += 1;
    }
    table
};

/// The normal form of `name` when it is a valid name without a run of separators (`a__b`,
/// `a.-b`), which is then normalized byte for byte, without branches, on the stack when it
/// fits a [`CompactString`] inline; `None` otherwise (the callers then take the general path).
#[inline]
fn normalize_uncollapsed(name: &str) -> Option<CompactString> {
    const INLINE: usize = std::mem::size_of::<CompactString>();
    let bytes = name.as_bytes();
    let (&first, &last) = (bytes.first()?, bytes.last()?);
    if (CLASS[usize::from(first)] | CLASS[usize::from(last)]) & SEP != 0 {
        return None;
    }
    if bytes.len() > INLINE {
        let mut out = vec![0; bytes.len()];
        if !map_uncollapsed(bytes, &mut out)? {
            return Some(CompactString::new(name));
        }
        // Only ASCII was written.
        return String::from_utf8(out).ok().map(CompactString::from);
    }
    let mut buffer = [0u8; INLINE];
    if !map_uncollapsed(bytes, &mut buffer)? {
        return Some(CompactString::new(name));
    }
    // Only ASCII was written.
    std::str::from_utf8(&buffer[..bytes.len()])
        .ok()
        .map(CompactString::new)
}

/// Writes the normal form of each byte of `bytes` to `out` (at least as long); whether any
/// byte changed, or `None` when a byte is not allowed or two separators meet.
#[inline]
fn map_uncollapsed(bytes: &[u8], out: &mut [u8]) -> Option<bool> {
    let (mut bad, mut changed, mut previous_separator) = (false, false, false);
    for (slot, &b) in out.iter_mut().zip(bytes) {
        let normal = NORMAL_BYTE[usize::from(b)];
        *slot = normal;
        let separator = normal == b'-';
        bad |= (normal == 0) | (separator & previous_separator);
        changed |= normal != b;
        previous_separator = separator;
    }
    (!bad).then_some(changed)
}

/// The PEP 503 normal form of any string, valid name or not.
///
/// This is `packaging.utils.canonicalize_name(name)`: every run of `-`, `_` and `.` becomes one
/// `-`, and the result is lower-cased (with full Unicode lower-casing for non-ASCII text, as
/// Python's `str.lower` does). It borrows when `name` is already in normal form.
///
/// # Examples
///
/// ```
/// use pypackaging::name::normalize;
///
/// assert_eq!(normalize("Friendly-Bard"), "friendly-bard");
/// assert_eq!(normalize("FRIENDLY._.BARD"), "friendly-bard");
/// assert_eq!(normalize("requests"), "requests");
/// assert!(matches!(normalize("requests"), std::borrow::Cow::Borrowed(_)));
/// ```
pub fn normalize(name: &str) -> Cow<'_, str> {
    if name.is_ascii() {
        return match validate(name, NameKind::Project) {
            Ok(true) => Cow::Borrowed(name),
            Ok(false) => Cow::Owned(normalize_valid(name)),
            // Invalid ASCII names: the same rule, over every byte.
            Err(_) => {
                let collapsed = collapse_separators(name);
                if collapsed.bytes().any(|b| b.is_ascii_uppercase()) {
                    Cow::Owned(collapsed.to_ascii_lowercase())
                } else {
                    collapsed
                }
            }
        };
    }
    Cow::Owned(collapse_separators(name).to_lowercase())
}

/// Replaces every run of `-`, `_` and `.` by a single `-`, borrowing when there is nothing to do.
fn collapse_separators(name: &str) -> Cow<'_, str> {
    let is_sep = |c: char| matches!(c, '-' | '_' | '.');
    let mut needs_work = false;
    let mut previous = false;
    for c in name.chars() {
        let sep = is_sep(c);
        if sep && (c != '-' || previous) {
            needs_work = true;
            break;
        }
        previous = sep;
    }
    if !needs_work {
        return Cow::Borrowed(name);
    }
    let mut out = String::with_capacity(name.len());
    let mut previous = false;
    for c in name.chars() {
        if is_sep(c) {
            if !previous {
                out.push('-');
            }
            previous = true;
        } else {
            out.push(c);
            previous = false;
        }
    }
    Cow::Owned(out)
}

/// Whether `name` is a valid project name by the core metadata `Name` rule.
///
/// ```
/// use pypackaging::name::is_valid;
///
/// assert!(is_valid("zope.interface"));
/// assert!(!is_valid("-leading-dash"));
/// ```
pub fn is_valid(name: &str) -> bool {
    validate(name, NameKind::Project).is_ok()
}

/// Generates a normalized-name newtype: both name kinds share one rule and one implementation.
macro_rules! normalized_name {
    ($(#[$doc:meta])* $ty:ident, $kind:expr) => {
        $(#[$doc])*
        #[derive(Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub struct $ty(CompactString);

        impl $ty {
            /// Validates `name` and stores its normal form.
            ///
            /// # Errors
            ///
            /// A [`NameError`] when `name` is empty, holds a character other than ASCII letters,
            /// digits, `.`, `_` and `-`, or starts or ends with `.`, `_` or `-`.
            pub fn new(name: &str) -> Result<Self, NameError> {
                Ok(match validate(name, $kind)? {
                    true => Self(CompactString::new(name)),
                    false => Self(normalize_compact(name)),
                })
            }

            /// [`new`](Self::new) for a valid name without a run of separators (`a__b`,
            /// `a.-b`), in one pass; `None` for every other name.
            #[allow(dead_code, reason = "not every kind of name needs it")]
            pub(crate) fn new_uncollapsed(name: &str) -> Option<Self> {
                normalize_uncollapsed(name).map(Self)
            }

            /// Like [`new`](Self::new), reusing the buffer of `name` when it is already in normal
            /// form (no allocation then, beyond shrinking spare capacity).
            ///
            /// # Errors
            ///
            /// As [`new`](Self::new).
            pub fn from_owned(name: String) -> Result<Self, NameError> {
                Ok(match validate(&name, $kind)? {
                    true => Self(CompactString::from(name)),
                    false => Self(normalize_compact(&name)),
                })
            }

            /// The normal form, as a string slice.
            pub fn as_str(&self) -> &str {
                &self.0
            }

            /// The normal form with every `-` replaced by `_`: the spelling used in wheel and
            /// sdist filenames and `.dist-info` directories
            /// ([binary distribution format](https://packaging.python.org/en/latest/specifications/binary-distribution-format/#escaping-and-unicode)).
            pub fn as_underscored(&self) -> Cow<'_, str> {
                if self.0.contains('-') {
                    Cow::Owned(self.0.as_str().replace('-', "_"))
                } else {
                    Cow::Borrowed(&self.0)
                }
            }

            /// Consumes the name, returning its normal form.
            pub fn into_string(self) -> String {
                self.0.into_string()
            }
        }

        impl FromStr for $ty {
            type Err = NameError;

            fn from_str(s: &str) -> Result<Self, Self::Err> {
                Self::new(s)
            }
        }

        impl TryFrom<String> for $ty {
            type Error = NameError;

            fn try_from(s: String) -> Result<Self, Self::Error> {
                Self::from_owned(s)
            }
        }

        impl TryFrom<&str> for $ty {
            type Error = NameError;

            fn try_from(s: &str) -> Result<Self, Self::Error> {
                Self::new(s)
            }
        }

        impl fmt::Display for $ty {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.0)
            }
        }

        impl fmt::Debug for $ty {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                write!(f, "{}({:?})", stringify!($ty), &*self.0)
            }
        }

        impl AsRef<str> for $ty {
            fn as_ref(&self) -> &str {
                &self.0
            }
        }

        impl Borrow<str> for $ty {
            fn borrow(&self) -> &str {
                &self.0
            }
        }

        impl PartialEq<str> for $ty {
            fn eq(&self, other: &str) -> bool {
                &*self.0 == other
            }
        }

        impl PartialEq<&str> for $ty {
            fn eq(&self, other: &&str) -> bool {
                &*self.0 == *other
            }
        }

        impl From<$ty> for String {
            fn from(name: $ty) -> String {
                name.into_string()
            }
        }

        impl Serialize for $ty {
            fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.serialize_str(&self.0)
            }
        }

        impl<'de> Deserialize<'de> for $ty {
            fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                let s = Cow::<'de, str>::deserialize(deserializer)?;
                let name = match s {
                    Cow::Borrowed(s) => Self::new(s),
                    Cow::Owned(s) => Self::from_owned(s),
                };
                name.map_err(serde::de::Error::custom)
            }
        }
    };
}

normalized_name!(
    /// A project name in PEP 503 normal form.
    ///
    /// Parsed from any spelling of a valid name; stored and displayed normalized, so two
    /// spellings of one project compare, hash and sort equal.
    ///
    /// # Syntax
    ///
    /// ASCII letters and digits, with `.`, `_` and `-` inside (not first or last),
    /// case-insensitive: the core metadata
    /// [`Name`](https://packaging.python.org/en/latest/specifications/core-metadata/#name) rule.
    ///
    /// # Ordering
    ///
    /// By the normal form, byte by byte.
    ///
    /// # Examples
    ///
    /// ```
    /// use pypackaging::PackageName;
    ///
    /// let name: PackageName = "Zope.Interface".parse()?;
    /// assert_eq!(name.as_str(), "zope-interface");
    /// assert_eq!(name, "zope_interface".parse::<PackageName>()?);
    /// assert_eq!(name.as_underscored(), "zope_interface");
    ///
    /// let err = "my package".parse::<PackageName>().unwrap_err();
    /// assert_eq!(
    ///     err.to_string(),
    ///     "invalid project name `my package`: character ' ' at column 3 is not allowed \
    ///      (only ASCII letters, digits, `.`, `_` and `-`)"
    /// );
    /// # Ok::<(), pypackaging::name::NameError>(())
    /// ```
    PackageName,
    NameKind::Project
);

normalized_name!(
    /// An extra name in PEP 685 normal form.
    ///
    /// The same rule and normalization as [`PackageName`]: `Provides-Extra: Dev_Tools` and
    /// `foo[dev.tools]` both name the extra `dev-tools`.
    ///
    /// # Examples
    ///
    /// ```
    /// use pypackaging::ExtraName;
    ///
    /// let extra: ExtraName = "Dev_Tools".parse()?;
    /// assert_eq!(extra.to_string(), "dev-tools");
    /// # Ok::<(), pypackaging::name::NameError>(())
    /// ```
    ExtraName,
    NameKind::Extra
);

impl From<&pep508_rs::PackageName> for PackageName {
    /// `pep508_rs` names are already validated and normalized.
    fn from(name: &pep508_rs::PackageName) -> Self {
        Self(CompactString::new(name.as_ref()))
    }
}

impl From<&PackageName> for pep508_rs::PackageName {
    fn from(name: &PackageName) -> Self {
        pep508_rs::PackageName::new(name.as_str().to_owned())
            .expect("a valid PackageName is a valid pep508_rs name")
    }
}

impl From<&pep508_rs::ExtraName> for ExtraName {
    /// `pep508_rs` extras are already validated and normalized.
    fn from(name: &pep508_rs::ExtraName) -> Self {
        Self(CompactString::new(name.as_ref()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn classes() {
        assert_eq!(CLASS[usize::from(b'a')], ALNUM);
        assert_eq!(CLASS[usize::from(b'Z')], ALNUM | UPPER);
        assert_eq!(CLASS[usize::from(b'7')], ALNUM);
        assert_eq!(CLASS[usize::from(b'_')], SEP);
        assert_eq!(CLASS[usize::from(b' ')], 0);
        assert_eq!(CLASS[0xC3], 0);
    }

    #[test]
    fn one_pass_agrees_with_validate_then_normalize() {
        for name in [
            "a",
            "A",
            "a-b",
            "a_b",
            "A.B",
            "a__b",
            "a._-b",
            "-a",
            "a-",
            "_",
            "",
            "a b",
            "é",
            "zope.interface",
            "Foo-Bar_Baz.Qux-0123456789",
            "a-b-c-d-e-f-g-h-i-j-k-l-m",
            "abcdefghijklmnopqrstuvwxyz",
            "abcdefghijklmnopqrstuvwx",
            "ABCDEFGHIJKLMNOPQRSTUVWX",
            "Abc_Def.Ghi-Jkl",
            "a\u{0}b",
            "a\nb",
        ] {
            let expected = validate(name, NameKind::Project)
                .ok()
                .map(|_| normalize_valid(name))
                .filter(|normal| normal.len() == name.len());
            let got = normalize_uncollapsed(name);
            assert_eq!(got.as_deref(), expected.as_deref(), "{name:?}");
        }
    }

    #[test]
    fn validate_reports_normal_form() {
        assert_eq!(validate("a", NameKind::Project), Ok(true));
        assert_eq!(validate("a-b-c", NameKind::Project), Ok(true));
        assert_eq!(validate("a--b", NameKind::Project), Ok(false));
        assert_eq!(validate("a_b", NameKind::Project), Ok(false));
        assert_eq!(validate("A", NameKind::Project), Ok(false));
    }

    #[test]
    fn collapse() {
        assert_eq!(collapse_separators("a-b"), "a-b");
        assert_eq!(collapse_separators("a-_-.b"), "a-b");
        assert_eq!(collapse_separators("-x-"), "-x-");
        assert_eq!(collapse_separators("--x"), "-x");
    }
}
