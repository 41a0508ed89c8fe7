//! Versions, specifiers, requirements and markers:
//! [PEP 440](https://packaging.python.org/en/latest/specifications/version-specifiers/) and
//! [PEP 508](https://packaging.python.org/en/latest/specifications/dependency-specifiers/).
//!
//! These are the types of [`pep440_rs`] and [`pep508_rs`], re-exported so that users of this
//! crate never have to match those crates' versions by hand. Both are complete implementations
//! of their specifications; this module adds only what the packaging formats around them need.
//!
//! # Examples
//!
//! ```
//! use pypackaging::version::{Requirement, Version, VersionSpecifiers};
//!
//! let version: Version = "1.0.0RC1".parse()?;
//! assert_eq!(version.to_string(), "1.0.0rc1");
//! let specifiers: VersionSpecifiers = ">=1.0.0rc1, <2".parse()?;
//! assert!(specifiers.contains(&version));
//!
//! let requirement: Requirement = "Requests[Security] >= 2.8.1 ; python_version < '3.13'".parse()?;
//! assert_eq!(requirement.name.as_ref(), "requests");
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

pub use pep440_rs::{
    LocalSegment, Operator, Prerelease, PrereleaseKind, Version, VersionParseError,
    VersionSpecifier, VersionSpecifiers, VersionSpecifiersParseError,
};
pub use pep508_rs::{
    MarkerEnvironment, MarkerTree, Pep508Error, Requirement, VerbatimUrl, VersionOrUrl,
};

use std::borrow::Cow;
use std::collections::HashMap;
use std::str::FromStr;

use crate::diagnostic::Quoted;

mod sortable;

pub use sortable::{SortableVersion, VersionKey, sort_by_version};

/// Why a PEP 508 requirement could not be parsed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("invalid requirement `{}`: {message}", Quoted(text))]
#[non_exhaustive]
pub struct RequirementError {
    /// The requirement as given.
    pub text: String,
    /// What is wrong with it: `pep508_rs`'s message, or this crate's for the inputs it screens.
    pub message: String,
    /// The 1-based column (in characters) where `pep508_rs` found the problem, when it said.
    pub column: Option<usize>,
}

/// Whether Python's `str.strip()` (and the `\s` of packaging's version pattern) counts `c` as
/// whitespace: Unicode `White_Space`, and the four information separators U+001C to U+001F,
/// which Python's `str.isspace()` also takes.
pub fn is_python_space(c: char) -> bool {
    c.is_whitespace() || ('\u{1c}'..='\u{1f}').contains(&c)
}

/// A version as packaging's `Version(text)` reads it: the surrounding whitespace Python strips
/// (a no-break space, an em space, U+001C; not a zero-width space or a byte order mark) is
/// ignored, then PEP 440 applies (`pep440_rs`). Use this rather than `Version::from_str` on
/// text from outside (metadata, filenames, pages), which trims ASCII whitespace only.
///
/// ```
/// use pypackaging::version::parse_version;
///
/// assert_eq!(parse_version("\u{a0}1.0rc1\u{2003}")?.to_string(), "1.0rc1");
/// assert!(parse_version("\u{200b}1.0").is_err());
/// # Ok::<(), pypackaging::version::VersionParseError>(())
/// ```
///
/// # Errors
///
/// Not a PEP 440 version once stripped.
pub fn parse_version(text: &str) -> Result<Version, VersionParseError> {
    Version::from_str(text.trim_matches(is_python_space))
}

