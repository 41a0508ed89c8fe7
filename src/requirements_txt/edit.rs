//! Editing a parsed file in place, and writing fresh canonical files.
//!
//! Edits touch only the lines they change: every other line keeps its bytes (comments,
//! continuations, line breaks). A changed line keeps its line break, its trailing comment and,
//! for hashes, its continuation style (one `--hash` per continuation line, with the original
//! indentation) when it had one.

use std::fmt::Write as _;
use std::str::FromStr;

use super::{Entry, FileOption, Line, RequirementForm, RequirementsTxt, line, shell_quote};
use crate::hash::Digest;
use crate::name::PackageName;
use crate::version::{Version, VersionOrUrl};

/// Why an edit could not be made.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum EditError {
    /// No requirement line names the project.
    #[error("no requirement for `{0}`")]
    NotFound(String),
    /// The text to add is not one valid requirement line.
    #[error("not a valid requirement line: {0}")]
    Invalid(String),
}

impl Line {
    fn line_break(&self) -> &str {
        let content = self.raw.trim_end_matches(['\n', '\r']);
        &self.raw[content.len()..]
    }

    /// The comment on the last physical line, with the whitespace before it.
    fn trailing_comment(&self) -> &str {
        let body = &self.raw[..self.raw.len() - self.line_break().len()];
        let last = body.rsplit(['\n', '\r']).next().unwrap_or(body);
        if line::is_comment_line(last) {
            return "";
        }
        let (kept, offset) = line::strip_comment(last);
        let end = offset + kept.len();
        &last[end..]
    }

    /// The indentation of the second physical line, when the line has continuations.
    fn continuation_indent(&self) -> Option<String> {
        let mut physical = self.raw.split_inclusive('\n');
        physical.next()?;
        let second = physical.next()?;
        let indent: String = second
            .chars()
            .take_while(|c| *c == ' ' || *c == '\t')
            .collect();
        Some(if indent.is_empty() {
            "    ".into()
        } else {
            indent
        })
    }
}

fn reparse(raw: String, number: usize) -> Line {
    let parsed = RequirementsTxt::parse_str("", &raw, &|_| None);
    let mut lines = parsed.file.lines;
    if lines.len() == 1 {
        let mut line = lines.remove(0);
        line.number = number;
        if let Some(entry) = &mut line.entry {
            entry.line = number;
        }
        line
    } else {
        Line {
            raw: raw.into(),
            number,
            entry: None,
            options: Vec::new(),
        }
    }
}

/// The requirement text with its version specifiers replaced by `==version`, everything
/// else (name, extras, marker, spacing) as written.
fn pin_text(text: &str, version: &Version) -> String {
    let bytes = text.as_bytes();
    let mut i = 0;
    let skip_space = |i: &mut usize| {
        while *i < bytes.len() && bytes[*i].is_ascii_whitespace() {
            *i += 1;
        }
    };
    skip_space(&mut i);
    while i < bytes.len()
        && (bytes[i].is_ascii_alphanumeric() || matches!(bytes[i], b'.' | b'_' | b'-'))
    {
        i += 1;
    }
    let mut j = i;
    skip_space(&mut j);
    if bytes.get(j) == Some(&b'[')
        && let Some(close) = text[j..].find(']')
    {
        i = j + close + 1;
    }
    let start = i;
    let end = text[start..].find(';').map_or(text.len(), |k| start + k);
    let spec = &text[start..end];
    let lead = spec.len() - spec.trim_start().len();
    let trail = spec.len() - spec.trim_end().len();
    let pinned = format!("=={version}");
    if spec.trim().is_empty() {
        let gap = if end < text.len() && trail == 0 {
            " "
        } else {
            ""
        };
        format!("{}{pinned}{gap}{}", &text[..start], &text[start..])
    } else {
        format!("{}{pinned}{}", &text[..start + lead], &text[end - trail..])
    }
}

