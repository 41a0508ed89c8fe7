//! The legacy upload API that twine speaks: the form's fields, their core metadata, and the
//! checks an index makes before it takes a file.
//!
//! `twine upload --repository-url URL` posts one `multipart/form-data` request per file to
//! `URL` itself, with `:action=file_upload`, `protocol_version=1`, the file's core metadata as
//! fields named by their [PEP 566 JSON keys](https://peps.python.org/pep-0566/#json-compatible-metadata)
//! (`name`, `version`, `metadata_version`, `requires_dist` repeated, `classifiers`,
//! `project_urls`, ...), `filetype` (`bdist_wheel` or `sdist`), `pyversion` (the wheel's
//! Python tag, `source` for an sdist), the digests it computed (`md5_digest`,
//! `sha256_digest`, `blake2_256_digest`, hex) and the file itself as the `content` part.
//! The API is described in warehouse's documentation ("Upload API"); PyPI's checks live in
//! warehouse's `warehouse/forklift/legacy.py`.
//!
//! Nothing here does I/O. A server collects the text fields into an [`UploadForm`] with
//! [`UploadForm::from_pairs`], streams the file to storage while hashing it, and then asks,
//! in this order:
//!
//! 1. [`UploadForm::check_file`]: the form is a `file_upload` of protocol 1 with a valid name
//!    and version, the filename parses as a wheel or an sdist of that project and version
//!    (names compared normalized, versions compared as PEP 440 versions), and `filetype` and
//!    `pyversion` agree with the filename;
//! 2. [`UploadForm::check_digests`]: at least one digest is given, and each digest given
//!    matches the one computed over the bytes received;
//! 3. [`check_dist`]: the file's own verdict ([`crate::metadata::check_wheel`] or
//!    [`crate::metadata::check_sdist`]) is installable, and its `METADATA` / `PKG-INFO` names
//!    the same project and version as the form;
//! 4. [`check_existing`]: a file of the same name already stored is either the same bytes
//!    (a no-op, as PyPI answers a repeated upload of the same file) or refused.
//!
//! Every error is an [`UploadError`], whose message a server sends back as a 400's reason
//! (twine prints it).
//!
//! # Examples
//!
//! ```
//! use pypackaging::upload::UploadForm;
//!
//! let form = UploadForm::from_pairs([
//!     (":action", "file_upload"),
//!     ("protocol_version", "1"),
//!     ("metadata_version", "2.1"),
//!     ("name", "Demo"),
//!     ("version", "1.0"),
//!     ("requires_dist", "idna>=3"),
//!     ("requires_dist", "certifi"),
//!     ("filetype", "bdist_wheel"),
//!     ("pyversion", "py3"),
//!     ("sha256_digest", "ab"),
//! ])?;
//! let filename = form.check_file("demo-1.0-py3-none-any.whl")?;
//! assert_eq!(filename.name().unwrap().as_str(), "demo");
//! let raw = form.to_raw_metadata();
//! assert_eq!(raw.get_all(pypackaging::metadata::Field::RequiresDist), ["idna>=3", "certifi"]);
//! # Ok::<(), pypackaging::upload::UploadError>(())
//! ```

use std::collections::BTreeMap;
use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

use crate::diagnostic::Quoted;
use crate::filename::DistFilename;
use crate::hash::{Digest, HashAlgorithm};
use crate::metadata::{
    CoreMetadata, DistCheck, Field, MetadataErrors, MetadataVersion, RawMetadata,
};
use crate::name::PackageName;
use crate::version::Version;

/// The digests a server computed over the bytes it received, as lower-case hex.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ComputedDigests {
    /// SHA-256.
    pub sha256: String,
    /// MD5, when computed.
    pub md5: Option<String>,
    /// BLAKE2b with a 256-bit digest, when computed.
    pub blake2_256: Option<String>,
}

/// The text fields of one upload request (everything but the `content` part).
///
/// Metadata fields are kept by their core metadata header name (`Requires-Dist`), each with
/// its values in the order given; fields the form may carry that are not core metadata
/// (`comment`, `gpg_signature`, `attestations`, ...) are listed in [`ignored`](Self::ignored).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct UploadForm {
    /// `:action` (`file_upload`).
    pub action: Option<String>,
    /// `protocol_version` (`1`).
    pub protocol_version: Option<String>,
    /// `filetype`: `bdist_wheel` or `sdist`.
    pub filetype: Option<String>,
    /// `pyversion`: the wheel's Python tag, `source` for an sdist.
    pub pyversion: Option<String>,
    /// `md5_digest`, hex.
    pub md5_digest: Option<String>,
    /// `sha256_digest`, hex.
    pub sha256_digest: Option<String>,
    /// `blake2_256_digest`, hex.
    pub blake2_256_digest: Option<String>,
    /// The core metadata fields, by header name, each with its values in order.
    pub metadata: BTreeMap<String, Vec<String>>,
    /// The names of the other fields, in order, each once.
    pub ignored: Vec<String>,
}

