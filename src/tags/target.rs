//! Target tag sets: the ordered tags an interpreter supports, and the compatibility check.

use std::collections::HashMap;
use std::collections::hash_map::Entry;
use std::fmt;
use std::hash::{BuildHasherDefault, Hash, Hasher};

use super::{AbiTag, Arch, CompressedTagSet, LanguageTag, PlatformTag, Tag};

/// A small, fast hasher for the short keys of a target's index (FxHash's multiply-rotate).
#[derive(Default, Clone, Copy)]
pub(crate) struct FxHasher(u64);

impl Hasher for FxHasher {
    fn write(&mut self, bytes: &[u8]) {
        for chunk in bytes.chunks(8) {
            let mut word = [0u8; 8];
            word[..chunk.len()].copy_from_slice(chunk);
            self.write_u64(u64::from_le_bytes(word));
        }
    }
    fn write_u8(&mut self, n: u8) {
        self.write_u64(u64::from(n));
    }
    fn write_u16(&mut self, n: u16) {
        self.write_u64(u64::from(n));
    }
    fn write_u32(&mut self, n: u32) {
        self.write_u64(u64::from(n));
    }
    fn write_u64(&mut self, n: u64) {
        self.0 = (self.0.rotate_left(5) ^ n).wrapping_mul(0x51_7c_c1_b7_27_22_0a_95);
    }
    fn write_usize(&mut self, n: usize) {
        self.write_u64(n as u64);
    }
    fn finish(&self) -> u64 {
        // The multiplications carry entropy upwards only, and hash tables take their bucket
        // from the low bits: bring the well-mixed high bits down (as rustc-hash 2 does).
        // Without this, tags that differ only in a version number share their low bits.
        self.0.rotate_left(26)
    }
}

type FxMap<K, V> = HashMap<K, V, BuildHasherDefault<FxHasher>>;

/// Where plain `linux_ARCH` ranks in [`Target::expanded`] for a manylinux or musllinux
/// platform.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub enum LinuxRank {
    /// Before the manylinux/musllinux tags, as `packaging.tags` 26.3 does (a wheel built on
    /// the machine itself is the best fit). The default.
    #[default]
    First,
    /// After them, as uv does (a locally built `linux_*` wheel is a last resort).
    Last,
}

/// What a target is: an implementation, a Python version, its ABIs and its platforms, the
/// inputs of `pip download --implementation/--python-version/--abi/--platform`.
///
/// # Examples
///
/// ```
/// use pypackaging::tags::{Target, TargetSpec};
///
/// let spec = TargetSpec::new("cp", "3.11", &["cp311"], &["manylinux_2_28_x86_64"])?;
/// let target = Target::pip(&spec)?;
/// assert_eq!(target.tags()[0].to_string(), "cp311-cp311-manylinux_2_28_x86_64");
/// # Ok::<(), pypackaging::tags::TargetSpecError>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct TargetSpec {
    /// The implementation's short name, as in a Python tag: `cp`, `pp`, `graalpy`, ...
    pub implementation: String,
    /// Python major version.
    pub major: u8,
    /// Python minor version; `None` for a major-only target (`--python-version 3`).
    pub minor: Option<u8>,
    /// The ABIs, most preferred first. Empty means the default of a release build: `cpXY`
    /// (with `m` before 3.8) for CPython, none but `none` for other implementations.
    pub abis: Vec<AbiTag>,
    /// The platforms, most preferred first.
    pub platforms: Vec<PlatformTag>,
}

/// Why a [`TargetSpec`] could not be built.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum TargetSpecError {
    /// The Python version is not `X`, `X.Y` or `XY` with small numbers.
    #[error("invalid python version `{}`: expected `3`, `3.11` or `311`", crate::diagnostic::Quoted(.version))]
    InvalidPythonVersion {
        /// The version as given.
        version: String,
    },
    /// The platforms' version ladders expand beyond [`Target::MAX_PLATFORMS`].
    #[error("the target's platforms expand to more than {limit} platforms")]
    TooManyPlatforms {
        /// The limit.
        limit: usize,
    },
    /// The implementation is empty or not an identifier.
    #[error("invalid implementation `{}`: expected a short name such as `cp` or `pp`", crate::diagnostic::Quoted(.implementation))]
    InvalidImplementation {
        /// The implementation as given.
        implementation: String,
    },
}

