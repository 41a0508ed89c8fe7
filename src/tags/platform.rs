//! Platform tags: the third part of a compatibility tag.

use std::borrow::Cow;
use std::fmt;
use std::str::FromStr;

/// A CPU architecture (or, on macOS, a multi-architecture group) inside a platform tag.
///
/// The known spellings get their own variant so that parsing common tags does not allocate;
/// any other non-empty text is kept as [`Arch::Other`]. Spellings are lowercase, as in
/// `packaging.tags.Tag`.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[non_exhaustive]
pub enum Arch {
    /// `x86_64`.
    X86_64,
    /// `i686`.
    I686,
    /// `i386` (macOS 32-bit Intel).
    I386,
    /// `x86` (Android).
    X86,
    /// `aarch64`.
    Aarch64,
    /// `arm64` (macOS, iOS, Windows).
    Arm64,
    /// `arm64_v8a` (Android).
    Arm64V8a,
    /// `armeabi_v7a` (Android).
    ArmeabiV7a,
    /// `armv7l`.
    Armv7l,
    /// `armv6l`.
    Armv6l,
    /// `ppc64`.
    Ppc64,
    /// `ppc64le`.
    Ppc64le,
    /// `ppc` (macOS PowerPC).
    Ppc,
    /// `s390x`.
    S390x,
    /// `riscv64`.
    Riscv64,
    /// `loongarch64`.
    Loongarch64,
    /// `wasm32` (Emscripten).
    Wasm32,
    /// `universal`: macOS i386, ppc, x86_64 and ppc64 (any of them).
    Universal,
    /// `universal2`: macOS x86_64 and arm64.
    Universal2,
    /// `intel`: macOS i386 and x86_64.
    Intel,
    /// `fat`: macOS i386 and ppc.
    Fat,
    /// `fat3`: macOS i386, ppc and x86_64.
    Fat3,
    /// `fat32`: macOS 32-bit (i386 and ppc).
    Fat32,
    /// `fat64`: macOS x86_64 and ppc64.
    Fat64,
    /// Any other architecture, as written (non-empty).
    Other(Box<str>),
}

impl Arch {
    /// A distinct small number for each architecture that holds no text (see
    /// [`PlatformTag::code`]).
    #[inline]
    fn code(&self) -> Option<u64> {
        // The common ones with few branches (see `PlatformTag::code`).
        match self {
            Arch::X86_64 => Some(1),
            Arch::Aarch64 => Some(5),
            _ => self.code_of_any(),
        }
    }

    /// [`Self::code`] of any architecture.
    #[inline(never)]
    fn code_of_any(&self) -> Option<u64> {
        Some(match self {
            Arch::X86_64 => 1,
            Arch::I686 => 2,
            Arch::I386 => 3,
            Arch::X86 => 4,
            Arch::Aarch64 => 5,
            Arch::Arm64 => 6,
            Arch::Arm64V8a => 7,
            Arch::ArmeabiV7a => 8,
            Arch::Armv7l => 9,
            Arch::Armv6l => 10,
            Arch::Ppc64 => 11,
            Arch::Ppc64le => 12,
            Arch::Ppc => 13,
            Arch::S390x => 14,
            Arch::Riscv64 => 15,
            Arch::Loongarch64 => 16,
            Arch::Wasm32 => 17,
            Arch::Universal => 18,
            Arch::Universal2 => 19,
            Arch::Intel => 20,
            Arch::Fat => 21,
            Arch::Fat3 => 22,
            Arch::Fat32 => 23,
            Arch::Fat64 => 24,
            Arch::Other(_) => return None,
        })
    }

    /// The arch for `text` (lowercase), or `None` when `text` is empty.
    pub(crate) fn parse(text: &str) -> Option<Arch> {
        Some(match text {
            "" => return None,
            "x86_64" => Arch::X86_64,
            "i686" => Arch::I686,
            "i386" => Arch::I386,
            "x86" => Arch::X86,
            "aarch64" => Arch::Aarch64,
            "arm64" => Arch::Arm64,
            "arm64_v8a" => Arch::Arm64V8a,
            "armeabi_v7a" => Arch::ArmeabiV7a,
            "armv7l" => Arch::Armv7l,
            "armv6l" => Arch::Armv6l,
            "ppc64" => Arch::Ppc64,
            "ppc64le" => Arch::Ppc64le,
            "ppc" => Arch::Ppc,
            "s390x" => Arch::S390x,
            "riscv64" => Arch::Riscv64,
            "loongarch64" => Arch::Loongarch64,
            "wasm32" => Arch::Wasm32,
            "universal" => Arch::Universal,
            "universal2" => Arch::Universal2,
            "intel" => Arch::Intel,
            "fat" => Arch::Fat,
            "fat3" => Arch::Fat3,
            "fat32" => Arch::Fat32,
            "fat64" => Arch::Fat64,
            other => Arch::Other(other.into()),
        })
    }

