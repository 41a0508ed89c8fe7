//! Serves a tree written by `build_index` to pip, uv and browsers.
//!
//! ```text
//! cargo run --release --example serve -- OUT [--bind 127.0.0.1:8080] [--keys FILE]
//! ```
//!
//! - `/simple/` and `/simple/<project>/` answer with PEP 691 content negotiation on the same
//!   URLs: JSON (`application/vnd.pypi.simple.v1+json`) to clients that ask for it, HTML
//!   otherwise, 406 when the `Accept` header allows neither; `Vary: Accept` on both.
//! - A project name not in normal form, or without its trailing slash, is redirected (301) to
//!   the normalized URL, as PEP 503 allows.
//! - Files, `.metadata` sidecars and `/requirements.txt` are served with `ETag` and
//!   `Last-Modified`, and answer `If-None-Match` / `If-Modified-Since` with 304.
//! - A 404 says what is missing (the project, or the file in the project).
//! - `--keys FILE` (one key per line; blank lines and `#` comments ignored) requires a key on
//!   every request, as the password of HTTP basic auth (any user name: pip's
//!   `https://user:KEY@host/simple/`) or as a bearer token; keys are compared in constant time
//!   (digests of equal length, every key checked). No key, no content: 401.
//!
//! `--bind 127.0.0.1:0` picks a free port; the first line on stdout says where it listens.

use std::fs;
use std::io::{self, Write};
use std::path::{Component, Path, PathBuf};
use std::process::ExitCode;
use std::sync::Arc;
use std::time::UNIX_EPOCH;

use base64::Engine as _;
use pypackaging::Hasher;
use pypackaging::simple::negotiate::{self, Format, ProjectPath};
use subtle::ConstantTimeEq;
use tiny_http::{Header, Method, Request, Response, Server, StatusCode};

const USAGE: &str = "usage: serve OUT [--bind 127.0.0.1:8080] [--keys FILE]";
const ROOT: &str = "/simple/";
const THREADS: usize = 4;

struct Config {
    out: PathBuf,
    /// sha256 of each accepted key; empty when no key is required.
    keys: Vec<[u8; 32]>,
}

fn sha256(bytes: &[u8]) -> [u8; 32] {
    let mut hasher = Hasher::sha256();
    hasher.update(bytes);
    let digests = hasher.finish();
    let mut out = [0; 32];
    out.copy_from_slice(digests.as_slice()[0].as_bytes());
    out
}

fn header(name: &str, value: &str) -> Header {
    Header::from_bytes(name.as_bytes(), value.as_bytes()).expect("ASCII header")
}

fn request_header<'a>(request: &'a Request, name: &'static str) -> Option<&'a str> {
    request
        .headers()
        .iter()
        .find(|h| h.field.equiv(name))
        .map(|h| h.value.as_str())
}

/// Whether the request carries an accepted key; every key is compared, in constant time.
fn authorized(config: &Config, request: &Request) -> bool {
    if config.keys.is_empty() {
        return true;
    }
    let Some(auth) = request_header(request, "Authorization") else {
        return false;
    };
    let (scheme, value) = auth.trim().split_once(' ').unwrap_or((auth, ""));
    let offered = if scheme.eq_ignore_ascii_case("bearer") {
        value.trim().as_bytes().to_vec()
    } else if scheme.eq_ignore_ascii_case("basic") {
        let Ok(decoded) = base64::engine::general_purpose::STANDARD.decode(value.trim()) else {
            return false;
        };
        match decoded.iter().position(|&b| b == b':') {
            Some(colon) => decoded[colon + 1..].to_vec(),
            None => return false,
        }
    } else {
        return false;
    };
    let offered = sha256(&offered);
    let mut ok = subtle::Choice::from(0);
    for key in &config.keys {
        ok |= key.ct_eq(&offered);
    }
    ok.into()
}

fn text(status: u16, body: String) -> Response<io::Cursor<Vec<u8>>> {
    Response::from_string(body + "\n")
        .with_status_code(StatusCode(status))
        .with_header(header("Content-Type", "text/plain; charset=utf-8"))
}

fn redirect(location: &str) -> Response<io::Cursor<Vec<u8>>> {
    text(301, format!("moved to {location}")).with_header(header("Location", location))
}

