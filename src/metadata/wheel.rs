//! The `WHEEL` file of a wheel's `.dist-info` directory.

use std::fmt;
use std::str::FromStr;

use super::rfc822;
use crate::diagnostic::Quoted;

/// The contents of a `WHEEL` file
/// ([binary distribution format](https://packaging.python.org/en/latest/specifications/binary-distribution-format/#the-dist-info-directory)).
///
/// # Syntax
///
/// ```text
/// Wheel-Version: 1.0
/// Generator: bdist_wheel (0.45.1)
/// Root-Is-Purelib: true
/// Tag: py3-none-any
/// Build: 1
/// ```
///
/// `Wheel-Version` and `Root-Is-Purelib` are required; `Tag` may repeat. Other headers are
/// kept in [`other`](Self::other). Header names are compared case-insensitively, as the
/// `email` parser pip uses compares them.
///
/// # Examples
///
/// ```
/// use pypackaging::metadata::WheelInfo;
///
/// let info = WheelInfo::parse(b"Wheel-Version: 1.0\nGenerator: flit 3.9.0\nRoot-Is-Purelib: true\nTag: py3-none-any\n")?;
/// assert_eq!(info.wheel_version, (1, 0));
/// assert_eq!(info.tags, ["py3-none-any"]);
/// assert_eq!(WheelInfo::parse(info.to_string().as_bytes())?, info);
/// # Ok::<(), pypackaging::metadata::WheelInfoError>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub struct WheelInfo {
    /// `Wheel-Version` (major, minor); the major version is always 1.
    pub wheel_version: (u32, u32),
    /// `Generator`: the tool that built the wheel.
    pub generator: Option<String>,
    /// `Root-Is-Purelib`: whether the archive root installs into purelib.
    pub root_is_purelib: bool,
    /// `Tag`: every `python-abi-platform` tag, in file order.
    pub tags: Vec<String>,
    /// `Build`: the build number, as in the filename.
    pub build: Option<String>,
    /// Other headers (name as written, value), in file order.
    pub other: Vec<(String, String)>,
}

/// Why a `WHEEL` file is not valid. Lines are 1-based.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum WheelInfoError {
    /// A required field is missing.
    #[error("`WHEEL` has no `{field}` field")]
    Missing {
        /// The field.
        field: &'static str,
    },
    /// A single-use field appears twice.
    #[error("`WHEEL` line {line}: `{field}` given more than once")]
    Repeated {
        /// The field.
        field: &'static str,
        /// Line of the repeated field.
        line: usize,
    },
    /// A value that is not UTF-8.
    #[error("`WHEEL` line {line}: the value is not valid UTF-8")]
    InvalidUtf8 {
        /// Line.
        line: usize,
    },
    /// `Wheel-Version` is not `MAJOR.MINOR`.
    #[error("`WHEEL` line {line}: invalid `Wheel-Version` `{}`: expected `MAJOR.MINOR`, as in `1.0`", Quoted(.value))]
    InvalidWheelVersion {
        /// The value.
        value: String,
        /// Line.
        line: usize,
    },
    /// `Wheel-Version` has a major version other than 1, which installers must refuse.
    #[error("`WHEEL` line {line}: unsupported `Wheel-Version` `{}`: only major version 1 is supported", Quoted(.value))]
    UnsupportedWheelVersion {
        /// The value.
        value: String,
        /// Line.
        line: usize,
    },
    /// `Root-Is-Purelib` is neither `true` nor `false`.
    #[error("`WHEEL` line {line}: invalid `Root-Is-Purelib` `{}`: expected `true` or `false`", Quoted(.value))]
    InvalidRootIsPurelib {
        /// The value.
        value: String,
        /// Line.
        line: usize,
    },
    /// A `Tag` that is not `python-abi-platform`.
    #[error("`WHEEL` line {line}: invalid `Tag` `{}`: expected `python-abi-platform`, as in `py3-none-any`", Quoted(.value))]
    InvalidTag {
        /// The value.
        value: String,
        /// Line.
        line: usize,
    },
    /// A `Build` that does not start with a digit or holds a `-`.
    #[error("`WHEEL` line {line}: invalid `Build` `{}`: expected a number, optionally followed by letters, as in `1` or `2b`", Quoted(.value))]
    InvalidBuild {
        /// The value.
        value: String,
        /// Line.
        line: usize,
    },
}

