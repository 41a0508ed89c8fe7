//! The Python packaging standards, without I/O.
//!
//! `pypackaging` parses and writes the formats a private package index, a mirror or an
//! air-gapped installer works with: project names, digests, versions and requirements. It takes
//! `&str`, `&[u8]` or a reader the caller gives it and never touches the file system, the
//! network or the environment itself.
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
//! | [`version`] | [PEP 440](https://packaging.python.org/en/latest/specifications/version-specifiers/), [PEP 508](https://packaging.python.org/en/latest/specifications/dependency-specifiers/) | [`Version`], [`VersionSpecifiers`], [`Requirement`], [`MarkerTree`] |
//!
//! # Example
//!
//! ```
//! use pypackaging::{Digest, Hasher, PackageName};
//!
//! // An index receives a file for "Zope.Interface" and the digest its uploader claims.
//! let project: PackageName = "Zope.Interface".parse()?;
//! assert_eq!(project.as_str(), "zope-interface"); // its URL is /simple/zope-interface/
//!
//! let claimed = Digest::from_url_fragment(
//!     "#sha256=2c26b46b68ffc68ff99b453c1d30413413422d706483bfa0f98a5e886266e7ae",
//! )?;
//! let mut hasher = Hasher::sha256();
//! hasher.update(b"foo");
//! hasher.finish().verify(&[claimed])?;
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

mod diagnostic;
pub mod filename;
pub mod hash;
pub mod index;
pub mod metadata;
pub mod name;
pub mod requirements_txt;
pub mod select;
pub mod simple;
pub mod tags;
pub mod version;

pub use filename::{DistFilename, SdistFilename, WheelFilename};
pub use hash::{Digest, Digests, HashAlgorithm, Hasher};
pub use metadata::{CoreMetadata, RawMetadata, Record, WheelArchive, WheelInfo};
pub use name::{ExtraName, PackageName};
pub use requirements_txt::RequirementsTxt;
pub use simple::{ProjectList, ProjectPage};
pub use tags::{AbiTag, CompressedTagSet, LanguageTag, PlatformTag, Tag, Target};
pub use version::{MarkerTree, Requirement, Version, VersionSpecifiers};

#[cfg(doctest)]
#[doc = include_str!("../README.md")]
struct ReadmeDoctests;
