//! `serve`: the index server for a tree written by build_index.
//!
//! ```text
//! cargo run --release -p pypackaging-server -- OUT [--bind 127.0.0.1:8080] [--keys FILE]
//!     [--max-connections N] [--header-timeout S] [--idle-timeout S] [--max-upload BYTES]
//!     [--upload]
//! cargo run --release -p pypackaging-server -- --from s3://BUCKET/PREFIX [--stage prod]
//!     [--endpoint URL] [--region R] [--allow-http] [--redirect-files SECS] [--store-timeout S]
//!     [--bind …] [--keys FILE] …
//! cargo run --release -p pypackaging-server -- hash-key [--scope read,upload] [--name NAME] < key
//! ```
//!
//! - `/simple/` and `/simple/<project>/` answer with PEP 691 content negotiation on the same
//!   URLs (JSON to clients that ask for it, HTML otherwise, 406 when `Accept` allows neither;
//!   `Vary: Accept`), compressed (gzip or brotli) when the client accepts it. A project name not
//!   in normal form, or without its trailing slash, is redirected (301) to the normalized URL.
//! - Files, `.metadata` sidecars and `/requirements.txt` are served with `ETag`,
//!   `Last-Modified`, 304 on `If-None-Match` / `If-Modified-Since`, and single `Range`
//!   requests (206, 416). `HEAD` everywhere.
//! - Nothing outside OUT: no `..`, no hidden names (`.pypackaging/` holds the builder's
//!   state), no symlink followed anywhere on the path, no absolute-form request target, no
//!   encoded `/`, `\` or NUL.
//! - `--keys FILE` requires a key on every request (see `keys.rs` for the format), as the
//!   password of HTTP basic auth (any user name; `__token__` for twine) or a bearer token: 401
//!   with `WWW-Authenticate: Basic realm="pypackaging"` without one, 403 for a key of the wrong
//!   scope. The file is reloaded on SIGHUP and when it changes.
//! - `--upload` takes `twine upload --repository-url http://HOST:PORT/` (the legacy upload
//!   API, `POST /`) from keys with the `upload` scope, checks each file as PyPI does
//!   (`pypackaging::upload`) and publishes it: the file under `simple/<project>/`, then the
//!   project's pages, the root pages and requirements.txt written again.
//!
//! Limits: request heads of at most 16 KiB (431 beyond), `--header-timeout` for a request
//! head to arrive (counted from when the server waits for one, so it also bounds an idle
//! keep-alive connection), `--idle-timeout` with no byte in either direction during a request
//! (a stalled body or a client that stopped reading), `--max-connections` open at once (the
//! next ones wait in the listen backlog), `--max-upload` bytes an upload. SIGTERM and Ctrl-C
//! stop accepting, let the requests under way finish for up to `--shutdown-timeout`, then
//! exit. HTTP/1.1 only.
//!
//! `--bind 127.0.0.1:0` picks a free port; the first line on stdout says where it listens.
//!
//! ## `--from s3://BUCKET/PREFIX`
//!
//! Instead of a folder, the index published on an object store (the same keys under the
//! prefix and `--stage`: `simple/…`, `requirements.txt`; `.pypackaging/` is never served).
//! Every request is answered from the store (see `source.rs`) and nothing is kept between
//! requests, so several instances can serve one prefix behind a load balancer. Credentials
//! come from the AWS_* environment variables. The same URLs, negotiation, redirects, keys,
//! limits, ETag/304 (the store's ETag), Range (206/416) and HEAD as for a folder; the
//! Content-Type and Cache-Control of a file are the object's own. A missing key is a 404; a
//! store that fails, or does not start answering within `--store-timeout` (30 s), a 502 and a
//! warning in the log. Uploads answer 405: publish with build_index and `publish`.
//! `--redirect-files SECS` answers GETs of distribution files and `.metadata` with a 302 to a
//! presigned S3 URL valid SECS seconds (the bytes then bypass the server; HEAD is still
//! answered here).

mod fsafe;
mod keys;
mod source;
mod store;
#[cfg(test)]
mod tests;
mod upload;

use std::collections::HashMap;
use std::io::{self, Read as _, Write as _};
use std::path::{Path, PathBuf};
use std::pin::Pin;
use std::process::ExitCode;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::task::{Context, Poll};
use std::time::{Duration, Instant, UNIX_EPOCH};

