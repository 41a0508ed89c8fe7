//! How error messages show the text at fault.

use std::fmt;

/// Shows user text in an error message on one line: control characters (newlines, tabs, NUL,
/// ...) are written as Rust escapes (`\n`, `\t`, `\0`, `\u{1b}`); everything else as given.
pub(crate) struct Quoted<'a>(pub(crate) &'a str);

impl fmt::Display for Quoted<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let text = self.0;
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
}

#[cfg(test)]
mod tests {
    use super::Quoted;

    #[test]
    fn control_characters_are_escaped() {
        assert_eq!(Quoted("plain é").to_string(), "plain é");
        assert_eq!(Quoted("a\nb\tc\0\u{1b}").to_string(), "a\\nb\\tc\\0\\u{1b}");
    }
}
