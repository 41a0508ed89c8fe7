//! [PEP 503](https://peps.python.org/pep-0503/) HTML pages: render and parse.
//!
//! # Rendering
//!
//! [`write_project_page`] and [`write_project_list`] write valid HTML5 into a [`fmt::Write`]
//! (`String`), and the `_io` variants into an [`io::Write`]. A project page carries a
//! `pypi:repository-version` meta tag ([PEP 629](https://peps.python.org/pep-0629/)) at
//! [`ApiVersion::LATEST`], the PEP 792 `pypi:project-status` and `pypi:project-status-reason`
//! tags, PyPI's `<!--SERIAL n-->` comment when the model has a serial, and one anchor per file:
//! `href` with the strongest digest as `#ALG=HEX` fragment, then `data-requires-python`,
//! `data-yanked`, `data-core-metadata` with its old spelling `data-dist-info-metadata` (PEP 714
//! lets servers keep both for older clients), `data-gpg-sig` and `data-provenance`. Every value
//! is escaped: `&`, `<`, `>`, `"` and `'` become character references, and so do C0 control
//! characters other than tab and line feed (a raw `\r` would be turned into `\n` by every HTML
//! parser), and NUL, which no HTML parser keeps, is written as U+FFFD. The output is valid
//! HTML5 (`scripts/check-simple-clients` checks it with html5lib in strict mode) unless a value
//! holds control characters, which HTML5 cannot carry without a parse error. HTML cannot carry
//! `size`, `upload-time`, `versions`, a second digest or `core-metadata: false`; the renderers
//! leave them out.
//!
//! # Parsing
//!
//! The parser is a hand-written scanner for the part of the HTML5 tokenizer simple pages need,
//! lenient as browsers are:
//!
//! - tag and attribute names in any case; attribute values double-quoted, single-quoted or
//!   unquoted; the first of duplicate attributes wins (HTML5);
//! - character references in attribute values and text: numeric ones (decimal and hex, `;`
//!   optional), and the named ones simple pages use (`&amp;`, `&lt;`, `&gt;`, `&quot;`, `&apos;`,
//!   `&nbsp;`; the first four also without `;` where HTML5 allows it). Other named references
//!   are kept as written: unlike Python's `html.unescape` (pip, pypi-simple), which decodes the
//!   full table, but no index writes them;
//! - comments, `<!DOCTYPE>` and processing instructions are skipped, and so is the raw text of
//!   `<script>`, `<style>`, `<textarea>`, `<xmp>`, `<iframe>` and `<noembed>` (`<title>` is
//!   read as text); anchors may sit inside any other markup (tables, lists, `<pre>`), and
//!   markup inside an anchor adds only its text; an `<a>` inside an open anchor closes it;
//! - `<base href>`: the first one wins, resolved against the page URL, and applies to every
//!   link of a project page (as in HTML5 and pip). On a root page read as a stream it applies
//!   to the anchors after it;
//! - anchors without `href` are skipped, as pip skips them.
//!
//! Relative URLs are resolved with the WHATWG URL parser (the `url` crate), so the model holds
//! normalized absolute URLs (`%20` for a space, a lower-case host). A file's name is its anchor
//! text with surrounding whitespace removed (as pypi-simple reads it), or the last segment of
//! its URL when the text is empty; a difference between the two is a
//! [`Warning::FilenameMismatch`].

use std::borrow::Cow;
use std::fmt;
use std::io;

use super::{
    ApiVersion, CoreMetadata, File, Hashes, Meta, Parsed, ProjectEntry, ProjectList, ProjectPage,
    ProjectStatus, RenderOptions, Resolver, SimpleError, StatusMarker, Warning, Yanked,
};

// ---------------------------------------------------------------------------------------------
// Rendering
// ---------------------------------------------------------------------------------------------

/// How each byte is written inside an attribute value or text: 0 as is, 1 as a named
/// reference, 2 as a numeric reference.
static ESCAPE: [u8; 256] = {
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

/// Writes `s` escaped for an HTML attribute value (double-quoted) or text.
fn escape(out: &mut impl fmt::Write, s: &str) -> fmt::Result {
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
fn html_mask(word: u64) -> u64 {
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
struct Escaped<'a>(&'a str);

impl fmt::Display for Escaped<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        escape(f, self.0)
    }
}

fn write_meta(out: &mut impl fmt::Write, name: &str, content: &str) -> fmt::Result {
    writeln!(
        out,
        "    <meta name=\"pypi:{name}\" content=\"{}\">",
        Escaped(content)
    )
}

fn write_head(out: &mut impl fmt::Write, meta: &Meta, title: &str) -> fmt::Result {
    out.write_str("<!DOCTYPE html>\n<html>\n  <head>\n    <meta charset=\"utf-8\">\n")?;
    write_meta(out, "repository-version", &ApiVersion::LATEST.to_string())?;
    for track in &meta.tracks {
        write_meta(out, "tracks", track)?;
    }
    writeln!(out, "    <title>{}</title>", Escaped(title))
}

fn write_serial(out: &mut impl fmt::Write, meta: &Meta) -> fmt::Result {
    match &meta.last_serial {
        // PyPI's serials are numbers; anything else stays out of the comment.
        Some(serial) if !serial.is_empty() && serial.bytes().all(|b| b.is_ascii_digit()) => {
            writeln!(out, "<!--SERIAL {serial}-->")
        }
        _ => Ok(()),
    }
}

/// Writes a project page as PEP 503 HTML at API version [`ApiVersion::LATEST`].
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
fn write_fragment(out: &mut impl fmt::Write, hashes: &Hashes) -> Result<bool, fmt::Error> {
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

fn write_file(out: &mut impl fmt::Write, file: &File, options: &RenderOptions) -> fmt::Result {
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
    super::render_io(out, |w| write_project_page(w, page, options))
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
    super::render_io(out, |w| write_project_list(w, list, options))
}

// ---------------------------------------------------------------------------------------------
// Tokenizer
// ---------------------------------------------------------------------------------------------

/// A start tag: its name (as written) and attributes (names as written, values decoded).
struct Tag<'a> {
    name: &'a str,
    attributes: Vec<(&'a str, Cow<'a, str>)>,
}

