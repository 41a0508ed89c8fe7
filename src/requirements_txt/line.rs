//! Decoding, physical lines and logical lines, exactly as pip's `req_file.py` builds them.
//!
//! pip reads a requirements file in four steps, each reproduced here:
//!
//! 1. `_decode_req_file`: a byte-order mark decides the encoding, else a PEP 263 `coding:`
//!    comment in one of the first two lines, else UTF-8 ([`decode`]).
//! 2. `str.splitlines()`: physical lines end at `\n`, `\r`, `\r\n` and at the other Unicode line
//!    boundaries Python knows (`\x0b`, `\x0c`, `\x1c`, `\x1d`, `\x1e`, `\x85`, U+2028, U+2029)
//!    ([`physical_lines`]).
//! 3. `join_lines`: a line ending in `\` is joined with the next one, unless the line is a
//!    comment line; every `\` at either end of a joined line is dropped (`str.strip("\\")`), and a
//!    comment line that ends a continuation is kept as a comment ([`logical_lines`]).
//! 4. `ignore_comments` then `expand_env_variables`: `(^|\s+)#.*$` is removed, the rest stripped,
//!    empty lines dropped, `${NAME}` replaced ([`strip_comment`], [`expand`]).
//!
//! Odd cases that follow from these rules, all as pip does:
//! - `foo # note \` continues onto the next line, which is swallowed by the comment.
//! - `foo \` followed by `# comment` ends the continuation: the comment line is not joined text.
//! - `\\foo\` loses the leading backslashes too (`strip` works on both ends).
//! - `\` on the last line joins with nothing.

use std::borrow::Cow;
use std::fmt;

use crate::diagnostic::Quoted;

/// The encoding a requirements file was read with.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Encoding {
    /// UTF-8 (the default, or declared with a BOM or a `coding:` comment).
    Utf8,
    /// UTF-16, little-endian.
    Utf16Le,
    /// UTF-16, big-endian.
    Utf16Be,
    /// UTF-32, little-endian.
    Utf32Le,
    /// UTF-32, big-endian.
    Utf32Be,
    /// ISO-8859-1, declared with a `coding:` comment.
    Latin1,
    /// ASCII, declared with a `coding:` comment.
    Ascii,
}

impl fmt::Display for Encoding {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Encoding::Utf8 => "utf-8",
            Encoding::Utf16Le => "utf-16-le",
            Encoding::Utf16Be => "utf-16-be",
            Encoding::Utf32Le => "utf-32-le",
            Encoding::Utf32Be => "utf-32-be",
            Encoding::Latin1 => "latin-1",
            Encoding::Ascii => "ascii",
        })
    }
}

/// How the bytes of a file were turned into text: enough to turn the text back into the same
/// bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct TextEncoding {
    /// The encoding.
    pub encoding: Encoding,
    /// The byte-order mark that started the file, if any.
    pub bom: bool,
}

impl Default for TextEncoding {
    fn default() -> Self {
        TextEncoding {
            encoding: Encoding::Utf8,
            bom: false,
        }
    }
}

/// Why the bytes of a requirements file could not be decoded.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum DecodeError {
    /// The bytes are not valid in the encoding.
    #[error("{file}: cannot decode byte offset {offset} as {encoding}")]
    Invalid {
        /// The file name the caller gave.
        file: String,
        /// The encoding tried.
        encoding: Encoding,
        /// The 0-based byte offset of the first undecodable byte.
        offset: usize,
    },
    /// A `coding:` comment names an encoding this crate does not decode.
    #[error("{file}: unsupported encoding `{}` declared in line {line}", Quoted(.name))]
    UnsupportedEncoding {
        /// The file name the caller gave.
        file: String,
        /// The encoding name as written.
        name: String,
        /// The 1-based line of the declaration.
        line: usize,
    },
}