/// Percent-decodes a path; `None` when it is not UTF-8 afterwards.
fn percent_decode(path: &str) -> Option<String> {
    let bytes = path.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%'
            && let Some(hex) = path.get(i + 1..i + 3)
            && let Ok(b) = u8::from_str_radix(hex, 16)
        {
            out.push(b);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}

/// A file below OUT for a request path: no `..`, no hidden files (the build state).
fn local(out: &Path, path: &str) -> Option<PathBuf> {
    let relative = Path::new(path.trim_start_matches('/'));
    let mut full = out.to_owned();
    for component in relative.components() {
        match component {
            Component::Normal(c) if !c.to_string_lossy().starts_with('.') => full.push(c),
            _ => return None,
        }
    }
    Some(full)
}

fn content_type(path: &Path) -> &'static str {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy())
        .unwrap_or_default();
    if name.ends_with(".txt") {
        "text/plain; charset=utf-8"
    } else if name.ends_with(".whl") || name.ends_with(".zip") {
        "application/zip"
    } else if name.ends_with(".tar.gz") {
        "application/gzip"
    } else if name.ends_with(".metadata") {
        "text/plain; charset=utf-8"
    } else {
        "application/octet-stream"
    }
}

/// Serves a file with validators; `tag` distinguishes the representations of one URL, `vary`
/// marks a negotiated answer (`Vary: Accept`, 304s included).
fn file(
    request: Request,
    path: &Path,
    content_type: &str,
    tag: &str,
    vary: bool,
) -> io::Result<()> {
    let Ok(meta) = fs::metadata(path) else {
        return request.respond(text(404, format!("not found: {}", path.display())));
    };
    let modified = meta.modified().unwrap_or(UNIX_EPOCH);
    let nanos = modified
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_nanos())
        .unwrap_or(0);
    let etag = format!("\"{tag}{:x}-{nanos:x}\"", meta.len());
    let last_modified = httpdate::fmt_http_date(modified);
    let fresh = match request_header(&request, "If-None-Match") {
        Some(tags) => tags.split(',').any(|t| t.trim() == etag || t.trim() == "*"),
        None => request_header(&request, "If-Modified-Since")
            .and_then(|d| httpdate::parse_http_date(d).ok())
            .is_some_and(|since| {
                modified
                    .duration_since(since)
                    .map_or(true, |d| d.as_secs() == 0)
            }),
    };
    let mut headers = vec![
        header("ETag", &etag),
        header("Last-Modified", &last_modified),
    ];
    if vary {
        headers.push(header("Vary", "Accept"));
    }
    if fresh {
        let mut r = Response::empty(StatusCode(304));
        for h in headers {
            r.add_header(h);
        }
        return request.respond(r);
    }
    let mut response = Response::from_file(fs::File::open(path)?);
    for h in headers {
        response.add_header(h);
    }
    response.add_header(header("Content-Type", content_type));
    request.respond(response)
}

/// A simple API page in the negotiated format.
fn page(request: Request, dir: &Path) -> io::Result<()> {
    let format = match negotiate::negotiate(request_header(&request, "Accept")) {
        Ok(f) => f,
        Err(e) => {
            return request.respond(text(406, e.to_string()).with_header(header("Vary", "Accept")));
        }
    };
    let (name, tag) = match format {
        Format::JsonV1 => ("index.json", "j"),
        _ => ("index.html", "h"),
    };
    let content_type = match format {
        Format::JsonV1 => format.content_type().to_owned(),
        _ => format!("{}; charset=utf-8", format.content_type()),
    };
    file(request, &dir.join(name), &content_type, tag, true)
}

