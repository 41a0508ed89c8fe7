//! The server over an object store (`serve --from`), driven through the router: an
//! `InMemory` store under the prefix `idx/prod`, a store that fails every call, one that never
//! answers.

use std::sync::Arc;
use std::time::{Duration, Instant};

use axum::body::Body;
use axum::http::{HeaderMap, Method, Request, StatusCode, header};
use bytes::Bytes;
use clap::{CommandFactory as _, Parser as _};
use futures_util::stream::BoxStream;
use object_store::memory::InMemory;
use object_store::path::Path;
use object_store::{
    Attribute, Attributes, CopyOptions, GetOptions, GetResult, ListResult, MultipartUpload,
    ObjectMeta, ObjectStore, ObjectStoreExt as _, PutMultipartOptions, PutOptions, PutPayload,
    PutResult,
};
use pypackaging_store::Location;
use tower::ServiceExt as _;

use crate::source::{Remote, Source};
use crate::{App, Cli, keys, router};

const WHEEL: &[u8] = b"PK\x03\x04 not really a wheel, but bytes to count: 0123456789";
const SDIST: &[u8] = b"\x1f\x8b sdist bytes";
const ROOT_HTML: &str = "<!DOCTYPE html><html><body><a href=\"demo/\">demo</a></body></html>\n";
const ROOT_JSON: &str = r#"{"meta":{"api-version":"1.1"},"projects":[{"name":"demo"}]}"#;
const DEMO_HTML: &str =
    "<!DOCTYPE html><html><body><a href=\"demo-1.0-py3-none-any.whl\">w</a></body></html>\n";
const DEMO_JSON: &str = r#"{"meta":{"api-version":"1.1"},"name":"demo","files":[]}"#;
const WHEEL_KEY: &str = "simple/demo/demo-1.0-py3-none-any.whl";

fn location(store: Arc<dyn ObjectStore>) -> Location {
    Location {
        store,
        prefix: Path::from("idx/prod"),
        base: Path::from("idx"),
        origin: "memory://test".into(),
        is_s3: false,
        signer: None,
    }
}

async fn put(store: &InMemory, key: &str, bytes: &[u8], attributes: Attributes) {
    let path = Path::from(format!("idx/prod/{key}"));
    let options = PutOptions {
        attributes,
        ..PutOptions::default()
    };
    store
        .put_opts(&path, PutPayload::from(bytes.to_vec()), options)
        .await
        .unwrap();
}

async fn memory() -> Arc<InMemory> {
    let store = InMemory::new();
    let none = Attributes::new;
    put(&store, "simple/index.html", ROOT_HTML.as_bytes(), none()).await;
    put(&store, "simple/index.json", ROOT_JSON.as_bytes(), none()).await;
    put(
        &store,
        "simple/demo/index.html",
        DEMO_HTML.as_bytes(),
        none(),
    )
    .await;
    put(
        &store,
        "simple/demo/index.json",
        DEMO_JSON.as_bytes(),
        none(),
    )
    .await;
    let mut wheel = Attributes::new();
    wheel.insert(Attribute::ContentType, "application/x-wheel+zip".into());
    wheel.insert(
        Attribute::CacheControl,
        "public, max-age=31536000, immutable".into(),
    );
    put(&store, WHEEL_KEY, WHEEL, wheel).await;
    put(&store, "simple/demo/demo-1.0.tar.gz", SDIST, none()).await;
    put(&store, "requirements.txt", b"demo==1.0\n", none()).await;
    put(
        &store,
        ".pypackaging/manifest.json",
        b"{\"secret\":1}",
        none(),
    )
    .await;
    put(&store, "simple/demo/.hidden", b"hidden", none()).await;
    put(&store, "other.txt", b"outside simple/", none()).await;
    // Another stage of the same base: never reachable from idx/prod.
    let dev = Path::from("idx/dev/simple/demo/dev-only.txt");
    store
        .put(&dev, PutPayload::from_static(b"dev"))
        .await
        .unwrap();
    Arc::new(store)
}

