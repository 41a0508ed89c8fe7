//! What a requirement line names, classified as pip's `req/constructors.py` classifies it,
//! without touching the file system.
//!
//! pip decides between "a local path" and "a PEP 508 requirement" partly by asking the file
//! system (`os.path.isdir`, `os.path.isfile`). This crate decides by appearance only, as pip does
//! when the path does not exist: text containing `/` or starting with `.` is a path (pip on
//! POSIX; on Windows pip takes `\` as a separator too), and so is a name ending in an archive extension (`.whl`, `.zip`, `.tar.gz`, ...) unless it has an `@`
//! after something that does not look like a path. Whether the path exists, and whether a
//! directory holds a `pyproject.toml` or `setup.py`, is for the caller to check.

use std::fmt;
use std::str::FromStr;

use crate::diagnostic::Quoted;
use crate::filename::WheelFilename;
use crate::name::PackageName;
use crate::version::{MarkerCache as Memo, MarkerTree, Requirement, Version, plain_pep508};

/// The archive extensions pip recognises (`pip._internal.utils.filetypes.ARCHIVE_EXTENSIONS`).
const ARCHIVE_EXTENSIONS: &[&str] = &[
    ".zip",
    ".whl",
    ".tar.bz2",
    ".tbz",
    ".tar.xz",
    ".txz",
    ".tlz",
    ".tar.lz",
    ".tar.lzma",
    ".tar.gz",
    ".tgz",
    ".tar",
];

/// The URL schemes pip treats as URLs (`pip._internal.vcs.is_url`).
const URL_SCHEMES: &[&str] = &[
    "http",
    "https",
    "file",
    "ftp",
    "bzr+http",
    "bzr+https",
    "bzr+ssh",
    "bzr+sftp",
    "bzr+ftp",
    "bzr+lp",
    "bzr+file",
    "git+http",
    "git+https",
    "git+ssh",
    "git+git",
    "git+file",
    "hg+file",
    "hg+http",
    "hg+https",
    "hg+ssh",
    "hg+static-http",
    "svn+ssh",
    "svn+http",
    "svn+https",
    "svn+svn",
    "svn+file",
];

/// What kind of artifact a local path or URL points at, judged by its name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ArtifactKind {
    /// A `.whl` file.
    Wheel,
    /// Another archive (`.tar.gz`, `.zip`, ...): a source distribution.
    Sdist,
    /// A directory (a local project) or anything else without an archive extension.
    Directory,
    /// A version-control URL (`git+https://...`).
    Vcs,
}

/// The requirement a line names.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum RequirementForm {
    /// A PEP 508 requirement: `name[extras] specifiers ; marker` or `name @ url`.
    Pep508(Requirement),
    /// A bare URL: an archive, a wheel, a VCS repository.
    Url {
        /// The URL as written (markers removed).
        url: String,
        /// The project name: from `#egg=`, or the wheel filename.
        name: Option<PackageName>,
        /// The version, for a wheel.
        version: Option<Version>,
        /// What the URL points at.
        kind: ArtifactKind,
        /// The marker after `; `, if any.
        marker: Option<MarkerTree>,
    },
    /// A local path: a wheel, an sdist or a project directory.
    Path {
        /// The path as written (extras and markers removed).
        path: String,
        /// Extras written after the path (`./proj[test]`).
        extras: Vec<String>,
        /// The project name, for a wheel (or from `#egg=`).
        name: Option<PackageName>,
        /// The version, for a wheel.
        version: Option<Version>,
        /// What the path points at, judged by its name.
        kind: ArtifactKind,
        /// The marker after `;`, if any.
        marker: Option<MarkerTree>,
    },
}

impl RequirementForm {
    /// The project name, when the line names one.
    pub fn name(&self) -> Option<&str> {
        match self {
            RequirementForm::Pep508(r) => Some(r.name.as_ref()),
            RequirementForm::Url { name, .. } | RequirementForm::Path { name, .. } => {
                name.as_ref().map(PackageName::as_str)
            }
        }
    }
}