/// Parses a [PEP 508](https://packaging.python.org/en/latest/specifications/dependency-specifiers/)
/// requirement with `pep508_rs`, as every parser in this crate does.
///
/// Use this rather than `Requirement::from_str` directly, for two reasons:
///
/// - `pep508_rs` 0.9.2 panics on some invalid input: a name or an extra that ends in `.`, `-`
///   or `_` before more text (`foo. ==1`, `foo[socks.]`), and non-ASCII text in a marker outside
///   a quoted string (it counts characters as bytes). Such input is invalid PEP 508; here it is
///   an error, found by fuzzing (`fuzz/regressions/`).
/// - `pep508_rs` expands `${NAME}` in the URL of `name @ url` from the process environment.
///   This crate reads no environment: `$` in such a URL is percent-encoded before `pep508_rs`
///   sees it, so the URL is kept as written.
///
/// # Errors
///
/// [`RequirementError`] with the text and what is wrong.
///
/// # Examples
///
/// ```
/// use pypackaging::version::{VersionOrUrl, parse_requirement};
///
/// let r = parse_requirement("Requests[Security]>=2.8.1; python_version<'3.13'")?;
/// assert_eq!(r.name.as_ref(), "requests");
/// let r = parse_requirement("foo @ https://example.com/${VERSION}/foo.whl")?;
/// let Some(VersionOrUrl::Url(url)) = &r.version_or_url else { unreachable!() };
/// assert_eq!(url.given(), Some("https://example.com/${VERSION}/foo.whl"));
/// assert_eq!(
///     parse_requirement("foo. ==1").unwrap_err().to_string(),
///     "invalid requirement `foo. ==1`: package name `foo.` must end with a letter or digit"
/// );
/// # Ok::<(), pypackaging::version::RequirementError>(())
/// ```
pub fn parse_requirement(text: &str) -> Result<Requirement, RequirementError> {
    let error = |message: String| RequirementError {
        text: text.to_owned(),
        message,
        column: None,
    };
    let is_name_char = |c: char| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_');
    let start = text.len() - text.trim_start().len();
    let name_end = text[start..]
        .find(|c: char| !is_name_char(c))
        .map_or(text.len(), |i| start + i);
    let name = &text[start..name_end];
    if name.ends_with(['.', '-', '_']) && name_end < text.len() {
        return Err(error(format!(
            "package name `{name}` must end with a letter or digit"
        )));
    }
    let rest = text[name_end..].trim_start();
    if let Some(extras) = rest.strip_prefix('[') {
        let extras = &extras[..extras.find(']').unwrap_or(extras.len())];
        for extra in extras.split(',') {
            let extra = extra.trim_start();
            let run = &extra[..extra
                .find(|c: char| !is_name_char(c))
                .unwrap_or(extra.len())];
            if run.ends_with(['.', '-', '_']) {
                return Err(error(format!(
                    "extra name `{run}` must end with a letter or digit"
                )));
            }
        }
    }
    if let Some(marker) = marker_text(text)
        && let Some(message) = marker_trap(marker)
    {
        return Err(error(format!("{message} in the marker")));
    }
    let mut escaped_url = None;
    let for_parser = match text.find('@') {
        // The `@` of a URL comes before the marker; an `@` after a `;` is the marker's text.
        Some(at) if !text[..at].contains(';') && text[at..].contains("${") => {
            let url_start = at + 1 + (text[at + 1..].len() - text[at + 1..].trim_start().len());
            let url_end = text[url_start..]
                .find(char::is_whitespace)
                .map_or(text.len(), |i| url_start + i);
            escaped_url = Some(&text[url_start..url_end]);
            Cow::Owned(format!(
                "{}{}{}",
                &text[..url_start],
                text[url_start..url_end].replace('$', "%24"),
                &text[url_end..]
            ))
        }
        _ => Cow::Borrowed(text),
    };
    // Only the message: `Pep508Error`'s `Display` draws a caret under the input, and panics on
    // some non-ASCII input doing so.
    let mut requirement = Requirement::<VerbatimUrl>::from_str(&for_parser)
        .map_err(|e| error(e.message.to_string()))?;
    // Keep the URL as written in `given`, as pep508_rs does when it expands nothing.
    if let (Some(given), Some(VersionOrUrl::Url(url))) =
        (escaped_url, &mut requirement.version_or_url)
    {
        *url = url.clone().with_given(given);
    }
    Ok(requirement)
}

