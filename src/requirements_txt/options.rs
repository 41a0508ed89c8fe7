//! The options a requirements file line may carry, parsed as pip parses them: the line is cut
//! at the first space-separated token starting with `-` (`break_args_options`), the rest is split
//! with POSIX `shlex` rules and read by `optparse` with pip's option table.
//!
//! `optparse` behaviour reproduced: long options may be abbreviated to any unique prefix
//! (`--no-i` is `--no-index`), `--opt=value` and `--opt value`, short options glued to their
//! value (`-rfile.txt`), a value is taken even when it starts with `-`, `--` ends the options,
//! and stray positional words after the options are ignored (pip ignores them silently; this
//! crate reports a warning).

use std::borrow::Cow;
use std::fmt;

use crate::diagnostic::Quoted;

/// What an option does with its value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Opt {
    IndexUrl,
    ExtraIndexUrl,
    NoIndex,
    Constraint,
    Requirement,
    Editable,
    FindLinks,
    NoBinary,
    OnlyBinary,
    PreferBinary,
    RequireHashes,
    NoRequireHashes,
    Pre,
    AllReleases,
    OnlyFinal,
    TrustedHost,
    UseFeature,
    Hash,
    ConfigSettings,
}

impl Opt {
    pub(crate) fn takes_value(self) -> bool {
        !matches!(
            self,
            Opt::NoIndex | Opt::PreferBinary | Opt::RequireHashes | Opt::NoRequireHashes | Opt::Pre
        )
    }
}

/// pip 26.3's option table for requirements files (`SUPPORTED_OPTIONS` and
/// `SUPPORTED_OPTIONS_REQ` in `pip/_internal/req/req_file.py`), every spelling.
const LONG: &[(&str, Opt)] = &[
    ("--index-url", Opt::IndexUrl),
    ("--pypi-url", Opt::IndexUrl),
    ("--extra-index-url", Opt::ExtraIndexUrl),
    ("--no-index", Opt::NoIndex),
    ("--constraint", Opt::Constraint),
    ("--requirement", Opt::Requirement),
    ("--editable", Opt::Editable),
    ("--find-links", Opt::FindLinks),
    ("--no-binary", Opt::NoBinary),
    ("--only-binary", Opt::OnlyBinary),
    ("--prefer-binary", Opt::PreferBinary),
    ("--require-hashes", Opt::RequireHashes),
    ("--no-require-hashes", Opt::NoRequireHashes),
    ("--pre", Opt::Pre),
    ("--all-releases", Opt::AllReleases),
    ("--only-final", Opt::OnlyFinal),
    ("--trusted-host", Opt::TrustedHost),
    ("--use-feature", Opt::UseFeature),
    ("--hash", Opt::Hash),
    ("--config-settings", Opt::ConfigSettings),
];

const SHORT: &[(char, Opt)] = &[
    ('i', Opt::IndexUrl),
    ('c', Opt::Constraint),
    ('r', Opt::Requirement),
    ('e', Opt::Editable),
    ('f', Opt::FindLinks),
    ('C', Opt::ConfigSettings),
];

/// The features `--use-feature` accepts in pip 26.3.
pub(crate) const FEATURES: &[&str] = &[
    "fast-deps",
    "inprocess-build-deps",
    "venv-isolation",
    "truststore",
    "no-binary-enable-wheel-cache",
    "build-constraint",
];

/// A word of the options part, with its byte offset in the line: borrowed from the line when
/// no quote or escape changed it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Word<'a> {
    pub text: Cow<'a, str>,
    pub at: usize,
}

