//! A verified mirror for air-gapped staging: downloads exactly the files a target needs for a
//! hashed requirements file, checks every byte, and lays them out in DIR.
//!
//! ```text
//! mirror -r REQUIREMENTS --dest DIR [--index-url URL] [--extra-index-url URL ...]
//!        [--trusted-host HOST ...] [--cert PEM] [--python-version 3.11] [--implementation cp]
//!        [--abi cp311 ...] [--platform P ...] [--only-binary SPEC] [--no-binary SPEC]
//!        [--require-hashes] [--pre] [--all-platforms] [--jobs N]
//! ```
//!
//! Like `pip download --no-deps -r`: no dependency resolution, exactly what the file lists.
//! Options inside the requirements file (`--index-url`, `--extra-index-url`, `--trusted-host`,
//! `--only-binary`, `--no-binary`, `--require-hashes`, `--pre`) apply as pip reads them, except
//! that the command line wins where both set one value (pip lets a file's `--index-url`
//! replace the command line's). `--find-links` locations (the command line's and the file's:
//! a local folder, or an HTML page of links, local or over HTTP) add candidates as pip's do,
//! with the same hash checks (a page's `#sha256=` fragments, the requirement's `--hash`).
//!
//! Every file must match the requirement's `--hash` values (when it has some) and the index's
//! own hash (when the index gives one); a file neither gives a hash for is refused, so nothing
//! unverified lands in DIR. Each wheel and sdist must then pass the install verdict
//! (`pypackaging::metadata::check_wheel` / `check_sdist`): a refusal fails the file, warnings
//! are printed and kept in `DIR/mirror-report.json`. Files are streamed to `DIR/.partial/` and
//! renamed into `DIR/simple/<project>/` only after verification; a re-run skips files already
//! there that still pass.
//!
//! The staging review goes to `DIR/review/`: `report.json` (every file with its upstream URL,
//! license, requirements, yank status, provenance and warnings), `report.html`,
//! `sbom.cdx.json` (CycloneDX 1.6), and `previous.json` (the report before, which the new one
//! is compared with; the changes end the run's summary). `--find-links-page` also writes
//! `DIR/find-links/index.html`.
//!
//! Markers are evaluated against the target (`--python-version`, `--implementation` and the
//! first `--platform`); platform fields are empty without `--platform`.
//!
//! The steps live in their own files: [`args`] (command line, settings, target), [`plan`]
//! (which files), [`fetch`] (download), [`verify`] (hashes and verdict), [`publish`] (index and
//! report), and [`net`] (HTTP and `file:`).

mod args;
mod fetch;
mod net;
mod plan;
mod publish;
mod review;
mod verify;

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::process::ExitCode;

use clap::Parser;
use pypackaging::hash::Digest;
use pypackaging::requirements_txt::{self, Loader};

use args::Args;
use fetch::Landed;
use net::Client;
use plan::{Job, Planned};
use publish::Outcome;

/// Reads requirements files and what they include, from disk or through the client.
struct FileLoader<'a> {
    client: &'a Client,
}

impl Loader for FileLoader<'_> {
    type Error = String;

    fn load(&mut self, location: &str, _constraint: bool) -> Result<Vec<u8>, String> {
        let lower = location.to_ascii_lowercase();
        if lower.starts_with("http:") || lower.starts_with("https:") || lower.starts_with("file:") {
            match self.client.get_bytes(location, None)? {
                Some((bytes, _)) => Ok(bytes),
                None => Err(format!("`{location}`: not found")),
            }
        } else {
            fs::read(location).map_err(|e| format!("`{location}`: {e}"))
        }
    }
}

fn main() -> ExitCode {
    // Usage errors exit 2 with clap's message; `--help` and `--version` exit 0.
    let args = Args::parse();
    match run(&args) {
        Ok(0) => ExitCode::SUCCESS,
        Ok(_) => ExitCode::from(1),
        Err(message) => {
            eprintln!("mirror: {message}");
            ExitCode::from(2)
        }
    }
}