fn app_with(store: Arc<dyn ObjectStore>, keys: keys::KeyStore, timeout: Duration) -> Arc<App> {
    Arc::new(App {
        source: Source::Store(Remote {
            location: location(store),
            timeout,
            redirect: None,
        }),
        keys,
        upload: false,
        max_upload: 1 << 20,
        idle: Duration::from_secs(30),
        project_locks: Default::default(),
        index_lock: tokio::sync::Mutex::new(()),
    })
}

async fn app() -> Arc<App> {
    app_with(
        memory().await,
        keys::KeyStore::open(None).unwrap(),
        Duration::from_secs(5),
    )
}

async fn send(
    app: &Arc<App>,
    method: Method,
    uri: &str,
    headers: &[(header::HeaderName, &str)],
) -> (StatusCode, HeaderMap, Bytes) {
    let mut request = Request::builder().method(method).uri(uri);
    for (name, value) in headers {
        request = request.header(name, *value);
    }
    let response = router(Arc::clone(app))
        .oneshot(request.body(Body::empty()).unwrap())
        .await
        .unwrap();
    let status = response.status();
    let headers = response.headers().clone();
    let body = axum::body::to_bytes(response.into_body(), usize::MAX)
        .await
        .unwrap();
    (status, headers, body)
}

async fn get(app: &Arc<App>, uri: &str) -> (StatusCode, HeaderMap, Bytes) {
    send(app, Method::GET, uri, &[]).await
}

fn hv(headers: &HeaderMap, name: header::HeaderName) -> &str {
    headers
        .get(name)
        .map_or("", |v| v.to_str().unwrap_or("<not text>"))
}

const JSON: &str = "application/vnd.pypi.simple.v1+json";

#[tokio::test]
async fn pages_by_accept_header() {
    let app = app().await;
    for (uri, html, json) in [
        ("/simple/", ROOT_HTML, ROOT_JSON),
        ("/simple/demo/", DEMO_HTML, DEMO_JSON),
    ] {
        let (s, h, b) = send(&app, Method::GET, uri, &[(header::ACCEPT, JSON)]).await;
        assert_eq!(s, StatusCode::OK, "{uri}");
        assert_eq!(hv(&h, header::CONTENT_TYPE), JSON);
        assert_eq!(b, json.as_bytes());
        assert_eq!(hv(&h, header::VARY), "Accept");
        assert!(hv(&h, header::ETAG).starts_with("W/\""), "{h:?}");

        let (s, h, b) = send(&app, Method::GET, uri, &[(header::ACCEPT, "text/html")]).await;
        assert_eq!(s, StatusCode::OK);
        assert_eq!(hv(&h, header::CONTENT_TYPE), "text/html; charset=utf-8");
        assert_eq!(b, html.as_bytes());
        // No Accept: HTML, as the folder answers.
        let (_, _, b) = get(&app, uri).await;
        assert_eq!(b, html.as_bytes());
        let (s, _, _) = send(&app, Method::GET, uri, &[(header::ACCEPT, "image/png")]).await;
        assert_eq!(s, StatusCode::NOT_ACCEPTABLE);
    }
    // The two representations have different validators.
    let (_, hj, _) = send(&app, Method::GET, "/simple/", &[(header::ACCEPT, JSON)]).await;
    let (_, hh, _) = get(&app, "/simple/").await;
    assert_ne!(hv(&hj, header::ETAG), hv(&hh, header::ETAG));

    let (s, h, _) = get(&app, "/simple/Demo").await;
    assert_eq!(s, StatusCode::MOVED_PERMANENTLY);
    assert_eq!(hv(&h, header::LOCATION), "/simple/demo/");
    let (s, h, _) = get(&app, "/simple/demo").await;
    assert_eq!(s, StatusCode::MOVED_PERMANENTLY);
    assert_eq!(hv(&h, header::LOCATION), "/simple/demo/");
    let (s, h, _) = get(&app, "/simple").await;
    assert_eq!(
        (s, hv(&h, header::LOCATION)),
        (StatusCode::MOVED_PERMANENTLY, "/simple/")
    );

    for uri in ["/simple/nope/", "/simple/Nope"] {
        let (s, _, b) = get(&app, uri).await;
        assert_eq!(s, StatusCode::NOT_FOUND, "{uri}");
        assert!(
            String::from_utf8_lossy(&b).contains("no project `nope`"),
            "{b:?}"
        );
    }
}

