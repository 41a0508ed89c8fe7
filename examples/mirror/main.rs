//! A verified mirror for air-gapped staging: downloads exactly the files a target needs for a
//! hashed requirements file, checks every byte, and lays them out in DIR.
//!
//! ```text
//! mirror -r REQUIREMENTS --dest DIR [--index-url URL] [--extra-index-url URL ...]
//!        [--trusted-host HOST ...] [--python-version 3.11] [--implementation cp]
//!        [--abi cp311 ...] [--platform P ...] [--only-binary SPEC] [--no-binary SPEC]
//!        [--require-hashes] [--pre] [--all-platforms] [--jobs N]
//! ```
//!
//! Like `pip download --no-deps -r`: no dependency resolution, exactly what the file lists.
//! Options inside the requirements file (`--index-url`, `--extra-index-url`, `--trusted-host`,
//! `--only-binary`, `--no-binary`, `--require-hashes`, `--pre`) apply as pip reads them, except
//! that the command line wins where both set one value (pip lets a file's `--index-url`
//! replace the command line's). `--find-links` is not followed (reported).
//!
//! Every file must match the requirement's `--hash` values (when it has some) and the index's
//! own hash (when the index gives one); a file neither gives a hash for is refused, so nothing
//! unverified lands in DIR. Wheels must also pass their `RECORD`. Files are streamed to
//! `DIR/.partial/` and renamed into `DIR/files/` only after verification; a re-run skips files
//! already there whose digest still matches.
//!
//! Markers are evaluated against the target (`--python-version`, `--implementation` and the
//! first `--platform`); platform fields are empty without `--platform`.

mod net;

