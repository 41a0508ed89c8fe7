//! Where pages and files come from: the folder build_index wrote (served by `main.rs` with
//! `fsafe`: no symlink, no hidden name), or an object store (`serve --from s3://bucket/prefix`),
//! read here.
//!
//! With a store the server keeps no state: every request is one GET of an object (two for a
//! `Range` request: a HEAD for the size, then the ranged GET, pinned to the ETag seen), so any
//! number of instances can serve the same prefix behind one load balancer. Keys are built only
//! from path components `fsafe::valid_component` accepts, and only under `simple/` and
//! `requirements.txt`: `.pypackaging/` and anything else under the prefix is never reached.
//!
//! A store that fails (unreachable, 5xx, credentials refused) or does not start answering
//! within `--store-timeout` gives `502 Bad Gateway` and a warning in the log; a missing key is
//! a 404. A body that stalls mid-way is cut by `--idle-timeout`, as for any connection.

use std::path::PathBuf;
use std::sync::Arc;
use std::time::{Duration, SystemTime};

use axum::body::Body;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::Response;
use futures_util::StreamExt as _;
use object_store::signer::Signer;
use object_store::{Attribute, GetOptions, GetRange, GetResult, ObjectMeta, ObjectStore as _};
use pypackaging::simple::negotiate::{self, ProjectPath};
use pypackaging_store::Location;

use crate::{ROOT, byte_range, components, content_type, fsafe, header_str, redirect, text};

/// Where the index is read from.
pub enum Source {
    /// The folder build_index wrote (canonical path).
    Folder(PathBuf),
    /// An object store: `serve --from URL`.
    Store(Remote),
}

/// An index on an object store.
pub struct Remote {
    pub location: Location,
    /// The longest wait for a store to start answering a request.
    pub timeout: Duration,
    /// `--redirect-files`: distribution files and `.metadata` are answered with a 302 to a
    /// presigned GET URL valid this long.
    pub redirect: Option<(Arc<dyn Signer>, Duration)>,
}

/// What a store call came to, when it is not an object.
enum Failure {
    NotFound,
    NotModified,
    /// The object changed between the HEAD and the GET of a range request.
    Changed,
    /// Unreachable, an error, or no answer in time: already logged.
    Store,
}

impl Remote {
    /// One GET (or HEAD) of `key`, bounded by the timeout.
    async fn call(&self, key: &str, options: GetOptions) -> Result<GetResult, Failure> {
        let path = self.location.path(key);
        match tokio::time::timeout(self.timeout, self.location.store.get_opts(&path, options)).await
        {
            Ok(Ok(r)) => Ok(r),
            Ok(Err(object_store::Error::NotFound { .. })) => Err(Failure::NotFound),
            Ok(Err(object_store::Error::NotModified { .. })) => Err(Failure::NotModified),
            Ok(Err(object_store::Error::Precondition { .. })) => Err(Failure::Changed),
            Ok(Err(e)) => {
                tracing::warn!("store {}: GET {path}: {e}", self.location);
                Err(Failure::Store)
            }
            Err(_) => {
                tracing::warn!(
                    "store {}: GET {path}: no answer within {:?}",
                    self.location,
                    self.timeout
                );
                Err(Failure::Store)
            }
        }
    }

    /// Whether `key` exists: `Err` is the response to give when the store failed.
    async fn exists(&self, key: &str) -> Result<bool, Response> {
        let options = GetOptions {
            head: true,
            ..GetOptions::default()
        };
        match self.call(key, options).await {
            Ok(_) => Ok(true),
            Err(Failure::NotFound) => Ok(false),
            Err(_) => Err(unavailable()),
        }
    }

    /// A GET or HEAD of a decoded path (already checked for NUL, encoded `/` and keys).
    pub async fn get(&self, headers: &HeaderMap, path: &str, head: bool) -> Response {
        if path == ROOT {
            return self
                .page(headers, "simple", head, "no root page here")
                .await;
        }
        if let Some(project) = negotiate::project_path(ROOT, path) {
            let (ProjectPath::Canonical { project: name }
            | ProjectPath::Redirect { project: name, .. }) = &project;
            let missing = format!("no project `{name}` in this index");
            if !fsafe::valid_component(name) {
                return text(StatusCode::NOT_FOUND, missing);
            }
            return match project {
                ProjectPath::Redirect { location, project } => {
                    match self.exists(&format!("simple/{project}/index.html")).await {
                        Ok(true) => redirect(&location),
                        Ok(false) => text(StatusCode::NOT_FOUND, missing),
                        Err(r) => r,
                    }
                }
                ProjectPath::Canonical { project } => {
                    self.page(headers, &format!("simple/{project}"), head, &missing)
                        .await
                }
            };
        }
        let Some(parts) = components(path) else {
            return text(StatusCode::NOT_FOUND, format!("not found: {path}"));
        };
        let servable = match parts.as_slice() {
            [only] => only == "requirements.txt",
            [first, _, ..] => first == "simple",
            [] => false,
        };
        if !servable {
            return text(StatusCode::NOT_FOUND, format!("not found: {path}"));
        }
        let key = parts.join("/");
        let name = parts.last().expect("a file has a name");
        let distribution = parts.len() == 3 && name != "index.html" && name != "index.json";
        if distribution
            && !head
            && let Some((signer, valid)) = &self.redirect
        {
            return self.presigned(signer.as_ref(), &key, *valid).await;
        }
        let response = self
            .object(headers, &key, None, content_type(&key), false, head)
            .await;
        if response.status() == StatusCode::NOT_FOUND && parts.len() == 3 {
            let project = &parts[1];
            let message = match self.exists(&format!("simple/{project}/index.html")).await {
                Ok(true) => format!("no file `{name}` in project `{project}`"),
                Ok(false) => format!("no project `{project}` in this index"),
                Err(r) => return r,
            };
            return text(StatusCode::NOT_FOUND, message);
        }
        response
    }

