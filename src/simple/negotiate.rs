//! Serving helpers: [PEP 691 content negotiation](https://peps.python.org/pep-0691/#version-format-selection)
//! and [project URL normalization](https://peps.python.org/pep-0503/#normalized-names).
//!
//! Neither does I/O: a server passes in the request's `Accept` header or path and gets back
//! what to answer.
//!
//! # Negotiation
//!
//! [`negotiate`] reads an `Accept` header (RFC 9110 §12.5.1): media ranges separated by commas,
//! each with optional parameters, `q` among them (0 to 1, at most three decimals). Each format
//! this crate serves takes the `q` of the most specific range that matches it (`type/subtype`
//! over `type/*` over `*/*`); the highest `q` above 0 wins, and ties go to the server's order,
//! JSON first, then HTML v1, then `text/html`, as in PEP 691's example. The
//! `application/vnd.pypi.simple.latest+json` and `latest+html` aliases match v1. A range whose
//! `q` does not parse is ignored. No header, or an empty one, gets `text/html`, which is what
//! every client that predates PEP 691 expects and what PyPI answers.

use std::fmt;

use crate::diagnostic::Quoted;
use crate::name;

/// A format a simple index can answer with.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Format {
    /// `application/vnd.pypi.simple.v1+json` (PEP 691).
    JsonV1,
    /// `application/vnd.pypi.simple.v1+html` (PEP 691's name for PEP 503 HTML).
    HtmlV1,
    /// `text/html` (PEP 503 HTML, for clients that predate PEP 691).
    TextHtml,
}

impl Format {
    /// Every format, in the server's order of preference.
    pub const ALL: [Format; 3] = [Format::JsonV1, Format::HtmlV1, Format::TextHtml];

    /// The media type, which is also the response `Content-Type` (the bodies are UTF-8).
    pub const fn content_type(self) -> &'static str {
        match self {
            Format::JsonV1 => "application/vnd.pypi.simple.v1+json",
            Format::HtmlV1 => "application/vnd.pypi.simple.v1+html",
            Format::TextHtml => "text/html",
        }
    }

    /// Whether the body is HTML (PEP 503) rather than JSON.
    pub const fn is_html(self) -> bool {
        !matches!(self, Format::JsonV1)
    }

    /// The `latest` alias PEP 691 defines for this format, if any.
    const fn latest_alias(self) -> Option<&'static str> {
        match self {
            Format::JsonV1 => Some("application/vnd.pypi.simple.latest+json"),
            Format::HtmlV1 => Some("application/vnd.pypi.simple.latest+html"),
            Format::TextHtml => None,
        }
    }
}

impl fmt::Display for Format {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.content_type())
    }
}

/// The `Accept` header allows none of the formats: answer 406 Not Acceptable.
#[derive(Debug, Clone, PartialEq, Eq, Hash, thiserror::Error)]
#[error("none of the simple API formats is acceptable to `Accept: {}` (406)", Quoted(.accept))]
pub struct NotAcceptable {
    /// The header as given.
    pub accept: String,
}

/// How closely a media range matches: exact type, `type/*`, `*/*`.
fn specificity(range: &str, media: &str) -> Option<u8> {
    if range.eq_ignore_ascii_case(media) {
        return Some(3);
    }
    if range == "*/*" {
        return Some(1);
    }
    let (range_type, range_sub) = range.split_once('/')?;
    let (media_type, _) = media.split_once('/')?;
    (range_sub == "*" && range_type.eq_ignore_ascii_case(media_type)).then_some(2)
}

/// Parses a `q` value: `0`, `1`, `0.xyz`, `1.000`, in thousandths.
fn quality(text: &str) -> Option<u16> {
    let (int, frac) = text.split_once('.').unwrap_or((text, ""));
    if frac.len() > 3 || !frac.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let mut thousandths: u16 = 0;
    for (i, b) in frac.bytes().enumerate() {
        thousandths += u16::from(b - b'0') * [100, 10, 1][i];
    }
    match int {
        "0" => Some(thousandths),
        "1" if thousandths == 0 => Some(1000),
        _ => None,
    }
}