use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, header};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use clap::{Parser, Subcommand};
use hyper_util::rt::{TokioIo, TokioTimer};
use pypackaging::simple::negotiate::{self, Format, ProjectPath};
use tokio::io::{AsyncRead, AsyncSeekExt as _, AsyncWrite, ReadBuf};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::Semaphore;
use tower::ServiceExt as _;
use tower_http::compression::{CompressionLayer, CompressionLevel};

const ROOT: &str = "/simple/";
/// The largest request head hyper reads (its read buffer); beyond it, 431.
const MAX_HEAD: usize = 16 * 1024;

#[derive(Parser)]
#[command(
    name = "serve",
    version,
    about = "Serves a tree written by build_index to pip, uv and browsers, and takes uploads from twine",
    args_conflicts_with_subcommands = true
)]
struct Cli {
    #[command(subcommand)]
    command: Option<Command>,
    /// The tree build_index wrote (with `simple/index.html`).
    out: Option<PathBuf>,
    /// Serve the index published at `s3://BUCKET/PREFIX` instead of a folder: pages and
    /// files are read from the store on each request (no state: run several instances behind
    /// one load balancer). Credentials from AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY,
    /// AWS_SESSION_TOKEN. No uploads: publish with build_index and `publish`.
    #[arg(long, value_name = "URL", conflicts_with_all = ["out", "upload"])]
    from: Option<String>,
    #[command(flatten)]
    store: pypackaging_store::StoreArgs,
    /// With --from: answer distribution files and `.metadata` with a 302 to a presigned GET
    /// URL of the store, valid SECS seconds (S3 only).
    #[arg(long, value_name = "SECS")]
    redirect_files: Option<u64>,
    /// With --from: seconds for the store to start answering a request (502 beyond).
    #[arg(long, value_name = "SECS", default_value_t = 30)]
    store_timeout: u64,
    /// Where to listen; port 0 picks a free one.
    #[arg(long, default_value = "127.0.0.1:8080")]
    bind: String,
    /// The access keys file (`sha256:HEX SCOPE [NAME]` a line); without it, no key is needed.
    #[arg(long)]
    keys: Option<PathBuf>,
    /// Connections served at once; the next ones wait in the listen backlog.
    #[arg(long, default_value_t = 512)]
    max_connections: usize,
    /// Seconds for a request head to arrive (also bounds an idle keep-alive connection).
    #[arg(long, default_value_t = 10)]
    header_timeout: u64,
    /// Seconds without a byte either way during a request before the connection is closed.
    #[arg(long, default_value_t = 30)]
    idle_timeout: u64,
    /// The largest upload, in bytes.
    #[arg(long, default_value_t = 512 << 20)]
    max_upload: u64,
    /// Take uploads (`POST /`, the legacy upload API) from keys with the `upload` scope;
    /// needs `--keys`.
    #[arg(long)]
    upload: bool,
    /// Seconds the requests under way get to finish on SIGTERM or Ctrl-C.
    #[arg(long, default_value_t = 10)]
    shutdown_timeout: u64,
}

#[derive(Subcommand)]
enum Command {
    /// Reads a key from stdin (its first line) and prints its line for the keys file.
    HashKey {
        /// `read`, `upload` or `read,upload`.
        #[arg(long, default_value = "read")]
        scope: String,
        /// A name for the key, shown in the log.
        #[arg(long)]
        name: Option<String>,
    },
}

pub struct App {
    pub source: source::Source,
    pub keys: keys::KeyStore,
    pub upload: bool,
    pub max_upload: u64,
    pub idle: Duration,
    pub project_locks: std::sync::Mutex<HashMap<String, Arc<tokio::sync::Mutex<()>>>>,
    pub index_lock: tokio::sync::Mutex<()>,
}

impl App {
    /// The folder served; uploads (which only a folder takes) use it.
    pub fn root(&self) -> &Path {
        match &self.source {
            source::Source::Folder(root) => root,
            // Never reached: --upload conflicts with --from, and upload::handle checks.
            source::Source::Store(_) => Path::new("/nonexistent/serve-from-store"),
        }
    }
}

