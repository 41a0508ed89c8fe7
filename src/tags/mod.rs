//! Compatibility tags: [PEP 425](https://peps.python.org/pep-0425/), as maintained in
//! [Platform compatibility tags](https://packaging.python.org/en/latest/specifications/platform-compatibility-tags/),
//! with [PEP 600](https://peps.python.org/pep-0600/) (manylinux),
//! [PEP 656](https://peps.python.org/pep-0656/) (musllinux),
//! [PEP 730](https://peps.python.org/pep-0730/) (iOS), [PEP 738](https://peps.python.org/pep-0738/)
//! (Android), [PEP 783](https://peps.python.org/pep-0783/) (Emscripten) and
//! [PEP 803](https://peps.python.org/pep-0803/) (`abi3t`).
//!
//! - [`Tag`]: one `python-abi-platform` triple, made of a [`LanguageTag`], an [`AbiTag`] and a
//!   [`PlatformTag`]. Each part is typed where its form is known and kept as text otherwise, so
//!   every tag parses and prints back as it came (lower-cased).
//! - [`CompressedTagSet`]: the tag part of a wheel filename (`py2.py3-none-any`), which stands
//!   for every triple of its components; expanding more than
//!   [`CompressedTagSet::MAX_TAGS`] triples is an error, not a memory blow-up.
//! - [`Target`]: the ordered tags an interpreter supports, built the way pip's
//!   `--python-version/--implementation/--abi/--platform` options build them
//!   ([`Target::pip`]), the way `packaging.tags.sys_tags()` does on a native interpreter
//!   ([`Target::expanded`]), or from the caller's own list ([`Target::from_tags`]); and
//!   [`Target::compatibility`], the priority of a wheel or why it does not fit.
//!
//! # Agreement with pypa/packaging and pip
//!
//! Parsing follows `packaging.tags.parse_tag` of packaging 26.3: exactly three `-`-separated
//! parts, no empty component, each Python tag an identifier, and everything lower-cased. This
//! crate adds the [`CompressedTagSet::MAX_TAGS`] bound (packaging has an opt-in `limit`, off by
//! default in `parse_wheel_filename`). Target tag lists reproduce pip 26.3 and packaging 26.3
//! exactly; `tests/vectors/tags.jsonl` holds their answers for many targets. No function here
//! looks at the running machine: the caller says what the target is.
use std::fmt;
use std::str::FromStr;

use crate::diagnostic::Quoted;

mod abi;
mod language;
mod platform;
mod target;

pub use abi::{AbiFlags, AbiTag};
pub use language::LanguageTag;
pub use platform::{Arch, IosSdk, PlatformTag};
pub use target::{
    Incompatibility, IncompatibleReason, LinuxRank, Priority, Target, TargetSpec, TargetSpecError,
};

/// One compatibility tag: `python-abi-platform`, such as `cp311-cp311-manylinux_2_17_x86_64`.
///
/// # Examples
///
/// ```
/// use pypackaging::tags::{AbiTag, PlatformTag, Tag};
///
/// let tag: Tag = "cp311-abi3-win_amd64".parse()?;
/// assert_eq!(tag.abi, AbiTag::Abi3);
/// assert_eq!(tag.platform, PlatformTag::WinAmd64);
/// assert_eq!(tag.to_string(), "cp311-abi3-win_amd64");
/// # Ok::<(), pypackaging::tags::TagError>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Tag {
    /// The Python tag (`cp311`).
    pub python: LanguageTag,
    /// The ABI tag (`cp311`, `abi3`, `none`).
    pub abi: AbiTag,
    /// The platform tag (`manylinux_2_17_x86_64`).
    pub platform: PlatformTag,
}

impl Tag {
    /// A tag from its three parts.
    pub fn new(python: LanguageTag, abi: AbiTag, platform: PlatformTag) -> Tag {
        Tag {
            python,
            abi,
            platform,
        }
    }
}

impl FromStr for Tag {
    type Err = TagError;

    /// Parses one triple; a compressed set (`py2.py3-none-any`) is an error here: use
    /// [`CompressedTagSet`].
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let set: CompressedTagSet = s.parse()?;
        if set.len() != 1 || s.contains('.') {
            return Err(TagError::Compressed { tag: s.to_owned() });
        }
        Ok(set.iter().next().expect("one tag"))
    }
}