/// Why a requirement could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum FormError {
    /// Not a valid PEP 508 requirement.
    #[error("invalid requirement `{}`: {message}", Quoted(.text))]
    Pep508 {
        /// The text.
        text: String,
        /// The parser's message.
        message: String,
    },
    /// An invalid marker after a URL or path.
    #[error("invalid marker `{}`: {message}", Quoted(.text))]
    Marker {
        /// The marker text.
        text: String,
        /// The parser's message.
        message: String,
    },
    /// An `#egg=` fragment that is not a project name.
    #[error("invalid `#egg=` fragment `{}`: not a project name", Quoted(.0))]
    EggFragment(String),
    /// A wheel path or URL whose filename is not a wheel filename.
    #[error("invalid wheel filename `{}`", Quoted(.0))]
    WheelFilename(String),
    /// An editable that is neither a local path, a `file:` URL nor a VCS URL.
    #[error("`{}` is not a valid editable requirement: it should be a path to a local project or a VCS URL", Quoted(.0))]
    NotEditable(String),
    /// An editable VCS URL without a project name.
    #[error("could not detect the project name of editable `{}`: add `#egg=NAME` or write `NAME @ URL`", Quoted(.0))]
    EditableName(String),
}

/// `urllib.parse.urlsplit(text).scheme`, lower-cased, when it is one pip treats as a URL.
pub(crate) fn url_scheme(text: &str) -> Option<String> {
    // The text before the first `:` must be a scheme: the longest run of scheme characters
    // must end at a `:`.
    let bytes = text.as_bytes();
    if !bytes.first()?.is_ascii_alphabetic() {
        return None;
    }
    let colon = bytes
        .iter()
        .position(|b| !(b.is_ascii_alphanumeric() || matches!(b, b'+' | b'-' | b'.')))?;
    if bytes[colon] != b':' {
        return None;
    }
    let scheme = &text[..colon];
    let scheme = scheme.to_ascii_lowercase();
    URL_SCHEMES.contains(&scheme.as_str()).then_some(scheme)
}

/// pip's `_looks_like_path` on POSIX (`os.sep` is `/`, there is no `os.altsep`): on Windows pip
/// also takes `\` as a separator.
fn looks_like_path(text: &str) -> bool {
    text.contains('/') || text.starts_with('.')
}

fn archive_kind(path: &str) -> Option<ArtifactKind> {
    // What follows the last dot must end one of the extensions (`gz` for `.tar.gz`, ...).
    const LAST: [&str; 12] = [
        "zip", "whl", "bz2", "tbz", "xz", "txz", "tlz", "lz", "lzma", "gz", "tgz", "tar",
    ];
    let bytes = path.as_bytes();
    let tail = &bytes[bytes
        .iter()
        .rposition(|&b| b == b'.')
        .map_or(bytes.len(), |dot| dot + 1)..];
    if !LAST.iter().any(|t| t.as_bytes().eq_ignore_ascii_case(tail)) {
        return None;
    }
    let ends_with = |extension: &str| {
        path.len() >= extension.len()
            && path.as_bytes()[path.len() - extension.len()..]
                .eq_ignore_ascii_case(extension.as_bytes())
    };
    if ends_with(".whl") {
        Some(ArtifactKind::Wheel)
    } else if ARCHIVE_EXTENSIONS.iter().any(|e| ends_with(e)) {
        Some(ArtifactKind::Sdist)
    } else {
        None
    }
}

/// The last path segment of a URL or path, without query and fragment.
fn file_name(location: &str) -> &str {
    let end = location.find(['#', '?']).unwrap_or(location.len());
    let location = &location[..end];
    location.rsplit(['/', '\\']).next().unwrap_or(location)
}

/// Name and version from a wheel filename, as pip names a wheel requirement (`name==version`).
fn wheel_name_version(filename: &str) -> Option<(PackageName, Version)> {
    let wheel = WheelFilename::parse(filename).ok()?;
    Some((wheel.name().clone(), wheel.version().clone()))
}