pub fn text(status: StatusCode, body: impl Into<String>) -> Response {
    let mut body = body.into();
    body.push('\n');
    (
        status,
        [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
        body,
    )
        .into_response()
}

pub(crate) fn redirect(location: &str) -> Response {
    let mut r = text(
        StatusCode::MOVED_PERMANENTLY,
        format!("moved to {location}"),
    );
    if let Ok(v) = HeaderValue::from_str(location) {
        r.headers_mut().insert(header::LOCATION, v);
    }
    r
}

fn unauthorized() -> Response {
    let mut r = text(
        StatusCode::UNAUTHORIZED,
        "a key is required (basic auth password, any user name, or bearer token)",
    );
    r.headers_mut().insert(
        header::WWW_AUTHENTICATE,
        HeaderValue::from_static("Basic realm=\"pypackaging\""),
    );
    r
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

pub(crate) fn header_str(headers: &HeaderMap, name: header::HeaderName) -> Option<&str> {
    headers.get(name).and_then(|v| v.to_str().ok())
}

async fn handle(State(app): State<Arc<App>>, request: Request) -> Response {
    let uri = request.uri();
    if uri.scheme().is_some() || uri.authority().is_some() {
        return text(
            StatusCode::BAD_REQUEST,
            "absolute-form request targets are not served; send the path only",
        );
    }
    let raw = uri.path();
    let lower = raw.to_ascii_lowercase();
    if lower.contains("%2f") || lower.contains("%5c") || lower.contains("%00") || raw.contains('\\')
    {
        return text(
            StatusCode::BAD_REQUEST,
            "encoded `/`, `\\` or NUL in the path is not served",
        );
    }
    // The key check comes before any file is touched.
    let writing = request.method() == Method::POST;
    let auth = app.keys.check(
        request
            .headers()
            .get(header::AUTHORIZATION)
            .map(HeaderValue::as_bytes),
    );
    if matches!(auth, keys::Auth::Unknown) {
        return unauthorized();
    }
    if writing && matches!(app.source, source::Source::Store(_)) {
        let mut r = text(
            StatusCode::METHOD_NOT_ALLOWED,
            "this server reads the index from an object store (--from) and takes no uploads: \
             publish with build_index and `publish`",
        );
        r.headers_mut()
            .insert(header::ALLOW, HeaderValue::from_static("GET, HEAD"));
        return r;
    }
    match auth {
        keys::Auth::Open | keys::Auth::Unknown => {}
        keys::Auth::Key(scope, name) => {
            if (writing && !scope.upload) || (!writing && !scope.read) {
                return text(
                    StatusCode::FORBIDDEN,
                    format!(
                        "key `{name}` has the scope `{}`, this request needs `{}`",
                        scope.as_str(),
                        if writing { "upload" } else { "read" }
                    ),
                );
            }
        }
    }
    match *request.method() {
        Method::GET | Method::HEAD => get(app, request).await,
        Method::POST if app.upload => upload::handle(app, request).await,
        _ => {
            let allow = if app.upload {
                "GET, HEAD, POST"
            } else {
                "GET, HEAD"
            };
            let mut r = text(
                StatusCode::METHOD_NOT_ALLOWED,
                format!("method {} not allowed", request.method()),
            );
            r.headers_mut()
                .insert(header::ALLOW, HeaderValue::from_static(allow));
            r
        }
    }
}

/// The components of a decoded path, or `None` when one is not servable.
pub(crate) fn components(path: &str) -> Option<Vec<String>> {
    let parts: Vec<String> = path
        .trim_start_matches('/')
        .split('/')
        .filter(|p| !p.is_empty())
        .map(str::to_owned)
        .collect();
    parts
        .iter()
        .all(|p| fsafe::valid_component(p))
        .then_some(parts)
}

async fn blocking<T: Send + 'static>(f: impl FnOnce() -> T + Send + 'static) -> T {
    tokio::task::spawn_blocking(f)
        .await
        .expect("a blocking task does not panic")
}

async fn get(app: Arc<App>, request: Request) -> Response {
    let Some(path) = percent_decode(request.uri().path()) else {
        return text(
            StatusCode::BAD_REQUEST,
            "the path is not UTF-8 once percent-decoded",
        );
    };
    if path.contains('\0') {
        return text(StatusCode::BAD_REQUEST, "NUL in the path is not served");
    }
    let headers = request.headers();
    let head = request.method() == Method::HEAD;
    match path.as_str() {
        "/" | "/simple" => return redirect(ROOT),
        _ => {}
    }
    let root = match &app.source {
        source::Source::Store(remote) => return remote.get(headers, &path, head).await,
        source::Source::Folder(root) => root.clone(),
    };
    if path == ROOT {
        return page(&root, headers, vec!["simple".into()], head).await;
    }
    if let Some(project) = negotiate::project_path(ROOT, &path) {
        let (ProjectPath::Canonical { project: name }
        | ProjectPath::Redirect { project: name, .. }) = &project;
        let name = name.to_string();
        let r = root.clone();
        let n = name.clone();
        let exists = fsafe::valid_component(&name)
            && blocking(move || fsafe::is_dir(&r, &["simple", &n])).await;
        if !exists {
            return text(
                StatusCode::NOT_FOUND,
                format!("no project `{name}` in this index"),
            );
        }
        return match project {
            ProjectPath::Redirect { location, .. } => redirect(&location),
            ProjectPath::Canonical { .. } => {
                page(&root, headers, vec!["simple".into(), name], head).await
            }
        };
    }
    let not_found = || {
        let message = match path.strip_prefix(ROOT).and_then(|p| p.split_once('/')) {
            Some((project, name)) if fsafe::is_dir(&root, &["simple", project]) => {
                format!("no file `{name}` in project `{project}`")
            }
            Some((project, _)) => format!("no project `{project}` in this index"),
            None => format!("not found: {path}"),
        };
        text(StatusCode::NOT_FOUND, message)
    };
    let Some(parts) = components(&path) else {
        return not_found();
    };
    let root = root.clone();
    let parts2 = parts.clone();
    let opened = blocking(move || {
        let refs: Vec<&str> = parts2.iter().map(String::as_str).collect();
        fsafe::open_file(&root, &refs)
    })
    .await;
    match opened {
        Some((file, meta)) => {
            let ct = content_type(&parts.join("/"));
            serve_file(headers, file, meta, ct, "", false, head).await
        }
        None => not_found(),
    }
}

/// The `Content-Type` of a key of the tree: the table the publisher stores objects with
/// (`pypackaging::index::publish::key_rules`), so a folder and a bucket answer alike.
pub(crate) fn content_type(key: &str) -> &'static str {
    pypackaging::index::publish::key_rules(key).0
}