    /// A 302 to a presigned GET URL of `key`.
    async fn presigned(&self, signer: &dyn Signer, key: &str, valid: Duration) -> Response {
        let path = self.location.path(key);
        let signed = tokio::time::timeout(
            self.timeout,
            signer.signed_url(object_store::signer::Method::GET, &path, valid),
        )
        .await;
        match signed {
            Ok(Ok(url)) => {
                let mut r = text(StatusCode::FOUND, format!("found at {url}"));
                match HeaderValue::from_str(url.as_str()) {
                    Ok(v) => {
                        r.headers_mut().insert(header::LOCATION, v);
                    }
                    Err(_) => return unavailable(),
                }
                // The URL expires: no cache keeps the redirect.
                r.headers_mut()
                    .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
                r
            }
            Ok(Err(e)) => {
                tracing::warn!("store {}: signing {path}: {e}", self.location);
                unavailable()
            }
            Err(_) => {
                tracing::warn!("store {}: signing {path}: no answer in time", self.location);
                unavailable()
            }
        }
    }

    /// A simple API page of the folder `dir` (`simple`, `simple/<project>`), negotiated.
    async fn page(&self, headers: &HeaderMap, dir: &str, head: bool, missing: &str) -> Response {
        let (name, content_type, _) = match crate::negotiated(headers) {
            Ok(n) => n,
            Err(r) => return r,
        };
        let response = self
            .object(
                headers,
                &format!("{dir}/{name}"),
                Some(content_type),
                content_type,
                true,
                head,
            )
            .await;
        if response.status() == StatusCode::NOT_FOUND {
            return text(StatusCode::NOT_FOUND, missing);
        }
        response
    }

    /// Serves the object `key` with validators and (unless `vary`, a negotiated page) ranges.
    /// `forced` is the content type to send whatever the object says; `fallback` the one for
    /// an object without one.
    async fn object(
        &self,
        headers: &HeaderMap,
        key: &str,
        forced: Option<&'static str>,
        fallback: &'static str,
        vary: bool,
        head: bool,
    ) -> Response {
        match self
            .object_inner(headers, key, forced, fallback, vary, head)
            .await
        {
            Ok(r) => r,
            Err(Failure::NotFound) => text(StatusCode::NOT_FOUND, format!("no {key} here")),
            Err(Failure::NotModified) => {
                // The store matched one of the client's tags; echo it when there is just one.
                let mut b = Response::builder().status(StatusCode::NOT_MODIFIED);
                if let Some(tag) = header_str(headers, header::IF_NONE_MATCH)
                    .map(str::trim)
                    .filter(|t| !t.contains(',') && *t != "*")
                {
                    let bare = tag.trim_start_matches("W/");
                    b = b.header(
                        header::ETAG,
                        if vary {
                            format!("W/{bare}")
                        } else {
                            bare.to_owned()
                        },
                    );
                }
                b = if vary {
                    b.header(header::VARY, "Accept")
                } else {
                    b.header(header::ACCEPT_RANGES, "bytes")
                };
                b.body(Body::empty()).unwrap_or_else(|_| unavailable())
            }
            Err(Failure::Changed) => {
                let mut r = text(
                    StatusCode::SERVICE_UNAVAILABLE,
                    "the file changed while it was read; try again",
                );
                r.headers_mut()
                    .insert(header::RETRY_AFTER, HeaderValue::from_static("1"));
                r
            }
            Err(Failure::Store) => unavailable(),
        }
    }

