//! Builds a static package index from a folder of wheels and sdists.
//!
//! ```text
//! cargo run --release --example build_index -- WHEELHOUSE OUT [--base-url URL]
//!     [--yank FILE=REASON ...] [--skip-invalid] [--copy]
//! ```
//!
//! OUT gets `simple/index.{html,json}`, `simple/<project>/index.{html,json}`, the files
//! themselves beside their project page (hard-linked when the file system allows, else copied;
//! `--copy` always copies, for a wheelhouse whose files may be rewritten in place, which would
//! change a hard-linked file under a live index),
//! a PEP 658 `<file>.metadata` sidecar for every wheel, and `requirements.txt` pinning each
//! project's newest release with every hash. Any static file server serves it to pip and uv
//! (`--index-url http://HOST/simple/`); `pypackaging-server` adds PEP 691 negotiation and keys.
//!
//! Every wheel's RECORD is checked against its contents and its WHEEL and METADATA against its
//! filename; a bad wheel stops the build (every problem named, nothing written) unless
//! `--skip-invalid` leaves it out. OUT is built beside itself and renamed into place, so a
//! reader sees the old tree or the new one, never half of one. A re-run reuses the digests of
//! files whose size and modification time are unchanged (recorded in `OUT/.build_index.json`)
//! and reports what changed.
//!
//! Requires-Python of an sdist comes from its PKG-INFO when the crate's `sdist` feature is on,
//! else from a wheel of the same release (built from the same source).

use std::collections::BTreeMap;
use std::fs;
use std::io::{self, IsTerminal, Read, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::{Instant, UNIX_EPOCH};

use pypackaging::index::{self, BuildOptions, Changes, DistFile};
use pypackaging::simple::Yanked;
use pypackaging::{Digest, DistFilename, HashAlgorithm, Hasher, WheelArchive};

const USAGE: &str =
    "usage: build_index WHEELHOUSE OUT [--base-url URL] [--yank FILE=REASON ...] [--skip-invalid]";
const STATE: &str = ".build_index.json";

struct Args {
    wheelhouse: PathBuf,
    out: PathBuf,
    base_url: Option<String>,
    yanks: Vec<(String, String)>,
    skip_invalid: bool,
    copy: bool,
}

fn parse_args() -> Result<Args, String> {
    let mut positional = Vec::new();
    let mut base_url = None;
    let mut yanks = Vec::new();
    let mut skip_invalid = false;
    let mut copy = false;
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--base-url" => {
                let mut url = args.next().ok_or("--base-url needs a URL")?;
                if !url.ends_with('/') {
                    url.push('/');
                }
                base_url = Some(url);
            }
            "--yank" => {
                let spec = args.next().ok_or("--yank needs FILE=REASON")?;
                let (file, reason) = spec
                    .split_once('=')
                    .ok_or_else(|| format!("--yank `{spec}`: expected FILE=REASON"))?;
                yanks.push((file.to_owned(), reason.to_owned()));
            }
            "--skip-invalid" => skip_invalid = true,
            "--copy" => copy = true,
            "-h" | "--help" => return Err(USAGE.to_owned()),
            _ if arg.starts_with("--") => return Err(format!("unknown option `{arg}`\n{USAGE}")),
            _ => positional.push(PathBuf::from(arg)),
        }
    }
    let [wheelhouse, out]: [PathBuf; 2] = positional.try_into().map_err(|_| USAGE.to_owned())?;
    Ok(Args {
        wheelhouse,
        out,
        base_url,
        yanks,
        skip_invalid,
        copy,
    })
}

/// What the previous build recorded about one file.
#[derive(serde::Serialize, serde::Deserialize, Clone)]
struct Seen {
    size: u64,
    mtime_ns: String,
    sha256: Digest,
    requires_python: Option<String>,
    /// The project directory the file and its sidecar live in.
    project: String,
}

fn mtime_ns(meta: &fs::Metadata) -> String {
    meta.modified()
        .ok()
        .and_then(|t| t.duration_since(UNIX_EPOCH).ok())
        .map_or_else(String::new, |d| d.as_nanos().to_string())
}

