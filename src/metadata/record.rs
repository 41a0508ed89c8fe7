//! The `RECORD` file of a wheel's `.dist-info` directory.

use std::fmt;
use std::str::FromStr;

use crate::diagnostic::Quoted;
use crate::hash::{Digest, HashAlgorithm, HashError};

/// One row of `RECORD`: a path, its digest and its size.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct RecordEntry {
    /// The path inside the archive, `/`-separated, as written.
    pub path: String,
    /// The digest (`None` for `RECORD` itself and its signatures).
    pub digest: Option<Digest>,
    /// The size in bytes (`None` where the digest is `None`).
    pub size: Option<u64>,
}

/// The contents of a wheel's `RECORD`
/// ([recording installed projects](https://packaging.python.org/en/latest/specifications/recording-installed-packages/#the-record-file),
/// [binary distribution format](https://packaging.python.org/en/latest/specifications/binary-distribution-format/#the-dist-info-directory)).
///
/// # Syntax
///
/// CSV as Python's `csv` module reads and writes it (`,` separated, `"` quoting with `""` for a
/// quote inside a quoted field, rows ending at `\n` or `\r\n`), three fields per row:
///
/// ```text
/// demo/__init__.py,sha256=AVTb7CUtNuD4tkT5WJt7b-2Wrgx9tStsDurr3ZfI8oc,22
/// "demo/a,b.py",sha256=47DEQpj8HBSa-_TImW-5JCeuQeRkm5NMpJWZG3hSuFU,0
/// demo-1.0.dist-info/RECORD,,
/// ```
///
/// Strict, as a wheel's `RECORD` must be: every row has a strong digest (sha256, sha384 or
/// sha512; md5, sha1 and sha224 are refused) except `RECORD` itself and its
/// [deprecated](https://peps.python.org/pep-0815/) signatures `RECORD.jws` and `RECORD.p7s`;
/// sizes are decimal; no path appears twice. Blank lines are skipped.
///
/// # Examples
///
/// ```
/// use pypackaging::metadata::Record;
///
/// let record = Record::parse(b"demo/__init__.py,sha256=47DEQpj8HBSa-_TImW-5JCeuQeRkm5NMpJWZG3hSuFU,0\ndemo-1.0.dist-info/RECORD,,\n")?;
/// assert_eq!(record.entries().len(), 2);
/// assert_eq!(Record::parse(record.to_string().as_bytes())?, record);
/// # Ok::<(), pypackaging::metadata::RecordError>(())
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub struct Record {
    entries: Vec<RecordEntry>,
}

/// Why a `RECORD` is not valid. Lines are 1-based (the line where the row starts).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum RecordError {
    /// The file is not UTF-8.
    #[error("`RECORD` is not valid UTF-8 (at byte {offset})")]
    InvalidUtf8 {
        /// Byte offset of the first invalid sequence.
        offset: usize,
    },
    /// A quoted field is not closed.
    #[error("`RECORD` line {line}: unterminated quoted field")]
    UnterminatedQuote {
        /// Line.
        line: usize,
    },
    /// A character after a closing quote other than `,` or the end of the row.
    #[error("`RECORD` line {line}: unexpected text after a quoted field")]
    TextAfterQuote {
        /// Line.
        line: usize,
    },
    /// A row without exactly three fields.
    #[error("`RECORD` line {line}: expected 3 fields (path, hash, size), found {found}")]
    FieldCount {
        /// Line.
        line: usize,
        /// The number of fields.
        found: usize,
    },
    /// An empty path.
    #[error("`RECORD` line {line}: empty path")]
    EmptyPath {
        /// Line.
        line: usize,
    },
    /// A hash that cannot be parsed.
    #[error("`RECORD` line {line}: invalid hash for `{}`: {source}", Quoted(.path))]
    InvalidHash {
        /// Line.
        line: usize,
        /// The path.
        path: String,
        /// Why.
        #[source]
        source: HashError,
    },
    /// An md5, sha1 or sha224 hash, which wheels may not use.
    #[error("`RECORD` line {line}: {algorithm} hash for `{}` is not allowed: use sha256 or stronger", Quoted(.path))]
    WeakHash {
        /// Line.
        line: usize,
        /// The path.
        path: String,
        /// The algorithm.
        algorithm: HashAlgorithm,
    },
    /// A size that is not a decimal number.
    #[error("`RECORD` line {line}: invalid size `{}` for `{}`", Quoted(.size), Quoted(.path))]
    InvalidSize {
        /// Line.
        line: usize,
        /// The path.
        path: String,
        /// The size as written.
        size: String,
    },
    /// A file other than `RECORD` and its signatures without a hash.
    #[error("`RECORD` line {line}: `{}` has no hash", Quoted(.path))]
    Unhashed {
        /// Line.
        line: usize,
        /// The path.
        path: String,
    },
    /// A path listed twice.
    #[error("`RECORD` line {line}: `{}` is listed twice (first on line {first})", Quoted(.path))]
    Duplicate {
        /// Line of the second row.
        line: usize,
        /// Line of the first row.
        first: usize,
        /// The path.
        path: String,
    },
}