#[tokio::test]
async fn files_ranges_head_and_validators() {
    let app = app().await;
    let len = WHEEL.len();
    let uri = format!("/{WHEEL_KEY}");
    let (s, h, b) = get(&app, &uri).await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(b, WHEEL);
    assert_eq!(hv(&h, header::CONTENT_LENGTH), len.to_string());
    assert_eq!(hv(&h, header::CONTENT_TYPE), "application/x-wheel+zip");
    assert_eq!(
        hv(&h, header::CACHE_CONTROL),
        "public, max-age=31536000, immutable"
    );
    assert_eq!(hv(&h, header::ACCEPT_RANGES), "bytes");
    let etag = hv(&h, header::ETAG).to_owned();
    assert!(etag.starts_with('"') && etag.ends_with('"'), "{etag}");
    assert!(!hv(&h, header::LAST_MODIFIED).is_empty());

    // No Content-Type attribute: the folder's table.
    let (s, h, b) = get(&app, "/simple/demo/demo-1.0.tar.gz").await;
    assert_eq!((s, b.as_ref()), (StatusCode::OK, SDIST));
    assert_eq!(hv(&h, header::CONTENT_TYPE), "application/gzip");
    assert_eq!(hv(&h, header::CACHE_CONTROL), "");
    let (s, h, b) = get(&app, "/requirements.txt").await;
    assert_eq!((s, b.as_ref()), (StatusCode::OK, &b"demo==1.0\n"[..]));
    assert_eq!(hv(&h, header::CONTENT_TYPE), "text/plain; charset=utf-8");

    // Ranges.
    let (s, h, b) = send(&app, Method::GET, &uri, &[(header::RANGE, "bytes=2-5")]).await;
    assert_eq!(s, StatusCode::PARTIAL_CONTENT);
    assert_eq!(b, &WHEEL[2..6]);
    assert_eq!(hv(&h, header::CONTENT_RANGE), format!("bytes 2-5/{len}"));
    assert_eq!(hv(&h, header::CONTENT_LENGTH), "4");
    let (s, _, b) = send(&app, Method::GET, &uri, &[(header::RANGE, "bytes=-3")]).await;
    assert_eq!(s, StatusCode::PARTIAL_CONTENT);
    assert_eq!(b, &WHEEL[len - 3..]);
    let (s, h, b) = send(&app, Method::GET, &uri, &[(header::RANGE, "bytes=10-")]).await;
    assert_eq!((s, b.as_ref()), (StatusCode::PARTIAL_CONTENT, &WHEEL[10..]));
    assert_eq!(
        hv(&h, header::CONTENT_RANGE),
        format!("bytes 10-{}/{len}", len - 1)
    );
    let past = format!("bytes={len}-");
    let (s, h, b) = send(&app, Method::GET, &uri, &[(header::RANGE, &past)]).await;
    assert_eq!(s, StatusCode::RANGE_NOT_SATISFIABLE);
    assert_eq!(hv(&h, header::CONTENT_RANGE), format!("bytes */{len}"));
    assert!(b.is_empty());
    // If-Range with another validator: the whole file.
    let (s, _, b) = send(
        &app,
        Method::GET,
        &uri,
        &[
            (header::RANGE, "bytes=2-5"),
            (header::IF_RANGE, "\"other\""),
        ],
    )
    .await;
    assert_eq!((s, b.as_ref()), (StatusCode::OK, WHEEL));
    let (s, h, b) = send(&app, Method::HEAD, &uri, &[(header::RANGE, "bytes=0-0")]).await;
    assert_eq!(
        (s, hv(&h, header::CONTENT_LENGTH)),
        (StatusCode::PARTIAL_CONTENT, "1")
    );
    assert!(b.is_empty());

    // HEAD.
    let (s, h, b) = send(&app, Method::HEAD, &uri, &[]).await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(hv(&h, header::CONTENT_LENGTH), len.to_string());
    assert_eq!(hv(&h, header::ETAG), etag);
    assert!(b.is_empty());
    let (s, h, b) = send(&app, Method::HEAD, "/simple/", &[(header::ACCEPT, JSON)]).await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(hv(&h, header::CONTENT_LENGTH), ROOT_JSON.len().to_string());
    assert!(b.is_empty());

    // 304s: a file, a page (its weak tag sent back), a list of tags; a stale tag gets 200.
    let (s, h, b) = send(&app, Method::GET, &uri, &[(header::IF_NONE_MATCH, &etag)]).await;
    assert_eq!(s, StatusCode::NOT_MODIFIED);
    assert_eq!(hv(&h, header::ETAG), etag);
    assert!(b.is_empty());
    let list = format!("\"stale\", {etag}");
    let (s, _, _) = send(&app, Method::GET, &uri, &[(header::IF_NONE_MATCH, &list)]).await;
    assert_eq!(s, StatusCode::NOT_MODIFIED);
    let (s, _, b) = send(
        &app,
        Method::GET,
        &uri,
        &[(header::IF_NONE_MATCH, "\"stale\"")],
    )
    .await;
    assert_eq!((s, b.as_ref()), (StatusCode::OK, WHEEL));
    let (_, h, _) = send(
        &app,
        Method::GET,
        "/simple/demo/",
        &[(header::ACCEPT, JSON)],
    )
    .await;
    let weak = hv(&h, header::ETAG).to_owned();
    let (s, h, b) = send(
        &app,
        Method::GET,
        "/simple/demo/",
        &[(header::ACCEPT, JSON), (header::IF_NONE_MATCH, &weak)],
    )
    .await;
    assert_eq!(s, StatusCode::NOT_MODIFIED);
    assert_eq!(hv(&h, header::ETAG), weak);
    assert_eq!(hv(&h, header::VARY), "Accept");
    assert!(b.is_empty());
    // The HTML page does not match the JSON page's tag.
    let (s, _, _) = send(
        &app,
        Method::GET,
        "/simple/demo/",
        &[(header::IF_NONE_MATCH, &weak)],
    )
    .await;
    assert_eq!(s, StatusCode::OK);
    // If-Modified-Since, checked by the server.
    let (_, h, _) = get(&app, &uri).await;
    let lm = hv(&h, header::LAST_MODIFIED).to_owned();
    let (s, _, _) = send(&app, Method::GET, &uri, &[(header::IF_MODIFIED_SINCE, &lm)]).await;
    assert_eq!(s, StatusCode::NOT_MODIFIED);
    let old = "Mon, 01 Jan 2001 00:00:00 GMT";
    let (s, _, _) = send(&app, Method::GET, &uri, &[(header::IF_MODIFIED_SINCE, old)]).await;
    assert_eq!(s, StatusCode::OK);
}