use std::collections::{BTreeMap, BTreeSet};
use std::fs::{self, File};
use std::io::{self, IsTerminal, Read, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::time::Instant;

use pypackaging::hash::{Digest, HashAlgorithm, Hasher};
use pypackaging::index::{self, BuildOptions, DistFile};
use pypackaging::requirements_txt::{
    self, Entry, HashViolation, Loader, Location, RequirementForm, Resolved,
};
use pypackaging::select::{self, FormatControl, PrereleasePolicy};
use pypackaging::simple::{File as IndexFile, Yanked};
use pypackaging::tags::TargetSpec;
use pypackaging::version::{MarkerEnvironment, VersionOrUrl, VersionSpecifier};
use pypackaging::{DistFilename, PackageName, Target, Version, VersionSpecifiers, WheelArchive};

use net::Client;

const USAGE: &str = "usage: mirror -r REQUIREMENTS --dest DIR [--index-url URL] \
[--extra-index-url URL ...] [--trusted-host HOST ...] [--python-version 3.11] \
[--implementation cp] [--abi cp311 ...] [--platform P ...] [--only-binary SPEC] \
[--no-binary SPEC] [--require-hashes] [--pre] [--all-platforms] [--jobs N]";

const PYPI: &str = "https://pypi.org/simple/";

/// The command line.
#[derive(Debug, Default)]
struct Args {
    requirements: Vec<String>,
    dest: Option<PathBuf>,
    index_url: Option<String>,
    extra_index_urls: Vec<String>,
    trusted_hosts: Vec<String>,
    python_version: Option<String>,
    implementation: Option<String>,
    abis: Vec<String>,
    platforms: Vec<String>,
    only_binary: Vec<String>,
    no_binary: Vec<String>,
    require_hashes: bool,
    pre: bool,
    all_platforms: bool,
    jobs: Option<usize>,
}

fn parse_args(mut argv: impl Iterator<Item = String>) -> Result<Args, String> {
    let mut args = Args::default();
    while let Some(arg) = argv.next() {
        let (flag, inline) = match arg.split_once('=') {
            Some((f, v)) if f.starts_with("--") => (f.to_owned(), Some(v.to_owned())),
            _ => (arg.clone(), None),
        };
        let mut value = || {
            inline
                .clone()
                .or_else(|| argv.next())
                .ok_or_else(|| format!("`{flag}` needs a value"))
        };
        match flag.as_str() {
            "-r" | "--requirement" => args.requirements.push(value()?),
            "-d" | "--dest" => args.dest = Some(PathBuf::from(value()?)),
            "-i" | "--index-url" => args.index_url = Some(value()?),
            "--extra-index-url" => args.extra_index_urls.push(value()?),
            "--trusted-host" => args.trusted_hosts.push(value()?),
            "--python-version" => args.python_version = Some(value()?),
            "--implementation" => args.implementation = Some(value()?),
            "--abi" => args.abis.push(value()?),
            "--platform" => args.platforms.push(value()?),
            "--only-binary" => args.only_binary.push(value()?),
            "--no-binary" => args.no_binary.push(value()?),
            "--require-hashes" => args.require_hashes = true,
            "--pre" => args.pre = true,
            "--all-platforms" => args.all_platforms = true,
            "-j" | "--jobs" => {
                let v = value()?;
                let n: usize = v
                    .parse()
                    .ok()
                    .filter(|n| *n > 0)
                    .ok_or_else(|| format!("`--jobs` takes a positive number, not `{v}`"))?;
                args.jobs = Some(n);
            }
            "-h" | "--help" => return Err(String::new()),
            other => return Err(format!("unknown argument `{other}`")),
        }
    }
    if args.requirements.is_empty() {
        return Err("`-r REQUIREMENTS` is required".into());
    }
    if args.dest.is_none() {
        return Err("`--dest DIR` is required".into());
    }
    Ok(args)
}

/// What happened to one file or requirement, for the final report.
#[derive(Debug, Clone, serde::Serialize)]
#[serde(tag = "status", rename_all = "lowercase")]
enum Outcome {
    Mirrored {
        file: String,
        requirement: String,
        size: u64,
        sha256: String,
        from: String,
    },
    Skipped {
        what: String,
        why: String,
    },
    Failed {
        what: String,
        why: String,
    },
}

/// One file to fetch.
#[derive(Debug, Clone)]
struct Job {
    requirement: String,
    filename: String,
    dist: DistFilename,
    url: String,
    /// The requirement's strong `--hash` values (and `#sha256=` fragment).
    required: Vec<Digest>,
    /// The index's strong hashes for the file.
    index: Vec<Digest>,
    /// The size the index declares (PEP 700).
    size: Option<u64>,
    /// The upstream's yank status, carried into the published index.
    yanked: Yanked,
    /// The upstream's `Requires-Python` (wheels' own metadata wins when publishing).
    requires_python: Option<String>,
}

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

/// Progress on a terminal: files done, bytes fetched, the file being fetched.
struct Progress {
    tty: bool,
    total: usize,
    done: AtomicUsize,
    bytes: AtomicU64,
    last: Mutex<Instant>,
}

impl Progress {
    fn tick(&self, name: &str, force: bool) {
        if !self.tty {
            return;
        }
        let Ok(mut last) = self.last.lock() else {
            return;
        };
        if !force && last.elapsed().as_millis() < 100 {
            return;
        }
        *last = Instant::now();
        let mib = self.bytes.load(Ordering::Relaxed) as f64 / (1024.0 * 1024.0);
        let done = self.done.load(Ordering::Relaxed);
        eprint!("\r\x1b[K[{done}/{}] {mib:.1} MiB  {name}", self.total);
        let _ = io::stderr().flush();
    }

    fn finish(&self) {
        if self.tty {
            eprint!("\r\x1b[K");
        }
    }
}

fn main() -> ExitCode {
    let args = match parse_args(std::env::args().skip(1)) {
        Ok(args) => args,
        Err(message) => {
            if !message.is_empty() {
                eprintln!("mirror: {message}");
            }
            eprintln!("{USAGE}");
            return ExitCode::from(2);
        }
    };
    match run(&args) {
        Ok(0) => ExitCode::SUCCESS,
        Ok(_) => ExitCode::from(1),
        Err(message) => {
            eprintln!("mirror: {message}");
            ExitCode::from(2)
        }
    }
}

/// The target's tags and marker environment from the command line.
fn target(args: &Args) -> Result<(Target, MarkerEnvironment, Version), String> {
    let python = args.python_version.as_deref().unwrap_or("3.11");
    let implementation = args.implementation.as_deref().unwrap_or("cp");
    let abis: Vec<&str> = args.abis.iter().map(String::as_str).collect();
    let platforms: Vec<&str> = args.platforms.iter().map(String::as_str).collect();
    let spec =
        TargetSpec::new(implementation, python, &abis, &platforms).map_err(|e| e.to_string())?;
    let target = Target::pip(&spec).map_err(|e| e.to_string())?;
    let python_version = match spec.minor {
        Some(minor) => format!("{}.{minor}", spec.major),
        None => format!("{}", spec.major),
    };
    let full = format!("{python_version}.0");
    let (implementation_name, platform_implementation) = match spec.implementation.as_str() {
        "cp" => ("cpython", "CPython"),
        "pp" => ("pypy", "PyPy"),
        "gp" => ("graalpy", "GraalVM"),
        other => (other, other),
    };
    let platform = args.platforms.first().map(String::as_str).unwrap_or("");
    let (sys_platform, system, os_name) = if platform.starts_with("win") {
        ("win32", "Windows", "nt")
    } else if platform.starts_with("macosx") {
        ("darwin", "Darwin", "posix")
    } else if platform.contains("linux") {
        ("linux", "Linux", "posix")
    } else {
        ("", "", "")
    };
    let machine = match platform {
        "win_amd64" => "AMD64",
        "win32" => "x86",
        "win_arm64" => "ARM64",
        p => [
            "x86_64", "aarch64", "arm64", "i686", "ppc64le", "s390x", "armv7l", "riscv64",
        ]
        .into_iter()
        .find(|m| p.ends_with(m))
        .unwrap_or(""),
    };
    let env = MarkerEnvironment::try_from(pep508_rs::MarkerEnvironmentBuilder {
        implementation_name,
        implementation_version: &full,
        os_name,
        platform_machine: machine,
        platform_python_implementation: platform_implementation,
        platform_release: "",
        platform_system: system,
        platform_version: "",
        python_full_version: &full,
        python_version: &python_version,
        sys_platform,
    })
    .map_err(|e| e.to_string())?;
    let version: Version = full.parse().map_err(|e| format!("{e}"))?;
    Ok((target, env, version))
}

fn violation_location(v: &HashViolation) -> Option<&Location> {
    match v {
        HashViolation::Unpinned { location, .. }
        | HashViolation::Missing { location, .. }
        | HashViolation::Vcs { location, .. }
        | HashViolation::Directory { location, .. }
        | HashViolation::Editable { location, .. }
        | HashViolation::NoCommonHash { location, .. }
        | HashViolation::Mismatch { location, .. } => Some(location),
        _ => None,
    }
}

fn direct_url(entry: &Entry) -> Option<&str> {
    match entry.form() {
        RequirementForm::Url { url, .. } => Some(url),
        RequirementForm::Pep508(r) => match &r.version_or_url {
            Some(VersionOrUrl::Url(u)) => Some(u.given().unwrap_or(u.as_str())),
            _ => None,
        },
        _ => None,
    }
}

/// Settings after the file's options and the command line (which wins).
struct Settings {
    indexes: Vec<String>,
    trusted_hosts: Vec<String>,
    formats: FormatControl,
    policy: PrereleasePolicy,
}

fn settings(args: &Args, resolved: &Resolved) -> Result<Settings, String> {
    let file = &resolved.options;
    let mut indexes = Vec::new();
    if let Some(url) = &args.index_url {
        indexes.push(url.clone());
    } else if let Some(url) = &file.index_url {
        indexes.push(url.clone());
    } else if !file.no_index {
        indexes.push(PYPI.to_owned());
    }
    for url in args.extra_index_urls.iter().chain(&file.extra_index_urls) {
        if !indexes.contains(url) && (!file.no_index || args.index_url.is_some()) {
            indexes.push(url.clone());
        }
    }
    let mut trusted_hosts = args.trusted_hosts.clone();
    trusted_hosts.extend(file.trusted_hosts.iter().cloned());
    let mut formats = FormatControl::default();
    let apply = |formats: &mut FormatControl, only: &[String], no: &[String]| {
        for v in only {
            formats.only_binary(v).map_err(|e| e.to_string())?;
        }
        for v in no {
            formats.no_binary(v).map_err(|e| e.to_string())?;
        }
        Ok::<(), String>(())
    };
    apply(&mut formats, &file.only_binary, &file.no_binary)?;
    apply(&mut formats, &args.only_binary, &args.no_binary)?;
    let policy = if args.pre || file.pre {
        PrereleasePolicy::Allow
    } else {
        PrereleasePolicy::IfNeeded
    };
    Ok(Settings {
        indexes,
        trusted_hosts,
        formats,
        policy,
    })
}

fn run(args: &Args) -> Result<usize, String> {
    let dest = args.dest.clone().unwrap_or_default();
    let (target, env, python) = target(args)?;
    let mut outcomes: Vec<Outcome> = Vec::new();

    // Read the requirements files (includes through the file system or the network; the
    // trusted hosts of the command line apply to URL includes).
    let loader_client = Client::new(args.trusted_hosts.clone());
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
            outcomes.push(Outcome::Failed {
                what: "requirements".into(),
                why: error.to_string(),
            });
        }
        resolutions.push(resolved);
    }

    let mut jobs: Vec<Job> = Vec::new();
    let mut landed: Vec<(Job, pypackaging::Digests)> = Vec::new();
    for resolved in &resolutions {
        let settings = settings(args, resolved)?;
        let client = Client::new(settings.trusted_hosts.clone());
        if !resolved.options.find_links.is_empty() {
            outcomes.push(Outcome::Skipped {
                what: format!("--find-links {}", resolved.options.find_links.join(" ")),
                why: "find-links locations are not mirrored; only indexes are read".into(),
            });
        }
        let constraints = constraints(resolved);
        let check = requirements_txt::check_hashes(resolved, &mut |_| None);
        let mut violations: BTreeMap<(String, usize), Vec<String>> = BTreeMap::new();
        for v in &check.violations {
            if let Some(l) = violation_location(v) {
                violations
                    .entry((l.file.clone(), l.line))
                    .or_default()
                    .push(v.to_string());
            }
        }
        for (file, constraint, entry) in &resolved.entries {
            if *constraint {
                continue;
            }
            let file_name = resolved.files[*file].file.name().to_owned();
            let what = entry.requirement().to_owned();
            if let Some(v) = violations.get(&(file_name, entry.line())) {
                outcomes.push(Outcome::Failed {
                    what,
                    why: v.join("; "),
                });
                continue;
            }
            let constraint = entry.project().and_then(|n| constraints.get(&n));
            // The requirement's hashes with its constraints' (strong ones: md5 and sha1 are
            // refused by the parser already).
            let required = requirements_txt::allowed_digests(resolved, entry)
                .into_iter()
                .filter(Digest::is_strong)
                .collect();
            match plan(
                entry,
                required,
                constraint,
                &settings,
                &client,
                &target,
                &env,
                &python,
                args.all_platforms,
            ) {
                Ok(planned) => jobs.extend(planned),
                Err(Planned::Skip(why)) => outcomes.push(Outcome::Skipped { what, why }),
                Err(Planned::Fail(why)) => outcomes.push(Outcome::Failed { what, why }),
            }
        }
        let mut seen = BTreeSet::new();
        jobs.retain(|j| seen.insert(j.filename.clone()));
        // Each resolution downloads through its own client (its trusted hosts).
        for (job, outcome, digests) in download_all(
            std::mem::take(&mut jobs),
            &dest,
            &client,
            args.jobs.unwrap_or(4),
        )? {
            outcomes.push(outcome);
            if let Some(digests) = digests
                && !landed
                    .iter()
                    .any(|(j, _): &(Job, _)| j.filename == job.filename)
            {
                landed.push((job, digests));
            }
        }
    }

    if let Err(why) = publish(&dest, &landed) {
        outcomes.push(Outcome::Failed {
            what: "the index".into(),
            why,
        });
    }
    report(&dest, &outcomes)
}

