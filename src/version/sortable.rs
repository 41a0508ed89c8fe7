//! [`SortableVersion`], a version held as its PEP 440 sort key, [`VersionKey`], the key of a
//! borrowed version, and [`sort_by_version`]: one integer comparison for nearly every pair.

use std::borrow::Cow;
use std::cmp::Ordering;
use std::str::FromStr;

use super::{Prerelease, PrereleaseKind, Version, VersionParseError, is_python_space};
use crate::diagnostic::Quoted;

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
/// | 5 | epoch |
/// | 4 × 20 | release numbers 1 to 4 (missing ones are 0, so `1.0` and `1.0.0` are equal) |
/// | 3 + 12 | pre-release: 0 = only a dev release (sorts first), 1/2/3 = a/b/rc, 4 = none; number |
/// | 13 | post-release: 0 = none, else number + 1 |
/// | 13 | dev release: number, or all ones for none (sorts last) |
/// | 2 | zero ([`SortableVersion`] keeps a plain version's release length there) |
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
    pack_parts(
        version.epoch(),
        version.release(),
        version.pre(),
        version.post(),
        version.dev(),
        !version.local().is_empty(),
    )
}

/// Packs a version given by its parts (see [`VersionKey`]): the one packing, shared by
/// [`pack`] and the parser of [`SortableVersion`].
fn pack_parts(
    epoch: u64,
    release: &[u64],
    pre: Option<Prerelease>,
    post: Option<u64>,
    dev: Option<u64>,
    has_local: bool,
) -> (u128, bool) {
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

    // The common case, every field within its width: the same layout, without the checks.
    if epoch < 1 << EPOCH_BITS && release.len() <= 4 && fits_plain(release, pre, post, dev) {
        let mut padded = [0u64; 4];
        padded[..release.len()].copy_from_slice(release);
        return (plain_key(epoch, padded, pre, post, dev), !has_local);
    }
    let mut packer = Packer {
        key: 0,
        exact: !has_local,
        saturated: false,
    };
    packer.push(epoch, EPOCH_BITS);
    for i in 0..4 {
        packer.push(release.get(i).copied().unwrap_or(0), 20);
    }
    if release.len() > 4 && release[4..].iter().any(|&n| n != 0) {
        // The release goes on beyond the key: it is above every version that agrees on the
        // first four numbers and has zeros after them, whatever their suffixes.
        packer.saturate();
    }
    let (kind, pre_number) = match (pre, post, dev) {
        (None, None, Some(_)) => (0, 0),
        (None, _, _) => (4, 0),
        (Some(pre), _, _) => (pre_kind(pre.kind) as u64, pre.number),
    };
    packer.push(kind, 3);
    packer.push(pre_number, 12);
    packer.push(post.map_or(0, |n| n.saturating_add(1)), 13);
    // No dev release sorts last: all ones, which a dev number never reaches.
    match dev {
        None => packer.push(u64::MAX >> (64 - 13), 13),
        Some(n) => packer.push_up_to(n, 13, (1 << 13) - 2),
    }
    (packer.key << LEN_BITS, packer.exact)
}

/// The key's code of a pre-release kind (0 is a dev release without one, 4 none).
fn pre_kind(kind: PrereleaseKind) -> u128 {
    match kind {
        PrereleaseKind::Alpha => 1,
        PrereleaseKind::Beta => 2,
        PrereleaseKind::Rc => 3,
    }
}

/// Whether the release numbers and suffix numbers fit their fields of the key unchanged.
#[inline]
fn fits_plain(
    release: &[u64],
    pre: Option<Prerelease>,
    post: Option<u64>,
    dev: Option<u64>,
) -> bool {
    release.iter().all(|&n| n < 1 << RELEASE_BITS)
        && pre.is_none_or(|p| p.number < 1 << PRE_NUMBER_BITS)
        && post.is_none_or(|n| n < (1 << SUFFIX_BITS) - 1)
        && dev.is_none_or(|n| n < (1 << SUFFIX_BITS) - 1)
}

