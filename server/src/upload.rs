//! `POST /`: the legacy upload API twine speaks.
//!
//! The multipart body is read as it arrives (`multer`): text fields into an
//! [`UploadForm`], the `content` part streamed to `.pypackaging/tmp/serve-*` while it is
//! hashed (sha256, md5, blake2b-256), never whole in memory. Each chunk must arrive within
//! `--idle-timeout`; the whole body is bounded by `--max-upload`. Then, off the async threads:
//! the form's checks, the file's own verdict (`check_wheel` / `check_sdist`), and under the
//! project's lock the check against a stored file of the same name and the publication
//! (`store::publish`). Whatever fails, the temporary file is removed.

use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use axum::extract::Request;
use axum::http::{StatusCode, header};
use axum::response::Response;
use blake2::Digest as _;
use bytes::Bytes;
use pypackaging::filename::DistFilename;
use pypackaging::metadata::{check_sdist, check_wheel};
use pypackaging::upload::{self, ComputedDigests, Existing, UploadError, UploadForm};
use pypackaging::{HashAlgorithm, Hasher};
use tokio::io::AsyncWriteExt as _;

use crate::{App, fsafe, store, text};

/// The largest text field (a long description is the usual big one).
const MAX_FIELD: u64 = 4 << 20;

/// A temporary file removed when dropped, unless it was published.
struct TempFile {
    path: PathBuf,
    keep: bool,
}

impl Drop for TempFile {
    fn drop(&mut self) {
        if !self.keep {
            let _ = std::fs::remove_file(&self.path);
        }
    }
}

fn bad(message: impl Into<String>) -> Response {
    reasoned(StatusCode::BAD_REQUEST, message.into())
}

/// A response whose status line carries the message too: twine prints the reason phrase.
fn reasoned(status: StatusCode, message: String) -> Response {
    let mut r = text(status, message.clone());
    let phrase: String = message
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .take(400)
        .collect();
    if let Ok(p) = hyper::ext::ReasonPhrase::try_from(phrase.into_bytes()) {
        r.extensions_mut().insert(p);
    }
    r
}

static COUNTER: AtomicU64 = AtomicU64::new(0);