/// The requirement markers already parsed, for reading many requirements: the lines of one
/// requirements file, or the `Requires-Dist` fields of many METADATA files
/// ([`CoreMetadata::parse_with`](crate::CoreMetadata::parse_with)).
///
/// Real files repeat a few markers over and over (`extra == "docs"`,
/// `python_version < "3.11"`, `sys_platform == "win32"`), and `pep508_rs`'s marker parser (its
/// parse, then its global interner) is by far the costliest step of such a requirement. A
/// marker's text always gives the same [`MarkerTree`], so the cache only saves work: what is
/// accepted, refused and returned is the same with it or without it. It holds at most
/// [`MarkerCache::CAPACITY`] markers (the first ones met; later ones are parsed every time),
/// so its memory stays bounded however many files it serves.
///
/// ```
/// use pypackaging::CoreMetadata;
/// use pypackaging::version::MarkerCache;
///
/// let mut cache = MarkerCache::new();
/// for name in ["a", "b"] {
///     let text = format!(
///         "Metadata-Version: 2.1\nName: {name}\nVersion: 1.0\n\
///          Requires-Dist: furo; extra == \"docs\"\n"
///     );
///     let metadata = CoreMetadata::parse_with(text.as_bytes(), &mut cache).unwrap();
///     assert_eq!(metadata.requires_dist[0].to_string(), "furo ; extra == 'docs'");
/// }
/// assert_eq!(cache.len(), 1);
/// ```
#[derive(Debug, Default, Clone)]
pub struct MarkerCache {
    markers: HashMap<Box<str>, MarkerTree>,
}

impl MarkerCache {
    /// The most markers a cache remembers.
    pub const CAPACITY: usize = 4096;

    /// An empty cache.
    pub fn new() -> MarkerCache {
        MarkerCache::default()
    }

    /// How many markers the cache holds.
    pub fn len(&self) -> usize {
        self.markers.len()
    }

    /// Whether the cache holds no marker.
    pub fn is_empty(&self) -> bool {
        self.markers.is_empty()
    }

    fn marker(&mut self, text: &str) -> Option<MarkerTree> {
        if let Some(marker) = self.markers.get(text) {
            return Some(marker.clone());
        }
        let marker = MarkerTree::from_str(text).ok()?;
        if self.markers.len() < Self::CAPACITY {
            self.markers.insert(text.into(), marker.clone());
        }
        Some(marker)
    }
}

/// [`parse_requirement`], reading the ASCII forms by name through [`fast_pep508`] and remembering
/// markers in `memo`: the same requirement or error, faster for files of many requirements.
pub(crate) fn parse_requirement_memo(
    text: &str,
    memo: &mut MarkerCache,
) -> Result<Requirement, RequirementError> {
    match fast_pep508(text, memo, true) {
        Some(requirement) => Ok(requirement),
        None => parse_requirement(text),
    }
}

/// The bytes of the specifiers [`plain_pep508`] reads: ASCII letters and digits, operators,
/// `.*+-_`, commas, spaces and tabs.
static SPECIFIER_BYTE: [bool; 256] = byte_table!(|c| c.is_ascii_alphanumeric()
    || matches!(
        c,
        b'<' | b'=' | b'>' | b'~' | b'!' | b'.' | b'*' | b'+' | b'-' | b'_' | b',' | b' ' | b'\t'
    ));

/// The requirement [`parse_requirement`] returns for the form nearly every line of a lock file
/// has, `name<op>version[,<op>version...][;marker]` (ASCII, no extras, URL or parentheses),
/// built from the same pieces `pep508_rs` builds it from (the name; each comma-separated
/// specifier as `VersionSpecifier::from_str` reads it; the marker as `MarkerTree::from_str` reads
/// it) without its character-by-character scanner. `None` for any other text, and for text one of
/// the pieces rejects: those go through [`parse_requirement`], which reports the error.
pub(crate) fn plain_pep508(text: &str, memo: &mut MarkerCache) -> Option<Requirement> {
    fast_pep508(text, memo, false)
}

/// [`plain_pep508`], or with `named` also the other ASCII forms of a requirement by name that
/// METADATA files are made of: a bare name (`furo ; extra == "docs"`), extras (`attrs[tests]`)
/// and specifiers in parentheses (`idna (<4,>=2.5)`), each read as `pep508_rs` reads it (its
/// `parse_pep508_requirement`: whitespace around each part, extras as `[a, b]` with no trailing
/// comma, the text inside parentheses split at commas). A bare name that looks like an archive
/// (`foo.tar.gz`), which `pep508_rs` refuses, and URLs are left to [`parse_requirement`].
fn fast_pep508(text: &str, memo: &mut MarkerCache, named: bool) -> Option<Requirement> {
    let fast = read_pep508(text, memo, named);
    // Debug builds (the tests, the fuzzers) check every fast result against pep508_rs.
    #[cfg(debug_assertions)]
    if let Some(fast) = &fast {
        let slow = parse_requirement(text).map(|r| format!("{r:?}"));
        assert_eq!(Ok(format!("{fast:?}")), slow, "fast path on {text:?}");
    }
    fast
}