    /// The architecture as written in a tag.
    pub fn as_str(&self) -> &str {
        match self {
            Arch::X86_64 => "x86_64",
            Arch::I686 => "i686",
            Arch::I386 => "i386",
            Arch::X86 => "x86",
            Arch::Aarch64 => "aarch64",
            Arch::Arm64 => "arm64",
            Arch::Arm64V8a => "arm64_v8a",
            Arch::ArmeabiV7a => "armeabi_v7a",
            Arch::Armv7l => "armv7l",
            Arch::Armv6l => "armv6l",
            Arch::Ppc64 => "ppc64",
            Arch::Ppc64le => "ppc64le",
            Arch::Ppc => "ppc",
            Arch::S390x => "s390x",
            Arch::Riscv64 => "riscv64",
            Arch::Loongarch64 => "loongarch64",
            Arch::Wasm32 => "wasm32",
            Arch::Universal => "universal",
            Arch::Universal2 => "universal2",
            Arch::Intel => "intel",
            Arch::Fat => "fat",
            Arch::Fat3 => "fat3",
            Arch::Fat32 => "fat32",
            Arch::Fat64 => "fat64",
            Arch::Other(text) => text,
        }
    }
}

impl fmt::Display for Arch {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The SDK an iOS wheel is built for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum IosSdk {
    /// `iphoneos`: a device.
    Device,
    /// `iphonesimulator`: the simulator.
    Simulator,
}

impl IosSdk {
    /// The SDK as written in a tag.
    pub fn as_str(self) -> &'static str {
        match self {
            IosSdk::Device => "iphoneos",
            IosSdk::Simulator => "iphonesimulator",
        }
    }
}

