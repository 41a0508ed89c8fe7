//! Wheel filenames: `{name}-{version}(-{build})?-{python}-{abi}-{platform}.whl`.

use std::cmp::Ordering;
use std::fmt;
use std::str::FromStr;
use std::sync::OnceLock;

use crate::diagnostic::Quoted;
use crate::name::NameError;
use crate::tags::{CompressedTagSet, TagError};
use crate::version::{SortableVersion, Version, VersionParseError};
use crate::{PackageName, Tag};

use super::{NonCanonical, ParseMode, underscored};

/// The optional build tag of a wheel: a number and a suffix
/// ([binary distribution format](https://packaging.python.org/en/latest/specifications/binary-distribution-format/#file-name-convention)).
///
/// # Ordering
///
/// By number, then by suffix as a string, as PEP 427 asks and `packaging.utils` implements
/// (`(int, str)` tuples): `2 < 10 < 10a < 10b`. A wheel without a build tag sorts before every
/// wheel with one (`packaging`'s empty tuple).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct BuildTag {
    number: u64,
    suffix: Box<str>,
}

impl BuildTag {
    /// A build tag from its number and suffix. The suffix must not hold `-` (it would split the
    /// filename); `None` if it does.
    pub fn new(number: u64, suffix: &str) -> Option<BuildTag> {
        (!suffix.contains('-')).then(|| BuildTag {
            number,
            suffix: suffix.into(),
        })
    }

    /// The leading number.
    pub fn number(&self) -> u64 {
        self.number
    }

    /// What follows the number (often empty).
    pub fn suffix(&self) -> &str {
        &self.suffix
    }
}

impl fmt::Display for BuildTag {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}{}", self.number, self.suffix)
    }
}

/// A parsed wheel filename
/// ([binary distribution format](https://packaging.python.org/en/latest/specifications/binary-distribution-format/#file-name-convention),
/// [PEP 427](https://peps.python.org/pep-0427/)).
///
/// # Syntax
///
/// ```text
/// {name}-{version}(-{build})?-{python}-{abi}-{platform}.whl
/// ```
///
/// # Agreement with pypa/packaging
///
/// [`ParseMode::Lenient`] (the default of [`FromStr`]) accepts what
/// `packaging.utils.parse_wheel_filename` of packaging 26.3 accepts, with these deliberate
/// differences:
/// - the name must be a valid project name once unescaped (`_foo`, `foo_` and non-ASCII names
///   match packaging's `\w` rule but name no project that can exist), and must not hold `__`
///   (as in packaging);
/// - version numbers and build numbers must fit in `u64` (pep440_rs; packaging's are
///   unbounded);
/// - the tag set may stand for at most [`CompressedTagSet::MAX_TAGS`] triples.
///
/// [`ParseMode::Strict`] also requires the spelling a tool must write: the normalized name
/// with `_`, the normalized version, a build number without leading zeros and lower-case,
/// sorted, duplicate-free tag components. `Display` always writes that spelling.
///
/// # Equality, hashing and versions
///
/// The version is held as a [`SortableVersion`] (no allocation for the plain versions nearly
/// every wheel has); [`WheelFilename::version`] builds pep440_rs's [`Version`] on first use and
/// keeps it. Two filenames are equal when their names, versions (by PEP 440 equality, so `1.0`
/// and `1.0.0` are equal, as [`Version`]'s `Eq` says), build tags and tag sets are.
///
/// # Examples
///
/// ```
/// use pypackaging::filename::WheelFilename;
///
/// let wheel: WheelFilename = "Django-5.0.1-py3-none-any.whl".parse()?;
/// assert_eq!(wheel.name().as_str(), "django");
/// assert_eq!(wheel.to_string(), "django-5.0.1-py3-none-any.whl");
/// # Ok::<(), pypackaging::filename::WheelFilenameError>(())
/// ```
#[derive(Clone)]
pub struct WheelFilename {
    name: PackageName,
    version: SortableVersion,
    /// pep440_rs's form of `version`, built by the first call of [`WheelFilename::version`].
    full_version: OnceLock<Version>,
    build: Option<BuildTag>,
    tags: CompressedTagSet,
}