fn is_tag_part(part: &str) -> bool {
    !part.is_empty()
        && part
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'.')
}

impl WheelInfo {
    /// Parses a `WHEEL` file.
    ///
    /// # Errors
    ///
    /// A missing `Wheel-Version` or `Root-Is-Purelib`, a repeated single-use field, a
    /// `Wheel-Version` that is not `1.x`, a `Root-Is-Purelib` other than `true`/`false`
    /// (any case, as pip compares it), a `Tag` that is not three `-`-separated parts, a `Build`
    /// that does not start with a digit.
    pub fn parse(data: &[u8]) -> Result<WheelInfo, WheelInfoError> {
        utf8(data)?;
        let message = rfc822::parse(data);
        let mut wheel_version = None;
        let mut generator = None;
        let mut root_is_purelib = None;
        let mut tags = Vec::new();
        let mut build = None;
        let mut other = Vec::new();
        for header in &message.headers {
            let line = header.line;
            let value = std::str::from_utf8(header.value)
                .map_err(|_| WheelInfoError::InvalidUtf8 { line })?
                .to_owned();
            let name = String::from_utf8_lossy(header.name);
            match name.to_ascii_lowercase().as_str() {
                "wheel-version" => {
                    once(wheel_version.is_some(), "Wheel-Version", line)?;
                    let parsed = value
                        .split_once('.')
                        .and_then(|(a, b)| Some((parse_number(a)?, parse_number(b)?)));
                    match parsed {
                        None => {
                            return Err(WheelInfoError::InvalidWheelVersion { value, line });
                        }
                        Some((major, _)) if major != 1 => {
                            return Err(WheelInfoError::UnsupportedWheelVersion { value, line });
                        }
                        Some(version) => wheel_version = Some(version),
                    }
                }
                "generator" => {
                    once(generator.is_some(), "Generator", line)?;
                    generator = Some(value);
                }
                "root-is-purelib" => {
                    once(root_is_purelib.is_some(), "Root-Is-Purelib", line)?;
                    root_is_purelib = Some(match value.to_ascii_lowercase().as_str() {
                        "true" => true,
                        "false" => false,
                        _ => return Err(WheelInfoError::InvalidRootIsPurelib { value, line }),
                    });
                }
                "tag" => {
                    let parts: Vec<&str> = value.split('-').collect();
                    if parts.len() != 3 || !parts.iter().all(|p| is_tag_part(p)) {
                        return Err(WheelInfoError::InvalidTag { value, line });
                    }
                    tags.push(value);
                }
                "build" => {
                    once(build.is_some(), "Build", line)?;
                    if !value.starts_with(|c: char| c.is_ascii_digit())
                        || !value.bytes().all(|b| b.is_ascii_alphanumeric())
                    {
                        return Err(WheelInfoError::InvalidBuild { value, line });
                    }
                    build = Some(value);
                }
                _ => other.push((name.into_owned(), value)),
            }
        }
        Ok(WheelInfo {
            wheel_version: wheel_version.ok_or(WheelInfoError::Missing {
                field: "Wheel-Version",
            })?,
            generator,
            root_is_purelib: root_is_purelib.ok_or(WheelInfoError::Missing {
                field: "Root-Is-Purelib",
            })?,
            tags,
            build,
            other,
        })
    }
}