/// The page the `Accept` header asks for: `(file name, content type, ETag tag)`, or the 406
/// to answer (the error is the response itself, as large as any).
#[allow(clippy::result_large_err)]
pub(crate) fn negotiated(
    headers: &HeaderMap,
) -> Result<(&'static str, &'static str, &'static str), Response> {
    match negotiate::negotiate(header_str(headers, header::ACCEPT)) {
        Ok(Format::JsonV1) => Ok(("index.json", pypackaging::index::publish::JSON, "j")),
        Ok(_) => Ok(("index.html", pypackaging::index::publish::HTML, "h")),
        Err(e) => {
            let mut r = text(StatusCode::NOT_ACCEPTABLE, e.to_string());
            r.headers_mut()
                .insert(header::VARY, HeaderValue::from_static("Accept"));
            Err(r)
        }
    }
}

/// Whether the client's validators match: an `If-None-Match` tag (weak or strong, or `*`)
/// equal to `etag`, else an `If-Modified-Since` no older than `modified` (to the second).
pub(crate) fn is_fresh(headers: &HeaderMap, etag: &str, modified: std::time::SystemTime) -> bool {
    match header_str(headers, header::IF_NONE_MATCH) {
        Some(tags) => tags
            .split(',')
            .any(|t| t.trim().trim_start_matches("W/") == etag || t.trim() == "*"),
        None => header_str(headers, header::IF_MODIFIED_SINCE)
            .and_then(|d| httpdate::parse_http_date(d).ok())
            .is_some_and(|since| {
                modified
                    .duration_since(since)
                    .map_or(true, |d| d.as_secs() == 0)
            }),
    }
}

/// A simple API page in the negotiated format.
async fn page(root: &Path, headers: &HeaderMap, mut dir: Vec<String>, head: bool) -> Response {
    let (name, content_type, tag) = match negotiated(headers) {
        Ok(n) => n,
        Err(r) => return r,
    };
    dir.push(name.to_owned());
    let root = root.to_owned();
    let opened = blocking(move || {
        let refs: Vec<&str> = dir.iter().map(String::as_str).collect();
        fsafe::open_file(&root, &refs)
    })
    .await;
    match opened {
        Some((file, meta)) => serve_file(headers, file, meta, content_type, tag, true, head).await,
        None => text(StatusCode::NOT_FOUND, format!("no {name} here")),
    }
}