/// Why the options part of a line could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum OptionError {
    /// `shlex` found an unclosed quote (the text from the quote on).
    #[error("no closing quotation in `{}`", Quoted(.0))]
    NoClosingQuotation(String),
    /// `shlex` found a `\` at the very end.
    #[error("no character after the final `\\` in `{}`", Quoted(.0))]
    NoEscapedCharacter(String),
    /// The option is not one pip accepts in requirements files.
    #[error("no such option: `{}`", Quoted(.0))]
    NoSuchOption(String),
    /// An abbreviation matches several long options.
    #[error("ambiguous option: `{}` could be {}", Quoted(.given), .candidates.join(", "))]
    Ambiguous {
        /// The abbreviation.
        given: String,
        /// The options it could stand for.
        candidates: Vec<String>,
    },
    /// The option needs a value and the line ends.
    #[error("option `{0}` requires a value")]
    MissingValue(String),
    /// A flag was given `=value`.
    #[error("option `{0}` does not take a value")]
    UnexpectedValue(String),
    /// `--only-binary`, `--no-binary`, `--all-releases` or `--only-final` got a value starting
    /// with `-` (pip: "option requires 1 argument").
    #[error("option `{option}` requires a value, found `{}`", Quoted(.value))]
    DashValue {
        /// The option.
        option: String,
        /// The value.
        value: String,
    },
    /// `--use-feature` with a feature pip does not know.
    #[error("invalid choice `{}` for `--use-feature` (choose from {})", Quoted(.0), FEATURES.join(", "))]
    UnknownFeature(String),
    /// `-C`/`--config-settings` without `=`.
    #[error("arguments to `{option}` must be of the form KEY=VALUE, found `{}`", Quoted(.value))]
    ConfigSetting {
        /// The option as spelled.
        option: String,
        /// The value.
        value: String,
    },
}

/// Splits the options part of a line as Python's `shlex.split(s)` does (POSIX mode, no
/// comments): whitespace is space, tab, CR and LF; `'...'` is literal; `"..."` honours `\"` and
/// `\\`; a bare `\` escapes the next character.
pub(crate) fn shlex_split(s: &str, base: usize) -> Result<Words<'_>, (OptionError, usize)> {
    let bytes = s.as_bytes();
    if memchr::memchr3(b'\'', b'"', b'\\', bytes).is_none()
        && memchr::memchr2(b'\r', b'\n', bytes).is_none()
    {
        // Nothing to unquote: the words are the runs between spaces and tabs, borrowed.
        return Ok(Words::Plain {
            text: s,
            at: 0,
            base,
        });
    }
    shlex_split_quoted(s, base).map(|words| Words::Quoted(words.into_iter()))
}

/// The words of the options part of a line, in order.
pub(crate) enum Words<'a> {
    /// Text without quotes or escapes, read lazily.
    Plain {
        text: &'a str,
        at: usize,
        base: usize,
    },
    /// Text with quotes or escapes, already split.
    Quoted(std::vec::IntoIter<Word<'a>>),
}

impl<'a> Iterator for Words<'a> {
    type Item = Word<'a>;

    fn next(&mut self) -> Option<Word<'a>> {
        match self {
            Words::Plain { text, at, base } => {
                let bytes = text.as_bytes();
                while bytes.get(*at).is_some_and(|b| matches!(b, b' ' | b'\t')) {
                    *at += 1;
                }
                if *at >= bytes.len() {
                    return None;
                }
                let start = *at;
                let end = memchr::memchr2(b' ', b'\t', &bytes[start..])
                    .map_or(bytes.len(), |i| start + i);
                *at = end;
                Some(Word {
                    text: Cow::Borrowed(&text[start..end]),
                    at: *base + start,
                })
            }
            Words::Quoted(words) => words.next(),
        }
    }
}