impl fmt::Display for Tag {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}-{}-{}", self.python, self.abi, self.platform)
    }
}

/// Which part of a tag an error is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum TagPart {
    /// The Python (interpreter) tag.
    Python,
    /// The ABI tag.
    Abi,
    /// The platform tag.
    Platform,
}

impl fmt::Display for TagPart {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            TagPart::Python => "python",
            TagPart::Abi => "ABI",
            TagPart::Platform => "platform",
        })
    }
}

/// Why a string is not a tag or a compressed tag set.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum TagError {
    /// Not exactly three `-`-separated parts.
    #[error("invalid tag `{}`: expected three parts `python-abi-platform`, found {parts}", Quoted(.tag))]
    WrongNumberOfParts {
        /// The tag as given.
        tag: String,
        /// How many parts it has.
        parts: usize,
    },
    /// A part, or a `.`-separated member of one, is empty.
    #[error("invalid tag `{}`: empty {part} tag", Quoted(.tag))]
    EmptyComponent {
        /// The tag as given.
        tag: String,
        /// The part with the empty component.
        part: TagPart,
    },
    /// A Python tag is not an identifier (`packaging.tags.parse_tag` requires one).
    #[error("invalid tag `{}`: python tag `{}` is not an identifier", Quoted(.tag), Quoted(.python))]
    InvalidPython {
        /// The tag as given.
        tag: String,
        /// The Python tag at fault.
        python: String,
    },
    /// The compressed set stands for more than [`CompressedTagSet::MAX_TAGS`] triples.
    #[error(
        "invalid tag `{}`: the compressed tag set stands for {count} tags, more than the limit of {limit}",
        Quoted(.tag)
    )]
    TooManyTags {
        /// The tag as given.
        tag: String,
        /// How many triples it stands for.
        count: usize,
        /// The limit.
        limit: usize,
    },
    /// A compressed set where one tag was expected.
    #[error("invalid tag `{}`: expected one tag, found a compressed tag set", Quoted(.tag))]
    Compressed {
        /// The tag as given.
        tag: String,
    },
}

/// The tag part of a wheel filename: `.`-separated Python, ABI and platform tags, standing for
/// every triple of them ([compressed tag sets](https://packaging.python.org/en/latest/specifications/platform-compatibility-tags/#compressed-tag-sets)).
///
/// Components are kept sorted and without duplicates (the order PEP 425 asks tools to write),
/// so `Display` gives the canonical spelling and two sets that stand for the same triples are
/// equal.
///
/// # Examples
///
/// ```
/// use pypackaging::tags::CompressedTagSet;
///
/// let set: CompressedTagSet = "py3.py2-none-any".parse()?;
/// assert_eq!(set.to_string(), "py2.py3-none-any");
/// assert_eq!(set.len(), 2);
/// # Ok::<(), pypackaging::tags::TagError>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct CompressedTagSet {
    pythons: Parts<LanguageTag>,
    abis: Parts<AbiTag>,
    platforms: Parts<PlatformTag>,
}

/// The members of one part of a compressed tag set: one inline (the common case, no
/// allocation) or several, sorted and distinct (never fewer than two, so equal sets are equal
/// values).
#[derive(Debug, Clone)]
enum Parts<T> {
    One(T),
    Many(Box<[T]>),
}

impl<T> Parts<T> {
    fn from_vec(mut list: Vec<T>) -> Parts<T> {
        if list.len() == 1 {
            Parts::One(list.pop().expect("one member"))
        } else {
            Parts::Many(list.into_boxed_slice())
        }
    }

    fn as_slice(&self) -> &[T] {
        match self {
            Parts::One(one) => std::slice::from_ref(one),
            Parts::Many(many) => many,
        }
    }
}

impl<T: PartialEq> PartialEq for Parts<T> {
    fn eq(&self, other: &Self) -> bool {
        self.as_slice() == other.as_slice()
    }
}

impl<T: Eq> Eq for Parts<T> {}

impl<T: PartialOrd> PartialOrd for Parts<T> {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        self.as_slice().partial_cmp(other.as_slice())
    }
}

impl<T: Ord> Ord for Parts<T> {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        self.as_slice().cmp(other.as_slice())
    }
}