impl WheelInfo {
    /// Reads a `WHEEL` file as pip 26.3 reads it, returning what strict [`parse`](Self::parse)
    /// would reject as warnings beside the value.
    ///
    /// pip parses `WHEEL` with `email.parser` and uses two fields (`utils/wheel.py`,
    /// `operations/install/wheel.py`); this reads them the same way:
    ///
    /// - the file must be UTF-8 (pip decodes it whole before parsing);
    /// - `Wheel-Version` must be present, and dot-separated integers (pip's `wheel_version`)
    ///   with a major version of at most 1 (`check_compatibility`); a major version 0 or a
    ///   version that is not `MAJOR.MINOR` (`1`, `1.0.0`) is a warning;
    /// - a repeated single-use field keeps its first value, as `email.message.Message.get`
    ///   does (delocate-repaired macOS wheels have `Generator` twice);
    /// - `Root-Is-Purelib` missing, or other than `true` in any case, reads as `false` (pip's
    ///   `wheel_root_is_purelib`), with a warning unless it is `false`;
    /// - a malformed `Tag` or `Build` is kept as written, with a warning.
    ///
    /// # Errors
    ///
    /// The file is not UTF-8 ([`WheelInfoError::InvalidUtf8`]), or `Wheel-Version` is missing
    /// ([`WheelInfoError::Missing`]), not dot-separated integers
    /// ([`WheelInfoError::InvalidWheelVersion`]), or of a major version above 1
    /// ([`WheelInfoError::UnsupportedWheelVersion`]).
    ///
    /// # Examples
    ///
    /// ```
    /// use pypackaging::metadata::WheelInfo;
    ///
    /// let (info, warnings) = WheelInfo::parse_lenient(
    ///     b"Wheel-Version: 1.0\nGenerator: bdist_wheel (0.45.1)\nRoot-Is-Purelib: false\n\
    ///       Tag: cp312-cp312-macosx_11_0_arm64\nGenerator: delocate 0.12.0\n",
    /// )?;
    /// assert_eq!(info.generator.as_deref(), Some("bdist_wheel (0.45.1)"));
    /// assert_eq!(warnings[0].to_string(), "`WHEEL` line 5: `Generator` given more than once");
    /// # Ok::<(), pypackaging::metadata::WheelInfoError>(())
    /// ```
    pub fn parse_lenient(data: &[u8]) -> Result<(WheelInfo, Vec<WheelInfoError>), WheelInfoError> {
        utf8(data)?;
        let message = rfc822::parse(data);
        let mut warnings = Vec::new();
        let mut wheel_version = None;
        let mut generator = None;
        let mut root_is_purelib: Option<bool> = None;
        let mut tags = Vec::new();
        let mut build = None;
        let mut other = Vec::new();
        for header in &message.headers {
            let line = header.line;
            // The whole file is UTF-8, so every value is.
            let value = String::from_utf8_lossy(header.value).into_owned();
            let name = String::from_utf8_lossy(header.name);
            let repeated = |seen: bool, field: &'static str, warnings: &mut Vec<WheelInfoError>| {
                if seen {
                    warnings.push(WheelInfoError::Repeated { field, line });
                }
                seen
            };
            match name.to_ascii_lowercase().as_str() {
                "wheel-version" => {
                    if repeated(wheel_version.is_some(), "Wheel-Version", &mut warnings) {
                        continue;
                    }
                    // pip: `tuple(map(int, version_text.strip().split(".")))`.
                    let parts: Option<Vec<u32>> = value
                        .trim()
                        .split('.')
                        .map(|p| parse_number(p.trim()))
                        .collect();
                    let Some(parts) = parts else {
                        return Err(WheelInfoError::InvalidWheelVersion { value, line });
                    };
                    let major = parts[0];
                    if major > 1 {
                        return Err(WheelInfoError::UnsupportedWheelVersion { value, line });
                    }
                    if major == 0 {
                        warnings.push(WheelInfoError::UnsupportedWheelVersion {
                            value: value.clone(),
                            line,
                        });
                    } else if parts.len() != 2 {
                        warnings.push(WheelInfoError::InvalidWheelVersion {
                            value: value.clone(),
                            line,
                        });
                    }
                    wheel_version = Some((major, parts.get(1).copied().unwrap_or(0)));
                }
                "generator" => {
                    if !repeated(generator.is_some(), "Generator", &mut warnings) {
                        generator = Some(value);
                    }
                }
                "root-is-purelib" => {
                    if repeated(root_is_purelib.is_some(), "Root-Is-Purelib", &mut warnings) {
                        continue;
                    }
                    let lower = value.to_ascii_lowercase();
                    if lower != "true" && lower != "false" {
                        warnings.push(WheelInfoError::InvalidRootIsPurelib {
                            value: value.clone(),
                            line,
                        });
                    }
                    root_is_purelib = Some(lower == "true");
                }
                "tag" => {
                    let parts: Vec<&str> = value.split('-').collect();
                    if parts.len() != 3 || !parts.iter().all(|p| is_tag_part(p)) {
                        warnings.push(WheelInfoError::InvalidTag {
                            value: value.clone(),
                            line,
                        });
                    }
                    tags.push(value);
                }
                "build" => {
                    if repeated(build.is_some(), "Build", &mut warnings) {
                        continue;
                    }
                    if !value.starts_with(|c: char| c.is_ascii_digit())
                        || !value.bytes().all(|b| b.is_ascii_alphanumeric())
                    {
                        warnings.push(WheelInfoError::InvalidBuild {
                            value: value.clone(),
                            line,
                        });
                    }
                    build = Some(value);
                }
                _ => other.push((name.into_owned(), value)),
            }
        }
        let wheel_version = wheel_version.ok_or(WheelInfoError::Missing {
            field: "Wheel-Version",
        })?;
        if root_is_purelib.is_none() {
            warnings.push(WheelInfoError::Missing {
                field: "Root-Is-Purelib",
            });
        }
        Ok((
            WheelInfo {
                wheel_version,
                generator,
                root_is_purelib: root_is_purelib.unwrap_or(false),
                tags,
                build,
                other,
            },
            warnings,
        ))
    }
}