impl<'a> Tag<'a> {
    fn get(&self, name: &str) -> Option<&Cow<'a, str>> {
        self.attributes
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v)
    }

    fn is(&self, name: &str) -> bool {
        self.name.eq_ignore_ascii_case(name)
    }
}

enum Token<'a> {
    Start(Tag<'a>),
    End(&'a str),
    Text(&'a str),
    Comment(&'a str),
}

/// The HTML5 tokenizer, reduced to what simple pages need.
struct Tokenizer<'a> {
    src: &'a str,
    pos: usize,
    /// Set after a raw-text start tag: the text up to its end tag is one `Text` token.
    raw_until: Option<&'static str>,
    /// An emptied attribute list to reuse for the next start tag.
    spare: Vec<(&'a str, Cow<'a, str>)>,
}

fn is_space(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\n' | b'\r' | b'\x0c')
}

/// Finds `needle` (ASCII, lower-case) in `hay` ignoring ASCII case.
fn find_ignore_case(hay: &str, needle: &str) -> Option<usize> {
    let n = needle.as_bytes();
    let h = hay.as_bytes();
    let first = n[0];
    let mut i = 0;
    while i + n.len() <= h.len() {
        let rest = &h[i..];
        let j = rest.iter().position(|b| b.to_ascii_lowercase() == first)?;
        i += j;
        if i + n.len() <= h.len() && h[i..i + n.len()].eq_ignore_ascii_case(n) {
            return Some(i);
        }
        i += 1;
    }
    None
}

impl<'a> Tokenizer<'a> {
    fn new(src: &'a str) -> Self {
        Tokenizer {
            src,
            pos: 0,
            raw_until: None,
            spare: Vec::new(),
        }
    }

    fn next_token(&mut self) -> Option<Token<'a>> {
        let src = self.src;
        if self.pos >= src.len() {
            return None;
        }
        if let Some(end) = self.raw_until.take() {
            let rest = &src[self.pos..];
            let stop = find_ignore_case(rest, end).unwrap_or(rest.len());
            self.pos += stop;
            return Some(Token::Text(&rest[..stop]));
        }
        let bytes = src.as_bytes();
        let rest = &src[self.pos..];
        if bytes[self.pos] != b'<' {
            let stop = rest.find('<').unwrap_or(rest.len());
            self.pos += stop;
            return Some(Token::Text(&rest[..stop]));
        }
        let after = &rest[1..];
        let next = after.as_bytes().first().copied();
        match next {
            Some(b'!') if after.starts_with("!--") => {
                let body = &after[3..];
                // `<!-->` and `<!--->` are empty comments in HTML5.
                let (text, consumed) = if body.starts_with('>') {
                    ("", 1)
                } else if body.starts_with("->") {
                    ("", 2)
                } else {
                    match body.find("-->") {
                        Some(i) => (&body[..i], i + 3),
                        None => (body, body.len()),
                    }
                };
                self.pos += 4 + consumed;
                Some(Token::Comment(text))
            }
            Some(b'!' | b'?') => {
                self.skip_past_gt(1);
                self.next_token()
            }
            Some(b'/') => {
                let name_start = self.pos + 2;
                match bytes.get(name_start) {
                    Some(b) if b.is_ascii_alphabetic() => {
                        let name_end = bytes[name_start..]
                            .iter()
                            .position(|&b| is_space(b) || b == b'/' || b == b'>')
                            .map_or(bytes.len(), |i| name_start + i);
                        let name = &src[name_start..name_end];
                        self.pos = name_end;
                        self.skip_past_gt(0);
                        Some(Token::End(name))
                    }
                    Some(b'>') => {
                        self.pos += 3;
                        self.next_token()
                    }
                    _ => {
                        self.skip_past_gt(2);
                        self.next_token()
                    }
                }
            }
            Some(b) if b.is_ascii_alphabetic() => match self.start_tag() {
                Some(tag) => {
                    for (raw, end) in [
                        ("script", "</script"),
                        ("style", "</style"),
                        ("textarea", "</textarea"),
                        ("title", "</title"),
                        ("xmp", "</xmp"),
                        ("noembed", "</noembed"),
                        ("iframe", "</iframe"),
                    ] {
                        if tag.is(raw) {
                            self.raw_until = Some(end);
                        }
                    }
                    Some(Token::Start(tag))
                }
                None => None,
            },
            _ => {
                // A `<` that starts no tag is text.
                self.pos += 1;
                Some(Token::Text("<"))
            }
        }
    }

    /// Moves past the next `>` after `skip` bytes (or to the end).
    fn skip_past_gt(&mut self, skip: usize) {
        let start = (self.pos + skip).min(self.src.len());
        self.pos = match self.src[start..].find('>') {
            Some(i) => start + i + 1,
            None => self.src.len(),
        };
    }

    /// Reads a start tag at `self.pos` (on `<`). `None` at the end of input inside the tag
    /// (HTML5 drops such a tag).
    fn start_tag(&mut self) -> Option<Tag<'a>> {
        let src = self.src;
        let b = src.as_bytes();
        let mut i = self.pos + 1;
        let name_start = i;
        while i < b.len() && !is_space(b[i]) && b[i] != b'/' && b[i] != b'>' {
            i += 1;
        }
        let mut tag = Tag {
            name: &src[name_start..i],
            attributes: std::mem::take(&mut self.spare),
        };
        loop {
            while i < b.len() && (is_space(b[i]) || b[i] == b'/') {
                i += 1;
            }
            if i >= b.len() {
                self.pos = b.len();
                return None;
            }
            if b[i] == b'>' {
                self.pos = i + 1;
                return Some(tag);
            }
            let name_start = i;
            i += 1; // the first character may be `=`
            while i < b.len() && !is_space(b[i]) && !matches!(b[i], b'/' | b'>' | b'=') {
                i += 1;
            }
            let name = &src[name_start..i];
            let mut j = i;
            while j < b.len() && is_space(b[j]) {
                j += 1;
            }
            let value: Cow<'a, str> = if j < b.len() && b[j] == b'=' {
                j += 1;
                while j < b.len() && is_space(b[j]) {
                    j += 1;
                }
                match b.get(j) {
                    Some(&q @ (b'"' | b'\'')) => {
                        let start = j + 1;
                        let end = src[start..].find(q as char).map(|k| start + k);
                        let Some(end) = end else {
                            self.pos = b.len();
                            return None;
                        };
                        i = end + 1;
                        decode(&src[start..end], true)
                    }
                    _ => {
                        let start = j;
                        let mut end = j;
                        while end < b.len() && !is_space(b[end]) && b[end] != b'>' {
                            end += 1;
                        }
                        i = end;
                        decode(&src[start..end], true)
                    }
                }
            } else {
                Cow::Borrowed("")
            };
            if !tag
                .attributes
                .iter()
                .any(|(n, _)| n.eq_ignore_ascii_case(name))
            {
                tag.attributes.push((name, value));
            }
        }
    }
}