impl<T: std::hash::Hash> std::hash::Hash for Parts<T> {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        self.as_slice().hash(state);
    }
}

/// How a compressed tag set was written, beside what it means: what strict mode looks at.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) struct TagSpelling {
    /// Some letter was upper-case.
    pub(crate) upper_case: bool,
    /// Some component list was not sorted.
    pub(crate) unsorted: bool,
    /// Some component list had a duplicate.
    pub(crate) duplicate: bool,
}

/// Python's `str.isidentifier()`, approximated with Unicode alphabetic/alphanumeric classes.
fn is_identifier(text: &str) -> bool {
    if let Some((&first, rest)) = text.as_bytes().split_first()
        && text.is_ascii()
    {
        return (first == b'_' || first.is_ascii_alphabetic())
            && rest.iter().all(|&b| b == b'_' || b.is_ascii_alphanumeric());
    }
    let mut chars = text.chars();
    chars.next().is_some_and(|c| c == '_' || c.is_alphabetic())
        && chars.all(|c| c == '_' || c.is_alphanumeric())
}

/// `text` lower-cased member by member, as packaging's `Tag` lower-cases each member: a `.`
/// is case-ignorable, so lower-casing the whole text at once would read `Σ` before `.b` as
/// inside a word (`σ`) where packaging, seeing `aΣ` alone, writes the final form `ς`.
fn lowercase_members(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut start = 0;
    for (i, b) in text.bytes().enumerate() {
        if b == b'-' || b == b'.' {
            out.push_str(&text[start..i].to_lowercase());
            out.push(char::from(b));
            start = i + 1;
        }
    }
    out.push_str(&text[start..].to_lowercase());
    out
}

/// How many members of a part [`plain_members`] and [`components`] keep on the stack: more
/// than any real wheel has.
const STACK_MEMBERS: usize = 8;

/// Splits one part into its lower-cased, sorted, de-duplicated members; `dotted` says whether
/// it holds a `.` (the caller has counted them).
fn components<T>(
    part: &str,
    dotted: bool,
    parse: fn(&str) -> T,
    spelling: &mut TagSpelling,
) -> Parts<T> {
    if !dotted {
        return Parts::One(parse(part));
    }
    let mut stack = [""; STACK_MEMBERS];
    let mut heap = Vec::new();
    let mut count = 0;
    for member in part.split('.') {
        match stack.get_mut(count) {
            Some(slot) => *slot = member,
            None => {
                if heap.is_empty() {
                    heap.extend_from_slice(&stack);
                }
                heap.push(member);
            }
        }
        count += 1;
    }
    let members: &mut [&str] = if count <= STACK_MEMBERS {
        &mut stack[..count]
    } else {
        &mut heap
    };
    canonical_members(members, parse, spelling)
}

/// The members of a part, sorted and de-duplicated (noting in `spelling` whether they were),
/// then parsed.
fn canonical_members<T>(
    members: &mut [&str],
    parse: fn(&str) -> T,
    spelling: &mut TagSpelling,
) -> Parts<T> {
    if !members.is_sorted() {
        spelling.unsorted = true;
        members.sort_unstable();
    }
    let mut distinct = 0;
    for i in 0..members.len() {
        if distinct == 0 || members[i] != members[distinct - 1] {
            members[distinct] = members[i];
            distinct += 1;
        }
    }
    spelling.duplicate |= distinct != members.len();
    match &members[..distinct] {
        [one] => Parts::One(parse(one)),
        many => Parts::Many(many.iter().map(|m| parse(m)).collect()),
    }
}

/// One part of a lower-case ASCII tag set, split at its `.`s on the stack, sorted,
/// de-duplicated and parsed; `None` when a member is empty or there are more than
/// [`STACK_MEMBERS`] (the general parser then reads the set).
#[inline]
fn plain_members<T>(
    part: &str,
    parse: fn(&str) -> T,
    spelling: &mut TagSpelling,
) -> Option<Parts<T>> {
    let mut members = [""; STACK_MEMBERS];
    let mut count = 0;
    let mut start = 0;
    for (i, &b) in part.as_bytes().iter().enumerate() {
        if b == b'.' {
            *members.get_mut(count)? = part.get(start..i)?;
            count += 1;
            start = i + 1;
        }
    }
    if count == 0 {
        return (!part.is_empty()).then(|| Parts::One(parse(part)));
    }
    *members.get_mut(count)? = part.get(start..)?;
    count += 1;
    let members = &mut members[..count];
    if members.iter().any(|m| m.is_empty()) {
        return None;
    }
    Some(canonical_members(members, parse, spelling))
}

