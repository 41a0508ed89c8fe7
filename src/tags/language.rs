//! Python tags (interpreter tags): the first part of a compatibility tag.

use std::fmt;
use std::str::FromStr;

use super::abi::nodot_version;
use super::platform::canonical_number;

/// A Python tag: the language implementation and version a wheel needs
/// ([spec](https://packaging.python.org/en/latest/specifications/platform-compatibility-tags/#python-tag)).
///
/// # Syntax
///
/// `py`, `cp` or `pp` followed by a one-digit major version and an optional minor version:
/// `py3`, `py27`, `cp311`, `pp310`. As in pip, the first digit is the major version and the
/// rest the minor (`cp310` is 3.10). Anything else (`ip27`, `jy27`, `graalpy311`, a
/// non-canonical `cp03`) is kept as [`LanguageTag::Other`]: parsing never fails, and `Display`
/// gives back the (lower-cased) text.
///
/// Whether the text is a valid Python tag at all (an identifier, as `packaging.tags.parse_tag`
/// requires) is checked by [`Tag`](super::Tag) and the filename parsers, not here.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[non_exhaustive]
pub enum LanguageTag {
    /// `pyX[Y]`: any implementation.
    Python {
        /// Major version.
        major: u8,
        /// Minor version, if given.
        minor: Option<u8>,
    },
    /// `cpX[Y]`: CPython.
    CPython {
        /// Major version.
        major: u8,
        /// Minor version, if given.
        minor: Option<u8>,
    },
    /// `ppX[Y]`: PyPy.
    PyPy {
        /// Major version.
        major: u8,
        /// Minor version, if given.
        minor: Option<u8>,
    },
    /// Any other Python tag, as written (lower-cased).
    Other(Box<str>),
}

fn version(digits: &str) -> Option<(u8, Option<u8>)> {
    if digits.len() == 1 {
        return Some((canonical_number(digits).filter(|m: &u8| *m > 0)?, None));
    }
    let (major, minor) = nodot_version(digits)?;
    Some((major, Some(minor)))
}

impl LanguageTag {
    /// A number that stands for this tag alone among the tags that hold no text, or `None`
    /// for those that do (see [`PlatformTag::code`](super::PlatformTag)): the variant in the
    /// top byte (below 0x80), the major version in bits 16 to 23, the minor version plus one
    /// (0 for none) in bits 0 to 8.
    #[inline]
    pub(crate) fn code(&self) -> Option<u64> {
        let (variant, major, minor) = match self {
            LanguageTag::Python { major, minor } => (1, major, minor),
            LanguageTag::CPython { major, minor } => (2, major, minor),
            LanguageTag::PyPy { major, minor } => (3, major, minor),
            LanguageTag::Other(_) => return None,
        };
        Some(variant << 56 | u64::from(*major) << 16 | minor.map_or(0, |m| u64::from(m) + 1))
    }

    /// Parses a Python tag; every string is one (see the type's `# Syntax`). The text is
    /// lower-cased first, as `packaging.tags.Tag` does.
    pub fn parse(text: &str) -> LanguageTag {
        Self::parse_lowercase(&super::platform::lowercase(text))
    }

    pub(crate) fn parse_lowercase(text: &str) -> LanguageTag {
        if let Some((prefix, digits)) = text.split_at_checked(2)
            && let Some((major, minor)) = version(digits)
        {
            match prefix {
                "py" => return LanguageTag::Python { major, minor },
                "cp" => return LanguageTag::CPython { major, minor },
                "pp" => return LanguageTag::PyPy { major, minor },
                _ => {}
            }
        }
        LanguageTag::Other(text.into())
    }

    /// The version as `(major, minor)`, for the typed forms.
    pub fn version(&self) -> Option<(u8, Option<u8>)> {
        match self {
            LanguageTag::Python { major, minor }
            | LanguageTag::CPython { major, minor }
            | LanguageTag::PyPy { major, minor } => Some((*major, *minor)),
            LanguageTag::Other(_) => None,
        }
    }
}

impl FromStr for LanguageTag {
    type Err = std::convert::Infallible;

    /// Never fails: see [`LanguageTag::parse`].
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Ok(LanguageTag::parse(s))
    }
}

impl fmt::Display for LanguageTag {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (prefix, major, minor) = match self {
            LanguageTag::Python { major, minor } => ("py", major, minor),
            LanguageTag::CPython { major, minor } => ("cp", major, minor),
            LanguageTag::PyPy { major, minor } => ("pp", major, minor),
            LanguageTag::Other(text) => return f.write_str(text),
        };
        write!(f, "{prefix}{major}")?;
        if let Some(minor) = minor {
            write!(f, "{minor}")?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn forms_round_trip() {
        for (text, typed) in [
            ("py3", true),
            ("py27", true),
            ("cp311", true),
            ("pp73", true),
            ("cp3", true),
            ("py310", true),
            ("py03", false),
            ("cp3x", false),
            ("ip27", false),
            ("graalpy311", false),
            ("py", false),
            ("", false),
        ] {
            let tag = LanguageTag::parse(text);
            assert_eq!(tag.to_string(), text);
            assert_eq!(!matches!(tag, LanguageTag::Other(_)), typed, "{text}");
        }
        assert_eq!(
            LanguageTag::parse("CP311"),
            LanguageTag::CPython {
                major: 3,
                minor: Some(11)
            }
        );
    }
}