/// A platform tag: the operating system, its minimum version and the architecture a wheel
/// runs on ([platform compatibility tags](https://packaging.python.org/en/latest/specifications/platform-compatibility-tags/#platform-tag)).
///
/// # Syntax
///
/// | form | example | spec |
/// |---|---|---|
/// | `any` | `any` | PEP 425 |
/// | `manylinux_X_Y_ARCH` | `manylinux_2_28_x86_64` | [PEP 600](https://peps.python.org/pep-0600/) |
/// | `manylinux1_ARCH`, `manylinux2010_ARCH`, `manylinux2014_ARCH` | `manylinux2014_aarch64` | PEP 513, 571, 599 (glibc 2.5, 2.12, 2.17) |
/// | `musllinux_X_Y_ARCH` | `musllinux_1_2_x86_64` | [PEP 656](https://peps.python.org/pep-0656/) |
/// | `linux_ARCH` | `linux_armv7l` | PEP 425 |
/// | `macosx_MAJOR_MINOR_ARCH` | `macosx_11_0_universal2` | PEP 425 |
/// | `win32`, `win_amd64`, `win_arm64`, `win_ia64` | `win_amd64` | PEP 425 |
/// | `android_API_ABI` | `android_21_arm64_v8a` | [PEP 738](https://peps.python.org/pep-0738/) |
/// | `ios_X_Y_ARCH_SDK` | `ios_13_0_arm64_iphoneos` | [PEP 730](https://peps.python.org/pep-0730/) |
/// | `pyemscripten_YEAR_N_ARCH` | `pyemscripten_2026_0_wasm32` | [PEP 783](https://peps.python.org/pep-0783/) |
/// | `pyodide_YEAR_N_ARCH` | `pyodide_2024_0_wasm32` | Pyodide ABI |
/// | `emscripten_*` | `emscripten_3_1_58_wasm32` | `sysconfig.get_platform()` |
///
/// Anything else is kept as [`PlatformTag::Other`], and so is a known form whose numbers are
/// not written canonically (`manylinux_02_17_x86_64`): every string parses, and
/// `tag.to_string()` gives back the (lower-cased) text it was parsed from.
///
/// Tags are case-insensitive: parsing lower-cases, as `packaging.tags.Tag` does.
///
/// # Examples
///
/// ```
/// use pypackaging::tags::{Arch, PlatformTag};
///
/// let tag: PlatformTag = "manylinux2014_x86_64".parse().unwrap();
/// assert_eq!(tag, PlatformTag::Manylinux2014(Arch::X86_64));
/// assert_eq!(tag.glibc(), Some((2, 17)));
/// let odd: PlatformTag = "solaris_2_11_sparc".parse().unwrap();
/// assert_eq!(odd.to_string(), "solaris_2_11_sparc");
/// ```
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[non_exhaustive]
pub enum PlatformTag {
    /// `any`: pure Python, any platform.
    Any,
    /// `manylinux_X_Y_ARCH` (PEP 600): glibc X.Y or newer.
    Manylinux {
        /// glibc major version.
        major: u16,
        /// glibc minor version.
        minor: u16,
        /// Architecture.
        arch: Arch,
    },
    /// `manylinux1_ARCH` (PEP 513): glibc 2.5.
    Manylinux1(Arch),
    /// `manylinux2010_ARCH` (PEP 571): glibc 2.12.
    Manylinux2010(Arch),
    /// `manylinux2014_ARCH` (PEP 599): glibc 2.17.
    Manylinux2014(Arch),
    /// `musllinux_X_Y_ARCH` (PEP 656): musl X.Y or newer.
    Musllinux {
        /// musl major version.
        major: u16,
        /// musl minor version.
        minor: u16,
        /// Architecture.
        arch: Arch,
    },
    /// `linux_ARCH`: built on and for one Linux system.
    Linux(Arch),
    /// `macosx_MAJOR_MINOR_ARCH`: macOS MAJOR.MINOR or newer.
    Macos {
        /// macOS major version.
        major: u16,
        /// macOS minor version.
        minor: u16,
        /// Architecture or multi-architecture group.
        arch: Arch,
    },
    /// `win32`.
    Win32,
    /// `win_amd64`.
    WinAmd64,
    /// `win_arm64`.
    WinArm64,
    /// `win_ia64`.
    WinIa64,
    /// `android_API_ABI` (PEP 738): Android API level API or newer.
    Android {
        /// API level.
        api_level: u16,
        /// Android ABI (`arm64_v8a`, `armeabi_v7a`, `x86`, `x86_64`).
        abi: Arch,
    },
    /// `ios_X_Y_ARCH_SDK` (PEP 730): iOS X.Y or newer.
    Ios {
        /// iOS major version.
        major: u16,
        /// iOS minor version.
        minor: u16,
        /// Architecture.
        arch: Arch,
        /// Device or simulator.
        sdk: IosSdk,
    },
    /// `pyemscripten_YEAR_N_ARCH` (PEP 783).
    Pyemscripten {
        /// ABI year.
        year: u16,
        /// ABI patch number within the year.
        patch: u16,
        /// Architecture (`wasm32`).
        arch: Arch,
    },
    /// `pyodide_YEAR_N_ARCH`: the Pyodide ABI that preceded PEP 783.
    Pyodide {
        /// ABI year.
        year: u16,
        /// ABI patch number within the year.
        patch: u16,
        /// Architecture (`wasm32`).
        arch: Arch,
    },
    /// `emscripten_*`: what `sysconfig.get_platform()` says on Emscripten; the text after
    /// `emscripten_`, non-empty.
    Emscripten(Box<str>),
    /// Any other platform, as written (lower-cased).
    Other(Box<str>),
}

/// A number as written canonically: ASCII digits, no leading zero (but `0` itself), in range.
pub(crate) fn canonical_number<T: FromStr>(text: &str) -> Option<T> {
    let bytes = text.as_bytes();
    if bytes.is_empty()
        || !bytes.iter().all(u8::is_ascii_digit)
        || (bytes.len() > 1 && bytes[0] == b'0')
    {
        return None;
    }
    text.parse().ok()
}

/// The text lower-cased as Python's `str.lower()` does, borrowed when it already is.
pub(crate) fn lowercase(text: &str) -> Cow<'_, str> {
    if text.bytes().any(|b| b.is_ascii_uppercase()) || !text.is_ascii() {
        Cow::Owned(text.to_lowercase())
    } else {
        Cow::Borrowed(text)
    }
}

