//! Inputs shared by the comparative benchmarks: the real PyPI names and versions.

/// `(name, version)` rows of the PyPI project list: the full 886,301 rows from
/// `../shared/data/pypi-projects.tsv.gz` (decompressed by `run` into `target/`) when present,
/// else the committed slice `benches/data/pypi-slice.tsv`.
pub fn pypi_rows() -> (String, Vec<(String, String)>) {
    let root = concat!(env!("CARGO_MANIFEST_DIR"), "/../..");
    let full = format!("{root}/target/pypi-projects.tsv");
    let slice = format!("{root}/benches/data/pypi-slice.tsv");
    let (path, text) = match std::fs::read_to_string(&full) {
        Ok(text) => (full, text),
        Err(_) => {
            let text = std::fs::read_to_string(&slice).expect("benches/data/pypi-slice.tsv");
            (slice, text)
        }
    };
    let rows = text
        .lines()
        .filter_map(|line| line.split_once('\t'))
        .map(|(n, v)| (n.to_owned(), v.to_owned()))
        .collect();
    (path, rows)
}