fn handle(config: &Config, request: Request) -> io::Result<()> {
    if !authorized(config, &request) {
        let r = text(
            401,
            "a key is required (basic auth password or bearer token)".into(),
        )
        .with_header(header(
            "WWW-Authenticate",
            "Basic realm=\"pypackaging index\"",
        ));
        return request.respond(r);
    }
    if !matches!(request.method(), Method::Get | Method::Head) {
        let r = text(405, format!("method {} not allowed", request.method()))
            .with_header(header("Allow", "GET, HEAD"));
        return request.respond(r);
    }
    let raw = request
        .url()
        .split(['?', '#'])
        .next()
        .unwrap_or("/")
        .to_owned();
    let Some(path) = percent_decode(&raw) else {
        return request.respond(text(
            400,
            "the path is not UTF-8 once percent-decoded".into(),
        ));
    };
    match path.as_str() {
        "/" | "/simple" => return request.respond(redirect(ROOT)),
        ROOT => return page(request, &config.out.join("simple")),
        _ => {}
    }
    if let Some(project) = negotiate::project_path(ROOT, &path) {
        let (ProjectPath::Canonical { project } | ProjectPath::Redirect { project, .. }) = &project;
        let dir = config.out.join("simple").join(project);
        if !dir.is_dir() {
            return request.respond(text(404, format!("no project `{project}` in this index")));
        }
        return match project_redirect(&path) {
            Some(location) => request.respond(redirect(&location)),
            None => page(request, &dir),
        };
    }
    let Some(local) = local(&config.out, &path) else {
        return request.respond(text(404, format!("not found: {path}")));
    };
    if local.is_file() {
        let ct = content_type(&local);
        return file(request, &local, ct, "", false);
    }
    let message = match path.strip_prefix(ROOT).and_then(|p| p.split_once('/')) {
        Some((project, name)) if config.out.join("simple").join(project).is_dir() => {
            format!("no file `{name}` in project `{project}`")
        }
        Some((project, _)) => format!("no project `{project}` in this index"),
        None => format!("not found: {path}"),
    };
    request.respond(text(404, message))
}

/// Where a project URL must be redirected to, if anywhere.
fn project_redirect(path: &str) -> Option<String> {
    match negotiate::project_path(ROOT, path)? {
        ProjectPath::Redirect { location, .. } => Some(location),
        ProjectPath::Canonical { .. } => None,
    }
}

fn load_keys(path: &Path) -> Result<Vec<[u8; 32]>, String> {
    let text = fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?;
    let keys: Vec<[u8; 32]> = text
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .map(|k| sha256(k.as_bytes()))
        .collect();
    if keys.is_empty() {
        return Err(format!("{}: no keys", path.display()));
    }
    Ok(keys)
}

fn main() -> ExitCode {
    let mut out = None;
    let mut bind = "127.0.0.1:8080".to_owned();
    let mut keys = Vec::new();
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        let result = match arg.as_str() {
            "--bind" => args
                .next()
                .map(|b| bind = b)
                .ok_or("--bind needs ADDRESS:PORT".to_owned()),
            "--keys" => match args.next() {
                Some(f) => load_keys(Path::new(&f)).map(|k| keys = k),
                None => Err("--keys needs a FILE".to_owned()),
            },
            _ if arg.starts_with('-') || out.is_some() => Err(USAGE.to_owned()),
            _ => {
                out = Some(PathBuf::from(arg));
                Ok(())
            }
        };
        if let Err(e) = result {
            eprintln!("{e}");
            return ExitCode::from(2);
        }
    }
    let Some(out) = out else {
        eprintln!("{USAGE}");
        return ExitCode::from(2);
    };
    if !out.join("simple").join("index.html").is_file() {
        eprintln!(
            "error: {} has no simple/index.html; build it with build_index first",
            out.display()
        );
        return ExitCode::FAILURE;
    }
    let server = match Server::http(&bind) {
        Ok(s) => Arc::new(s),
        Err(e) => {
            eprintln!("error: cannot listen on {bind}: {e}");
            return ExitCode::FAILURE;
        }
    };
    let addr = server
        .server_addr()
        .to_ip()
        .map_or(bind.clone(), |a| a.to_string());
    println!(
        "serving {} at http://{addr}{ROOT}{}",
        out.display(),
        if keys.is_empty() {
            ""
        } else {
            " (keys required)"
        }
    );
    let _ = io::stdout().flush();
    let config = Arc::new(Config { out, keys });
    let workers: Vec<_> = (0..THREADS)
        .map(|_| {
            let server = Arc::clone(&server);
            let config = Arc::clone(&config);
            std::thread::spawn(move || {
                while let Ok(request) = server.recv() {
                    if let Err(e) = handle(&config, request) {
                        eprintln!("response failed: {e}");
                    }
                }
            })
        })
        .collect();
    for w in workers {
        let _ = w.join();
    }
    ExitCode::SUCCESS
}