/// [`shlex_split`] for text with quotes or escapes.
fn shlex_split_quoted(s: &str, base: usize) -> Result<Vec<Word<'_>>, (OptionError, usize)> {
    let unclosed = |i: usize| (OptionError::NoClosingQuotation(s[i..].to_owned()), base + i);
    let mut words = Vec::new();
    let mut chars = s.char_indices().peekable();
    let mut current: Option<Word> = None;
    while let Some((i, c)) = chars.next() {
        match c {
            ' ' | '\t' | '\r' | '\n' => {
                words.extend(current.take());
            }
            '\'' => {
                let word = current.get_or_insert(Word {
                    text: Cow::Owned(String::new()),
                    at: base + i,
                });
                loop {
                    match chars.next() {
                        Some((_, '\'')) => break,
                        Some((_, c)) => word.text.to_mut().push(c),
                        None => return Err(unclosed(i)),
                    }
                }
            }
            '"' => {
                let word = current.get_or_insert(Word {
                    text: Cow::Owned(String::new()),
                    at: base + i,
                });
                loop {
                    match chars.next() {
                        Some((_, '"')) => break,
                        Some((_, '\\')) => match chars.next() {
                            Some((_, c @ ('"' | '\\'))) => word.text.to_mut().push(c),
                            Some((_, c)) => {
                                word.text.to_mut().push('\\');
                                word.text.to_mut().push(c);
                            }
                            None => return Err(unclosed(i)),
                        },
                        Some((_, c)) => word.text.to_mut().push(c),
                        None => return Err(unclosed(i)),
                    }
                }
            }
            '\\' => {
                let word = current.get_or_insert(Word {
                    text: Cow::Owned(String::new()),
                    at: base + i,
                });
                match chars.next() {
                    Some((_, c)) => word.text.to_mut().push(c),
                    None => {
                        return Err((OptionError::NoEscapedCharacter(s.to_owned()), base + i));
                    }
                }
            }
            c => current
                .get_or_insert(Word {
                    text: Cow::Owned(String::new()),
                    at: base + i,
                })
                .text
                .to_mut()
                .push(c),
        }
    }
    words.extend(current);
    Ok(words)
}

/// One option occurrence read from a line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Given<'a> {
    pub opt: Opt,
    /// The option as spelled (`-i`, `--index-url`, `--ind`).
    pub spelled: Cow<'a, str>,
    pub value: Option<Cow<'a, str>>,
    /// Byte offset of the option in the line.
    pub at: usize,
}

/// What `optparse` made of the words: the options in order, and the positional words it
/// ignores.
#[derive(Debug, Default)]
pub(crate) struct Parsed<'a> {
    pub options: Vec<Given<'a>>,
    pub ignored: Vec<Word<'a>>,
}

fn match_long(given: &str) -> Result<(Opt, &'static str), OptionError> {
    // `--hash` first: a lock file spells it on nearly every line.
    if given == "--hash" {
        return Ok((Opt::Hash, "--hash"));
    }
    if let Some(&(name, opt)) = LONG.iter().find(|(name, _)| *name == given) {
        return Ok((opt, name));
    }
    let candidates: Vec<&(&str, Opt)> = LONG
        .iter()
        .filter(|(name, _)| name.starts_with(given))
        .collect();
    match candidates.as_slice() {
        [] => Err(OptionError::NoSuchOption(given.to_owned())),
        [(name, opt)] => Ok((*opt, name)),
        many => {
            let mut names: Vec<String> = many.iter().map(|(n, _)| (*n).to_owned()).collect();
            names.sort();
            Err(OptionError::Ambiguous {
                given: given.to_owned(),
                candidates: names,
            })
        }
    }
}

/// Reads the words as `optparse.OptionParser.parse_args` does with pip's table. The first
/// error stops the line, as in pip; its byte offset in the line comes with it.
pub(crate) fn parse_words<'a>(
    words: impl Iterator<Item = Word<'a>>,
) -> Result<Parsed<'a>, (OptionError, usize)> {
    let mut parsed = Parsed::default();
    let mut rest = words;
    while let Some(word) = rest.next() {
        let at = word.at;
        let arg: &str = &word.text;
        if arg == "--" {
            parsed.ignored.extend(rest);
            break;
        } else if arg.starts_with("--") {
            let (name_len, explicit) = match super::split_once_ascii(arg, b'=') {
                Some((name, value)) => (
                    name.len(),
                    Some(name.len() + 1..value.len() + name.len() + 1),
                ),
                None => (arg.len(), None),
            };
            let (opt, full) = match_long(&arg[..name_len]).map_err(|e| (e, at))?;
            let value = if opt.takes_value() {
                match explicit {
                    Some(range) => Some(sub_word(&word.text, range)),
                    None => match rest.next() {
                        Some(next) => Some(next.text),
                        None => {
                            return Err((
                                OptionError::MissingValue(arg[..name_len].to_owned()),
                                at,
                            ));
                        }
                    },
                }
            } else if explicit.is_some() {
                return Err((OptionError::UnexpectedValue(full.to_owned()), at));
            } else {
                None
            };
            parsed.options.push(Given {
                opt,
                spelled: sub_word(&word.text, 0..name_len),
                value,
                at,
            });
        } else if arg.starts_with('-') && arg != "-" {
            let mut chars = arg.char_indices().skip(1);
            if let Some((i, c)) = chars.next() {
                let end = i + c.len_utf8();
                let Some(&(_, opt)) = SHORT.iter().find(|(s, _)| *s == c) else {
                    return Err((OptionError::NoSuchOption(arg[..end].to_owned()), at));
                };
                // Every short option takes a value: the rest of the word, or the next word.
                let value = if end < arg.len() {
                    sub_word(&word.text, end..arg.len())
                } else {
                    match rest.next() {
                        Some(next) => next.text,
                        None => {
                            return Err((OptionError::MissingValue(arg[..end].to_owned()), at));
                        }
                    }
                };
                parsed.options.push(Given {
                    opt,
                    spelled: sub_word(&word.text, 0..end),
                    value: Some(value),
                    at,
                });
            }
        } else {
            parsed.ignored.push(word);
        }
    }
    Ok(parsed)
}

