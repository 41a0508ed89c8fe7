//! Versions, specifiers, requirements and markers:
//! [PEP 440](https://packaging.python.org/en/latest/specifications/version-specifiers/) and
//! [PEP 508](https://packaging.python.org/en/latest/specifications/dependency-specifiers/).
//!
//! These are the types of [`pep440_rs`] and [`pep508_rs`], re-exported so that users of this
//! crate never have to match those crates' versions by hand. Both are complete implementations
//! of their specifications; this module adds only what the packaging formats around them need.
//!
//! # Examples
//!
//! ```
//! use pypackaging::version::{Requirement, Version, VersionSpecifiers};
//!
//! let version: Version = "1.0.0RC1".parse()?;
//! assert_eq!(version.to_string(), "1.0.0rc1");
//! let specifiers: VersionSpecifiers = ">=1.0.0rc1, <2".parse()?;
//! assert!(specifiers.contains(&version));
//!
//! let requirement: Requirement = "Requests[Security] >= 2.8.1 ; python_version < '3.13'".parse()?;
//! assert_eq!(requirement.name.as_ref(), "requests");
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

pub use pep440_rs::{
    LocalSegment, Operator, Prerelease, PrereleaseKind, Version, VersionParseError,
    VersionSpecifier, VersionSpecifiers, VersionSpecifiersParseError,
};
pub use pep508_rs::{
    MarkerEnvironment, MarkerTree, Pep508Error, Requirement, VerbatimUrl, VersionOrUrl,
};
