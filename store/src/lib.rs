//! An index built by `build_index` on an object store: where it lives ([`Location`], opened
//! from `s3://bucket/prefix` or a folder), what of it this crate wrote ([`manifest`]),
//! carrying out a publish plan ([`publish`]) and promoting a release between stages
//! ([`promote`]).
//!
//! The keys under a location are those of `pypackaging::index::publish` (`simple/…`,
//! `requirements.txt`), plus `.pypackaging/manifest.json`, the record of every key the
//! publisher wrote. A stage (`--stage dev`) is one more prefix: `s3://b/idx --stage prod` is
//! `s3://b/idx/prod/`, so the stages of one bucket never share a key.
//!
//! All I/O of the library `pypackaging` happens here and in the binaries: the library plans,
//! this crate carries the plan out.

use std::net::IpAddr;
use std::sync::Arc;
use std::time::Duration;

use object_store::aws::AmazonS3Builder;
use object_store::local::LocalFileSystem;
use object_store::path::Path;
use object_store::{ClientOptions, ObjectStore, RetryConfig};

pub mod manifest;
pub mod promote;
pub mod publish;

/// Where an index lives: a store and the prefix of its keys.
#[derive(Debug, Clone)]
pub struct Location {
    /// The store.
    pub store: Arc<dyn ObjectStore>,
    /// The prefix every key of the index is under: the base and the stage.
    pub prefix: Path,
    /// The prefix as given, without the stage.
    pub base: Path,
    /// The store itself for messages: `s3://bucket` or `file:///dir`.
    pub origin: String,
    /// Whether the store is S3 (presigned URLs, server-side copy) rather than a folder.
    pub is_s3: bool,
    /// The store's URL signer (presigned GETs), for S3.
    pub signer: Option<Arc<dyn object_store::signer::Signer>>,
}

impl Location {
    /// The location of `stage` (or of the base, for `None`) in the same store.
    pub fn at_stage(&self, stage: Option<&str>) -> Location {
        Location {
            store: Arc::clone(&self.store),
            prefix: match stage {
                Some(s) => self.base.clone().join(s),
                None => self.base.clone(),
            },
            base: self.base.clone(),
            origin: self.origin.clone(),
            is_s3: self.is_s3,
            signer: self.signer.clone(),
        }
    }

    /// The store path of an index key (`simple/demo/index.html`) under the prefix.
    pub fn path(&self, key: &str) -> Path {
        let mut parts: Vec<object_store::path::PathPart<'_>> = self.prefix.parts().collect();
        parts.extend(key.split('/').filter(|p| !p.is_empty()).map(Into::into));
        Path::from_iter(parts)
    }

    /// The index key of a store path under the prefix, or `None` when it is outside.
    pub fn key(&self, path: &Path) -> Option<String> {
        let rest: Vec<String> = path
            .prefix_match(&self.prefix)?
            .map(|p| p.as_ref().to_owned())
            .collect();
        (!rest.is_empty()).then(|| rest.join("/"))
    }
}

impl std::fmt::Display for Location {
    /// `s3://bucket/idx/prod/`.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}{}", self.origin, stage_suffix(&self.prefix))
    }
}

fn stage_suffix(prefix: &Path) -> String {
    if prefix.as_ref().is_empty() {
        "/".to_owned()
    } else {
        format!("/{}/", prefix.as_ref())
    }
}

/// How to reach a store: the flags every command that opens one takes.
#[derive(Debug, Clone, Default, clap::Args)]
pub struct StoreArgs {
    /// The S3 endpoint (`http://127.0.0.1:3900` for a local Garage); default: AWS_ENDPOINT_URL,
    /// or AWS itself.
    #[arg(long, value_name = "URL")]
    pub endpoint: Option<String>,
    /// The region; default: AWS_REGION or AWS_DEFAULT_REGION, else `us-east-1`.
    #[arg(long)]
    pub region: Option<String>,
    /// Allow plain `http://` to the endpoint: only for a loopback endpoint.
    #[arg(long)]
    pub allow_http: bool,
    /// The stage: its name is one more key prefix (`dev`, `test`, `prod`).
    #[arg(long, value_parser = parse_stage)]
    pub stage: Option<String>,
}

/// A stage name: letters, digits, `-`, `_`, not starting with `.`.
pub fn parse_stage(value: &str) -> Result<String, String> {
    if !value.is_empty()
        && value.len() <= 64
        && value
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
    {
        Ok(value.to_owned())
    } else {
        Err(format!(
            "`{value}` is not a stage name (letters, digits, `-` and `_`, at most 64)"
        ))
    }
}

/// Whether a URL's host is a loopback address (or `localhost`).
pub fn is_loopback(url: &url::Url) -> bool {
    match url.host() {
        Some(url::Host::Domain(d)) => d == "localhost",
        Some(url::Host::Ipv4(a)) => IpAddr::V4(a).is_loopback(),
        Some(url::Host::Ipv6(a)) => IpAddr::V6(a).is_loopback(),
        None => false,
    }
}

