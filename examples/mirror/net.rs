//! Reading upstream URLs: `http://`, `https://` (through `ureq`) and `file://` (a static tree as
//! `build_index` writes it), with pip's rules for which origins are secure, and the
//! certificate authorities the user trusts.

use std::fs::File;
use std::io::Read;
use std::net::IpAddr;
use std::path::{Path, PathBuf};
use std::time::Duration;

use pypackaging::simple::{self, ProjectPage};
use ureq::ResponseExt;

/// What a project page request asks for: PEP 691 JSON first, HTML as the fallback.
pub const ACCEPT: &str = "application/vnd.pypi.simple.v1+json, \
     application/vnd.pypi.simple.v1+html;q=0.2, text/html;q=0.01";

/// An HTTP client plus the hosts the user trusts (`--trusted-host`).
pub struct Client {
    verifying: ureq::Agent,
    unverifying: ureq::Agent,
    trusted: Vec<String>,
}

/// A response body and what came with it.
pub struct Fetched {
    /// The body.
    pub body: Box<dyn Read + Send>,
    /// The `Content-Type`, if any.
    pub content_type: Option<String>,
    /// The URL after redirects (relative links resolve against it).
    pub url: String,
}

/// The certificate authorities TLS connections trust.
#[derive(Debug, Clone, Default)]
pub struct Roots(Option<ureq::tls::RootCerts>);

impl Roots {
    /// The certificates of `--cert PATH`, else of the `SSL_CERT_FILE` environment variable
    /// (OpenSSL's convention, which pip's and curl's trust stores follow too), else the Mozilla
    /// roots built into the binary.
    pub fn load(cert: Option<&Path>) -> Result<Roots, String> {
        let (path, from) = match cert {
            Some(path) => (path.to_path_buf(), "--cert"),
            None => match std::env::var_os("SSL_CERT_FILE") {
                Some(path) if !path.is_empty() => (PathBuf::from(path), "SSL_CERT_FILE"),
                _ => return Ok(Roots(None)),
            },
        };
        let pem = std::fs::read(&path).map_err(|e| format!("{from} `{}`: {e}", path.display()))?;
        let mut certs = Vec::new();
        for item in ureq::tls::parse_pem(&pem) {
            match item {
                Ok(ureq::tls::PemItem::Certificate(c)) => certs.push(c),
                Ok(_) => {}
                Err(e) => return Err(format!("{from} `{}`: {e}", path.display())),
            }
        }
        if certs.is_empty() {
            return Err(format!(
                "{from} `{}`: expected PEM certificates, found none",
                path.display()
            ));
        }
        Ok(Roots(Some(ureq::tls::RootCerts::new_with_certs(&certs))))
    }
}

fn agent(verify: bool, roots: &Roots) -> ureq::Agent {
    let mut tls = ureq::tls::TlsConfig::builder().disable_verification(!verify);
    if let Some(roots) = &roots.0 {
        tls = tls.root_certs(roots.clone());
    }
    let tls = tls.build();
    ureq::Agent::config_builder()
        .http_status_as_error(false)
        .timeout_connect(Some(Duration::from_secs(30)))
        // A stalled connection fails; a large file on a slow link does not.
        .timeout_per_read(Some(Duration::from_secs(60)))
        .user_agent(concat!("pypackaging-mirror/", env!("CARGO_PKG_VERSION")))
        .tls_config(tls)
        .build()
        .into()
}

/// pip's secure origins that need no `--trusted-host`: loopback addresses and `localhost`.
fn is_loopback(host: &str) -> bool {
    let host = host.trim_start_matches('[').trim_end_matches(']');
    host.eq_ignore_ascii_case("localhost")
        || host.parse::<IpAddr>().is_ok_and(|ip| ip.is_loopback())
}

impl Client {
    /// A client trusting `trusted` hosts (`host` for any port, `host:port` for one).
    pub fn new(trusted: Vec<String>, roots: &Roots) -> Client {
        Client {
            verifying: agent(true, roots),
            unverifying: agent(false, roots),
            trusted,
        }
    }

    /// Whether `url`'s host is trusted, as pip matches `--trusted-host`: `host` matches every
    /// port, `host:port` only that one.
    fn is_trusted(&self, url: &url::Url) -> bool {
        let Some(host) = url.host_str() else {
            return false;
        };
        let port = url.port_or_known_default();
        self.trusted.iter().any(|t| match t.rsplit_once(':') {
            Some((h, p)) if !t.ends_with(']') && p.parse::<u16>().is_ok() => {
                h.eq_ignore_ascii_case(host) && p.parse::<u16>().ok() == port
            }
            _ => t.eq_ignore_ascii_case(host),
        })
    }

