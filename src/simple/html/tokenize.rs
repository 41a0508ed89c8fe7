//! The HTML5 tokenizer, reduced to what simple pages need: tags, attributes, text, comments
//! and raw-text elements.

use std::borrow::Cow;

use super::entities::decode;

/// A start tag: its name (as written) and attributes (names as written, values decoded).
pub(super) struct Tag<'a> {
    pub(super) name: &'a str,
    pub(super) attributes: Vec<(&'a str, Cow<'a, str>)>,
}

impl<'a> Tag<'a> {
    pub(super) fn get(&self, name: &str) -> Option<&Cow<'a, str>> {
        self.attributes
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v)
    }

    pub(super) fn is(&self, name: &str) -> bool {
        self.name.eq_ignore_ascii_case(name)
    }
}

pub(super) enum Token<'a> {
    Start(Tag<'a>),
    End(&'a str),
    Text(&'a str),
    Comment(&'a str),
}

/// The HTML5 tokenizer, reduced to what simple pages need.
pub(super) struct Tokenizer<'a> {
    pub(super) src: &'a str,
    pub(super) pos: usize,
    /// Set after a raw-text start tag: the text up to its end tag is one `Text` token.
    pub(super) raw_until: Option<&'static str>,
    /// An emptied attribute list to reuse for the next start tag.
    pub(super) spare: Vec<(&'a str, Cow<'a, str>)>,
}

pub(super) fn is_space(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\n' | b'\r' | b'\x0c')
}

/// Finds `needle` (ASCII, lower-case) in `hay` ignoring ASCII case.
pub(super) fn find_ignore_case(hay: &str, needle: &str) -> Option<usize> {
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
    pub(super) fn new(src: &'a str) -> Self {
        Tokenizer {
            src,
            pos: 0,
            raw_until: None,
            spare: Vec::new(),
        }
    }

    pub(super) fn next_token(&mut self) -> Option<Token<'a>> {
        let src = self.src;
        if self.pos >= src.len() {
            return None;
        }
        if let Some(end) = self.raw_until.take() {
            let rest = &src[self.pos..];
            // HTML5: the end tag's name must be followed by whitespace, `/` or `>` (or the end
            // of input); `</titlex>` is text.
            let mut from = 0;
            let stop = loop {
                match find_ignore_case(&rest[from..], end) {
                    Some(i) => {
                        let after = from + i + end.len();
                        match rest.as_bytes().get(after) {
                            Some(&b) if !(is_space(b) || b == b'/' || b == b'>') => from = after,
                            _ => break from + i,
                        }
                    }
                    None => break rest.len(),
                }
            };
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
                    // `-->` ends it, and so does `--!>` (HTML5).
                    let mut from = 0;
                    loop {
                        match body[from..].find("--") {
                            Some(i) => {
                                let at = from + i;
                                let after = &body[at + 2..];
                                if after.starts_with('>') {
                                    break (&body[..at], at + 3);
                                }
                                if after.starts_with("!>") {
                                    break (&body[..at], at + 4);
                                }
                                from = at + 1;
                            }
                            None => break (body, body.len()),
                        }
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
    pub(super) fn skip_past_gt(&mut self, skip: usize) {
        let start = (self.pos + skip).min(self.src.len());
        self.pos = match self.src[start..].find('>') {
            Some(i) => start + i + 1,
            None => self.src.len(),
        };
    }

    /// Reads a start tag at `self.pos` (on `<`). `None` at the end of input inside the tag
    /// (HTML5 drops such a tag).
    pub(super) fn start_tag(&mut self) -> Option<Tag<'a>> {
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