/// The version specifiers of the `-c` constraints by project, which pip's resolver adds to the
/// requirement of the same name (their hashes: [`requirements_txt::allowed_digests`]).
fn constraints(resolved: &Resolved) -> BTreeMap<PackageName, Vec<VersionSpecifier>> {
    let mut out: BTreeMap<PackageName, Vec<VersionSpecifier>> = BTreeMap::new();
    for (_, constraint, entry) in &resolved.entries {
        let RequirementForm::Pep508(r) = entry.form() else {
            continue;
        };
        if !*constraint {
            continue;
        }
        let Ok(name) = r.name.as_ref().parse::<PackageName>() else {
            continue;
        };
        if let Some(VersionOrUrl::VersionSpecifier(s)) = &r.version_or_url {
            out.entry(name).or_default().extend(s.iter().cloned());
        }
    }
    out
}

enum Planned {
    Skip(String),
    Fail(String),
}

/// The files to fetch for one requirement line.
#[expect(
    clippy::too_many_arguments,
    reason = "one call site, each argument distinct"
)]
fn plan(
    entry: &Entry,
    required: Vec<Digest>,
    constraint: Option<&Vec<VersionSpecifier>>,
    settings: &Settings,
    client: &Client,
    target: &Target,
    env: &MarkerEnvironment,
    python: &Version,
    all_platforms: bool,
) -> Result<Vec<Job>, Planned> {
    let marker = match entry.form() {
        RequirementForm::Pep508(r) => Some(&r.marker),
        RequirementForm::Url { marker, .. } | RequirementForm::Path { marker, .. } => {
            marker.as_ref()
        }
        _ => None,
    };
    if let Some(marker) = marker
        && !marker.evaluate(env, &[])
    {
        return Err(Planned::Skip(format!(
            "marker `{}` is false for the target",
            marker.try_to_string().unwrap_or_default()
        )));
    }
    if entry.is_editable() {
        return Err(Planned::Skip(
            "editable requirements are not mirrored".into(),
        ));
    }
    if let Some(url) = direct_url(entry) {
        return direct(entry, url, required);
    }
    let requirement = match entry.form() {
        RequirementForm::Pep508(r) => r,
        RequirementForm::Path { path, .. } => {
            return Err(Planned::Skip(format!(
                "local path `{path}` is not mirrored"
            )));
        }
        _ => return Err(Planned::Fail("unsupported requirement form".into())),
    };
    let project: PackageName = requirement
        .name
        .as_ref()
        .parse()
        .map_err(|e: pypackaging::name::NameError| Planned::Fail(e.to_string()))?;
    let mut specifiers: Vec<VersionSpecifier> = match &requirement.version_or_url {
        Some(VersionOrUrl::VersionSpecifier(s)) => s.iter().cloned().collect(),
        _ => Vec::new(),
    };
    if let Some(c) = constraint {
        specifiers.extend(c.iter().cloned());
    }
    let specifiers: VersionSpecifiers = specifiers.into_iter().collect();

    // Every file the indexes list (the first index listing a filename wins), as pip collects
    // candidates from all of them.
    let mut files: Vec<(IndexFile, DistFilename)> = Vec::new();
    let mut found = false;
    for index in &settings.indexes {
        let page = client
            .project_page(index, project.as_str())
            .map_err(Planned::Fail)?;
        let Some(page) = page else { continue };
        found = true;
        for file in page.files {
            if files.iter().any(|(f, _)| f.filename == file.filename) {
                continue;
            }
            // pip ignores links whose names do not parse, and files whose Requires-Python
            // excludes the target.
            let Ok(dist) = DistFilename::parse(&file.filename) else {
                continue;
            };
            if let Some(Ok(rp)) = file.requires_python_specifiers()
                && !rp.contains(python)
            {
                continue;
            }
            files.push((file, dist));
        }
    }
    if !found {
        return Err(Planned::Fail(format!(
            "no index has project `{project}` (looked in {})",
            settings.indexes.join(", ")
        )));
    }
    // PEP 592: yanked files only when pinned with `==`/`===` and nothing else fits.
    let pinned = specifiers.len() == 1
        && matches!(
            specifiers[0].operator(),
            pypackaging::version::Operator::Equal | pypackaging::version::Operator::ExactEqual
        );
    let pick = |include_yanked: bool| -> Vec<usize> {
        let indices: Vec<usize> = (0..files.len())
            .filter(|&i| include_yanked || !files[i].0.yanked.is_yanked())
            .collect();
        let names: Vec<DistFilename> = indices.iter().map(|&i| files[i].1.clone()).collect();
        if all_platforms {
            let (binary, source) = settings.formats.allowed(&project);
            let allowed_kind = |d: &DistFilename| match d {
                DistFilename::Wheel(_) => binary,
                DistFilename::Sdist(_) => source,
                _ => false,
            };
            let versions: Vec<&Version> = names
                .iter()
                .filter(|d| d.name() == Some(&project) && allowed_kind(d))
                .filter_map(DistFilename::version)
                .collect();
            let best = select::allowed_versions(versions, &specifiers, settings.policy)
                .into_iter()
                .max()
                .cloned();
            let Some(best) = best else { return Vec::new() };
            indices
                .iter()
                .zip(&names)
                .filter(|(_, d)| {
                    d.name() == Some(&project) && allowed_kind(d) && d.version() == Some(&best)
                })
                .map(|(&i, _)| i)
                .collect()
        } else {
            select::best_file(
                &project,
                &names,
                target,
                &specifiers,
                settings.policy,
                &settings.formats,
            )
            .and_then(|best| names.iter().position(|n| std::ptr::eq(n, best)))
            .map(|k| vec![indices[k]])
            .unwrap_or_default()
        }
    };
    let mut chosen = pick(false);
    if chosen.is_empty() && pinned {
        chosen = pick(true);
    }
    if chosen.is_empty() {
        return Err(Planned::Fail(format!(
            "no file of `{project}` matching `{specifiers}` fits the target ({} files listed)",
            files.len()
        )));
    }
    Ok(chosen
        .into_iter()
        .map(|i| {
            let (file, dist) = &files[i];
            Job {
                requirement: entry.requirement().to_owned(),
                filename: file.filename.clone(),
                dist: dist.clone(),
                url: file.url.clone(),
                required: required.clone(),
                index: file
                    .hashes
                    .digests
                    .iter()
                    .copied()
                    .filter(Digest::is_strong)
                    .collect(),
                size: file.size,
                yanked: file.yanked.clone(),
                requires_python: file.requires_python.clone(),
            }
        })
        .collect())
}