/// The core metadata field a form field names: its PEP 566 JSON key, or that key with an `s`
/// (twine sends `classifiers`, `project_urls`, `license_files` for the multiple-use fields).
fn form_field(key: &str) -> Option<Field> {
    Field::ALL.iter().copied().find(|f| {
        let json = f.json_key();
        key == json
            || (f.is_multiple_use()
                && key.len() == json.len() + 1
                && key.starts_with(&json)
                && key.ends_with('s'))
    })
}

impl UploadForm {
    /// Collects the text fields of an upload, in the order received.
    ///
    /// Empty values are dropped (twine sends every key it knows, empty when the metadata has
    /// no value).
    ///
    /// # Errors
    ///
    /// A field that may be given once (a protocol field, or a single-use metadata field)
    /// given twice with two non-empty values ([`UploadError::Repeated`]).
    pub fn from_pairs<K: AsRef<str>, V: AsRef<str>>(
        pairs: impl IntoIterator<Item = (K, V)>,
    ) -> Result<UploadForm, UploadError> {
        let mut form = UploadForm::default();
        for (key, value) in pairs {
            let (key, value) = (key.as_ref(), value.as_ref());
            if value.is_empty() {
                continue;
            }
            let slot = match key {
                ":action" => Some(&mut form.action),
                "protocol_version" => Some(&mut form.protocol_version),
                "filetype" => Some(&mut form.filetype),
                "pyversion" => Some(&mut form.pyversion),
                "md5_digest" => Some(&mut form.md5_digest),
                "sha256_digest" => Some(&mut form.sha256_digest),
                "blake2_256_digest" => Some(&mut form.blake2_256_digest),
                _ => None,
            };
            if let Some(slot) = slot {
                if slot.as_deref().is_some_and(|v| v != value) {
                    return Err(UploadError::Repeated {
                        field: key.to_owned(),
                    });
                }
                *slot = Some(value.to_owned());
                continue;
            }
            match form_field(key) {
                Some(field) => {
                    let values = form.metadata.entry(field.as_str().to_owned()).or_default();
                    if !field.is_multiple_use() && values.first().is_some_and(|v| v != value) {
                        return Err(UploadError::Repeated {
                            field: key.to_owned(),
                        });
                    }
                    if field.is_multiple_use() || values.is_empty() {
                        values.push(value.to_owned());
                    }
                }
                None => {
                    if !form.ignored.iter().any(|k| k == key) {
                        form.ignored.push(key.to_owned());
                    }
                }
            }
        }
        Ok(form)
    }

    /// The first value of a metadata field.
    pub fn get(&self, field: Field) -> Option<&str> {
        self.metadata
            .get(field.as_str())
            .and_then(|v| v.first())
            .map(String::as_str)
    }

    /// The form's metadata fields as core metadata, unvalidated.
    pub fn to_raw_metadata(&self) -> RawMetadata {
        let mut raw = RawMetadata::new();
        for (name, values) in &self.metadata {
            if let Some(field) = Field::from_name(name) {
                raw.set(field, values.clone());
            }
        }
        raw
    }

    /// The form's metadata fields as validated core metadata.
    ///
    /// # Errors
    ///
    /// Every field that does not validate, as [`RawMetadata::validate`] reports them.
    pub fn core_metadata(&self) -> Result<CoreMetadata, MetadataErrors> {
        self.to_raw_metadata().validate()
    }

    /// The project name the form gives, checked.
    fn name(&self) -> Result<PackageName, UploadError> {
        let name = self
            .get(Field::Name)
            .ok_or(UploadError::MissingField { field: "name" })?;
        PackageName::from_str(name).map_err(|e| UploadError::InvalidName {
            name: name.to_owned(),
            reason: e.to_string(),
        })
    }

    /// The version the form gives, checked.
    fn version(&self) -> Result<Version, UploadError> {
        let version = self
            .get(Field::Version)
            .ok_or(UploadError::MissingField { field: "version" })?;
        crate::version::parse_version(version).map_err(|e| UploadError::InvalidVersion {
            version: version.to_owned(),
            reason: e.to_string(),
        })
    }