/// The `#egg=` value of a URL (`[#&]egg=([^&]*)`), checked as pip checks it.
fn egg_fragment(url: &str) -> Result<Option<PackageName>, FormError> {
    let Some(at) = url.find("#egg=").or_else(|| url.find("&egg=")) else {
        return Ok(None);
    };
    let value = &url[at + 5..];
    let value = &value[..value.find('&').unwrap_or(value.len())];
    let valid = !value.is_empty()
        && value
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-'))
        && value.starts_with(|c: char| c.is_ascii_alphanumeric())
        && value.ends_with(|c: char| c.is_ascii_alphanumeric());
    if !valid {
        return Err(FormError::EggFragment(value.to_owned()));
    }
    Ok(PackageName::from_str(value).ok())
}

fn marker(text: &str) -> Result<Option<MarkerTree>, FormError> {
    let text = text.trim();
    if text.is_empty() {
        return Ok(None);
    }
    if let Some(message) = crate::version::marker_trap(text) {
        return Err(FormError::Marker {
            text: text.to_owned(),
            message,
        });
    }
    // Should pep508_rs 0.9.2 panic on input the screen above lets through, that is an error
    // here too (outside fuzzing, whose panic hook aborts first).
    let parsed = std::panic::catch_unwind(|| MarkerTree::from_str(text));
    match parsed {
        Ok(Ok(marker)) => Ok(Some(marker)),
        Ok(Err(e)) => Err(FormError::Marker {
            text: text.to_owned(),
            message: e.message.to_string(),
        }),
        Err(_) => Err(FormError::Marker {
            text: text.to_owned(),
            message: "the marker parser (pep508_rs) failed on this input".to_owned(),
        }),
    }
}

/// [`parse_requirement`], with its error as a [`FormError`].
fn parse_pep508(text: &str, memo: &mut Memo) -> Result<Requirement, FormError> {
    crate::version::parse_requirement_memo(text, memo).map_err(|e| FormError::Pep508 {
        text: e.text,
        message: e.message,
    })
}

fn pep508(text: &str, memo: &mut Memo) -> Result<RequirementForm, FormError> {
    parse_pep508(text, memo).map(RequirementForm::Pep508)
}

fn url_form(
    url: &str,
    scheme: &str,
    marker: Option<MarkerTree>,
) -> Result<RequirementForm, FormError> {
    let name_from_egg = egg_fragment(url)?;
    let (kind, name, version) = if scheme.contains('+') {
        (ArtifactKind::Vcs, name_from_egg, None)
    } else {
        match archive_kind(file_name(url)) {
            Some(ArtifactKind::Wheel) => {
                let (name, version) = wheel_name_version(file_name(url))
                    .ok_or_else(|| FormError::WheelFilename(file_name(url).to_owned()))?;
                (ArtifactKind::Wheel, Some(name), Some(version))
            }
            Some(kind) => (kind, name_from_egg, None),
            None => (ArtifactKind::Directory, name_from_egg, None),
        }
    };
    Ok(RequirementForm::Url {
        url: url.to_owned(),
        name,
        version,
        kind,
        marker,
    })
}

/// Classifies a requirement line's text as pip's `parse_req_from_line` does.
#[cfg(test)]
pub(crate) fn classify(text: &str) -> Result<RequirementForm, FormError> {
    classify_with(text, &mut Memo::default())
}

