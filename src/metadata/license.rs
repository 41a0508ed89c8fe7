//! SPDX license expressions, as the core metadata
//! [`License-Expression`](https://packaging.python.org/en/latest/specifications/core-metadata/#license-expression)
//! field holds them ([PEP 639](https://peps.python.org/pep-0639/#spdx-license-expression-syntax)).
//!
//! # Syntax
//!
//! ```text
//! expression := term (("AND" | "OR") term)*
//! term       := "(" expression ")" | license ["WITH" exception]
//! license    := SPDX-ID ["+"] | "LicenseRef-" [A-Za-z0-9.-]+
//! ```
//!
//! Operators and identifiers are case-insensitive; tokens are separated by whitespace or
//! parentheses. The canonical form spells every identifier as the SPDX list does, operators in
//! upper case, one space between tokens and none inside parentheses, as
//! `packaging.licenses.canonicalize_license_expression` writes it (including its choice, when
//! one `LicenseRef-` appears in several spellings, of the last one for all of them). The
//! identifier tables are generated from packaging's copy of the SPDX list (`spdx.rs`).

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

use super::spdx;
use crate::diagnostic::Quoted;
use crate::version::is_python_space;

/// A valid SPDX license expression in canonical form.
///
/// # Examples
///
/// ```
/// use pypackaging::metadata::LicenseExpression;
///
/// let expression: LicenseExpression = "mit and (apache-2.0 or bsd-2-clause)".parse()?;
/// assert_eq!(expression.as_str(), "MIT AND (Apache-2.0 OR BSD-2-Clause)");
/// assert!("Use-it-after-midnight".parse::<LicenseExpression>().is_err());
/// # Ok::<(), pypackaging::metadata::LicenseExpressionError>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct LicenseExpression(String);

impl LicenseExpression {
    /// Parses and canonicalizes an expression.
    ///
    /// # Errors
    ///
    /// Empty or malformed expressions (`(MIT`, `MIT Apache-2.0`, `MIT WITH`), unknown license
    /// or exception identifiers, and `LicenseRef-` identifiers with characters outside
    /// `[A-Za-z0-9.-]` or a `+`.
    pub fn parse(s: &str) -> Result<Self, LicenseExpressionError> {
        s.parse()
    }

    /// The canonical text.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The version of the SPDX license list this crate validates against.
    pub fn spdx_version() -> &'static str {
        spdx::SPDX_VERSION
    }
}

/// Why a license expression is not valid.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum LicenseExpressionError {
    /// The expression does not follow the grammar.
    #[error("invalid license expression `{}`", Quoted(.expression))]
    Syntax {
        /// The expression as given.
        expression: String,
    },
    /// An identifier that is not on the SPDX license list.
    #[error("unknown license `{}` in license expression `{}`", Quoted(.license), Quoted(.expression))]
    UnknownLicense {
        /// The expression as given.
        expression: String,
        /// The identifier (lower-cased, as looked up).
        license: String,
    },
    /// An identifier after `WITH` that is not on the SPDX exception list.
    #[error(
        "unknown license exception `{}` in license expression `{}`",
        Quoted(.exception),
        Quoted(.expression)
    )]
    UnknownException {
        /// The expression as given.
        expression: String,
        /// The identifier (lower-cased, as looked up).
        exception: String,
    },
    /// A `LicenseRef-` identifier with a character outside `[A-Za-z0-9.-]`, or a `+`.
    #[error("invalid license reference `{}` in license expression `{}`", Quoted(.reference), Quoted(.expression))]
    InvalidReference {
        /// The expression as given.
        expression: String,
        /// The reference (lower-cased).
        reference: String,
    },
}

fn lookup(table: &'static [(&str, &str, bool)], key: &str) -> Option<&'static str> {
    table
        .binary_search_by(|(k, _, _)| (*k).cmp(key))
        .ok()
        .map(|i| table[i].1)
}

const OPERATORS: [&str; 5] = ["and", "or", "with", "(", ")"];

/// Recursive-descent check of the grammar over lower-cased tokens.
struct Grammar<'a> {
    tokens: &'a [String],
    at: usize,
}

impl Grammar<'_> {
    fn peek(&self) -> Option<&str> {
        self.tokens.get(self.at).map(String::as_str)
    }

    fn identifier(&mut self) -> bool {
        match self.peek() {
            Some(t) if !OPERATORS.contains(&t) => {
                self.at += 1;
                true
            }
            _ => false,
        }
    }

    fn term(&mut self) -> bool {
        if self.peek() == Some("(") {
            self.at += 1;
            if !self.expression() || self.peek() != Some(")") {
                return false;
            }
            self.at += 1;
            return true;
        }
        if !self.identifier() {
            return false;
        }
        if self.peek() == Some("with") {
            self.at += 1;
            return self.identifier();
        }
        true
    }

    fn expression(&mut self) -> bool {
        if !self.term() {
            return false;
        }
        while matches!(self.peek(), Some("and" | "or")) {
            self.at += 1;
            if !self.term() {
                return false;
            }
        }
        true
    }
}

fn valid_reference(id: &str) -> bool {
    !id.is_empty()
        && id
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'.' || b == b'-')
}