impl PartialEq for WheelFilename {
    fn eq(&self, other: &Self) -> bool {
        self.name == other.name
            && self.version == other.version
            && self.build == other.build
            && self.tags == other.tags
    }
}

impl Eq for WheelFilename {}

impl std::hash::Hash for WheelFilename {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        self.name.hash(state);
        self.version.hash(state);
        self.build.hash(state);
        self.tags.hash(state);
    }
}

impl fmt::Debug for WheelFilename {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("WheelFilename")
            .field("name", &self.name)
            .field("version", &format_args!("{}", self.version))
            .field("build", &self.build)
            .field("tags", &self.tags)
            .finish()
    }
}

/// Why a string is not a wheel filename.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum WheelFilenameError {
    /// It does not end with `.whl`.
    #[error("invalid wheel filename `{}`: it must end with `.whl`", Quoted(.filename))]
    Extension {
        /// The filename as given.
        filename: String,
    },
    /// Not 5 or 6 `-`-separated parts.
    #[error(
        "invalid wheel filename `{}`: expected `name-version[-build]-python-abi-platform.whl`, found {parts} parts separated by `-`",
        Quoted(.filename)
    )]
    Parts {
        /// The filename as given.
        filename: String,
        /// How many parts.
        parts: usize,
    },
    /// The name part is not a valid project name.
    #[error("invalid wheel filename `{}`: invalid name `{}`: {reason}", Quoted(.filename), Quoted(.name))]
    Name {
        /// The filename as given.
        filename: String,
        /// The name part.
        name: String,
        /// Why it is invalid.
        reason: String,
    },
    /// The version part is not a PEP 440 version.
    #[error("invalid wheel filename `{}`: invalid version `{}`: {source}", Quoted(.filename), Quoted(.version))]
    Version {
        /// The filename as given.
        filename: String,
        /// The version part.
        version: String,
        /// The version parser's error.
        source: VersionParseError,
    },
    /// The build part does not start with a digit, or its number does not fit in `u64`.
    #[error(
        "invalid wheel filename `{}`: invalid build tag `{}`: it must start with a number (at most {max})",
        Quoted(.filename),
        Quoted(.build),
        max = u64::MAX
    )]
    Build {
        /// The filename as given.
        filename: String,
        /// The build part.
        build: String,
    },
    /// The tag part is not a compressed tag set.
    #[error("invalid wheel filename `{}`: {source}", Quoted(.filename))]
    Tags {
        /// The filename as given.
        filename: String,
        /// The tag parser's error.
        source: TagError,
    },
    /// Strict mode: the filename is valid but not written canonically.
    #[error("wheel filename `{}` is not canonical: {reason}", Quoted(.filename))]
    NotCanonical {
        /// The filename as given.
        filename: String,
        /// The first reason.
        reason: NonCanonical,
    },
}

impl WheelFilename {
    /// A wheel filename from its parts; [`Display`](fmt::Display) writes its canonical
    /// spelling.
    pub fn new(name: PackageName, version: Version, tags: CompressedTagSet) -> WheelFilename {
        WheelFilename {
            name,
            version: SortableVersion::new(version.clone()),
            full_version: OnceLock::from(version),
            build: None,
            tags,
        }
    }

    /// The same filename with a build tag.
    #[must_use]
    pub fn with_build(mut self, build: Option<BuildTag>) -> WheelFilename {
        self.build = build;
        self
    }

    /// Parses leniently (see the type's docs); an alias of [`FromStr`].
    ///
    /// # Errors
    ///
    /// No `.whl` (`foo-1.0.tar.gz`), a wrong number of parts (`foo-py3-none-any.whl`), an
    /// invalid name (`foo__bar-1.0-py3-none-any.whl`), version (`foo-x.y-py3-none-any.whl`),
    /// build tag (`foo-1.0-b1-py3-none-any.whl`) or tag set (`foo-1.0-py3-none-.whl`).
    pub fn parse(filename: &str) -> Result<WheelFilename, WheelFilenameError> {
        Self::parse_impl(filename, None)
    }