/// A requirement naming a URL: that one file, checked against the line's hashes.
fn direct(entry: &Entry, url: &str, required: Vec<Digest>) -> Result<Vec<Job>, Planned> {
    let bare = url.split(['#', '?']).next().unwrap_or(url);
    let filename = bare.rsplit('/').next().unwrap_or(bare).to_owned();
    let dist = DistFilename::from_url(url).map_err(|_| {
        Planned::Skip(format!(
            "`{url}` is not a wheel or sdist (version control or directory)"
        ))
    })?;
    Ok(vec![Job {
        requirement: entry.requirement().to_owned(),
        filename,
        dist,
        url: bare.to_owned(),
        required,
        index: Vec::new(),
        size: None,
        yanked: Yanked::No,
        requires_python: None,
    }])
}

/// Fetches every job on `jobs` threads.
/// Returns each job's outcome, and the digests of the files now in DIR.
fn download_all(
    jobs: Vec<Job>,
    dest: &Path,
    client: &Client,
    threads: usize,
) -> Result<Vec<(Job, Outcome, Option<pypackaging::Digests>)>, String> {
    let partial = dest.join(".partial");
    fs::create_dir_all(&partial).map_err(|e| format!("`{}`: {e}", partial.display()))?;
    let progress = Progress {
        tty: io::stderr().is_terminal(),
        total: jobs.len(),
        done: AtomicUsize::new(0),
        bytes: AtomicU64::new(0),
        last: Mutex::new(Instant::now()),
    };
    let next = AtomicUsize::new(0);
    let results: Mutex<Vec<(usize, Outcome, Option<pypackaging::Digests>)>> =
        Mutex::new(Vec::new());
    std::thread::scope(|scope| {
        for _ in 0..threads.min(jobs.len()).max(1) {
            scope.spawn(|| {
                loop {
                    let i = next.fetch_add(1, Ordering::Relaxed);
                    let Some(job) = jobs.get(i) else { break };
                    let (outcome, digests) = fetch(job, dest, &partial, client, &progress);
                    progress.done.fetch_add(1, Ordering::Relaxed);
                    progress.tick(&job.filename, true);
                    if let Ok(mut r) = results.lock() {
                        r.push((i, outcome, digests));
                    }
                }
            });
        }
    });
    progress.finish();
    // Gone when every temporary file was renamed or removed.
    let _ = fs::remove_dir(&partial);
    let mut results = results
        .into_inner()
        .map_err(|_| "a download thread panicked".to_owned())?;
    results.sort_by_key(|(i, _, _)| *i);
    Ok(results
        .into_iter()
        .map(|(i, o, d)| (jobs[i].clone(), o, d))
        .collect())
}

