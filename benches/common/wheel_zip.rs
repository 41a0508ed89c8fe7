//! A wheel archive built in memory for the benches: the given members, deflated, then a RECORD
//! listing each with its sha256 and size (and itself without either). Included by the benches
//! that need wheels through `#[path]`.

use std::io::{Cursor, Write};

use pypackaging::Hasher;

/// The zip bytes of a wheel with `members` (path, data) and `dist_info/RECORD`.
pub fn wheel_zip<'a>(
    dist_info: &str,
    members: impl IntoIterator<Item = (String, &'a [u8])>,
) -> Vec<u8> {
    let mut record = String::new();
    let mut zip = zip::ZipWriter::new(Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    for (path, data) in members {
        let mut hasher = Hasher::sha256();
        hasher.update(data);
        let digest = hasher.finish().as_slice()[0];
        record.push_str(&format!("{path},{},{}\n", digest.record(), data.len()));
        zip.start_file(path, options).unwrap();
        zip.write_all(data).unwrap();
    }
    record.push_str(&format!("{dist_info}/RECORD,,\n"));
    zip.start_file(format!("{dist_info}/RECORD"), options)
        .unwrap();
    zip.write_all(record.as_bytes()).unwrap();
    zip.finish().unwrap().into_inner()
}