impl TargetSpec {
    /// A spec from the strings pip's options take: `implementation` (`cp`), `python_version`
    /// (`3.11`, `311` or `3`), ABIs and platforms.
    ///
    /// # Errors
    ///
    /// A Python version that is not `X`, `X.Y` or `XY` (`3.x`), or an empty implementation.
    pub fn new(
        implementation: &str,
        python_version: &str,
        abis: &[&str],
        platforms: &[&str],
    ) -> Result<TargetSpec, TargetSpecError> {
        let bad = || TargetSpecError::InvalidPythonVersion {
            version: python_version.to_owned(),
        };
        // pip turns `3.11` into `311` and reads the first digit as the major version.
        let nodot: String = python_version.split('.').take(2).collect();
        if nodot.is_empty() || !nodot.bytes().all(|b| b.is_ascii_digit()) {
            return Err(bad());
        }
        let (major, minor) = nodot.split_at(1);
        let major: u8 = major.parse().map_err(|_| bad())?;
        let minor = if minor.is_empty() {
            None
        } else {
            Some(minor.parse::<u8>().map_err(|_| bad())?)
        };
        if implementation.is_empty()
            || !implementation
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '_')
        {
            return Err(TargetSpecError::InvalidImplementation {
                implementation: implementation.to_owned(),
            });
        }
        Ok(TargetSpec {
            implementation: implementation.to_ascii_lowercase(),
            major,
            minor,
            abis: abis.iter().map(|a| AbiTag::parse(a)).collect(),
            platforms: platforms.iter().map(|p| PlatformTag::parse(p)).collect(),
        })
    }

    fn nodot(&self) -> String {
        match self.minor {
            Some(minor) => format!("{}{minor}", self.major),
            None => self.major.to_string(),
        }
    }

    fn interpreter(&self) -> LanguageTag {
        LanguageTag::parse(&format!("{}{}", self.implementation, self.nodot()))
    }

    fn is_cpython(&self) -> bool {
        self.implementation == "cp"
    }

    fn abis_or_default(&self) -> Vec<AbiTag> {
        if !self.abis.is_empty() || !self.is_cpython() {
            return self.abis.clone();
        }
        let Some(minor) = self.minor else {
            return Vec::new();
        };
        let pymalloc = self.major == 3 && minor < 8;
        vec![AbiTag::CPython {
            major: self.major,
            minor,
            flags: super::AbiFlags {
                pymalloc,
                ..Default::default()
            },
        }]
    }
}

/// The priority of a supported tag in a [`Target`]: higher is better.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Priority(pub u32);

/// Which part of a wheel's tags the target does not support.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum IncompatibleReason {
    /// No Python tag of the wheel is supported.
    Python,
    /// A Python tag is supported, but with none of the wheel's ABIs.
    Abi,
    /// Python and ABI are supported together, but on none of the wheel's platforms.
    Platform,
}

/// Why a wheel does not fit a target: the reason, and the wheel's tag that came closest.
#[derive(Debug, Clone, PartialEq, Eq, Hash, thiserror::Error)]
#[error("{}", self.message())]
pub struct Incompatibility {
    /// The part that does not fit (for the closest tag).
    pub reason: IncompatibleReason,
    /// The wheel's tag that came closest (its Python tag, and ABI when the reason is the
    /// platform, are supported).
    pub closest: Tag,
}

impl Incompatibility {
    fn message(&self) -> String {
        let Tag {
            python,
            abi,
            platform,
        } = &self.closest;
        match self.reason {
            IncompatibleReason::Python => {
                format!("the target supports no python tag of the wheel (such as `{python}`)")
            }
            IncompatibleReason::Abi => format!(
                "the target supports python `{python}` but not with ABI `{abi}` (closest tag `{}`)",
                self.closest
            ),
            IncompatibleReason::Platform => format!(
                "the target supports `{python}-{abi}` but not on platform `{platform}` (closest tag `{}`)",
                self.closest
            ),
        }
    }
}

/// The ordered tags a target supports, indexed for constant-time lookups.
///
/// Built with [`Target::pip`] (what `pip download --python-version/--implementation/--abi/
/// --platform` accepts), [`Target::expanded`] (what `packaging.tags.sys_tags()` gives on a
/// native interpreter with that libc), or [`Target::from_tags`] (any ordered list). Each tag
/// appears once, at its most preferred place.
///
/// [`Target::compatibility`] looks each triple of a wheel up in hash maps keyed by the tag
/// parts: its cost depends on the wheel's tags, not on the size of the target.
#[derive(Debug, Clone)]
pub struct Target {
    tags: Vec<Tag>,
    /// Each tag, by the codes of its parts (see [`TextCodes`]), to its index in `tags`: one
    /// lookup of three integers per triple.
    index: FxMap<(u64, u64, u64), u32>,
    /// The codes of the tags' Python parts and Python-ABI pairs: what says why a wheel that
    /// fits nowhere does not fit.
    pythons: FxMap<u64, ()>,
    pairs: FxMap<(u64, u64), ()>,
    texts: TextCodes,
}

