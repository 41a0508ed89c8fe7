//! The staging review: what a person reads before a staging set reaches production.
//!
//! A [`Report`] lists every staged file with what a reviewer needs to decide on it: its name,
//! project and version, size and sha256, where it came from, its `Requires-Python`,
//! `Requires-Dist` and license, its yank status, its PEP 740 provenance URL, and the install
//! check's warnings ([`Finding`]). [`Changes::between`] compares it with the report of the last
//! review; [`render_html`] writes one static page a browser shows without scripts;
//! [`Sbom::from_report`] turns it into a CycloneDX 1.6 SBOM; [`Report::approved`] and
//! [`ReviewFile::verify`] are what an approval step asks before it publishes. Nothing here
//! reads files: the caller gathers sizes, digests and metadata bytes.
//!
//! # The report's JSON (`"schema": 1`)
//!
//! Every key is always written (`null` or `[]` when empty), in this order, except `decision`,
//! which only the reviewer adds. `docs/review-report.schema.json` is the same as a JSON Schema
//! (draft 2020-12); the tests validate the output against it.
//!
//! | key | type | meaning |
//! |---|---|---|
//! | `schema` | `1` | the format's version |
//! | `tool` | string | what wrote it: `mirror`, `build_index` |
//! | `files` | array | one object per staged file, sorted by project, version, filename |
//! | `files[].filename` | string | the file name |
//! | `files[].project` | string | the PEP 503 normalized project name |
//! | `files[].version` | string | the version, as the file name gives it |
//! | `files[].kind` | `wheel` \| `sdist` | |
//! | `files[].size` | integer | bytes |
//! | `files[].sha256` | string | 64 lower-case hex digits |
//! | `files[].path` | string | where the file is, relative to the staging folder, `/`-separated |
//! | `files[].url` | string \| null | the upstream URL it was downloaded from (the mirror) |
//! | `files[].requires_python` | string \| null | `Requires-Python` |
//! | `files[].requires_dist` | array of strings | every `Requires-Dist`, as written |
//! | `files[].license` | object | the license the metadata states: |
//! | `files[].license.expression` | string \| null | `License-Expression` |
//! | `files[].license.text` | string \| null | `License` (may be a whole license text) |
//! | `files[].license.classifiers` | array of strings | the `License ::` classifiers |
//! | `files[].yanked` | boolean | yanked upstream (or by `--yank`) |
//! | `files[].yanked_reason` | string \| null | the reason given |
//! | `files[].provenance` | string \| null | the PEP 740 provenance URL the upstream page gives |
//! | `files[].findings` | array | the install check's findings (`rule`, `severity`, `file`, `line`, `field`, `message`) |
//! | `files[].decision` | `approved` \| `rejected` | added by the reviewer; absent means approved |
//! | `changes` | object \| null | against the previous report; `null` when there was none |
//! | `changes.previous_files` | integer | how many files the previous report listed |
//! | `changes.added` | array of strings | file names new in this report |
//! | `changes.removed` | array of strings | file names gone since |
//! | `changes.reuploaded` | array | same name, other bytes: `filename`, `before_sha256`, `after_sha256`, `before_size`, `after_size` |
//! | `changes.newly_yanked` | array of strings | file names yanked now and not before |
//!
//! # Example
//!
//! ```
//! use pypackaging::review::{Report, ReviewFile, render_html};
//! use pypackaging::Hasher;
//!
//! let mut hasher = Hasher::sha256();
//! hasher.update(b"the wheel's bytes");
//! let digest = hasher.finish().as_slice()[0];
//! let mut file = ReviewFile::new("demo-1.0-py3-none-any.whl", 17, &digest, "simple/demo/demo-1.0-py3-none-any.whl")?;
//! file.set_metadata(b"Metadata-Version: 2.4\nName: demo\nVersion: 1.0\nLicense-Expression: MIT\n");
//! let report = Report::new("mirror", vec![file]);
//! assert_eq!(report.files[0].license.expression.as_deref(), Some("MIT"));
//! assert!(render_html(&report).contains("demo-1.0-py3-none-any.whl"));
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;

use serde::{Deserialize, Serialize};

use crate::hash::{Digest, HashAlgorithm};
use crate::metadata::{Field, Finding, RawMetadata, Severity};
use crate::simple::Yanked;
use crate::{DistFilename, PackageName};

/// The report format's version, written as `"schema"`.
pub const SCHEMA: u32 = 1;