/// Named character references the parser decodes. Those marked `true` are also decoded
/// without a `;` (HTML5's legacy set, restricted to these).
const ENTITIES: [(&str, char, bool); 6] = [
    ("amp", '&', true),
    ("lt", '<', true),
    ("gt", '>', true),
    ("quot", '"', true),
    ("apos", '\'', false),
    ("nbsp", '\u{a0}', true),
];

/// Decodes character references. In attribute values a legacy reference without `;` followed by
/// `=` or an alphanumeric character is kept as written (HTML5).
/// A NUL character, which HTML cannot carry, becomes U+FFFD (as HTML5 does in attribute values).
fn decode(raw: &str, attribute: bool) -> Cow<'_, str> {
    if !raw.bytes().any(|b| b == b'&' || b == 0) {
        return Cow::Borrowed(raw);
    }
    if !raw.contains('&') {
        return Cow::Owned(raw.replace('\0', "\u{fffd}"));
    }
    let mut out = String::with_capacity(raw.len());
    let mut rest = raw;
    while let Some(i) = rest.find('&') {
        out.push_str(&rest[..i]);
        rest = &rest[i..];
        match reference(rest, attribute) {
            Some((c, len)) => {
                out.push(c);
                rest = &rest[len..];
            }
            None => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    if out.contains('\0') {
        out = out.replace('\0', "\u{fffd}");
    }
    Cow::Owned(out)
}

/// The character a reference at the start of `s` (on `&`) stands for, and its length.
fn reference(s: &str, attribute: bool) -> Option<(char, usize)> {
    let b = s.as_bytes();
    if b.get(1) == Some(&b'#') {
        let (hex, start) = match b.get(2) {
            Some(b'x' | b'X') => (true, 3),
            _ => (false, 2),
        };
        let digits = b[start..]
            .iter()
            .take_while(|c| {
                if hex {
                    c.is_ascii_hexdigit()
                } else {
                    c.is_ascii_digit()
                }
            })
            .count();
        if digits == 0 {
            return None;
        }
        let text = &s[start..start + digits];
        let value = u32::from_str_radix(text, if hex { 16 } else { 10 }).unwrap_or(u32::MAX);
        let c = char::from_u32(value)
            .filter(|&c| c != '\0')
            .unwrap_or('\u{fffd}');
        let mut len = start + digits;
        if b.get(len) == Some(&b';') {
            len += 1;
        }
        return Some((c, len));
    }
    for (name, c, legacy) in ENTITIES {
        if s[1..].starts_with(name) {
            let end = 1 + name.len();
            if b.get(end) == Some(&b';') {
                return Some((c, end + 1));
            }
            if !legacy {
                return None;
            }
            if attribute
                && b.get(end)
                    .is_some_and(|&n| n == b'=' || n.is_ascii_alphanumeric())
            {
                return None;
            }
            return Some((c, end));
        }
    }
    None
}

// ---------------------------------------------------------------------------------------------
// Page structure
// ---------------------------------------------------------------------------------------------

/// An anchor with the attributes simple pages use.
#[derive(Default)]
struct RawAnchor<'a> {
    href: Cow<'a, str>,
    requires_python: Option<Cow<'a, str>>,
    yanked: Option<Cow<'a, str>>,
    core_metadata: Option<Cow<'a, str>>,
    dist_info_metadata: Option<Cow<'a, str>>,
    gpg_sig: Option<Cow<'a, str>>,
    provenance: Option<Cow<'a, str>>,
    text: Cow<'a, str>,
}

impl<'a> RawAnchor<'a> {
    fn new(tag: &mut Tag<'a>) -> Option<Self> {
        let mut anchor = RawAnchor::default();
        let mut href = None;
        for (name, value) in tag.attributes.drain(..) {
            let slot = if name.eq_ignore_ascii_case("href") {
                &mut href
            } else if name.len() > 5 && name.as_bytes()[..5].eq_ignore_ascii_case(b"data-") {
                // The first five bytes are ASCII, so byte 5 starts a character.
                let rest = &name[5..];
                if rest.eq_ignore_ascii_case("requires-python") {
                    &mut anchor.requires_python
                } else if rest.eq_ignore_ascii_case("yanked") {
                    &mut anchor.yanked
                } else if rest.eq_ignore_ascii_case("core-metadata") {
                    &mut anchor.core_metadata
                } else if rest.eq_ignore_ascii_case("dist-info-metadata") {
                    &mut anchor.dist_info_metadata
                } else if rest.eq_ignore_ascii_case("gpg-sig") {
                    &mut anchor.gpg_sig
                } else if rest.eq_ignore_ascii_case("provenance") {
                    &mut anchor.provenance
                } else {
                    continue;
                }
            } else {
                continue;
            };
            *slot = Some(value);
        }
        // pip skips anchors without an href, or with an empty one.
        anchor.href = href.filter(|h| !h.is_empty())?;
        Some(anchor)
    }
}