/// `text` split at its first `_`: `str::split_once` with a byte loop, cheaper for the short
/// texts of tags than the general searcher.
#[inline]
fn split_underscore(text: &str) -> Option<(&str, &str)> {
    let at = text.bytes().position(|b| b == b'_')?;
    Some((text.get(..at)?, text.get(at + 1..)?))
}

/// `X_Y_REST` with canonical numbers and a non-empty rest.
fn two_numbers(text: &str) -> Option<(u16, u16, &str)> {
    let (major, rest) = split_underscore(text)?;
    let (minor, rest) = split_underscore(rest)?;
    Some((canonical_number(major)?, canonical_number(minor)?, rest))
}

impl PlatformTag {
    /// A number that stands for this tag alone among the tags that hold no text, or `None`
    /// for those that do: the variant in the top byte (below 0x80), then its fields
    /// (`major`/`year`/`api_level` in bits 32 to 47, `minor`/`patch` in 16 to 31, the iOS SDK
    /// in 8 to 15, the architecture in 0 to 7). What a [`Target`](super::Target) indexes.
    #[inline]
    pub(crate) fn code(&self) -> Option<u64> {
        // The common tags with few branches; the rest out of line (a jump table over every
        // variant mispredicts often on a mix of wheels).
        match self {
            PlatformTag::Any => Some(1 << 56),
            PlatformTag::Manylinux { major, minor, arch } => {
                Some(2 << 56 | u64::from(*major) << 32 | u64::from(*minor) << 16 | arch.code()?)
            }
            _ => self.code_of_any(),
        }
    }

    /// [`Self::code`] of any tag.
    #[inline(never)]
    fn code_of_any(&self) -> Option<u64> {
        let fields = |variant: u64, major: u16, minor: u16, arch: &Arch| {
            Some(variant << 56 | u64::from(major) << 32 | u64::from(minor) << 16 | arch.code()?)
        };
        match self {
            PlatformTag::Any => Some(1 << 56),
            PlatformTag::Manylinux { major, minor, arch } => fields(2, *major, *minor, arch),
            PlatformTag::Manylinux1(arch) => fields(3, 0, 0, arch),
            PlatformTag::Manylinux2010(arch) => fields(4, 0, 0, arch),
            PlatformTag::Manylinux2014(arch) => fields(5, 0, 0, arch),
            PlatformTag::Musllinux { major, minor, arch } => fields(6, *major, *minor, arch),
            PlatformTag::Linux(arch) => fields(7, 0, 0, arch),
            PlatformTag::Macos { major, minor, arch } => fields(8, *major, *minor, arch),
            PlatformTag::Win32 => Some(9 << 56),
            PlatformTag::WinAmd64 => Some(10 << 56),
            PlatformTag::WinArm64 => Some(11 << 56),
            PlatformTag::WinIa64 => Some(12 << 56),
            PlatformTag::Android { api_level, abi } => fields(13, *api_level, 0, abi),
            PlatformTag::Ios {
                major,
                minor,
                arch,
                sdk,
            } => {
                let sdk = match sdk {
                    IosSdk::Device => 1,
                    IosSdk::Simulator => 2,
                };
                Some(fields(14, *major, *minor, arch)? | sdk << 8)
            }
            PlatformTag::Pyemscripten { year, patch, arch } => fields(15, *year, *patch, arch),
            PlatformTag::Pyodide { year, patch, arch } => fields(16, *year, *patch, arch),
            PlatformTag::Emscripten(_) | PlatformTag::Other(_) => None,
        }
    }

    /// Parses a platform tag; every string is a platform tag (see the type's `# Syntax`).
    ///
    /// The text is lower-cased first, as `packaging.tags.Tag` does.
    pub fn parse(text: &str) -> PlatformTag {
        Self::parse_lowercase(&lowercase(text))
    }

    /// Parses text that is already lower-case.
    pub(crate) fn parse_lowercase(text: &str) -> PlatformTag {
        Self::parse_known(text).unwrap_or_else(|| PlatformTag::Other(text.into()))
    }