#[tokio::test]
async fn missing_hidden_and_outside_keys_are_404() {
    let app = app().await;
    let (s, _, b) = get(&app, "/simple/demo/demo-2.0.tar.gz").await;
    assert_eq!(s, StatusCode::NOT_FOUND);
    assert!(String::from_utf8_lossy(&b).contains("no file `demo-2.0.tar.gz` in project `demo`"));
    let (s, _, b) = get(&app, "/simple/nope/nope-1.0.tar.gz").await;
    assert_eq!(s, StatusCode::NOT_FOUND);
    assert!(
        String::from_utf8_lossy(&b).contains("no project `nope`"),
        "{b:?}"
    );
    for uri in [
        "/.pypackaging/manifest.json",
        "/simple/../.pypackaging/manifest.json",
        "/simple/demo/../../.pypackaging/manifest.json",
        "/simple/demo/%2e%2e/%2e%2e/.pypackaging/manifest.json",
        "/simple/%2e%2e/%2e%2e/dev/simple/demo/dev-only.txt",
        "/simple/demo/.hidden",
        "/simple/demo/%2ehidden",
        "/simple/demo/dev-only.txt",
        "/other.txt",
        "/simple/demo//demo-1.0.tar.gz/..",
    ] {
        let (s, _, b) = get(&app, uri).await;
        assert_eq!(s, StatusCode::NOT_FOUND, "{uri}: {b:?}");
        assert!(!String::from_utf8_lossy(&b).contains("secret"), "{uri}");
    }
    for uri in [
        "/simple/demo%2f..%2f..%2f.pypackaging/manifest.json",
        "/simple/demo/%5c..%5cx",
    ] {
        let (s, _, _) = get(&app, uri).await;
        assert_eq!(s, StatusCode::BAD_REQUEST, "{uri}");
    }
}