/// The key of a version whose fields fit (see [`fits_plain`]; the epoch below 2^7).
#[inline]
fn plain_key(
    epoch: u64,
    release: [u64; 4],
    pre: Option<Prerelease>,
    post: Option<u64>,
    dev: Option<u64>,
) -> u128 {
    let mut key = u128::from(epoch);
    for n in release {
        key = (key << RELEASE_BITS) | u128::from(n);
    }
    let (kind, number) = match (pre, post, dev) {
        (None, None, Some(_)) => (0, 0),
        (None, _, _) => (4, 0),
        (Some(pre), _, _) => (pre_kind(pre.kind), u128::from(pre.number)),
    };
    key = ((key << 3 | kind) << PRE_NUMBER_BITS) | number;
    key = (key << SUFFIX_BITS) | post.map_or(0, |n| u128::from(n) + 1);
    key = (key << SUFFIX_BITS) | dev.map_or((1 << SUFFIX_BITS) - 1, u128::from);
    key << LEN_BITS
}

/// A PEP 440 version held as its packed sort key (see [`VersionKey`]): parsing, sorting,
/// comparing, hashing and writing it need no allocation, and pep440_rs's [`Version`] (an
/// `Arc`-allocated value) is built only when asked for ([`SortableVersion::to_version`]).
///
/// The plain versions real indexes are made of (`1.2.3`, `2.0rc1`, `1.0.post2`, `3.1.dev0`:
/// at most four release numbers below 2^20, small suffix numbers, no epoch, no local part) are
/// held in the key alone. Every other version also keeps its [`Version`], whose `Ord` decides
/// where two keys cannot (a local part, numbers beyond the key's fields).
///
/// Parsing accepts exactly what [`Version`]'s `FromStr` (pep440_rs) accepts, with the same
/// meaning and normalized form: the plain spellings are read by this crate's own scanner;
/// every other spelling (upper case, separators, `v`, epochs, local parts, implicit numbers,
/// ...) goes to pep440_rs's parser, as do its errors.
///
/// # Examples
///
/// ```
/// use pypackaging::version::{SortableVersion, Version};
///
/// let mut versions: Vec<SortableVersion> = ["1.0", "1.0rc1", "0.9.post1", "1.0.dev0", "1!0.1"]
///     .iter()
///     .map(|v| v.parse())
///     .collect::<Result<_, _>>()?;
/// versions.sort();
/// let sorted: Vec<String> = versions.iter().map(ToString::to_string).collect();
/// assert_eq!(sorted, ["0.9.post1", "1.0.dev0", "1.0rc1", "1.0", "1!0.1"]);
/// assert_eq!(versions[2].to_version(), "1.0rc1".parse::<Version>()?);
/// # Ok::<(), pypackaging::version::VersionParseError>(())
/// ```
#[derive(Debug, Clone)]
pub struct SortableVersion {
    /// The packed key, most significant half first. Its low [`LEN_BITS`] bits take no part in
    /// the order: a plain version keeps its release length there (minus one); a version with
    /// `full` keeps 1 there when its key is exact, else 0.
    key: (u64, u64),
    /// The version, unless it is plain (everything is then in the key).
    full: Option<Version>,
}

/// The fields of a packed key (see [`VersionKey`] for the layout).
const EPOCH_BITS: u32 = 5;
const RELEASE_BITS: u32 = 20;
const PRE_NUMBER_BITS: u32 = 12;
const SUFFIX_BITS: u32 = 13;
/// The low bits of a key that take no part in the order.
const LEN_BITS: u32 = 2;

impl SortableVersion {
    /// The sortable form of `version`.
    pub fn new(version: Version) -> SortableVersion {
        let (key, exact) = pack(&version);
        SortableVersion::from_key(key | u128::from(exact), Some(version))
    }

    /// A version from its key (with the low bits set as [`SortableVersion::key`] says).
    #[inline]
    fn from_key(key: u128, full: Option<Version>) -> SortableVersion {
        SortableVersion {
            key: ((key >> 64) as u64, key as u64),
            full,
        }
    }

    /// The version as pep440_rs's [`Version`] (built now for a plain version, else cloned: one
    /// `Arc` either way).
    pub fn to_version(&self) -> Version {
        if let Some(full) = &self.full {
            return full.clone();
        }
        let plain = self.plain();
        let mut version = Version::new(&plain.release[..self.release_len()]);
        if plain.pre.is_some() {
            version = version.with_pre(plain.pre);
        }
        if plain.post.is_some() {
            version = version.with_post(plain.post);
        }
        if plain.dev.is_some() {
            version = version.with_dev(plain.dev);
        }
        version
    }