/// A single byte range of a file of `len` bytes: `Ok(None)` for no (usable) range, `Err` for
/// an unsatisfiable one.
pub(crate) fn byte_range(value: &str, len: u64) -> Result<Option<(u64, u64)>, ()> {
    let Some(spec) = value.trim().strip_prefix("bytes=") else {
        return Ok(None);
    };
    if spec.contains(',') {
        return Ok(None); // several ranges: the whole file, as RFC 9110 allows
    }
    let Some((a, b)) = spec.trim().split_once('-') else {
        return Ok(None);
    };
    let (a, b) = (a.trim(), b.trim());
    let range = if a.is_empty() {
        let n: u64 = b.parse().map_err(|_| ())?;
        if n == 0 {
            return Err(());
        }
        (len.saturating_sub(n), len.checked_sub(1).ok_or(())?)
    } else {
        let start: u64 = a.parse().map_err(|_| ())?;
        let end: u64 = if b.is_empty() {
            len.saturating_sub(1)
        } else {
            b.parse::<u64>().map_err(|_| ())?.min(len.saturating_sub(1))
        };
        if start >= len || end < start {
            return Err(());
        }
        (start, end)
    };
    Ok(Some(range))
}

/// Serves an open file with validators and ranges; `tag` distinguishes the representations
/// of one URL, `vary` marks a negotiated page (`Vary: Accept`, 304s included; no ranges).
async fn serve_file(
    headers: &HeaderMap,
    file: std::fs::File,
    meta: std::fs::Metadata,
    content_type: &'static str,
    tag: &str,
    vary: bool,
    head: bool,
) -> Response {
    let modified = meta.modified().unwrap_or(UNIX_EPOCH);
    let nanos = modified
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_nanos())
        .unwrap_or(0);
    let len = meta.len();
    let etag = format!("\"{tag}{len:x}-{nanos:x}\"");
    // A page may be sent compressed (gzip, brotli) or not: its validator is weak, the same for
    // every encoding (If-None-Match compares weakly).
    let sent_etag = if vary {
        format!("W/{etag}")
    } else {
        etag.clone()
    };
    let last_modified = httpdate::fmt_http_date(modified);
    let fresh = is_fresh(headers, &etag, modified);
    let mut builder = Response::builder()
        .header(header::ETAG, &sent_etag)
        .header(header::LAST_MODIFIED, &last_modified);
    if vary {
        builder = builder.header(header::VARY, "Accept");
    } else {
        builder = builder.header(header::ACCEPT_RANGES, "bytes");
    }
    if fresh {
        return builder
            .status(StatusCode::NOT_MODIFIED)
            .body(Body::empty())
            .expect("valid response");
    }
    let range_ok = !vary
        && header_str(headers, header::IF_RANGE)
            .is_none_or(|v| v.trim() == etag || v.trim() == last_modified);
    let range = match header_str(headers, header::RANGE) {
        Some(v) if range_ok => byte_range(v, len),
        _ => Ok(None),
    };
    let (status, start, count) = match range {
        Ok(None) => (StatusCode::OK, 0, len),
        Ok(Some((a, b))) => {
            builder = builder.header(header::CONTENT_RANGE, format!("bytes {a}-{b}/{len}"));
            (StatusCode::PARTIAL_CONTENT, a, b - a + 1)
        }
        Err(()) => {
            return builder
                .status(StatusCode::RANGE_NOT_SATISFIABLE)
                .header(header::CONTENT_RANGE, format!("bytes */{len}"))
                .body(Body::empty())
                .expect("valid response");
        }
    };
    let builder = builder
        .status(status)
        .header(header::CONTENT_TYPE, content_type)
        .header(header::CONTENT_LENGTH, count);
    if head {
        return builder.body(Body::empty()).expect("valid response");
    }
    let mut file = tokio::fs::File::from_std(file);
    if start > 0 && file.seek(io::SeekFrom::Start(start)).await.is_err() {
        return text(StatusCode::INTERNAL_SERVER_ERROR, "seek failed");
    }
    use tokio::io::AsyncReadExt as _;
    let stream = tokio_util::io::ReaderStream::with_capacity(file.take(count), 64 * 1024);
    builder
        .body(Body::from_stream(stream))
        .expect("valid response")
}

/// One line per request: method, path, status, bytes, milliseconds.
async fn log(request: Request, next: Next) -> Response {
    let started = Instant::now();
    let method = request.method().clone();
    let path = request.uri().path().to_owned();
    let response = next.run(request).await;
    let bytes = response
        .headers()
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned)
        .or_else(|| {
            http_body::Body::size_hint(response.body())
                .exact()
                .map(|n| n.to_string())
        })
        .unwrap_or_else(|| "-".to_owned());
    tracing::info!(
        target: "request",
        "{method} {path} {} {bytes} {:.1}ms",
        response.status().as_u16(),
        started.elapsed().as_secs_f64() * 1e3
    );
    response
}