fn keys_file() -> (std::path::PathBuf, keys::KeyStore) {
    let path = std::env::temp_dir().join(format!("serve-from-keys-{}", std::process::id()));
    let read = keys::Scope::parse("read").unwrap();
    let upload = keys::Scope::parse("upload").unwrap();
    let text = format!(
        "{}\n{}\n",
        keys::line_for("reader-key", read, Some("reader")),
        keys::line_for("uploader-key", upload, Some("uploader"))
    );
    std::fs::write(&path, text).unwrap();
    let store = keys::KeyStore::open(Some(path.clone())).unwrap();
    (path, store)
}

#[tokio::test]
async fn keys_are_checked_before_the_store() {
    let (path, keys) = keys_file();
    let app = app_with(memory().await, keys, Duration::from_secs(5));
    let uri = format!("/{WHEEL_KEY}");
    let (s, h, _) = get(&app, &uri).await;
    assert_eq!(s, StatusCode::UNAUTHORIZED);
    assert!(hv(&h, header::WWW_AUTHENTICATE).starts_with("Basic"));
    let (s, _, _) = send(
        &app,
        Method::GET,
        &uri,
        &[(header::AUTHORIZATION, "Bearer wrong")],
    )
    .await;
    assert_eq!(s, StatusCode::UNAUTHORIZED);
    let (s, _, _) = send(
        &app,
        Method::GET,
        &uri,
        &[(header::AUTHORIZATION, "Bearer uploader-key")],
    )
    .await;
    assert_eq!(s, StatusCode::FORBIDDEN);
    let (s, _, b) = send(
        &app,
        Method::GET,
        &uri,
        &[(header::AUTHORIZATION, "Bearer reader-key")],
    )
    .await;
    assert_eq!((s, b.as_ref()), (StatusCode::OK, WHEEL));

    // Over a store that fails every call: 401/403 still, never a store request.
    let (_, keys) = keys_file();
    let store = Arc::new(Failing::default());
    let failing = app_with(Arc::clone(&store) as _, keys, Duration::from_secs(5));
    let (s, _, _) = get(&failing, "/simple/").await;
    assert_eq!(s, StatusCode::UNAUTHORIZED);
    let (s, _, _) = send(
        &failing,
        Method::GET,
        "/simple/",
        &[(header::AUTHORIZATION, "Bearer uploader-key")],
    )
    .await;
    assert_eq!(s, StatusCode::FORBIDDEN);
    assert_eq!(store.calls.load(std::sync::atomic::Ordering::SeqCst), 0);
    let (s, _, _) = send(
        &failing,
        Method::GET,
        "/simple/",
        &[(header::AUTHORIZATION, "Bearer reader-key")],
    )
    .await;
    assert_eq!(s, StatusCode::BAD_GATEWAY);
    assert!(store.calls.load(std::sync::atomic::Ordering::SeqCst) > 0);
    std::fs::remove_file(path).unwrap();
}

#[tokio::test]
async fn uploads_answer_405() {
    let app = app().await;
    let (s, h, b) = send(
        &app,
        Method::POST,
        "/",
        &[(header::CONTENT_TYPE, "multipart/form-data; boundary=x")],
    )
    .await;
    assert_eq!(s, StatusCode::METHOD_NOT_ALLOWED);
    assert_eq!(hv(&h, header::ALLOW), "GET, HEAD");
    let body = String::from_utf8_lossy(&b);
    assert!(
        body.contains("publish") && body.contains("build_index"),
        "{body}"
    );
    let (s, _, _) = send(&app, Method::PUT, "/simple/", &[]).await;
    assert_eq!(s, StatusCode::METHOD_NOT_ALLOWED);
    // With keys: a key is still needed to learn that.
    let (path, keys) = keys_file();
    let app = app_with(memory().await, keys, Duration::from_secs(5));
    let (s, _, _) = send(&app, Method::POST, "/", &[]).await;
    assert_eq!(s, StatusCode::UNAUTHORIZED);
    let (s, _, _) = send(
        &app,
        Method::POST,
        "/",
        &[(header::AUTHORIZATION, "Bearer uploader-key")],
    )
    .await;
    assert_eq!(s, StatusCode::METHOD_NOT_ALLOWED);
    std::fs::remove_file(path).unwrap();
}