impl RecordError {
    /// The 1-based line of the row at fault (`None` for a file that is not UTF-8).
    pub fn line(&self) -> Option<usize> {
        match self {
            RecordError::InvalidUtf8 { .. } => None,
            RecordError::UnterminatedQuote { line }
            | RecordError::TextAfterQuote { line }
            | RecordError::FieldCount { line, .. }
            | RecordError::EmptyPath { line }
            | RecordError::InvalidHash { line, .. }
            | RecordError::WeakHash { line, .. }
            | RecordError::InvalidSize { line, .. }
            | RecordError::Unhashed { line, .. }
            | RecordError::Duplicate { line, .. } => Some(*line),
        }
    }
}

/// Whether `path` is a `RECORD` file or one of its signatures in a `.dist-info` directory:
/// the rows that have no hash.
pub(crate) fn is_record_file(path: &str) -> bool {
    let Some((dir, file)) = path.rsplit_once('/') else {
        return false;
    };
    !dir.contains('/')
        && dir.ends_with(".dist-info")
        && matches!(file, "RECORD" | "RECORD.jws" | "RECORD.p7s")
}

/// Splits CSV text into rows of fields, each with the line it starts on.
fn rows(text: &str) -> Result<Vec<(usize, Vec<String>)>, RecordError> {
    let mut rows = Vec::new();
    let mut chars = text.chars().peekable();
    let mut line = 1;
    while chars.peek().is_some() {
        let start = line;
        let mut fields = Vec::new();
        let mut field = String::new();
        let mut blank = true;
        loop {
            match chars.next() {
                None => {
                    fields.push(std::mem::take(&mut field));
                    break;
                }
                Some('\n') => {
                    line += 1;
                    fields.push(std::mem::take(&mut field));
                    break;
                }
                Some('\r') if chars.peek() == Some(&'\n') => {}
                Some(',') => {
                    blank = false;
                    fields.push(std::mem::take(&mut field));
                }
                Some('"') if field.is_empty() => {
                    blank = false;
                    loop {
                        match chars.next() {
                            None => return Err(RecordError::UnterminatedQuote { line: start }),
                            Some('"') if chars.peek() == Some(&'"') => {
                                chars.next();
                                field.push('"');
                            }
                            Some('"') => break,
                            Some(c) => {
                                if c == '\n' {
                                    line += 1;
                                }
                                field.push(c);
                            }
                        }
                    }
                    match chars.peek() {
                        None | Some(',' | '\n') => {}
                        Some('\r') => {}
                        Some(_) => return Err(RecordError::TextAfterQuote { line: start }),
                    }
                }
                Some(c) => {
                    blank = false;
                    field.push(c);
                }
            }
        }
        if !blank {
            rows.push((start, fields));
        }
    }
    Ok(rows)
}

impl Record {
    /// A record of the given entries (not checked).
    pub fn new(entries: Vec<RecordEntry>) -> Record {
        Record { entries }
    }

    /// The rows, in file order.
    pub fn entries(&self) -> &[RecordEntry] {
        &self.entries
    }