/// The codes of a target's tag parts. A part that holds no text has its own arithmetic code
/// (`LanguageTag::code` and its kin, the variant in the top byte, below 0x80); a part that
/// holds text (`Other`, ...) gets a number of the target's (top byte 0xff) here. A wheel's
/// part that holds text and is not here is in none of the target's tags.
#[derive(Debug, Clone, Default)]
struct TextCodes {
    pythons: FxMap<LanguageTag, u64>,
    abis: FxMap<AbiTag, u64>,
    platforms: FxMap<PlatformTag, u64>,
}

impl TextCodes {
    const FIRST: u64 = 0xff << 56;

    fn next(&self) -> u64 {
        Self::FIRST + (self.pythons.len() + self.abis.len() + self.platforms.len()) as u64
    }

    #[inline]
    fn python(&self, tag: &LanguageTag) -> Option<u64> {
        tag.code().or_else(|| Self::text(&self.pythons, tag))
    }

    #[inline]
    fn abi(&self, tag: &AbiTag) -> Option<u64> {
        tag.code().or_else(|| Self::text(&self.abis, tag))
    }

    #[inline]
    fn platform(&self, tag: &PlatformTag) -> Option<u64> {
        tag.code().or_else(|| Self::text(&self.platforms, tag))
    }

    /// The number of a part that holds text, if the target has it: out of line, as such
    /// parts are rare.
    #[cold]
    #[inline(never)]
    fn text<T: Hash + Eq>(texts: &FxMap<T, u64>, tag: &T) -> Option<u64> {
        texts.get(tag).copied()
    }

    /// The codes of a tag's parts, numbering its text parts first if need be.
    fn intern(&mut self, tag: &Tag) -> (u64, u64, u64) {
        let python = match tag.python.code() {
            Some(code) => code,
            None => {
                let next = self.next();
                *self.pythons.entry(tag.python.clone()).or_insert(next)
            }
        };
        let abi = match tag.abi.code() {
            Some(code) => code,
            None => {
                let next = self.next();
                *self.abis.entry(tag.abi.clone()).or_insert(next)
            }
        };
        let platform = match tag.platform.code() {
            Some(code) => code,
            None => {
                let next = self.next();
                *self.platforms.entry(tag.platform.clone()).or_insert(next)
            }
        };
        (python, abi, platform)
    }
}

impl Target {
    /// The most platforms the version ladders of a target may expand to. Real targets need a
    /// few hundred (a macOS x86_64 ladder is about 100); the bound keeps a spec such as
    /// `manylinux_9999_0_x86_64` from expanding into millions of tags.
    pub const MAX_PLATFORMS: usize = 4096;

    /// A target from an ordered list of tags, most preferred first; later duplicates are
    /// ignored.
    pub fn from_tags(tags: impl IntoIterator<Item = Tag>) -> Target {
        // Collecting a vector's own iterator reuses it: the tags are not moved.
        let mut tags: Vec<Tag> = tags.into_iter().collect();
        let mut target = Target {
            tags: Vec::new(),
            index: FxMap::with_capacity_and_hasher(tags.len(), Default::default()),
            // A CPython target has a few dozen Python tags and Python-ABI pairs.
            pythons: FxMap::with_capacity_and_hasher(32, Default::default()),
            pairs: FxMap::with_capacity_and_hasher(32, Default::default()),
            texts: TextCodes::default(),
        };
        // Which tags to keep, once a duplicate has been seen (lists rarely have one).
        let mut keep: Option<Vec<bool>> = None;
        // Consecutive tags mostly share their Python tag and ABI (platforms vary fastest).
        let mut last_pair = None;
        for (i, tag) in tags.iter().enumerate() {
            let key = target.texts.intern(tag);
            let next = target.index.len() as u32;
            let new = match target.index.entry(key) {
                Entry::Vacant(slot) => {
                    slot.insert(next);
                    true
                }
                Entry::Occupied(_) => false,
            };
            if new && last_pair != Some((key.0, key.1)) {
                last_pair = Some((key.0, key.1));
                target.pythons.insert(key.0, ());
                target.pairs.insert((key.0, key.1), ());
            }
            match &mut keep {
                Some(keep) => keep.push(new),
                None if !new => keep = Some([vec![true; i], vec![false]].concat()),
                None => {}
            }
        }
        if let Some(keep) = keep {
            let mut keep = keep.into_iter();
            tags.retain(|_| keep.next().unwrap_or(false));
        }
        target.tags = tags;
        target
    }