const BOMS: [(&[u8], Encoding); 7] = [
    (b"\xef\xbb\xbf", Encoding::Utf8),
    // Python's "utf-32" and "utf-16" read the rest in native order: little-endian on the
    // machines pip runs on.
    (b"\xff\xfe\x00\x00", Encoding::Utf32Le),
    (b"\x00\x00\xfe\xff", Encoding::Utf32Be),
    (b"\xff\xfe\x00\x00", Encoding::Utf32Le),
    (b"\xff\xfe", Encoding::Utf16Le),
    (b"\xfe\xff", Encoding::Utf16Be),
    (b"\xff\xfe", Encoding::Utf16Le),
];

/// Decodes a requirements file as pip's `_decode_req_file` does.
///
/// pip falls back to the locale's encoding when UTF-8 fails; that depends on the machine, so
/// this is an error naming the byte offset instead.
///
/// # Errors
///
/// Bytes that are not valid in the chosen encoding, or a declared encoding other than UTF-8,
/// Latin-1 or ASCII (in their Python spellings).
pub fn decode(file: &str, bytes: &[u8]) -> Result<(String, TextEncoding), DecodeError> {
    for (bom, encoding) in BOMS {
        if let Some(rest) = bytes.strip_prefix(bom) {
            let text = decode_as(file, rest, encoding, bom.len())?;
            return Ok((
                text,
                TextEncoding {
                    encoding,
                    bom: true,
                },
            ));
        }
    }
    for (index, line) in bytes.split(|&b| b == b'\n').take(2).enumerate() {
        if line.first() == Some(&b'#')
            && let Some(name) = coding_declaration(line)
        {
            let encoding = python_codec(name).ok_or_else(|| DecodeError::UnsupportedEncoding {
                file: file.to_owned(),
                name: String::from_utf8_lossy(name).into_owned(),
                line: index + 1,
            })?;
            let text = decode_as(file, bytes, encoding, 0)?;
            return Ok((
                text,
                TextEncoding {
                    encoding,
                    bom: false,
                },
            ));
        }
    }
    let text = decode_as(file, bytes, Encoding::Utf8, 0)?;
    Ok((text, TextEncoding::default()))
}

