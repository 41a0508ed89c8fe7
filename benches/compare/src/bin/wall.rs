//! Wall-clock A/B of sorting the full version list: alternating runs, best of each.
use std::time::Instant;
fn main() {
    let (_, rows) = pypackaging_compare::pypi_rows();
    let parsed: Vec<pypackaging::Version> =
        rows.iter().filter_map(|(_, v)| v.parse().ok()).collect();
    let uv: Vec<uv_pep440::Version> = rows.iter().filter_map(|(_, v)| v.parse().ok()).collect();
    let (mut ord, mut key, mut uvs) = (f64::MAX, f64::MAX, f64::MAX);
    for _ in 0..5 {
        let mut a = parsed.clone();
        let t = Instant::now();
        a.sort();
        ord = ord.min(t.elapsed().as_secs_f64());
        let mut b = parsed.clone();
        let t = Instant::now();
        pypackaging::version::sort_by_version(&mut b, |v| v);
        key = key.min(t.elapsed().as_secs_f64());
        assert!(a == b);
        let mut c = uv.clone();
        let t = Instant::now();
        c.sort();
        uvs = uvs.min(t.elapsed().as_secs_f64());
    }
    println!(
        "{} versions: Ord sort {:.1} ms, sort_by_version {:.1} ms, uv Ord sort {:.1} ms",
        parsed.len(),
        ord * 1e3,
        key * 1e3,
        uvs * 1e3
    );
    let (mut p1, mut p2) = (f64::MAX, f64::MAX);
    for _ in 0..3 {
        let t = Instant::now();
        let v: Vec<pypackaging::Version> =
            rows.iter().filter_map(|(_, v)| v.parse().ok()).collect();
        p1 = p1.min(t.elapsed().as_secs_f64());
        drop(v);
        let t = Instant::now();
        let v: Vec<uv_pep440::Version> = rows.iter().filter_map(|(_, v)| v.parse().ok()).collect();
        p2 = p2.min(t.elapsed().as_secs_f64());
        drop(v);
    }
    println!(
        "parse: pep440_rs {:.1} ms, uv-pep440 {:.1} ms",
        p1 * 1e3,
        p2 * 1e3
    );
}