/// Progress on stderr when it is a terminal.
struct Progress {
    on: bool,
    total: usize,
    done: usize,
    bytes: u64,
    last: Instant,
}

impl Progress {
    fn tick(&mut self, bytes: u64) {
        self.done += 1;
        self.bytes += bytes;
        if self.on && (self.last.elapsed().as_millis() >= 100 || self.done == self.total) {
            self.last = Instant::now();
            eprint!(
                "\r{}/{} files, {:.1} MB hashed",
                self.done,
                self.total,
                self.bytes as f64 / 1e6
            );
            if self.done == self.total {
                eprintln!();
            }
        }
    }
}

/// One file read from the wheelhouse.
struct Indexed {
    file: DistFile,
    /// The exact METADATA bytes of a wheel (to write as the sidecar), or `None` when reused.
    metadata: Option<Vec<u8>>,
    mtime_ns: String,
    reused: bool,
}

fn hash_file(path: &Path) -> io::Result<(Digest, u64)> {
    let mut hasher = Hasher::sha256();
    let mut f = fs::File::open(path)?;
    let mut buf = vec![0; 1 << 16];
    loop {
        let n = f.read(&mut buf)?;
        if n == 0 {
            break;
        }
        hasher.update(&buf[..n]);
    }
    let digests = hasher.finish();
    let size = digests.size();
    let sha = digests
        .get(HashAlgorithm::Sha256)
        .copied()
        .expect("a sha256 hasher gives a sha256 digest");
    Ok((sha, size))
}

/// Reads, hashes and (for wheels) verifies one file; `Err` holds every problem found.
fn read_dist(path: &Path, mut file: DistFile) -> Result<Indexed, Vec<String>> {
    let io_err = |e: io::Error| vec![format!("cannot read: {e}")];
    let meta = fs::metadata(path).map_err(io_err)?;
    let (sha, size) = hash_file(path).map_err(io_err)?;
    file.digests = vec![sha];
    file.size = size;
    let mut metadata = None;
    match &file.dist {
        DistFilename::Wheel(wheel) => {
            let reader = fs::File::open(path).map_err(io_err)?;
            let mut archive =
                WheelArchive::new(io::BufReader::new(reader), wheel.name(), wheel.version())
                    .map_err(|e| vec![e.to_string()])?;
            let tags: Vec<String> = wheel.expanded_tags().map(|t| t.to_string()).collect();
            let build = wheel.build().map(ToString::to_string);
            let verification = archive.verify(&tags, build.as_deref());
            if !verification.is_verified() {
                return Err(verification
                    .problems
                    .iter()
                    .map(ToString::to_string)
                    .collect());
            }
            let bytes = archive
                .read_dist_info_file("METADATA")
                .map_err(|e| vec![e.to_string()])?;
            file = file.with_metadata(&bytes);
            metadata = Some(bytes);
        }
        DistFilename::Sdist(_sdist) => {
            #[cfg(feature = "sdist")]
            {
                let reader = fs::File::open(path).map_err(io_err)?;
                let pkg_info = match _sdist.format() {
                    pypackaging::filename::SdistFormat::TarGz => {
                        pypackaging::metadata::sdist_pkg_info_tar_gz(reader, 1 << 20)
                    }
                    _ => pypackaging::metadata::sdist_pkg_info_zip(reader, 1 << 20),
                };
                match pkg_info {
                    Ok(bytes) => file.requires_python = index::requires_python(&bytes),
                    Err(e) => return Err(vec![e.to_string()]),
                }
            }
        }
        DistFilename::Other(_) => unreachable!("DistFile::new accepts wheels and sdists only"),
    }
    Ok(Indexed {
        file,
        metadata,
        mtime_ns: mtime_ns(&meta),
        reused: false,
    })
}

fn link_or_copy(from: &Path, to: &Path, copy: bool) -> io::Result<()> {
    if copy || fs::hard_link(from, to).is_err() {
        fs::copy(from, to)?;
    }
    Ok(())
}