    async fn object_inner(
        &self,
        headers: &HeaderMap,
        key: &str,
        forced: Option<&'static str>,
        fallback: &'static str,
        vary: bool,
        head: bool,
    ) -> Result<Response, Failure> {
        let if_none_match = header_str(headers, header::IF_NONE_MATCH).map(|tags| {
            tags.split(',')
                .map(|t| t.trim().trim_start_matches("W/"))
                .collect::<Vec<_>>()
                .join(", ")
        });
        let range_header = header_str(headers, header::RANGE)
            .filter(|v| !vary && v.trim().starts_with("bytes=") && !v.contains(','));
        if let Some(range_value) = range_header {
            // The size first, for the range; then the bytes, pinned to the same ETag.
            let options = GetOptions {
                head: true,
                if_none_match: if_none_match.clone(),
                ..GetOptions::default()
            };
            let found = self.call(key, options).await?;
            let meta = &found.meta;
            let (etag, last_modified) = validators(meta);
            if let Some(fresh) = not_modified(headers, meta, vary) {
                return Ok(fresh);
            }
            let range_ok = header_str(headers, header::IF_RANGE)
                .is_none_or(|v| v.trim() == etag || v.trim() == last_modified);
            if range_ok {
                match byte_range(range_value, meta.size) {
                    Err(()) => {
                        return Ok(base(meta, vary)
                            .status(StatusCode::RANGE_NOT_SATISFIABLE)
                            .header(header::CONTENT_RANGE, format!("bytes */{}", meta.size))
                            .body(Body::empty())
                            .expect("valid response"));
                    }
                    Ok(Some((a, b))) => {
                        if head {
                            let r = respond(found, forced, fallback, vary, true, Some((a, b)));
                            return Ok(r);
                        }
                        let options = GetOptions {
                            range: Some(GetRange::Bounded(a..b + 1)),
                            if_match: meta.e_tag.clone(),
                            ..GetOptions::default()
                        };
                        let got = self.call(key, options).await?;
                        return Ok(respond(got, forced, fallback, vary, false, Some((a, b))));
                    }
                    Ok(None) => {}
                }
            }
        }
        let options = GetOptions {
            head,
            if_none_match,
            ..GetOptions::default()
        };
        let got = self.call(key, options).await?;
        if let Some(fresh) = not_modified(headers, &got.meta, vary) {
            return Ok(fresh);
        }
        Ok(respond(got, forced, fallback, vary, head, None))
    }
}

/// `502`: the store failed (the cause is in the log).
fn unavailable() -> Response {
    text(
        StatusCode::BAD_GATEWAY,
        "the index store is unavailable; try again later",
    )
}

/// The ETag (quoted, strong) and the Last-Modified date of an object.
fn validators(meta: &ObjectMeta) -> (String, String) {
    let etag = match meta.e_tag.as_deref() {
        Some(t) if t.starts_with('"') => t.to_owned(),
        Some(t) => format!("\"{t}\""),
        None => format!(
            "\"{:x}-{:x}\"",
            meta.size,
            meta.last_modified.timestamp_millis()
        ),
    };
    let modified = SystemTime::from(meta.last_modified);
    (etag, httpdate::fmt_http_date(modified))
}

/// The headers every answer about an object carries.
fn base(meta: &ObjectMeta, vary: bool) -> axum::http::response::Builder {
    let (etag, last_modified) = validators(meta);
    // A page may be sent compressed: its validator is weak, as for the folder.
    let sent = if vary { format!("W/{etag}") } else { etag };
    let b = Response::builder()
        .header(header::ETAG, sent)
        .header(header::LAST_MODIFIED, last_modified);
    if vary {
        b.header(header::VARY, "Accept")
    } else {
        b.header(header::ACCEPT_RANGES, "bytes")
    }
}

/// A 304 when the client's validators match (the store checks If-None-Match itself when it
/// can; If-Modified-Since is checked here, as the folder does).
fn not_modified(headers: &HeaderMap, meta: &ObjectMeta, vary: bool) -> Option<Response> {
    let (etag, _) = validators(meta);
    let fresh = crate::is_fresh(headers, &etag, SystemTime::from(meta.last_modified));
    fresh.then(|| {
        base(meta, vary)
            .status(StatusCode::NOT_MODIFIED)
            .body(Body::empty())
            .expect("valid response")
    })
}

/// The answer for an object: its headers, and its bytes unless `head`.
fn respond(
    got: GetResult,
    forced: Option<&'static str>,
    fallback: &'static str,
    vary: bool,
    head: bool,
    range: Option<(u64, u64)>,
) -> Response {
    let meta = got.meta.clone();
    let mut b = base(&meta, vary);
    let content_type = forced
        .map(str::to_owned)
        .or_else(|| {
            got.attributes
                .get(&Attribute::ContentType)
                .map(|v| v.to_string())
                .filter(|v| HeaderValue::from_str(v).is_ok())
        })
        .unwrap_or_else(|| fallback.to_owned());
    b = b.header(header::CONTENT_TYPE, content_type);
    if let Some(cc) = got
        .attributes
        .get(&Attribute::CacheControl)
        .filter(|v| HeaderValue::from_str(v).is_ok())
    {
        b = b.header(header::CACHE_CONTROL, cc.to_string());
    }
    let (status, count) = match range {
        Some((a, z)) => {
            b = b.header(
                header::CONTENT_RANGE,
                format!("bytes {a}-{z}/{}", meta.size),
            );
            (StatusCode::PARTIAL_CONTENT, z - a + 1)
        }
        None => (StatusCode::OK, meta.size),
    };
    b = b.status(status).header(header::CONTENT_LENGTH, count);
    if head {
        return b.body(Body::empty()).expect("valid response");
    }
    let location = meta.location.clone();
    let stream = got
        .into_stream()
        .map(move |chunk| chunk.inspect_err(|e| tracing::warn!("store: reading {location}: {e}")));
    b.body(Body::from_stream(stream)).expect("valid response")
}