/// What went wrong reading a report, building an entry, or approving a file.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ReviewError {
    /// The file name is not a wheel or an sdist.
    #[error("`{filename}` is not a wheel or sdist file name: {reason}")]
    NotADistribution {
        /// The name given.
        filename: String,
        /// Why it does not parse.
        reason: String,
    },
    /// The JSON is not a review report.
    #[error("not a review report: {reason}")]
    Json {
        /// serde's message.
        reason: String,
    },
    /// A report of another format version.
    #[error("review report has `\"schema\": {found}`; this version reads schema {SCHEMA}")]
    Schema {
        /// The version found.
        found: u64,
    },
    /// A file to reject that the report does not list.
    #[error("cannot reject `{filename}`: the report lists no such file")]
    UnknownFile {
        /// The name given.
        filename: String,
    },
    /// The staged bytes differ from what the report says.
    #[error(
        "`{filename}` differs from the reviewed report: the report says {expected_size} bytes, sha256 {expected_sha256}; the staged file has {actual_size} bytes, sha256 {actual_sha256}"
    )]
    Mismatch {
        /// The file.
        filename: String,
        /// The report's sha256 (hex).
        expected_sha256: String,
        /// The staged file's sha256 (hex).
        actual_sha256: String,
        /// The report's size.
        expected_size: u64,
        /// The staged file's size.
        actual_size: u64,
    },
}

/// A file's license as its metadata states it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct License {
    /// `License-Expression` (an SPDX expression), if given.
    pub expression: Option<String>,
    /// `License`, if given (free text; sometimes a whole license).
    pub text: Option<String>,
    /// The `License :: ...` classifiers.
    pub classifiers: Vec<String>,
}

impl License {
    /// One short line for a table: the expression, else the first line of the text (at most
    /// 60 characters), else the classifiers' last parts; `None` when nothing is stated.
    pub fn summary(&self) -> Option<String> {
        if let Some(e) = &self.expression {
            return Some(e.clone());
        }
        if let Some(t) = self
            .text
            .as_deref()
            .map(str::trim)
            .filter(|t| !t.is_empty())
        {
            let line = t.lines().next().unwrap_or_default().trim();
            let mut short: String = line.chars().take(60).collect();
            if short.len() < t.len() {
                short.push('…');
            }
            return Some(short);
        }
        if self.classifiers.is_empty() {
            return None;
        }
        let names: Vec<&str> = self
            .classifiers
            .iter()
            .map(|c| c.rsplit("::").next().unwrap_or(c).trim())
            .collect();
        Some(names.join(", "))
    }

    /// Whether nothing is stated.
    pub fn is_empty(&self) -> bool {
        self.expression.is_none() && self.text.is_none() && self.classifiers.is_empty()
    }
}

/// A reviewer's decision on one file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Decision {
    /// To be published.
    Approved,
    /// Not to be published.
    Rejected,
}

/// One staged file, as the review shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReviewFile {
    /// The file name.
    pub filename: String,
    /// The normalized project name.
    pub project: String,
    /// The version, as the file name gives it.
    pub version: String,
    /// `wheel` or `sdist`.
    pub kind: String,
    /// Bytes.
    pub size: u64,
    /// Lower-case hex sha256.
    pub sha256: String,
    /// Where the file is, relative to the staging folder, `/`-separated.
    pub path: String,
    /// The upstream URL, for a mirrored file.
    pub url: Option<String>,
    /// `Requires-Python`.
    pub requires_python: Option<String>,
    /// Every `Requires-Dist`.
    pub requires_dist: Vec<String>,
    /// The license the metadata states.
    pub license: License,
    /// Yanked.
    pub yanked: bool,
    /// The yank reason.
    pub yanked_reason: Option<String>,
    /// The PEP 740 provenance URL.
    pub provenance: Option<String>,
    /// The install check's findings.
    pub findings: Vec<Finding>,
    /// The reviewer's decision (absent: approved).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub decision: Option<Decision>,
}

impl ReviewFile {
    /// An entry for `filename` with its size, sha256 and path; everything else empty.
    ///
    /// # Errors
    ///
    /// [`ReviewError::NotADistribution`] when `filename` is not a wheel or sdist name.
    pub fn new(
        filename: &str,
        size: u64,
        sha256: &Digest,
        path: impl Into<String>,
    ) -> Result<ReviewFile, ReviewError> {
        let not = |reason: String| ReviewError::NotADistribution {
            filename: filename.to_owned(),
            reason,
        };
        let dist = DistFilename::parse(filename).map_err(|e| not(e.to_string()))?;
        let kind = match &dist {
            DistFilename::Wheel(_) => "wheel",
            DistFilename::Sdist(_) => "sdist",
            DistFilename::Other(_) => return Err(not("not a wheel or sdist".to_owned())),
        };
        let (Some(name), Some(version)) = (dist.name(), dist.version()) else {
            return Err(not("no project name or version".to_owned()));
        };
        Ok(ReviewFile {
            filename: filename.to_owned(),
            project: name.to_string(),
            version: version.to_string(),
            kind: kind.to_owned(),
            size,
            sha256: sha256.hex(),
            path: path.into(),
            url: None,
            requires_python: None,
            requires_dist: Vec::new(),
            license: License::default(),
            yanked: false,
            yanked_reason: None,
            provenance: None,
            findings: Vec::new(),
            decision: None,
        })
    }