/// `coding[:=]\s*([-\w.]+)`, searched in a bytes line (ASCII classes).
fn coding_declaration(line: &[u8]) -> Option<&[u8]> {
    let mut from = 0;
    while let Some(found) = find(&line[from..], b"coding") {
        let mut i = from + found + 6;
        from = from + found + 1;
        if !matches!(line.get(i), Some(b':' | b'=')) {
            continue;
        }
        i += 1;
        while matches!(
            line.get(i),
            Some(b' ' | b'\t' | b'\n' | b'\r' | b'\x0b' | b'\x0c')
        ) {
            i += 1;
        }
        let start = i;
        while matches!(line.get(i), Some(c) if c.is_ascii_alphanumeric() || matches!(c, b'-' | b'_' | b'.'))
        {
            i += 1;
        }
        if i > start {
            return Some(&line[start..i]);
        }
    }
    None
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

/// The Python codec a declared name selects, for the codecs this crate decodes.
fn python_codec(name: &[u8]) -> Option<Encoding> {
    let name = String::from_utf8_lossy(name)
        .to_ascii_lowercase()
        .replace(['-', ' '], "_");
    Some(match name.as_str() {
        "utf_8" | "utf8" | "u8" | "utf" | "utf8_ucs2" | "utf8_ucs4" | "cp65001" => Encoding::Utf8,
        "latin_1" | "latin1" | "latin" | "l1" | "iso_8859_1" | "iso8859_1" | "8859" | "cp819"
        | "iso_ir_100" => Encoding::Latin1,
        "ascii" | "us_ascii" | "646" | "us" | "ansi_x3.4_1968" | "cp367" => Encoding::Ascii,
        _ => return None,
    })
}

fn decode_as(
    file: &str,
    bytes: &[u8],
    encoding: Encoding,
    base: usize,
) -> Result<String, DecodeError> {
    let invalid = |offset: usize| DecodeError::Invalid {
        file: file.to_owned(),
        encoding,
        offset: base + offset,
    };
    match encoding {
        Encoding::Utf8 => std::str::from_utf8(bytes)
            .map(str::to_owned)
            .map_err(|e| invalid(e.valid_up_to())),
        Encoding::Latin1 => Ok(bytes.iter().map(|&b| char::from(b)).collect()),
        Encoding::Ascii => match bytes.iter().position(|b| !b.is_ascii()) {
            Some(offset) => Err(invalid(offset)),
            None => Ok(bytes.iter().map(|&b| char::from(b)).collect()),
        },
        Encoding::Utf16Le | Encoding::Utf16Be => {
            let big = encoding == Encoding::Utf16Be;
            let units = bytes.chunks(2).map(|pair| {
                if pair.len() < 2 {
                    None
                } else if big {
                    Some(u16::from_be_bytes([pair[0], pair[1]]))
                } else {
                    Some(u16::from_le_bytes([pair[0], pair[1]]))
                }
            });
            let mut text = String::with_capacity(bytes.len() / 2);
            let mut offset = 0;
            let units: Vec<u16> = match units.collect::<Option<Vec<u16>>>() {
                Some(units) => units,
                None => return Err(invalid(bytes.len() - 1)),
            };
            for c in char::decode_utf16(units.iter().copied()) {
                match c {
                    Ok(c) => {
                        text.push(c);
                        offset += c.len_utf16() * 2;
                    }
                    Err(_) => return Err(invalid(offset)),
                }
            }
            Ok(text)
        }
        Encoding::Utf32Le | Encoding::Utf32Be => {
            let mut text = String::with_capacity(bytes.len() / 4);
            for (i, quad) in bytes.chunks(4).enumerate() {
                let quad: [u8; 4] = quad.try_into().map_err(|_| invalid(i * 4))?;
                let value = if encoding == Encoding::Utf32Be {
                    u32::from_be_bytes(quad)
                } else {
                    u32::from_le_bytes(quad)
                };
                text.push(char::from_u32(value).ok_or_else(|| invalid(i * 4))?);
            }
            Ok(text)
        }
    }
}

/// Encodes text back into the bytes it was decoded from.
pub fn encode(text: &str, encoding: TextEncoding) -> Vec<u8> {
    let mut out = Vec::with_capacity(text.len() + 4);
    if encoding.bom {
        out.extend_from_slice(match encoding.encoding {
            Encoding::Utf8 => b"\xef\xbb\xbf",
            Encoding::Utf16Le => b"\xff\xfe",
            Encoding::Utf16Be => b"\xfe\xff",
            Encoding::Utf32Le => b"\xff\xfe\x00\x00",
            Encoding::Utf32Be => b"\x00\x00\xfe\xff",
            Encoding::Latin1 | Encoding::Ascii => b"",
        });
    }
    match encoding.encoding {
        Encoding::Utf8 => out.extend_from_slice(text.as_bytes()),
        // Characters above U+00FF (from an edit) cannot be written: `?`, as Python's
        // `errors="replace"` would.
        Encoding::Latin1 | Encoding::Ascii => {
            out.extend(text.chars().map(|c| u8::try_from(c).unwrap_or(b'?')));
        }
        Encoding::Utf16Le => text
            .encode_utf16()
            .for_each(|u| out.extend(u.to_le_bytes())),
        Encoding::Utf16Be => text
            .encode_utf16()
            .for_each(|u| out.extend(u.to_be_bytes())),
        Encoding::Utf32Le => text
            .chars()
            .for_each(|c| out.extend(u32::from(c).to_le_bytes())),
        Encoding::Utf32Be => text
            .chars()
            .for_each(|c| out.extend(u32::from(c).to_be_bytes())),
    }
    out
}

/// Whether Python's `str.isspace()` (and so `\s` and `str.strip()`) holds for `c`: Rust's
/// `char::is_whitespace` plus the information separators U+001C..U+001F.
pub(crate) fn is_py_space(c: char) -> bool {
    c.is_whitespace() || ('\x1c'..='\x1f').contains(&c)
}

/// A physical line: `text[start..end]` is its content, `text[end..next]` its line break.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Physical {
    pub start: usize,
    pub end: usize,
    pub next: usize,
}