/// The reader behind [`fast_pep508`].
fn read_pep508(text: &str, memo: &mut MarkerCache, named: bool) -> Option<Requirement> {
    const NAME: fn(u8) -> bool = |b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'-' | b'_');
    let bytes = text.as_bytes();
    let is_space = |b: &u8| matches!(b, b' ' | b'\t');
    let skip_spaces = |i: usize| i + bytes[i..].iter().take_while(|b| is_space(b)).count();
    let start = skip_spaces(0);
    let name_len = bytes[start..].iter().take_while(|&&b| NAME(b)).count();
    let name = &text[start..start + name_len];
    if !name.starts_with(|c: char| c.is_ascii_alphanumeric())
        || !name.ends_with(|c: char| c.is_ascii_alphanumeric())
    {
        return None;
    }
    let mut i = skip_spaces(start + name_len);
    let mut extras = Vec::new();
    if named && bytes.get(i) == Some(&b'[') {
        i = skip_spaces(i + 1);
        if bytes.get(i) == Some(&b']') {
            i += 1;
        } else {
            loop {
                let len = bytes[i..].iter().take_while(|&&b| NAME(b)).count();
                let extra = &text[i..i + len];
                if !extra.starts_with(|c: char| c.is_ascii_alphanumeric())
                    || !matches!(bytes.get(i + len), Some(b',' | b']' | b' ' | b'\t'))
                {
                    return None;
                }
                extras.push(pep508_rs::ExtraName::new(extra.to_owned()).ok()?);
                i = skip_spaces(i + len);
                match bytes.get(i) {
                    Some(b',') => i = skip_spaces(i + 1),
                    Some(b']') => break i += 1,
                    _ => return None,
                }
            }
        }
        i = skip_spaces(i);
    }
    // The specifiers, and where the text after them starts.
    let (specifiers, end) = match bytes.get(i) {
        Some(b'<' | b'=' | b'>' | b'~' | b'!') => {
            let end = memchr::memchr(b';', &bytes[i..]).map_or(bytes.len(), |at| i + at);
            (Some(&text[i..end]), end)
        }
        Some(b'(') if named => {
            let open = skip_spaces(i + 1);
            let close = open + memchr::memchr(b')', &bytes[open..])?;
            (Some(&text[open..close]), skip_spaces(close + 1))
        }
        None | Some(b';') if named => {
            if name.contains('.') && looks_like_archive(name) {
                return None;
            }
            (None, i)
        }
        _ => return None,
    };
    let marker = match bytes.get(end) {
        None => MarkerTree::default(),
        Some(b';') => match &text[end + 1..] {
            marker if marker.is_ascii() && !marker.trim().is_empty() => memo.marker(marker)?,
            _ => return None,
        },
        Some(_) => return None,
    };
    let version_or_url = match specifiers {
        None => None,
        Some(specifiers) => {
            if !specifiers.bytes().all(|b| SPECIFIER_BYTE[usize::from(b)]) {
                return None;
            }
            Some(VersionOrUrl::VersionSpecifier(
                if specifiers.as_bytes().contains(&b',') {
                    specifiers
                        .split(',')
                        .map(|s| VersionSpecifier::from_str(s).ok())
                        .collect::<Option<VersionSpecifiers>>()?
                } else {
                    // What collecting one specifier gives, without the collecting.
                    VersionSpecifiers::from(VersionSpecifier::from_str(specifiers).ok()?)
                },
            ))
        }
    };
    Some(Requirement {
        name: pep508_rs::PackageName::new(name.to_owned()).ok()?,
        extras,
        version_or_url,
        marker,
        origin: None,
    })
}

/// Whether a bare requirement name ends like an archive file, which `pep508_rs` refuses as a
/// name (its `looks_like_archive`: `.whl`, `.zip`, `.tar`, `.tgz`, ..., `.tar.gz`, `.tar.bz2`,
/// ..., case-sensitively).
fn looks_like_archive(name: &str) -> bool {
    let Some((stem, extension)) = name.rsplit_once('.') else {
        return false;
    };
    let pre_extension = stem.rsplit_once('.').map(|(_, pre)| pre);
    matches!(
        (pre_extension, extension),
        (_, "whl" | "tbz" | "txz" | "tlz" | "zip" | "tgz" | "tar")
            | (Some("tar"), "bz2" | "xz" | "lz" | "lzma" | "gz")
    )
}

