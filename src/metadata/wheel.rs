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
}