    /// The packed key as one integer, with its low bits.
    #[inline]
    fn packed(&self) -> u128 {
        (u128::from(self.key.0) << 64) | u128::from(self.key.1)
    }

    /// The part of the key that orders.
    #[inline]
    fn order(&self) -> u128 {
        self.packed() >> LEN_BITS
    }

    /// How many release numbers a plain version writes (`1.0` and `1.0.0` share a key).
    #[inline]
    fn release_len(&self) -> usize {
        (self.key.1 & ((1 << LEN_BITS) - 1)) as usize + 1
    }

    /// Whether a tie of keys must be decided by `Version`'s `Ord`.
    #[inline]
    fn inexact(&self) -> bool {
        self.full.is_some() && self.key.1 & ((1 << LEN_BITS) - 1) == 0
    }

    /// The parts of a plain version, read back from its key.
    fn plain(&self) -> PlainParts {
        let key = self.packed();
        let field =
            |shift: u32, bits: u32| ((key >> (shift + LEN_BITS)) as u64) & ((1 << bits) - 1);
        let suffixes = 2 * SUFFIX_BITS + PRE_NUMBER_BITS + 3;
        let mut release = [0u64; 4];
        for (i, slot) in release.iter_mut().enumerate() {
            *slot = field(suffixes + RELEASE_BITS * (3 - i as u32), RELEASE_BITS);
        }
        let pre_number = field(2 * SUFFIX_BITS, PRE_NUMBER_BITS);
        let pre = match field(2 * SUFFIX_BITS + PRE_NUMBER_BITS, 3) {
            1 => Some(PrereleaseKind::Alpha),
            2 => Some(PrereleaseKind::Beta),
            3 => Some(PrereleaseKind::Rc),
            _ => None,
        }
        .map(|kind| Prerelease {
            kind,
            number: pre_number,
        });
        let post = field(SUFFIX_BITS, SUFFIX_BITS).checked_sub(1);
        let dev = Some(field(0, SUFFIX_BITS)).filter(|&n| n != (1 << SUFFIX_BITS) - 1);
        PlainParts {
            release,
            pre,
            post,
            dev,
        }
    }

    /// The plain spellings whose parts fit the key (see the type's docs), read straight into
    /// the key; `None` for anything else, which [`SortableVersion::parse_wide`] then reads.
    #[inline]
    fn parse_plain(bytes: &[u8]) -> Option<SortableVersion> {
        /// A run of 1 to 7 ASCII digits at `at` whose value is below `2^bits`: the value and
        /// the index after it.
        #[inline(always)]
        fn number(bytes: &[u8], at: usize, bits: u32) -> Option<(u128, usize)> {
            let mut value = 0u32;
            let mut i = at;
            while let Some(&b) = bytes.get(i) {
                let digit = b.wrapping_sub(b'0');
                if digit > 9 {
                    break;
                }
                if i - at == 7 {
                    return None;
                }
                value = value * 10 + u32::from(digit);
                i += 1;
            }
            (i > at && value < 1 << bits).then_some((u128::from(value), i))
        }
        /// Whether `tag` is at `at`.
        #[inline(always)]
        fn tag<const N: usize>(bytes: &[u8], at: usize, tag: &[u8; N]) -> bool {
            bytes.get(at..at + N).is_some_and(|s| s == tag)
        }

        let mut key = 0u128;
        let mut len = 0;
        let mut i = 0;
        loop {
            let (value, next) = number(bytes, i, RELEASE_BITS)?;
            key = key << RELEASE_BITS | value;
            len += 1;
            i = next;
            if bytes.get(i) != Some(&b'.') || !bytes.get(i + 1).is_some_and(u8::is_ascii_digit) {
                break;
            }
            if len == 4 {
                return None;
            }
            i += 1;
        }
        key <<= RELEASE_BITS * (4 - len);
        let pre = match bytes.get(i) {
            Some(b'a') => Some((1, 1)),
            Some(b'b') => Some((2, 1)),
            Some(b'r') if bytes.get(i + 1) == Some(&b'c') => Some((3, 2)),
            _ => None,
        };
        let (mut kind, mut pre_number) = (4, 0);
        if let Some((code, skip)) = pre {
            let (number, next) = number(bytes, i + skip, PRE_NUMBER_BITS)?;
            (kind, pre_number, i) = (code, number, next);
        }
        // A post or dev number must stay below the field's all-ones.
        let mut post = 0;
        if tag(bytes, i, b".post") {
            let (number, next) = number(bytes, i + 5, SUFFIX_BITS)?;
            if number == (1 << SUFFIX_BITS) - 1 {
                return None;
            }
            (post, i) = (number + 1, next);
        }
        let mut dev = (1 << SUFFIX_BITS) - 1;
        if tag(bytes, i, b".dev") {
            let (number, next) = number(bytes, i + 4, SUFFIX_BITS)?;
            if number == (1 << SUFFIX_BITS) - 1 {
                return None;
            }
            (dev, i) = (number, next);
            if kind == 4 && post == 0 {
                kind = 0;
            }
        }
        if i != bytes.len() {
            return None;
        }
        key = ((key << 3 | kind) << PRE_NUMBER_BITS) | pre_number;
        key = (key << SUFFIX_BITS) | post;
        key = (key << SUFFIX_BITS) | dev;
        Some(SortableVersion::from_key(
            key << LEN_BITS | (len as u128 - 1),
            None,
        ))
    }

