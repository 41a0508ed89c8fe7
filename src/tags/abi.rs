//! ABI tags: the second part of a compatibility tag.

use std::fmt;
use std::str::FromStr;

use super::platform::canonical_number;

/// The ABI flags of a CPython ABI tag (`cp311`, `cp37m`, `cp27mu`, `cp313t`, `cp39d`).
///
/// Written in the order CPython and `packaging.tags` write them: `t`, `d`, `m`, `u`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct AbiFlags {
    /// `t`: free-threaded build (PEP 703, Python 3.13+).
    pub free_threaded: bool,
    /// `d`: debug build (`Py_DEBUG`).
    pub debug: bool,
    /// `m`: pymalloc (before Python 3.8).
    pub pymalloc: bool,
    /// `u`: wide (UCS-4) unicode (before Python 3.3).
    pub wide_unicode: bool,
}

/// An ABI tag ([spec](https://packaging.python.org/en/latest/specifications/platform-compatibility-tags/#abi-tag)).
///
/// # Syntax
///
/// | form | example | meaning |
/// |---|---|---|
/// | `none` | `none` | no ABI dependency |
/// | `abi3` | `abi3` | CPython's stable ABI ([PEP 384](https://peps.python.org/pep-0384/)) |
/// | `abi3t` | `abi3t` | the free-threaded stable ABI ([PEP 803](https://peps.python.org/pep-0803/)) |
/// | `cpXY[t][d][m][u]` | `cp311`, `cp37m`, `cp313t` | one CPython version and build |
/// | `pypyXY_ppNN` | `pypy310_pp73` | one PyPy release line |
/// | `graalpy*` | `graalpy311_graalpy242_native` | GraalPy, kept as text |
///
/// Any other text, and a known form that is not written canonically (`cp311mt`: flags out of
/// order), is kept as [`AbiTag::Other`]; parsing never fails and `Display` gives back the
/// (lower-cased) text.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[non_exhaustive]
pub enum AbiTag {
    /// `none`.
    None,
    /// `abi3`.
    Abi3,
    /// `abi3t`.
    Abi3t,
    /// `cpXY` with flags.
    CPython {
        /// Python major version (one digit, as `cp3…`).
        major: u8,
        /// Python minor version.
        minor: u8,
        /// Build flags.
        flags: AbiFlags,
    },
    /// `pypyXY_ppNN`.
    PyPy {
        /// Python major version.
        python_major: u8,
        /// Python minor version.
        python_minor: u8,
        /// PyPy ABI number (`73` in `pp73`).
        pypy: u16,
    },
    /// `graalpy…`, as written.
    GraalPy(Box<str>),
    /// Any other ABI, as written (lower-cased).
    Other(Box<str>),
}

/// `XY` after an implementation prefix: one digit major, canonical minor.
pub(crate) fn nodot_version(digits: &str) -> Option<(u8, u8)> {
    let (major, minor) = digits.split_at_checked(1)?;
    let major: u8 = canonical_number(major).filter(|m| *m > 0)?;
    Some((major, canonical_number(minor)?))
}

/// The code of `AbiTag::CPython` (see [`AbiTag::code`]).
#[inline]
fn cpython_code(major: u8, minor: u8, flags: AbiFlags) -> u64 {
    let flags = u64::from(flags.free_threaded)
        | u64::from(flags.debug) << 1
        | u64::from(flags.pymalloc) << 2
        | u64::from(flags.wide_unicode) << 3;
    4 << 56 | u64::from(major) << 24 | u64::from(minor) << 16 | flags
}

impl AbiTag {
    /// A number that stands for this tag alone among the tags that hold no text, or `None`
    /// for those that do (see [`PlatformTag::code`](super::PlatformTag)): the variant in the
    /// top byte (below 0x80), then its fields.
    #[inline]
    pub(crate) fn code(&self) -> Option<u64> {
        // The common tags with few branches; the rest out of line (a jump table over every
        // variant mispredicts often on a mix of wheels).
        match self {
            AbiTag::None => Some(1 << 56),
            AbiTag::CPython {
                major,
                minor,
                flags,
            } => Some(cpython_code(*major, *minor, *flags)),
            _ => self.code_of_any(),
        }
    }

    /// [`Self::code`] of any tag.
    #[inline(never)]
    fn code_of_any(&self) -> Option<u64> {
        Some(match self {
            AbiTag::None => 1 << 56,
            AbiTag::Abi3 => 2 << 56,
            AbiTag::Abi3t => 3 << 56,
            AbiTag::CPython {
                major,
                minor,
                flags,
            } => cpython_code(*major, *minor, *flags),
            AbiTag::PyPy {
                python_major,
                python_minor,
                pypy,
            } => {
                5 << 56
                    | u64::from(*python_major) << 32
                    | u64::from(*python_minor) << 24
                    | u64::from(*pypy)
            }
            AbiTag::GraalPy(_) | AbiTag::Other(_) => return None,
        })
    }