/// [`classify`], remembering markers in `memo`.
pub(crate) fn classify_with(text: &str, memo: &mut Memo) -> Result<RequirementForm, FormError> {
    // A plain `name<op>version[;marker]` has no scheme, no extras and no `/`, and does not
    // start with `.`: pip reads it as PEP 508 unless the part before `;` ends like an archive.
    if let Some(requirement) = plain_pep508(text, memo) {
        let body = super::split_once_ascii(text, b';').map_or(text, |(body, _)| body);
        if archive_kind(body.trim()).is_none() {
            return Ok(RequirementForm::Pep508(requirement));
        }
    }
    let scheme = url_scheme(text);
    let is_url = scheme.is_some();
    let split = if is_url {
        text.split_once("; ")
    } else {
        super::split_once_ascii(text, b';')
    };
    let (body, marker_text) = match split {
        Some((body, marker)) => (body.trim(), Some(marker)),
        None => (text.trim(), None),
    };
    // `body` is `text` cut at `;` and trimmed: when `text` starts with what is not whitespace,
    // it has a scheme only if `text` has.
    let body_scheme = if is_url || text.starts_with(char::is_whitespace) {
        url_scheme(body)
    } else {
        None
    };
    if let Some(scheme) = body_scheme {
        let marker = marker(marker_text.unwrap_or(""))?;
        return url_form(body, &scheme, marker);
    }
    let (path, extras) = strip_extras(body);
    if let Some(kind) = archive_kind(path) {
        let at_name = body
            .split_once('@')
            .is_some_and(|(before, _)| !looks_like_path(before));
        if !at_name {
            let marker = marker(marker_text.unwrap_or(""))?;
            let (name, version) = if kind == ArtifactKind::Wheel {
                let (name, version) = wheel_name_version(file_name(path))
                    .ok_or_else(|| FormError::WheelFilename(file_name(path).to_owned()))?;
                (Some(name), Some(version))
            } else {
                (None, None)
            };
            return Ok(RequirementForm::Path {
                path: path.to_owned(),
                extras,
                name,
                version,
                kind,
                marker,
            });
        }
    } else if looks_like_path(body) && !body.contains('@') && parse_pep508(text, memo).is_err() {
        let marker = marker(marker_text.unwrap_or(""))?;
        return Ok(RequirementForm::Path {
            path: path.to_owned(),
            extras,
            name: None,
            version: None,
            kind: ArtifactKind::Directory,
            marker,
        });
    }
    // pip cuts a line that is not a URL at its first `;` and reads the rest as the marker, so
    // `name @ URL;marker` needs no space before the `;` (PEP 508 would need one), and a `;`
    // inside such a URL ends it.
    if !is_url
        && body.contains('@')
        && let Some(marker) = marker_text
    {
        let marker = marker.trim();
        let joined = if marker.is_empty() {
            body.to_owned()
        } else {
            format!("{body} ; {marker}")
        };
        return parse_pep508(&joined, memo)
            .map(RequirementForm::Pep508)
            .map_err(|e| match e {
                FormError::Pep508 { message, .. } => FormError::Pep508 {
                    text: text.to_owned(),
                    message,
                },
                other => other,
            });
    }
    pep508(text, memo)
}

/// Splits `path[extra,...]` (pip's `strip_extras`).
fn strip_extras(text: &str) -> (&str, Vec<String>) {
    if text.ends_with(']')
        && let Some(open) = text.rfind('[')
        && open > 0
    {
        let extras = text[open + 1..text.len() - 1]
            .split(',')
            .map(|e| e.trim().to_owned())
            .filter(|e| !e.is_empty())
            .collect();
        return (&text[..open], extras);
    }
    (text, Vec::new())
}

