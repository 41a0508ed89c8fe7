//! Rendering PEP 503 pages: the escaper and the two page writers.

use std::fmt;
use std::io;

use crate::simple::{
    CoreMetadata, File, Hashes, Meta, ProjectList, ProjectPage, RenderOptions, Yanked,
};

/// How each byte is written inside an attribute value or text: 0 as is, 1 as a named
/// reference, 2 as a numeric reference.
pub(super) static ESCAPE: [u8; 256] = {
    let mut table = [0u8; 256];
    let mut b = 0;
    while b < 0x20 {
        if b != b'\t' as usize && b != b'\n' as usize {
            table[b] = 2;
        }
        b += 1;
    }
    table[0x7f] = 2;
    table[b'&' as usize] = 1;
    table[b'<' as usize] = 1;
    table[b'>' as usize] = 1;
    table[b'"' as usize] = 1;
    table[b'\'' as usize] = 1;
    table
};

/// Writes `s` escaped for an HTML attribute value (double-quoted) or text: `&<>"'`, and
/// controls other than tab and newline as numeric references (NUL as U+FFFD). The review page
/// writes with it too.
pub(crate) fn escape(out: &mut impl fmt::Write, s: &str) -> fmt::Result {
    let bytes = s.as_bytes();
    let mut start = 0;
    while let Some(i) =
        crate::bytes::find_first_short(bytes, start, html_mask, |b| ESCAPE[b as usize] != 0)
    {
        out.write_str(&s[start..i])?;
        let b = bytes[i];
        match b {
            b'&' => out.write_str("&amp;")?,
            b'<' => out.write_str("&lt;")?,
            b'>' => out.write_str("&gt;")?,
            b'"' => out.write_str("&quot;")?,
            b'\'' => out.write_str("&#39;")?,
            // HTML cannot carry NUL: every parser reads `&#0;` as U+FFFD, so write that.
            0 => out.write_str("\u{fffd}")?,
            _ => write!(out, "&#{b};")?,
        }
        start = i + 1;
    }
    out.write_str(&s[start..])
}

/// Flags the bytes of `word` that [`ESCAPE`] marks (see `bytes::find_first`), and tabs and
/// newlines, which it does not (the search skips them).
pub(super) fn html_mask(word: u64) -> u64 {
    use crate::bytes::{byte_mask, less_mask};
    less_mask(word, 0x20)
        | byte_mask(word, 0x7f)
        | byte_mask(word, b'&')
        | byte_mask(word, b'<')
        | byte_mask(word, b'>')
        | byte_mask(word, b'"')
        | byte_mask(word, b'\'')
}

/// A `Display` of text escaped for HTML.
pub(super) struct Escaped<'a>(&'a str);

impl fmt::Display for Escaped<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        escape(f, self.0)
    }
}

pub(super) fn write_meta(out: &mut impl fmt::Write, name: &str, content: &str) -> fmt::Result {
    writeln!(
        out,
        "    <meta name=\"pypi:{name}\" content=\"{}\">",
        Escaped(content)
    )
}

pub(super) fn write_head(out: &mut impl fmt::Write, meta: &Meta, title: &str) -> fmt::Result {
    out.write_str("<!DOCTYPE html>\n<html>\n  <head>\n    <meta charset=\"utf-8\">\n")?;
    write_meta(
        out,
        "repository-version",
        &meta.render_version().to_string(),
    )?;
    for track in &meta.tracks {
        write_meta(out, "tracks", track)?;
    }
    writeln!(out, "    <title>{}</title>", Escaped(title))
}

pub(super) fn write_serial(out: &mut impl fmt::Write, meta: &Meta) -> fmt::Result {
    match &meta.last_serial {
        // PyPI's serials are numbers; anything else stays out of the comment.
        Some(serial) if !serial.is_empty() && serial.bytes().all(|b| b.is_ascii_digit()) => {
            writeln!(out, "<!--SERIAL {serial}-->")
        }
        _ => Ok(()),
    }
}

