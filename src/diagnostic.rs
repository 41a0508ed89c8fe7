//! How error messages show the text at fault.

use std::fmt;

/// Shows user text in an error message on one line: control characters (newlines, tabs, NUL,
/// ...) are written as Rust escapes (`\n`, `\t`, `\0`, `\u{1b}`); everything else as given.
/// Text longer than [`MAX_QUOTED`] characters is cut to its start and end around `…`, with its
/// length in bytes, so a hostile input (a megabyte `--hash` value, an `Accept` header) is never
/// echoed whole.
pub(crate) struct Quoted<'a>(pub(crate) &'a str);

/// The most characters of user text an error message quotes.
pub(crate) const MAX_QUOTED: usize = 200;

/// Characters kept from the start and the end of a text that is cut.
const HEAD: usize = 120;
const TAIL: usize = 40;

fn escaped(f: &mut fmt::Formatter<'_>, text: &str) -> fmt::Result {
    if !text.chars().any(char::is_control) {
        return f.write_str(text);
    }
    for c in text.chars() {
        if c.is_control() {
            write!(f, "{}", c.escape_debug())?;
        } else {
            f.write_str(c.encode_utf8(&mut [0; 4]))?;
        }
    }
    Ok(())
}

impl fmt::Display for Quoted<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let text = self.0;
        // Byte length bounds the character count: short texts need no count.
        if text.len() <= MAX_QUOTED || text.chars().nth(MAX_QUOTED).is_none() {
            return escaped(f, text);
        }
        let head_end = text.char_indices().nth(HEAD).map_or(text.len(), |(i, _)| i);
        let tail_start = text
            .char_indices()
            .rev()
            .nth(TAIL - 1)
            .map_or(0, |(i, _)| i);
        escaped(f, &text[..head_end])?;
        write!(f, "…[{} bytes in all]…", text.len())?;
        escaped(f, &text[tail_start..])
    }
}

#[cfg(test)]
mod tests {
    use super::Quoted;

    #[test]
    fn control_characters_are_escaped() {
        assert_eq!(Quoted("plain é").to_string(), "plain é");
        assert_eq!(Quoted("a\nb\tc\0\u{1b}").to_string(), "a\\nb\\tc\\0\\u{1b}");
    }

    #[test]
    fn long_text_is_cut_to_its_ends() {
        let exact = "é".repeat(super::MAX_QUOTED);
        assert_eq!(Quoted(&exact).to_string(), exact);
        let long = format!(
            "{}{}{}",
            "a".repeat(150),
            "b".repeat(1_000_000),
            "c".repeat(50)
        );
        let shown = Quoted(&long).to_string();
        assert_eq!(
            shown,
            format!(
                "{}…[1000200 bytes in all]…{}",
                "a".repeat(120),
                "c".repeat(40)
            )
        );
    }
}