/// Classifies the target of `-e`, as pip's `parse_editable` does.
pub(crate) fn classify_editable(text: &str, memo: &mut Memo) -> Result<RequirementForm, FormError> {
    if let Some((name, url)) = text.split_once(" @ ").or_else(|| {
        text.split_once('@')
            .filter(|(name, url)| !looks_like_path(name) && url_scheme(url.trim()).is_some())
    }) && url_scheme(url.trim()).is_some()
    {
        return pep508(&format!("{} @ {}", name.trim(), url.trim()), memo);
    }
    let text = text.trim();
    let (path, extras) = strip_extras(text);
    let lower = text.to_ascii_lowercase();
    // pip prefixes `git:`, `hg:`, `svn:`, `bzr:` URLs with their VCS (`git+git://...`).
    let bare_vcs = ["git:", "hg:", "svn:", "bzr:"]
        .iter()
        .any(|p| lower.starts_with(p));
    if bare_vcs || url_scheme(text).is_some_and(|s| s.contains('+')) {
        // VCS URLs keep their `[...]`: pip reads the egg fragment from the whole text.
        let name = egg_fragment(text)?;
        if name.is_none() {
            return Err(FormError::EditableName(text.to_owned()));
        }
        return Ok(RequirementForm::Url {
            url: text.to_owned(),
            name,
            version: None,
            kind: ArtifactKind::Vcs,
            marker: None,
        });
    }
    match url_scheme(path) {
        Some(scheme) if scheme == "file" => Ok(RequirementForm::Url {
            url: path.to_owned(),
            name: egg_fragment(path)?,
            version: None,
            kind: ArtifactKind::Directory,
            marker: None,
        }),
        Some(_) => Err(FormError::NotEditable(text.to_owned())),
        None => Ok(RequirementForm::Path {
            path: path.to_owned(),
            extras,
            name: None,
            version: None,
            kind: ArtifactKind::Directory,
            marker: None,
        }),
    }
}