    /// Parses in the given mode: [`ParseMode::Strict`] also fails with
    /// [`WheelFilenameError::NotCanonical`] when the spelling is not canonical.
    pub fn parse_with(
        filename: &str,
        mode: ParseMode,
    ) -> Result<WheelFilename, WheelFilenameError> {
        let mut reasons = Vec::new();
        let strict = mode == ParseMode::Strict;
        let wheel = Self::parse_impl(filename, strict.then_some(&mut reasons))?;
        match (mode, reasons.into_iter().next()) {
            (ParseMode::Strict, Some(reason)) => Err(WheelFilenameError::NotCanonical {
                filename: filename.to_owned(),
                reason,
            }),
            _ => Ok(wheel),
        }
    }

    /// Parses leniently and says every way in which `filename` differs from the canonical
    /// spelling (empty when it is canonical).
    pub fn parse_diagnosed(
        filename: &str,
    ) -> Result<(WheelFilename, Vec<NonCanonical>), WheelFilenameError> {
        let mut reasons = Vec::new();
        let wheel = Self::parse_impl(filename, Some(&mut reasons))?;
        Ok((wheel, reasons))
    }

    /// The parser; with `diagnosed`, also collects the [`NonCanonical`] reasons there (which
    /// costs a few allocations, so plain parsing skips it).
    fn parse_impl(
        filename: &str,
        diagnosed: Option<&mut Vec<NonCanonical>>,
    ) -> Result<WheelFilename, WheelFilenameError> {
        let diagnose = diagnosed.is_some();
        let mut unused = Vec::new();
        let reasons = diagnosed.unwrap_or(&mut unused);
        let owned = || filename.to_owned();
        let Some(stem) = filename.strip_suffix(".whl") else {
            return Err(WheelFilenameError::Extension { filename: owned() });
        };
        // Where the `-`s are, in one pass: the tag set holds the last two.
        let (at, dashes) = dash_positions(stem.as_bytes());
        if dashes != 4 && dashes != 5 {
            return Err(WheelFilenameError::Parts {
                filename: owned(),
                parts: dashes + 1,
            });
        }
        let name_part = &stem[..at[0]];
        let version_part = &stem[at[0] + 1..at[1]];
        // The tag part, and where its two `-`s are in it.
        let (build_part, tag_start) = if dashes == 5 {
            (Some(&stem[at[1] + 1..at[2]]), at[2] + 1)
        } else {
            (None, at[1] + 1)
        };
        let tag_part = &stem[tag_start..];
        let tag_dashes = (at[dashes - 2] - tag_start, at[dashes - 1] - tag_start);

        let name = parse_name(name_part).map_err(|reason| WheelFilenameError::Name {
            filename: owned(),
            name: name_part.to_owned(),
            reason,
        })?;
        if diagnose && name_part != underscored(&name) {
            reasons.push(NonCanonical::Name {
                given: name_part.to_owned(),
                canonical: underscored(&name).into_owned(),
            });
        }
        let version: SortableVersion =
            version_part
                .parse()
                .map_err(|source| WheelFilenameError::Version {
                    filename: owned(),
                    version: version_part.to_owned(),
                    source,
                })?;
        if diagnose {
            check_version(version_part, &version, reasons);
        }
        let build = match build_part {
            None => None,
            Some(text) => {
                let build = parse_build(text).ok_or_else(|| WheelFilenameError::Build {
                    filename: owned(),
                    build: text.to_owned(),
                })?;
                if diagnose && build.to_string() != text {
                    reasons.push(NonCanonical::Build {
                        given: text.to_owned(),
                        canonical: build.to_string(),
                    });
                }
                Some(build)
            }
        };
        let (tags, spelling) =
            CompressedTagSet::parse_spelled_at(tag_part, tag_dashes.0, tag_dashes.1).map_err(
                |source| WheelFilenameError::Tags {
                    filename: owned(),
                    source,
                },
            )?;
        if diagnose && (spelling.upper_case || spelling.unsorted || spelling.duplicate) {
            reasons.push(NonCanonical::Tags {
                given: tag_part.to_owned(),
                canonical: tags.to_string(),
            });
        }
        Ok(WheelFilename {
            name,
            version,
            full_version: OnceLock::new(),
            build,
            tags,
        })
    }

    /// The project name, normalized.
    pub fn name(&self) -> &PackageName {
        &self.name
    }