    /// Fills `requires_python` (where unset), `requires_dist` and `license` from the
    /// file's `METADATA` or `PKG-INFO` bytes (read leniently: what parses is shown).
    pub fn set_metadata(&mut self, metadata: &[u8]) {
        let raw = RawMetadata::parse(metadata);
        if let Some(rp) = raw.get(Field::RequiresPython) {
            self.requires_python = Some(rp.trim().to_owned());
        }
        self.requires_dist = raw.get_all(Field::RequiresDist).to_vec();
        self.license = License {
            expression: raw
                .get(Field::LicenseExpression)
                .map(|e| e.trim().to_owned()),
            text: raw
                .get(Field::License)
                .map(str::trim)
                .filter(|t| !t.is_empty() && !t.eq_ignore_ascii_case("UNKNOWN"))
                .map(str::to_owned),
            classifiers: raw
                .get_all(Field::Classifier)
                .iter()
                .filter(|c| c.trim_start().starts_with("License ::"))
                .map(|c| c.trim().to_owned())
                .collect(),
        };
    }

    /// Sets `yanked` and `yanked_reason`.
    pub fn set_yanked(&mut self, yanked: &Yanked) {
        self.yanked = yanked.is_yanked();
        self.yanked_reason = yanked.reason().map(str::to_owned);
    }

    /// The warnings among the findings.
    pub fn warnings(&self) -> impl Iterator<Item = &Finding> {
        self.findings
            .iter()
            .filter(|f| f.severity == Severity::Warning)
    }

    /// Whether the reviewer left the file approved (no decision, or `approved`).
    pub fn is_approved(&self) -> bool {
        self.decision != Some(Decision::Rejected)
    }

    /// Checks the staged bytes' sha256 and size against the report's.
    ///
    /// # Errors
    ///
    /// [`ReviewError::Mismatch`], naming the file and both digests and sizes.
    pub fn verify(&self, sha256: &Digest, size: u64) -> Result<(), ReviewError> {
        let actual = sha256.hex();
        if sha256.algorithm() == HashAlgorithm::Sha256
            && actual.eq_ignore_ascii_case(&self.sha256)
            && size == self.size
        {
            return Ok(());
        }
        Err(ReviewError::Mismatch {
            filename: self.filename.clone(),
            expected_sha256: self.sha256.clone(),
            actual_sha256: actual,
            expected_size: self.size,
            actual_size: size,
        })
    }
}

/// A review report (see the module docs for its JSON).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Report {
    /// [`SCHEMA`].
    pub schema: u32,
    /// What wrote it.
    pub tool: String,
    /// Every staged file, sorted by project, version (as a string), filename.
    pub files: Vec<ReviewFile>,
    /// What changed since the previous report, when there was one.
    pub changes: Option<Changes>,
}

impl Report {
    /// A report of `files` (sorted here) written by `tool`, with no changes.
    pub fn new(tool: impl Into<String>, mut files: Vec<ReviewFile>) -> Report {
        files.sort_by(|a, b| {
            (&a.project, &a.version, &a.filename).cmp(&(&b.project, &b.version, &b.filename))
        });
        Report {
            schema: SCHEMA,
            tool: tool.into(),
            files,
            changes: None,
        }
    }

    /// Reads a report, checking its schema version first.
    ///
    /// # Errors
    ///
    /// [`ReviewError::Schema`] for another version, [`ReviewError::Json`] for anything that
    /// does not read as a report.
    pub fn from_json(text: &str) -> Result<Report, ReviewError> {
        let value: serde_json::Value =
            serde_json::from_str(text).map_err(|e| ReviewError::Json {
                reason: e.to_string(),
            })?;
        match value.get("schema").and_then(serde_json::Value::as_u64) {
            Some(v) if v == u64::from(SCHEMA) => {}
            Some(found) => return Err(ReviewError::Schema { found }),
            None => {
                return Err(ReviewError::Json {
                    reason: "no integer `schema` key".to_owned(),
                });
            }
        }
        serde_json::from_value(value).map_err(|e| ReviewError::Json {
            reason: e.to_string(),
        })
    }

    /// The report as pretty JSON with a final newline.
    pub fn to_json(&self) -> String {
        let mut s = serde_json::to_string_pretty(self).expect("a report serializes");
        s.push('\n');
        s
    }

    /// Sets [`Report::changes`] against `previous`.
    pub fn compare_with(&mut self, previous: &Report) {
        self.changes = Some(Changes::between(previous, self));
    }