/// Writes a project page as PEP 503 HTML at the API version its model carries
/// ([`Meta::render_version`]: [`ApiVersion::LATEST`](crate::simple::ApiVersion::LATEST) unless the model holds an older 1.x one).
///
/// # Examples
///
/// ```
/// use pypackaging::simple::{File, ProjectPage, RenderOptions, html};
///
/// let mut page = ProjectPage { name: "demo".into(), ..ProjectPage::default() };
/// page.files.push(File::new("demo-1.0.tar.gz", "https://files.example/demo-1.0.tar.gz"));
/// let mut out = String::new();
/// html::write_project_page(&mut out, &page, &RenderOptions::absolute())?;
/// assert!(out.contains(r#"<a href="https://files.example/demo-1.0.tar.gz">demo-1.0.tar.gz</a>"#));
/// # Ok::<(), std::fmt::Error>(())
/// ```
pub fn write_project_page(
    out: &mut impl fmt::Write,
    page: &ProjectPage,
    options: &RenderOptions,
) -> fmt::Result {
    let title = format!("Links for {}", page.name);
    write_head(out, &page.meta, &title)?;
    if let Some(status) = &page.status {
        if let Some(marker) = &status.status {
            write_meta(out, "project-status", marker.as_str())?;
        }
        if let Some(reason) = &status.reason {
            write_meta(out, "project-status-reason", reason)?;
        }
    }
    for location in &page.alternate_locations {
        write_meta(out, "alternate-locations", location)?;
    }
    write!(
        out,
        "  </head>\n  <body>\n    <h1>{}</h1>\n",
        Escaped(&title)
    )?;
    for file in &page.files {
        write_file(out, file, options)?;
    }
    out.write_str("  </body>\n</html>\n")?;
    write_serial(out, &page.meta)
}

/// Writes the one hash HTML can carry, `ALG=VALUE` (escaped as an attribute value): the
/// strongest parsed digest, else the first pair kept as text (so that a page parsed from HTML
/// renders back with its fragment). Writes nothing and says so when there is no hash.
pub(super) fn write_fragment(
    out: &mut impl fmt::Write,
    hashes: &Hashes,
) -> Result<bool, fmt::Error> {
    match hashes.strongest() {
        // `ALG=HEX` never needs escaping.
        Some(d) => {
            out.write_str(d.algorithm().as_str())?;
            out.write_char('=')?;
            crate::hash::write_hex(out, d.as_bytes())?;
        }
        None => match hashes.unparsed.first() {
            Some((name, value)) => {
                escape(out, name)?;
                out.write_char('=')?;
                escape(out, value)?;
            }
            None => return Ok(false),
        },
    }
    Ok(true)
}

pub(super) fn write_file(
    out: &mut impl fmt::Write,
    file: &File,
    options: &RenderOptions,
) -> fmt::Result {
    out.write_str("    <a href=\"")?;
    escape(out, &options.link(&file.url))?;
    if !file.hashes.is_empty() {
        out.write_char('#')?;
        write_fragment(out, &file.hashes)?;
    }
    out.write_char('"')?;
    if let Some(rp) = &file.requires_python {
        out.write_str(" data-requires-python=\"")?;
        escape(out, rp)?;
        out.write_char('"')?;
    }
    match &file.yanked {
        Yanked::No => {}
        Yanked::Yanked(reason) => {
            out.write_str(" data-yanked=\"")?;
            escape(out, reason.as_deref().unwrap_or(""))?;
            out.write_char('"')?;
        }
    }
    if let CoreMetadata::Available(hashes) = &file.core_metadata {
        for attribute in [" data-core-metadata=\"", " data-dist-info-metadata=\""] {
            out.write_str(attribute)?;
            if !write_fragment(out, hashes)? {
                out.write_str("true")?;
            }
            out.write_char('"')?;
        }
    }
    if let Some(sig) = file.gpg_sig {
        write!(out, " data-gpg-sig=\"{sig}\"")?;
    }
    if let Some(provenance) = &file.provenance {
        out.write_str(" data-provenance=\"")?;
        escape(out, &options.link(provenance))?;
        out.write_char('"')?;
    }
    out.write_char('>')?;
    escape(out, &file.filename)?;
    out.write_str("</a><br>\n")
}

/// Writes a root page as PEP 503 HTML: one anchor per project, its text the name as written
/// and its `href` the entry's URL, or the normalized name plus `/` relative to the root page.
pub fn write_project_list(
    out: &mut impl fmt::Write,
    list: &ProjectList,
    options: &RenderOptions,
) -> fmt::Result {
    write_head(out, &list.meta, "Simple index")?;
    out.write_str("  </head>\n  <body>\n")?;
    for entry in &list.projects {
        out.write_str("    <a href=\"")?;
        match &entry.url {
            Some(url) => escape(out, &options.link(url))?,
            None => {
                escape(out, &crate::name::normalize(&entry.name))?;
                out.write_char('/')?;
            }
        }
        out.write_str("\">")?;
        escape(out, &entry.name)?;
        out.write_str("</a>\n")?;
    }
    out.write_str("  </body>\n</html>\n")?;
    write_serial(out, &list.meta)
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
pub fn write_project_list_io(
    out: impl io::Write,
    list: &ProjectList,
    options: &RenderOptions,
) -> io::Result<()> {
    crate::simple::render_io(out, |w| write_project_list(w, list, options))
}