    /// The version, as pep440_rs's [`Version`] (built on the first call, then kept).
    pub fn version(&self) -> &Version {
        self.full_version.get_or_init(|| self.version.to_version())
    }

    /// The version as a [`SortableVersion`]: what comparing and sorting wheels by version
    /// should use (no allocation, one integer comparison for nearly every pair).
    pub fn sortable_version(&self) -> &SortableVersion {
        &self.version
    }

    /// The build tag, if any.
    pub fn build(&self) -> Option<&BuildTag> {
        self.build.as_ref()
    }

    /// The compressed tag set.
    pub fn tags(&self) -> &CompressedTagSet {
        &self.tags
    }

    /// Every tag triple the filename stands for.
    pub fn expanded_tags(&self) -> impl Iterator<Item = Tag> + '_ {
        self.tags.iter()
    }

    /// Orders two wheels of one project by version, then build tag (PEP 427); ties are broken
    /// by the canonical filename so that the order is total.
    pub fn cmp_version_build(&self, other: &WheelFilename) -> Ordering {
        self.version
            .cmp(&other.version)
            .then_with(|| self.build.cmp(&other.build))
    }
}

/// Where the `-`s of `bytes` are (the first five), and how many there are: eight bytes at a
/// time, with an exact per-byte equality mask.
fn dash_positions(bytes: &[u8]) -> ([usize; 5], usize) {
    const LOW: u64 = 0x0101_0101_0101_0101;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    let mut at = [0usize; 5];
    let mut count = 0usize;
    let mut record = |i: usize| {
        if let Some(slot) = at.get_mut(count) {
            *slot = i;
        }
        count += 1;
    };
    let mut chunks = bytes.chunks_exact(8);
    let mut base = 0;
    for chunk in &mut chunks {
        let word = u64::from_le_bytes(chunk.try_into().expect("eight bytes"));
        let x = word ^ (LOW * u64::from(b'-'));
        // The high bit of each byte of `x` that is zero: no carry crosses a byte, so exact.
        let mut found = !(((x & !HIGH) + !HIGH) | x) & HIGH;
        while found != 0 {
            record(base + found.trailing_zeros() as usize / 8);
            found &= found - 1;
        }
        base += 8;
    }
    for (i, &b) in chunks.remainder().iter().enumerate() {
        if b == b'-' {
            record(base + i);
        }
    }
    (at, count)
}

/// The name part: no `__` (PEP 427 escaping, as packaging checks), then a valid project name.
fn parse_name(text: &str) -> Result<PackageName, String> {
    // Valid, and no run of separators (so no `__`): nearly every name, in one pass.
    if let Some(name) = PackageName::new_uncollapsed(text) {
        return Ok(name);
    }
    if text.contains("__") {
        return Err("`__` is not a valid escape (a run of `-_.` is written as one `_`)".into());
    }
    if text.contains('-') {
        return Err("`-` separates the parts of a filename".into());
    }
    PackageName::new(text).map_err(|e: NameError| e.to_string())
}

pub(super) fn check_version(
    given: &str,
    version: &impl fmt::Display,
    reasons: &mut Vec<NonCanonical>,
) {
    let canonical = version.to_string();
    if given != canonical {
        reasons.push(NonCanonical::Version {
            given: given.to_owned(),
            canonical,
        });
    }
}

/// `(\d+)(.*)` with ASCII digits, the number in `u64`.
fn parse_build(text: &str) -> Option<BuildTag> {
    let digits = text.bytes().take_while(u8::is_ascii_digit).count();
    if digits == 0 {
        return None;
    }
    let number = text[..digits].parse().ok()?;
    Some(BuildTag {
        number,
        suffix: text[digits..].into(),
    })
}

impl FromStr for WheelFilename {
    type Err = WheelFilenameError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        WheelFilename::parse(s)
    }
}

impl fmt::Display for WheelFilename {
    /// The canonical spelling.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}-{}", underscored(&self.name), self.version)?;
        if let Some(build) = &self.build {
            write!(f, "-{build}")?;
        }
        write!(f, "-{}.whl", self.tags)
    }
}