    /// The files to publish: those not rejected in the report and not named in `reject`.
    ///
    /// # Errors
    ///
    /// [`ReviewError::UnknownFile`] for a name in `reject` the report does not list (a typo
    /// would otherwise publish the file meant to be held back).
    pub fn approved<'a>(&'a self, reject: &[String]) -> Result<Vec<&'a ReviewFile>, ReviewError> {
        let names: BTreeSet<&str> = self.files.iter().map(|f| f.filename.as_str()).collect();
        if let Some(bad) = reject.iter().find(|r| !names.contains(r.as_str())) {
            return Err(ReviewError::UnknownFile {
                filename: bad.clone(),
            });
        }
        Ok(self
            .files
            .iter()
            .filter(|f| f.is_approved() && !reject.contains(&f.filename))
            .collect())
    }

    /// The number of warnings over every file.
    pub fn warning_count(&self) -> usize {
        self.files.iter().map(|f| f.warnings().count()).sum()
    }
}

/// Same name, other bytes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Reupload {
    /// The file name.
    pub filename: String,
    /// The previous report's sha256.
    pub before_sha256: String,
    /// This report's sha256 (or what the upstream now serves).
    pub after_sha256: String,
    /// The previous size.
    pub before_size: u64,
    /// The size now.
    pub after_size: u64,
}

/// What changed between two reports.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Changes {
    /// How many files the previous report listed.
    pub previous_files: usize,
    /// Names new in this report.
    pub added: Vec<String>,
    /// Names gone since.
    pub removed: Vec<String>,
    /// Same name, other bytes.
    pub reuploaded: Vec<Reupload>,
    /// Yanked now, not before (or new and yanked).
    pub newly_yanked: Vec<String>,
}

impl Changes {
    /// Compares `current` with `previous` by file name. A re-upload a tool refused (and so
    /// left out of `current`) is added by the tool with [`Changes::push_reupload`].
    pub fn between(previous: &Report, current: &Report) -> Changes {
        let before: BTreeMap<&str, &ReviewFile> = previous
            .files
            .iter()
            .map(|f| (f.filename.as_str(), f))
            .collect();
        let after: BTreeMap<&str, &ReviewFile> = current
            .files
            .iter()
            .map(|f| (f.filename.as_str(), f))
            .collect();
        let mut changes = Changes {
            previous_files: before.len(),
            ..Changes::default()
        };
        for (name, now) in &after {
            match before.get(name) {
                None => {
                    changes.added.push((*name).to_owned());
                    if now.yanked {
                        changes.newly_yanked.push((*name).to_owned());
                    }
                }
                Some(then) => {
                    if !then.sha256.eq_ignore_ascii_case(&now.sha256) || then.size != now.size {
                        changes.reuploaded.push(Reupload {
                            filename: (*name).to_owned(),
                            before_sha256: then.sha256.clone(),
                            after_sha256: now.sha256.clone(),
                            before_size: then.size,
                            after_size: now.size,
                        });
                    }
                    if now.yanked && !then.yanked {
                        changes.newly_yanked.push((*name).to_owned());
                    }
                }
            }
        }
        changes.removed = before
            .keys()
            .filter(|n| !after.contains_key(*n))
            .map(|n| (*n).to_owned())
            .collect();
        changes
    }

    /// Lists a re-upload found outside the two reports (the previous report's entry for
    /// `filename` and the digest the upstream now gives), once.
    pub fn push_reupload(&mut self, reupload: Reupload) {
        if !self
            .reuploaded
            .iter()
            .any(|r| r.filename == reupload.filename)
        {
            self.reuploaded.push(reupload);
            self.reuploaded.sort_by(|a, b| a.filename.cmp(&b.filename));
        }
    }

    /// Whether nothing changed.
    pub fn is_empty(&self) -> bool {
        self.added.is_empty()
            && self.removed.is_empty()
            && self.reuploaded.is_empty()
            && self.newly_yanked.is_empty()
    }

    /// Lines for a run's exit summary: a count line, then one line per change.
    pub fn summary_lines(&self) -> Vec<String> {
        let mut lines = vec![format!(
            "since the last review ({} files): {} added, {} removed, {} re-uploaded, {} newly yanked",
            self.previous_files,
            self.added.len(),
            self.removed.len(),
            self.reuploaded.len(),
            self.newly_yanked.len()
        )];
        lines.extend(self.added.iter().map(|n| format!("  added        {n}")));
        lines.extend(self.removed.iter().map(|n| format!("  removed      {n}")));
        lines.extend(self.reuploaded.iter().map(|r| {
            format!(
                "  re-uploaded  {} (was {} bytes, sha256 {}; now {} bytes, sha256 {})",
                r.filename, r.before_size, r.before_sha256, r.after_size, r.after_sha256
            )
        }));
        lines.extend(
            self.newly_yanked
                .iter()
                .map(|n| format!("  yanked       {n}")),
        );
        lines
    }
}