    /// The plain spellings with numbers too large or too many for the key, built into a
    /// [`Version`] without pep440_rs's parser, or `None` for pep440_rs to read.
    #[cold]
    fn parse_wide(text: &str) -> Option<SortableVersion> {
        /// A run of 1 to 18 ASCII digits at `at` (so that it fits a `u64`): its value and the
        /// index after it.
        #[inline]
        fn number(bytes: &[u8], at: usize) -> Option<(u64, usize)> {
            let mut value = 0u64;
            let mut i = at;
            while let Some(&b) = bytes.get(i) {
                if !b.is_ascii_digit() {
                    break;
                }
                value = value * 10 + u64::from(b - b'0');
                i += 1;
                if i - at > 18 {
                    return None;
                }
            }
            (i > at).then_some((value, i))
        }

        let bytes = text.as_bytes();
        let mut release = [0u64; 8];
        let mut len = 0;
        let mut i = 0;
        loop {
            let (value, next) = number(bytes, i)?;
            *release.get_mut(len)? = value;
            len += 1;
            i = next;
            match (bytes.get(i), bytes.get(i + 1)) {
                (Some(b'.'), Some(b'0'..=b'9')) => i += 1,
                _ => break,
            }
        }
        let kind = match (bytes.get(i), bytes.get(i + 1)) {
            (Some(b'a'), _) => Some((PrereleaseKind::Alpha, 1)),
            (Some(b'b'), _) => Some((PrereleaseKind::Beta, 1)),
            (Some(b'r'), Some(b'c')) => Some((PrereleaseKind::Rc, 2)),
            _ => None,
        };
        let pre = match kind {
            Some((kind, skip)) => {
                let (number, next) = number(bytes, i + skip)?;
                i = next;
                Some(Prerelease { kind, number })
            }
            None => None,
        };
        let mut suffix = |tag: &[u8]| -> Option<Option<u64>> {
            if !bytes[i..].starts_with(tag) {
                return Some(None);
            }
            let (number, next) = number(bytes, i + tag.len())?;
            i = next;
            Some(Some(number))
        };
        let post = suffix(b".post")?;
        let dev = suffix(b".dev")?;
        if i != bytes.len() {
            return None;
        }
        let release = &release[..len];
        let mut version = Version::new(release);
        if pre.is_some() {
            version = version.with_pre(pre);
        }
        if post.is_some() {
            version = version.with_post(post);
        }
        if dev.is_some() {
            version = version.with_dev(dev);
        }
        Some(SortableVersion::new(version))
    }
}

/// The parts of a plain [`SortableVersion`] (release padded with zeros to four numbers).
struct PlainParts {
    release: [u64; 4],
    pre: Option<Prerelease>,
    post: Option<u64>,
    dev: Option<u64>,
}

impl FromStr for SortableVersion {
    type Err = VersionParseError;