    /// Checks the form and the uploaded file's name against each other (step 1 of the
    /// [module](self) order) and returns the parsed filename.
    ///
    /// # Errors
    ///
    /// The first problem found, in this order: `:action` missing or not `file_upload`,
    /// `protocol_version` not `1`, `metadata_version` not a known version, `name` or `version`
    /// missing or invalid, the filename not a valid wheel or sdist filename, its project or
    /// version not the form's, `filetype` or `pyversion` not agreeing with the filename.
    pub fn check_file(&self, filename: &str) -> Result<DistFilename, UploadError> {
        match self.action.as_deref() {
            None => return Err(UploadError::MissingField { field: ":action" }),
            Some("file_upload") => {}
            Some(other) => {
                return Err(UploadError::Action {
                    action: other.to_owned(),
                });
            }
        }
        if let Some(v) = self.protocol_version.as_deref()
            && v != "1"
        {
            return Err(UploadError::ProtocolVersion {
                given: v.to_owned(),
            });
        }
        let metadata_version =
            self.get(Field::MetadataVersion)
                .ok_or(UploadError::MissingField {
                    field: "metadata_version",
                })?;
        MetadataVersion::from_str(metadata_version).map_err(|e| UploadError::MetadataVersion {
            reason: e.to_string(),
        })?;
        let name = self.name()?;
        let version = self.version()?;
        let dist = match DistFilename::parse(filename) {
            Ok(d @ (DistFilename::Wheel(_) | DistFilename::Sdist(_))) => d,
            Ok(DistFilename::Other(_)) => {
                return Err(UploadError::Filename {
                    filename: filename.to_owned(),
                    reason: "not a wheel (`.whl`) or an sdist (`.tar.gz`, `.zip`)".to_owned(),
                });
            }
            Err(e) => {
                return Err(UploadError::Filename {
                    filename: filename.to_owned(),
                    reason: e.to_string(),
                });
            }
        };
        let file_name = dist.name().expect("a wheel or an sdist");
        if *file_name != name {
            return Err(UploadError::FilenameProject {
                filename: filename.to_owned(),
                name: self.get(Field::Name).unwrap_or_default().to_owned(),
                prefix: name.as_underscored().into_owned(),
            });
        }
        let file_version = dist.version().expect("a wheel or an sdist");
        if *file_version != version {
            return Err(UploadError::FilenameVersion {
                filename: filename.to_owned(),
                form: version.to_string(),
                file: file_version.to_string(),
            });
        }
        let (expected, is_wheel) = match &dist {
            DistFilename::Wheel(_) => ("bdist_wheel", true),
            _ => ("sdist", false),
        };
        let filetype = self
            .filetype
            .as_deref()
            .ok_or(UploadError::MissingField { field: "filetype" })?;
        if filetype != expected {
            return Err(UploadError::Filetype {
                filetype: filetype.to_owned(),
                filename: filename.to_owned(),
                expected,
            });
        }
        let fits = match (is_wheel, self.pyversion.as_deref()) {
            (true, None) => return Err(UploadError::MissingField { field: "pyversion" }),
            (true, Some(p)) => p != "source",
            (false, p) => p.is_none_or(|p| p == "source"),
        };
        if !fits {
            return Err(UploadError::Pyversion {
                pyversion: self.pyversion.clone().unwrap_or_default(),
                filetype: expected,
            });
        }
        Ok(dist)
    }

    /// Checks the digests the form gives against those computed over the bytes received
    /// (step 2 of the [module](self) order). A digest the server did not compute (`None` in
    /// `computed`) cannot be checked and does not count as given.
    ///
    /// # Errors
    ///
    /// No digest given that the server can check ([`UploadError::NoDigest`]), a digest that
    /// is not hex of the right length ([`UploadError::InvalidDigest`]), or one that does not
    /// match ([`UploadError::DigestMismatch`]).
    pub fn check_digests(&self, computed: &ComputedDigests) -> Result<(), UploadError> {
        let pairs = [
            (
                "sha256_digest",
                self.sha256_digest.as_deref(),
                Some(computed.sha256.as_str()),
                64,
            ),
            (
                "md5_digest",
                self.md5_digest.as_deref(),
                computed.md5.as_deref(),
                32,
            ),
            (
                "blake2_256_digest",
                self.blake2_256_digest.as_deref(),
                computed.blake2_256.as_deref(),
                64,
            ),
        ];
        let mut checked = 0;
        for (field, given, computed, len) in pairs {
            let (Some(given), Some(computed)) = (given, computed) else {
                continue;
            };
            if given.len() != len || !given.bytes().all(|b| b.is_ascii_hexdigit()) {
                return Err(UploadError::InvalidDigest {
                    field,
                    value: given.to_owned(),
                    len,
                });
            }
            if !given.eq_ignore_ascii_case(computed) {
                return Err(UploadError::DigestMismatch {
                    field,
                    given: given.to_owned(),
                    computed: computed.to_owned(),
                });
            }
            checked += 1;
        }
        if checked == 0 {
            return Err(UploadError::NoDigest);
        }
        Ok(())
    }
}