/// A part of a word: borrowed from the line when the word is.
fn sub_word<'a>(word: &Cow<'a, str>, range: std::ops::Range<usize>) -> Cow<'a, str> {
    match word {
        Cow::Borrowed(text) => Cow::Borrowed(&text[range]),
        Cow::Owned(text) => Cow::Owned(text[range].to_owned()),
    }
}

/// Splits a logical line as pip's `break_args_options`: the words (split on single spaces)
/// before the first one starting with `-` are the requirement, the rest are options. Returns
/// the requirement text and the byte offset where the options start.
pub(crate) fn break_args_options(line: &str) -> (&str, Option<usize>) {
    // A token starts the line or follows a space.
    let bytes = line.as_bytes();
    for at in memchr::memchr_iter(b'-', bytes) {
        if at == 0 {
            return ("", Some(0));
        }
        if bytes[at - 1] == b' ' {
            return (&line[..at - 1], Some(at));
        }
    }
    (line, None)
}

impl fmt::Display for Opt {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let name = LONG.iter().find(|(_, o)| o == self).map_or("?", |(n, _)| n);
        f.write_str(name)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(s: &str) -> Vec<String> {
        shlex_split(s, 0)
            .unwrap()
            .map(|w| w.text.into_owned())
            .collect()
    }

    #[test]
    fn shlex_like_python() {
        assert_eq!(
            words(r#"a 'b c' "d\"e" f\ g "h\i""#),
            ["a", "b c", "d\"e", "f g", "h\\i"]
        );
        assert_eq!(words(r#"x"" ''"#), ["x", ""]);
        assert!(shlex_split("'a", 0).is_err());
        assert!(shlex_split("a\\", 0).is_err());
    }

    #[test]
    fn optparse_like_python() {
        let p =
            parse_words(shlex_split("--no-i -rfoo.txt --hash=sha256:x --ind u extra", 0).unwrap())
                .unwrap();
        let got: Vec<(Opt, Option<String>)> = p
            .options
            .into_iter()
            .map(|g| (g.opt, g.value.map(Cow::into_owned)))
            .collect();
        assert_eq!(
            got,
            [
                (Opt::NoIndex, None),
                (Opt::Requirement, Some("foo.txt".into())),
                (Opt::Hash, Some("sha256:x".into())),
                (Opt::IndexUrl, Some("u".into())),
            ]
        );
        assert_eq!(p.ignored.len(), 1);
        assert!(matches!(
            parse_words(shlex_split("--re x", 0).unwrap()),
            Err((OptionError::Ambiguous { .. }, 0))
        ));
        assert!(matches!(
            parse_words(shlex_split("--pre=1", 0).unwrap()),
            Err((OptionError::UnexpectedValue(_), 0))
        ));
    }

    #[test]
    fn args_and_options() {
        assert_eq!(break_args_options("foo==1 --hash x"), ("foo==1", Some(7)));
        assert_eq!(break_args_options("-e ."), ("", Some(0)));
        assert_eq!(break_args_options("foo ; a-b"), ("foo ; a-b", None));
    }
}