/// A store that fails every call (as an unreachable endpoint or a 5xx does), or, with
/// `hang`, never answers.
#[derive(Debug, Default)]
struct Failing {
    hang: bool,
    calls: std::sync::atomic::AtomicU64,
}

impl std::fmt::Display for Failing {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Failing")
    }
}

impl Failing {
    async fn fail<T>(&self) -> object_store::Result<T> {
        self.calls.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
        if self.hang {
            futures_util::future::pending::<()>().await;
        }
        Err(object_store::Error::Generic {
            store: "Failing",
            source: "HTTP status server error (503 Service Unavailable)".into(),
        })
    }
}

#[async_trait::async_trait]
impl ObjectStore for Failing {
    async fn put_opts(
        &self,
        _: &Path,
        _: PutPayload,
        _: PutOptions,
    ) -> object_store::Result<PutResult> {
        self.fail().await
    }
    async fn put_multipart_opts(
        &self,
        _: &Path,
        _: PutMultipartOptions,
    ) -> object_store::Result<Box<dyn MultipartUpload>> {
        self.fail().await
    }
    async fn get_opts(&self, _: &Path, _: GetOptions) -> object_store::Result<GetResult> {
        self.fail().await
    }
    fn delete_stream(
        &self,
        _: BoxStream<'static, object_store::Result<Path>>,
    ) -> BoxStream<'static, object_store::Result<Path>> {
        Box::pin(futures_util::stream::empty())
    }
    fn list(&self, _: Option<&Path>) -> BoxStream<'static, object_store::Result<ObjectMeta>> {
        Box::pin(futures_util::stream::empty())
    }
    async fn list_with_delimiter(&self, _: Option<&Path>) -> object_store::Result<ListResult> {
        self.fail().await
    }
    async fn copy_opts(&self, _: &Path, _: &Path, _: CopyOptions) -> object_store::Result<()> {
        self.fail().await
    }
}

#[tokio::test]
async fn a_failing_store_is_502_quickly() {
    let keys = keys::KeyStore::open(None).unwrap();
    let app = app_with(Arc::new(Failing::default()), keys, Duration::from_secs(5));
    for (uri, range) in [
        ("/simple/", None),
        ("/simple/demo/", None),
        ("/simple/Demo", None),
        ("/simple/demo/demo-1.0.tar.gz", None),
        ("/simple/demo/demo-1.0.tar.gz", Some("bytes=0-1")),
        ("/requirements.txt", None),
    ] {
        let started = Instant::now();
        let headers: Vec<_> = range.map(|r| (header::RANGE, r)).into_iter().collect();
        let (s, _, b) = send(&app, Method::GET, uri, &headers).await;
        assert_eq!(s, StatusCode::BAD_GATEWAY, "{uri}");
        assert!(
            String::from_utf8_lossy(&b).contains("store is unavailable"),
            "{b:?}"
        );
        assert!(started.elapsed() < Duration::from_secs(2), "{uri}");
    }
    // A store that never answers: the timeout gives a 502.
    let keys = keys::KeyStore::open(None).unwrap();
    let app = app_with(
        Arc::new(Failing {
            hang: true,
            ..Failing::default()
        }),
        keys,
        Duration::from_millis(200),
    );
    let started = Instant::now();
    let (s, _, _) = get(&app, "/simple/demo/demo-1.0.tar.gz").await;
    assert_eq!(s, StatusCode::BAD_GATEWAY);
    let took = started.elapsed();
    assert!(
        took >= Duration::from_millis(200) && took < Duration::from_secs(2),
        "{took:?}"
    );
}