impl StoreArgs {
    /// Opens `s3://bucket[/prefix]`, `file:///dir` or a folder path, at the stage given.
    ///
    /// S3 credentials and the endpoint come from the usual AWS environment variables
    /// (`AWS_ACCESS_KEY_ID`, `AWS_SECRET_ACCESS_KEY`, `AWS_SESSION_TOKEN`, `AWS_REGION`,
    /// `AWS_ENDPOINT_URL`), the flags overriding them. Transient failures (5xx, timeouts,
    /// connection resets) are retried with backoff, up to 5 times within 60 s per request.
    ///
    /// # Errors
    ///
    /// A URL of another scheme, a bucket missing, plain http to a host that is not loopback, or
    /// a folder that does not exist.
    pub fn open(&self, target: &str) -> Result<Location, String> {
        let mut signer: Option<Arc<dyn object_store::signer::Signer>> = None;
        let (store, base, origin, is_s3): (Arc<dyn ObjectStore>, Path, String, bool) =
            if let Some(rest) = target.strip_prefix("s3://") {
                let (bucket, prefix) = rest.split_once('/').unwrap_or((rest, ""));
                if bucket.is_empty() {
                    return Err(format!("`{target}`: no bucket (write s3://BUCKET/PREFIX)"));
                }
                let prefix = Path::from_iter(prefix.split('/').filter(|p| !p.is_empty()));
                let s3 = Arc::new(self.s3(bucket)?);
                signer = Some(s3.clone());
                (s3, prefix, format!("s3://{bucket}"), true)
            } else if target.contains("://") && !target.starts_with("file://") {
                return Err(format!(
                    "`{target}`: not s3://BUCKET/PREFIX, file:///DIR or a folder"
                ));
            } else {
                let dir = std::path::Path::new(target.strip_prefix("file://").unwrap_or(target));
                let dir = dir
                    .canonicalize()
                    .map_err(|e| format!("`{}`: {e}", dir.display()))?;
                if !dir.is_dir() {
                    return Err(format!("`{}` is not a folder", dir.display()));
                }
                let store = LocalFileSystem::new_with_prefix(&dir).map_err(|e| e.to_string())?;
                let origin = format!("file://{}", dir.display());
                (Arc::new(store), Path::default(), origin, false)
            };
        let location = Location {
            store,
            prefix: base.clone(),
            base,
            origin,
            is_s3,
            signer,
        };
        Ok(location.at_stage(self.stage.as_deref()))
    }

    fn s3(&self, bucket: &str) -> Result<object_store::aws::AmazonS3, String> {
        let mut builder = AmazonS3Builder::from_env().with_bucket_name(bucket);
        if let Some(endpoint) = &self.endpoint {
            builder = builder.with_endpoint(endpoint);
        }
        if let Some(region) = &self.region {
            builder = builder.with_region(region);
        } else if std::env::var_os("AWS_REGION").is_none()
            && std::env::var_os("AWS_DEFAULT_REGION").is_none()
        {
            builder = builder.with_region("us-east-1");
        }
        let endpoint = self
            .endpoint
            .clone()
            .or_else(|| std::env::var("AWS_ENDPOINT_URL").ok())
            .or_else(|| std::env::var("AWS_ENDPOINT").ok());
        let allow_http = self.allow_http
            || std::env::var("AWS_ALLOW_HTTP").is_ok_and(|v| v.eq_ignore_ascii_case("true"));
        if let Some(endpoint) = &endpoint {
            let url =
                url::Url::parse(endpoint).map_err(|e| format!("--endpoint `{endpoint}`: {e}"))?;
            if url.scheme() == "http" {
                if !allow_http {
                    return Err(format!(
                        "--endpoint `{endpoint}` is plain http: pass --allow-http (loopback only)"
                    ));
                }
                if !is_loopback(&url) {
                    return Err(format!(
                        "--endpoint `{endpoint}` is plain http to a host that is not loopback: \
                         credentials and packages would cross the network unencrypted"
                    ));
                }
            }
            // A custom endpoint (Garage, MinIO) takes the bucket in the path.
            builder = builder.with_virtual_hosted_style_request(false);
        }
        builder = builder
            .with_retry(RetryConfig {
                max_retries: 5,
                retry_timeout: Duration::from_secs(60),
                ..RetryConfig::default()
            })
            .with_client_options(
                // Client options carry allow_http: set it here, or it is reset.
                ClientOptions::new()
                    .with_allow_http(allow_http)
                    .with_connect_timeout(Duration::from_secs(10))
                    .with_timeout(Duration::from_secs(300)),
            );
        builder.build().map_err(|e| format!("s3://{bucket}: {e}"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stages_are_prefixes_and_keys_round_trip() {
        let args = StoreArgs {
            stage: Some("prod".into()),
            ..StoreArgs::default()
        };
        let dir = tempfile::tempdir().unwrap();
        let loc = args.open(dir.path().to_str().unwrap()).unwrap();
        assert_eq!(loc.prefix.as_ref(), "prod");
        let path = loc.path("simple/demo/demo-1.0+local-py3-none-any.whl");
        assert_eq!(
            loc.key(&path).as_deref(),
            Some("simple/demo/demo-1.0+local-py3-none-any.whl")
        );
        assert!(loc.to_string().ends_with("/prod/"), "{loc}");
        assert_eq!(loc.key(&Path::from("dev/simple/index.html")), None);
    }

    #[test]
    fn plain_http_only_to_loopback() {
        let args = StoreArgs {
            endpoint: Some("http://10.0.0.1:3900".into()),
            allow_http: true,
            ..StoreArgs::default()
        };
        let err = args.open("s3://bucket/idx").unwrap_err();
        assert!(err.contains("not loopback"), "{err}");
        let args = StoreArgs {
            endpoint: Some("http://127.0.0.1:3900".into()),
            ..StoreArgs::default()
        };
        let err = args.open("s3://bucket/idx").unwrap_err();
        assert!(err.contains("--allow-http"), "{err}");
        let args = StoreArgs {
            endpoint: Some("http://127.0.0.1:3900".into()),
            allow_http: true,
            stage: Some("dev".into()),
            ..StoreArgs::default()
        };
        let loc = args.open("s3://bucket/idx/").unwrap();
        assert_eq!(loc.prefix.as_ref(), "idx/dev");
        assert_eq!(loc.to_string(), "s3://bucket/idx/dev/");
        assert!(parse_stage("../x").is_err());
    }
}
