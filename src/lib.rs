//! The Python packaging standards, without I/O.
//!
//! `pypackaging` parses and writes the formats a private package index, a mirror or an
//! air-gapped installer works with: project names and digests, versions and requirements,
//! wheel and sdist filenames with their compatibility tags, pip requirements files, core
//! metadata with `WHEEL` and `RECORD`, and the simple repository API. It takes `&str`, `&[u8]`
//! or a reader the caller gives it and never touches the file system, the network or the
//! environment itself.
//!
//! | module | standard | main types |
//! |---|---|---|
//! | [`name`] | [PEP 503](https://peps.python.org/pep-0503/#normalized-names), [PEP 685](https://peps.python.org/pep-0685/), core metadata `Name` | [`PackageName`], [`ExtraName`] |
//! | [`filename`] | [binary distribution format](https://packaging.python.org/en/latest/specifications/binary-distribution-format/), [sdist format](https://packaging.python.org/en/latest/specifications/source-distribution-format/) | [`WheelFilename`], [`SdistFilename`], [`DistFilename`] |
//! | [`hash`] | pip `--hash`, PEP 503 fragments, wheel `RECORD`, PEP 691 `hashes` | [`HashAlgorithm`], [`Digest`], [`Hasher`] |
//! | [`select`] | pip's `PackageFinder` choice, `--only-binary`/`--no-binary` | [`select::best_file`], [`select::FormatControl`] |
//! | [`tags`] | [PEP 425](https://packaging.python.org/en/latest/specifications/platform-compatibility-tags/), PEP 600, 656, 730, 738, 783, 803 | [`Tag`], [`PlatformTag`], [`AbiTag`], [`CompressedTagSet`], [`Target`] |
//! | [`simple`] | [PEP 503](https://peps.python.org/pep-0503/), [PEP 691](https://peps.python.org/pep-0691/) and the PEPs that extend them (592, 629, 658, 700, 714, 740, 792) | [`ProjectPage`], [`ProjectList`], [`simple::negotiate`] |
//! | [`index`] | a static [simple repository](https://packaging.python.org/en/latest/specifications/simple-repository-api/) built from distribution files (PEP 658, PEP 700) | [`index::build`], [`index::DistFile`] |
//! | [`requirements_txt`] | [pip requirements files](https://pip.pypa.io/en/stable/reference/requirements-file-format/) (pip 26.3, exactly) | [`RequirementsTxt`] |
//! | [`metadata`] | [core metadata](https://packaging.python.org/en/latest/specifications/core-metadata/) 1.0 to 2.6, wheel `WHEEL`, `RECORD` and archives | [`RawMetadata`], [`CoreMetadata`], [`WheelInfo`], [`Record`], [`WheelArchive`] |
//! | [`upload`] | the legacy upload API `twine upload` speaks ([warehouse's `file_upload`](https://docs.pypi.org/api/upload/)): form fields to core metadata, PyPI's checks | [`upload::UploadForm`] |
//! | [`review`] | a staging review: a report of every file (JSON, HTML), what changed since the last one, a [CycloneDX](https://cyclonedx.org/docs/1.6/json/) 1.6 SBOM, find-links pages | [`review::Report`], [`review::Changes`], [`review::Sbom`] |
//! | [`version`] | [PEP 440](https://packaging.python.org/en/latest/specifications/version-specifiers/), [PEP 508](https://packaging.python.org/en/latest/specifications/dependency-specifiers/) | [`Version`], [`VersionSpecifiers`], [`Requirement`], [`MarkerTree`], [`version::SortableVersion`] (allocation-free parse and sort) |
//!
//! # Example
//!
//! A staging pipeline checks that a wheel fits the production interpreter, hashes it, and
//! publishes it on the project's simple page:
//!
//! ```
//! use pypackaging::simple::{File, Hashes, RenderOptions, html};
//! use pypackaging::tags::{LinuxRank, TargetSpec};
//! use pypackaging::{Hasher, ProjectPage, Target, WheelFilename};
//!
//! // CPython 3.11 on a glibc 2.28 x86-64 machine, as `packaging.tags.sys_tags()` sees it there.
//! let spec = TargetSpec::new("cp", "3.11", &["cp311"], &["manylinux_2_28_x86_64"])?;
//! let target = Target::expanded(&spec, LinuxRank::First)?;
//!
//! let wheel: WheelFilename =
//!     "NumPy-2.1.0-cp311-cp311-manylinux_2_17_x86_64.manylinux2014_x86_64.whl".parse()?;
//! assert_eq!(wheel.name().as_str(), "numpy");
//! assert!(target.compatibility(wheel.tags()).is_ok());
//!
//! let mut hasher = Hasher::sha256();
//! hasher.update(b"the wheel's bytes, in as many pieces as they are read");
//! let digest = hasher.finish().as_slice()[0];
//!
//! let mut file = File::new(wheel.to_string(), format!("/files/{wheel}"));
//! file.hashes = Hashes::from_digests([digest]);
//! let page = ProjectPage {
//!     name: wheel.name().to_string(),
//!     files: vec![file],
//!     ..ProjectPage::default()
//! };
//! let mut out = String::new();
//! html::write_project_page(&mut out, &page, &RenderOptions::absolute())?;
//! assert!(out.contains(&format!("#sha256={}", digest.hex())));
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! # No I/O
//!
//! Every parser takes the bytes or text it reads; where a format refers to other data, the
//! caller supplies it. The examples in `examples/` do the I/O: `inspect` prints what each parser
//! makes of its input as JSON lines.
#![forbid(unsafe_code)]
#![warn(missing_docs)]
#![cfg_attr(docsrs, feature(doc_cfg))]

#[macro_use]
mod bytes;
mod diagnostic;
pub mod filename;
pub mod hash;
pub mod index;
pub mod metadata;
pub mod name;
pub mod requirements_txt;
pub mod review;
pub mod select;
pub mod simple;
pub mod tags;
pub mod upload;
pub mod version;

pub use filename::{DistFilename, SdistFilename, WheelFilename};
pub use hash::{Digest, Digests, HashAlgorithm, Hasher};
pub use metadata::{CoreMetadata, RawMetadata, Record, WheelArchive, WheelInfo};
pub use name::{ExtraName, PackageName};
pub use requirements_txt::RequirementsTxt;
pub use simple::{ProjectList, ProjectPage};
pub use tags::{AbiTag, CompressedTagSet, LanguageTag, PlatformTag, Tag, Target, TargetSpec};
pub use version::{MarkerTree, Requirement, Version, VersionSpecifiers};

#[cfg(doctest)]
#[doc = include_str!("../README.md")]
struct ReadmeDoctests;