    /// The tags pip 26.3 accepts for `pip download --implementation IMPL --python-version V
    /// --abi A... --platform P...`: `pip._internal.utils.compatibility_tags.get_supported`.
    ///
    /// An explicit `manylinux_X_Y` or `musllinux_X_Y` platform is used as given;
    /// `manylinux2014` adds `manylinux2010` and `manylinux1` (x86 only), `manylinux2010` adds
    /// `manylinux1`, and macOS, iOS and Android platforms expand to their version ladders.
    ///
    /// # Errors
    ///
    /// [`TargetSpecError::TooManyPlatforms`] when the ladders would exceed
    /// [`Target::MAX_PLATFORMS`] platforms (`macosx_60000_0_arm64`).
    pub fn pip(spec: &TargetSpec) -> Result<Target, TargetSpecError> {
        let mut platforms = Platforms::default();
        for platform in &spec.platforms {
            pip_platforms(platform, &mut platforms);
        }
        let platforms = platforms.finish()?;
        Ok(Target::from_tags(supported(spec, &platforms, false)))
    }

    /// The tags `packaging.tags.sys_tags()` (26.3) yields for a native interpreter described by
    /// `spec`: a `manylinux_X_Y_ARCH` platform stands for a glibc X.Y machine and expands to
    /// every older manylinux version (with the legacy aliases after the versions they name),
    /// a `musllinux_X_Y_ARCH` platform to every older musl minor; both are preceded (or, with
    /// [`LinuxRank::Last`], followed) by `linux_ARCH`. macOS, iOS and Android platforms expand
    /// to their ladders; other platforms are used as given.
    ///
    /// As packaging does for a running interpreter, PyPy targets get `pp3-none-any` and other
    /// non-CPython targets no `<interpreter>-none-any`. This crate assumes the machine can run
    /// every manylinux wheel of its architecture (packaging also inspects the interpreter's
    /// ELF header for `armv7l`/`i686`).
    ///
    /// # Errors
    ///
    /// [`TargetSpecError::TooManyPlatforms`], as for [`Target::pip`].
    pub fn expanded(spec: &TargetSpec, linux: LinuxRank) -> Result<Target, TargetSpecError> {
        let mut platforms = Platforms::default();
        for platform in &spec.platforms {
            native_platforms(platform, linux, &mut platforms);
        }
        let platforms = platforms.finish()?;
        Ok(Target::from_tags(supported(spec, &platforms, true)))
    }

    /// Every supported tag, most preferred first.
    pub fn tags(&self) -> &[Tag] {
        &self.tags
    }

    /// The priority of one tag, or `None` if the target does not support it.
    pub fn priority(&self, tag: &Tag) -> Option<Priority> {
        let key = (
            self.texts.python(&tag.python)?,
            self.texts.abi(&tag.abi)?,
            self.texts.platform(&tag.platform)?,
        );
        Some(self.priority_of(*self.index.get(&key)?))
    }

    fn priority_of(&self, index: u32) -> Priority {
        Priority(self.tags.len() as u32 - index)
    }

    /// The best priority among the triples of a wheel's tag set, or why none fits (the
    /// diagnostic is built only for an incompatible set; [`Self::best_priority`] builds none).
    pub fn compatibility(&self, set: &CompressedTagSet) -> Result<Priority, Incompatibility> {
        self.best_priority(set)
            .ok_or_else(|| self.incompatibility(set))
    }

    /// The best priority among the triples of a wheel's tag set, `None` when none fits: what
    /// choosing a file needs, without the diagnostic of [`Self::compatibility`].
    pub fn best_priority(&self, set: &CompressedTagSet) -> Option<Priority> {
        // Most wheels stand for one triple: one lookup, no loops.
        if let ([python], [abi], [platform]) = (set.pythons(), set.abis(), set.platforms()) {
            return (self.texts.python(python))
                .zip(self.texts.abi(abi))
                .zip(self.texts.platform(platform))
                .and_then(|((p, a), k)| self.index.get(&(p, a, k)))
                .map(|&index| self.priority_of(index));
        }
        self.best_priority_of_many(set)
    }