/// Splits text as Python's `str.splitlines()` does, keeping where each break is.
pub(crate) fn physical_lines(text: &str) -> Vec<Physical> {
    let mut lines = Vec::new();
    let mut start = 0;
    while start < text.len() {
        let (end, next) = next_break(text, start);
        lines.push(Physical { start, end, next });
        start = next;
    }
    lines
}

/// Bytes that can start a `str.splitlines()` boundary: the ASCII breaks, and the lead bytes of
/// U+0085 (`C2 85`) and U+2028/U+2029 (`E2 80 A8`, `E2 80 A9`).
static BREAK_START: [bool; 256] = byte_table!(|c| matches!(
    c,
    b'\n' | b'\r' | 0x0b | 0x0c | 0x1c | 0x1d | 0x1e | 0xc2 | 0xe2
));

/// The physical line starting at byte `from` (< `text.len()`): `(end, next)`, where
/// `text[from..end]` is its content and `text[end..next]` its line break (empty on the last
/// line when the text does not end with one).
///
/// Eight bytes at a time while none is a control character or non-ASCII, byte by byte where
/// one is: the scan costs about one instruction per byte on typical text.
pub(crate) fn next_break(text: &str, from: usize) -> (usize, usize) {
    let bytes = text.as_bytes();
    let mut i = from;
    loop {
        // Skip words with no byte below 0x20 and none at or above 0x80: no break can start there.
        while let Some(chunk) = bytes.get(i..i + 8) {
            let word = u64::from_le_bytes(chunk.try_into().unwrap_or([0; 8]));
            if crate::bytes::has_less(word, 0x20) || crate::bytes::has_non_ascii(word) {
                break;
            }
            i += 8;
        }
        let stop = (i + 8).min(bytes.len());
        while i < stop {
            let b = bytes[i];
            if BREAK_START[usize::from(b)] {
                let next = match b {
                    b'\r' if bytes.get(i + 1) == Some(&b'\n') => i + 2,
                    0xc2 if bytes.get(i + 1) == Some(&0x85) => i + 2,
                    0xe2 if bytes.get(i + 1) == Some(&0x80)
                        && matches!(bytes.get(i + 2), Some(0xa8 | 0xa9)) =>
                    {
                        i + 3
                    }
                    0xc2 | 0xe2 => {
                        i += 1;
                        continue;
                    }
                    _ => i + 1,
                };
                return (i, next);
            }
            i += 1;
        }
        if i >= bytes.len() {
            return (bytes.len(), bytes.len());
        }
    }
}

/// [`is_py_space`] for a byte of ASCII text; `None` for a non-ASCII byte.
fn ascii_py_space(b: u8) -> Option<bool> {
    b.is_ascii().then_some(matches!(
        b,
        b' ' | b'\t' | b'\n' | b'\r' | 0x0b | 0x0c | 0x1c..=0x1f
    ))
}

/// Whether `COMMENT_RE.match(line)` holds: the line is a comment line (`#` first, or after
/// leading whitespace).
pub(crate) fn is_comment_line(line: &str) -> bool {
    for &b in line.as_bytes() {
        match ascii_py_space(b) {
            Some(true) => {}
            Some(false) => return b == b'#',
            None => break,
        }
    }
    line.trim_start_matches(is_py_space).starts_with('#')
}

/// A logical line: physical lines `first..=last` joined as pip's `join_lines` joins them.
#[cfg(test)]
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Logical {
    pub first: usize,
    pub joined: String,
}