#[tokio::test]
async fn redirect_files_to_presigned_urls() {
    let signer = object_store::aws::AmazonS3Builder::new()
        .with_bucket_name("bucket")
        .with_region("us-east-1")
        .with_endpoint("http://127.0.0.1:9")
        .with_allow_http(true)
        .with_virtual_hosted_style_request(false)
        .with_access_key_id("AKIDEXAMPLE")
        .with_secret_access_key("secret")
        .build()
        .unwrap();
    let app = Arc::new(App {
        source: Source::Store(Remote {
            location: location(memory().await),
            timeout: Duration::from_secs(5),
            redirect: Some((Arc::new(signer), Duration::from_secs(300))),
        }),
        keys: keys::KeyStore::open(None).unwrap(),
        upload: false,
        max_upload: 1,
        idle: Duration::from_secs(30),
        project_locks: Default::default(),
        index_lock: tokio::sync::Mutex::new(()),
    });
    let (s, h, _) = get(&app, &format!("/{WHEEL_KEY}")).await;
    assert_eq!(s, StatusCode::FOUND);
    let location = hv(&h, header::LOCATION);
    assert!(
        location.starts_with(
            "http://127.0.0.1:9/bucket/idx/prod/simple/demo/demo-1.0-py3-none-any.whl?"
        ),
        "{location}"
    );
    assert!(
        location.contains("X-Amz-Expires=300") && location.contains("X-Amz-Signature="),
        "{location}"
    );
    assert_eq!(hv(&h, header::CACHE_CONTROL), "no-store");
    // HEAD, pages and requirements.txt are served from the store.
    let (s, _, _) = send(&app, Method::HEAD, &format!("/{WHEEL_KEY}"), &[]).await;
    assert_eq!(s, StatusCode::OK);
    let (s, _, b) = get(&app, "/simple/demo/").await;
    assert_eq!((s, b.as_ref()), (StatusCode::OK, DEMO_HTML.as_bytes()));
    let (s, _, _) = get(&app, "/requirements.txt").await;
    assert_eq!(s, StatusCode::OK);
    // Still only validated keys.
    let (s, _, _) = get(&app, "/simple/demo/%2e%2e/.pypackaging").await;
    assert_eq!(s, StatusCode::NOT_FOUND);
}

#[test]
fn the_cli() {
    Cli::command().debug_assert();
    let cli = Cli::try_parse_from([
        "serve",
        "--from",
        "s3://b/idx",
        "--stage",
        "prod",
        "--redirect-files",
        "60",
    ])
    .unwrap();
    assert_eq!(cli.from.as_deref(), Some("s3://b/idx"));
    assert_eq!(cli.store.stage.as_deref(), Some("prod"));
    assert_eq!(cli.redirect_files, Some(60));
    assert!(Cli::try_parse_from(["serve", "--from", "s3://b/idx", "out"]).is_err());
    assert!(Cli::try_parse_from(["serve", "--from", "s3://b/idx", "--upload"]).is_err());
    let cli = Cli::try_parse_from(["serve", "out", "--redirect-files", "60"]).unwrap();
    let err = crate::open_folder(&cli).unwrap_err();
    assert!(err.contains("go with --from"), "{err}");
    let cli = Cli::try_parse_from(["serve", "out", "--stage", "dev"]).unwrap();
    assert!(crate::open_folder(&cli).is_err());
    assert!(Cli::try_parse_from(["serve", "--from", "s3://b/idx", "--stage", "../x"]).is_err());
}

#[tokio::test]
async fn pages_from_the_store_are_compressed_files_are_not() {
    let app = app().await;
    let (s, h, b) = send(
        &app,
        Method::GET,
        "/simple/demo/",
        &[(header::ACCEPT, JSON), (header::ACCEPT_ENCODING, "gzip")],
    )
    .await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(hv(&h, header::CONTENT_ENCODING), "gzip");
    assert_eq!(&b[..2], b"\x1f\x8b");
    let uri = format!("/{WHEEL_KEY}");
    let (s, h, b) = send(
        &app,
        Method::GET,
        &uri,
        &[(header::ACCEPT_ENCODING, "gzip")],
    )
    .await;
    assert_eq!((s, b.as_ref()), (StatusCode::OK, WHEEL));
    assert_eq!(hv(&h, header::CONTENT_ENCODING), "");
}

