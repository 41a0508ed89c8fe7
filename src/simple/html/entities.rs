//! Character references: decoding attribute values and text.

use std::borrow::Cow;

/// Named character references the parser decodes. Those marked `true` are also decoded
/// without a `;` (HTML5's legacy set, restricted to these).
pub(super) const ENTITIES: [(&str, char, bool); 6] = [
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
pub(super) fn decode(raw: &str, attribute: bool) -> Cow<'_, str> {
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
pub(super) fn reference(s: &str, attribute: bool) -> Option<(char, usize)> {
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
