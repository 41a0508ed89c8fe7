//! Rendering PEP 691 pages.

use std::fmt;
use std::io;

use crate::simple::{
    CoreMetadata, File, Hashes, Meta, ProjectList, ProjectPage, RenderOptions, Yanked,
};

/// Writes `s` as a JSON string.
pub(super) fn string<W: fmt::Write + ?Sized>(out: &mut W, s: &str) -> fmt::Result {
    out.write_str("\"")?;
    string_body(out, s)?;
    out.write_str("\"")
}

/// Flags the bytes of a word a JSON string cannot hold as they are (see [`find_first`]).
///
/// [`find_first`]: crate::bytes::find_first
pub(super) fn json_mask(w: u64) -> u64 {
    use crate::bytes::{byte_mask, less_mask};
    less_mask(w, 0x20) | byte_mask(w, b'"') | byte_mask(w, b'\\')
}

/// A byte a JSON string cannot hold as it is.
pub(super) fn json_special(b: u8) -> bool {
    b < 0x20 || b == b'"' || b == b'\\'
}

/// Writes the inside of a JSON string: `s` escaped, without the quotes.
pub(super) fn string_body<W: fmt::Write + ?Sized>(out: &mut W, s: &str) -> fmt::Result {
    let bytes = s.as_bytes();
    let mut start = 0;
    while let Some(i) = crate::bytes::find_first_short(bytes, start, json_mask, json_special) {
        out.write_str(&s[start..i])?;
        let b = bytes[i];
        match b {
            b'"' => out.write_str("\\\"")?,
            b'\\' => out.write_str("\\\\")?,
            b'\n' => out.write_str("\\n")?,
            b'\r' => out.write_str("\\r")?,
            b'\t' => out.write_str("\\t")?,
            _ => write!(out, "\\u{b:04x}")?,
        }
        start = i + 1;
    }
    out.write_str(&s[start..])
}