/// The folder source still answers as before (the refactoring kept its path).
#[tokio::test]
async fn the_folder_source_still_serves() {
    let root = std::env::temp_dir().join(format!("serve-folder-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&root);
    std::fs::create_dir_all(root.join("simple/demo")).unwrap();
    std::fs::create_dir_all(root.join(".pypackaging")).unwrap();
    std::fs::write(root.join("simple/index.html"), ROOT_HTML).unwrap();
    std::fs::write(root.join("simple/index.json"), ROOT_JSON).unwrap();
    std::fs::write(root.join("simple/demo/index.html"), DEMO_HTML).unwrap();
    std::fs::write(root.join("simple/demo/index.json"), DEMO_JSON).unwrap();
    std::fs::write(root.join(WHEEL_KEY), WHEEL).unwrap();
    std::fs::write(root.join(".pypackaging/manifest.json"), b"{}").unwrap();
    let app = Arc::new(App {
        source: Source::Folder(root.clone()),
        keys: keys::KeyStore::open(None).unwrap(),
        upload: false,
        max_upload: 1,
        idle: Duration::from_secs(30),
        project_locks: Default::default(),
        index_lock: tokio::sync::Mutex::new(()),
    });
    let (s, _, b) = send(&app, Method::GET, "/simple/", &[(header::ACCEPT, JSON)]).await;
    assert_eq!((s, b.as_ref()), (StatusCode::OK, ROOT_JSON.as_bytes()));
    let (s, _, b) = get(&app, "/simple/demo/").await;
    assert_eq!((s, b.as_ref()), (StatusCode::OK, DEMO_HTML.as_bytes()));
    let (s, _, _) = get(&app, "/simple/Demo").await;
    assert_eq!(s, StatusCode::MOVED_PERMANENTLY);
    let uri = format!("/{WHEEL_KEY}");
    let (s, _, b) = send(&app, Method::GET, &uri, &[(header::RANGE, "bytes=2-5")]).await;
    assert_eq!((s, b.as_ref()), (StatusCode::PARTIAL_CONTENT, &WHEEL[2..6]));
    let (s, _, _) = get(&app, "/.pypackaging/manifest.json").await;
    assert_eq!(s, StatusCode::NOT_FOUND);
    let (s, _, _) = send(&app, Method::POST, "/", &[]).await;
    assert_eq!(s, StatusCode::METHOD_NOT_ALLOWED);
    std::fs::remove_dir_all(&root).unwrap();
}

/// The real S3 client against a loopback endpoint that answers 503 (or 404) to everything:
/// object_store's retries are cut by the store timeout, a 404 stays a 404.
#[tokio::test]
async fn a_real_s3_client_on_5xx_is_502_within_the_timeout() {
    let fake = axum::Router::new().fallback(|request: axum::extract::Request| async move {
        if request.uri().path().contains("missing") {
            StatusCode::NOT_FOUND
        } else {
            StatusCode::SERVICE_UNAVAILABLE
        }
    });
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, fake).await });
    let s3 = object_store::aws::AmazonS3Builder::new()
        .with_bucket_name("bucket")
        .with_region("us-east-1")
        .with_endpoint(format!("http://{addr}"))
        .with_allow_http(true)
        .with_virtual_hosted_style_request(false)
        .with_access_key_id("AKIDEXAMPLE")
        .with_secret_access_key("secret")
        .build()
        .unwrap();
    let app = app_with(
        Arc::new(s3),
        keys::KeyStore::open(None).unwrap(),
        Duration::from_millis(1500),
    );
    let started = Instant::now();
    let (s, _, b) = get(&app, "/simple/demo/demo-1.0.tar.gz").await;
    let took = started.elapsed();
    assert_eq!(s, StatusCode::BAD_GATEWAY, "{b:?}");
    assert!(took < Duration::from_secs(4), "{took:?}");
    let (s, _, _) = get(&app, "/simple/missing/").await;
    assert_eq!(s, StatusCode::NOT_FOUND);
}