impl FromStr for LicenseExpression {
    type Err = LicenseExpressionError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let syntax = || LicenseExpressionError::Syntax {
            expression: s.to_owned(),
        };
        let padded = s.replace('(', " ( ").replace(')', " ) ");
        let original: Vec<&str> = padded
            .split(is_python_space)
            .filter(|t| !t.is_empty())
            .collect();
        // The spelling of each `LicenseRef-` (the last one given wins, as in packaging).
        let mut references: Vec<(String, String)> = Vec::new();
        for token in &original {
            let lower = token.to_lowercase();
            if lower.starts_with("licenseref-") {
                let spelled = format!(
                    "LicenseRef-{}",
                    token.get("LicenseRef-".len()..).unwrap_or("")
                );
                match references.iter_mut().find(|(k, _)| *k == lower) {
                    Some(entry) => entry.1 = spelled,
                    None => references.push((lower, spelled)),
                }
            }
        }
        let tokens: Vec<String> = padded
            .to_lowercase()
            .split(is_python_space)
            .filter(|t| !t.is_empty())
            .map(str::to_owned)
            .collect();
        let mut grammar = Grammar {
            tokens: &tokens,
            at: 0,
        };
        if tokens.is_empty() || !grammar.expression() || grammar.at != tokens.len() {
            return Err(syntax());
        }
        let mut out: Vec<String> = Vec::with_capacity(tokens.len());
        for token in &tokens {
            if OPERATORS.contains(&token.as_str()) {
                out.push(token.to_ascii_uppercase());
            } else if out.last().is_some_and(|t| t == "WITH") {
                match lookup(spdx::EXCEPTIONS, token) {
                    Some(id) => out.push(id.to_owned()),
                    None => {
                        return Err(LicenseExpressionError::UnknownException {
                            expression: s.to_owned(),
                            exception: token.clone(),
                        });
                    }
                }
            } else {
                let (id, plus) = match token.strip_suffix('+') {
                    Some(id) => (id, "+"),
                    None => (token.as_str(), ""),
                };
                if let Some(reference) = id.strip_prefix("licenseref-") {
                    if !plus.is_empty() || !valid_reference(reference) {
                        return Err(LicenseExpressionError::InvalidReference {
                            expression: s.to_owned(),
                            reference: token.clone(),
                        });
                    }
                    let spelled = references
                        .iter()
                        .find(|(k, _)| k == id)
                        .map_or_else(|| id.to_owned(), |(_, v)| v.clone());
                    out.push(spelled);
                } else {
                    match lookup(spdx::LICENSES, id) {
                        Some(canonical) => out.push(format!("{canonical}{plus}")),
                        None => {
                            return Err(LicenseExpressionError::UnknownLicense {
                                expression: s.to_owned(),
                                license: id.to_owned(),
                            });
                        }
                    }
                }
            }
        }
        Ok(LicenseExpression(
            out.join(" ").replace("( ", "(").replace(" )", ")"),
        ))
    }
}

impl fmt::Display for LicenseExpression {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl Serialize for LicenseExpression {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.0)
    }
}

impl<'de> Deserialize<'de> for LicenseExpression {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let s = std::borrow::Cow::<'de, str>::deserialize(deserializer)?;
        s.parse().map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn canonical(s: &str) -> Result<String, String> {
        s.parse::<LicenseExpression>()
            .map(|e| e.to_string())
            .map_err(|e| e.to_string())
    }

    #[test]
    fn canonical_forms() {
        assert_eq!(canonical("mit").unwrap(), "MIT");
        assert_eq!(
            canonical("mit and (apache-2.0 or bsd-2-clause)").unwrap(),
            "MIT AND (Apache-2.0 OR BSD-2-Clause)"
        );
        assert_eq!(
            canonical("gpl-2.0-or-later with classpath-exception-2.0").unwrap(),
            "GPL-2.0-or-later WITH Classpath-exception-2.0"
        );
        assert_eq!(canonical("((MIT))").unwrap(), "((MIT))");
        assert_eq!(canonical("Apache-1.0+").unwrap(), "Apache-1.0+");
        assert_eq!(
            canonical("LicenseRef-Foo or licenseref-FOO").unwrap(),
            "LicenseRef-FOO OR LicenseRef-FOO"
        );
        // canonical text is a fixpoint
        let once = canonical("mit OR (0bsd and isc)").unwrap();
        assert_eq!(canonical(&once).unwrap(), once);
    }

    #[test]
    fn invalid_expressions() {
        for bad in [
            "",
            "(mit",
            "mit)",
            "mit apache-2.0",
            "mit and",
            "and mit",
            "mit with",
            "()",
            "(mit) with classpath-exception-2.0",
            "mit with (x)",
            "mit with a with b",
        ] {
            assert!(canonical(bad).is_err(), "{bad:?} accepted");
        }
        insta::assert_snapshot!(canonical("Use-it-after-midnight").unwrap_err(), @"unknown license `use-it-after-midnight` in license expression `Use-it-after-midnight`");
        insta::assert_snapshot!(canonical("MIT WITH nope").unwrap_err(), @"unknown license exception `nope` in license expression `MIT WITH nope`");
        insta::assert_snapshot!(canonical("LicenseRef-a_b").unwrap_err(), @"invalid license reference `licenseref-a_b` in license expression `LicenseRef-a_b`");
        insta::assert_snapshot!(canonical("(mit").unwrap_err(), @"invalid license expression `(mit`");
    }
}
