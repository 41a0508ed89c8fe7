//! The email-header container of METADATA, PKG-INFO and WHEEL, read the way CPython's
//! `email.parser.BytesParser(policy=compat32)` reads it.
//!
//! The core metadata specification defines the format as "what the standard library
//! `email.parser` module can parse using the `compat32` policy", so this module follows
//! `email.feedparser` line by line rather than RFC 5322:
//!
//! - lines end at `\r\n`, `\r` or `\n`;
//! - a header line matches `^(From |[\x21-\x39\x3b-\x7e]*:|[\t ])`; the first line that does
//!   not ends the headers: a blank line is dropped, any other line starts the body;
//! - a line starting with a space or tab continues the previous header (and is dropped when
//!   there is none); the value keeps its folding line breaks and indentation, loses the
//!   spaces and tabs after the colon and the line break at its end;
//! - a `From ` line is an mbox envelope line: dropped where `email` drops it;
//! - a line starting with `:` (no name) is dropped.
//!
//! Header names are kept as written (including trailing spaces before the colon, which the
//! header-line pattern cannot produce anyway). Values are raw bytes; decoding is the caller's.

/// One header: its name as written and its raw value (folds kept).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Header<'a> {
    pub(crate) name: &'a [u8],
    pub(crate) value: &'a [u8],
    /// 1-based line where the header starts.
    pub(crate) line: usize,
}

/// A message: headers in order, then the body as written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Message<'a> {
    pub(crate) headers: Vec<Header<'a>>,
    pub(crate) body: &'a [u8],
}

/// What a line of the header block is.
enum Line {
    /// Starts with a space or tab: continues the previous header.
    Continuation,
    /// An mbox envelope line (`From `).
    Envelope,
    /// `name:`, with the position of the colon.
    Header(usize),
    /// Not a header line: the headers end.
    End,
}

/// Bytes a header name may hold (`[\x21-\x39\x3b-\x7e]`).
const NAME_BYTES: [bool; 256] = byte_table!(|c| matches!(c, 0x21..=0x7e) && c != b':');

fn classify(line: &[u8]) -> Line {
    match line.first() {
        Some(b' ' | b'\t') => return Line::Continuation,
        Some(b'F') if line.starts_with(b"From ") => return Line::Envelope,
        _ => {}
    }
    for (i, &b) in line.iter().enumerate() {
        if b == b':' {
            return Line::Header(i);
        }
        if !NAME_BYTES[usize::from(b)] {
            return Line::End;
        }
    }
    Line::End
}

fn is_line_break(line: &[u8]) -> bool {
    matches!(line, b"\n" | b"\r" | b"\r\n")
}

fn strip_line_break(mut line: &[u8]) -> &[u8] {
    while let [rest @ .., b'\r' | b'\n'] = line {
        line = rest;
    }
    line
}

/// Splits a message into headers and body.
pub(crate) fn parse(data: &[u8]) -> Message<'_> {
    let mut headers = Vec::new();
    let body = parse_each(data, |header| headers.push(header));
    Message { headers, body }
}

