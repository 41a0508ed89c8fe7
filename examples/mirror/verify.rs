//! Verification: a file's bytes against every hash given for it, then its install verdict
//! (`pypackaging::metadata::check_wheel` / `check_sdist`).

use std::io::{Read, Seek};

use pypackaging::DistFilename;
use pypackaging::hash::{Digest, HashAlgorithm, Hasher};
use pypackaging::metadata::{self, DistCheck, Finding};

use crate::plan::Job;

/// The checks a file's bytes must pass.
pub fn check_digests(job: &Job, computed: &pypackaging::Digests) -> Result<(), String> {
    if job.required.is_empty() && job.index.is_empty() {
        return Err(
            "no hash to verify against: neither the requirements file nor the index gives one"
                .into(),
        );
    }
    if !job.required.is_empty() {
        computed
            .verify(&job.required)
            .map_err(|e| format!("does not match the requirements file: {e}"))?;
    }
    if !job.index.is_empty() {
        computed
            .verify(&job.index)
            .map_err(|e| format!("does not match the index's hash: {e}"))?;
    }
    if let Some(size) = job.size
        && size != computed.size()
    {
        return Err(format!(
            "size {} differs from the {size} bytes the index declares",
            computed.size()
        ));
    }
    Ok(())
}

/// A hasher for every algorithm a job's hashes use, and sha256.
pub fn hasher_for(job: &Job) -> Hasher {
    let mut algorithms: Vec<HashAlgorithm> = job
        .required
        .iter()
        .chain(&job.index)
        .map(Digest::algorithm)
        .collect();
    algorithms.push(HashAlgorithm::Sha256);
    // Only strong (computable) digests are kept in jobs.
    Hasher::new(&algorithms).unwrap_or_else(|_| Hasher::sha256())
}

/// What the install check said of a file that passed it.
#[derive(Debug, Clone, Default)]
pub struct Checked {
    /// The warnings (a file with a refusal does not pass).
    pub findings: Vec<Finding>,
    /// The wheel's `METADATA` or the sdist's `PKG-INFO`, for the PEP 658 sidecar.
    pub metadata: Option<Vec<u8>>,
}

/// Why a file failed the install check: the message, and every finding.
#[derive(Debug, Clone)]
pub struct Refused {
    pub why: String,
    pub findings: Vec<Finding>,
}

/// The install verdict on one file, read from `reader` (one pass over the archive).
pub fn check_file<R: Read + Seek>(dist: &DistFilename, reader: R) -> Result<Checked, Refused> {
    let DistCheck { verdict, metadata } = match dist {
        DistFilename::Wheel(wheel) => metadata::check_wheel(reader, wheel),
        DistFilename::Sdist(sdist) => metadata::check_sdist(reader, sdist),
        other => {
            return Err(Refused {
                why: format!(
                    "`{other}` is neither a wheel nor an sdist, so it cannot be checked before \
                     it lands"
                ),
                findings: Vec::new(),
            });
        }
    };
    if verdict.is_installable() {
        return Ok(Checked {
            findings: verdict.findings,
            metadata,
        });
    }
    let refusals: Vec<String> = verdict.refusals().map(ToString::to_string).collect();
    Err(Refused {
        why: format!("pip or installer would refuse it: {}", refusals.join("; ")),
        findings: verdict.findings,
    })
}

#[cfg(test)]
mod tests {
    use std::io::{Cursor, Write};

    use pypackaging::simple::Yanked;

    use super::*;

    fn digest(byte: u8) -> Digest {
        Digest::from_bytes(HashAlgorithm::Sha256, &[byte; 32]).unwrap()
    }

    fn job(required: Vec<Digest>, index: Vec<Digest>) -> Job {
        Job {
            requirement: "foo==1.0".into(),
            filename: "foo-1.0-py3-none-any.whl".into(),
            dist: DistFilename::parse("foo-1.0-py3-none-any.whl").unwrap(),
            url: "https://x.example/foo-1.0-py3-none-any.whl".into(),
            required,
            index,
            size: None,
            yanked: Yanked::No,
            requires_python: None,
            provenance: None,
        }
    }