    fn parse_known(text: &str) -> Option<PlatformTag> {
        Some(match text {
            "any" => PlatformTag::Any,
            "win32" => PlatformTag::Win32,
            "win_amd64" => PlatformTag::WinAmd64,
            "win_arm64" => PlatformTag::WinArm64,
            "win_ia64" => PlatformTag::WinIa64,
            _ => {
                let (prefix, rest) = split_underscore(text)?;
                match prefix {
                    "manylinux" => {
                        let (major, minor, arch) = two_numbers(rest)?;
                        PlatformTag::Manylinux {
                            major,
                            minor,
                            arch: Arch::parse(arch)?,
                        }
                    }
                    "manylinux1" => PlatformTag::Manylinux1(Arch::parse(rest)?),
                    "manylinux2010" => PlatformTag::Manylinux2010(Arch::parse(rest)?),
                    "manylinux2014" => PlatformTag::Manylinux2014(Arch::parse(rest)?),
                    "musllinux" => {
                        let (major, minor, arch) = two_numbers(rest)?;
                        PlatformTag::Musllinux {
                            major,
                            minor,
                            arch: Arch::parse(arch)?,
                        }
                    }
                    "linux" => PlatformTag::Linux(Arch::parse(rest)?),
                    "macosx" => {
                        let (major, minor, arch) = two_numbers(rest)?;
                        PlatformTag::Macos {
                            major,
                            minor,
                            arch: Arch::parse(arch)?,
                        }
                    }
                    "android" => {
                        let (api, abi) = split_underscore(rest)?;
                        PlatformTag::Android {
                            api_level: canonical_number(api)?,
                            abi: Arch::parse(abi)?,
                        }
                    }
                    "ios" => {
                        let (major, minor, rest) = two_numbers(rest)?;
                        let (arch, sdk) = rest.rsplit_once('_')?;
                        let sdk = match sdk {
                            "iphoneos" => IosSdk::Device,
                            "iphonesimulator" => IosSdk::Simulator,
                            _ => return None,
                        };
                        PlatformTag::Ios {
                            major,
                            minor,
                            arch: Arch::parse(arch)?,
                            sdk,
                        }
                    }
                    "pyemscripten" => {
                        let (year, patch, arch) = two_numbers(rest)?;
                        PlatformTag::Pyemscripten {
                            year,
                            patch,
                            arch: Arch::parse(arch)?,
                        }
                    }
                    "pyodide" => {
                        let (year, patch, arch) = two_numbers(rest)?;
                        PlatformTag::Pyodide {
                            year,
                            patch,
                            arch: Arch::parse(arch)?,
                        }
                    }
                    "emscripten" if !rest.is_empty() => PlatformTag::Emscripten(rest.into()),
                    _ => return None,
                }
            }
        })
    }

    /// The glibc version a manylinux tag requires (legacy aliases included), else `None`.
    pub fn glibc(&self) -> Option<(u16, u16)> {
        match self {
            PlatformTag::Manylinux { major, minor, .. } => Some((*major, *minor)),
            PlatformTag::Manylinux1(_) => Some((2, 5)),
            PlatformTag::Manylinux2010(_) => Some((2, 12)),
            PlatformTag::Manylinux2014(_) => Some((2, 17)),
            _ => None,
        }
    }

    /// The architecture, for the forms that have one.
    pub fn arch(&self) -> Option<&Arch> {
        match self {
            PlatformTag::Manylinux { arch, .. }
            | PlatformTag::Manylinux1(arch)
            | PlatformTag::Manylinux2010(arch)
            | PlatformTag::Manylinux2014(arch)
            | PlatformTag::Musllinux { arch, .. }
            | PlatformTag::Linux(arch)
            | PlatformTag::Macos { arch, .. }
            | PlatformTag::Ios { arch, .. }
            | PlatformTag::Pyemscripten { arch, .. }
            | PlatformTag::Pyodide { arch, .. }
            | PlatformTag::Android { abi: arch, .. } => Some(arch),
            _ => None,
        }
    }

    /// Whether this is `any`.
    pub fn is_any(&self) -> bool {
        matches!(self, PlatformTag::Any)
    }
}

impl FromStr for PlatformTag {
    type Err = std::convert::Infallible;

    /// Never fails: see [`PlatformTag::parse`].
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Ok(PlatformTag::parse(s))
    }
}

