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

/// The lines of `data`, each with its line ending, as `email.feedparser` splits them.
fn lines(data: &[u8]) -> impl Iterator<Item = (usize, &[u8])> {
    let mut start = 0;
    std::iter::from_fn(move || {
        if start >= data.len() {
            return None;
        }
        let rest = &data[start..];
        let end = match memchr::memchr2(b'\n', b'\r', rest) {
            Some(i) if rest[i] == b'\r' && rest.get(i + 1) == Some(&b'\n') => i + 2,
            Some(i) => i + 1,
            None => rest.len(),
        };
        let line = (start, &rest[..end]);
        start += end;
        Some(line)
    })
}

fn is_header_line(line: &[u8]) -> bool {
    if line.starts_with(b"From ") || matches!(line.first(), Some(b' ' | b'\t')) {
        return true;
    }
    for &b in line {
        match b {
            b':' => return true,
            0x21..=0x39 | 0x3b..=0x7e => {}
            _ => return false,
        }
    }
    false
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
    fn finish<'a>(
        data: &'a [u8],
        headers: &mut Vec<Header<'a>>,
        (name, line, start, end): (&'a [u8], usize, usize, usize),
    ) {
        headers.push(Header {
            name,
            value: strip_line_break(&data[start..end]),
            line,
        });
    }

    // The header block: lines up to the first one that is not a header line.
    let mut header_lines: Vec<(usize, usize, &[u8])> = Vec::new();
    let mut body_start = data.len();
    for (number, (offset, line)) in lines(data).enumerate() {
        if !is_header_line(line) {
            body_start = if is_line_break(line) {
                offset + line.len()
            } else {
                offset
            };
            break;
        }
        header_lines.push((number + 1, offset, line));
    }
    let mut headers: Vec<Header<'_>> = Vec::new();
    // The header being read: name, line, and the span of its value in `data` (a folded value
    // is contiguous: its continuation lines follow it).
    let mut current: Option<(&[u8], usize, usize, usize)> = None;
    let count = header_lines.len();
    for (index, &(number, offset, line)) in header_lines.iter().enumerate() {
        if matches!(line.first(), Some(b' ' | b'\t')) {
            if let Some(header) = &mut current {
                header.3 = offset + line.len();
            }
            continue;
        }
        if let Some(header) = current.take() {
            finish(data, &mut headers, header);
        }
        if line.starts_with(b"From ") {
            if index == 0 {
                continue;
            }
            if index + 1 == count {
                // `email` takes a trailing envelope-like line as the first line of the body.
                body_start = offset;
                break;
            }
            continue;
        }
        let Some(colon) = memchr::memchr(b':', line) else {
            continue;
        };
        if colon == 0 {
            continue;
        }
        let mut start = colon + 1;
        while matches!(line.get(start), Some(b' ' | b'\t')) {
            start += 1;
        }
        current = Some((&line[..colon], number, offset + start, offset + line.len()));
    }
    if let Some(header) = current.take() {
        finish(data, &mut headers, header);
    }
    Message {
        headers,
        body: &data[body_start..],
    }
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