    /// The entry for `path`, if listed.
    pub fn get(&self, path: &str) -> Option<&RecordEntry> {
        self.entries.iter().find(|e| e.path == path)
    }

    /// Parses a wheel's `RECORD`.
    ///
    /// # Errors
    ///
    /// The first problem found: text that is not UTF-8, broken quoting, a row without three
    /// fields, an empty path, an unparsable or weak hash, an invalid size, a missing hash on
    /// a file other than `RECORD`/`RECORD.jws`/`RECORD.p7s`, a path listed twice.
    pub fn parse(data: &[u8]) -> Result<Record, RecordError> {
        // The lenient reader checks the rows in the same order and reports each row's first
        // problem, so its first problem is where strict reading stops.
        let (record, problems) = Record::parse_lenient(data)?;
        match problems.into_iter().next() {
            Some(first) => Err(first),
            None => Ok(record),
        }
    }
}

impl Record {
    /// Reads a wheel's `RECORD` as installer 1.0 reads it, returning the rows strict
    /// [`parse`](Self::parse) would reject beside the usable ones.
    ///
    /// Fatal, as installer's `parse_record_file` and the UTF-8 decoding before it: text that
    /// is not UTF-8, broken quoting, a row without three fields. Every other problem is
    /// returned with its row: an empty path, an unparsable, weak (md5, sha1, sha224: this
    /// crate cannot check them) or missing hash, an invalid size (such rows are left out of
    /// the record, except a missing hash, kept without a digest), a path listed twice (the
    /// last row wins, as installer's `dict` keeps it). installer only checks the rows of the
    /// members it finds, so whether such a row matters depends on the archive
    /// ([`check_wheel`](super::check_wheel) decides).
    ///
    /// # Errors
    ///
    /// [`RecordError::InvalidUtf8`], [`RecordError::UnterminatedQuote`],
    /// [`RecordError::TextAfterQuote`], [`RecordError::FieldCount`].
    pub fn parse_lenient(data: &[u8]) -> Result<(Record, Vec<RecordError>), RecordError> {
        let text = std::str::from_utf8(data).map_err(|e| RecordError::InvalidUtf8 {
            offset: e.valid_up_to(),
        })?;
        let mut entries: Vec<RecordEntry> = Vec::new();
        let mut problems = Vec::new();
        let mut lines: std::collections::HashMap<String, (usize, usize)> =
            std::collections::HashMap::new();
        for (line, fields) in rows(text)? {
            let [path, hash, size] =
                <[String; 3]>::try_from(fields).map_err(|fields| RecordError::FieldCount {
                    line,
                    found: fields.len(),
                })?;
            if path.is_empty() {
                problems.push(RecordError::EmptyPath { line });
                continue;
            }
            let digest = if hash.is_empty() {
                if !is_record_file(&path) {
                    problems.push(RecordError::Unhashed {
                        line,
                        path: path.clone(),
                    });
                }
                None
            } else {
                match Digest::from_record(&hash) {
                    Ok(digest) if digest.is_strong() => Some(digest),
                    Ok(digest) => {
                        problems.push(RecordError::WeakHash {
                            line,
                            path,
                            algorithm: digest.algorithm(),
                        });
                        continue;
                    }
                    Err(source) => {
                        problems.push(RecordError::InvalidHash { line, path, source });
                        continue;
                    }
                }
            };
            let size = if size.is_empty() {
                None
            } else {
                match size.parse::<u64>() {
                    Ok(n) if size.bytes().all(|b| b.is_ascii_digit()) => Some(n),
                    _ => {
                        problems.push(RecordError::InvalidSize { line, path, size });
                        continue;
                    }
                }
            };
            let entry = RecordEntry {
                path: path.clone(),
                digest,
                size,
            };
            if let Some(&(first, index)) = lines.get(&path) {
                problems.push(RecordError::Duplicate {
                    line,
                    first,
                    path: path.clone(),
                });
                entries[index] = entry;
                continue;
            }
            lines.insert(path, (line, entries.len()));
            entries.push(entry);
        }
        Ok((Record { entries }, problems))
    }