fn run(args: Args) -> Result<(), String> {
    let started = Instant::now();
    let state_path = args.out.join(STATE);
    let previous: BTreeMap<String, Seen> = fs::read(&state_path)
        .ok()
        .and_then(|b| serde_json::from_slice(&b).ok())
        .unwrap_or_default();

    // 1. What is in the wheelhouse.
    let mut entries: Vec<(String, PathBuf)> = Vec::new();
    let listing = fs::read_dir(&args.wheelhouse)
        .map_err(|e| format!("cannot read {}: {e}", args.wheelhouse.display()))?;
    for entry in listing {
        let entry = entry.map_err(|e| format!("cannot read {}: {e}", args.wheelhouse.display()))?;
        if !entry.file_type().map(|t| t.is_file()).unwrap_or(false) {
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

    // 2. Hash and verify, reusing what the previous build recorded for unchanged files.
    let mut progress = Progress {
        on: io::stderr().is_terminal(),
        total: candidates.len(),
        done: 0,
        bytes: 0,
        last: Instant::now(),
    };
    let mut read = Vec::new();
    let mut problems: Vec<(String, Vec<String>)> = Vec::new();
    for (path, mut file) in candidates {
        let meta = fs::metadata(&path).map_err(|e| format!("{}: {e}", path.display()))?;
        if let Some(seen) = previous.get(&file.filename)
            && seen.size == meta.len()
            && seen.mtime_ns == mtime_ns(&meta)
        {
            let sidecar = args
                .out
                .join("simple")
                .join(&seen.project)
                .join(format!("{}.metadata", file.filename));
            let is_wheel = matches!(file.dist, DistFilename::Wheel(_));
            let metadata = if is_wheel {
                fs::read(&sidecar).ok()
            } else {
                None
            };
            if !is_wheel || metadata.is_some() {
                file.digests = vec![seen.sha256];
                file.size = seen.size;
                if let Some(bytes) = &metadata {
                    file = file.with_metadata(bytes);
                }
                file.requires_python = seen.requires_python.clone();
                read.push(Indexed {
                    file,
                    metadata,
                    mtime_ns: seen.mtime_ns.clone(),
                    reused: true,
                });
                progress.tick(0);
                continue;
            }
        }
        let name = file.filename.clone();
        match read_dist(&path, file) {
            Ok(r) => {
                progress.tick(r.file.size);
                read.push(r);
            }
            Err(p) => {
                progress.tick(0);
                problems.push((name, p));
            }
        }
    }
    if !problems.is_empty() {
        let verb = if args.skip_invalid {
            "left out"
        } else {
            "invalid"
        };
        for (name, list) in &problems {
            eprintln!("{verb}: {name}");
            for p in list {
                eprintln!("  - {p}");
            }
        }
        if !args.skip_invalid {
            return Err(format!(
                "{} invalid file(s) in {}; nothing written (--skip-invalid leaves them out)",
                problems.len(),
                args.wheelhouse.display()
            ));
        }
    }

    // Requires-Python for sdists without PKG-INFO support: from a wheel of the same release.
    let from_wheels: BTreeMap<(String, String), String> = read
        .iter()
        .filter(|r| matches!(r.file.dist, DistFilename::Wheel(_)))
        .filter_map(|r| {
            let rp = r.file.requires_python.clone()?;
            Some((
                (r.file.project().to_string(), r.file.version().to_string()),
                rp,
            ))
        })
        .collect();
    for r in &mut read {
        if matches!(r.file.dist, DistFilename::Sdist(_)) && r.file.requires_python.is_none() {
            let key = (r.file.project().to_string(), r.file.version().to_string());
            r.file.requires_python = from_wheels.get(&key).cloned();
        }
    }

    // 3. Yanks.
    for (target, reason) in &args.yanks {
        let r = read
            .iter_mut()
            .find(|r| &r.file.filename == target)
            .ok_or_else(|| format!("--yank: no file `{target}` in the index"))?;
        r.file.yanked = Yanked::with_reason(reason);
    }

    // 4. The pages.
    let options = BuildOptions {
        base_url: args.base_url.clone(),
    };
    let files: Vec<DistFile> = read.iter().map(|r| r.file.clone()).collect();
    let built = index::build(files, &options).map_err(|e| e.to_string())?;

    // 5. Write beside OUT, then swap it in.
    let parent = match args.out.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_owned(),
        _ => PathBuf::from("."),
    };
    fs::create_dir_all(&parent).map_err(|e| format!("{}: {e}", parent.display()))?;
    let base = args
        .out
        .file_name()
        .ok_or("OUT must name a directory")?
        .to_string_lossy()
        .into_owned();
    let stage = parent.join(format!(".{base}.new-{}", std::process::id()));
    let write = || -> io::Result<()> {
        let _ = fs::remove_dir_all(&stage);
        for (path, text) in built.render() {
            let path = stage.join(path);
            fs::create_dir_all(path.parent().expect("pages live in a directory"))?;
            fs::write(path, text)?;
        }
        let mut state = BTreeMap::new();
        for r in &read {
            let project = r.file.project().to_string();
            let dir = stage.join("simple").join(&project);
            link_or_copy(
                &args.wheelhouse.join(&r.file.filename),
                &dir.join(&r.file.filename),
                args.copy,
            )?;
            if let Some(bytes) = &r.metadata {
                fs::write(dir.join(format!("{}.metadata", r.file.filename)), bytes)?;
            }
            state.insert(
                r.file.filename.clone(),
                Seen {
                    size: r.file.size,
                    mtime_ns: r.mtime_ns.clone(),
                    sha256: *r.file.sha256().expect("hashed"),
                    requires_python: r.file.requires_python.clone(),
                    project,
                },
            );
        }
        fs::write(stage.join("requirements.txt"), &built.requirements)?;
        fs::write(stage.join(STATE), serde_json::to_vec_pretty(&state)?)?;
        Ok(())
    };
    if let Err(e) = write() {
        let _ = fs::remove_dir_all(&stage);
        return Err(format!("writing {}: {e}", stage.display()));
    }
    let old = parent.join(format!(".{base}.old-{}", std::process::id()));
    let had_old = args.out.exists();
    if had_old {
        fs::rename(&args.out, &old)
            .map_err(|e| format!("moving {} aside: {e}", args.out.display()))?;
    }
    if let Err(e) = fs::rename(&stage, &args.out) {
        if had_old {
            let _ = fs::rename(&old, &args.out);
        }
        return Err(format!("moving {} into place: {e}", stage.display()));
    }
    if had_old {
        let _ = fs::remove_dir_all(&old);
    }

    // 6. Summary.
    let changes = Changes::between(
        previous.iter().map(|(n, s)| (n.as_str(), Some(&s.sha256))),
        read.iter()
            .map(|r| (r.file.filename.as_str(), r.file.sha256())),
    );
    let wheels = read
        .iter()
        .filter(|r| matches!(r.file.dist, DistFilename::Wheel(_)))
        .count();
    let reused = read.iter().filter(|r| r.reused).count();
    let secs = started.elapsed().as_secs_f64();
    let mut stdout = io::stdout().lock();
    let _ = writeln!(
        stdout,
        "indexed {} files ({} wheels, {} sdists) of {} projects into {} in {:.2}s: {:.2} MB hashed, {} reused, {} skipped, {} left out",
        read.len(),
        wheels,
        read.len() - wheels,
        built.pages.len(),
        args.out.display(),
        secs,
        progress.bytes as f64 / 1e6,
        reused,
        skipped,
        problems.len(),
    );
    let _ = writeln!(stdout, "changes: {changes}");
    let _ = writeln!(
        stdout,
        "serve it: cargo run --release -p pypackaging-server -- {}   (pip/uv: --index-url http://127.0.0.1:8080/simple/)",
        args.out.display()
    );
    Ok(())
}

fn main() -> ExitCode {
    let args = match parse_args() {
        Ok(a) => a,
        Err(e) => {
            eprintln!("{e}");
            return ExitCode::from(2);
        }
    };
    match run(args) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}
