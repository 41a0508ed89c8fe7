//! Publishing: the static index over the verified files, and the report.

use std::fs;
use std::path::Path;

use pypackaging::DistFilename;
use pypackaging::index::{self, BuildOptions, DistFile};
use pypackaging::metadata::Finding;

use crate::fetch::{Landed, file_path};

/// What happened to one file or requirement, for the final report.
#[derive(Debug, Clone, serde::Serialize)]
#[serde(tag = "status", rename_all = "lowercase")]
pub enum Outcome {
    Mirrored {
        file: String,
        requirement: String,
        size: u64,
        sha256: String,
        from: String,
        /// The install check's warnings.
        findings: Vec<Finding>,
    },
    Skipped {
        what: String,
        why: String,
        /// For a file already present: the install check's warnings.
        #[serde(skip_serializing_if = "Vec::is_empty")]
        findings: Vec<Finding>,
    },
    Failed {
        what: String,
        why: String,
        /// For a file the install check refused: every finding.
        #[serde(skip_serializing_if = "Vec::is_empty")]
        findings: Vec<Finding>,
    },
}

impl Outcome {
    /// A skip with no findings.
    pub fn skipped(what: impl Into<String>, why: impl Into<String>) -> Outcome {
        Outcome::Skipped {
            what: what.into(),
            why: why.into(),
            findings: Vec::new(),
        }
    }

    /// A failure with no findings.
    pub fn failed(what: impl Into<String>, why: impl Into<String>) -> Outcome {
        Outcome::Failed {
            what: what.into(),
            why: why.into(),
            findings: Vec::new(),
        }
    }

    /// `mirrored`, `skipped` or `failed`.
    pub fn status(&self) -> &'static str {
        match self {
            Outcome::Mirrored { .. } => "mirrored",
            Outcome::Skipped { .. } => "skipped",
            Outcome::Failed { .. } => "failed",
        }
    }

    fn findings(&self) -> &[Finding] {
        match self {
            Outcome::Mirrored { findings, .. }
            | Outcome::Skipped { findings, .. }
            | Outcome::Failed { findings, .. } => findings,
        }
    }
}

/// Writes `path` by writing a temporary file beside it and renaming it into place.
fn write_atomic(path: &Path, bytes: &[u8]) -> Result<(), String> {
    let dir = path.parent().unwrap_or(Path::new("."));
    fs::create_dir_all(dir).map_err(|e| format!("`{}`: {e}", dir.display()))?;
    let temp = dir.join(format!(
        ".{}.tmp",
        path.file_name().and_then(|n| n.to_str()).unwrap_or("page")
    ));
    fs::write(&temp, bytes).map_err(|e| format!("`{}`: {e}", temp.display()))?;
    fs::rename(&temp, path).map_err(|e| format!("`{}`: {e}", path.display()))
}

/// Publishes the verified files as build_index would: pages from the crate's `index` module,
/// a PEP 658 `.metadata` sidecar beside each wheel (the `METADATA` bytes its check read, so no
/// wheel is opened again), and a hashed `requirements.txt`. The index lists exactly the files
/// this run verified (downloaded, or present with a matching digest).
pub fn publish(dest: &Path, landed: &[Landed]) -> Result<(), String> {
    let mut files = Vec::new();
    for Landed {
        job,
        digests,
        checked,
    } in landed
    {
        let mut file = DistFile::new(&job.filename, digests.as_slice().to_vec(), digests.size())
            .map_err(|e| e.to_string())?;
        file.yanked = job.yanked.clone();
        file.requires_python = job.requires_python.clone();
        if let DistFilename::Wheel(_) = &job.dist
            && let Some(path) = file_path(dest, job)
        {
            let metadata = checked.metadata.as_deref().ok_or_else(|| {
                format!("`{}`: the check read no METADATA to publish", job.filename)
            })?;
            let sidecar = path.with_file_name(format!("{}.metadata", job.filename));
            write_atomic(&sidecar, metadata)?;
            file = file.with_metadata(metadata);
        }
        files.push(file);
    }
    let index = index::build(files, &BuildOptions::default()).map_err(|e| e.to_string())?;
    for (path, text) in index.render() {
        write_atomic(&dest.join(path), text.as_bytes())?;
    }
    write_atomic(
        &dest.join("requirements.txt"),
        index.requirements.as_bytes(),
    )
}

/// Prints the report (each outcome, and under it each warning: rule, file, line, field,
/// message), writes it to `DIR/mirror-report.json`, and returns the failure count.
pub fn report(dest: &Path, outcomes: &[Outcome]) -> Result<usize, String> {
    let (mut mirrored, mut skipped, mut failed, mut warnings) = (0, 0, 0, 0);
    for outcome in outcomes {
        match outcome {
            Outcome::Mirrored { file, size, .. } => {
                mirrored += 1;
                println!("mirrored  {file} ({size} bytes)");
            }
            Outcome::Skipped { what, why, .. } => {
                skipped += 1;
                println!("skipped   {what}: {why}");
            }
            Outcome::Failed { what, why, .. } => {
                failed += 1;
                println!("FAILED    {what}: {why}");
            }
        }
        // A failure's refusals are in its reason already; warnings go under every outcome.
        for finding in outcome.findings() {
            if finding.severity == pypackaging::metadata::Severity::Warning {
                warnings += 1;
                println!("          {finding}");
            }
        }
    }
    println!("{mirrored} mirrored, {skipped} skipped, {failed} failed, {warnings} warnings");
    let path = dest.join("mirror-report.json");
    let json = serde_json::to_string_pretty(&serde_json::json!({
        "mirrored": mirrored,
        "skipped": skipped,
        "failed": failed,
        "warnings": warnings,
        "outcomes": outcomes,
    }))
    .map_err(|e| e.to_string())?;
    fs::create_dir_all(dest).map_err(|e| format!("`{}`: {e}", dest.display()))?;
    fs::write(&path, json + "\n").map_err(|e| format!("`{}`: {e}", path.display()))?;
    Ok(failed)
}