/// Only the pages are compressed: HTML and the PEP 691 JSON, not wheels or sdists.
fn compressible(
    _status: StatusCode,
    _version: axum::http::Version,
    headers: &HeaderMap,
    _ext: &axum::http::Extensions,
) -> bool {
    header_str(headers, header::CONTENT_TYPE).is_some_and(|ct| {
        ct.starts_with("text/html") || ct.starts_with("application/vnd.pypi.simple")
    }) && !headers.contains_key(header::CONTENT_RANGE)
}

/// When a connection last moved a byte; a handler busy without I/O (checking a large upload)
/// touches it so the idle watch does not cut the connection under it.
#[derive(Clone)]
pub struct Activity {
    last: Arc<AtomicU64>,
    epoch: Instant,
}

impl Activity {
    pub fn touch(&self) {
        self.last
            .store(self.epoch.elapsed().as_millis() as u64, Ordering::Relaxed);
    }

    /// Touches the connection every second until the guard is dropped.
    pub fn keep_busy(&self) -> Busy {
        let me = self.clone();
        Busy(tokio::spawn(async move {
            loop {
                me.touch();
                tokio::time::sleep(Duration::from_secs(1)).await;
            }
        }))
    }
}

/// Stops [`Activity::keep_busy`] when dropped.
pub struct Busy(tokio::task::JoinHandle<()>);

impl Drop for Busy {
    fn drop(&mut self) {
        self.0.abort();
    }
}

/// A connection that records when it last moved a byte.
struct Watched {
    inner: TcpStream,
    last: Arc<AtomicU64>,
    epoch: Instant,
}

impl Watched {
    fn touch(&self) {
        self.last
            .store(self.epoch.elapsed().as_millis() as u64, Ordering::Relaxed);
    }
}

impl AsyncRead for Watched {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        let before = buf.filled().len();
        let r = Pin::new(&mut self.inner).poll_read(cx, buf);
        if matches!(r, Poll::Ready(Ok(()))) && buf.filled().len() > before {
            self.touch();
        }
        r
    }
}

impl AsyncWrite for Watched {
    fn poll_write(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        let r = Pin::new(&mut self.inner).poll_write(cx, buf);
        if matches!(r, Poll::Ready(Ok(n)) if n > 0) {
            self.touch();
        }
        r
    }
    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.inner).poll_flush(cx)
    }
    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.inner).poll_shutdown(cx)
    }
    fn poll_write_vectored(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[io::IoSlice<'_>],
    ) -> Poll<io::Result<usize>> {
        let r = Pin::new(&mut self.inner).poll_write_vectored(cx, bufs);
        if matches!(r, Poll::Ready(Ok(n)) if n > 0) {
            self.touch();
        }
        r
    }
    fn is_write_vectored(&self) -> bool {
        self.inner.is_write_vectored()
    }
}

/// Resolves when the connection has moved no byte for `idle`.
async fn idle_watch(last: Arc<AtomicU64>, epoch: Instant, idle: Duration) {
    let step = (idle / 4).max(Duration::from_millis(100));
    loop {
        tokio::time::sleep(step).await;
        let quiet = epoch.elapsed().as_millis() as u64 - last.load(Ordering::Relaxed);
        if quiet >= idle.as_millis() as u64 {
            return;
        }
    }
}

async fn shutdown_signal() -> &'static str {
    let mut term = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())
        .expect("SIGTERM handler");
    tokio::select! {
        _ = term.recv() => "SIGTERM",
        _ = tokio::signal::ctrl_c() => "Ctrl-C",
    }
}

