//! Builds a static package index from a folder of wheels and sdists.
//!
//! ```text
//! cargo run --release --example build_index -- WHEELHOUSE OUT [--base-url URL]
//!     [--yank FILE=REASON ...] [--skip-invalid] [--copy] [--report PATH]
//!     [--review DIR] [--find-links-page]
//! ```
//!
//! OUT gets `simple/index.{html,json}`, `simple/<project>/index.{html,json}`, the files
//! themselves beside their project page (hard-linked when the file system allows, else copied;
//! `--copy` always copies, for a wheelhouse whose files may be rewritten in place, which would
//! change a hard-linked file under a live index), a PEP 658 `<file>.metadata` sidecar for every
//! wheel (the exact METADATA bytes), and `requirements.txt` pinning each project's newest
//! release with every hash. Any static file server serves it to pip and uv (`--index-url
//! http://HOST/simple/`); `pypackaging-server` adds PEP 691 negotiation, keys and uploads.
//!
//! Every file is checked alike (`metadata::check_wheel`, `metadata::check_sdist`): a refused
//! file stops the build (every refusal printed, nothing published, exit 1) unless
//! `--skip-invalid` leaves it out; warnings are printed and never stop it. The verdicts go to
//! `OUT/.pypackaging/build-report.json` (and `--report PATH`).
//!
//! OUT must be absent, empty, or an index this tool built (`OUT/.pypackaging/manifest.json`
//! lists every key it wrote); an index of the older build_index (`OUT/.build_index.json`) is
//! taken over. Nothing else in OUT is ever deleted or overwritten. The index is published in
//! place by the crate's publish plan (`index::publish`): files first, then the pages that link
//! them, then the root; removals the other way. Each object is staged in
//! `OUT/.pypackaging/tmp/` and renamed onto its key, so a reader (a static server) never sees
//! a missing folder, half a file, or a page linking to a file not yet there. A killed run
//! leaves only what the manifest or the tmp folder names; the next run cleans it up.
//!
//! A re-run reuses the digests and verdicts of files whose size and modification time are
//! unchanged, and reports what changed and the plan (`put 0, delete 0` when nothing did).
//!
//! The staging review (`pypackaging::review`) goes to `OUT/.pypackaging/review/`:
//! `report.json` (every indexed file with its license, requirements, yank status and
//! warnings), `report.html` (the same as one page), `sbom.cdx.json` (CycloneDX 1.6), and
//! `previous.json` (the report before, which the new one is compared with; the changes end
//! the summary). `--review DIR` also writes the three to DIR. `--find-links-page` adds
//! `OUT/find-links/index.html`, a flat page of links with `#sha256=` for `pip install
//! --no-index --find-links`.

mod out;
mod review;