/// Writes `s` escaped for HTML text or a double-quoted attribute, with the page writer's
/// escaper.
fn escape(out: &mut String, s: &str) {
    // Writing to a String cannot fail.
    let _ = crate::simple::html::escape(out, s);
}

fn esc(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    escape(&mut out, s);
    out
}

/// Only http(s) links are made clickable; anything else is shown as text.
fn is_web_url(url: &str) -> bool {
    let lower = url.trim_start().to_ascii_lowercase();
    lower.starts_with("https://") || lower.starts_with("http://")
}

const STYLE: &str = "body{font:13px/1.4 system-ui,sans-serif;margin:1.5em;color:#1a1a1a}\
h1{font-size:1.4em;margin:0 0 .3em}p.sum{margin:.2em 0 1em;color:#444}\
table{border-collapse:collapse}th,td{border:1px solid #ccc;padding:4px 6px;vertical-align:top;text-align:left}\
th{background:#eef1f5;cursor:pointer;white-space:nowrap}tr:nth-child(even) td{background:#fafafa}\
td.num{text-align:right;white-space:nowrap}code{font:12px ui-monospace,monospace}\
td.fn{font-weight:600;min-width:17em;max-width:24em;overflow-wrap:anywhere}td.wide{min-width:14em;max-width:28em}td.rp{max-width:11em;overflow-wrap:anywhere}ul{margin:0;padding-left:1.1em}\
.warn{color:#8a4b00}.refusal{color:#a00000}.yanked{color:#a00000;font-weight:600}.ok{color:#2a7a2a}\
.new{background:#e6f4e6;border-radius:3px;padding:0 4px;font-size:11px}\
section.changes{border:1px solid #d8c27a;background:#fffbea;padding:.5em 1em;margin-bottom:1em}";

/// Click-to-sort; the table is complete and in order without it.
const SCRIPT: &str = "document.querySelectorAll('th').forEach(function(th,i){th.addEventListener('click',function(){\
var tb=th.closest('table').tBodies[0],rows=Array.from(tb.rows),d=th.dataset.dir==='a'?-1:1;th.dataset.dir=d>0?'a':'d';\
rows.sort(function(a,b){var x=a.cells[i].dataset.v||a.cells[i].textContent,y=b.cells[i].dataset.v||b.cells[i].textContent;\
var p=parseFloat(x),q=parseFloat(y);return d*(!isNaN(p)&&!isNaN(q)&&/^[0-9.]+$/.test(x)&&/^[0-9.]+$/.test(y)?p-q:x.localeCompare(y));});\
rows.forEach(function(r){tb.appendChild(r);});});});";

fn human_size(size: u64) -> String {
    if size >= 1_000_000 {
        format!("{:.1} MB", size as f64 / 1e6)
    } else if size >= 1_000 {
        format!("{:.1} kB", size as f64 / 1e3)
    } else {
        format!("{size} B")
    }
}

fn list(out: &mut String, title: &str, items: &[String]) {
    if items.is_empty() {
        return;
    }
    let _ = write!(out, "<p><b>{}</b> ({}):</p><ul>", esc(title), items.len());
    for item in items {
        let _ = write!(out, "<li><code>{}</code></li>", esc(item));
    }
    out.push_str("</ul>");
}