    /// [`Self::best_priority`] of a set of several triples.
    #[inline(never)]
    fn best_priority_of_many(&self, set: &CompressedTagSet) -> Option<Priority> {
        let mut best: Option<u32> = None;
        for python in set.pythons() {
            let Some(python) = self.texts.python(python) else {
                continue;
            };
            for abi in set.abis() {
                let Some(abi) = self.texts.abi(abi) else {
                    continue;
                };
                for platform in set.platforms() {
                    if let Some(platform) = self.texts.platform(platform)
                        && let Some(&index) = self.index.get(&(python, abi, platform))
                    {
                        best = Some(best.map_or(index, |b| b.min(index)));
                    }
                }
            }
        }
        best.map(|index| self.priority_of(index))
    }

    /// Why no triple of `set` fits: the first triple whose reason is the greatest (a
    /// supported Python tag beats none, a supported Python-ABI pair beats that). Out of line,
    /// so that the common path stays small.
    #[inline(never)]
    fn incompatibility(&self, set: &CompressedTagSet) -> Incompatibility {
        let mut closest = (IncompatibleReason::Python, 0, 0, 0);
        'pythons: for (i, python) in set.pythons().iter().enumerate() {
            let python = self.texts.python(python);
            if !python.is_some_and(|p| self.pythons.contains_key(&p)) {
                continue;
            }
            if closest.0 < IncompatibleReason::Abi {
                closest = (IncompatibleReason::Abi, i, 0, 0);
            }
            for (j, abi) in set.abis().iter().enumerate() {
                let pair = python.zip(self.texts.abi(abi));
                if pair.is_some_and(|pair| self.pairs.contains_key(&pair)) {
                    // No platform fits (else the set would be compatible): the first is the
                    // closest, and nothing comes closer.
                    closest = (IncompatibleReason::Platform, i, j, 0);
                    break 'pythons;
                }
            }
        }
        let (reason, i, j, k) = closest;
        Incompatibility {
            reason,
            closest: Tag::new(
                set.pythons()[i].clone(),
                set.abis()[j].clone(),
                set.platforms()[k].clone(),
            ),
        }
    }

    /// Whether any triple of the set is supported.
    pub fn is_compatible(&self, set: &CompressedTagSet) -> bool {
        self.best_priority(set).is_some()
    }
}

impl serde::Serialize for Target {
    /// The canonical form: the supported tags, most preferred first.
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_seq(&self.tags)
    }
}

impl<'de> serde::Deserialize<'de> for Target {
    /// From the list of tags, most preferred first ([`Target::from_tags`]).
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        Ok(Target::from_tags(Vec::<Tag>::deserialize(d)?))
    }
}

impl fmt::Display for Target {
    /// One tag per line, most preferred first.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for tag in &self.tags {
            writeln!(f, "{tag}")?;
        }
        Ok(())
    }
}

/// The expanded platforms of a target, bounded by [`Target::MAX_PLATFORMS`] and without
/// duplicates (each kept at its first place).
#[derive(Default)]
struct Platforms {
    list: Vec<PlatformTag>,
    overflow: bool,
}

impl Platforms {
    fn push(&mut self, platform: PlatformTag) {
        if self.list.len() < Target::MAX_PLATFORMS {
            self.list.push(platform);
        } else {
            self.overflow = true;
        }
    }

    fn len(&self) -> usize {
        self.list.len()
    }

    fn insert(&mut self, at: usize, platform: PlatformTag) {
        if self.list.len() < Target::MAX_PLATFORMS {
            self.list.insert(at, platform);
        } else {
            self.overflow = true;
        }
    }

    fn finish(self) -> Result<Vec<PlatformTag>, TargetSpecError> {
        if self.overflow {
            return Err(TargetSpecError::TooManyPlatforms {
                limit: Target::MAX_PLATFORMS,
            });
        }
        let mut seen: FxMap<PlatformTag, ()> = FxMap::default();
        Ok(self
            .list
            .into_iter()
            .filter(|p| seen.insert(p.clone(), ()).is_none())
            .collect())
    }
}