impl CompressedTagSet {
    /// The most triples a compressed tag set may stand for. Real wheels stand for at most a
    /// few dozen; the bound keeps a hostile filename from expanding into millions.
    pub const MAX_TAGS: usize = 1024;

    /// A set of one tag.
    pub fn single(tag: Tag) -> CompressedTagSet {
        CompressedTagSet {
            pythons: Parts::One(tag.python),
            abis: Parts::One(tag.abi),
            platforms: Parts::One(tag.platform),
        }
    }

    /// A set from its components, sorted and de-duplicated here; `None` when a list is empty or
    /// the set would stand for more than [`Self::MAX_TAGS`] triples.
    pub fn from_parts(
        mut pythons: Vec<LanguageTag>,
        mut abis: Vec<AbiTag>,
        mut platforms: Vec<PlatformTag>,
    ) -> Option<CompressedTagSet> {
        fn canonical<T: fmt::Display>(list: &mut Vec<T>) {
            list.sort_by_cached_key(ToString::to_string);
            list.dedup_by(|a, b| a.to_string() == b.to_string());
        }
        canonical(&mut pythons);
        canonical(&mut abis);
        canonical(&mut platforms);
        let count = pythons
            .len()
            .checked_mul(abis.len())?
            .checked_mul(platforms.len())?;
        (count > 0 && count <= Self::MAX_TAGS).then(|| CompressedTagSet {
            pythons: Parts::from_vec(pythons),
            abis: Parts::from_vec(abis),
            platforms: Parts::from_vec(platforms),
        })
    }

    /// Parses a compressed tag set, as `packaging.tags.parse_tag` does, with the
    /// [`Self::MAX_TAGS`] bound.
    ///
    /// # Errors
    ///
    /// Not three parts (`py3-none`), an empty component (`py3.-none-any`), a Python tag that is
    /// not an identifier (`3-none-any`), or more than [`Self::MAX_TAGS`] triples.
    pub fn parse(text: &str) -> Result<CompressedTagSet, TagError> {
        Self::parse_spelled(text).map(|(set, _)| set)
    }

    /// [`Self::parse`], and how the set was spelled.
    pub(crate) fn parse_spelled(text: &str) -> Result<(CompressedTagSet, TagSpelling), TagError> {
        let mut dashes = memchr::memchr_iter(b'-', text.as_bytes());
        if let (Some(first), Some(second), None) = (dashes.next(), dashes.next(), dashes.next()) {
            return Self::parse_spelled_at(text, first, second);
        }
        Self::parse_general(text)
    }

    /// [`Self::parse_spelled`] of a text whose only `-`s are at `first` and `second` (the
    /// wheel filename parser has found them).
    pub(crate) fn parse_spelled_at(
        text: &str,
        first: usize,
        second: usize,
    ) -> Result<(CompressedTagSet, TagSpelling), TagError> {
        match Self::parse_plain(text, first, second) {
            Some(parsed) => Ok(parsed),
            None => Self::parse_general(text),
        }
    }

    /// The spelling of nearly every wheel, lower-case ASCII with at most
    /// [`STACK_MEMBERS`] members a part, read without a state machine: the set and its
    /// spelling, or `None` for the general parser to read (including every error).
    #[inline]
    fn parse_plain(
        text: &str,
        first: usize,
        second: usize,
    ) -> Option<(CompressedTagSet, TagSpelling)> {
        // No upper-case letter or non-ASCII byte, in a loop the compiler vectorizes.
        let unusual = text.as_bytes().iter().fold(false, |unusual, &b| {
            unusual | (b.wrapping_sub(b'A') < 26) | (b >= 0x80)
        });
        if unusual {
            return None;
        }
        let mut spelling = TagSpelling::default();
        let pythons = plain_members(
            text.get(..first)?,
            LanguageTag::parse_lowercase,
            &mut spelling,
        )?;
        // `py3`, `cp311`, `pp310` are letters and digits, so identifiers; others are checked.
        let identifiers = pythons.as_slice().iter().all(|python| match python {
            LanguageTag::Other(text) => is_identifier(text),
            _ => true,
        });
        if !identifiers {
            return None;
        }
        let abis = plain_members(
            text.get(first + 1..second)?,
            AbiTag::parse_lowercase,
            &mut spelling,
        )?;
        let platforms = plain_members(
            text.get(second + 1..)?,
            PlatformTag::parse_lowercase,
            &mut spelling,
        )?;
        Some((
            CompressedTagSet {
                pythons,
                abis,
                platforms,
            },
            spelling,
        ))
    }