/// The report as one static HTML page: a summary, the changes since the last review, and a
/// table of every file (sorted by project and version; a click on a header re-sorts where
/// scripts run) with its warnings in its row.
pub fn render_html(report: &Report) -> String {
    let mut out = String::with_capacity(4096 + report.files.len() * 1024);
    let added: BTreeSet<&str> = report
        .changes
        .iter()
        .flat_map(|c| c.added.iter().map(String::as_str))
        .collect();
    let projects: BTreeSet<&str> = report.files.iter().map(|f| f.project.as_str()).collect();
    let bytes: u64 = report.files.iter().map(|f| f.size).sum();
    let yanked = report.files.iter().filter(|f| f.yanked).count();
    let rejected = report.files.iter().filter(|f| !f.is_approved()).count();
    let _ = write!(
        out,
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width,initial-scale=1\">\
         <title>Staging review ({} files)</title><style>{STYLE}</style></head><body>\n\
         <h1>Staging review</h1><p class=\"sum\">{} files of {} projects, {}, {} warnings, {} yanked, {} rejected; written by <code>{}</code> (report schema {})</p>\n",
        report.files.len(),
        report.files.len(),
        projects.len(),
        human_size(bytes),
        report.warning_count(),
        yanked,
        rejected,
        esc(&report.tool),
        report.schema
    );
    if let Some(changes) = &report.changes {
        out.push_str("<section class=\"changes\"><h2>Since the last review</h2>");
        let _ = write!(out, "<p>{}</p>", esc(&changes.summary_lines()[0]));
        list(&mut out, "Added", &changes.added);
        list(&mut out, "Removed", &changes.removed);
        let re: Vec<String> = changes
            .reuploaded
            .iter()
            .map(|r| {
                format!(
                    "{}: was {} bytes sha256 {}, now {} bytes sha256 {}",
                    r.filename, r.before_size, r.before_sha256, r.after_size, r.after_sha256
                )
            })
            .collect();
        list(&mut out, "Re-uploaded with other bytes", &re);
        list(&mut out, "Newly yanked", &changes.newly_yanked);
        out.push_str("</section>\n");
    }
    out.push_str(
        "<table><thead><tr><th>File</th><th>Project</th><th>Version</th><th>Kind</th>\
         <th>Size</th><th>Warnings</th><th>License</th><th>Requires-Python</th><th>Yanked</th>\
         <th>Requires-Dist</th><th>sha256</th><th>Source</th></tr></thead>\n<tbody>\n",
    );
    for f in &report.files {
        out.push_str("<tr><td class=\"fn\">");
        escape(&mut out, &f.filename);
        if added.contains(f.filename.as_str()) {
            out.push_str(" <span class=\"new\">new</span>");
        }
        if f.decision == Some(Decision::Rejected) {
            out.push_str(" <span class=\"refusal\">(rejected)</span>");
        }
        let _ = write!(
            out,
            "</td><td>{}</td><td>{}</td><td>{}</td><td class=\"num\" data-v=\"{}\">{}</td>",
            esc(&f.project),
            esc(&f.version),
            esc(&f.kind),
            f.size,
            human_size(f.size),
        );
        let _ = write!(out, "<td class=\"wide\" data-v=\"{}\">", f.findings.len());
        if f.findings.is_empty() {
            out.push_str("<span class=\"ok\">none</span>");
        } else {
            out.push_str("<ul>");
            for finding in &f.findings {
                let class = match finding.severity {
                    Severity::Warning => "warn",
                    Severity::Refusal => "refusal",
                };
                let mut at = finding.file.clone().unwrap_or_default();
                if let Some(line) = finding.line {
                    let _ = write!(at, " line {line}");
                }
                if let Some(field) = &finding.field {
                    let _ = write!(at, " ({field})");
                }
                let at = if at.is_empty() {
                    at
                } else {
                    format!("{}: ", at.trim())
                };
                let _ = write!(
                    out,
                    "<li class=\"{class}\"><code>{}</code> {}: {}{}</li>",
                    esc(finding.rule.as_str()),
                    finding.severity.as_str(),
                    esc(&at),
                    esc(&finding.message)
                );
            }
            out.push_str("</ul>");
        }
        out.push_str("</td>");
        match f.license.summary() {
            Some(s) => {
                let full = f
                    .license
                    .expression
                    .clone()
                    .or_else(|| f.license.text.clone())
                    .unwrap_or_else(|| f.license.classifiers.join("; "));
                let _ = write!(out, "<td title=\"{}\">{}</td>", esc(&full), esc(&s));
            }
            None => out.push_str("<td class=\"warn\">none stated</td>"),
        }
        let _ = write!(
            out,
            "<td class=\"rp\">{}</td>",
            esc(f.requires_python.as_deref().unwrap_or(""))
        );
        if f.yanked {
            let _ = write!(
                out,
                "<td class=\"yanked\">yanked{}</td>",
                f.yanked_reason
                    .as_deref()
                    .map(|r| format!(": {}", esc(r)))
                    .unwrap_or_default()
            );
        } else {
            out.push_str("<td>no</td>");
        }
        let _ = write!(
            out,
            "<td class=\"wide\" data-v=\"{}\">",
            f.requires_dist.len()
        );
        if !f.requires_dist.is_empty() {
            out.push_str("<ul>");
            for r in &f.requires_dist {
                let _ = write!(out, "<li><code>{}</code></li>", esc(r));
            }
            out.push_str("</ul>");
        }
        let _ = write!(
            out,
            "</td><td><code title=\"{}\">{}…</code></td><td>",
            esc(&f.sha256),
            esc(&f.sha256[..f.sha256.len().min(12)])
        );
        match &f.url {
            Some(u) if is_web_url(u) => {
                let _ = write!(out, "<a href=\"{}\">upstream</a>", esc(u));
            }
            Some(u) => escape(&mut out, u),
            None => {
                let _ = write!(out, "<span title=\"{}\">staged</span>", esc(&f.path));
            }
        }
        if let Some(p) = &f.provenance {
            if is_web_url(p) {
                let _ = write!(out, "<br><a href=\"{}\">provenance</a>", esc(p));
            } else {
                let _ = write!(out, "<br>provenance: {}", esc(p));
            }
        }
        out.push_str("</td></tr>\n");
    }
    let _ = write!(
        out,
        "</tbody></table>\n<script>{SCRIPT}</script>\n</body></html>\n"
    );
    out
}