/// `packaging.tags._mac_binary_formats`.
fn mac_binary_formats(version: (u16, u16), arch: &Arch) -> Vec<Arch> {
    let mut formats = vec![arch.clone()];
    match arch {
        Arch::X86_64 => {
            if version < (10, 4) {
                return Vec::new();
            }
            formats.extend([Arch::Intel, Arch::Fat64, Arch::Fat3]);
        }
        Arch::I386 => {
            if version < (10, 4) {
                return Vec::new();
            }
            formats.extend([Arch::Intel, Arch::Fat3, Arch::Fat]);
        }
        Arch::Ppc64 => {
            if !((10, 4)..=(10, 5)).contains(&version) {
                return Vec::new();
            }
            formats.push(Arch::Fat64);
        }
        Arch::Ppc => {
            if version > (10, 6) {
                return Vec::new();
            }
            formats.extend([Arch::Fat3, Arch::Fat]);
        }
        _ => {}
    }
    if matches!(arch, Arch::Arm64 | Arch::X86_64) {
        formats.push(Arch::Universal2);
    }
    if matches!(
        arch,
        Arch::X86_64 | Arch::I386 | Arch::Ppc64 | Arch::Ppc | Arch::Intel
    ) {
        formats.push(Arch::Universal);
    }
    formats
}

/// `packaging.tags.mac_platforms(version, arch)`.
fn mac_platforms(major: u16, minor: u16, arch: &Arch, out: &mut Platforms) {
    let mut push = |major, minor, formats: Vec<Arch>| {
        for arch in formats {
            out.push(PlatformTag::Macos { major, minor, arch });
        }
    };
    if (10..11).contains(&major) {
        for minor in (0..=minor).rev() {
            push(10, minor, mac_binary_formats((10, minor), arch));
        }
    }
    if major >= 11 {
        for major in (11..=major).rev() {
            push(major, 0, mac_binary_formats((major, 0), arch));
        }
        for minor in (4..=16).rev() {
            let formats = if *arch == Arch::X86_64 {
                mac_binary_formats((10, minor), arch)
            } else {
                vec![Arch::Universal2]
            };
            push(10, minor, formats);
        }
    }
}

/// `packaging.tags.ios_platforms(version, multiarch)`.
fn ios_platforms(platform: &PlatformTag, out: &mut Platforms) {
    let PlatformTag::Ios {
        major,
        minor,
        arch,
        sdk,
    } = platform
    else {
        return;
    };
    if *major < 12 {
        return;
    }
    let mut push = |major, minor| {
        out.push(PlatformTag::Ios {
            major,
            minor,
            arch: arch.clone(),
            sdk: *sdk,
        });
    };
    for minor in (0..=*minor).rev() {
        push(*major, minor);
    }
    for major in (12..*major).rev() {
        for minor in (0..=9).rev() {
            push(major, minor);
        }
    }
}

/// `packaging.tags.android_platforms(api_level, abi)`.
fn android_platforms(api_level: u16, abi: &Arch, out: &mut Platforms) {
    for level in (16..=api_level).rev() {
        out.push(PlatformTag::Android {
            api_level: level,
            abi: abi.clone(),
        });
    }
}

/// `pip._internal.utils.compatibility_tags._get_custom_platforms`.
fn pip_platforms(platform: &PlatformTag, out: &mut Platforms) {
    match platform {
        PlatformTag::Macos { major, minor, arch } => mac_platforms(*major, *minor, arch, out),
        PlatformTag::Ios { .. } => ios_platforms(platform, out),
        PlatformTag::Android { api_level, abi } => android_platforms(*api_level, abi, out),
        PlatformTag::Manylinux2014(arch) => {
            out.push(platform.clone());
            if matches!(arch, Arch::I686 | Arch::X86_64) {
                out.push(PlatformTag::Manylinux2010(arch.clone()));
                out.push(PlatformTag::Manylinux1(arch.clone()));
            }
        }
        PlatformTag::Manylinux2010(arch) => {
            out.push(platform.clone());
            out.push(PlatformTag::Manylinux1(arch.clone()));
        }
        _ => out.push(platform.clone()),
    }
}

/// The last glibc minor version packaging assumes for an older glibc major.
const LAST_GLIBC_MINOR: u16 = 50;

/// `packaging._manylinux.platform_tags` for a machine with glibc `major.minor`.
fn manylinux_ladder(major: u16, minor: u16, arch: &Arch, out: &mut Platforms) {
    let too_old_minor = if matches!(arch, Arch::X86_64 | Arch::I686) {
        4
    } else {
        16
    };
    let mut maxima = vec![(major, minor)];
    maxima.extend((2..major).rev().map(|m| (m, LAST_GLIBC_MINOR)));
    for (major, max_minor) in maxima {
        if out.overflow {
            return;
        }
        let min_minor = if major == 2 { too_old_minor + 1 } else { 0 };
        if max_minor < min_minor {
            continue;
        }
        for minor in (min_minor..=max_minor).rev() {
            out.push(PlatformTag::Manylinux {
                major,
                minor,
                arch: arch.clone(),
            });
            match (major, minor) {
                (2, 17) => out.push(PlatformTag::Manylinux2014(arch.clone())),
                (2, 12) => out.push(PlatformTag::Manylinux2010(arch.clone())),
                (2, 5) => out.push(PlatformTag::Manylinux1(arch.clone())),
                _ => {}
            }
        }
    }
}