    /// Parses as [`Version`] does (see the type's docs).
    fn from_str(text: &str) -> Result<Self, Self::Err> {
        if let Some(parsed) = SortableVersion::parse_plain(text.as_bytes()) {
            return Ok(parsed);
        }
        let text = text.trim_matches(is_python_space);
        if let Some(parsed) = SortableVersion::parse_plain(text.as_bytes()) {
            return Ok(parsed);
        }
        match SortableVersion::parse_wide(text) {
            Some(parsed) => Ok(parsed),
            None => Version::from_str(text).map(SortableVersion::new),
        }
    }
}

impl std::fmt::Display for SortableVersion {
    /// The normalized form, as [`Version`] writes it.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if let Some(full) = &self.full {
            return std::fmt::Display::fmt(full, f);
        }
        let plain = self.plain();
        for (i, n) in plain.release[..self.release_len()].iter().enumerate() {
            if i > 0 {
                f.write_str(".")?;
            }
            write!(f, "{n}")?;
        }
        if let Some(pre) = plain.pre {
            let kind = match pre.kind {
                PrereleaseKind::Alpha => "a",
                PrereleaseKind::Beta => "b",
                PrereleaseKind::Rc => "rc",
            };
            write!(f, "{kind}{}", pre.number)?;
        }
        if let Some(post) = plain.post {
            write!(f, ".post{post}")?;
        }
        if let Some(dev) = plain.dev {
            write!(f, ".dev{dev}")?;
        }
        Ok(())
    }
}

impl From<Version> for SortableVersion {
    fn from(version: Version) -> Self {
        SortableVersion::new(version)
    }
}

impl From<&SortableVersion> for Version {
    fn from(version: &SortableVersion) -> Self {
        version.to_version()
    }
}

impl PartialEq for SortableVersion {
    fn eq(&self, other: &Self) -> bool {
        self.cmp(other) == Ordering::Equal
    }
}

impl Eq for SortableVersion {}

impl std::hash::Hash for SortableVersion {
    /// Hashes the key: equal versions always have equal keys (keys that differ order their
    /// versions), so this agrees with `Eq`.
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        self.order().hash(state);
    }
}

impl PartialOrd for SortableVersion {
    #[inline]
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }

    /// What sorting asks: the high halves of the keys decide nearly every pair.
    #[inline]
    fn lt(&self, other: &Self) -> bool {
        if self.key.0 != other.key.0 {
            return self.key.0 < other.key.0;
        }
        self.cmp(other) == Ordering::Less
    }
}

impl Ord for SortableVersion {
    /// PEP 440 order: the keys, then `Version`'s `Ord` where they cannot decide.
    #[inline]
    fn cmp(&self, other: &Self) -> Ordering {
        // The low half's low bits take no part in the order.
        let order = self
            .key
            .0
            .cmp(&other.key.0)
            .then_with(|| (self.key.1 >> LEN_BITS).cmp(&(other.key.1 >> LEN_BITS)));
        match order {
            Ordering::Equal if self.full.is_some() || other.full.is_some() => self.break_tie(other),
            order => order,
        }
    }
}

impl SortableVersion {
    /// The order of two versions with equal keys where either is not plain: equal, unless
    /// either key is inexact.
    #[cold]
    #[inline(never)]
    fn break_tie(&self, other: &SortableVersion) -> Ordering {
        if self.inexact() || other.inexact() {
            self.to_version().cmp(&other.to_version())
        } else {
            Ordering::Equal
        }
    }
}

impl serde::Serialize for SortableVersion {
    /// The normalized version string.
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de> serde::Deserialize<'de> for SortableVersion {
    /// Any version string pep440_rs accepts.
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = <Cow<'de, str>>::deserialize(deserializer)?;
        text.parse().map_err(|e| {
            serde::de::Error::custom(format_args!("invalid version `{}`: {e}", Quoted(&text)))
        })
    }
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sortable_version_is_three_words() {
        // The sort moves whole values: the release length lives in the key's spare bits and
        // `Option<Version>` uses the `Arc`'s niche.
        assert_eq!(std::mem::size_of::<SortableVersion>(), 24);
        let version: SortableVersion = "1.0.0".parse().unwrap();
        assert_eq!(version.to_string(), "1.0.0");
        assert_eq!(version, "1".parse().unwrap());
    }

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