impl serde::Serialize for WheelFilename {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> serde::Deserialize<'de> for WheelFilename {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let text = <std::borrow::Cow<'de, str>>::deserialize(d)?;
        text.parse().map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[track_caller]
    fn err(text: &str) -> String {
        WheelFilename::parse(text).unwrap_err().to_string()
    }

    #[test]
    fn errors_name_the_part() {
        insta::assert_snapshot!(err("foo-1.0.tar.gz"), @"invalid wheel filename `foo-1.0.tar.gz`: it must end with `.whl`");
        insta::assert_snapshot!(err("foo-py3-none-any.whl"), @"invalid wheel filename `foo-py3-none-any.whl`: expected `name-version[-build]-python-abi-platform.whl`, found 4 parts separated by `-`");
        insta::assert_snapshot!(err("foo__bar-1.0-py3-none-any.whl"), @"invalid wheel filename `foo__bar-1.0-py3-none-any.whl`: invalid name `foo__bar`: `__` is not a valid escape (a run of `-_.` is written as one `_`)");
        insta::assert_snapshot!(err("foo-x.y-py3-none-any.whl"), @"invalid wheel filename `foo-x.y-py3-none-any.whl`: invalid version `x.y`: expected version to start with a number, but no leading ASCII digits were found");
        insta::assert_snapshot!(err("foo-1.0-b1-py3-none-any.whl"), @"invalid wheel filename `foo-1.0-b1-py3-none-any.whl`: invalid build tag `b1`: it must start with a number (at most 18446744073709551615)");
        insta::assert_snapshot!(err("foo-1.0-py3-none-.whl"), @"invalid wheel filename `foo-1.0-py3-none-.whl`: invalid tag `py3-none-`: empty platform tag");
    }

    #[test]
    fn strict_mode_says_why() {
        let (wheel, reasons) =
            WheelFilename::parse_diagnosed("Foo.Bar-1.0.0RC1-01-py3.py2-none-ANY.whl").unwrap();
        assert_eq!(wheel.to_string(), "foo_bar-1.0.0rc1-1-py2.py3-none-any.whl");
        let reasons: Vec<String> = reasons.iter().map(ToString::to_string).collect();
        assert_eq!(
            reasons,
            [
                "the name is `Foo.Bar`, its canonical spelling is `foo_bar`",
                "the version is `1.0.0RC1`, its canonical spelling is `1.0.0rc1`",
                "the build tag is `01`, its canonical spelling is `1`",
                "the tags are `py3.py2-none-ANY`, their canonical spelling is `py2.py3-none-any`",
            ]
        );
        insta::assert_snapshot!(
            WheelFilename::parse_with("Foo-1.0-py3-none-any.whl", ParseMode::Strict).unwrap_err(),
            @"wheel filename `Foo-1.0-py3-none-any.whl` is not canonical: the name is `Foo`, its canonical spelling is `foo`"
        );
        assert!(WheelFilename::parse_with("foo-1.0-py3-none-any.whl", ParseMode::Strict).is_ok());
    }

    #[test]
    fn dashes_are_found_at_every_offset() {
        for len in 0..40 {
            for dash in 0..len {
                for second in [None, Some((dash + 9) % len)] {
                    let mut text = vec![b'a'; len];
                    text[dash] = b'-';
                    if let Some(second) = second {
                        text[second] = b'-';
                    }
                    // Neighbours of `-` (0x2d) that a loose bit trick would confuse.
                    if let Some(next) = text.get_mut(dash + 1)
                        && *next != b'-'
                    {
                        *next = 0xad;
                    }
                    let expected: Vec<usize> = (0..len).filter(|&i| text[i] == b'-').collect();
                    let (at, count) = dash_positions(&text);
                    assert_eq!(count, expected.len());
                    assert_eq!(&at[..count.min(5)], &expected[..count.min(5)]);
                }
            }
        }
    }

    #[test]
    fn build_tags_order_numerically_then_by_suffix() {
        let b = |n, s| Some(BuildTag::new(n, s).unwrap());
        let mut builds = vec![b(10, ""), b(2, "z"), None, b(10, "a"), b(2, "")];
        builds.sort();
        assert_eq!(builds, [None, b(2, ""), b(2, "z"), b(10, ""), b(10, "a")]);
    }
}