/// The platforms of `packaging.tags.platform_tags()` on a machine described by `platform`.
fn native_platforms(platform: &PlatformTag, linux: LinuxRank, out: &mut Platforms) {
    let ladder_start = out.len();
    let arch = match platform {
        PlatformTag::Macos { major, minor, arch } => {
            return mac_platforms(*major, *minor, arch, out);
        }
        PlatformTag::Ios { .. } => return ios_platforms(platform, out),
        PlatformTag::Android { api_level, abi } => {
            return android_platforms(*api_level, abi, out);
        }
        PlatformTag::Musllinux { major, minor, arch } => {
            for minor in (0..=*minor).rev() {
                out.push(PlatformTag::Musllinux {
                    major: *major,
                    minor,
                    arch: arch.clone(),
                });
            }
            arch
        }
        _ => match (platform.glibc(), platform.arch()) {
            (Some((major, minor)), Some(arch)) => {
                manylinux_ladder(major, minor, arch, out);
                arch
            }
            _ => return out.push(platform.clone()),
        },
    };
    let plain = PlatformTag::Linux(arch.clone());
    match linux {
        LinuxRank::First => out.insert(ladder_start, plain),
        LinuxRank::Last => out.push(plain),
    }
}

/// Whether `abi` is a free-threaded CPython ABI as `packaging.tags._is_threaded_cpython` tells:
/// `cp` and digits, then flags containing `t`.
fn is_threaded(abi: Option<&AbiTag>) -> bool {
    let Some(abi) = abi else { return false };
    let text = abi.to_string();
    let Some(rest) = text.strip_prefix("cp") else {
        return false;
    };
    let digits = rest.bytes().take_while(u8::is_ascii_digit).count();
    digits > 0 && rest[digits..].contains('t')
}

/// `cpython_tags` or `generic_tags`, then `compatible_tags`; `native` selects `sys_tags`'s
/// choice of interpreter for the `<interpreter>-none-any` tag instead of pip's.
fn supported(spec: &TargetSpec, platforms: &[PlatformTag], native: bool) -> Vec<Tag> {
    // Room for every ABI and the older CPython versions on every platform, and the
    // platform-independent tail.
    let versions = usize::from(spec.minor.unwrap_or(0)) + 1;
    let mut tags = Vec::with_capacity(platforms.len() * (spec.abis.len() + 2 + versions) + 64);
    let interpreter = spec.interpreter();
    let mut abis = spec.abis_or_default();
    if spec.is_cpython() {
        let threading = is_threaded(abis.first());
        let explicit: &[AbiTag] = if threading {
            &[AbiTag::Abi3, AbiTag::Abi3t, AbiTag::None]
        } else {
            &[AbiTag::Abi3, AbiTag::None]
        };
        for abi in explicit {
            if let Some(at) = abis.iter().position(|a| a == abi) {
                abis.remove(at);
            }
        }
        let cp = |minor: Option<u8>| LanguageTag::CPython {
            major: spec.major,
            minor,
        };
        let push_all = |tags: &mut Vec<Tag>, python: &LanguageTag, abi: &AbiTag| {
            for platform in platforms {
                tags.push(Tag::new(python.clone(), abi.clone(), platform.clone()));
            }
        };
        for abi in &abis {
            push_all(&mut tags, &interpreter, abi);
        }
        let stable = spec.minor.is_some() && (spec.major, spec.minor.unwrap_or(0)) >= (3, 2);
        let use_abi3 = stable && !threading;
        let use_abi3t = stable && threading;
        if use_abi3 {
            push_all(&mut tags, &interpreter, &AbiTag::Abi3);
        }
        if use_abi3t {
            push_all(&mut tags, &interpreter, &AbiTag::Abi3t);
        }
        push_all(&mut tags, &interpreter, &AbiTag::None);
        if let (true, Some(minor)) = (use_abi3 || use_abi3t, spec.minor) {
            for older in (2..minor).rev() {
                let python = cp(Some(older));
                for platform in platforms {
                    if use_abi3 {
                        tags.push(Tag::new(python.clone(), AbiTag::Abi3, platform.clone()));
                    }
                    if use_abi3t {
                        tags.push(Tag::new(python.clone(), AbiTag::Abi3t, platform.clone()));
                    }
                }
            }
        }
    } else {
        if !abis.contains(&AbiTag::None) {
            abis.push(AbiTag::None);
        }
        for abi in &abis {
            for platform in platforms {
                tags.push(Tag::new(interpreter.clone(), abi.clone(), platform.clone()));
            }
        }
    }
    // compatible_tags
    let pythons = py_range(spec.major, spec.minor);
    for python in &pythons {
        for platform in platforms {
            tags.push(Tag::new(python.clone(), AbiTag::None, platform.clone()));
        }
    }
    let none_any = if !native || spec.is_cpython() {
        Some(interpreter)
    } else if spec.implementation == "pp" {
        Some(LanguageTag::PyPy {
            major: 3,
            minor: None,
        })
    } else {
        None
    };
    if let Some(python) = none_any {
        tags.push(Tag::new(python, AbiTag::None, PlatformTag::Any));
    }
    for python in pythons {
        tags.push(Tag::new(python, AbiTag::None, PlatformTag::Any));
    }
    tags
}