    /// Every spelling, and every error.
    fn parse_general(text: &str) -> Result<(CompressedTagSet, TagSpelling), TagError> {
        let err_tag = || text.to_owned();
        let mut spelling = TagSpelling::default();
        // One pass over the bytes finds the `-`s, counts the members of each part, spots empty
        // members and says whether anything needs lower-casing (the common, already
        // lower-case ASCII spelling is then used as it is). Lower-casing never adds, removes or
        // moves a `-` or `.` relative to the others, so the counts hold for either spelling.
        let mut dashes = [0usize; 2];
        let mut dash_count = 0usize;
        let mut members = [1usize; 3];
        let mut empty = [false; 3];
        let mut needs_lowering = false;
        let mut at_boundary = true;
        for (i, &b) in text.as_bytes().iter().enumerate() {
            let part = dash_count.min(2);
            match b {
                b'-' => {
                    empty[part] |= at_boundary;
                    if let Some(slot) = dashes.get_mut(dash_count) {
                        *slot = i;
                    }
                    dash_count += 1;
                    at_boundary = true;
                }
                b'.' => {
                    empty[part] |= at_boundary;
                    members[part] += 1;
                    at_boundary = true;
                }
                _ => {
                    needs_lowering |= b.is_ascii_uppercase() || !b.is_ascii();
                    at_boundary = false;
                }
            }
        }
        empty[dash_count.min(2)] |= at_boundary;
        if dash_count != 2 {
            return Err(TagError::WrongNumberOfParts {
                tag: err_tag(),
                parts: dash_count + 1,
            });
        }
        let lower;
        let (python, abi, platform) = if needs_lowering {
            lower = lowercase_members(text);
            spelling.upper_case = lower != text;
            let (python, rest) = lower.split_once('-').unwrap_or_default();
            let (abi, platform) = rest.split_once('-').unwrap_or_default();
            (python, abi, platform)
        } else {
            (
                &text[..dashes[0]],
                &text[dashes[0] + 1..dashes[1]],
                &text[dashes[1] + 1..],
            )
        };
        if let Some(part) = empty.iter().position(|e| *e) {
            return Err(TagError::EmptyComponent {
                tag: err_tag(),
                part: [TagPart::Python, TagPart::Abi, TagPart::Platform][part],
            });
        }
        let count = members
            .iter()
            .fold(1usize, |count, m| count.saturating_mul(*m));
        if count > Self::MAX_TAGS {
            return Err(TagError::TooManyTags {
                tag: err_tag(),
                count,
                limit: Self::MAX_TAGS,
            });
        }
        // Checked on the original spelling, as packaging does before lower-casing.
        let original_python = &text[..dashes[0]];
        let bad = if members[0] > 1 {
            original_python.split('.').find(|p| !is_identifier(p))
        } else {
            (!is_identifier(original_python)).then_some(original_python)
        };
        if let Some(bad) = bad {
            return Err(TagError::InvalidPython {
                tag: err_tag(),
                python: bad.to_owned(),
            });
        }
        let set = CompressedTagSet {
            pythons: components(
                python,
                members[0] > 1,
                LanguageTag::parse_lowercase,
                &mut spelling,
            ),
            abis: components(abi, members[1] > 1, AbiTag::parse_lowercase, &mut spelling),
            platforms: components(
                platform,
                members[2] > 1,
                PlatformTag::parse_lowercase,
                &mut spelling,
            ),
        };
        Ok((set, spelling))
    }

    /// The Python tags, sorted.
    pub fn pythons(&self) -> &[LanguageTag] {
        self.pythons.as_slice()
    }

    /// The ABI tags, sorted.
    pub fn abis(&self) -> &[AbiTag] {
        self.abis.as_slice()
    }