impl WheelInfoError {
    /// The 1-based line the problem is on, where it is about one line.
    pub fn line(&self) -> Option<usize> {
        match self {
            WheelInfoError::Missing { .. } => None,
            WheelInfoError::Repeated { line, .. }
            | WheelInfoError::InvalidUtf8 { line }
            | WheelInfoError::InvalidWheelVersion { line, .. }
            | WheelInfoError::UnsupportedWheelVersion { line, .. }
            | WheelInfoError::InvalidRootIsPurelib { line, .. }
            | WheelInfoError::InvalidTag { line, .. }
            | WheelInfoError::InvalidBuild { line, .. } => Some(*line),
        }
    }

    /// The field the problem is about (`None` for a value that is not UTF-8).
    pub fn field(&self) -> Option<&'static str> {
        match self {
            WheelInfoError::Missing { field } | WheelInfoError::Repeated { field, .. } => {
                Some(field)
            }
            WheelInfoError::InvalidUtf8 { .. } => None,
            WheelInfoError::InvalidWheelVersion { .. }
            | WheelInfoError::UnsupportedWheelVersion { .. } => Some("Wheel-Version"),
            WheelInfoError::InvalidRootIsPurelib { .. } => Some("Root-Is-Purelib"),
            WheelInfoError::InvalidTag { .. } => Some("Tag"),
            WheelInfoError::InvalidBuild { .. } => Some("Build"),
        }
    }
}

/// The tags a `Tag` value stands for: itself, or, for a compressed tag set written on one
/// line (`cp311-cp311-manylinux_2_17_x86_64.manylinux2014_x86_64`, as some builds write it),
/// every combination of its `.`-separated parts. `None` when it is not three `-`-separated
/// parts.
pub(crate) fn expand_tag(value: &str) -> Option<Vec<String>> {
    let parts: Vec<&str> = value.split('-').collect();
    let [python, abi, platform] = parts.as_slice() else {
        return None;
    };
    let mut out = Vec::new();
    for p in python.split('.') {
        for a in abi.split('.') {
            for l in platform.split('.') {
                out.push(format!("{p}-{a}-{l}"));
            }
        }
    }
    Some(out)
}

