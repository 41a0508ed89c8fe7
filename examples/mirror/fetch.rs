//! Fetching: each planned file is streamed to `DIR/.partial/`, hashed as it arrives, checked
//! (hashes, then the install verdict, reading the still-open file once), and renamed into
//! place only when it passes.

use std::fs::{self, File, OpenOptions};
use std::io::{self, BufReader, IsTerminal, Read, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use pypackaging::hash::{Digest, HashAlgorithm};
use pypackaging::metadata::Finding;

use crate::net::Client;
use crate::plan::Job;
use crate::publish::Outcome;
use crate::verify::{self, Checked, Refused};

/// A file now in DIR, verified, with what its check returned.
#[derive(Debug, Clone)]
pub struct Landed {
    pub job: Job,
    pub digests: pypackaging::Digests,
    pub checked: Checked,
}

/// Progress: a bar of bytes and files on a terminal, a plain line per file otherwise.
struct Progress {
    bar: Option<ProgressBar>,
    total: usize,
    done: AtomicUsize,
}

impl Progress {
    fn new(jobs: &[Job]) -> Progress {
        let bar = io::stderr().is_terminal().then(|| {
            let known: Option<u64> = jobs.iter().map(|j| j.size).sum();
            let bar = ProgressBar::with_draw_target(known, ProgressDrawTarget::stderr());
            let template = if known.is_some() {
                "{spinner} [{elapsed_precise}] {bar:30} {binary_bytes}/{binary_total_bytes} \
                 ({binary_bytes_per_sec}) {prefix} {wide_msg}"
            } else {
                "{spinner} [{elapsed_precise}] {binary_bytes} ({binary_bytes_per_sec}) {prefix} \
                 {wide_msg}"
            };
            if let Ok(style) = ProgressStyle::with_template(template) {
                bar.set_style(style);
            }
            bar.set_prefix(format!("0/{} files", jobs.len()));
            bar.enable_steady_tick(Duration::from_millis(200));
            bar
        });
        Progress {
            bar,
            total: jobs.len(),
            done: AtomicUsize::new(0),
        }
    }

    fn started(&self, name: &str) {
        if let Some(bar) = &self.bar {
            bar.set_message(name.to_owned());
        }
    }

    fn bytes(&self, n: u64) {
        if let Some(bar) = &self.bar {
            bar.inc(n);
        }
    }

    fn finished(&self, name: &str, status: &str) {
        let done = self.done.fetch_add(1, Ordering::Relaxed) + 1;
        match &self.bar {
            Some(bar) => bar.set_prefix(format!("{done}/{} files", self.total)),
            None => eprintln!("[{done}/{}] {status} {name}", self.total),
        }
    }

    fn finish(&self) {
        if let Some(bar) = &self.bar {
            bar.finish_and_clear();
        }
    }
}

/// Fetches every job on `threads` threads. Returns each job's outcome, in the jobs' order, and
/// the files now in DIR.
pub fn download_all(
    jobs: Vec<Job>,
    dest: &Path,
    client: &Client,
    threads: usize,
) -> Result<Vec<(Outcome, Option<Landed>)>, String> {
    let partial = dest.join(".partial");
    fs::create_dir_all(&partial).map_err(|e| format!("`{}`: {e}", partial.display()))?;
    let progress = Progress::new(&jobs);
    let next = AtomicUsize::new(0);
    let results: Mutex<Vec<(usize, Outcome, Option<Landed>)>> = Mutex::new(Vec::new());
    std::thread::scope(|scope| {
        for _ in 0..threads.min(jobs.len()).max(1) {
            scope.spawn(|| {
                loop {
                    let i = next.fetch_add(1, Ordering::Relaxed);
                    let Some(job) = jobs.get(i) else { break };
                    progress.started(&job.filename);
                    let (outcome, landed) = fetch(job, dest, &partial, client, &progress);
                    progress.finished(&job.filename, outcome.status());
                    if let Ok(mut r) = results.lock() {
                        r.push((i, outcome, landed));
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
    Ok(results.into_iter().map(|(_, o, l)| (o, l)).collect())
}

/// Where a file lives in DIR: `simple/<project>/<filename>`, as build_index lays it out.
pub fn file_path(dest: &Path, job: &Job) -> Option<PathBuf> {
    let project = job.dist.name()?;
    Some(
        dest.join("simple")
            .join(project.as_str())
            .join(&job.filename),
    )
}

/// Why a file failed, with the install check's findings when it got that far.
struct Failure {
    why: String,
    findings: Vec<Finding>,
    /// Refused by the install check (the bytes matched every hash).
    refused: bool,
}

impl From<String> for Failure {
    fn from(why: String) -> Failure {
        Failure {
            why,
            findings: Vec::new(),
            refused: false,
        }
    }
}

impl From<Refused> for Failure {
    fn from(r: Refused) -> Failure {
        Failure {
            why: r.why,
            findings: r.findings,
            refused: true,
        }
    }
}

/// Checks an open file from its start: its digests against the job's hashes, then its
/// install verdict. One open file, read twice (hashing, then the archive check).
fn verify_open(job: &Job, file: &mut File) -> Result<(pypackaging::Digests, Checked), Failure> {
    file.seek(SeekFrom::Start(0))
        .map_err(|e| format!("rewinding: {e}"))?;
    let mut hasher = verify::hasher_for(job);
    io::copy(file, &mut hasher).map_err(|e| format!("reading: {e}"))?;
    let digests = hasher.finish();
    verify::check_digests(job, &digests)?;
    file.seek(SeekFrom::Start(0))
        .map_err(|e| format!("rewinding: {e}"))?;
    let checked = verify::check_file(&job.dist, BufReader::new(file))?;
    Ok((digests, checked))
}

fn fetch(
    job: &Job,
    dest: &Path,
    partial: &Path,
    client: &Client,
    progress: &Progress,
) -> (Outcome, Option<Landed>) {
    let fail = |failure: Failure| {
        (
            Outcome::Failed {
                what: job.filename.clone(),
                why: failure.why,
                findings: failure.findings,
            },
            None,
        )
    };
    let Some(target) = file_path(dest, job)
        .filter(|_| !job.filename.contains(['/', '\\']) && !job.filename.starts_with('.'))
    else {
        return fail("unsafe filename".to_owned().into());
    };
    if let Some(parent) = target.parent()
        && let Err(e) = fs::create_dir_all(parent)
    {
        return fail(format!("`{}`: {e}", parent.display()).into());
    }
    // A file already there is checked like a new one (its digests and its verdict); one that
    // no longer matches is fetched again, and replaced only if the new bytes pass. One whose
    // bytes match but that the install check refuses (left by an older, laxer run) fails the
    // job and is left where it is (the mirror deletes nothing it finds): it is not published.
    if let Ok(mut present) = File::open(&target) {
        match verify_open(job, &mut present) {
            Ok((digests, checked)) => {
                return (
                    Outcome::Skipped {
                        what: job.filename.clone(),
                        why: "already present with a matching digest".into(),
                        findings: checked.findings.clone(),
                    },
                    Some(Landed {
                        job: job.clone(),
                        digests,
                        checked,
                    }),
                );
            }
            Err(mut failure) if failure.refused => {
                failure.why = format!(
                    "{} (the file already in `{}` is left in place, and not published)",
                    failure.why,
                    target.display()
                );
                return fail(failure);
            }
            Err(_) => {}
        }
    }
    let temp = partial.join(format!("{}.part", job.filename));
    let result = (|| -> Result<(pypackaging::Digests, Checked), Failure> {
        let Some(mut fetched) = client.open(&job.url, None)? else {
            return Err(format!("`{}`: not found", job.url).into());
        };
        let mut out = OpenOptions::new()
            .read(true)
            .write(true)
            .create(true)
            .truncate(true)
            .open(&temp)
            .map_err(|e| format!("`{}`: {e}", temp.display()))?;
        let mut hasher = verify::hasher_for(job);
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
            progress.bytes(n as u64);
        }
        out.sync_all()
            .map_err(|e| format!("`{}`: {e}", temp.display()))?;
        let digests = hasher.finish();
        verify::check_digests(job, &digests)?;
        // The install check reads the file still open for writing: no second open.
        out.seek(SeekFrom::Start(0))
            .map_err(|e| format!("`{}`: {e}", temp.display()))?;
        let checked = verify::check_file(&job.dist, BufReader::new(&mut out))?;
        drop(out);
        fs::rename(&temp, &target).map_err(|e| format!("`{}`: {e}", target.display()))?;
        Ok((digests, checked))
    })();
    match result {
        Ok((digests, checked)) => (
            Outcome::Mirrored {
                file: job.filename.clone(),
                requirement: job.requirement.clone(),
                size: digests.size(),
                sha256: digests
                    .get(HashAlgorithm::Sha256)
                    .map(Digest::hex)
                    .unwrap_or_default(),
                from: job.url.clone(),
                findings: checked.findings.clone(),
            },
            Some(Landed {
                job: job.clone(),
                digests,
                checked,
            }),
        ),
        Err(failure) => {
            let _ = fs::remove_file(&temp);
            fail(failure)
        }
    }
}