fn hash_key(scope: &str, name: Option<&str>) -> ExitCode {
    let scope = match keys::Scope::parse(scope) {
        Ok(s) => s,
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::from(2);
        }
    };
    let mut input = String::new();
    if let Err(e) = io::stdin().take(64 * 1024).read_to_string(&mut input) {
        eprintln!("error: reading the key from stdin: {e}");
        return ExitCode::FAILURE;
    }
    let key = input.lines().next().unwrap_or("").trim();
    if key.is_empty() {
        eprintln!("error: no key on stdin (its first line is the key)");
        return ExitCode::from(2);
    }
    if key.split_whitespace().count() != 1 {
        eprintln!("error: a key is one word (no spaces)");
        return ExitCode::from(2);
    }
    println!("{}", keys::line_for(key, scope, name));
    ExitCode::SUCCESS
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    if let Some(Command::HashKey { scope, name }) = &cli.command {
        return hash_key(scope, name.as_deref());
    }
    tracing_subscriber::fmt()
        .with_writer(io::stderr)
        .with_ansi(false)
        .with_target(false)
        .init();
    if cli.upload && cli.keys.is_none() {
        eprintln!("error: --upload needs --keys (a key with the `upload` scope)");
        return ExitCode::from(2);
    }
    if cli.max_connections == 0 || cli.header_timeout == 0 || cli.idle_timeout == 0 {
        eprintln!("error: --max-connections, --header-timeout and --idle-timeout must be above 0");
        return ExitCode::from(2);
    }
    let keys = match keys::KeyStore::open(cli.keys.clone()) {
        Ok(k) => k,
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::FAILURE;
        }
    };
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(r) => r,
        Err(e) => {
            eprintln!("error: cannot start the runtime: {e}");
            return ExitCode::FAILURE;
        }
    };
    let (source, describe) = match &cli.from {
        Some(url) => match runtime.block_on(open_store(&cli, url)) {
            Ok(remote) => {
                let d = remote.location.to_string();
                (source::Source::Store(remote), d)
            }
            Err((code, e)) => {
                eprintln!("error: {e}");
                return code;
            }
        },
        None => match open_folder(&cli) {
            Ok(root) => {
                let d = cli.out.as_deref().unwrap_or(&root).display().to_string();
                (source::Source::Folder(root), d)
            }
            Err(e) => {
                eprintln!("error: {e}");
                return ExitCode::FAILURE;
            }
        },
    };
    let app = Arc::new(App {
        source,
        keys,
        upload: cli.upload,
        max_upload: cli.max_upload,
        idle: Duration::from_secs(cli.idle_timeout),
        project_locks: Default::default(),
        index_lock: tokio::sync::Mutex::new(()),
    });
    runtime.block_on(run(cli, describe, app))
}

/// The folder OUT, checked (a tree build_index wrote), canonical; its upload leftovers removed.
fn open_folder(cli: &Cli) -> Result<PathBuf, String> {
    let store_flags = cli.store.endpoint.is_some()
        || cli.store.region.is_some()
        || cli.store.allow_http
        || cli.store.stage.is_some()
        || cli.redirect_files.is_some();
    if store_flags {
        return Err(
            "--endpoint, --region, --allow-http, --stage and --redirect-files go with --from"
                .into(),
        );
    }
    let Some(out) = cli.out.clone() else {
        return Err("OUT or --from URL is required; see --help".into());
    };
    if !out.join("simple").join("index.html").is_file() {
        return Err(format!(
            "{} has no simple/index.html; build it with build_index first",
            out.display()
        ));
    }
    let root = out
        .canonicalize()
        .map_err(|e| format!("{}: {e}", out.display()))?;
    if cli.upload {
        match store::clean_tmp(&root) {
            Ok(0) => {}
            Ok(n) => tracing::info!("removed {n} leftover upload file(s) from .pypackaging/tmp"),
            Err(e) => return Err(format!("{}/.pypackaging/tmp: {e}", root.display())),
        }
    }
    Ok(root)
}

/// `--from URL`: the store, its root page checked, and the signer of `--redirect-files`.
async fn open_store(cli: &Cli, url: &str) -> Result<source::Remote, (ExitCode, String)> {
    let usage = |e: String| (ExitCode::from(2), e);
    if !url.starts_with("s3://") {
        return Err(usage(format!(
            "--from `{url}`: expected s3://BUCKET/PREFIX (serve a folder as OUT: symlinks and \
             hidden names are refused there)"
        )));
    }
    if cli.store_timeout == 0 {
        return Err(usage("--store-timeout must be above 0".into()));
    }
    let location = cli.store.open(url).map_err(usage)?;
    let redirect = match cli.redirect_files {
        None => None,
        Some(0) => return Err(usage("--redirect-files must be above 0".into())),
        Some(secs) if secs > 7 * 24 * 3600 => {
            return Err(usage(
                "--redirect-files: S3 presigned URLs last at most 7 days (604800 s)".into(),
            ));
        }
        Some(secs) => {
            let signer = location
                .signer
                .clone()
                .ok_or_else(|| usage(format!("--redirect-files: {url} cannot presign URLs")))?;
            Some((signer, Duration::from_secs(secs)))
        }
    };
    let remote = source::Remote {
        location,
        timeout: Duration::from_secs(cli.store_timeout),
        redirect,
    };
    // A wrong prefix is told at once; a store down at start is only a warning (it may be
    // back by the first request).
    let path = remote.location.path("simple/index.html");
    let probe = tokio::time::timeout(
        remote.timeout,
        object_store::ObjectStoreExt::head(&remote.location.store, &path),
    )
    .await;
    match probe {
        Ok(Ok(_)) => {}
        Ok(Err(object_store::Error::NotFound { .. })) => {
            return Err((
                ExitCode::FAILURE,
                format!(
                    "{} has no simple/index.html; publish an index there first (or check --stage)",
                    remote.location
                ),
            ));
        }
        Ok(Err(e)) => tracing::warn!("{}: {e}; serving anyway", remote.location),
        Err(_) => tracing::warn!(
            "{}: no answer within {:?}; serving anyway",
            remote.location,
            remote.timeout
        ),
    }
    Ok(remote)
}