/// The 1-based line holding byte `offset`, lines ending as the header reader ends them
/// (`\n`, `\r\n`, `\r`).
fn line_of_offset(data: &[u8], offset: usize) -> usize {
    let before = &data[..offset.min(data.len())];
    let mut line = 1;
    let mut i = 0;
    while let Some(j) = memchr::memchr2(b'\n', b'\r', &before[i..]) {
        let at = i + j;
        if before[at] == b'\r' && data.get(at + 1) == Some(&b'\n') {
            i = at + 2;
        } else {
            i = at + 1;
        }
        line += 1;
        if i >= before.len() {
            break;
        }
    }
    line
}

fn once(seen: bool, field: &'static str, line: usize) -> Result<(), WheelInfoError> {
    if seen {
        Err(WheelInfoError::Repeated { field, line })
    } else {
        Ok(())
    }
}

/// A non-negative decimal number of ASCII digits.
fn parse_number(s: &str) -> Option<u32> {
    if s.is_empty() || !s.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    s.parse().ok()
}

impl FromStr for WheelInfo {
    type Err = WheelInfoError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        WheelInfo::parse(s.as_bytes())
    }
}

/// Writes the file as `bdist_wheel` does: `Wheel-Version`, `Generator`, `Root-Is-Purelib`,
/// each `Tag`, `Build`, then other headers.
impl fmt::Display for WheelInfo {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut out = String::new();
        let (major, minor) = self.wheel_version;
        rfc822::write_header(&mut out, "Wheel-Version", &format!("{major}.{minor}"));
        if let Some(generator) = &self.generator {
            rfc822::write_header(&mut out, "Generator", generator);
        }
        rfc822::write_header(
            &mut out,
            "Root-Is-Purelib",
            if self.root_is_purelib {
                "true"
            } else {
                "false"
            },
        );
        for tag in &self.tags {
            rfc822::write_header(&mut out, "Tag", tag);
        }
        if let Some(build) = &self.build {
            rfc822::write_header(&mut out, "Build", build);
        }
        for (name, value) in &self.other {
            rfc822::write_header(&mut out, name, value);
        }
        f.write_str(&out)
    }
}