/// Checks the uploaded file's own verdict and metadata against the form (step 3 of the
/// [module](self) order). `check` is what [`crate::metadata::check_wheel`] or
/// [`crate::metadata::check_sdist`] found in the file named `filename`.
///
/// # Errors
///
/// The file is refused ([`UploadError::Refused`], with every refusal), has no readable
/// metadata, or its metadata names another project or version than the form.
pub fn check_dist(
    form: &UploadForm,
    filename: &DistFilename,
    check: &DistCheck,
) -> Result<(), UploadError> {
    let display = filename.to_string();
    if !check.verdict.is_installable() {
        return Err(UploadError::Refused {
            filename: display,
            refusals: check.verdict.refusals().map(ToString::to_string).collect(),
        });
    }
    let member = match filename {
        DistFilename::Wheel(_) => "METADATA",
        _ => "PKG-INFO",
    };
    let Some(bytes) = &check.metadata else {
        return Err(UploadError::NoMetadata {
            filename: display,
            member,
        });
    };
    let raw = RawMetadata::parse(bytes);
    let name = form.name()?;
    let version = form.version()?;
    let own_name = raw.get(Field::Name).unwrap_or_default();
    if PackageName::from_str(own_name).ok().as_ref() != Some(&name) {
        return Err(UploadError::MetadataName {
            filename: display,
            member,
            own: own_name.to_owned(),
            form: form.get(Field::Name).unwrap_or_default().to_owned(),
        });
    }
    let own_version = raw.get(Field::Version).unwrap_or_default();
    if crate::version::parse_version(own_version).ok().as_ref() != Some(&version) {
        return Err(UploadError::MetadataVersionMismatch {
            filename: display,
            member,
            own: own_version.to_owned(),
            form: form.get(Field::Version).unwrap_or_default().to_owned(),
        });
    }
    Ok(())
}

/// What storing a file would do, given the sha256 of the file already stored under its name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Existing {
    /// No file of that name: store it.
    New,
    /// The same bytes are stored already: nothing to do.
    Same,
}

/// Checks an upload against a file of the same name already stored (step 4 of the
/// [module](self) order): `stored` is that file's sha256, `received` the upload's.
///
/// # Errors
///
/// A stored file with other bytes ([`UploadError::FileExists`]): a file, once published,
/// is never replaced.
pub fn check_existing(
    filename: &str,
    stored: Option<&Digest>,
    received: &Digest,
) -> Result<Existing, UploadError> {
    match stored {
        None => Ok(Existing::New),
        Some(s) if s == received => Ok(Existing::Same),
        Some(s) => Err(UploadError::FileExists {
            filename: filename.to_owned(),
            sha256: if s.algorithm() == HashAlgorithm::Sha256 {
                s.hex()
            } else {
                s.to_string()
            },
        }),
    }
}