/// Reads the headers of `data` in one pass, giving each to `each` in order, and returns the
/// body.
pub(crate) fn parse_each<'a>(data: &'a [u8], mut each: impl FnMut(Header<'a>)) -> &'a [u8] {
    // The header being read: name, line, and the span of its value in `data` (a folded value
    // is contiguous: its continuation lines follow it).
    let mut current: Option<(&[u8], usize, usize, usize)> = None;
    let mut finish = |(name, line, start, end): (&'a [u8], usize, usize, usize)| {
        each(Header {
            name,
            value: strip_line_break(&data[start..end]),
            line,
        });
    };
    // An envelope line after the first line: dropped, unless it is the last header line, which
    // `email` takes as the first line of the body.
    let mut envelope = None;
    let mut body_start = data.len();
    let mut offset = 0;
    let mut number = 0;
    while offset < data.len() {
        let rest = &data[offset..];
        let length = match memchr::memchr2(b'\n', b'\r', rest) {
            Some(i) if rest[i] == b'\r' && rest.get(i + 1) == Some(&b'\n') => i + 2,
            Some(i) => i + 1,
            None => rest.len(),
        };
        let line = &rest[..length];
        number += 1;
        let kind = classify(line);
        if !matches!(kind, Line::End) {
            envelope = None;
        }
        match kind {
            Line::End => {
                body_start = if is_line_break(line) {
                    offset + length
                } else {
                    offset
                };
                break;
            }
            Line::Continuation => {
                if let Some(header) = &mut current {
                    header.3 = offset + length;
                }
            }
            Line::Envelope => {
                if let Some(header) = current.take() {
                    finish(header);
                }
                if number > 1 {
                    envelope = Some(offset);
                }
            }
            Line::Header(colon) => {
                if let Some(header) = current.take() {
                    finish(header);
                }
                if colon > 0 {
                    let mut start = colon + 1;
                    while matches!(line.get(start), Some(b' ' | b'\t')) {
                        start += 1;
                    }
                    current = Some((&line[..colon], number, offset + start, offset + length));
                }
            }
        }
        offset += length;
    }
    if let Some(header) = current.take() {
        finish(header);
    }
    if let Some(start) = envelope {
        body_start = start;
    }
    &data[body_start..]
}

/// Whether `c` starts a new line for Python's `str.splitlines` (the boundaries packaging's
/// writer folds; `\r\n` is one boundary).
pub(crate) fn is_line_boundary(c: char) -> bool {
    matches!(
        c,
        '\n' | '\r'
            | '\u{0b}'
            | '\u{0c}'
            | '\u{1c}'
            | '\u{1d}'
            | '\u{1e}'
            | '\u{85}'
            | '\u{2028}'
            | '\u{2029}'
    )
}

/// Appends `Name: value\n` to `out`, folding the value so that it reads back unchanged
/// where it can: a line break (`\n`, `\r`, `\r\n`, the only ones the reader splits on) already
/// followed by a space or tab is kept as it is (values read from a file look like that); any
/// other becomes `\n` followed by as many spaces as `Name: ` is long, as packaging's
/// `RFC822Policy` writes it. Other characters Python's `str.splitlines` breaks on (`\v`, `\f`,
/// U+2028, ...) are written as they are, so that the value reads back unchanged.
pub(crate) fn write_header(out: &mut String, name: &str, value: &str) {
    out.push_str(name);
    out.push_str(": ");
    let indent = name.len() + 2;
    let mut chars = value.char_indices().peekable();
    while let Some((_, c)) = chars.next() {
        if c == '\r' && matches!(chars.peek(), Some((_, '\n'))) {
            chars.next();
            match chars.peek() {
                Some((_, ' ' | '\t')) => out.push_str("\r\n"),
                _ => push_fold(out, indent),
            }
        } else if c == '\n' || c == '\r' {
            match chars.peek() {
                Some((_, ' ' | '\t')) => out.push(c),
                _ => push_fold(out, indent),
            }
        } else {
            out.push(c);
        }
    }
    out.push('\n');
}

fn push_fold(out: &mut String, indent: usize) {
    out.push('\n');
    out.extend(std::iter::repeat_n(' ', indent));
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(data: &[u8]) -> Vec<(String, String)> {
        parse(data)
            .headers
            .iter()
            .map(|h| {
                (
                    String::from_utf8_lossy(h.name).into_owned(),
                    String::from_utf8_lossy(h.value).into_owned(),
                )
            })
            .collect()
    }

    #[test]
    fn folded_values_keep_their_line_breaks() {
        let message = b"Name: a\nLicense: one\n        two\r\n\tthree\nVersion:\t 1\n\nbody\n";
        assert_eq!(
            headers(message),
            [
                ("Name".into(), "a".into()),
                ("License".into(), "one\n        two\r\n\tthree".into()),
                ("Version".into(), "1".into()),
            ]
        );
        assert_eq!(parse(message).body, b"body\n");
    }

    #[test]
    fn a_line_that_is_not_a_header_starts_the_body() {
        let message = parse(b"Name: a\nnot a header\nVersion: 1\n");
        assert_eq!(message.headers.len(), 1);
        assert_eq!(message.body, b"not a header\nVersion: 1\n");
        // a space before the colon does not match the header-line pattern either
        assert_eq!(parse(b"Name : a\n").headers.len(), 0);
    }

    #[test]
    fn envelope_lines_and_nameless_headers_are_dropped() {
        assert_eq!(
            headers(b"From me\nName: a\n: x\nFrom you\nVersion: 1\n"),
            [("Name".into(), "a".into()), ("Version".into(), "1".into())]
        );
        let message = parse(b"Name: a\nFrom me\n");
        assert_eq!(message.body, b"From me\n");
    }

    #[test]
    fn bare_carriage_returns_end_lines() {
        assert_eq!(
            headers(b"Name: a\rVersion: 1\r\rbody"),
            [("Name".into(), "a".into()), ("Version".into(), "1".into())]
        );
        assert_eq!(parse(b"Name: a\r\rbody").body, b"body");
    }

    #[test]
    fn writing_folds_new_line_breaks_and_keeps_existing_folds() {
        let mut out = String::new();
        write_header(&mut out, "License", "a\nb\n   c\u{2028}d\r\ne");
        assert_eq!(out, "License: a\n         b\n   c\u{2028}d\n         e\n");
    }
}