/// `requirement [options] [hashes]` on one line or with continuations.
fn render_entry(
    entry: &Entry,
    text: &str,
    options: &[FileOption],
    indent: Option<&str>,
    eol: &str,
) -> String {
    let mut out = String::new();
    if entry.is_editable() {
        let _ = write!(out, "-e {}", shell_quote(text));
    } else {
        out.push_str(text.trim_end());
        // A `\` at the end of the line would continue it onto the next.
        if out.ends_with('\\') {
            out.push(' ');
        }
    }
    let mut parts: Vec<String> = options.iter().map(ToString::to_string).collect();
    parts.extend(
        entry
            .config_settings()
            .iter()
            .map(|(k, v)| format!("--config-settings {}", shell_quote(&format!("{k}={v}")))),
    );
    parts.extend(entry.hashes().iter().map(|d| format!("--hash={d}")));
    for part in parts {
        match indent {
            Some(indent) => {
                let _ = write!(out, " \\{eol}{indent}{part}");
            }
            None => {
                let _ = write!(out, " {part}");
            }
        }
    }
    out
}

impl RequirementsTxt {
    fn renumber(&mut self) {
        let mut number = 1;
        for line in &mut self.lines {
            line.number = number;
            if let Some(entry) = &mut line.entry {
                entry.line = number;
            }
            number += line::physical_lines(&line.raw).len().max(1);
        }
    }

    fn default_break(&self) -> String {
        self.lines
            .iter()
            .map(Line::line_break)
            .find(|b| !b.is_empty())
            .unwrap_or("\n")
            .to_owned()
    }

    fn positions(&self, name: &PackageName) -> Vec<usize> {
        self.lines
            .iter()
            .enumerate()
            .filter(|(_, l)| {
                l.entry
                    .as_ref()
                    .and_then(|e| e.form().name())
                    .and_then(|n| PackageName::from_str(n).ok())
                    .as_ref()
                    == Some(name)
            })
            .map(|(i, _)| i)
            .collect()
    }

    /// Pins every PEP 508 requirement for `name` to `==version`, keeping extras, marker,
    /// options, comments and layout.
    ///
    /// # Errors
    ///
    /// [`EditError::NotFound`] when no PEP 508 requirement names the project.
    pub fn set_version(&mut self, name: &PackageName, version: &Version) -> Result<(), EditError> {
        let mut found = false;
        for i in self.positions(name) {
            let line = &self.lines[i];
            let Some(entry) = &line.entry else { continue };
            let RequirementForm::Pep508(requirement) = entry.form() else {
                continue;
            };
            if matches!(requirement.version_or_url, Some(VersionOrUrl::Url(_))) {
                continue;
            }
            let text = pin_text(entry.requirement(), version);
            let raw = if line.raw.matches(entry.requirement()).count() == 1 {
                line.raw.replacen(entry.requirement(), &text, 1)
            } else {
                let eol = line.line_break().to_owned();
                let indent = line.continuation_indent();
                format!(
                    "{}{}{eol}",
                    render_entry(entry, &text, &[], indent.as_deref(), &eol),
                    line.trailing_comment()
                )
            };
            self.lines[i] = reparse(raw, line.number);
            found = true;
        }
        if !found {
            return Err(EditError::NotFound(name.to_string()));
        }
        self.renumber();
        Ok(())
    }

    /// Replaces the `--hash` options of every requirement for `name`. A line that had
    /// continuations gets one `--hash` per continuation line; a one-line requirement stays on
    /// one line.
    ///
    /// # Errors
    ///
    /// [`EditError::NotFound`] when no requirement names the project.
    pub fn set_hashes(&mut self, name: &PackageName, hashes: &[Digest]) -> Result<(), EditError> {
        let positions = self.positions(name);
        if positions.is_empty() {
            return Err(EditError::NotFound(name.to_string()));
        }
        for i in positions {
            let line = &self.lines[i];
            let Some(entry) = &line.entry else { continue };
            let mut entry = entry.clone();
            entry.hashes = hashes.to_vec();
            let eol = line.line_break().to_owned();
            let indent = line.continuation_indent();
            let raw = format!(
                "{}{}{eol}",
                render_entry(&entry, entry.requirement(), &[], indent.as_deref(), &eol),
                line.trailing_comment()
            );
            self.lines[i] = reparse(raw, line.number);
        }
        self.renumber();
        Ok(())
    }