/// Groups physical lines into logical lines (pip's `join_lines`). Every physical line belongs
/// to exactly one logical line, in order.
#[cfg(test)]
pub(crate) fn logical_lines(text: &str) -> Vec<Logical> {
    let mut reader = LogicalLines::new(text);
    let mut out = Vec::new();
    while let Some(l) = reader.next_line() {
        out.push(Logical {
            first: l.first,
            joined: l.joined.unwrap_or_default().to_owned(),
        });
    }
    out
}

/// One logical line, as [`LogicalLines`] reads it.
pub(crate) struct LogicalRef<'a> {
    /// The 0-based index of its first physical line.
    pub first: usize,
    /// Its bytes in the text, line breaks included.
    pub raw: std::ops::Range<usize>,
    /// The text pip's `join_lines` makes of it (`None` for a comment line on its own, which
    /// pip's `ignore_comments` drops whole).
    pub joined: Option<&'a str>,
}

/// Reads logical lines one after the other (pip's `join_lines`), joining continuations in a
/// buffer it reuses, and borrowing the text of a line that is not continued.
pub(crate) struct LogicalLines<'t> {
    text: &'t str,
    at: usize,
    index: usize,
    buffer: String,
}

impl<'t> LogicalLines<'t> {
    pub(crate) fn new(text: &'t str) -> Self {
        LogicalLines {
            text,
            at: 0,
            index: 0,
            buffer: String::new(),
        }
    }

    pub(crate) fn next_line(&mut self) -> Option<LogicalRef<'_>> {
        let text = self.text;
        if self.at >= text.len() {
            return None;
        }
        let (start, first) = (self.at, self.index);
        let mut pending = false;
        self.buffer.clear();
        loop {
            let (end, next) = next_break(text, self.at);
            let line = &text[self.at..end];
            self.at = next;
            self.index += 1;
            let comment = is_comment_line(line);
            if !line.ends_with('\\') || comment {
                let joined = if pending {
                    if comment {
                        self.buffer.push(' ');
                    }
                    self.buffer.push_str(line);
                    Some(self.buffer.as_str())
                } else if comment {
                    None
                } else {
                    Some(line)
                };
                return Some(LogicalRef {
                    first,
                    raw: start..next,
                    joined,
                });
            }
            pending = true;
            self.buffer.push_str(line.trim_matches('\\'));
            if self.at >= text.len() {
                return Some(LogicalRef {
                    first,
                    raw: start..next,
                    joined: Some(self.buffer.as_str()),
                });
            }
        }
    }
}

/// pip's `ignore_comments` on one line: removes the first `(^|\s+)#.*$` and strips Python
/// whitespace. Returns the kept text and its byte offset in `line`.
pub(crate) fn strip_comment(line: &str) -> (&str, usize) {
    let mut cut = line.len();
    // The first `#` at the start or after whitespace; the whitespace before it goes too.
    for at in memchr::memchr_iter(b'#', line.as_bytes()) {
        let before = &line[..at];
        match before.chars().next_back() {
            None => {
                cut = 0;
                break;
            }
            Some(c) if is_py_space(c) => {
                cut = before.trim_end_matches(is_py_space).len();
                break;
            }
            Some(_) => {}
        }
    }
    let kept = &line[..cut];
    let trimmed = trim_start_py(kept);
    let offset = kept.len() - trimmed.len();
    (trim_end_py(trimmed), offset)
}

/// `str.lstrip()`.
fn trim_start_py(text: &str) -> &str {
    match text.as_bytes().first().copied().and_then(ascii_py_space) {
        Some(false) => text,
        _ => text.trim_start_matches(is_py_space),
    }
}

/// `str.rstrip()`.
fn trim_end_py(text: &str) -> &str {
    match text.as_bytes().last().copied().and_then(ascii_py_space) {
        Some(false) => text,
        _ => text.trim_end_matches(is_py_space),
    }
}