impl fmt::Display for ArtifactKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            ArtifactKind::Wheel => "wheel",
            ArtifactKind::Sdist => "sdist",
            ArtifactKind::Directory => "directory",
            ArtifactKind::Vcs => "vcs",
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::version::parse_requirement;

    /// The plain path builds exactly what `pep508_rs` builds, and leaves what it cannot read to
    /// `parse_requirement`.
    #[test]
    fn plain_requirements_as_pep508_rs() {
        let mut memo = Memo::default();
        let mut plain = 0;
        for text in [
            "foo==1.0",
            "Foo_Bar.baz==1.0.post1",
            "foo >= 1.0 , < 2",
            "foo>=1.0,<2,!=1.5.*",
            "foo==1.0.*",
            "foo~=1",
            "foo~=1.4.2",
            "foo===abc",
            "foo==1.0+local.7",
            "foo>=1.0+local",
            "foo==1.0 ; python_version < '3.8'",
            "foo==1.0;python_version<'3.8' and os_name=='nt'",
            "foo==1.0 ; python_version < '3.8'",
            "foo==1.0 ;",
            "foo==1.0 ; ",
            "foo==1.0 ; bogus",
            "foo==1.0 ; os_name == 'x'; extra",
            "foo== 1.0",
            "foo ==1.0    ",
            "  foo\t==\t1.0\t",
            "foo==1.0 extra",
            "foo==",
            "foo==1.0,",
            "foo<=>1",
            "foo=1",
            "foo!1",
            "a==1",
            "1==1",
            "foo-==1",
            "foo.==1",
            "-foo==1",
            "foo==1.0a1.dev2",
            "foo==v1.0",
            "foo==1!2.0",
            "foo<1.0.*",
            "foo==1.0 ; python_version < '3.8' or sys_platform == \"win32\"",
        ] {
            let slow = parse_requirement(text);
            match plain_pep508(text, &mut memo) {
                Some(fast) => {
                    plain += 1;
                    let slow = slow.unwrap_or_else(|e| panic!("{text:?}: {e}"));
                    assert_eq!(fast, slow, "{text:?}");
                    assert_eq!(format!("{fast:?}"), format!("{slow:?}"), "{text:?}");
                    assert_eq!(fast.to_string(), slow.to_string(), "{text:?}");
                }
                None => {
                    // Not read here: `parse_requirement` decides, and it must say the same
                    // through `parse_pep508`.
                    assert_eq!(
                        parse_pep508(text, &mut memo).map_err(|e| e.to_string()),
                        slow.map_err(|e| FormError::Pep508 {
                            text: e.text,
                            message: e.message
                        }
                        .to_string()),
                        "{text:?}"
                    );
                }
            }
        }
        assert!(plain >= 15, "{plain}");
    }

    /// The same agreement on generated text near the plain form (names, operators, versions,
    /// spaces, commas and markers, valid or not).
    #[test]
    fn plain_requirements_as_pep508_rs_generated() {
        use proptest::prelude::*;
        let text = proptest::string::string_regex(
            "[ \\t]{0,2}[A-Za-z0-9._-]{1,8}[ \\t]{0,2}((==|>=|<=|~=|!=|<|>|===|=|!)[ \\t]?[0-9a-z.*+!]{0,8}[ \\t]?,?){0,3}([ ]?;[ ]?(python_version|os_name|extra|bogus)?[ ]?(==|<|in|and)?[ ]?('[a-z0-9.]{0,4}')?)?[ \\t]?",
        )
        .unwrap();
        proptest!(ProptestConfig::with_cases(2000), |(text in text)| {
            let mut memo = Memo::default();
            let slow = parse_requirement(&text);
            match plain_pep508(&text, &mut memo) {
                Some(fast) => {
                    let slow = slow.unwrap_or_else(|e| panic!("{text:?}: {e}"));
                    prop_assert_eq!(format!("{fast:?}"), format!("{slow:?}"), "{:?}", text);
                    prop_assert_eq!(fast.to_string(), slow.to_string());
                }
                None => {
                    let slow = slow.map_err(|e| {
                        FormError::Pep508 { text: e.text, message: e.message }.to_string()
                    });
                    prop_assert_eq!(
                        parse_pep508(&text, &mut memo).map_err(|e| e.to_string()),
                        slow,
                        "{:?}",
                        text
                    );
                }
            }
        });
    }

    #[test]
    fn forms() {
        assert!(matches!(
            classify("requests>=2"),
            Ok(RequirementForm::Pep508(_))
        ));
        assert!(matches!(
            classify("./dist/foo-1.0-py3-none-any.whl"),
            Ok(RequirementForm::Path {
                kind: ArtifactKind::Wheel,
                ..
            })
        ));
        assert!(matches!(
            classify("foo-1.0.tar.gz"),
            Ok(RequirementForm::Path {
                kind: ArtifactKind::Sdist,
                ..
            })
        ));
        assert!(matches!(
            classify("git+https://x/y#egg=foo"),
            Ok(RequirementForm::Url {
                kind: ArtifactKind::Vcs,
                ..
            })
        ));
        assert!(matches!(
            classify("./proj[test]"),
            Ok(RequirementForm::Path { .. })
        ));
        assert!(matches!(
            classify("foo @ https://x/foo.whl"),
            Ok(RequirementForm::Pep508(_))
        ));
        assert!(classify("foo=1").is_err());
        // pep508_rs 0.9.2 panics on these; they are errors here.
        assert!(classify("foo. ==1").is_err());
        assert!(classify("foo[socks..]").is_err());
        // No environment lookups behind the caller's back.
        match classify("foo @ https://x/${HOME}/foo.whl") {
            Ok(RequirementForm::Pep508(r)) => {
                assert!(
                    r.to_string().contains("%24%7BHOME%7D") || r.to_string().contains("%24{HOME}"),
                    "{r}"
                );
            }
            other => panic!("{other:?}"),
        }
        assert!(classify("foo[ a_ , b]").is_err());
        assert!(classify("1.\u{ff10}").is_err());
        assert!(classify("foo ; os_name == 'a'\u{e9}x").is_err());
        assert!(classify("foo ; os_name == '\u{e9}'").is_ok());
        assert!(classify("foo ; os_name == 'a b'c'\u{e9}'").is_err());
        assert!(matches!(
            classify_editable("https://x/y.tar.gz", &mut Memo::default()),
            Err(FormError::NotEditable(_))
        ));
        assert!(matches!(
            classify_editable("git+https://x/y", &mut Memo::default()),
            Err(FormError::EditableName(_))
        ));
    }
}