    /// Appends a requirement line (`text` is one line in the file's syntax, options allowed).
    ///
    /// # Errors
    ///
    /// [`EditError::Invalid`] when `text` is not exactly one valid requirement line.
    pub fn add_requirement(&mut self, text: &str) -> Result<(), EditError> {
        let eol = self.default_break();
        let parsed = RequirementsTxt::parse_str(&self.name, &format!("{text}{eol}"), &|_| None);
        if let Some(error) = parsed.errors.first() {
            return Err(EditError::Invalid(error.kind.to_string()));
        }
        if parsed.file.lines.len() != 1 || parsed.file.lines[0].entry.is_none() {
            return Err(EditError::Invalid(text.to_owned()));
        }
        if let Some(last) = self.lines.last_mut()
            && last.line_break().is_empty()
        {
            last.raw.to_mut().push_str(&eol);
        }
        self.lines.extend(parsed.file.lines);
        self.renumber();
        Ok(())
    }

    /// Removes every requirement line for `name`; returns how many were removed.
    pub fn remove_requirement(&mut self, name: &PackageName) -> usize {
        let positions = self.positions(name);
        for &i in positions.iter().rev() {
            self.lines.remove(i);
        }
        self.renumber();
        positions.len()
    }

    /// Adds a file-level option on its own line, after the last option line that comes before
    /// the first requirement (at the top when there is none).
    pub fn add_option(&mut self, option: &FileOption) {
        let eol = self.default_break();
        let first_requirement = self
            .lines
            .iter()
            .position(|l| l.entry.is_some())
            .unwrap_or(self.lines.len());
        let at = self.lines[..first_requirement]
            .iter()
            .rposition(|l| !l.options.is_empty())
            .map_or(0, |i| i + 1);
        if at == self.lines.len()
            && let Some(last) = self.lines.last_mut()
            && last.line_break().is_empty()
        {
            last.raw.to_mut().push_str(&eol);
        }
        self.lines.insert(at, reparse(format!("{option}{eol}"), 0));
        self.renumber();
    }

    /// Removes `option` from every option line; a line left without options is removed.
    /// Returns how many occurrences were removed.
    pub fn remove_option(&mut self, option: &FileOption) -> usize {
        let mut removed = 0;
        let mut i = 0;
        while i < self.lines.len() {
            let line = &self.lines[i];
            if line.entry.is_some() || !line.options.contains(option) {
                i += 1;
                continue;
            }
            let kept: Vec<&FileOption> = line.options.iter().filter(|o| *o != option).collect();
            removed += line.options.len() - kept.len();
            if kept.is_empty() {
                self.lines.remove(i);
                continue;
            }
            let eol = line.line_break().to_owned();
            let text: Vec<String> = kept.iter().map(ToString::to_string).collect();
            let raw = format!("{}{}{eol}", text.join(" "), line.trailing_comment());
            self.lines[i] = reparse(raw, 0);
            i += 1;
        }
        self.renumber();
        removed
    }