/// The checks a file's bytes must pass.
fn check_digests(job: &Job, computed: &pypackaging::Digests) -> Result<(), String> {
    if job.required.is_empty() && job.index.is_empty() {
        return Err(
            "no hash to verify against: neither the requirements file nor the index gives one"
                .into(),
        );
    }
    if !job.required.is_empty() {
        computed
            .verify(&job.required)
            .map_err(|e| format!("does not match the requirements file: {e}"))?;
    }
    if !job.index.is_empty() {
        computed
            .verify(&job.index)
            .map_err(|e| format!("does not match the index's hash: {e}"))?;
    }
    if let Some(size) = job.size
        && size != computed.size()
    {
        return Err(format!(
            "size {} differs from the {size} bytes the index declares",
            computed.size()
        ));
    }
    Ok(())
}

fn hasher_for(job: &Job) -> Hasher {
    let mut algorithms: Vec<HashAlgorithm> = job
        .required
        .iter()
        .chain(&job.index)
        .map(Digest::algorithm)
        .collect();
    algorithms.push(HashAlgorithm::Sha256);
    // Only strong (computable) digests are kept in jobs.
    Hasher::new(&algorithms).unwrap_or_else(|_| Hasher::sha256())
}

fn hash_file(path: &Path, mut hasher: Hasher) -> io::Result<pypackaging::Digests> {
    let mut file = File::open(path)?;
    io::copy(&mut file, &mut hasher)?;
    Ok(hasher.finish())
}