/// Chooses the response format for an `Accept` header (see the [module docs](self)).
///
/// # Errors
///
/// [`NotAcceptable`] when the header excludes every format: the server answers 406.
///
/// # Examples
///
/// ```
/// use pypackaging::simple::negotiate::{negotiate, Format};
///
/// // What pip sends.
/// let pip = "application/vnd.pypi.simple.v1+json, application/vnd.pypi.simple.v1+html; q=0.1, text/html; q=0.01";
/// assert_eq!(negotiate(Some(pip)), Ok(Format::JsonV1));
/// assert_eq!(negotiate(Some("text/html")), Ok(Format::TextHtml));
/// assert_eq!(negotiate(None), Ok(Format::TextHtml));
/// assert_eq!(negotiate(Some("*/*")), Ok(Format::JsonV1));
/// assert!(negotiate(Some("application/json")).is_err());
/// ```
pub fn negotiate(accept: Option<&str>) -> Result<Format, NotAcceptable> {
    let header = accept.unwrap_or("").trim();
    if header.is_empty() {
        return Ok(Format::TextHtml);
    }
    // For each format: (specificity, q) of the best-matching range so far.
    let mut best: [Option<(u8, u16)>; 3] = [None; 3];
    for range in header.split(',') {
        let mut parts = range.split(';');
        let media = parts.next().unwrap_or("").trim();
        if media.is_empty() {
            continue;
        }
        let mut q = Some(1000);
        for param in parts {
            if let Some((name, value)) = param.split_once('=')
                && name.trim().eq_ignore_ascii_case("q")
            {
                q = quality(value.trim());
            }
        }
        let Some(q) = q else { continue };
        for (slot, format) in best.iter_mut().zip(Format::ALL) {
            let exact = format
                .latest_alias()
                .filter(|alias| media.eq_ignore_ascii_case(alias))
                .map(|_| 3);
            let Some(s) = exact.or_else(|| specificity(media, format.content_type())) else {
                continue;
            };
            match slot {
                Some((old, old_q)) if *old > s || (*old == s && *old_q >= q) => {}
                _ => *slot = Some((s, q)),
            }
        }
    }
    let mut chosen: Option<(Format, u16)> = None;
    for (slot, format) in best.iter().zip(Format::ALL) {
        if let Some((_, q)) = slot
            && *q > 0
            && chosen.is_none_or(|(_, best_q)| *q > best_q)
        {
            chosen = Some((format, *q));
        }
    }
    chosen.map(|(f, _)| f).ok_or_else(|| NotAcceptable {
        accept: header.to_owned(),
    })
}

/// What to do with a request for a project page.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum ProjectPath {
    /// The path names the project in normal form, with the trailing slash: serve it.
    Canonical {
        /// The normalized project name.
        project: String,
    },
    /// The path must be redirected (301) to `location`: the name was not in normal form, or
    /// the trailing slash was missing (PEP 503 lets a server redirect both).
    Redirect {
        /// The normalized project name.
        project: String,
        /// The path to redirect to: the same prefix, the normalized name, a `/`.
        location: String,
    },
}

/// Checks the path of a request for a project page below the index root `root` (as
/// `/simple/`): `ROOT NAME /`, NAME already percent-decoded by the server. `None` when the path
/// is not below `root` or is not one segment deep (the root page itself, a file).
///
/// # Examples
///
/// ```
/// use pypackaging::simple::negotiate::{project_path, ProjectPath};
///
/// assert_eq!(
///     project_path("/simple/", "/simple/Zope.Interface"),
///     Some(ProjectPath::Redirect {
///         project: "zope-interface".into(),
///         location: "/simple/zope-interface/".into(),
///     })
/// );
/// assert_eq!(
///     project_path("/simple/", "/simple/requests/"),
///     Some(ProjectPath::Canonical { project: "requests".into() })
/// );
/// assert_eq!(project_path("/simple/", "/simple/"), None);
/// ```
pub fn project_path(root: &str, path: &str) -> Option<ProjectPath> {
    let rest = path.strip_prefix(root)?;
    let (segment, slash) = match rest.strip_suffix('/') {
        Some(s) => (s, true),
        None => (rest, false),
    };
    if segment.is_empty() || segment.contains('/') {
        return None;
    }
    let project = name::normalize(segment).into_owned();
    Some(if slash && segment == project {
        ProjectPath::Canonical { project }
    } else {
        let location = format!("{root}{project}/");
        ProjectPath::Redirect { project, location }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn q_values() {
        assert_eq!(quality("0"), Some(0));
        assert_eq!(quality("0.5"), Some(500));
        assert_eq!(quality("1.000"), Some(1000));
        assert_eq!(quality("1.5"), None);
        assert_eq!(quality("0.1234"), None);
        assert_eq!(quality("x"), None);
    }

    #[test]
    fn specific_ranges_override_wildcards() {
        assert_eq!(
            negotiate(Some("*/*, application/vnd.pypi.simple.v1+json;q=0")),
            Ok(Format::HtmlV1)
        );
        assert_eq!(
            negotiate(Some("text/*;q=0.5, application/*;q=0.4")),
            Ok(Format::TextHtml)
        );
        assert_eq!(
            negotiate(Some("application/vnd.pypi.simple.latest+html")),
            Ok(Format::HtmlV1)
        );
        assert_eq!(
            negotiate(Some("TEXT/HTML;charset=utf-8")),
            Ok(Format::TextHtml)
        );
        let err = negotiate(Some("text/html;q=0, application/json")).unwrap_err();
        insta::assert_snapshot!(err, @"none of the simple API formats is acceptable to `Accept: text/html;q=0, application/json` (406)");
    }

    #[test]
    fn paths() {
        let redirect = |p: &str, l: &str| {
            Some(ProjectPath::Redirect {
                project: p.into(),
                location: l.into(),
            })
        };
        assert_eq!(
            project_path("/simple/", "/simple/foo"),
            redirect("foo", "/simple/foo/")
        );
        assert_eq!(
            project_path("/simple/", "/simple/Foo__bar/"),
            redirect("foo-bar", "/simple/foo-bar/")
        );
        assert_eq!(project_path("/simple/", "/simple/foo//"), None);
        assert_eq!(project_path("/simple/", "/other/foo/"), None);
        assert_eq!(
            project_path("/", "/foo/"),
            Some(ProjectPath::Canonical {
                project: "foo".into()
            })
        );
    }
}