    /// The platform tags, sorted.
    pub fn platforms(&self) -> &[PlatformTag] {
        self.platforms.as_slice()
    }

    /// How many triples the set stands for (at most [`Self::MAX_TAGS`]).
    pub fn len(&self) -> usize {
        self.pythons().len() * self.abis().len() * self.platforms().len()
    }

    /// Always false: a set has at least one triple. (Here for clippy's `len_without_is_empty`.)
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Every triple, Python tags outermost, then ABIs, then platforms.
    pub fn iter(&self) -> impl Iterator<Item = Tag> + '_ {
        self.pythons().iter().flat_map(move |python| {
            self.abis().iter().flat_map(move |abi| {
                self.platforms()
                    .iter()
                    .map(move |platform| Tag::new(python.clone(), abi.clone(), platform.clone()))
            })
        })
    }

    /// Whether every triple has platform `any`.
    pub fn is_pure(&self) -> bool {
        self.platforms().iter().all(PlatformTag::is_any)
    }
}

impl FromStr for CompressedTagSet {
    type Err = TagError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        CompressedTagSet::parse(s)
    }
}

fn write_joined<T: fmt::Display>(f: &mut fmt::Formatter<'_>, items: &[T]) -> fmt::Result {
    for (i, item) in items.iter().enumerate() {
        if i > 0 {
            f.write_str(".")?;
        }
        write!(f, "{item}")?;
    }
    Ok(())
}

impl fmt::Display for CompressedTagSet {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write_joined(f, self.pythons())?;
        f.write_str("-")?;
        write_joined(f, self.abis())?;
        f.write_str("-")?;
        write_joined(f, self.platforms())
    }
}

macro_rules! serde_as_string {
    ($($ty:ty),*) => {$(
        impl serde::Serialize for $ty {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.collect_str(self)
            }
        }
        impl<'de> serde::Deserialize<'de> for $ty {
            fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                let text = <std::borrow::Cow<'de, str>>::deserialize(d)?;
                text.parse().map_err(serde::de::Error::custom)
            }
        }
    )*};
}
serde_as_string!(Tag, CompressedTagSet, LanguageTag, AbiTag, PlatformTag);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parse_errors() {
        insta::assert_snapshot!(
            "py3-none".parse::<CompressedTagSet>().unwrap_err(),
            @"invalid tag `py3-none`: expected three parts `python-abi-platform`, found 2"
        );
        insta::assert_snapshot!(
            "py3..py2-none-any".parse::<CompressedTagSet>().unwrap_err(),
            @"invalid tag `py3..py2-none-any`: empty python tag"
        );
        insta::assert_snapshot!(
            "3-none-any".parse::<CompressedTagSet>().unwrap_err(),
            @"invalid tag `3-none-any`: python tag `3` is not an identifier"
        );
        insta::assert_snapshot!(
            "py2.py3-none-any".parse::<Tag>().unwrap_err(),
            @"invalid tag `py2.py3-none-any`: expected one tag, found a compressed tag set"
        );
        let many = format!(
            "{}-none-any",
            (0..2000)
                .map(|i| format!("x{i}"))
                .collect::<Vec<_>>()
                .join(".")
        );
        assert!(matches!(
            many.parse::<CompressedTagSet>(),
            Err(TagError::TooManyTags { count: 2000, .. })
        ));
    }

    #[test]
    fn members_are_lower_cased_one_by_one() {
        // packaging 26.3: `parse_tag("aΣ.b-none-any")` holds `aς-none-any` (final sigma).
        let set: CompressedTagSet = "aΣ.b-none-any".parse().expect("parses");
        assert_eq!(set.to_string(), "aς.b-none-any");
        let set: CompressedTagSet = "py3-none-ANY".parse().expect("parses");
        assert_eq!(set.to_string(), "py3-none-any");
    }

    #[test]
    fn canonical_order_and_spelling() {
        let (set, spelling) =
            CompressedTagSet::parse_spelled("PY3.py2.py3-none-ANY").expect("parses");
        assert_eq!(set.to_string(), "py2.py3-none-any");
        assert!(spelling.upper_case && spelling.unsorted && spelling.duplicate);
        let tags: Vec<String> = set.iter().map(|t| t.to_string()).collect();
        assert_eq!(tags, ["py2-none-any", "py3-none-any"]);
    }
}