/// Where a file lives in DIR: `simple/<project>/<filename>`, as build_index lays it out.
fn file_path(dest: &Path, job: &Job) -> Option<PathBuf> {
    let project = job.dist.name()?;
    Some(
        dest.join("simple")
            .join(project.as_str())
            .join(&job.filename),
    )
}

fn fetch(
    job: &Job,
    dest: &Path,
    partial: &Path,
    client: &Client,
    progress: &Progress,
) -> (Outcome, Option<pypackaging::Digests>) {
    let fail = |why: String| {
        (
            Outcome::Failed {
                what: job.filename.clone(),
                why,
            },
            None,
        )
    };
    let Some(target) = file_path(dest, job)
        .filter(|_| !job.filename.contains(['/', '\\']) && !job.filename.starts_with('.'))
    else {
        return fail("unsafe filename".into());
    };
    if let Some(parent) = target.parent()
        && let Err(e) = fs::create_dir_all(parent)
    {
        return fail(format!("`{}`: {e}", parent.display()));
    }
    if target.is_file() {
        match hash_file(&target, hasher_for(job)) {
            Ok(digests) if check_digests(job, &digests).is_ok() => {
                return (
                    Outcome::Skipped {
                        what: job.filename.clone(),
                        why: "already present with a matching digest".into(),
                    },
                    Some(digests),
                );
            }
            // A file that no longer matches is fetched again (and replaced only if the new
            // bytes verify).
            _ => {}
        }
    }
    let temp = partial.join(format!("{}.part", job.filename));
    let result = (|| -> Result<pypackaging::Digests, String> {
        let Some(mut fetched) = client.open(&job.url, None)? else {
            return Err(format!("`{}`: not found", job.url));
        };
        let mut out = File::create(&temp).map_err(|e| format!("`{}`: {e}", temp.display()))?;
        let mut hasher = hasher_for(job);
        let mut buffer = vec![0u8; 64 * 1024];
        loop {
            let n = fetched
                .body
                .read(&mut buffer)
                .map_err(|e| format!("reading `{}`: {e}", job.url))?;
            if n == 0 {
                break;
            }
            hasher.update(&buffer[..n]);
            out.write_all(&buffer[..n])
                .map_err(|e| format!("`{}`: {e}", temp.display()))?;
            progress.bytes.fetch_add(n as u64, Ordering::Relaxed);
            progress.tick(&job.filename, false);
        }
        out.sync_all()
            .map_err(|e| format!("`{}`: {e}", temp.display()))?;
        let digests = hasher.finish();
        check_digests(job, &digests)?;
        if let DistFilename::Wheel(wheel) = &job.dist {
            let file = File::open(&temp).map_err(|e| format!("`{}`: {e}", temp.display()))?;
            let mut archive =
                WheelArchive::new(io::BufReader::new(file), wheel.name(), wheel.version())
                    .map_err(|e| format!("not a valid wheel: {e}"))?;
            let tags: Vec<String> = wheel.tags().iter().map(|t| t.to_string()).collect();
            let build = wheel.build().map(ToString::to_string);
            let verification = archive.verify(&tags, build.as_deref());
            if !verification.is_verified() {
                return Err(format!("RECORD check failed: {verification}"));
            }
        }
        fs::rename(&temp, &target).map_err(|e| format!("`{}`: {e}", target.display()))?;
        Ok(digests)
    })();
    match result {
        Ok(digests) => (
            Outcome::Mirrored {
                file: job.filename.clone(),
                requirement: job.requirement.clone(),
                size: digests.size(),
                sha256: digests
                    .get(HashAlgorithm::Sha256)
                    .map(Digest::hex)
                    .unwrap_or_default(),
                from: job.url.clone(),
            },
            Some(digests),
        ),
        Err(why) => {
            let _ = fs::remove_file(&temp);
            fail(why)
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
/// a PEP 658 `.metadata` sidecar beside each wheel, and a hashed `requirements.txt`. The index
/// lists exactly the files this run verified (downloaded, or present with a matching digest).
fn publish(dest: &Path, landed: &[(Job, pypackaging::Digests)]) -> Result<(), String> {
    let mut files = Vec::new();
    for (job, digests) in landed {
        let mut file = DistFile::new(&job.filename, digests.as_slice().to_vec(), digests.size())
            .map_err(|e| e.to_string())?;
        file.yanked = job.yanked.clone();
        file.requires_python = job.requires_python.clone();
        if let DistFilename::Wheel(wheel) = &job.dist
            && let Some(path) = file_path(dest, job)
        {
            let reader = File::open(&path).map_err(|e| format!("`{}`: {e}", path.display()))?;
            let metadata =
                WheelArchive::new(io::BufReader::new(reader), wheel.name(), wheel.version())
                    .and_then(|mut archive| archive.read_dist_info_file("METADATA"))
                    .map_err(|e| format!("`{}`: {e}", path.display()))?;
            let sidecar = path.with_file_name(format!("{}.metadata", job.filename));
            write_atomic(&sidecar, &metadata)?;
            file = file.with_metadata(&metadata);
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

/// Prints the report, writes it to `DIR/mirror-report.json`, and returns the failure count.
fn report(dest: &Path, outcomes: &[Outcome]) -> Result<usize, String> {
    let (mut mirrored, mut skipped, mut failed) = (0, 0, 0);
    for outcome in outcomes {
        match outcome {
            Outcome::Mirrored { file, size, .. } => {
                mirrored += 1;
                println!("mirrored  {file} ({size} bytes)");
            }
            Outcome::Skipped { what, why } => {
                skipped += 1;
                println!("skipped   {what}: {why}");
            }
            Outcome::Failed { what, why } => {
                failed += 1;
                println!("FAILED    {what}: {why}");
            }
        }
    }
    println!("{mirrored} mirrored, {skipped} skipped, {failed} failed");
    let path = dest.join("mirror-report.json");
    let json = serde_json::to_string_pretty(&serde_json::json!({
        "mirrored": mirrored,
        "skipped": skipped,
        "failed": failed,
        "outcomes": outcomes,
    }))
    .map_err(|e| e.to_string())?;
    fs::create_dir_all(dest).map_err(|e| format!("`{}`: {e}", dest.display()))?;
    fs::write(&path, json + "\n").map_err(|e| format!("`{}`: {e}", path.display()))?;
    Ok(failed)
}

#[cfg(test)]
mod tests {
    use super::*;

    struct Memory(Vec<(&'static str, &'static str)>);

    impl Loader for Memory {
        type Error = String;
        fn load(&mut self, location: &str, _: bool) -> Result<Vec<u8>, String> {
            self.0
                .iter()
                .find(|(name, _)| *name == location)
                .map(|(_, text)| text.as_bytes().to_vec())
                .ok_or_else(|| format!("no {location}"))
        }
    }

    fn args(argv: &[&str]) -> Result<Args, String> {
        parse_args(argv.iter().map(|s| (*s).to_owned()))
    }

    #[test]
    fn arguments() {
        let a = args(&[
            "-r",
            "r.txt",
            "--dest=out",
            "--platform",
            "a",
            "--platform",
            "b",
        ])
        .unwrap();
        assert_eq!(a.requirements, ["r.txt"]);
        assert_eq!(a.dest, Some(PathBuf::from("out")));
        assert_eq!(a.platforms, ["a", "b"]);
        assert_eq!(
            args(&["--dest", "out"]).unwrap_err(),
            "`-r REQUIREMENTS` is required"
        );
        assert_eq!(
            args(&["-r", "r.txt"]).unwrap_err(),
            "`--dest DIR` is required"
        );
        assert_eq!(args(&["-r"]).unwrap_err(), "`-r` needs a value");
        assert_eq!(
            args(&["-r", "x", "--dest", "d", "--jobs", "0"]).unwrap_err(),
            "`--jobs` takes a positive number, not `0`"
        );
        assert_eq!(
            args(&["--bogus"]).unwrap_err(),
            "unknown argument `--bogus`"
        );
    }

    #[test]
    fn command_line_wins_over_the_file() {
        let mut loader = Memory(vec![
            (
                "r.txt",
                "-i https://file.example/simple/\n--extra-index-url https://extra.example/simple/\n\
                 --only-binary :all:\n--trusted-host file.example\n-r more.txt\nfoo==1.0\n",
            ),
            ("more.txt", "--pre\nbar==2.0\n"),
        ]);
        let resolved = requirements_txt::resolve("r.txt", &mut loader, &|_| None);
        assert!(resolved.errors.is_empty(), "{:?}", resolved.errors);
        assert_eq!(resolved.entries.len(), 2);

        let from_file =
            settings(&args(&["-r", "r.txt", "--dest", "d"]).unwrap(), &resolved).unwrap();
        assert_eq!(
            from_file.indexes,
            [
                "https://file.example/simple/",
                "https://extra.example/simple/"
            ]
        );
        assert_eq!(from_file.trusted_hosts, ["file.example"]);
        assert_eq!(from_file.policy, PrereleasePolicy::Allow);
        let foo: PackageName = "foo".parse().unwrap();
        assert_eq!(from_file.formats.allowed(&foo), (true, false));

        let cli = args(&[
            "-r",
            "r.txt",
            "--dest",
            "d",
            "--index-url",
            "https://cli.example/simple/",
            "--only-binary",
            ":none:",
        ])
        .unwrap();
        let both = settings(&cli, &resolved).unwrap();
        assert_eq!(
            both.indexes,
            [
                "https://cli.example/simple/",
                "https://extra.example/simple/"
            ]
        );
        assert_eq!(both.formats.allowed(&foo), (true, true));
    }

    fn digest(byte: u8) -> Digest {
        Digest::from_bytes(HashAlgorithm::Sha256, &[byte; 32]).unwrap()
    }

    fn job(required: Vec<Digest>, index: Vec<Digest>) -> Job {
        Job {
            requirement: "foo==1.0".into(),
            filename: "foo-1.0-py3-none-any.whl".into(),
            dist: DistFilename::parse("foo-1.0-py3-none-any.whl").unwrap(),
            url: "https://x.example/foo-1.0-py3-none-any.whl".into(),
            required,
            index,
            size: None,
            yanked: Yanked::No,
            requires_python: None,
        }
    }

    #[test]
    fn every_file_needs_a_matching_hash_from_each_source() {
        let mut hasher = Hasher::sha256();
        hasher.update(b"wheel bytes");
        let computed = hasher.finish();
        let right = *computed.get(HashAlgorithm::Sha256).unwrap();
        assert_eq!(
            check_digests(&job(Vec::new(), Vec::new()), &computed).unwrap_err(),
            "no hash to verify against: neither the requirements file nor the index gives one"
        );
        assert!(check_digests(&job(vec![right], Vec::new()), &computed).is_ok());
        assert!(check_digests(&job(vec![digest(1), right], vec![right]), &computed).is_ok());
        let err = check_digests(&job(vec![right], vec![digest(2)]), &computed).unwrap_err();
        assert!(
            err.starts_with("does not match the index's hash: hash mismatch"),
            "{err}"
        );
        let err = check_digests(&job(vec![digest(3)], vec![right]), &computed).unwrap_err();
        assert!(
            err.starts_with("does not match the requirements file: hash mismatch"),
            "{err}"
        );
        let mut sized = job(vec![right], Vec::new());
        sized.size = Some(3);
        assert_eq!(
            check_digests(&sized, &computed).unwrap_err(),
            "size 11 differs from the 3 bytes the index declares"
        );
    }

    #[test]
    fn markers_are_evaluated_for_the_target() {
        let cli = args(&[
            "-r",
            "r",
            "--dest",
            "d",
            "--python-version",
            "3.12",
            "--platform",
            "win_amd64",
        ])
        .unwrap();
        let (_, env, python) = target(&cli).unwrap();
        assert_eq!(python.to_string(), "3.12.0");
        let marker = |m: &str| {
            pypackaging::version::parse_requirement(&format!("x ; {m}"))
                .unwrap()
                .marker
                .evaluate(&env, &[])
        };
        assert!(marker(
            "sys_platform == 'win32' and platform_machine == 'AMD64'"
        ));
        assert!(marker(
            "python_version >= '3.12' and implementation_name == 'cpython'"
        ));
        assert!(!marker("sys_platform == 'linux'"));
    }
}