/// The service: the handler, page compression, a 500 for a panic, the request log.
fn router(app: Arc<App>) -> axum::Router {
    axum::Router::new()
        .fallback(handle)
        .with_state(app)
        .layer(
            CompressionLayer::new()
                .quality(CompressionLevel::Precise(4))
                .compress_when(compressible),
        )
        // A bug answers 500 and keeps the connection, instead of cutting it.
        .layer(tower_http::catch_panic::CatchPanicLayer::new())
        .layer(middleware::from_fn(log))
}

async fn run(cli: Cli, describe: String, app: Arc<App>) -> ExitCode {
    let listener = match TcpListener::bind(&cli.bind).await {
        Ok(l) => l,
        Err(e) => {
            eprintln!("error: cannot listen on {}: {e}", cli.bind);
            return ExitCode::FAILURE;
        }
    };
    let addr = listener
        .local_addr()
        .map_or(cli.bind.clone(), |a| a.to_string());
    println!(
        "serving {describe} at http://{addr}{ROOT}{}",
        if app.keys.required() {
            " (keys required)"
        } else {
            ""
        }
    );
    let _ = io::stdout().flush();

    let router = router(Arc::clone(&app));

    let mut hup = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::hangup())
        .expect("SIGHUP handler");
    let keys_app = Arc::clone(&app);
    tokio::spawn(async move {
        while hup.recv().await.is_some() {
            keys_app.keys.reload();
        }
    });
    let permits = Arc::new(Semaphore::new(cli.max_connections));
    let graceful = hyper_util::server::graceful::GracefulShutdown::new();
    let header_timeout = Duration::from_secs(cli.header_timeout);
    let idle = app.idle;
    let signal = shutdown_signal();
    tokio::pin!(signal);
    let why = loop {
        let permit = tokio::select! {
            why = &mut signal => break why,
            p = Arc::clone(&permits).acquire_owned() => p.expect("the semaphore is never closed"),
        };
        let (stream, _peer) = tokio::select! {
            why = &mut signal => break why,
            accepted = listener.accept() => match accepted {
                Ok(a) => a,
                Err(e) => {
                    tracing::warn!("accept: {e}");
                    tokio::time::sleep(Duration::from_millis(50)).await;
                    continue;
                }
            },
        };
        let _ = stream.set_nodelay(true);
        let epoch = Instant::now();
        let last = Arc::new(AtomicU64::new(0));
        let io = TokioIo::new(Watched {
            inner: stream,
            last: Arc::clone(&last),
            epoch,
        });
        let activity = Activity {
            last: Arc::clone(&last),
            epoch,
        };
        let service = hyper_util::service::TowerToHyperService::new(router.clone().map_request(
            move |mut r: axum::http::Request<hyper::body::Incoming>| {
                r.extensions_mut().insert(activity.clone());
                r
            },
        ));
        let conn = hyper::server::conn::http1::Builder::new()
            .timer(TokioTimer::new())
            .header_read_timeout(header_timeout)
            .max_buf_size(MAX_HEAD)
            .max_headers(64)
            .keep_alive(true)
            .serve_connection(io, service);
        let conn = graceful.watch(conn);
        tokio::spawn(async move {
            tokio::select! {
                r = conn => {
                    if let Err(e) = r {
                        tracing::debug!("connection: {e}");
                    }
                }
                () = idle_watch(last, epoch, idle) => {
                    tracing::debug!("connection idle for {idle:?}: closed");
                }
            }
            drop(permit);
        });
    };
    tracing::info!("{why}: no new connections; waiting for the requests under way");
    drop(listener);
    let bound = Duration::from_secs(cli.shutdown_timeout);
    match tokio::time::timeout(bound, graceful.shutdown()).await {
        Ok(()) => tracing::info!("all connections closed"),
        Err(_) => tracing::warn!("shutdown timeout ({bound:?}): closing what is left"),
    }
    // Anything still mid-upload leaves only a temporary file, removed at the next start.
    ExitCode::SUCCESS
}