/// pip's `expand_env_variables` on one line: each `${NAME}` (`NAME` of `A-Z`, `0-9`, `_`) whose
/// value `lookup` gives and is not empty is replaced everywhere on the line, in the order the
/// names occur; the others stay as written.
pub(crate) fn expand<'a>(line: &'a str, lookup: &dyn Fn(&str) -> Option<String>) -> Cow<'a, str> {
    if !memchr::memchr_iter(b'$', line.as_bytes())
        .any(|i| line.as_bytes().get(i + 1) == Some(&b'{'))
    {
        return Cow::Borrowed(line);
    }
    let mut found = Vec::new();
    let bytes = line.as_bytes();
    let mut i = 0;
    while i + 1 < bytes.len() {
        if bytes[i] == b'$' && bytes[i + 1] == b'{' {
            let start = i + 2;
            let mut j = start;
            while j < bytes.len()
                && (bytes[j].is_ascii_uppercase() || bytes[j].is_ascii_digit() || bytes[j] == b'_')
            {
                j += 1;
            }
            if j > start && bytes.get(j) == Some(&b'}') {
                found.push((&line[i..=j], &line[start..j]));
                i = j + 1;
                continue;
            }
        }
        i += 1;
    }
    let mut out = Cow::Borrowed(line);
    for (whole, name) in found {
        if let Some(value) = lookup(name).filter(|v| !v.is_empty()) {
            out = Cow::Owned(out.replace(whole, &value));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn logical(text: &str) -> Vec<(usize, String)> {
        logical_lines(text)
            .into_iter()
            .map(|l| (l.first + 1, strip_comment(&l.joined).0.to_owned()))
            .filter(|(_, t)| !t.is_empty())
            .collect()
    }

    #[test]
    fn splitlines_like_python() {
        let text = "a\nb\r\nc\rd\x0ce\u{2028}f";
        let lines: Vec<&str> = physical_lines(text)
            .iter()
            .map(|p| &text[p.start..p.end])
            .collect();
        assert_eq!(lines, ["a", "b", "c", "d", "e", "f"]);
        assert_eq!(physical_lines("a\n").len(), 1);
        assert!(physical_lines("").is_empty());
    }

    #[test]
    fn pip_join_rules() {
        assert_eq!(logical("foo \\\n==1.0\n"), [(1, "foo ==1.0".to_owned())]);
        assert_eq!(
            logical("foo # note \\\nbar\nbaz"),
            [(1, "foo".to_owned()), (3, "baz".to_owned())]
        );
        assert_eq!(
            logical("foo \\\n# c\nbar"),
            [(1, "foo".to_owned()), (3, "bar".to_owned())]
        );
        assert_eq!(logical("\\\\foo\\\n"), [(1, "foo".to_owned())]);
        assert_eq!(logical("# a \\\nfoo"), [(2, "foo".to_owned())]);
        assert_eq!(logical("x#y #z"), [(1, "x#y".to_owned())]);
    }

    #[test]
    fn env_expansion() {
        let lookup = |name: &str| match name {
            "A" => Some("1".to_owned()),
            "EMPTY" => Some(String::new()),
            _ => None,
        };
        assert_eq!(
            expand("${A}${A}${EMPTY}${B}$A${a}", &lookup),
            "11${EMPTY}${B}$A${a}"
        );
    }

    #[test]
    fn decoding() {
        assert_eq!(decode("f", b"\xef\xbb\xbfa").unwrap().0, "a");
        assert_eq!(decode("f", b"\xff\xfea\x00").unwrap().0, "a");
        assert_eq!(
            decode("f", b"# coding: latin-1\n\xe9").unwrap().0,
            "# coding: latin-1\n\u{e9}"
        );
        assert_eq!(
            decode("f", b"ab\xff").unwrap_err(),
            DecodeError::Invalid {
                file: "f".into(),
                encoding: Encoding::Utf8,
                offset: 2
            }
        );
        for bytes in [
            &b"\xff\xfea\x00"[..],
            b"\xfe\xff\x00a",
            b"# coding=latin1\n\xe9",
            b"x",
        ] {
            let (text, enc) = decode("f", bytes).unwrap();
            assert_eq!(encode(&text, enc), bytes);
        }
    }
}