    /// Parses an ABI tag; every string is an ABI tag (see the type's `# Syntax`). The text is
    /// lower-cased first, as `packaging.tags.Tag` does.
    pub fn parse(text: &str) -> AbiTag {
        Self::parse_lowercase(&super::platform::lowercase(text))
    }

    pub(crate) fn parse_lowercase(text: &str) -> AbiTag {
        match text {
            "none" => return AbiTag::None,
            "abi3" => return AbiTag::Abi3,
            "abi3t" => return AbiTag::Abi3t,
            _ => {}
        }
        if let Some(rest) = text.strip_prefix("cp") {
            let digits = rest.bytes().take_while(u8::is_ascii_digit).count();
            let (version, flag_text) = rest.split_at(digits);
            if let (Some((major, minor)), Some(flags)) =
                (nodot_version(version), parse_flags(flag_text))
            {
                return AbiTag::CPython {
                    major,
                    minor,
                    flags,
                };
            }
        } else if let Some(rest) = text.strip_prefix("pypy") {
            if let Some((python, pypy)) = rest.split_once("_pp")
                && let (Some((python_major, python_minor)), Some(pypy)) =
                    (nodot_version(python), canonical_number(pypy))
            {
                return AbiTag::PyPy {
                    python_major,
                    python_minor,
                    pypy,
                };
            }
        } else if text.starts_with("graalpy") {
            return AbiTag::GraalPy(text.into());
        }
        AbiTag::Other(text.into())
    }

    /// Whether this is a free-threaded ABI (`cp313t`, `abi3t`).
    pub fn is_free_threaded(&self) -> bool {
        match self {
            AbiTag::CPython { flags, .. } => flags.free_threaded,
            AbiTag::Abi3t => true,
            _ => false,
        }
    }
}

fn parse_flags(text: &str) -> Option<AbiFlags> {
    let mut flags = AbiFlags::default();
    let mut rest = text.as_bytes();
    for (letter, flag) in [
        (b't', &mut flags.free_threaded),
        (b'd', &mut flags.debug),
        (b'm', &mut flags.pymalloc),
        (b'u', &mut flags.wide_unicode),
    ] {
        if let [first, tail @ ..] = rest
            && *first == letter
        {
            *flag = true;
            rest = tail;
        }
    }
    rest.is_empty().then_some(flags)
}

impl FromStr for AbiTag {
    type Err = std::convert::Infallible;

    /// Never fails: see [`AbiTag::parse`].
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Ok(AbiTag::parse(s))
    }
}

impl fmt::Display for AbiTag {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            AbiTag::None => f.write_str("none"),
            AbiTag::Abi3 => f.write_str("abi3"),
            AbiTag::Abi3t => f.write_str("abi3t"),
            AbiTag::CPython {
                major,
                minor,
                flags,
            } => {
                write!(f, "cp{major}{minor}")?;
                for (on, letter) in [
                    (flags.free_threaded, "t"),
                    (flags.debug, "d"),
                    (flags.pymalloc, "m"),
                    (flags.wide_unicode, "u"),
                ] {
                    if on {
                        f.write_str(letter)?;
                    }
                }
                Ok(())
            }
            AbiTag::PyPy {
                python_major,
                python_minor,
                pypy,
            } => write!(f, "pypy{python_major}{python_minor}_pp{pypy}"),
            AbiTag::GraalPy(text) | AbiTag::Other(text) => f.write_str(text),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[track_caller]
    fn round_trip(text: &str) -> AbiTag {
        let tag = AbiTag::parse(text);
        assert_eq!(tag.to_string(), text);
        tag
    }

    #[test]
    fn forms() {
        assert_eq!(round_trip("none"), AbiTag::None);
        assert_eq!(round_trip("abi3t"), AbiTag::Abi3t);
        assert!(matches!(
            round_trip("cp27mu"),
            AbiTag::CPython {
                major: 2,
                minor: 7,
                flags: AbiFlags {
                    pymalloc: true,
                    wide_unicode: true,
                    ..
                }
            }
        ));
        assert!(round_trip("cp313t").is_free_threaded());
        assert!(matches!(round_trip("cp313td"), AbiTag::CPython { .. }));
        assert!(matches!(
            round_trip("pypy310_pp73"),
            AbiTag::PyPy {
                python_major: 3,
                python_minor: 10,
                pypy: 73
            }
        ));
        for other in [
            "cp311mt", "cp3", "cp", "cp03", "cp3x", "pypy_73", "pp73", "", "cp311tt",
        ] {
            assert!(matches!(round_trip(other), AbiTag::Other(_)), "{other}");
        }
        assert!(matches!(
            round_trip("graalpy311_graalpy242_native"),
            AbiTag::GraalPy(_)
        ));
    }

    #[test]
    fn the_quick_codes_agree_with_the_full_ones() {
        for text in [
            "none",
            "abi3",
            "abi3t",
            "cp311",
            "cp27mu",
            "cp314t",
            "pypy310_pp73",
            "zz",
        ] {
            let tag = AbiTag::parse(text);
            assert_eq!(tag.code(), tag.code_of_any(), "{text}");
        }
    }
}
