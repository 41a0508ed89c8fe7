//! The options a requirements file line may carry, parsed as pip parses them: the line is cut
//! at the first space-separated token starting with `-` (`break_args_options`), the rest is split
//! with POSIX `shlex` rules and read by `optparse` with pip's option table.
//!
//! `optparse` behaviour reproduced: long options may be abbreviated to any unique prefix
//! (`--no-i` is `--no-index`), `--opt=value` and `--opt value`, short options glued to their
//! value (`-rfile.txt`), a value is taken even when it starts with `-`, `--` ends the options,
//! and stray positional words after the options are ignored (pip ignores them silently; this
//! crate reports a warning).

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

/// A word of the options part, with its byte offset in the line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Word {
    pub text: String,
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
pub(crate) fn shlex_split(s: &str, base: usize) -> Result<Vec<Word>, (OptionError, usize)> {
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
                    text: String::new(),
                    at: base + i,
                });
                loop {
                    match chars.next() {
                        Some((_, '\'')) => break,
                        Some((_, c)) => word.text.push(c),
                        None => return Err(unclosed(i)),
                    }
                }
            }
            '"' => {
                let word = current.get_or_insert(Word {
                    text: String::new(),
                    at: base + i,
                });
                loop {
                    match chars.next() {
                        Some((_, '"')) => break,
                        Some((_, '\\')) => match chars.next() {
                            Some((_, c @ ('"' | '\\'))) => word.text.push(c),
                            Some((_, c)) => {
                                word.text.push('\\');
                                word.text.push(c);
                            }
                            None => return Err(unclosed(i)),
                        },
                        Some((_, c)) => word.text.push(c),
                        None => return Err(unclosed(i)),
                    }
                }
            }
            '\\' => {
                let word = current.get_or_insert(Word {
                    text: String::new(),
                    at: base + i,
                });
                match chars.next() {
                    Some((_, c)) => word.text.push(c),
                    None => {
                        return Err((OptionError::NoEscapedCharacter(s.to_owned()), base + i));
                    }
                }
            }
            c => current
                .get_or_insert(Word {
                    text: String::new(),
                    at: base + i,
                })
                .text
                .push(c),
        }
    }
    words.extend(current);
    Ok(words)
}

/// One option occurrence read from a line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Given {
    pub opt: Opt,
    /// The option as spelled (`-i`, `--index-url`, `--ind`).
    pub spelled: String,
    pub value: Option<String>,
    /// Byte offset of the option in the line.
    pub at: usize,
}

/// What `optparse` made of the words: the options in order, and the positional words it
/// ignores.
#[derive(Debug, Default)]
pub(crate) struct Parsed {
    pub options: Vec<Given>,
    pub ignored: Vec<Word>,
}

fn match_long(given: &str) -> Result<(Opt, &'static str), OptionError> {
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
pub(crate) fn parse_words(words: Vec<Word>) -> Result<Parsed, (OptionError, usize)> {
    let mut parsed = Parsed::default();
    let mut rest = std::collections::VecDeque::from(words);
    while let Some(word) = rest.pop_front() {
        let at = word.at;
        let arg = word.text.as_str();
        if arg == "--" {
            parsed.ignored.extend(rest);
            break;
        } else if let Some(body) = arg.strip_prefix("--") {
            let _ = body;
            let (name, explicit) = match arg.split_once('=') {
                Some((name, value)) => (name, Some(value.to_owned())),
                None => (arg, None),
            };
            let (opt, _) = match_long(name).map_err(|e| (e, at))?;
            let value = if opt.takes_value() {
                match explicit {
                    Some(value) => Some(value),
                    None => match rest.pop_front() {
                        Some(next) => Some(next.text),
                        None => return Err((OptionError::MissingValue(name.to_owned()), at)),
                    },
                }
            } else if explicit.is_some() {
                let (_, full) = match_long(name).map_err(|e| (e, at))?;
                return Err((OptionError::UnexpectedValue(full.to_owned()), at));
            } else {
                None
            };
            parsed.options.push(Given {
                opt,
                spelled: name.to_owned(),
                value,
                at,
            });
        } else if arg.starts_with('-') && arg != "-" {
            let mut chars = arg.char_indices().skip(1);
            if let Some((i, c)) = chars.next() {
                let spelled = format!("-{c}");
                let Some(&(_, opt)) = SHORT.iter().find(|(s, _)| *s == c) else {
                    return Err((OptionError::NoSuchOption(spelled), at));
                };
                // Every short option takes a value: the rest of the word, or the next word.
                let glued = &arg[i + c.len_utf8()..];
                let value = if !glued.is_empty() {
                    glued.to_owned()
                } else {
                    match rest.pop_front() {
                        Some(next) => next.text,
                        None => return Err((OptionError::MissingValue(spelled), at)),
                    }
                };
                parsed.options.push(Given {
                    opt,
                    spelled,
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

/// Splits a logical line as pip's `break_args_options`: the words (split on single spaces)
/// before the first one starting with `-` are the requirement, the rest are options. Returns
/// the requirement text and the byte offset where the options start.
pub(crate) fn break_args_options(line: &str) -> (&str, Option<usize>) {
    let mut offset = 0;
    for token in line.split(' ') {
        if token.starts_with('-') {
            let args = if offset == 0 { "" } else { &line[..offset - 1] };
            return (args, Some(offset));
        }
        offset += token.len() + 1;
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
            .into_iter()
            .map(|w| w.text)
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
        let got: Vec<(Opt, Option<String>)> =
            p.options.into_iter().map(|g| (g.opt, g.value)).collect();
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