    #[test]
    fn every_file_needs_a_matching_hash_from_each_source() {
        let mut hasher = Hasher::sha256();
        hasher.update(b"wheel bytes");
        let computed = hasher.finish();
        let right = *computed.get(HashAlgorithm::Sha256).unwrap();
        assert_eq!(
            check_digests(&job(Vec::new(), Vec::new()), &computed).unwrap_err(),
            "no hash to verify against: neither the requirements file nor the index gives one"
        );
        assert!(check_digests(&job(vec![right], Vec::new()), &computed).is_ok());
        assert!(check_digests(&job(vec![digest(1), right], vec![right]), &computed).is_ok());
        let err = check_digests(&job(vec![right], vec![digest(2)]), &computed).unwrap_err();
        assert!(
            err.starts_with("does not match the index's hash: hash mismatch"),
            "{err}"
        );
        let err = check_digests(&job(vec![digest(3)], vec![right]), &computed).unwrap_err();
        assert!(
            err.starts_with("does not match the requirements file: hash mismatch"),
            "{err}"
        );
        let mut sized = job(vec![right], Vec::new());
        sized.size = Some(3);
        assert_eq!(
            check_digests(&sized, &computed).unwrap_err(),
            "size 11 differs from the 3 bytes the index declares"
        );
    }

    /// A wheel of `foo 1.0` whose WHEEL file ends with `tags`, with a right RECORD.
    fn wheel(tags: &str) -> Vec<u8> {
        let members = [
            ("foo/__init__.py", "x = 1\n".to_owned()),
            (
                "foo-1.0.dist-info/METADATA",
                "Metadata-Version: 2.1\nName: foo\nVersion: 1.0\n".to_owned(),
            ),
            (
                "foo-1.0.dist-info/WHEEL",
                format!("Wheel-Version: 1.0\nGenerator: test\nRoot-Is-Purelib: true\n{tags}"),
            ),
        ];
        let mut record = String::new();
        for (name, text) in &members {
            let mut h = Hasher::sha256();
            h.update(text.as_bytes());
            let d = h.finish();
            let d = d.get(HashAlgorithm::Sha256).unwrap();
            record += &format!("{name},{},{}\n", d.record(), text.len());
        }
        record += "foo-1.0.dist-info/RECORD,,\n";
        let mut zip = zip::ZipWriter::new(Cursor::new(Vec::new()));
        let options = zip::write::SimpleFileOptions::default();
        for (name, text) in members
            .iter()
            .map(|(n, t)| (*n, t.as_str()))
            .chain([("foo-1.0.dist-info/RECORD", record.as_str())])
        {
            zip.start_file(name, options).unwrap();
            zip.write_all(text.as_bytes()).unwrap();
        }
        zip.finish().unwrap().into_inner()
    }

    #[test]
    fn warnings_pass_refusals_fail() {
        let dist = DistFilename::parse("foo-1.0-py3-none-any.whl").unwrap();
        let clean = check_file(&dist, Cursor::new(wheel("Tag: py3-none-any\n"))).unwrap();
        assert!(clean.findings.is_empty(), "{:?}", clean.findings);
        assert!(
            clean
                .metadata
                .as_deref()
                .is_some_and(|m| m.starts_with(b"Metadata-Version: 2.1"))
        );
        // pip never reads WHEEL's `Tag` lines: a wheel whose tags disagree with its name
        // installs, so it passes with a warning.
        let mismatched = check_file(&dist, Cursor::new(wheel("Tag: py2-none-any\n"))).unwrap();
        assert!(!mismatched.findings.is_empty());
        assert!(
            mismatched
                .findings
                .iter()
                .all(|f| f.severity == pypackaging::metadata::Severity::Warning),
            "{:?}",
            mismatched.findings
        );
        let refused = check_file(&dist, Cursor::new(b"not a zip".to_vec())).unwrap_err();
        assert!(
            refused
                .why
                .starts_with("pip or installer would refuse it: refusal ["),
            "{}",
            refused.why
        );
        let other = DistFilename::parse("foo-1.0.tar.bz2").unwrap();
        assert!(check_file(&other, Cursor::new(Vec::new())).is_err());
    }
}