/// `packaging.tags._py_interpreter_range`.
fn py_range(major: u8, minor: Option<u8>) -> Vec<LanguageTag> {
    let py = |minor| LanguageTag::Python { major, minor };
    let mut out = Vec::new();
    if let Some(minor) = minor {
        out.push(py(Some(minor)));
    }
    out.push(py(None));
    if let Some(minor) = minor {
        out.extend((0..minor).rev().map(|m| py(Some(m))));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn strings(target: &Target) -> Vec<String> {
        target.tags().iter().map(ToString::to_string).collect()
    }

    #[test]
    fn pip_cpython_linux() {
        let spec = TargetSpec::new("cp", "3.11", &["cp311"], &["manylinux2014_x86_64"]).unwrap();
        let tags = strings(&Target::pip(&spec).unwrap());
        assert_eq!(
            &tags[..4],
            [
                "cp311-cp311-manylinux2014_x86_64",
                "cp311-cp311-manylinux2010_x86_64",
                "cp311-cp311-manylinux1_x86_64",
                "cp311-abi3-manylinux2014_x86_64",
            ]
        );
        assert_eq!(tags.last().unwrap(), "py30-none-any");
    }

    #[test]
    fn expanded_ladder_and_linux_rank() {
        let spec = TargetSpec::new("cp", "3.12", &["cp312"], &["manylinux_2_17_aarch64"]).unwrap();
        let first = Target::expanded(&spec, LinuxRank::First).unwrap();
        let platforms: Vec<String> = first
            .tags()
            .iter()
            .take_while(|t| t.abi.to_string() == "cp312")
            .map(|t| t.platform.to_string())
            .collect();
        assert_eq!(
            platforms,
            [
                "linux_aarch64",
                "manylinux_2_17_aarch64",
                "manylinux2014_aarch64"
            ]
        );
        let last = Target::expanded(&spec, LinuxRank::Last).unwrap();
        assert_eq!(last.tags()[2].platform.to_string(), "linux_aarch64");
    }

    #[test]
    fn compatibility_and_closest_miss() {
        let spec = TargetSpec::new("cp", "3.11", &["cp311"], &["manylinux_2_28_x86_64"]).unwrap();
        let target = Target::pip(&spec).unwrap();
        let pure: CompressedTagSet = "py2.py3-none-any".parse().unwrap();
        let abi3: CompressedTagSet = "cp39-abi3-manylinux_2_28_x86_64".parse().unwrap();
        assert!(target.compatibility(&abi3).unwrap() > target.compatibility(&pure).unwrap());
        let mac: CompressedTagSet = "cp311-cp311-macosx_11_0_arm64".parse().unwrap();
        insta::assert_snapshot!(
            target.compatibility(&mac).unwrap_err(),
            @"the target supports `cp311-cp311` but not on platform `macosx_11_0_arm64` (closest tag `cp311-cp311-macosx_11_0_arm64`)"
        );
        let old: CompressedTagSet = "cp27-cp27mu-manylinux1_x86_64".parse().unwrap();
        insta::assert_snapshot!(
            target.compatibility(&old).unwrap_err(),
            @"the target supports no python tag of the wheel (such as `cp27`)"
        );
        let debug: CompressedTagSet = "cp311-cp311d-manylinux_2_28_x86_64".parse().unwrap();
        assert_eq!(
            target.compatibility(&debug).unwrap_err().reason,
            IncompatibleReason::Abi
        );
    }
}