    /// Opens `url`. `Ok(None)` for a 404 or a missing file.
    pub fn open(&self, url: &str, accept: Option<&str>) -> Result<Option<Fetched>, String> {
        let parsed = url::Url::parse(url).map_err(|e| format!("invalid URL `{url}`: {e}"))?;
        match parsed.scheme() {
            "file" => open_file(&parsed),
            scheme @ ("http" | "https") => {
                let trusted = self.is_trusted(&parsed);
                let host = parsed.host_str().unwrap_or_default();
                if scheme == "http" && !trusted && !is_loopback(host) {
                    return Err(format!(
                        "`{url}` is not a trusted or secure host: use https, or pass \
                         `--trusted-host {host}` as pip requires"
                    ));
                }
                // pip's `--trusted-host` also turns TLS certificate checks off for the host.
                let agent = if trusted {
                    &self.unverifying
                } else {
                    &self.verifying
                };
                let mut request = agent.get(url);
                if let Some(accept) = accept {
                    request = request.header("Accept", accept);
                }
                let response = request.call().map_err(|e| format!("`{url}`: {e}"))?;
                let status = response.status();
                if status == 404 {
                    return Ok(None);
                }
                if !status.is_success() {
                    return Err(format!("`{url}`: HTTP status {status}"));
                }
                let header = |name: &str| {
                    response
                        .headers()
                        .get(name)
                        .and_then(|v| v.to_str().ok())
                        .map(str::to_owned)
                };
                let content_type = header("content-type");
                let final_url = response.get_uri().to_string();
                Ok(Some(Fetched {
                    body: Box::new(response.into_body().into_reader()),
                    content_type,
                    url: final_url,
                }))
            }
            other => Err(format!("unsupported URL scheme `{other}` in `{url}`")),
        }
    }

    /// The whole body at `url` (for requirements files and pages).
    pub fn get_bytes(
        &self,
        url: &str,
        accept: Option<&str>,
    ) -> Result<Option<(Vec<u8>, Fetched)>, String> {
        let Some(mut fetched) = self.open(url, accept)? else {
            return Ok(None);
        };
        let mut bytes = Vec::new();
        fetched
            .body
            .read_to_end(&mut bytes)
            .map_err(|e| format!("reading `{url}`: {e}"))?;
        Ok(Some((bytes, fetched)))
    }

    /// The project page of `project` (normalized) on the index at `index_url`, or `None` when
    /// the index does not have it. JSON when the server answers with it, HTML otherwise.
    pub fn project_page(
        &self,
        index_url: &str,
        project: &str,
    ) -> Result<Option<ProjectPage>, String> {
        let url = format!("{}/{project}/", index_url.trim_end_matches('/'));
        let Some((bytes, fetched)) = self.get_bytes(&url, Some(ACCEPT))? else {
            return Ok(None);
        };
        let text = String::from_utf8(bytes).map_err(|_| format!("`{url}`: page is not UTF-8"))?;
        let json = fetched.content_type.as_deref().is_some_and(|t| {
            t.trim_start()
                .starts_with("application/vnd.pypi.simple.v1+json")
        });
        let parsed = if json {
            simple::json::parse_project_page(&text, &fetched.url)
        } else {
            simple::html::parse_project_page(&text, &fetched.url)
        };
        parsed
            .map(|p| Some(p.value))
            .map_err(|e| format!("`{}`: {e}", fetched.url))
    }
}

/// A `file:` URL: a file, or for a directory its `index.json` (as served with JSON) or
/// `index.html`.
fn open_file(url: &url::Url) -> Result<Option<Fetched>, String> {
    let path: PathBuf = url
        .to_file_path()
        .map_err(|()| format!("`{url}` is not a local file URL"))?;
    let (path, content_type) = if path.is_dir() {
        let json = path.join("index.json");
        if json.is_file() {
            (json, Some(simple::negotiate::Format::JsonV1.content_type()))
        } else {
            (path.join("index.html"), Some("text/html"))
        }
    } else {
        (path, None)
    };
    match File::open(&path) {
        Ok(file) => Ok(Some(Fetched {
            body: Box::new(file),
            content_type: content_type.map(str::to_owned),
            url: url.to_string(),
        })),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(format!("`{}`: {e}", path.display())),
    }
}