/// The text after the `;` that starts a requirement's marker, as pep508_rs finds it: the first
/// `;`, or after an `@` (a URL, which may hold `;`) the first `;` that follows whitespace.
fn marker_text(text: &str) -> Option<&str> {
    let semicolon = text.find(';')?;
    match text[..semicolon].find('@') {
        None => Some(&text[semicolon + 1..]),
        Some(at) => {
            let url = &text[at..];
            let mut previous = '@';
            for (i, c) in url.char_indices() {
                if c == ';' && previous.is_whitespace() {
                    return Some(&url[i + 1..]);
                }
                previous = c;
            }
            None
        }
    }
}

/// Why pep508_rs 0.9.2 could panic on this marker text, as an error message, or `None`. Two
/// traps, both with non-ASCII text, and both refused before it sees them (valid markers have
/// neither: PEP 508 writes variables, operators and `and`/`or` in ASCII, and closes its quotes):
/// - a non-ASCII character outside quotes, or in the whitespace-free run that follows a closing
///   quote (where it looks for `and`/`or`, counting characters as bytes);
/// - a quoted string left open that holds a non-ASCII character (it slices its end by bytes).
pub(crate) fn marker_trap(marker: &str) -> Option<String> {
    // Both traps need a non-ASCII character: ASCII text (nearly every marker) has none.
    if marker.is_ascii() {
        return None;
    }
    let outside = |c: char| {
        Some(format!(
            "unexpected character {c:?} outside a quoted string"
        ))
    };
    let mut quote = None;
    let mut inside_non_ascii = None;
    let mut after_close = false;
    for c in marker.chars() {
        if c.is_whitespace() {
            after_close = false;
        } else if after_close && !c.is_ascii() {
            return outside(c);
        }
        match quote {
            Some(q) if c == q => {
                quote = None;
                inside_non_ascii = None;
                after_close = true;
            }
            Some(_) if !c.is_ascii() => inside_non_ascii = inside_non_ascii.or(Some(c)),
            Some(_) => {}
            None if c == '\'' || c == '"' => quote = Some(c),
            None if !c.is_ascii() => return outside(c),
            None => {}
        }
    }
    if let Some(c) = inside_non_ascii {
        return Some(format!("unterminated quoted string holding {c:?}"));
    }
    // Other byte-counting slips of pep508_rs hide in its error paths: read a copy with every
    // non-ASCII character (all inside quotes by now) replaced by `?` first, which has the same
    // structure and cannot make it slice inside a character; only a marker whose copy reads is
    // given to it as written.
    let ascii: String = marker
        .chars()
        .map(|c| if c.is_ascii() { c } else { '?' })
        .collect();
    match MarkerTree::from_str(&ascii) {
        Ok(_) => None,
        Err(e) => Some(format!("{} (non-ASCII characters shown as `?`)", e.message)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dollar_braces_in_a_marker_are_kept() {
        // Found by the fuzzer through the debug check of the fast path: the `${` escaping
        // meant for URLs once changed a marker's quoted value.
        let text = "baz ; os_name == 'a@b:${TOKEN}'";
        let r = parse_requirement(text).unwrap();
        assert_eq!(
            r.marker.try_to_string().as_deref(),
            Some("os_name == 'a@b:${TOKEN}'")
        );
        let r =
            parse_requirement("foo @ https://x.example/${V}/a.whl ; os_name == '${V}'").unwrap();
        assert_eq!(
            r.marker.try_to_string().as_deref(),
            Some("os_name == '${V}'")
        );
        let Some(VersionOrUrl::Url(url)) = &r.version_or_url else {
            panic!("a URL requirement")
        };
        assert_eq!(url.given(), Some("https://x.example/${V}/a.whl"));
    }

    #[test]
    fn marker_text_after_a_url() {
        assert_eq!(
            marker_text("foo; os_name == 'nt'"),
            Some(" os_name == 'nt'")
        );
        assert_eq!(marker_text("foo"), None);
        assert_eq!(
            marker_text("foo @ https://x/a;b/é.whl ; os_name == 'nt'"),
            Some(" os_name == 'nt'")
        );
        assert_eq!(marker_text("foo @ https://x/a;b/é.whl"), None);
        assert_eq!(marker_text("foo ; extra == 'a@b'"), Some(" extra == 'a@b'"));
        // A `;` in the URL does not start the marker; pep508_rs reads it as the URL's.
        let r = parse_requirement("foo @ https://x.example/a;b/é.whl ; os_name == 'nt'").unwrap();
        assert_eq!(r.marker.try_to_string().as_deref(), Some("os_name == 'nt'"));
        assert!(parse_requirement("foo @ https://x.example/a.whl ; é == 'x'").is_err());
    }

    #[test]
    fn marker_traps() {
        assert_eq!(marker_trap("python_version >= '3.8'"), None);
        assert_eq!(marker_trap("platform_release == 'é'"), None);
        assert_eq!(
            marker_trap("python_version >= '3' 'omh\u{ff}x"),
            Some("unterminated quoted string holding 'ÿ'".to_owned())
        );
        assert_eq!(
            marker_trap("os_name == 'a'é"),
            Some("unexpected character 'é' outside a quoted string".to_owned())
        );
        assert_eq!(
            marker_trap("é == 'a'"),
            Some("unexpected character 'é' outside a quoted string".to_owned())
        );
    }

    /// What the widened fast path reads is exactly what `pep508_rs` reads.
    fn assert_fast_agrees(text: &str) -> bool {
        let mut memo = MarkerCache::default();
        let Some(fast) = fast_pep508(text, &mut memo, true) else {
            return false;
        };
        let slow = parse_requirement(text).unwrap_or_else(|e| panic!("{text:?}: {e}"));
        assert_eq!(format!("{fast:?}"), format!("{slow:?}"), "{text:?}");
        assert_eq!(fast.to_string(), slow.to_string(), "{text:?}");
        true
    }

    #[test]
    fn fast_requirements_by_name_as_pep508_rs() {
        let read = [
            "furo ; extra == 'docs'",
            "importlib-metadata; python_version < '3.8'",
            "attrs[tests]; extra == 'cov'",
            "attrs[docs,tests]; extra == 'dev'",
            " attrs [ docs , tests ] >=1.0 ; extra == 'dev' ",
            "coverage[toml]>=5.3; extra == 'cov'",
            "charset-normalizer (<4,>=2)",
            "idna ( <4, >=2.5 ) ;python_version>'3'",
            "x[]",
            "zope.interface",
            "foo.tar.gzip",
        ];
        for text in read {
            assert!(
                assert_fast_agrees(text),
                "{text:?} not read by the fast path"
            );
        }
        let left = [
            "foo.tar.gz",
            "foo.tar",
            "foo.whl ; extra == 'x'",
            "attrs[tests,]",
            "attrs[,tests]",
            "attrs[te sts]",
            "attrs[tests",
            "foo (>=1",
            "foo (>=1) x",
            "foo ()",
            "foo @ https://x/y.whl",
            "foo ; ",
            "foo ; é == 'x'",
            "foo\u{a0}",
            "-foo",
            "foo-",
        ];
        for text in left {
            assert!(!assert_fast_agrees(text), "{text:?} read by the fast path");
        }
    }

    #[test]
    fn fast_requirements_by_name_as_pep508_rs_generated() {
        use proptest::prelude::*;
        let text = proptest::string::string_regex(
            "[ \\t]{0,2}[A-Za-z0-9._-]{1,8}(\\.tar\\.gz|\\.whl|\\.zip|\\.tar)?[ \\t]{0,2}(\\[[ \\t]?([A-Za-z0-9._-]{0,5}[ \\t]?,?[ \\t]?){0,3}\\]?)?[ \\t]{0,2}(\\(?[ \\t]?((==|>=|<=|~=|!=|<|>|===)[ \\t]?[0-9a-z.*+!]{0,8}[ \\t]?,?){0,3}\\)?)?[ \\t]?([ ]?;[ ]?(python_version|extra|bogus)?[ ]?(==|<|in|and)?[ ]?('[a-z0-9.]{0,4}')?)?[ \\t]?",
        )
        .unwrap();
        let read = std::cell::Cell::new(0);
        proptest!(proptest::test_runner::Config::with_cases(4000), |(text in text)| {
            read.set(read.get() + usize::from(assert_fast_agrees(&text)));
        });
        assert!(
            read.get() > 100,
            "{} of 4000 read by the fast path",
            read.get()
        );
    }
}