    /// A fresh file in the shape vendors ship: the file-level options first (in order, each
    /// once), then the requirements sorted by normalized name (then by text), each `--hash` on
    /// its own continuation line; comments and blank lines are dropped.
    pub fn to_canonical_string(&self) -> String {
        let mut out = String::new();
        let mut seen: Vec<&FileOption> = Vec::new();
        for line in self.lines.iter().filter(|l| l.entry.is_none()) {
            for option in &line.options {
                if !seen.contains(&option) {
                    seen.push(option);
                    let _ = writeln!(out, "{option}");
                }
            }
        }
        let mut entries: Vec<&Entry> = self.entries().collect();
        entries.sort_by_cached_key(|e| {
            let name = e.project().map(|n| n.to_string());
            // The text as rendered (trailing blanks before options are not kept), then
            // editability: equal keys keep file order, so a key must not change when the
            // canonical text is read back (fuzz: canonical fixpoint).
            (
                name.is_none(),
                name,
                e.requirement().trim_end().to_owned(),
                e.is_editable(),
            )
        });
        for entry in entries {
            let _ = writeln!(
                out,
                "{}",
                render_entry(entry, entry.requirement(), &[], Some("    "), "\n")
            );
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file(text: &str) -> RequirementsTxt {
        RequirementsTxt::parse_str("r.txt", text, &|_| None).file
    }

    #[test]
    fn set_version_touches_only_the_specifier() {
        let mut f = file("# top\r\nfoo[bar]>=1.0 ; python_version > '3'  # keep\r\nbaz==2\r\n");
        f.set_version(&"foo".parse().unwrap(), &"1.5".parse().unwrap())
            .unwrap();
        assert_eq!(
            f.to_string(),
            "# top\r\nfoo[bar]==1.5 ; python_version > '3'  # keep\r\nbaz==2\r\n"
        );
    }

    #[test]
    fn pins() {
        let v: Version = "2.0".parse().unwrap();
        assert_eq!(pin_text("foo", &v), "foo==2.0");
        assert_eq!(pin_text("foo;os_name=='nt'", &v), "foo==2.0 ;os_name=='nt'");
        assert_eq!(
            pin_text("foo ; os_name=='nt'", &v),
            "foo==2.0 ; os_name=='nt'"
        );
        assert_eq!(pin_text("Foo [x] (>=1,<2)", &v), "Foo [x] ==2.0");
    }

    #[test]
    fn set_hashes_keeps_continuation_style() {
        let d1: Digest = format!("sha256:{}", "a".repeat(64)).parse().unwrap();
        let d2: Digest = format!("sha256:{}", "b".repeat(64)).parse().unwrap();
        let mut f = file(
            "foo==1.0 \\\n  --hash=sha256:0000000000000000000000000000000000000000000000000000000000000000\nbar==1 # c\n",
        );
        f.set_hashes(&"foo".parse().unwrap(), &[d1, d2]).unwrap();
        f.set_hashes(&"bar".parse().unwrap(), &[d1]).unwrap();
        assert_eq!(
            f.to_string(),
            format!("foo==1.0 \\\n  --hash={d1} \\\n  --hash={d2}\nbar==1 --hash={d1} # c\n")
        );
        assert_eq!(f.lines()[1].number(), 4);
    }

    #[test]
    fn add_and_remove() {
        let mut f = file("-i https://x/simple\nfoo==1");
        f.add_requirement("bar==2").unwrap();
        f.add_option(&FileOption::NoIndex);
        assert_eq!(
            f.to_string(),
            "-i https://x/simple\n--no-index\nfoo==1\nbar==2\n"
        );
        assert_eq!(f.remove_requirement(&"foo".parse().unwrap()), 1);
        assert_eq!(f.remove_option(&FileOption::NoIndex), 1);
        assert_eq!(f.to_string(), "-i https://x/simple\nbar==2\n");
        assert!(f.add_requirement("foo=1").is_err());
    }

    #[test]
    fn canonical() {
        let f = file(
            "b==1 --hash=sha256:bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb\n# c\nA==2\n--index-url https://x/simple\n",
        );
        assert_eq!(
            f.to_canonical_string(),
            "--index-url https://x/simple\nA==2\nb==1 \\\n    --hash=sha256:bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb\n"
        );
    }
}