/// Why an upload is refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum UploadError {
    /// A required form field is missing or empty.
    #[error("the form has no `{field}` field")]
    MissingField {
        /// The field's form name.
        field: &'static str,
    },
    /// A field given twice with different values.
    #[error("`{}` is given twice with different values", Quoted(.field))]
    Repeated {
        /// The field's form name.
        field: String,
    },
    /// `:action` is not `file_upload`.
    #[error("unsupported `:action` `{}`: this index takes `file_upload` only", Quoted(.action))]
    Action {
        /// The action given.
        action: String,
    },
    /// `protocol_version` is not `1`.
    #[error("unknown `protocol_version` `{}`: expected `1`", Quoted(.given))]
    ProtocolVersion {
        /// The version given.
        given: String,
    },
    /// `metadata_version` is not a known version.
    #[error("`metadata_version`: {reason}")]
    MetadataVersion {
        /// Why.
        reason: String,
    },
    /// `name` is not a valid project name.
    #[error("`name` `{}` is not a valid project name: {reason}", Quoted(.name))]
    InvalidName {
        /// The name given.
        name: String,
        /// Why.
        reason: String,
    },
    /// `version` is not a PEP 440 version.
    #[error("`version` `{}` is not a valid version: {reason}", Quoted(.version))]
    InvalidVersion {
        /// The version given.
        version: String,
        /// Why.
        reason: String,
    },
    /// The filename is not a valid wheel or sdist filename.
    #[error("invalid distribution filename `{}`: {reason}", Quoted(.filename))]
    Filename {
        /// The filename.
        filename: String,
        /// Why.
        reason: String,
    },
    /// The filename is of another project than the form's `name`.
    #[error("`{}` is not a file of `{}`: start the filename with `{prefix}`", Quoted(.filename), Quoted(.name))]
    FilenameProject {
        /// The filename.
        filename: String,
        /// The form's `name`.
        name: String,
        /// The normalized name with `_` for `-`, as filenames spell it.
        prefix: String,
    },
    /// The filename is of another version than the form's `version`.
    #[error("`{}` is version {file}, the form says {form}", Quoted(.filename))]
    FilenameVersion {
        /// The filename.
        filename: String,
        /// The form's version, normalized.
        form: String,
        /// The filename's version, normalized.
        file: String,
    },
    /// `filetype` does not match the filename.
    #[error("`filetype` `{}` does not match `{}`: expected `{expected}`", Quoted(.filetype), Quoted(.filename))]
    Filetype {
        /// The filetype given.
        filetype: String,
        /// The filename.
        filename: String,
        /// The filetype the filename calls for.
        expected: &'static str,
    },
    /// `pyversion` does not fit the filetype.
    #[error("`pyversion` `{}` does not fit `{filetype}`: use `source` for an sdist and the Python tag for a wheel", Quoted(.pyversion))]
    Pyversion {
        /// The pyversion given.
        pyversion: String,
        /// The filetype.
        filetype: &'static str,
    },
    /// No digest the server can check.
    #[error(
        "include at least one digest of the file: `sha256_digest`, `md5_digest` or `blake2_256_digest`"
    )]
    NoDigest,
    /// A digest that is not hex of the right length.
    #[error("`{field}` `{}` is not {len} hex digits", Quoted(.value))]
    InvalidDigest {
        /// The field's form name.
        field: &'static str,
        /// The value given.
        value: String,
        /// How many hex digits the digest has.
        len: usize,
    },
    /// A digest that does not match the bytes received.
    #[error("`{field}` `{}` does not match the file received (`{computed}`)", Quoted(.given))]
    DigestMismatch {
        /// The field's form name.
        field: &'static str,
        /// The digest given.
        given: String,
        /// The digest computed over the bytes received.
        computed: String,
    },
    /// The file's own check refuses it.
    #[error("`{}` is refused: {}", Quoted(.filename), Refusals(.refusals))]
    Refused {
        /// The filename.
        filename: String,
        /// Each refusal, as [`crate::metadata::Finding`] displays it.
        refusals: Vec<String>,
    },
    /// The file's metadata could not be read.
    #[error("`{}` has no readable {member}", Quoted(.filename))]
    NoMetadata {
        /// The filename.
        filename: String,
        /// `METADATA` or `PKG-INFO`.
        member: &'static str,
    },
    /// The file's own metadata names another project.
    #[error("the {member} of `{}` names `{}`, the form `{}`", Quoted(.filename), Quoted(.own), Quoted(.form))]
    MetadataName {
        /// The filename.
        filename: String,
        /// `METADATA` or `PKG-INFO`.
        member: &'static str,
        /// The file's `Name`.
        own: String,
        /// The form's `name`.
        form: String,
    },
    /// The file's own metadata gives another version.
    #[error("the {member} of `{}` is version `{}`, the form `{}`", Quoted(.filename), Quoted(.own), Quoted(.form))]
    MetadataVersionMismatch {
        /// The filename.
        filename: String,
        /// `METADATA` or `PKG-INFO`.
        member: &'static str,
        /// The file's `Version`.
        own: String,
        /// The form's `version`.
        form: String,
    },
    /// A file of that name with other bytes is stored already.
    #[error("File already exists: `{}` is stored with sha256 {sha256}; a published file is never replaced, upload it under a new version", Quoted(.filename))]
    FileExists {
        /// The filename.
        filename: String,
        /// The stored file's sha256, hex.
        sha256: String,
    },
}

/// Refusals joined with `; `.
struct Refusals<'a>(&'a [String]);

impl fmt::Display for Refusals<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, r) in self.0.iter().enumerate() {
            if i > 0 {
                f.write_str("; ")?;
            }
            f.write_str(r)?;
        }
        Ok(())
    }
}