/// The files a `--find-links` location offers, as pip reads it: a local folder (every file in
/// it, linked by `file:` URL, with no hash: the requirement's `--hash` values check it), or an
/// HTML page of links, local or over HTTP(S) (parsed by the crate's simple HTML parser, so a
/// `#sha256=` fragment is a hash the bytes must match). A missing location is an error.
pub fn find_links(client: &Client, location: &str) -> Result<Vec<simple::File>, String> {
    let lower = location.to_ascii_lowercase();
    let is_url =
        lower.starts_with("http:") || lower.starts_with("https:") || lower.starts_with("file:");
    let local = if lower.starts_with("file:") {
        url::Url::parse(location)
            .ok()
            .and_then(|u| u.to_file_path().ok())
    } else if is_url {
        None
    } else {
        Some(PathBuf::from(location))
    };
    if let Some(path) = &local
        && path.is_dir()
    {
        let dir = path
            .canonicalize()
            .map_err(|e| format!("--find-links `{location}`: {e}"))?;
        let mut files = Vec::new();
        let entries =
            std::fs::read_dir(&dir).map_err(|e| format!("--find-links `{location}`: {e}"))?;
        for entry in entries.flatten() {
            if !entry.file_type().is_ok_and(|t| t.is_file()) {
                continue;
            }
            let Ok(name) = entry.file_name().into_string() else {
                continue;
            };
            let Ok(url) = url::Url::from_file_path(dir.join(&name)) else {
                continue;
            };
            files.push(simple::File::new(name, url.to_string()));
        }
        files.sort_by(|a, b| a.filename.cmp(&b.filename));
        return Ok(files);
    }
    let (text, page_url) = match &local {
        Some(path) if !is_url => {
            let path = path
                .canonicalize()
                .map_err(|e| format!("--find-links `{location}`: {e}"))?;
            let text = std::fs::read_to_string(&path)
                .map_err(|e| format!("--find-links `{location}`: {e}"))?;
            let url = url::Url::from_file_path(&path)
                .map_err(|()| format!("--find-links `{location}`: not an absolute path"))?;
            (text, url.to_string())
        }
        _ => {
            let Some((bytes, fetched)) = client.get_bytes(location, Some("text/html"))? else {
                return Err(format!("--find-links `{location}`: not found"));
            };
            let text = String::from_utf8(bytes)
                .map_err(|_| format!("--find-links `{location}`: page is not UTF-8"))?;
            (text, fetched.url)
        }
    };
    simple::html::parse_project_page(&text, &page_url)
        .map(|p| p.value.files)
        .map_err(|e| format!("--find-links `{location}`: {e}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn url(s: &str) -> url::Url {
        url::Url::parse(s).unwrap()
    }

    #[test]
    fn loopback_is_secure_without_trust() {
        assert!(is_loopback("127.0.0.1"));
        assert!(is_loopback("127.8.9.1"));
        assert!(is_loopback("[::1]"));
        assert!(is_loopback("LocalHost"));
        assert!(!is_loopback("10.0.0.1"));
        assert!(!is_loopback("localhost.example"));
    }

    #[test]
    fn trusted_host_matches_as_pip_does() {
        let client = Client::new(
            vec!["mirror.internal".into(), "pkgs.internal:8443".into()],
            &Roots::default(),
        );
        assert!(client.is_trusted(&url("http://mirror.internal/simple/")));
        assert!(client.is_trusted(&url("https://MIRROR.internal:9000/simple/")));
        assert!(client.is_trusted(&url("https://pkgs.internal:8443/simple/")));
        assert!(!client.is_trusted(&url("https://pkgs.internal/simple/")));
        assert!(!client.is_trusted(&url("https://other.internal/simple/")));
    }

    #[test]
    fn plain_http_to_an_untrusted_host_is_refused_before_connecting() {
        let client = Client::new(Vec::new(), &Roots::default());
        let Err(message) = client.open("http://mirror.internal/simple/x/", None) else {
            panic!("an untrusted http host was accepted");
        };
        assert_eq!(
            message,
            "`http://mirror.internal/simple/x/` is not a trusted or secure host: use https, or \
             pass `--trusted-host mirror.internal` as pip requires"
        );
        let Err(message) = client.open("ftp://mirror.internal/x", None) else {
            panic!("ftp was accepted");
        };
        assert_eq!(
            message,
            "unsupported URL scheme `ftp` in `ftp://mirror.internal/x`"
        );
    }

    #[test]
    fn roots_come_from_a_pem_file() {
        let dir = std::env::temp_dir().join(format!("mirror-roots-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let empty = dir.join("empty.pem");
        std::fs::write(&empty, b"no certificates here\n").unwrap();
        let err = Roots::load(Some(&empty)).unwrap_err();
        assert!(
            err.starts_with("--cert `")
                && err.ends_with("`: expected PEM certificates, found none"),
            "{err}"
        );
        let err = Roots::load(Some(&dir.join("missing.pem"))).unwrap_err();
        assert!(err.starts_with("--cert `"), "{err}");
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn file_urls_read_directories_as_json_pages() {
        let dir = std::env::temp_dir().join(format!("mirror-net-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(dir.join("index.json"), b"{}").unwrap();
        let client = Client::new(Vec::new(), &Roots::default());
        let fetched = client
            .open(url::Url::from_directory_path(&dir).unwrap().as_str(), None)
            .unwrap()
            .unwrap();
        assert_eq!(
            fetched.content_type.as_deref(),
            Some("application/vnd.pypi.simple.v1+json")
        );
        assert!(
            client
                .open(
                    url::Url::from_file_path(dir.join("missing.whl"))
                        .unwrap()
                        .as_str(),
                    None
                )
                .unwrap()
                .is_none()
        );
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