fn run(args: &Args) -> Result<usize, String> {
    let dest = args.dest.clone();
    let (target, env, python) = args::target(args)?;
    let roots = net::Roots::load(args.cert.as_deref())?;
    let mut outcomes: Vec<Outcome> = Vec::new();

    // Read the requirements files (includes through the file system or the network; the
    // trusted hosts of the command line apply to URL includes).
    let loader_client = Client::new(args.trusted_hosts.clone(), &roots);
    let mut resolutions = Vec::new();
    for name in &args.requirements {
        let mut loader = FileLoader {
            client: &loader_client,
        };
        let mut resolved =
            requirements_txt::resolve(name, &mut loader, &|var| std::env::var(var).ok());
        if args.require_hashes {
            resolved.options.require_hashes = true;
        }
        for error in &resolved.errors {
            outcomes.push(Outcome::failed("requirements", error.to_string()));
        }
        resolutions.push(resolved);
    }

    let mut jobs: Vec<Job> = Vec::new();
    let mut landed: Vec<Landed> = Vec::new();
    let mut upstream = review::Upstream::new();
    for resolved in &resolutions {
        let settings = args::settings(args, resolved)?;
        let client = Client::new(settings.trusted_hosts.clone(), &roots);
        // The `--find-links` locations of the command line and the file, each read once.
        let mut find_links = Vec::new();
        let mut locations: Vec<&String> = args.find_links.iter().collect();
        for l in &resolved.options.find_links {
            if !locations.contains(&l) {
                locations.push(l);
            }
        }
        for location in locations {
            match net::find_links(&client, location) {
                Ok(files) => find_links.extend(files),
                Err(why) => outcomes.push(Outcome::failed(format!("--find-links {location}"), why)),
            }
        }
        let constraints = plan::constraints(resolved);
        let check = requirements_txt::check_hashes(resolved, &mut |_| None);
        let mut violations: BTreeMap<(String, usize), Vec<String>> = BTreeMap::new();
        for v in &check.violations {
            if let Some(l) = plan::violation_location(v) {
                violations
                    .entry((l.file.clone(), l.line))
                    .or_default()
                    .push(v.to_string());
            }
        }
        for resolved_entry in &resolved.entries {
            let (file, entry) = (resolved_entry.file, &resolved_entry.entry);
            if resolved_entry.constraint {
                continue;
            }
            let file_name = resolved.files[file].file.name().to_owned();
            let what = entry.requirement().to_owned();
            if let Some(v) = violations.get(&(file_name, entry.line())) {
                outcomes.push(Outcome::failed(what, v.join("; ")));
                continue;
            }
            let constraint = entry.project().and_then(|n| constraints.get(&n));
            // The requirement's hashes with its constraints' (strong ones: md5 and sha1 are
            // refused by the parser already).
            let required = requirements_txt::allowed_digests(resolved, entry)
                .into_iter()
                .filter(Digest::is_strong)
                .collect();
            match plan::plan(
                entry,
                required,
                constraint,
                &settings,
                &client,
                &target,
                &env,
                &python,
                args.all_platforms,
                &find_links,
            ) {
                Ok(planned) => jobs.extend(planned),
                Err(Planned::Skip(why)) => outcomes.push(Outcome::skipped(what, why)),
                Err(Planned::Fail(why)) => outcomes.push(Outcome::failed(what, why)),
            }
        }
        let mut seen = BTreeSet::new();
        jobs.retain(|j| seen.insert(j.filename.clone()));
        review::note_upstream(&mut upstream, &jobs);
        // Each resolution downloads through its own client (its trusted hosts).
        for (outcome, done) in
            fetch::download_all(std::mem::take(&mut jobs), &dest, &client, args.jobs)?
        {
            outcomes.push(outcome);
            if let Some(done) = done
                && !landed.iter().any(|l| l.job.filename == done.job.filename)
            {
                landed.push(done);
            }
        }
    }

    if let Err(why) = publish::publish(&dest, &landed) {
        outcomes.push(Outcome::failed("the index", why));
    }
    let changes = match review::write(&dest, &landed, &upstream, args.find_links_page) {
        Ok(lines) => lines,
        Err(why) => {
            outcomes.push(Outcome::failed("the review", why));
            Vec::new()
        }
    };
    let failed = publish::report(&dest, &outcomes)?;
    println!(
        "review: {}",
        dest.join("review").join("report.html").display()
    );
    for line in changes {
        println!("{line}");
    }
    Ok(failed)
}