/// What the page walker reports.
enum Event<'a> {
    Anchor(RawAnchor<'a>),
    Meta {
        name: &'a str,
        content: Cow<'a, str>,
    },
    Base(Cow<'a, str>),
    Title(String),
    Serial(&'a str),
}

/// Walks a page and reports anchors (with their text), `pypi:` meta tags, the first base
/// `href`, the title and PyPI's serial comment.
struct Walker<'a> {
    tokens: Tokenizer<'a>,
    anchor: Option<RawAnchor<'a>>,
    title: Option<String>,
    seen_base: bool,
}

impl<'a> Walker<'a> {
    fn new(src: &'a str) -> Self {
        Walker {
            tokens: Tokenizer::new(src),
            anchor: None,
            title: None,
            seen_base: false,
        }
    }

    /// Handles a start tag; the event it completes, if any.
    fn start(&mut self, tag: &mut Tag<'a>) -> Option<Event<'a>> {
        if tag.is("a") {
            // An `<a>` inside an open anchor closes it (HTML5 adoption agency).
            let previous = self.anchor.take();
            self.anchor = RawAnchor::new(tag);
            return previous.map(Event::Anchor);
        }
        if tag.is("meta") {
            if let (Some(name), Some(content)) = (tag.get("name"), tag.get("content"))
                && let Some(rest) = name.strip_prefix("pypi:")
            {
                // Names borrow from the source when they have no references.
                let name = match name {
                    Cow::Borrowed(n) => &n[5..],
                    Cow::Owned(_) => match rest {
                        "repository-version" => "repository-version",
                        "project-status" => "project-status",
                        "project-status-reason" => "project-status-reason",
                        "tracks" => "tracks",
                        "alternate-locations" => "alternate-locations",
                        _ => return None,
                    },
                };
                return Some(Event::Meta {
                    name,
                    content: content.clone(),
                });
            }
        } else if tag.is("base") {
            if !self.seen_base
                && let Some(href) = tag.get("href")
            {
                self.seen_base = true;
                return Some(Event::Base(href.clone()));
            }
        } else if tag.is("title") && self.anchor.is_none() {
            self.title = Some(String::new());
        }
        None
    }

    fn next_event(&mut self) -> Option<Event<'a>> {
        loop {
            let Some(token) = self.tokens.next_token() else {
                return self.anchor.take().map(Event::Anchor);
            };
            match token {
                Token::Text(text) => {
                    if let Some(anchor) = &mut self.anchor {
                        let piece = decode(text, false);
                        if anchor.text.is_empty() {
                            anchor.text = piece;
                        } else {
                            anchor.text.to_mut().push_str(&piece);
                        }
                    } else if let Some(title) = &mut self.title {
                        title.push_str(&decode(text, false));
                    }
                }
                Token::Start(mut tag) => {
                    let event = self.start(&mut tag);
                    tag.attributes.clear();
                    self.tokens.spare = tag.attributes;
                    if event.is_some() {
                        return event;
                    }
                }
                Token::End(name) => {
                    if name.eq_ignore_ascii_case("a") {
                        if let Some(anchor) = self.anchor.take() {
                            return Some(Event::Anchor(anchor));
                        }
                    } else if name.eq_ignore_ascii_case("title")
                        && let Some(title) = self.title.take()
                    {
                        return Some(Event::Title(title));
                    }
                }
                Token::Comment(text) => {
                    if let Some(serial) = text.strip_prefix("SERIAL ").map(str::trim)
                        && !serial.is_empty()
                        && serial.bytes().all(|b| b.is_ascii_digit())
                    {
                        return Some(Event::Serial(serial));
                    }
                }
            }
        }
    }
}

/// Collects `pypi:` meta tags into the page's metadata.
#[derive(Default)]
struct MetaState {
    meta: Meta,
    status: Option<ProjectStatus>,
    alternate_locations: Vec<String>,
    version_seen: bool,
}

impl MetaState {
    fn apply(
        &mut self,
        name: &str,
        content: &str,
        warnings: &mut Vec<Warning>,
    ) -> Result<(), SimpleError> {
        match name {
            "repository-version" if !self.version_seen => {
                self.version_seen = true;
                let version: ApiVersion = content.parse()?;
                super::check_api_version(version, warnings)?;
                self.meta.api_version = Some(version);
            }
            "project-status" => {
                let status = self.status.get_or_insert_with(ProjectStatus::default);
                if status.status.is_none() {
                    status.status = Some(StatusMarker::new(content));
                }
            }
            "project-status-reason" => {
                let status = self.status.get_or_insert_with(ProjectStatus::default);
                if status.reason.is_none() {
                    status.reason = Some(content.to_owned());
                }
            }
            "tracks" => self.meta.tracks.push(content.to_owned()),
            "alternate-locations" => self.alternate_locations.push(content.to_owned()),
            _ => {}
        }
        Ok(())
    }
}

/// Resolves `href` against the page URL (for `<base href>`); an unresolvable one is reported
/// and `None`.
fn resolve(base: &url::Url, href: &str, warnings: &mut Vec<Warning>) -> Option<url::Url> {
    match base.join(href.trim()) {
        Ok(url) => Some(url),
        Err(e) => {
            warnings.push(Warning::UnresolvableUrl {
                href: href.to_owned(),
                reason: e.to_string(),
            });
            None
        }
    }
}

/// Percent-decodes a URL path segment (lossy for invalid UTF-8).
fn percent_decode(s: &str) -> String {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%'
            && i + 2 < b.len()
            && b[i + 1].is_ascii_hexdigit()
            && b[i + 2].is_ascii_hexdigit()
        {
            let hex = |c: u8| (c as char).to_digit(16).unwrap_or(0) as u8;
            out.push(hex(b[i + 1]) << 4 | hex(b[i + 2]));
            i += 3;
        } else {
            out.push(b[i]);
            i += 1;
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

fn file_from_anchor(
    index: usize,
    anchor: RawAnchor<'_>,
    resolver: &Resolver,
    last_valid: &mut Option<String>,
    warnings: &mut Vec<Warning>,
) -> File {
    let resolved = resolver.resolve_text(anchor.href.trim(), warnings);
    // An unresolvable href is kept as written, so trim what the fragment leaves (the renderer
    // writes no fragment that is not a hash, and parsers trim the href).
    let (url, fragment) = match resolved.split_once('#') {
        Some((u, f)) => (u.trim().to_owned(), Some(f.to_owned())),
        None => (resolved, None),
    };
    let url_filename = {
        let path = url.split(['?']).next().unwrap_or("");
        let after_authority = path.find("://").map_or(path, |i| &path[i + 3..]);
        match after_authority.find('/') {
            Some(i) => percent_decode(after_authority[i..].rsplit('/').next().unwrap_or("")),
            None => String::new(),
        }
    };
    let mut hashes = Hashes::new();
    if let Some(fragment) = fragment {
        match fragment.split_once('=') {
            // A fragment is a hash when it names an algorithm or carries a hex value;
            // anything else (`#egg=name`, `#md5`) is reported and dropped.
            Some((name, value))
                if !name.is_empty()
                    && (name.parse::<crate::hash::HashAlgorithm>().is_ok()
                        || (!value.is_empty() && value.bytes().all(|b| b.is_ascii_hexdigit()))) =>
            {
                if let Some(w) = hashes.insert_raw(name, value) {
                    warnings.push(w);
                }
            }
            _ if fragment.is_empty() => {}
            _ => warnings.push(Warning::NotAHashFragment { index, fragment }),
        }
    }
    let text = anchor.text.trim();
    let filename = if text.is_empty() {
        url_filename.trim().to_owned()
    } else {
        text.to_owned()
    };
    if filename != url_filename {
        warnings.push(Warning::FilenameMismatch {
            index,
            text: filename.clone(),
            url_filename,
        });
    }
    let metadata_value = match (&anchor.core_metadata, &anchor.dist_info_metadata) {
        (Some(a), Some(b)) => {
            if a != b {
                warnings.push(Warning::MetadataKeysDisagree { index });
            }
            Some(a)
        }
        (Some(a), None) | (None, Some(a)) => Some(a),
        (None, None) => None,
    };
    let core_metadata = match metadata_value {
        None => CoreMetadata::Absent,
        Some(v) if v == "true" => CoreMetadata::Available(Hashes::new()),
        Some(v) => {
            // As pip reads it: any other value means "available", with a hash when it has one.
            let mut hashes = Hashes::new();
            match v.split_once('=') {
                Some((name, value)) => {
                    if let Some(w) = hashes.insert_raw(name, value) {
                        warnings.push(w);
                    }
                }
                None => warnings.push(Warning::BadAttribute {
                    index,
                    attribute: "data-core-metadata",
                    value: v.to_string(),
                }),
            }
            CoreMetadata::Available(hashes)
        }
    };
    let gpg_sig = anchor.gpg_sig.and_then(|v| {
        if v.eq_ignore_ascii_case("true") {
            Some(true)
        } else if v.eq_ignore_ascii_case("false") {
            Some(false)
        } else {
            warnings.push(Warning::BadAttribute {
                index,
                attribute: "data-gpg-sig",
                value: v.into_owned(),
            });
            None
        }
    });
    let provenance = anchor
        .provenance
        .map(|p| resolver.resolve_text(p.trim(), warnings));
    let file = File {
        filename,
        url,
        hashes,
        requires_python: anchor.requires_python.map(Cow::into_owned),
        yanked: match anchor.yanked {
            None => Yanked::No,
            Some(reason) => Yanked::with_reason(&reason),
        },
        core_metadata,
        gpg_sig,
        size: None,
        upload_time: None,
        provenance,
    };
    super::check_file(index, &file, last_valid, warnings);
    file
}

/// Parses a PEP 503 project page served at `page_url`.
///
/// # Errors
///
/// `page_url` is not an absolute URL, or the page declares an API version this crate cannot
/// read ([`SimpleError::InvalidApiVersion`], [`SimpleError::UnsupportedApiVersion`]).
///
/// # Examples
///
/// ```
/// use pypackaging::simple::html;
///
/// let page = html::parse_project_page(
///     r#"<!DOCTYPE html><html><head><base href="/files/"><title>Links for demo</title></head>
///     <body><A HREF='demo-1.0.tar.gz#sha256=2c26b46b68ffc68ff99b453c1d30413413422d706483bfa0f98a5e886266e7ae'
///     data-requires-python="&gt;=3.9">demo-1.0.tar.gz</A></body></html>"#,
///     "https://index.example/simple/demo/",
/// )?;
/// let file = &page.value.files[0];
/// assert_eq!(page.value.name, "demo");
/// assert_eq!(file.url, "https://index.example/files/demo-1.0.tar.gz");
/// assert_eq!(file.requires_python.as_deref(), Some(">=3.9"));
/// assert!(page.warnings.is_empty());
/// # Ok::<(), pypackaging::simple::SimpleError>(())
/// ```
pub fn parse_project_page(html: &str, page_url: &str) -> Result<Parsed<ProjectPage>, SimpleError> {
    let page = super::page_url_parse(page_url)?;
    let mut warnings = Vec::new();
    let mut walker = Walker::new(html);
    let mut state = MetaState::default();
    let mut anchors = Vec::new();
    let mut base = None;
    let mut title = None;
    let mut serial = None;
    while let Some(event) = walker.next_event() {
        match event {
            Event::Anchor(a) => anchors.push(a),
            Event::Meta { name, content } => state.apply(name, &content, &mut warnings)?,
            Event::Base(href) => {
                if let Some(url) = resolve(&page, &href, &mut warnings) {
                    base = Some(url);
                }
            }
            Event::Title(t) => {
                title.get_or_insert(t);
            }
            Event::Serial(s) => {
                serial.get_or_insert(s);
            }
        }
    }
    let resolver = Resolver::new(base.unwrap_or_else(|| page.clone()));
    let mut last_valid = None;
    let files = anchors
        .into_iter()
        .enumerate()
        .map(|(i, a)| file_from_anchor(i, a, &resolver, &mut last_valid, &mut warnings))
        .collect();
    let name = match title.as_deref().map(str::trim) {
        Some(t) if t.starts_with("Links for ") => t["Links for ".len()..].trim().to_owned(),
        _ => page
            .path_segments()
            .and_then(|mut s| s.rfind(|s| !s.is_empty()))
            .map(percent_decode)
            .unwrap_or_default(),
    };
    state.meta.last_serial = serial.map(str::to_owned);
    let project = ProjectPage {
        meta: state.meta,
        name,
        files,
        versions: None,
        status: state.status,
        alternate_locations: state.alternate_locations,
    };
    super::check_page(&project, &mut warnings);
    Ok(Parsed {
        value: project,
        warnings,
    })
}

/// What reading a root page accumulates besides its entries: metadata, `<base>`, warnings.
struct ListState {
    page: url::Url,
    resolver: Resolver,
    state: MetaState,
    warnings: Vec<Warning>,
}

impl ListState {
    fn new(page_url: &str) -> Result<Self, SimpleError> {
        let page = super::page_url_parse(page_url)?;
        Ok(ListState {
            resolver: Resolver::new(page.clone()),
            page,
            state: MetaState::default(),
            warnings: Vec::new(),
        })
    }

    /// Applies one event: the entry it completes, an error that ends the page, or nothing.
    fn apply(&mut self, event: Event<'_>) -> Option<Result<ProjectEntry, SimpleError>> {
        match event {
            Event::Anchor(anchor) => {
                let url = self
                    .resolver
                    .resolve_text(anchor.href.trim(), &mut self.warnings);
                Some(Ok(ProjectEntry {
                    name: match anchor.text.trim() {
                        t if t.len() == anchor.text.len() => anchor.text.into_owned(),
                        t => t.to_owned(),
                    },
                    url: Some(url),
                }))
            }
            Event::Meta { name, content } => self
                .state
                .apply(name, &content, &mut self.warnings)
                .err()
                .map(Err),
            Event::Base(href) => {
                if let Some(base) = resolve(&self.page, &href, &mut self.warnings) {
                    self.resolver = Resolver::new(base);
                }
                None
            }
            Event::Title(_) => None,
            Event::Serial(s) => {
                if self.state.meta.last_serial.is_none() {
                    self.state.meta.last_serial = Some(s.to_owned());
                }
                None
            }
        }
    }
}

/// A root page read as a stream: an iterator of its projects.
///
/// Nothing is collected: each anchor becomes a [`ProjectEntry`] as the scanner reaches it.
/// [`meta`](ProjectListReader::meta) and [`warnings`](ProjectListReader::warnings) hold what
/// has been seen so far (complete once the iterator is exhausted). An unsupported API version
/// is yielded as an error, after which the iterator ends. [`ProjectListStream`] does the same
/// from an [`io::Read`], without holding the whole page.
pub struct ProjectListReader<'a> {
    walker: Walker<'a>,
    list: ListState,
    failed: bool,
}

impl<'a> ProjectListReader<'a> {
    /// Starts reading a root page served at `page_url`.
    ///
    /// # Errors
    ///
    /// `page_url` is not an absolute URL.
    pub fn new(html: &'a str, page_url: &str) -> Result<Self, SimpleError> {
        Ok(ProjectListReader {
            walker: Walker::new(html),
            list: ListState::new(page_url)?,
            failed: false,
        })
    }

    /// The page metadata seen so far.
    pub fn meta(&self) -> &Meta {
        &self.list.state.meta
    }

    /// The warnings so far.
    pub fn warnings(&self) -> &[Warning] {
        &self.list.warnings
    }

    /// The metadata and warnings, once done.
    pub fn finish(self) -> (Meta, Vec<Warning>) {
        (self.list.state.meta, self.list.warnings)
    }
}

impl Iterator for ProjectListReader<'_> {
    type Item = Result<ProjectEntry, SimpleError>;

    fn next(&mut self) -> Option<Self::Item> {
        if self.failed {
            return None;
        }
        loop {
            let event = self.walker.next_event()?;
            if let Some(item) = self.list.apply(event) {
                self.failed = item.is_err();
                return Some(item);
            }
        }
    }
}

/// How much a [`ProjectListStream`] reads at a time (it reads more when a window holds no
/// place to cut).
const STREAM_CHUNK: usize = 64 * 1024;

/// A root page read from an [`io::Read`] as a stream of its projects, holding only a window of
/// the page in memory.
///
/// The page is scanned in windows of about 64 KiB. A window is cut where the scanner is
/// between tokens, outside any anchor, title, comment or script, and before the window's last
/// token (which may be incomplete); the rest is scanned again with the next window. A page with
/// no such place (anchors never closed) is held until one comes or the page ends, so the result
/// is always what [`parse_project_list`] gives for the whole text.
///
/// # Examples
///
/// ```
/// use pypackaging::simple::html::ProjectListStream;
///
/// let page = "<!DOCTYPE html><html><body><a href=\"/simple/a/\">A</a><a href=\"/simple/b/\">b</a></body></html>";
/// let names: Vec<String> = ProjectListStream::new(page.as_bytes(), "https://pypi.example/simple/")?
///     .map(|entry| entry.map(|e| e.name))
///     .collect::<Result<_, _>>()?;
/// assert_eq!(names, ["A", "b"]);
/// # Ok::<(), pypackaging::simple::SimpleError>(())
/// ```
pub struct ProjectListStream<R> {
    reader: R,
    /// The window: decoded text not yet scanned to a cut.
    text: String,
    /// Bytes read but not yet decoded (an incomplete UTF-8 sequence at a read boundary).
    undecoded: Vec<u8>,
    /// Bytes of the page before `text`, for error offsets.
    offset: u64,
    window: usize,
    next_read: usize,
    eof: bool,
    done: bool,
    seen_base: bool,
    list: ListState,
    ready: std::collections::VecDeque<Result<ProjectEntry, SimpleError>>,
}

impl<R: io::Read> ProjectListStream<R> {
    /// Starts reading a root page served at `page_url` from `reader`.
    ///
    /// # Errors
    ///
    /// `page_url` is not an absolute URL.
    pub fn new(reader: R, page_url: &str) -> Result<Self, SimpleError> {
        Ok(ProjectListStream {
            reader,
            text: String::new(),
            undecoded: Vec::new(),
            offset: 0,
            window: STREAM_CHUNK,
            next_read: STREAM_CHUNK,
            eof: false,
            done: false,
            seen_base: false,
            list: ListState::new(page_url)?,
            ready: std::collections::VecDeque::new(),
        })
    }

    /// Sets how many bytes to read at a time (64 KiB by default; at least 1).
    pub fn with_window(mut self, bytes: usize) -> Self {
        self.window = bytes.max(1);
        self.next_read = self.window;
        self
    }

    /// The page metadata seen so far.
    pub fn meta(&self) -> &Meta {
        &self.list.state.meta
    }

    /// The warnings so far.
    pub fn warnings(&self) -> &[Warning] {
        &self.list.warnings
    }

    /// The metadata and warnings, once done.
    pub fn finish(self) -> (Meta, Vec<Warning>) {
        (self.list.state.meta, self.list.warnings)
    }

    /// Reads up to `next_read` more bytes and decodes what is complete.
    fn fill(&mut self) -> Result<(), SimpleError> {
        let start = self.undecoded.len();
        self.undecoded.resize(start + self.next_read, 0);
        let mut filled = start;
        while filled < self.undecoded.len() {
            match self.reader.read(&mut self.undecoded[filled..]) {
                Ok(0) => {
                    self.eof = true;
                    break;
                }
                Ok(n) => filled += n,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                Err(e) => {
                    return Err(SimpleError::Io {
                        message: e.to_string(),
                    });
                }
            }
        }
        self.undecoded.truncate(filled);
        let valid = match std::str::from_utf8(&self.undecoded) {
            Ok(text) => text.len(),
            // An incomplete sequence at the end waits for the next read.
            Err(e) if e.error_len().is_none() && !self.eof => e.valid_up_to(),
            Err(e) => {
                return Err(SimpleError::InvalidUtf8 {
                    offset: self.offset + (self.text.len() + e.valid_up_to()) as u64,
                });
            }
        };
        let decoded = std::str::from_utf8(&self.undecoded[..valid]).unwrap_or_default();
        self.text.push_str(decoded);
        self.undecoded.drain(..valid);
        Ok(())
    }

    /// Scans the window, queues the entries up to the last place it can be cut (all of them at
    /// the end of the page) and drops the text before that place.
    fn scan(&mut self) {
        let ProjectListStream {
            text, list, ready, ..
        } = self;
        let mut walker = Walker::new(text);
        walker.seen_base = self.seen_base;
        let mut events = Vec::new();
        let mut cut = None;
        while let Some(event) = walker.next_event() {
            events.push(event);
            let clean = walker.anchor.is_none()
                && walker.title.is_none()
                && walker.tokens.raw_until.is_none();
            if clean && walker.tokens.pos < text.len() {
                cut = Some((events.len(), walker.tokens.pos, walker.seen_base));
            }
        }
        let (count, consumed, seen_base) = if self.eof {
            (events.len(), text.len(), walker.seen_base)
        } else {
            match cut {
                Some(cut) => cut,
                None => {
                    // No place to cut: read more before scanning again.
                    self.next_read = self.next_read.saturating_mul(2);
                    return;
                }
            }
        };
        for event in events.into_iter().take(count) {
            if let Some(item) = list.apply(event) {
                let failed = item.is_err();
                ready.push_back(item);
                if failed {
                    self.done = true;
                    break;
                }
            }
        }
        self.seen_base = seen_base;
        self.offset += consumed as u64;
        text.drain(..consumed);
        self.next_read = self.window;
    }
}

impl<R: io::Read> Iterator for ProjectListStream<R> {
    type Item = Result<ProjectEntry, SimpleError>;

    fn next(&mut self) -> Option<Self::Item> {
        loop {
            if let Some(item) = self.ready.pop_front() {
                return Some(item);
            }
            if self.done {
                return None;
            }
            if let Err(e) = self.fill() {
                self.done = true;
                return Some(Err(e));
            }
            self.scan();
            if self.eof {
                self.done = true;
            }
        }
    }
}

/// Parses a PEP 503 root page served at `page_url` into a [`ProjectList`]. For a large page,
/// [`ProjectListReader`] gives the same entries one by one.
///
/// # Errors
///
/// As [`parse_project_page`].
pub fn parse_project_list(html: &str, page_url: &str) -> Result<Parsed<ProjectList>, SimpleError> {
    let mut reader = ProjectListReader::new(html, page_url)?;
    let mut projects = Vec::new();
    for entry in reader.by_ref() {
        projects.push(entry?);
    }
    let (meta, warnings) = reader.finish();
    Ok(Parsed {
        value: ProjectList { meta, projects },
        warnings,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::hash::Digest;

    /// Every byte value at every offset of a run longer than two words escapes exactly as a
    /// byte-by-byte escaper would (the word-at-a-time scan may skip nothing it should not).
    #[test]
    fn escape_scan_matches_bytewise() {
        fn bytewise(s: &str) -> String {
            let mut out = String::new();
            for c in s.chars() {
                match c {
                    '&' => out.push_str("&amp;"),
                    '<' => out.push_str("&lt;"),
                    '>' => out.push_str("&gt;"),
                    '"' => out.push_str("&quot;"),
                    '\'' => out.push_str("&#39;"),
                    '\0' => out.push('\u{fffd}'),
                    '\t' | '\n' => out.push(c),
                    c if (c as u32) < 0x20 || c == '\x7f' => {
                        out.push_str(&format!("&#{};", c as u32));
                    }
                    c => out.push(c),
                }
            }
            out
        }
        for (b, at, text) in crate::bytes::every_byte_at_every_offset() {
            let mut out = String::new();
            escape(&mut out, &text).unwrap();
            assert_eq!(out, bytewise(&text), "byte {b:#x} at {at}");
        }
    }

    fn one(d: Digest) -> Hashes {
        Hashes::from_digests([d])
    }

    const PAGE: &str = "https://index.example/simple/demo/";

    fn tokens(src: &str) -> Vec<String> {
        let mut t = Tokenizer::new(src);
        let mut out = Vec::new();
        while let Some(token) = t.next_token() {
            out.push(match token {
                Token::Start(tag) => format!(
                    "<{}{}>",
                    tag.name,
                    tag.attributes
                        .iter()
                        .map(|(n, v)| format!(" {n}={v:?}"))
                        .collect::<String>()
                ),
                Token::End(n) => format!("</{n}>"),
                Token::Text(s) => format!("{s:?}"),
                Token::Comment(s) => format!("<!--{s}-->"),
            });
        }
        out
    }

    #[test]
    fn tokenizer_quoting_and_case() {
        assert_eq!(
            tokens(
                r#"<A HREF=x.whl Data-Yanked='it&apos;s' data-gpg-sig = "true" checked/>t</a >"#
            ),
            [
                r#"<A HREF="x.whl" Data-Yanked="it's" data-gpg-sig="true" checked="">"#,
                r#""t""#,
                "</a>"
            ]
        );
        assert_eq!(tokens("<a href=a href=b>"), [r#"<a href="a">"#]);
        assert_eq!(
            tokens("a < b <!-- c --> <!---->"),
            [
                r#""a ""#,
                r#""<""#,
                r#"" b ""#,
                "<!-- c -->",
                r#"" ""#,
                "<!---->"
            ]
        );
        assert_eq!(
            tokens("<script>if (a<b) '<a href=x>'</SCRIPT>"),
            ["<script>", r#""if (a<b) '<a href=x>'""#, "</SCRIPT>"]
        );
        assert_eq!(tokens("<a href='unterminated"), Vec::<String>::new());
    }

    #[test]
    fn references() {
        assert_eq!(
            decode("a&amp;b&lt;&#60;&#x3C;&#X3c&quot;", false),
            "a&b<<<<\""
        );
        assert_eq!(decode("?a=1&amp=2&ampx&amp", true), "?a=1&amp=2&ampx&");
        assert_eq!(
            decode("&copy; &#0; &#xD800; &#99999999;", false),
            "&copy; \u{fffd} \u{fffd} \u{fffd}"
        );
        assert_eq!(decode("&", false), "&");
        assert_eq!(decode("&#;", false), "&#;");
    }

    #[test]
    fn escaping_is_decoded_back() {
        let hostile = "\"><script>alert('x')</script>&amp;\r\n\t\u{1}é";
        let mut out = String::new();
        escape(&mut out, hostile).unwrap();
        assert!(!out.contains('<') && !out.contains('"') && !out.contains('\r'));
        assert_eq!(decode(&out, true), hostile);
    }

    #[test]
    fn parse_pypi_shape() {
        let sha = "2c26b46b68ffc68ff99b453c1d30413413422d706483bfa0f98a5e886266e7ae";
        let html = format!(
            "<!DOCTYPE html>\n<html><head><meta name=\"pypi:repository-version\" content=\"1.1\">\
             <title>Links for Demo</title></head><body><h1>Links for Demo</h1>\
             <a href=\"../../files/demo-1.0-py3-none-any.whl#sha256={sha}\" \
             data-requires-python=\"&gt;=3.8\" data-dist-info-metadata=\"sha256={sha}\" \
             data-core-metadata=\"sha256={sha}\" data-yanked=\"\">demo-1.0-py3-none-any.whl</a><br/>\
             </body></html>\n<!--SERIAL 42-->"
        );
        let parsed = parse_project_page(&html, PAGE).unwrap();
        assert_eq!(parsed.warnings, []);
        let page = parsed.value;
        assert_eq!(page.name, "Demo");
        assert_eq!(page.meta.api_version, Some(ApiVersion::new(1, 1)));
        assert_eq!(page.meta.last_serial.as_deref(), Some("42"));
        let file = &page.files[0];
        assert_eq!(
            file.url,
            "https://index.example/files/demo-1.0-py3-none-any.whl"
        );
        let digest = Digest::from_url_fragment(&format!("sha256={sha}")).unwrap();
        assert_eq!(file.hashes, one(digest));
        assert_eq!(file.core_metadata, CoreMetadata::Available(one(digest)));
        assert_eq!(file.yanked, Yanked::Yanked(None));
    }

    #[test]
    fn warnings_and_errors() {
        let html = "<a href='x/other.whl#md5=zz'>demo.whl</a><a href='y.whl#egg=y' data-gpg-sig=maybe>y.whl</a>";
        let parsed = parse_project_page(html, PAGE).unwrap();
        let text: Vec<String> = parsed.warnings.iter().map(ToString::to_string).collect();
        insta::assert_snapshot!(text.join("\n"), @r"
        hash `md5=zz` kept as text: invalid md5 digest `zz`: character 'z' at column 1 is not allowed in hex
        file 0: anchor text `demo.whl` differs from the file name `other.whl` in its URL
        file 1: URL fragment `egg=y` is not a hash
        file 1: attribute data-gpg-sig has the value `maybe`, which is not allowed there
        ");
        let err = parse_project_page("<meta name='pypi:repository-version' content='2.0'>", PAGE)
            .unwrap_err();
        insta::assert_snapshot!(err, @"unsupported API version 2.0: this crate reads major version 1");
        let newer = parse_project_page("<meta name='pypi:repository-version' content='1.9'>", PAGE)
            .unwrap();
        insta::assert_snapshot!(newer.warnings[0], @"the page declares API version 1.9, newer than 1.4, the latest this crate knows");
    }
}