/// Writes `n` in decimal, without going through `fmt`.
pub(super) fn decimal(out: &mut impl fmt::Write, mut n: u64) -> fmt::Result {
    let mut buf = [0u8; 20];
    let mut at = buf.len();
    loop {
        at -= 1;
        buf[at] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    out.write_str(std::str::from_utf8(&buf[at..]).map_err(|_| fmt::Error)?)
}

pub(super) fn key(out: &mut impl fmt::Write, k: &str) -> fmt::Result {
    out.write_str(",\"")?;
    out.write_str(k)?;
    out.write_str("\":")
}

pub(super) fn string_list(out: &mut impl fmt::Write, items: &[String]) -> fmt::Result {
    out.write_char('[')?;
    for (i, item) in items.iter().enumerate() {
        if i > 0 {
            out.write_char(',')?;
        }
        string(out, item)?;
    }
    out.write_char(']')
}

pub(super) fn hashes<W: fmt::Write + ?Sized>(out: &mut W, h: &Hashes) -> fmt::Result {
    out.write_char('{')?;
    let mut first = true;
    let mut sep = |out: &mut W| {
        let r = if first { Ok(()) } else { out.write_char(',') };
        first = false;
        r
    };
    for d in &h.digests {
        sep(out)?;
        out.write_char('"')?;
        out.write_str(d.algorithm().as_str())?;
        out.write_str("\":\"")?;
        crate::hash::write_hex(out, d.as_bytes())?;
        out.write_char('"')?;
    }
    for (name, value) in &h.unparsed {
        sep(out)?;
        string(out, name)?;
        out.write_char(':')?;
        string(out, value)?;
    }
    out.write_char('}')
}

pub(super) fn meta(out: &mut impl fmt::Write, meta: &Meta) -> fmt::Result {
    write!(
        out,
        "{{\"meta\":{{\"api-version\":\"{}\"",
        meta.render_version()
    )?;
    if let Some(serial) = &meta.last_serial {
        key(out, "_last-serial")?;
        if !serial.is_empty()
            && serial.len() < 19
            && serial.bytes().all(|b| b.is_ascii_digit())
            && !(serial.len() > 1 && serial.starts_with('0'))
        {
            out.write_str(serial)?;
        } else {
            string(out, serial)?;
        }
    }
    if !meta.tracks.is_empty() {
        key(out, "tracks")?;
        string_list(out, &meta.tracks)?;
    }
    out.write_char('}')
}

/// Writes `"` + `s` escaped + `"` after `prefix` (a key and its colon: one write for the
/// constant part).
pub(super) fn keyed_string(out: &mut impl fmt::Write, prefix: &str, s: &str) -> fmt::Result {
    out.write_str(prefix)?;
    string_body(out, s)?;
    out.write_char('"')
}

pub(super) fn file(out: &mut impl fmt::Write, file: &File, options: &RenderOptions) -> fmt::Result {
    keyed_string(out, "{\"filename\":\"", &file.filename)?;
    keyed_string(out, ",\"url\":\"", &options.link(&file.url))?;
    out.write_str(",\"hashes\":")?;
    hashes(out, &file.hashes)?;
    if let Some(rp) = &file.requires_python {
        keyed_string(out, ",\"requires-python\":\"", rp)?;
    }
    match &file.yanked {
        Yanked::No => out.write_str(",\"yanked\":false")?,
        Yanked::Yanked(None) => out.write_str(",\"yanked\":true")?,
        Yanked::Yanked(Some(reason)) => keyed_string(out, ",\"yanked\":\"", reason)?,
    }
    if file.core_metadata != CoreMetadata::Absent {
        for name in [",\"core-metadata\":", ",\"dist-info-metadata\":"] {
            out.write_str(name)?;
            match &file.core_metadata {
                CoreMetadata::Absent => {}
                CoreMetadata::Unavailable => out.write_str("false")?,
                CoreMetadata::Available(h) if h.is_empty() => out.write_str("true")?,
                CoreMetadata::Available(h) => hashes(out, h)?,
            }
        }
    }
    if let Some(sig) = file.gpg_sig {
        out.write_str(if sig {
            ",\"gpg-sig\":true"
        } else {
            ",\"gpg-sig\":false"
        })?;
    }
    if let Some(size) = file.size {
        out.write_str(",\"size\":")?;
        decimal(out, size)?;
    }
    if let Some(t) = &file.upload_time {
        keyed_string(out, ",\"upload-time\":\"", t)?;
    }
    if let Some(p) = &file.provenance {
        keyed_string(out, ",\"provenance\":\"", &options.link(p))?;
    }
    out.write_char('}')
}

/// Writes a project page as PEP 691 JSON at the API version its model carries
/// ([`Meta::render_version`]: [`ApiVersion::LATEST`](crate::simple::ApiVersion::LATEST) unless the model holds an older 1.x one).
///
/// # Examples
///
/// ```
/// use pypackaging::simple::{File, ProjectPage, RenderOptions, json};
///
/// let mut page = ProjectPage { name: "demo".into(), ..ProjectPage::default() };
/// page.files.push(File::new("demo-1.0.tar.gz", "https://files.example/demo-1.0.tar.gz"));
/// let mut out = String::new();
/// json::write_project_page(&mut out, &page, &RenderOptions::absolute())?;
/// assert_eq!(
///     out,
///     r#"{"meta":{"api-version":"1.4"},"name":"demo","files":[{"filename":"demo-1.0.tar.gz","url":"https://files.example/demo-1.0.tar.gz","hashes":{},"yanked":false}]}"#
/// );
/// # Ok::<(), std::fmt::Error>(())
/// ```
pub fn write_project_page(
    out: &mut impl fmt::Write,
    page: &ProjectPage,
    options: &RenderOptions,
) -> fmt::Result {
    meta(out, &page.meta)?;
    key(out, "name")?;
    string(out, &page.name)?;
    key(out, "files")?;
    out.write_char('[')?;
    for (i, f) in page.files.iter().enumerate() {
        if i > 0 {
            out.write_char(',')?;
        }
        file(out, f, options)?;
    }
    out.write_char(']')?;
    if let Some(versions) = &page.versions {
        key(out, "versions")?;
        string_list(out, versions)?;
    }
    // A status with neither marker nor reason says nothing (and reads back as no status).
    if let Some(status) = page
        .status
        .as_ref()
        .filter(|s| s.status.is_some() || s.reason.is_some())
    {
        key(out, "project-status")?;
        out.write_char('{')?;
        let mut first = true;
        if let Some(marker) = &status.status {
            out.write_str("\"status\":")?;
            string(out, marker.as_str())?;
            first = false;
        }
        if let Some(reason) = &status.reason {
            if !first {
                out.write_char(',')?;
            }
            out.write_str("\"reason\":")?;
            string(out, reason)?;
        }
        out.write_char('}')?;
    }
    if !page.alternate_locations.is_empty() {
        key(out, "alternate-locations")?;
        string_list(out, &page.alternate_locations)?;
    }
    out.write_char('}')
}

/// Writes a root page as PEP 691 JSON: `{"meta": …, "projects": [{"name": …}, …]}`, names as
/// written (entry URLs are an HTML matter and are not written).
pub fn write_project_list(out: &mut impl fmt::Write, list: &ProjectList) -> fmt::Result {
    meta(out, &list.meta)?;
    out.write_str(",\"projects\":[")?;
    for (i, entry) in list.projects.iter().enumerate() {
        out.write_str(if i == 0 {
            "{\"name\":\""
        } else {
            ",{\"name\":\""
        })?;
        string_body(out, &entry.name)?;
        out.write_str("\"}")?;
    }
    out.write_str("]}")
}

/// [`write_project_page`] into an [`io::Write`].
///
/// # Errors
///
/// The writer's error.
pub fn write_project_page_io(
    out: impl io::Write,
    page: &ProjectPage,
    options: &RenderOptions,
) -> io::Result<()> {
    crate::simple::render_io(out, |w| write_project_page(w, page, options))
}

/// [`write_project_list`] into an [`io::Write`].
///
/// # Errors
///
/// The writer's error.
pub fn write_project_list_io(out: impl io::Write, list: &ProjectList) -> io::Result<()> {
    crate::simple::render_io(out, |w| write_project_list(w, list))
}
