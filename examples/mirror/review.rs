//! The staging review: `DIR/review/report.json`, `report.html` and `sbom.cdx.json` (the
//! crate's `review` module renders them) over the files this run verified. The report they
//! replace is kept as `DIR/review/previous.json`, only when it is a review report (one this
//! tool wrote); the new report lists what changed since. A file the upstream now serves with
//! other bytes than the previous report recorded is refused by the hash checks, and listed as
//! re-uploaded. `--find-links-page` also writes `DIR/find-links/index.html`.

use std::collections::BTreeMap;
use std::fs;
use std::path::Path;

use pypackaging::hash::{Digest, HashAlgorithm};
use pypackaging::review::{Report, Reupload, ReviewFile, Sbom, render_find_links, render_html};

use crate::fetch::Landed;
use crate::plan::Job;

/// What the upstream declared for a file: its sha256 (when it gives one) and size.
pub type Upstream = BTreeMap<String, (Option<Digest>, Option<u64>)>;

/// Records what the upstream declares for each job.
pub fn note_upstream(upstream: &mut Upstream, jobs: &[Job]) {
    for job in jobs {
        let sha = job
            .index
            .iter()
            .find(|d| d.algorithm() == HashAlgorithm::Sha256)
            .copied();
        upstream.insert(job.filename.clone(), (sha, job.size));
    }
}

fn write_atomic(path: &Path, bytes: &[u8]) -> Result<(), String> {
    let dir = path.parent().unwrap_or(Path::new("."));
    fs::create_dir_all(dir).map_err(|e| format!("`{}`: {e}", dir.display()))?;
    let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("file");
    let temp = dir.join(format!(".{name}.tmp"));
    fs::write(&temp, bytes).map_err(|e| format!("`{}`: {e}", temp.display()))?;
    fs::rename(&temp, path).map_err(|e| format!("`{}`: {e}", path.display()))
}

/// The report of the landed files.
pub fn report(landed: &[Landed]) -> Result<Report, String> {
    let mut files = Vec::new();
    for Landed {
        job,
        digests,
        checked,
    } in landed
    {
        let sha = digests
            .get(HashAlgorithm::Sha256)
            .ok_or_else(|| format!("`{}`: no sha256 computed", job.filename))?;
        let project = job.dist.name().map(|n| n.to_string()).unwrap_or_default();
        let path = format!("simple/{project}/{}", job.filename);
        let mut entry =
            ReviewFile::new(&job.filename, digests.size(), sha, path).map_err(|e| e.to_string())?;
        entry.requires_python = job.requires_python.clone();
        if let Some(m) = &checked.metadata {
            entry.set_metadata(m);
        }
        entry.url = Some(job.url.clone());
        entry.provenance = job.provenance.clone();
        entry.set_yanked(&job.yanked);
        entry.findings = checked.findings.clone();
        files.push(entry);
    }
    Ok(Report::new("mirror", files))
}

/// Writes the review (rotating the last report to `previous.json`) and, with `find_links`,
/// the find-links page; returns the change summary lines (none on a first review).
pub fn write(
    dest: &Path,
    landed: &[Landed],
    upstream: &Upstream,
    find_links: bool,
) -> Result<Vec<String>, String> {
    let mut report = report(landed)?;
    let dir = dest.join("review");
    let current = dir.join("report.json");
    let previous = dir.join("previous.json");
    match fs::read_to_string(&current) {
        Ok(text) => {
            let last = Report::from_json(&text).map_err(|e| {
                format!(
                    "`{}` is not a review report this tool wrote ({e}); move it away to write \
                     the review",
                    current.display()
                )
            })?;
            report.compare_with(&last);
            if let Some(changes) = &mut report.changes {
                for before in &last.files {
                    let Some((Some(sha), size)) = upstream.get(&before.filename) else {
                        continue;
                    };
                    if !sha.hex().eq_ignore_ascii_case(&before.sha256) {
                        changes.push_reupload(Reupload {
                            filename: before.filename.clone(),
                            before_sha256: before.sha256.clone(),
                            after_sha256: sha.hex(),
                            before_size: before.size,
                            after_size: size.unwrap_or(before.size),
                        });
                    }
                }
            }
            fs::rename(&current, &previous)
                .map_err(|e| format!("`{}`: {e}", previous.display()))?;
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
        Err(e) => return Err(format!("`{}`: {e}", current.display())),
    }
    write_atomic(&dir.join("report.html"), render_html(&report).as_bytes())?;
    write_atomic(
        &dir.join("sbom.cdx.json"),
        Sbom::from_report(&report, env!("CARGO_PKG_VERSION"))
            .to_json()
            .as_bytes(),
    )?;
    write_atomic(&current, report.to_json().as_bytes())?;
    if find_links {
        let links: Vec<(String, &str, &str)> = report
            .files
            .iter()
            .map(|f| {
                (
                    format!("../simple/{}/", f.project),
                    f.filename.as_str(),
                    f.sha256.as_str(),
                )
            })
            .collect();
        let page = render_find_links(links.iter().map(|(d, n, s)| (d.as_str(), *n, *s)));
        write_atomic(&dest.join("find-links").join("index.html"), page.as_bytes())?;
    }
    Ok(report
        .changes
        .as_ref()
        .map(|c| c.summary_lines())
        .unwrap_or_default())
}