/// A flat find-links page (what pip's `--find-links URL` reads): one link per file, given as
/// `(folder, filename, sha256 hex)`, its `href` the folder (relative to the page, ending in
/// `/`, or empty) and the percent-encoded file name with a `#sha256=` fragment, so `pip
/// install --no-index --find-links PAGE --require-hashes` checks each file.
pub fn render_find_links<'a>(
    files: impl IntoIterator<Item = (&'a str, &'a str, &'a str)>,
) -> String {
    let mut out = String::from(
        "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>Links</title></head><body>\n",
    );
    for (folder, filename, sha256) in files {
        let href = format!("{folder}{}#sha256={sha256}", percent_path(filename));
        let _ = writeln!(out, "<a href=\"{}\">{}</a><br>", esc(&href), esc(filename));
    }
    out.push_str("</body></html>\n");
    out
}

/// Percent-encodes what a file name may hold that a URL path may not.
fn percent_path(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~!$&'()*+,;=:@".contains(&b) {
            out.push(b as char);
        } else {
            let _ = write!(out, "%{b:02X}");
        }
    }
    out
}

/// The package URL of a PyPI project version: `pkg:pypi/NAME@VERSION`, NAME lower-cased
/// with `_` as `-` (the purl spec's pypi rule; the PEP 503 normal form satisfies it).
pub fn purl(project: &str, version: &str) -> String {
    let name = PackageName::new(project)
        .map(|n| n.to_string())
        .unwrap_or_else(|_| project.to_ascii_lowercase().replace('_', "-"));
    format!("pkg:pypi/{}@{}", purl_encode(&name), purl_encode(version))
}

fn purl_encode(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
            out.push(b as char);
        } else {
            let _ = write!(out, "%{b:02X}");
        }
    }
    out
}

/// A CycloneDX 1.6 BOM (JSON), as far as a staging set needs: the tool, and one `library`
/// component per file. Written by serde structs that follow the CycloneDX 1.6 JSON schema
/// (`bom-1.6.schema.json`), so the library takes no dependency.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Sbom {
    /// `CycloneDX`.
    pub bom_format: String,
    /// `1.6`.
    pub spec_version: String,
    /// `urn:uuid:...`, derived from the files' digests (the same set gives the same number).
    pub serial_number: String,
    /// The BOM's version, 1.
    pub version: u32,
    /// The tool that wrote it.
    pub metadata: SbomMetadata,
    /// One per staged file.
    pub components: Vec<Component>,
}

/// `metadata`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SbomMetadata {
    /// `tools`.
    pub tools: SbomTools,
    /// The staging set itself.
    pub component: Component,
}

/// `metadata.tools` (1.5+ form).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SbomTools {
    /// The tools, as components.
    pub components: Vec<Component>,
}

/// A CycloneDX component.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Component {
    /// `library` or `application`.
    #[serde(rename = "type")]
    pub kind: String,
    /// A unique reference within the BOM (the file name).
    #[serde(rename = "bom-ref", skip_serializing_if = "Option::is_none")]
    pub bom_ref: Option<String>,
    /// The name.
    pub name: String,
    /// The version.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub version: Option<String>,
    /// The package URL.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub purl: Option<String>,
    /// SHA-256 of the file.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub hashes: Vec<SbomHash>,
    /// The license stated.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub licenses: Vec<LicenseChoice>,
    /// The file's location.
    #[serde(
        rename = "externalReferences",
        default,
        skip_serializing_if = "Vec::is_empty"
    )]
    pub external_references: Vec<ExternalReference>,
    /// `pypackaging:filename`, `pypackaging:kind`, `pypackaging:yanked`, warnings.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub properties: Vec<Property>,
}

/// A CycloneDX hash.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SbomHash {
    /// `SHA-256`.
    pub alg: String,
    /// Hex digest.
    pub content: String,
}

/// A CycloneDX license choice: an SPDX expression, or a named license.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum LicenseChoice {
    /// `{"expression": "MIT OR Apache-2.0"}`.
    Expression {
        /// The expression.
        expression: String,
    },
    /// `{"license": {"name": "..."}}`.
    Named {
        /// The license.
        license: NamedLicense,
    },
}

/// `{"name": "..."}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NamedLicense {
    /// The name.
    pub name: String,
}

/// A CycloneDX external reference.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ExternalReference {
    /// `distribution`.
    #[serde(rename = "type")]
    pub kind: String,
    /// The upstream URL, or the path in the staging folder.
    pub url: String,
    /// Its digests.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub hashes: Vec<SbomHash>,
}