/// pip decodes WHEEL as UTF-8 before reading it (`wheel_contents.decode()`): a file that is
/// not UTF-8 anywhere, a header name included, is refused, by both readers.
fn utf8(data: &[u8]) -> Result<(), WheelInfoError> {
    match std::str::from_utf8(data) {
        Ok(_) => Ok(()),
        Err(e) => Err(WheelInfoError::InvalidUtf8 {
            line: line_of_offset(data, e.valid_up_to()),
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn error(text: &str) -> String {
        WheelInfo::parse(text.as_bytes()).unwrap_err().to_string()
    }

    #[test]
    fn real_wheel_file() {
        let info = WheelInfo::parse(
            b"Wheel-Version: 1.0\nGenerator: bdist_wheel (0.37.1)\nRoot-Is-Purelib: false\n\
              Tag: cp311-cp311-manylinux_2_17_x86_64\nTag: cp311-cp311-manylinux2014_x86_64\nBuild: 2\n\n",
        )
        .unwrap();
        assert!(!info.root_is_purelib);
        assert_eq!(info.tags.len(), 2);
        assert_eq!(info.build.as_deref(), Some("2"));
        assert_eq!(WheelInfo::parse(info.to_string().as_bytes()).unwrap(), info);
    }

    #[test]
    fn errors() {
        insta::assert_snapshot!(error("Wheel-Version: 2.0\nRoot-Is-Purelib: true\n"), @"`WHEEL` line 1: unsupported `Wheel-Version` `2.0`: only major version 1 is supported");
        insta::assert_snapshot!(error("Wheel-Version: 1\nRoot-Is-Purelib: true\n"), @"`WHEEL` line 1: invalid `Wheel-Version` `1`: expected `MAJOR.MINOR`, as in `1.0`");
        insta::assert_snapshot!(error("Wheel-Version: 1.0\n"), @"`WHEEL` has no `Root-Is-Purelib` field");
        insta::assert_snapshot!(error("Wheel-Version: 1.0\nRoot-Is-Purelib: yes\n"), @"`WHEEL` line 2: invalid `Root-Is-Purelib` `yes`: expected `true` or `false`");
        insta::assert_snapshot!(error("Wheel-Version: 1.0\nRoot-Is-Purelib: true\nTag: py3-none\n"), @"`WHEEL` line 3: invalid `Tag` `py3-none`: expected `python-abi-platform`, as in `py3-none-any`");
        insta::assert_snapshot!(error("Wheel-Version: 1.0\nWheel-Version: 1.0\n"), @"`WHEEL` line 2: `Wheel-Version` given more than once");
        insta::assert_snapshot!(error("Wheel-Version: 1.0\nRoot-Is-Purelib: true\nBuild: x1\n"), @"`WHEEL` line 3: invalid `Build` `x1`: expected a number, optionally followed by letters, as in `1` or `2b`");
    }

    fn lenient(text: &[u8]) -> Result<(WheelInfo, Vec<String>), String> {
        WheelInfo::parse_lenient(text)
            .map(|(info, warnings)| (info, warnings.iter().map(ToString::to_string).collect()))
            .map_err(|e| e.to_string())
    }

    #[test]
    fn lenient_reading_fails_only_where_pip_does() {
        insta::assert_snapshot!(lenient(b"Root-Is-Purelib: true\n").unwrap_err(), @"`WHEEL` has no `Wheel-Version` field");
        insta::assert_snapshot!(lenient(b"Wheel-Version: 2.0\n").unwrap_err(), @"`WHEEL` line 1: unsupported `Wheel-Version` `2.0`: only major version 1 is supported");
        insta::assert_snapshot!(lenient(b"Wheel-Version: 1.x\n").unwrap_err(), @"`WHEEL` line 1: invalid `Wheel-Version` `1.x`: expected `MAJOR.MINOR`, as in `1.0`");
        insta::assert_snapshot!(lenient(b"Wheel-Version: 1.0\nGenerator: a\r\nX: caf\xe9\n").unwrap_err(), @"`WHEEL` line 3: the value is not valid UTF-8");
        // The first value wins; `Root-Is-Purelib` is false unless `true` in any case.
        let (info, warnings) = lenient(
            b"Wheel-Version: 1\nGenerator: a\nWheel-Version: 3.0\nGenerator: b\nRoot-Is-Purelib: TRUE\n",
        )
        .unwrap();
        assert_eq!(info.wheel_version, (1, 0));
        assert_eq!(info.generator.as_deref(), Some("a"));
        assert!(info.root_is_purelib);
        insta::assert_snapshot!(warnings.join("\n"), @r"
        `WHEEL` line 1: invalid `Wheel-Version` `1`: expected `MAJOR.MINOR`, as in `1.0`
        `WHEEL` line 3: `Wheel-Version` given more than once
        `WHEEL` line 4: `Generator` given more than once
        ");
        let (info, warnings) =
            lenient(b"Wheel-Version: 0.9\nRoot-Is-Purelib: maybe\nTag: py3-none\n").unwrap();
        assert!(!info.root_is_purelib);
        assert_eq!(info.tags, ["py3-none"]);
        assert_eq!(warnings.len(), 3, "{warnings:?}");
        let (info, warnings) = lenient(b"Wheel-Version: 1.0\n").unwrap();
        assert!(!info.root_is_purelib);
        insta::assert_snapshot!(warnings.join("\n"), @"`WHEEL` has no `Root-Is-Purelib` field");
        // What strict parsing accepts, lenient parsing reads alike and without warnings.
        let text = b"Wheel-Version: 1.0\nRoot-Is-Purelib: false\nTag: py3-none-any\nBuild: 1\n";
        assert_eq!(
            lenient(text).unwrap(),
            (WheelInfo::parse(text).unwrap(), vec![])
        );
    }

    #[test]
    fn compressed_tags_expand() {
        assert_eq!(
            expand_tag("cp311-cp311-manylinux_2_17_x86_64.manylinux2014_x86_64").unwrap(),
            [
                "cp311-cp311-manylinux_2_17_x86_64",
                "cp311-cp311-manylinux2014_x86_64"
            ]
        );
        assert_eq!(expand_tag("py2.py3-none-any").unwrap().len(), 2);
        assert_eq!(expand_tag("py3-none"), None);
    }
}