pub async fn handle(app: Arc<App>, request: Request) -> Response {
    if !matches!(app.source, crate::source::Source::Folder(_)) {
        return text(
            StatusCode::METHOD_NOT_ALLOWED,
            "uploads go through build_index and `publish` when serving from a store",
        );
    }
    let path = request.uri().path();
    if path != "/" && path != "/legacy/" {
        return text(
            StatusCode::NOT_FOUND,
            "uploads go to `/` (twine upload --repository-url http://HOST:PORT/)",
        );
    }
    let Some(boundary) = request
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .and_then(|ct| multer::parse_boundary(ct).ok())
    else {
        return bad("an upload is a multipart/form-data POST");
    };
    let limit = app.max_upload + MAX_FIELD;
    if let Some(len) = request
        .headers()
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok())
        && len > limit
    {
        return reasoned(
            StatusCode::PAYLOAD_TOO_LARGE,
            format!(
                "the upload is {len} bytes, more than this index takes ({} bytes)",
                app.max_upload
            ),
        );
    }
    let constraints = multer::Constraints::new().size_limit(
        multer::SizeLimit::new()
            .whole_stream(limit)
            .per_field(MAX_FIELD)
            .for_field("content", app.max_upload),
    );
    let activity = request.extensions().get::<crate::Activity>().cloned();
    let stream = request.into_body().into_data_stream();
    let mut multipart = multer::Multipart::with_constraints(stream, boundary, constraints);

    let mut pairs: Vec<(String, String)> = Vec::new();
    let mut received: Option<(String, TempFile, ComputedDigests, u64)> = None;
    let idle = app.idle;
    loop {
        let field = match tokio::time::timeout(idle, multipart.next_field()).await {
            Err(_) => return cut(idle),
            Ok(Err(e)) => return multipart_error(e),
            Ok(Ok(None)) => break,
            Ok(Ok(Some(f))) => f,
        };
        let name = field.name().unwrap_or("").to_owned();
        if name == "content" {
            if received.is_some() {
                return bad("the form has two `content` parts");
            }
            let Some(filename) = field.file_name().map(str::to_owned) else {
                return bad("the `content` part has no filename");
            };
            if !fsafe::valid_component(&filename) || filename.len() > 255 {
                return bad(format!(
                    "`{}` cannot be a filename in this index",
                    filename.escape_debug()
                ));
            }
            match receive(&app, field, idle).await {
                Ok((tmp, digests, size)) => received = Some((filename, tmp, digests, size)),
                Err(r) => return r,
            }
        } else {
            let mut field = field;
            let mut value = Vec::new();
            loop {
                match tokio::time::timeout(idle, field.chunk()).await {
                    Err(_) => return cut(idle),
                    Ok(Err(e)) => return multipart_error(e),
                    Ok(Ok(None)) => break,
                    Ok(Ok(Some(chunk))) => value.extend_from_slice(&chunk),
                }
            }
            match String::from_utf8(value) {
                Ok(v) => pairs.push((name, v)),
                Err(_) => return bad(format!("the `{}` field is not UTF-8", name.escape_debug())),
            }
        }
    }
    let Some((filename, mut tmp, digests, size)) = received else {
        return bad("the form has no `content` part (the file)");
    };
    let form = match UploadForm::from_pairs(pairs) {
        Ok(f) => f,
        Err(e) => return bad(e.to_string()),
    };

    // The checks that read the file, off the async threads; the connection counts as busy.
    let _busy = activity.as_ref().map(crate::Activity::keep_busy);
    let path = tmp.path.clone();
    let checked = {
        let form = form.clone();
        let filename = filename.clone();
        let digests = digests.clone();
        tokio::task::spawn_blocking(move || verify(&form, &filename, &digests, &path)).await
    };
    let (dist, metadata) = match checked {
        Ok(Ok(v)) => v,
        Ok(Err(e)) => return bad(e.to_string()),
        Err(_) => {
            return reasoned(
                StatusCode::INTERNAL_SERVER_ERROR,
                "the check of the file failed".into(),
            );
        }
    };
    let project = dist.name().expect("a wheel or an sdist").clone();
    let sha256 = pypackaging::Digest::from_hex(HashAlgorithm::Sha256, &digests.sha256)
        .expect("computed hex is valid");

    // Under the project's lock: the stored file of that name, then publication.
    let lock = {
        let mut locks = app.project_locks.lock().expect("locks");
        Arc::clone(locks.entry(project.to_string()).or_default())
    };
    let _project_guard = lock.lock().await;
    let root = app.root().to_owned();
    let (p, f) = (project.to_string(), filename.clone());
    let stored = tokio::task::spawn_blocking(move || store::listed_sha256(&root, &p, &f))
        .await
        .expect("no panic");
    let stored = match stored {
        Ok(s) => s,
        Err(e) => return reasoned(StatusCode::INTERNAL_SERVER_ERROR, e),
    };
    match upload::check_existing(&filename, stored.as_ref(), &sha256) {
        Err(e) => return bad(e.to_string()),
        Ok(Existing::Same) => {
            tracing::info!("upload {filename}: the same bytes are stored already");
            return text(
                StatusCode::OK,
                format!("{filename} is stored already (same bytes)"),
            );
        }
        Ok(Existing::New) => {}
    }
    let requires_python = metadata
        .as_deref()
        .and_then(pypackaging::index::requires_python);
    let staged = store::Staged {
        project,
        filename: filename.clone(),
        path: tmp.path.clone(),
        sha256,
        size,
        metadata: match dist {
            DistFilename::Wheel(_) => metadata,
            _ => None,
        },
        requires_python,
    };
    let _index_guard = app.index_lock.lock().await;
    let root = app.root().to_owned();
    let published = tokio::task::spawn_blocking(move || store::publish(&root, &staged))
        .await
        .expect("no panic");
    match published {
        Ok(()) => {
            tmp.keep = true; // renamed into place
            tracing::info!("upload {filename}: published ({size} bytes)");
            text(StatusCode::OK, format!("stored {filename}"))
        }
        Err(e) => {
            tracing::error!("upload {filename}: {e}");
            reasoned(
                StatusCode::INTERNAL_SERVER_ERROR,
                format!("storing {filename} failed"),
            )
        }
    }
}