/// A CycloneDX property.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Property {
    /// The name.
    pub name: String,
    /// The value.
    pub value: String,
}

fn property(name: &str, value: impl Into<String>) -> Property {
    Property {
        name: name.to_owned(),
        value: value.into(),
    }
}

impl Sbom {
    /// The CycloneDX 1.6 BOM of the report's files (rejected ones left out); `tool_version`
    /// is the writing tool's version.
    pub fn from_report(report: &Report, tool_version: &str) -> Sbom {
        let mut seed = crate::Hasher::sha256();
        let mut components = Vec::new();
        for f in report.files.iter().filter(|f| f.is_approved()) {
            seed.update(f.filename.as_bytes());
            seed.update(b"\0");
            seed.update(f.sha256.as_bytes());
            let hashes = vec![SbomHash {
                alg: "SHA-256".to_owned(),
                content: f.sha256.to_ascii_lowercase(),
            }];
            let mut licenses = Vec::new();
            if let Some(e) = &f.license.expression {
                licenses.push(LicenseChoice::Expression {
                    expression: e.clone(),
                });
            } else {
                if let Some(t) = &f.license.text {
                    let name: String = t.lines().next().unwrap_or_default().trim().to_owned();
                    let name = if name.chars().count() > 200 {
                        name.chars().take(200).collect()
                    } else {
                        name
                    };
                    if !name.is_empty() {
                        licenses.push(LicenseChoice::Named {
                            license: NamedLicense { name },
                        });
                    }
                }
                for c in &f.license.classifiers {
                    let name = c.rsplit("::").next().unwrap_or(c).trim().to_owned();
                    let choice = LicenseChoice::Named {
                        license: NamedLicense { name },
                    };
                    if !licenses.contains(&choice) {
                        licenses.push(choice);
                    }
                }
            }
            let mut properties = vec![
                property("pypackaging:filename", &f.filename),
                property("pypackaging:kind", &f.kind),
                property("pypackaging:size", f.size.to_string()),
            ];
            if let Some(rp) = &f.requires_python {
                properties.push(property("pypackaging:requires-python", rp));
            }
            if f.yanked {
                properties.push(property(
                    "pypackaging:yanked",
                    f.yanked_reason.clone().unwrap_or_else(|| "yes".to_owned()),
                ));
            }
            if let Some(p) = &f.provenance {
                properties.push(property("pypackaging:provenance", p));
            }
            for w in f.warnings() {
                properties.push(property("pypackaging:warning", w.to_string()));
            }
            components.push(Component {
                kind: "library".to_owned(),
                bom_ref: Some(f.filename.clone()),
                name: f.project.clone(),
                version: Some(f.version.clone()),
                purl: Some(purl(&f.project, &f.version)),
                hashes: hashes.clone(),
                licenses,
                external_references: vec![ExternalReference {
                    kind: "distribution".to_owned(),
                    url: f.url.clone().unwrap_or_else(|| f.path.clone()),
                    hashes,
                }],
                properties,
            });
        }
        let d = seed.finish().as_slice()[0].hex();
        // Name-based UUID layout: version nibble 5, variant bits 10.
        let variant = ["8", "9", "a", "b"][usize::from(d.as_bytes()[16] % 4)];
        let serial = format!(
            "urn:uuid:{}-{}-5{}-{}{}-{}",
            &d[0..8],
            &d[8..12],
            &d[13..16],
            variant,
            &d[17..20],
            &d[20..32]
        );
        let tool = Component {
            kind: "application".to_owned(),
            bom_ref: None,
            name: "pypackaging".to_owned(),
            version: Some(tool_version.to_owned()),
            purl: None,
            hashes: Vec::new(),
            licenses: Vec::new(),
            external_references: Vec::new(),
            properties: vec![property("pypackaging:tool", &report.tool)],
        };
        Sbom {
            bom_format: "CycloneDX".to_owned(),
            spec_version: "1.6".to_owned(),
            serial_number: serial,
            version: 1,
            metadata: SbomMetadata {
                tools: SbomTools {
                    components: vec![tool],
                },
                component: Component {
                    kind: "application".to_owned(),
                    bom_ref: Some("staging-set".to_owned()),
                    name: "staging set".to_owned(),
                    version: None,
                    purl: None,
                    hashes: Vec::new(),
                    licenses: Vec::new(),
                    external_references: Vec::new(),
                    properties: Vec::new(),
                },
            },
            components,
        }
    }

    /// The BOM as pretty JSON with a final newline.
    pub fn to_json(&self) -> String {
        let mut s = serde_json::to_string_pretty(self).expect("a BOM serializes");
        s.push('\n');
        s
    }
}