    /// The path of the row a problem is about, if it names one.
    pub(crate) fn problem_path(error: &RecordError) -> Option<&str> {
        match error {
            RecordError::InvalidHash { path, .. }
            | RecordError::WeakHash { path, .. }
            | RecordError::InvalidSize { path, .. }
            | RecordError::Unhashed { path, .. }
            | RecordError::Duplicate { path, .. } => Some(path),
            _ => None,
        }
    }
}

impl FromStr for Record {
    type Err = RecordError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Record::parse(s.as_bytes())
    }
}

fn write_field(f: &mut fmt::Formatter<'_>, field: &str) -> fmt::Result {
    if field.contains([',', '"', '\r', '\n']) {
        write!(f, "\"{}\"", field.replace('"', "\"\""))
    } else {
        f.write_str(field)
    }
}

/// Writes the rows as `wheel` writes them: `csv.writer` quoting (minimal), `\n` line ends.
impl fmt::Display for Record {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for entry in &self.entries {
            write_field(f, &entry.path)?;
            f.write_str(",")?;
            if let Some(digest) = &entry.digest {
                write!(f, "{}", digest.record())?;
            }
            f.write_str(",")?;
            if let Some(size) = entry.size {
                write!(f, "{size}")?;
            }
            f.write_str("\n")?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn error(text: &str) -> String {
        Record::parse(text.as_bytes()).unwrap_err().to_string()
    }

    const HASH: &str = "sha256=47DEQpj8HBSa-_TImW-5JCeuQeRkm5NMpJWZG3hSuFU";

    #[test]
    fn quoting_round_trips() {
        let text = format!(
            "\"a,b.py\",{HASH},0\r\n\"q\"\"uote\nnewline.py\",{HASH},0\n\nx-1.dist-info/RECORD,,\nx-1.dist-info/RECORD.jws,,\n"
        );
        let record = Record::parse(text.as_bytes()).unwrap();
        let paths: Vec<&str> = record.entries().iter().map(|e| e.path.as_str()).collect();
        assert_eq!(
            paths,
            [
                "a,b.py",
                "q\"uote\nnewline.py",
                "x-1.dist-info/RECORD",
                "x-1.dist-info/RECORD.jws"
            ]
        );
        assert_eq!(
            Record::parse(record.to_string().as_bytes()).unwrap(),
            record
        );
    }

    #[test]
    fn errors() {
        insta::assert_snapshot!(error("a.py,,\n"), @"`RECORD` line 1: `a.py` has no hash");
        insta::assert_snapshot!(error("a.py,md5=1B2M2Y8AsgTpgAmY7PhCfg,0\n"), @"`RECORD` line 1: md5 hash for `a.py` is not allowed: use sha256 or stronger");
        insta::assert_snapshot!(error("a.py,sha1=2jmj7l5rSw0yVb_vlWAYkK_YBwk,0\n"), @"`RECORD` line 1: sha1 hash for `a.py` is not allowed: use sha256 or stronger");
        insta::assert_snapshot!(error(&format!("a.py,{HASH}\n")), @"`RECORD` line 1: expected 3 fields (path, hash, size), found 2");
        insta::assert_snapshot!(error(&format!("a.py,{HASH},-1\n")), @"`RECORD` line 1: invalid size `-1` for `a.py`");
        insta::assert_snapshot!(error(&format!("a.py,{HASH},0\n\na.py,{HASH},0\n")), @"`RECORD` line 3: `a.py` is listed twice (first on line 1)");
        insta::assert_snapshot!(error("\"a.py,,\n"), @"`RECORD` line 1: unterminated quoted field");
        insta::assert_snapshot!(error("a.py,sha256=xyz,1\n"), @"`RECORD` line 1: invalid hash for `a.py`: invalid sha256 digest `xyz`: expected 43 unpadded URL-safe base64 characters, found 3");
        insta::assert_snapshot!(error("sub/x.dist-info/RECORD,,\n"), @"`RECORD` line 1: `sub/x.dist-info/RECORD` has no hash");
    }
}