fn cut(idle: std::time::Duration) -> Response {
    reasoned(
        StatusCode::REQUEST_TIMEOUT,
        format!("no data for {}s: upload cut", idle.as_secs()),
    )
}

fn multipart_error(e: multer::Error) -> Response {
    match e {
        multer::Error::FieldSizeExceeded { field_name, limit } => reasoned(
            StatusCode::PAYLOAD_TOO_LARGE,
            format!(
                "the `{}` field is over {limit} bytes",
                field_name.unwrap_or_default().escape_debug()
            ),
        ),
        multer::Error::StreamSizeExceeded { limit } => reasoned(
            StatusCode::PAYLOAD_TOO_LARGE,
            format!("the upload is over {limit} bytes"),
        ),
        e => bad(format!("the multipart body is malformed: {e}")),
    }
}

/// Streams the `content` part to a temporary file, hashing it.
async fn receive(
    app: &App,
    mut field: multer::Field<'_>,
    idle: std::time::Duration,
) -> Result<(TempFile, ComputedDigests, u64), Response> {
    let path = store::tmp_dir(app.root()).join(format!(
        "serve-{}-{}.upload",
        std::process::id(),
        COUNTER.fetch_add(1, Ordering::Relaxed)
    ));
    let tmp = TempFile { path, keep: false };
    let file = tokio::fs::File::create(&tmp.path).await.map_err(|e| {
        tracing::error!("{}: {e}", tmp.path.display());
        reasoned(
            StatusCode::INTERNAL_SERVER_ERROR,
            "cannot stage the upload".into(),
        )
    })?;
    let mut file = tokio::io::BufWriter::with_capacity(256 * 1024, file);
    let mut hasher = Hasher::sha256();
    let mut md5 = md5::Md5::new();
    let mut blake = blake2::Blake2b::<blake2::digest::consts::U32>::new();
    let mut size = 0u64;
    loop {
        let chunk: Bytes = match tokio::time::timeout(idle, field.chunk()).await {
            Err(_) => return Err(cut(idle)),
            Ok(Err(e)) => return Err(multipart_error(e)),
            Ok(Ok(None)) => break,
            Ok(Ok(Some(c))) => c,
        };
        hasher.update(&chunk);
        blake.update(&chunk);
        md5.update(&chunk);
        size += chunk.len() as u64;
        if let Err(e) = file.write_all(&chunk).await {
            tracing::error!("{}: {e}", tmp.path.display());
            return Err(reasoned(
                StatusCode::INTERNAL_SERVER_ERROR,
                "cannot stage the upload".into(),
            ));
        }
    }
    let flushed = async {
        file.flush().await?;
        file.get_ref().sync_data().await
    };
    if let Err(e) = flushed.await {
        tracing::error!("{}: {e}", tmp.path.display());
        return Err(reasoned(
            StatusCode::INTERNAL_SERVER_ERROR,
            "cannot stage the upload".into(),
        ));
    }
    let digests = hasher.finish();
    let hex = |a| digests.get(a).map(|d| d.hex());
    let computed = ComputedDigests {
        sha256: hex(HashAlgorithm::Sha256).expect("sha256 computed"),
        md5: Some(to_hex(&md5.finalize())),
        blake2_256: Some(to_hex(&blake.finalize())),
    };
    Ok((tmp, computed, size))
}

fn to_hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// The form's checks, the digests, and the file's own verdict and metadata.
fn verify(
    form: &UploadForm,
    filename: &str,
    digests: &ComputedDigests,
    path: &std::path::Path,
) -> Result<(DistFilename, Option<Vec<u8>>), UploadError> {
    let dist = form.check_file(filename)?;
    form.check_digests(digests)?;
    let file = std::fs::File::open(path).map_err(|e| UploadError::NoMetadata {
        filename: format!("{filename} ({e})"),
        member: "content",
    })?;
    let reader = std::io::BufReader::new(file);
    let check = match &dist {
        DistFilename::Wheel(w) => check_wheel(reader, w),
        DistFilename::Sdist(s) => check_sdist(reader, s),
        DistFilename::Other(_) => unreachable!("check_file accepts wheels and sdists only"),
    };
    upload::check_dist(form, &dist, &check)?;
    Ok((dist, check.metadata))
}