use std::collections::BTreeMap;
use std::fs;
use std::io::{self, IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::{Instant, UNIX_EPOCH};

use clap::Parser;
use indicatif::{ProgressBar, ProgressStyle};
use pypackaging::DistFilename;
use pypackaging::index::{self, BuildOptions, Changes, DistFile, plan};
use pypackaging::metadata::Finding;
use pypackaging::simple::Yanked;

use out::{Out, Seen, hash_file};

/// Builds a static package index (PEP 503 HTML, PEP 691 JSON, PEP 658 metadata, a hashed
/// requirements.txt) from a folder of wheels and sdists.
#[derive(Parser, Debug)]
#[command(name = "build_index", version)]
pub(crate) struct Args {
    /// The folder of wheels (.whl) and sdists (.tar.gz, .zip) to index.
    wheelhouse: PathBuf,
    /// The index folder: absent, empty, or an index build_index made (nothing else in it is
    /// ever deleted or overwritten).
    out: PathBuf,
    /// The URL where OUT/simple/ is served; files are then linked at
    /// URL<project>/<filename> [default: links relative to each project page]
    #[arg(long, value_name = "URL", value_parser = parse_base_url)]
    base_url: Option<String>,
    /// Marks FILE yanked with REASON; repeatable [default: nothing yanked]
    #[arg(long, value_name = "FILE=REASON", value_parser = parse_yank)]
    yank: Vec<(String, String)>,
    /// Leaves refused files out and publishes the rest [default: off: a refused file stops
    /// the build]
    #[arg(long)]
    skip_invalid: bool,
    /// Copies files into OUT [default: off: hard links when the file system allows, else
    /// copies]
    #[arg(long)]
    copy: bool,
    /// Also writes the build report to PATH [default: only
    /// OUT/.pypackaging/build-report.json]
    #[arg(long, value_name = "PATH")]
    report: Option<PathBuf>,
    /// The Python versions OUT/requirements.txt must install on, as PEP 440 specifiers
    /// (`>=3.10`); its first line names the range used [default: every version the files
    /// support]
    #[arg(long, value_name = "SPECIFIERS", value_parser = parse_python)]
    python: Option<pypackaging::VersionSpecifiers>,
    /// Also writes the staging review (report.json, report.html, sbom.cdx.json) to DIR
    /// [default: only OUT/.pypackaging/review/]
    #[arg(long, value_name = "DIR")]
    review: Option<PathBuf>,
    /// Adds OUT/find-links/index.html: a flat page linking every file with its `#sha256=`,
    /// for `pip install --no-index --find-links` [default: off]
    #[arg(long)]
    find_links_page: bool,
}

fn parse_python(value: &str) -> Result<pypackaging::VersionSpecifiers, String> {
    value
        .parse()
        .map_err(|e: pypackaging::version::VersionSpecifiersParseError| {
            let reason = e.to_string();
            let reason = reason.lines().next().unwrap_or_default().to_owned();
            format!("expected PEP 440 version specifiers such as `>=3.10`: {reason}")
        })
}

fn parse_base_url(value: &str) -> Result<String, String> {
    let expected = "expected an absolute http(s) URL such as https://pkgs.example/simple/";
    let url = url::Url::parse(value).map_err(|_| expected.to_owned())?;
    if !matches!(url.scheme(), "http" | "https") || url.host_str().is_none() {
        return Err(expected.to_owned());
    }
    if url.query().is_some() || url.fragment().is_some() {
        return Err(format!("{expected} (no query or fragment)"));
    }
    let mut url = value.to_owned();
    if !url.ends_with('/') {
        url.push('/');
    }
    Ok(url)
}

fn parse_yank(value: &str) -> Result<(String, String), String> {
    match value.split_once('=') {
        Some((file, reason)) if !file.is_empty() => Ok((file.to_owned(), reason.to_owned())),
        _ => Err("expected FILE=REASON (a file name of the wheelhouse, `=`, a reason)".to_owned()),
    }
}

fn mtime_ns(meta: &fs::Metadata) -> String {
    meta.modified()
        .ok()
        .and_then(|t| t.duration_since(UNIX_EPOCH).ok())
        .map_or_else(String::new, |d| d.as_nanos().to_string())
}

/// One wheelhouse file, checked.
struct Checked {
    file: DistFile,
    kind: &'static str,
    /// The exact METADATA bytes of a wheel (its sidecar).
    metadata: Option<Vec<u8>>,
    /// An sdist's PKG-INFO, for the review (`None` when reused).
    pkg_info: Option<Vec<u8>>,
    findings: Vec<Finding>,
    refused: bool,
    mtime_ns: String,
    reused: bool,
}

/// Reads, hashes and checks one file.
fn check(path: &Path, mut file: DistFile, meta: &fs::Metadata) -> Result<Checked, String> {
    let err = |e: io::Error| format!("cannot read `{}`: {e}", path.display());
    let (sha, size) = hash_file(path).map_err(err)?;
    file.digests = vec![sha];
    file.size = size;
    let reader = io::BufReader::new(fs::File::open(path).map_err(err)?);
    let kind = match &file.dist {
        DistFilename::Wheel(_) => "wheel",
        _ => "sdist",
    };
    let (file, result) = file.checked(reader);
    let refused = !result.verdict.is_installable();
    let (mut metadata, mut pkg_info_bytes) = (None, None);
    if !refused {
        if kind == "wheel" {
            metadata = result.metadata;
        } else {
            pkg_info_bytes = result.metadata;
        }
    }
    Ok(Checked {
        file,
        kind,
        metadata,
        pkg_info: pkg_info_bytes,
        findings: result.verdict.findings,
        refused,
        mtime_ns: mtime_ns(meta),
        reused: false,
    })
}

/// The previous run's record of a file, when its size and mtime are unchanged and (for a
/// wheel) its sidecar in OUT still has the recorded digest.
fn reuse(out: &Out, seen: &Seen, mut file: DistFile, meta: &fs::Metadata) -> Option<Checked> {
    if seen.size != meta.len() || seen.mtime_ns != mtime_ns(meta) {
        return None;
    }
    let is_wheel = matches!(file.dist, DistFilename::Wheel(_));
    let mut metadata = None;
    if is_wheel {
        let want = seen.metadata_sha256?;
        let sidecar = out
            .root
            .join("simple")
            .join(&seen.project)
            .join(format!("{}.metadata", file.filename));
        let bytes = fs::read(sidecar).ok()?;
        let mut hasher = pypackaging::Hasher::sha256();
        hasher.update(&bytes);
        if hasher.finish().get(pypackaging::HashAlgorithm::Sha256) != Some(&want) {
            return None;
        }
        file = file.with_metadata(&bytes);
        metadata = Some(bytes);
    }
    file.digests = vec![seen.sha256];
    file.size = seen.size;
    file.requires_python = seen.requires_python.clone();
    Some(Checked {
        file,
        kind: if is_wheel { "wheel" } else { "sdist" },
        metadata,
        pkg_info: None,
        findings: seen.findings.clone(),
        refused: false,
        mtime_ns: seen.mtime_ns.clone(),
        reused: true,
    })
}

/// `find-links/index.html`: every indexed file linked at its place in the index, with its
/// sha256 fragment.
fn find_links_object(indexed: &[&Checked]) -> index::publish::Object {
    let links: Vec<(String, &str, String)> = indexed
        .iter()
        .map(|c| {
            (
                format!("../simple/{}/", c.file.project()),
                c.file.filename.as_str(),
                c.file.sha256().map(|d| d.hex()).unwrap_or_default(),
            )
        })
        .collect();
    let html = pypackaging::review::render_find_links(
        links
            .iter()
            .map(|(dir, name, sha)| (dir.as_str(), *name, sha.as_str())),
    );
    index::publish::Object::from_bytes("find-links/index.html".to_owned(), html.into_bytes())
}

/// The build report (the format every tool of the crate reads).
fn report_json(checked: &[Checked], skip_invalid: bool) -> serde_json::Value {
    let status = |c: &Checked| match (c.refused, skip_invalid) {
        (false, _) => "indexed",
        (true, true) => "left-out",
        (true, false) => "refused",
    };
    let count = |s: &str| checked.iter().filter(|c| status(c) == s).count();
    let files: Vec<serde_json::Value> = checked
        .iter()
        .map(|c| {
            serde_json::json!({
                "filename": c.file.filename,
                "project": c.file.project().to_string(),
                "version": c.file.version().to_string(),
                "kind": c.kind,
                "size": c.file.size,
                "sha256": c.file.sha256().map(|d| d.hex()),
                "status": status(c),
                "findings": c.findings,
            })
        })
        .collect();
    serde_json::json!({
        "version": 1,
        "indexed": count("indexed"),
        "refused": count("refused"),
        "left_out": count("left-out"),
        "files": files,
    })
}

fn write_reports(out: &Out, args: &Args, report: &serde_json::Value) -> Result<(), String> {
    let bytes = serde_json::to_vec_pretty(report).map_err(|e| e.to_string())?;
    out.prepare()?;
    out.write_mark("build-report.json", &bytes)?;
    if let Some(path) = &args.report {
        fs::write(path, &bytes).map_err(|e| format!("--report `{}`: {e}", path.display()))?;
    }
    Ok(())
}

pub(crate) fn run(args: &Args) -> Result<(), String> {
    let started = Instant::now();
    let mut out = out::open(&args.out, &args.wheelhouse)?;
    if let Some(path) = &args.report
        && out.contains(path)?
    {
        return Err(format!(
            "--report `{}` is inside OUT, where only the index's own files go: name a path outside it",
            path.display()
        ));
    }
    if let Some(path) = &args.review
        && out.contains(path)?
    {
        return Err(format!(
            "--review `{}` is inside OUT, where only the index's own files go (the review is in \
             OUT/.pypackaging/review/ already): name a folder outside it",
            path.display()
        ));
    }
    for leftover in out.legacy_leftovers() {
        eprintln!(
            "note: `{}` was left by an older build_index; it is not ours to remove",
            leftover.display()
        );
    }

    // 1. What is in the wheelhouse.
    let mut entries: Vec<(String, PathBuf)> = Vec::new();
    let wh_err = |e: io::Error| format!("cannot read `{}`: {e}", args.wheelhouse.display());
    for entry in fs::read_dir(&args.wheelhouse).map_err(wh_err)? {
        let entry = entry.map_err(wh_err)?;
        if !entry.file_type().is_ok_and(|t| t.is_file()) {
            continue;
        }
        match entry.file_name().into_string() {
            Ok(name) => entries.push((name, entry.path())),
            Err(name) => eprintln!("skipped {}: not a UTF-8 file name", name.to_string_lossy()),
        }
    }
    entries.sort();
    let mut skipped = 0;
    let mut candidates = Vec::new();
    for (name, path) in entries {
        match DistFile::new(&name, Vec::new(), 0) {
            Ok(file) => candidates.push((path, file)),
            Err(e) => {
                skipped += 1;
                eprintln!("skipped {name}: {e}");
            }
        }
    }

    // 2. Hash and check, reusing what the previous run recorded for unchanged files.
    let bar = if io::stderr().is_terminal() {
        let bar = ProgressBar::new(candidates.len() as u64);
        bar.set_style(
            ProgressStyle::with_template("{bar:30} {pos}/{len} files, {msg}")
                .expect("a valid template"),
        );
        bar
    } else {
        ProgressBar::hidden()
    };
    let mut checked = Vec::new();
    let mut hashed_bytes = 0u64;
    for (path, file) in candidates {
        let meta = fs::metadata(&path).map_err(|e| format!("`{}`: {e}", path.display()))?;
        bar.set_message(file.filename.clone());
        let seen = out.manifest.sources.get(&file.filename);
        let c = match seen.and_then(|s| reuse(&out, s, file.clone(), &meta)) {
            Some(c) => c,
            None => {
                let c = check(&path, file, &meta)?;
                hashed_bytes += c.file.size;
                c
            }
        };
        checked.push(c);
        bar.inc(1);
    }
    bar.finish_and_clear();
    let reused = checked.iter().filter(|c| c.reused).count();
    eprintln!(
        "checked {} files ({} reused, {:.2} MB hashed) in {:.2}s",
        checked.len(),
        reused,
        hashed_bytes as f64 / 1e6,
        started.elapsed().as_secs_f64()
    );
    for c in &checked {
        for finding in &c.findings {
            eprintln!("{}: {finding}", c.file.filename);
        }
    }
    let refused: Vec<&Checked> = checked.iter().filter(|c| c.refused).collect();
    if !refused.is_empty() {
        let verb = if args.skip_invalid {
            "left out"
        } else {
            "refused"
        };
        for c in &refused {
            eprintln!("{verb}: {}", c.file.filename);
        }
        if !args.skip_invalid {
            let report = report_json(&checked, false);
            write_reports(&out, args, &report)?;
            return Err(format!(
                "{} refused file(s) in `{}`; nothing published (--skip-invalid leaves them out)",
                refused.len(),
                args.wheelhouse.display()
            ));
        }
    }
    let left_out = refused.len();

    // 3. Yanks.
    for (target, reason) in &args.yank {
        let c = checked
            .iter_mut()
            .find(|c| !c.refused && &c.file.filename == target)
            .ok_or_else(|| {
                format!("invalid --yank `{target}={reason}`: no file `{target}` is indexed")
            })?;
        c.file.yanked = Yanked::with_reason(reason);
    }

    // 4. The index and its objects.
    let indexed: Vec<&Checked> = checked.iter().filter(|c| !c.refused).collect();
    let options = BuildOptions {
        base_url: args.base_url.clone(),
        python: args.python.clone(),
    };
    let files: Vec<DistFile> = indexed.iter().map(|c| c.file.clone()).collect();
    let built = index::build(files, &options).map_err(|e| e.to_string())?;
    let sidecars: BTreeMap<&str, &[u8]> = indexed
        .iter()
        .filter_map(|c| Some((c.file.filename.as_str(), c.metadata.as_deref()?)))
        .collect();
    let mut desired = built
        .objects(|f| sidecars.get(f).copied())
        .map_err(|e| e.to_string())?;
    if args.find_links_page {
        desired.push(find_links_object(&indexed));
    }
    if let Some(key) = out.foreign_conflict(&desired) {
        return Err(format!(
            "`{}` is in OUT and was not written by build_index (not in {}/manifest.json), and the \
             index needs that path; move it away and run again",
            out.root.join(&key).display(),
            out::MARK
        ));
    }
    let sources: BTreeMap<String, Seen> = indexed
        .iter()
        .map(|c| {
            let seen = Seen {
                size: c.file.size,
                mtime_ns: c.mtime_ns.clone(),
                sha256: *c.file.sha256().expect("hashed"),
                requires_python: c.file.requires_python.clone(),
                project: c.file.project().to_string(),
                version: c.file.version().to_string(),
                metadata_sha256: c
                    .file
                    .metadata_digests
                    .as_ref()
                    .and_then(|d| d.first().copied()),
                findings: c.findings.clone(),
            };
            (c.file.filename.clone(), seen)
        })
        .collect();
    let previous = std::mem::take(&mut out.previous);

    // 5. Publish in place.
    out.prepare()?;
    let current = out.current()?;
    let steps = plan(&current, &desired);
    out.apply(&steps, &desired, sources, &args.wheelhouse, args.copy)?;
    let report = report_json(&checked, args.skip_invalid);
    write_reports(&out, args, &report)?;
    let review = review::report(&indexed, &args.wheelhouse)?;
    let review_changes = review::write(&out, review, args.review.as_deref())?;

    // 6. Summary.
    let changes = Changes::between(
        previous.iter().map(|(n, d)| (n.as_str(), Some(d))),
        indexed
            .iter()
            .map(|c| (c.file.filename.as_str(), c.file.sha256())),
    );
    let wheels = indexed.iter().filter(|c| c.kind == "wheel").count();
    let mut stdout = io::stdout().lock();
    let _ = writeln!(
        stdout,
        "indexed {} files ({} wheels, {} sdists) of {} projects into {} in {:.2}s: {:.2} MB hashed, {} reused, {} skipped, {} left out",
        indexed.len(),
        wheels,
        indexed.len() - wheels,
        built.pages.len(),
        args.out.display(),
        started.elapsed().as_secs_f64(),
        hashed_bytes as f64 / 1e6,
        reused,
        skipped,
        left_out,
    );
    let _ = writeln!(stdout, "changes: {changes}");
    let _ = writeln!(stdout, "plan: {steps}");
    let _ = writeln!(
        stdout,
        "review: {}",
        review::folder(&out).join("report.html").display()
    );
    for line in &review_changes {
        let _ = writeln!(stdout, "{line}");
    }
    let _ = writeln!(
        stdout,
        "serve it: cargo run --release -p pypackaging-server -- {}   (pip/uv: --index-url http://127.0.0.1:8080/simple/)",
        args.out.display()
    );
    Ok(())
}

fn main() -> ExitCode {
    let args = Args::parse();
    match run(&args) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base_url_is_checked_and_gets_its_slash() {
        assert_eq!(
            parse_base_url("https://pkgs.example/simple").unwrap(),
            "https://pkgs.example/simple/"
        );
        assert!(parse_base_url("notaurl").is_err());
        assert!(parse_base_url("ftp://x/").is_err());
        assert!(parse_base_url("file:///srv/simple/").is_err());
        assert_eq!(
            parse_yank("a-1.0.tar.gz=broken").unwrap(),
            ("a-1.0.tar.gz".to_owned(), "broken".to_owned())
        );
        assert!(parse_yank("a-1.0.tar.gz").is_err());
    }

    #[test]
    fn out_may_not_contain_the_wheelhouse_or_be_in_it() {
        let dir = std::env::temp_dir().join(format!("build_index-test-{}", std::process::id()));
        let wh = dir.join("wh");
        fs::create_dir_all(&wh).unwrap();
        assert!(
            out::open(&wh, &wh)
                .unwrap_err()
                .contains("wheelhouse itself")
        );
        assert!(
            out::open(&wh.join("out"), &wh)
                .unwrap_err()
                .contains("inside the wheelhouse")
        );
        assert!(out::open(&dir, &wh).unwrap_err().contains("is inside OUT"));
        assert!(out::open(&dir.join("new"), &wh).is_ok());
        fs::remove_dir_all(&dir).unwrap();
    }
}
