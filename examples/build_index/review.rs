//! The staging review of a build: `OUT/.pypackaging/review/` gets `report.json`,
//! `report.html` and `sbom.cdx.json` (the crate's `review` module renders them); the report
//! they replace is kept as `previous.json` and compared with. `--review DIR` writes a copy
//! of the three to DIR.

use std::fs;
use std::io::BufReader;
use std::path::{Path, PathBuf};

use pypackaging::DistFilename;
use pypackaging::metadata::{sdist_pkg_info_tar_gz, sdist_pkg_info_zip};
use pypackaging::review::{Report, ReviewFile, Sbom, render_html};

use super::Checked;
use super::out::{MARK, Out};

/// The most PKG-INFO bytes read back for a reused sdist.
const PKG_INFO_LIMIT: u64 = 16 << 20;

/// The review folder inside OUT.
pub fn folder(out: &Out) -> PathBuf {
    out.root.join(MARK).join("review")
}

/// The PKG-INFO of a reused sdist, read again from the wheelhouse (its check is not rerun).
fn pkg_info(path: &Path, dist: &DistFilename) -> Option<Vec<u8>> {
    let file = BufReader::new(fs::File::open(path).ok()?);
    if dist.to_string().to_ascii_lowercase().ends_with(".zip") {
        sdist_pkg_info_zip(file, PKG_INFO_LIMIT).ok()
    } else {
        sdist_pkg_info_tar_gz(file, PKG_INFO_LIMIT).ok()
    }
}

/// The report of the indexed files.
pub fn report(indexed: &[&Checked], wheelhouse: &Path) -> Result<Report, String> {
    let mut files = Vec::new();
    for c in indexed {
        let f = &c.file;
        let sha = f
            .sha256()
            .ok_or_else(|| format!("`{}`: not hashed", f.filename))?;
        let path = format!("simple/{}/{}", f.project(), f.filename);
        let mut entry =
            ReviewFile::new(&f.filename, f.size, sha, path).map_err(|e| e.to_string())?;
        let metadata = match (&c.metadata, &c.pkg_info) {
            (Some(m), _) | (None, Some(m)) => Some(m.clone()),
            (None, None) if c.kind == "sdist" => pkg_info(&wheelhouse.join(&f.filename), &f.dist),
            _ => None,
        };
        if let Some(m) = metadata {
            entry.set_metadata(&m);
        }
        if entry.requires_python.is_none() {
            entry.requires_python = f.requires_python.clone();
        }
        entry.set_yanked(&f.yanked);
        entry.findings = c.findings.clone();
        files.push(entry);
    }
    Ok(Report::new("build_index", files))
}

fn write_atomic(dir: &Path, tmp: &Path, name: &str, bytes: &[u8]) -> Result<(), String> {
    fs::create_dir_all(dir).map_err(|e| format!("`{}`: {e}", dir.display()))?;
    let stage = tmp.join(format!("review-{name}.{}", std::process::id()));
    fs::write(&stage, bytes).map_err(|e| format!("`{}`: {e}", stage.display()))?;
    let path = dir.join(name);
    fs::rename(&stage, &path).map_err(|e| format!("`{}`: {e}", path.display()))
}

/// Writes the review into OUT (keeping the last report as `previous.json` and comparing the
/// new one with it) and into `copy`; returns the change summary lines (none on a first run).
pub fn write(out: &Out, mut report: Report, copy: Option<&Path>) -> Result<Vec<String>, String> {
    let dir = folder(out);
    let tmp = out.root.join(MARK).join("tmp");
    let current = dir.join("report.json");
    let previous = dir.join("previous.json");
    if let Ok(text) = fs::read_to_string(&current) {
        match Report::from_json(&text) {
            Ok(last) => {
                report.compare_with(&last);
                fs::rename(&current, &previous)
                    .map_err(|e| format!("`{}`: {e}", previous.display()))?;
            }
            Err(e) => eprintln!(
                "note: `{}` is not a review report ({e}); not compared, replaced",
                current.display()
            ),
        }
    }
    let json = report.to_json();
    let html = render_html(&report);
    let sbom = Sbom::from_report(&report, env!("CARGO_PKG_VERSION")).to_json();
    let outputs = [
        ("report.json", json.as_bytes()),
        ("report.html", html.as_bytes()),
        ("sbom.cdx.json", sbom.as_bytes()),
    ];
    for (name, bytes) in outputs {
        write_atomic(&dir, &tmp, name, bytes)?;
    }
    if let Some(copy) = copy {
        fs::create_dir_all(copy).map_err(|e| format!("--review `{}`: {e}", copy.display()))?;
        for (name, bytes) in outputs {
            let path = copy.join(name);
            fs::write(&path, bytes).map_err(|e| format!("--review `{}`: {e}", path.display()))?;
        }
    }
    Ok(report
        .changes
        .as_ref()
        .map(|c| c.summary_lines())
        .unwrap_or_default())
}
