//! Approves a reviewed staging set into a production index.
//!
//! ```text
//! cargo run --release --example approve -- REPORT --into PROD [--from DIR]
//!     [--reject FILENAME ...] [--base-url URL] [--find-links-page]
//! ```
//!
//! REPORT is a staging review (`DIR/review/report.json` of the mirror, or
//! `OUT/.pypackaging/review/report.json` of build_index), perhaps edited by the reviewer: a
//! file with `"decision": "rejected"` is held back, and so is each `--reject FILENAME`. Every
//! other file is copied from the staging folder (the folder the report's `review/` is in, or
//! `--from DIR`) to a temporary wheelhouse, and that copy's sha256 and size are checked
//! against the report; if any file differs (or is missing), nothing is published and the
//! error names the file and both digests. The verified copies are then published into PROD
//! by build_index's own code (this example includes it), so PROD is exactly the approved
//! files, with the yanks the report records. PROD must be absent, empty, or an index
//! build_index made (`PROD/.pypackaging/manifest.json`); anything else is refused untouched.
//!
//! Exit status: 0 published; 1 refused (a file differs, PROD is not ours, a refused file);
//! 2 wrong usage.

#[allow(dead_code)]
#[path = "../build_index/main.rs"]
mod build_index;

use std::fs;
use std::io::{self};
use std::path::{Component, Path, PathBuf};
use std::process::ExitCode;

use clap::Parser;
use pypackaging::hash::Digest;
use pypackaging::review::Report;

/// Publishes the approved files of a staging review into a production index.
#[derive(Parser, Debug)]
#[command(name = "approve", version)]
struct Args {
    /// The review report (report.json), perhaps with `"decision": "rejected"` entries.
    report: PathBuf,
    /// The production index: absent, empty, or an index build_index made.
    #[arg(long, value_name = "PROD")]
    into: PathBuf,
    /// The staging folder the report's paths are relative to [default: the folder holding
    /// the report's `review/` folder (and `.pypackaging/` for build_index)]
    #[arg(long, value_name = "DIR")]
    from: Option<PathBuf>,
    /// Holds FILENAME back; repeatable [default: only the report's rejected files]
    #[arg(long, value_name = "FILENAME")]
    reject: Vec<String>,
    /// Passed to build_index: where PROD/simple/ is served
    #[arg(long, value_name = "URL")]
    base_url: Option<String>,
    /// Passed to build_index: also write PROD/find-links/index.html
    #[arg(long)]
    find_links_page: bool,
}

fn hash_file(path: &Path) -> io::Result<(Digest, u64)> {
    pypackaging::hash::sha256_reader(fs::File::open(path)?)
}

/// The staging folder a report sits in: `X/review/report.json` is X's, and
/// `X/.pypackaging/review/report.json` is X's too.
fn staging_of(report: &Path) -> Result<PathBuf, String> {
    let review = report
        .canonicalize()
        .map_err(|e| format!("`{}`: {e}", report.display()))?
        .parent()
        .and_then(Path::parent)
        .map(Path::to_path_buf)
        .ok_or_else(|| {
            format!(
                "`{}` is in no staging folder; give --from",
                report.display()
            )
        })?;
    if review.file_name().is_some_and(|n| n == ".pypackaging") {
        return Ok(review.parent().unwrap_or(&review).to_path_buf());
    }
    Ok(review)
}

/// A report path that stays inside the staging folder.
fn safe_path(path: &str) -> bool {
    !path.is_empty()
        && Path::new(path)
            .components()
            .all(|c| matches!(c, Component::Normal(_)))
}

/// PROD is absent, empty, or has build_index's manifest.
fn check_prod(prod: &Path) -> Result<(), String> {
    match fs::read_dir(prod) {
        Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(()),
        Err(e) => Err(format!("PROD `{}`: {e}", prod.display())),
        Ok(mut entries) => {
            if prod.join(".pypackaging").join("manifest.json").is_file() || entries.next().is_none()
            {
                Ok(())
            } else {
                Err(format!(
                    "PROD `{}` is not an index build_index made (no .pypackaging/manifest.json) \
                     and is not empty; refusing to touch it",
                    prod.display()
                ))
            }
        }
    }
}

fn run(args: &Args) -> Result<(), String> {
    let text = fs::read_to_string(&args.report)
        .map_err(|e| format!("`{}`: {e}", args.report.display()))?;
    let report =
        Report::from_json(&text).map_err(|e| format!("`{}`: {e}", args.report.display()))?;
    let staging = match &args.from {
        Some(dir) => dir
            .canonicalize()
            .map_err(|e| format!("--from `{}`: {e}", dir.display()))?,
        None => staging_of(&args.report)?,
    };
    check_prod(&args.into)?;
    let approved = report.approved(&args.reject).map_err(|e| e.to_string())?;
    if approved.is_empty() {
        return Err("no file is approved; nothing to publish".to_owned());
    }

    // Copy every approved file out of staging and check the copy, before anything is
    // published: the bytes published are the bytes checked.
    let wheelhouse = std::env::temp_dir().join(format!("approve-{}", std::process::id()));
    let _ = fs::remove_dir_all(&wheelhouse);
    fs::create_dir_all(&wheelhouse).map_err(|e| format!("`{}`: {e}", wheelhouse.display()))?;
    let result = (|| {
        let mut mismatches = Vec::new();
        for f in &approved {
            if !safe_path(&f.path) || f.filename.contains('/') {
                return Err(format!(
                    "`{}`: path `{}` leaves the staging folder",
                    f.filename, f.path
                ));
            }
            let from = staging.join(&f.path);
            let to = wheelhouse.join(&f.filename);
            fs::copy(&from, &to).map_err(|e| format!("`{}`: {e}", from.display()))?;
            let (sha, size) = hash_file(&to).map_err(|e| format!("`{}`: {e}", to.display()))?;
            if let Err(e) = f.verify(&sha, size) {
                mismatches.push(format!("{e} (`{}`)", from.display()));
            }
        }
        if !mismatches.is_empty() {
            return Err(format!(
                "{} file(s) differ from the reviewed report; nothing published:\n  {}",
                mismatches.len(),
                mismatches.join("\n  ")
            ));
        }
        eprintln!(
            "verified {} approved file(s) of {} ({} held back) from `{}`",
            approved.len(),
            report.files.len(),
            report.files.len() - approved.len(),
            staging.display()
        );
        let mut argv: Vec<String> = vec![
            "build_index".into(),
            wheelhouse.display().to_string(),
            args.into.display().to_string(),
        ];
        for f in &approved {
            if f.yanked {
                argv.push("--yank".into());
                argv.push(format!(
                    "{}={}",
                    f.filename,
                    f.yanked_reason.as_deref().unwrap_or("")
                ));
            }
        }
        if let Some(url) = &args.base_url {
            argv.push("--base-url".into());
            argv.push(url.clone());
        }
        if args.find_links_page {
            argv.push("--find-links-page".into());
        }
        let build_args = build_index::Args::try_parse_from(&argv).map_err(|e| e.to_string())?;
        build_index::run(&build_args)
    })();
    let _ = fs::remove_dir_all(&wheelhouse);
    result
}

fn main() -> ExitCode {
    let args = Args::parse();
    match run(&args) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("approve: {e}");
            ExitCode::FAILURE
        }
    }
}