impl fmt::Display for PlatformTag {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            PlatformTag::Any => f.write_str("any"),
            PlatformTag::Manylinux { major, minor, arch } => {
                write!(f, "manylinux_{major}_{minor}_{arch}")
            }
            PlatformTag::Manylinux1(arch) => write!(f, "manylinux1_{arch}"),
            PlatformTag::Manylinux2010(arch) => write!(f, "manylinux2010_{arch}"),
            PlatformTag::Manylinux2014(arch) => write!(f, "manylinux2014_{arch}"),
            PlatformTag::Musllinux { major, minor, arch } => {
                write!(f, "musllinux_{major}_{minor}_{arch}")
            }
            PlatformTag::Linux(arch) => write!(f, "linux_{arch}"),
            PlatformTag::Macos { major, minor, arch } => {
                write!(f, "macosx_{major}_{minor}_{arch}")
            }
            PlatformTag::Win32 => f.write_str("win32"),
            PlatformTag::WinAmd64 => f.write_str("win_amd64"),
            PlatformTag::WinArm64 => f.write_str("win_arm64"),
            PlatformTag::WinIa64 => f.write_str("win_ia64"),
            PlatformTag::Android { api_level, abi } => write!(f, "android_{api_level}_{abi}"),
            PlatformTag::Ios {
                major,
                minor,
                arch,
                sdk,
            } => write!(f, "ios_{major}_{minor}_{arch}_{}", sdk.as_str()),
            PlatformTag::Pyemscripten { year, patch, arch } => {
                write!(f, "pyemscripten_{year}_{patch}_{arch}")
            }
            PlatformTag::Pyodide { year, patch, arch } => {
                write!(f, "pyodide_{year}_{patch}_{arch}")
            }
            PlatformTag::Emscripten(rest) => write!(f, "emscripten_{rest}"),
            PlatformTag::Other(text) => f.write_str(text),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[track_caller]
    fn round_trip(text: &str) -> PlatformTag {
        let tag = PlatformTag::parse(text);
        assert_eq!(tag.to_string(), text);
        assert_eq!(PlatformTag::parse(&tag.to_string()), tag);
        tag
    }

    #[test]
    fn known_forms() {
        assert_eq!(
            round_trip("manylinux_2_28_aarch64"),
            PlatformTag::Manylinux {
                major: 2,
                minor: 28,
                arch: Arch::Aarch64
            }
        );
        assert_eq!(
            round_trip("macosx_10_9_universal2"),
            PlatformTag::Macos {
                major: 10,
                minor: 9,
                arch: Arch::Universal2
            }
        );
        assert_eq!(
            round_trip("ios_13_0_x86_64_iphonesimulator"),
            PlatformTag::Ios {
                major: 13,
                minor: 0,
                arch: Arch::X86_64,
                sdk: IosSdk::Simulator
            }
        );
        assert_eq!(
            round_trip("android_21_arm64_v8a"),
            PlatformTag::Android {
                api_level: 21,
                abi: Arch::Arm64V8a
            }
        );
        assert_eq!(round_trip("win_amd64"), PlatformTag::WinAmd64);
        assert_eq!(
            round_trip("emscripten_3_1_58_wasm32"),
            PlatformTag::Emscripten("3_1_58_wasm32".into())
        );
        assert_eq!(
            round_trip("linux_riscv64"),
            PlatformTag::Linux(Arch::Riscv64)
        );
    }

    #[test]
    fn non_canonical_numbers_and_unknown_forms_stay_text() {
        for text in [
            "manylinux_02_17_x86_64",
            "manylinux_2_17_",
            "manylinux_2_x86_64",
            "macosx_10_99999999_x86_64",
            "ios_13_0_arm64_watchos",
            "linux_",
            "emscripten_",
            "solaris_2_11_sparc",
            "",
            "_",
        ] {
            assert!(matches!(round_trip(text), PlatformTag::Other(_)), "{text}");
        }
    }

    #[test]
    fn lower_cases() {
        assert_eq!(PlatformTag::parse("Win_AMD64"), PlatformTag::WinAmd64);
        assert_eq!(
            PlatformTag::parse("LINUX_X86_64").to_string(),
            "linux_x86_64"
        );
    }

    #[test]
    fn the_quick_codes_agree_with_the_full_ones() {
        for text in [
            "any",
            "manylinux_2_17_x86_64",
            "manylinux_2_28_aarch64",
            "manylinux_2_17_odd",
            "manylinux2014_x86_64",
            "macosx_11_0_arm64",
            "win_amd64",
            "linux_i686",
            "musllinux_1_2_armv7l",
            "ios_13_0_arm64_iphoneos",
            "other",
        ] {
            let tag = PlatformTag::parse(text);
            assert_eq!(tag.code(), tag.code_of_any(), "{text}");
        }
        for text in ["x86_64", "aarch64", "arm64", "i686", "odd"] {
            let arch = Arch::parse(text).expect("an arch");
            assert_eq!(arch.code(), arch.code_of_any(), "{text}");
        }
    }
}
