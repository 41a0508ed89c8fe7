//! Simple repository pages: render and parse a 50,000-file project page and the root page of
//! every PyPI project, in both encodings, next to a plain copy of the same bytes.
//!
//! Root page names: the 886,301 PyPI projects of `../shared/data/pypi-projects.tsv.gz` when that
//! file is there (read through `gzip -dc`), else `benches/data/pypi-slice.tsv` (every 40th row).
//! The project page is generated: PyPI-shaped URLs, sha256 fragments, requires-python,
//! core-metadata hashes, some yanked files.

use std::hint::black_box;
use std::time::Duration;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use pypackaging::simple::{
    ApiVersion, CoreMetadata, File, Hashes, Meta, ProjectEntry, ProjectList, ProjectPage,
    RenderOptions, Yanked, html, json,
};
use pypackaging::{Digest, HashAlgorithm};

fn names() -> (Vec<String>, &'static str) {
    for dir in ["/../shared/data", "/../../shared/data"] {
        let path = format!("{}{dir}/pypi-projects.tsv.gz", env!("CARGO_MANIFEST_DIR"));
        if std::path::Path::new(&path).exists()
            && let Ok(out) = std::process::Command::new("gzip")
                .arg("-dc")
                .arg(&path)
                .output()
            && out.status.success()
        {
            let text = String::from_utf8_lossy(&out.stdout).into_owned();
            let names = text
                .lines()
                .filter_map(|l| l.split('\t').next())
                .map(str::to_owned)
                .collect();
            return (names, "all PyPI projects (shared/data)");
        }
    }
    let text = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/benches/data/pypi-slice.tsv"
    ))
    .expect("benches/data/pypi-slice.tsv");
    let names = text
        .lines()
        .filter_map(|l| l.split('\t').next())
        .map(str::to_owned)
        .collect();
    (names, "benches/data/pypi-slice.tsv")
}

fn digest(seed: usize) -> Digest {
    let bytes: Vec<u8> = (0..32)
        .map(|i| (seed.wrapping_mul(31).wrapping_add(i * 7)) as u8)
        .collect();
    Digest::from_bytes(HashAlgorithm::Sha256, &bytes).unwrap()
}

fn project_page(files: usize) -> ProjectPage {
    let files = (0..files)
        .map(|i| {
            let version = format!("{}.{}.{}", i / 1000, (i / 10) % 100, i % 10);
            let filename = if i % 2 == 0 {
                format!("big_project-{version}-cp312-cp312-manylinux_2_17_x86_64.manylinux2014_x86_64.whl")
            } else {
                format!("big_project-{version}.tar.gz")
            };
            let d = digest(i);
            let hex = d.hex();
            let mut file = File::new(
                filename.clone(),
                format!("https://files.pythonhosted.org/packages/{}/{}/{}/{filename}", &hex[..2], &hex[2..4], &hex[4..]),
            );
            file.hashes = Hashes::from_digests([d]);
            file.requires_python = Some(">=3.9".into());
            file.core_metadata = CoreMetadata::Available(Hashes::from_digests([digest(i + 1)]));
            file.size = Some(1_000_000 + i as u64);
            file.upload_time = Some("2024-05-06T07:08:09.123456Z".into());
            if i % 97 == 0 {
                file.yanked = Yanked::Yanked(Some("broken build".into()));
            }
            file
        })
        .collect();
    ProjectPage {
        meta: Meta {
            api_version: Some(ApiVersion::LATEST),
            ..Meta::default()
        },
        name: "big-project".into(),
        files,
        ..ProjectPage::default()
    }
}

const PAGE_URL: &str = "https://pypi.org/simple/big-project/";
const ROOT_URL: &str = "https://pypi.org/simple/";

fn bench(c: &mut Criterion) {
    let page = project_page(50_000);
    let mut page_html = String::new();
    html::write_project_page(&mut page_html, &page, &RenderOptions::absolute()).unwrap();
    let mut page_json = String::new();
    json::write_project_page(&mut page_json, &page, &RenderOptions::absolute()).unwrap();

    let (names, source) = names();
    let list = ProjectList {
        meta: Meta {
            api_version: Some(ApiVersion::LATEST),
            ..Meta::default()
        },
        projects: names
            .into_iter()
            .map(|name| ProjectEntry { name, url: None })
            .collect(),
    };
    let mut root_html = String::new();
    html::write_project_list(&mut root_html, &list, &RenderOptions::absolute()).unwrap();
    let mut root_json = String::new();
    json::write_project_list(&mut root_json, &list).unwrap();
    // The same bytes for `benches/compare/python_compare.py pages` (pypi-simple on them).
    let dump = concat!(env!("CARGO_MANIFEST_DIR"), "/target/simple-bench");
    if std::fs::create_dir_all(dump).is_ok() {
        for (file, text) in [
            ("page.html", &page_html),
            ("page.json", &page_json),
            ("root.html", &root_html),
            ("root.json", &root_json),
        ] {
            let _ = std::fs::write(format!("{dump}/{file}"), text);
        }
    }
    eprintln!(
        "simple bench input: 50,000-file page ({} B HTML, {} B JSON); root of {} projects from {source} ({} B HTML, {} B JSON)",
        page_html.len(),
        page_json.len(),
        list.projects.len(),
        root_html.len(),
        root_json.len()
    );

    let mut group = c.benchmark_group("simple/project-50k");
    group
        .sample_size(10)
        .measurement_time(Duration::from_secs(5));
    group.throughput(Throughput::Bytes(page_html.len() as u64));
    group.bench_function("copy html bytes", |b| {
        b.iter(|| black_box(page_html.as_bytes().to_vec()))
    });
    group.bench_function("render html", |b| {
        b.iter(|| {
            let mut out = String::with_capacity(page_html.len());
            html::write_project_page(&mut out, black_box(&page), &RenderOptions::absolute())
                .unwrap();
            out
        })
    });
    group.bench_function("parse html", |b| {
        b.iter(|| html::parse_project_page(black_box(&page_html), PAGE_URL).unwrap())
    });
    group.throughput(Throughput::Bytes(page_json.len() as u64));
    group.bench_function("copy json bytes", |b| {
        b.iter(|| black_box(page_json.as_bytes().to_vec()))
    });
    group.bench_function("render json", |b| {
        b.iter(|| {
            let mut out = String::with_capacity(page_json.len());
            json::write_project_page(&mut out, black_box(&page), &RenderOptions::absolute())
                .unwrap();
            out
        })
    });
    group.bench_function("parse json", |b| {
        b.iter(|| json::parse_project_page(black_box(&page_json), PAGE_URL).unwrap())
    });
    group.finish();

    // Character references in every anchor: named ones from the whole table (with and without
    // `;`), numeric ones, the C1 remapping.
    let mut entity_html = String::from(
        "<!DOCTYPE html><html><head><title>Links for big-project</title></head><body>\n",
    );
    for i in 0..50_000 {
        entity_html.push_str(&format!(
            "<a href=\"/f/big_project-{i}.tar.gz?a=1&amp;b=2&copy=3\" data-requires-python=\"&gt;=3.9&comma;&lt;4\" \
             data-yanked=\"&copy; &notin; &amp &period; &#x80; &#233; &CounterClockwiseContourIntegral;\">big_project&#x2D;{i}&period;tar&period;gz</a>\n"
        ));
    }
    entity_html.push_str("</body></html>\n");
    group = c.benchmark_group("simple/entities-50k");
    group
        .sample_size(10)
        .measurement_time(Duration::from_secs(5));
    group.throughput(Throughput::Bytes(entity_html.len() as u64));
    group.bench_function("parse html", |b| {
        b.iter(|| html::parse_project_page(black_box(&entity_html), PAGE_URL).unwrap())
    });
    group.finish();

    let mut group = c.benchmark_group("simple/root");
    group
        .sample_size(10)
        .measurement_time(Duration::from_secs(5));
    group.throughput(Throughput::Bytes(root_html.len() as u64));
    group.bench_function("copy html bytes", |b| {
        b.iter(|| black_box(root_html.as_bytes().to_vec()))
    });
    group.bench_function("render html", |b| {
        b.iter(|| {
            let mut out = String::with_capacity(root_html.len());
            html::write_project_list(&mut out, black_box(&list), &RenderOptions::absolute())
                .unwrap();
            out
        })
    });
    group.bench_function("parse html (stream, &str)", |b| {
        b.iter(|| {
            html::ProjectListReader::new(black_box(&root_html), ROOT_URL)
                .unwrap()
                .filter(Result::is_ok)
                .count()
        })
    });
    group.bench_function("parse html (stream, io::Read)", |b| {
        b.iter(|| {
            html::ProjectListStream::new(black_box(root_html.as_bytes()), ROOT_URL)
                .unwrap()
                .filter(Result::is_ok)
                .count()
        })
    });
    group.throughput(Throughput::Bytes(root_json.len() as u64));
    group.bench_function("copy json bytes", |b| {
        b.iter(|| black_box(root_json.as_bytes().to_vec()))
    });
    group.bench_function("render json", |b| {
        b.iter(|| {
            let mut out = String::with_capacity(root_json.len());
            json::write_project_list(&mut out, black_box(&list)).unwrap();
            out
        })
    });
    group.bench_function("parse json (stream, &str)", |b| {
        b.iter(|| {
            let mut n = 0usize;
            json::for_each_project_in(black_box(&root_json), |_| n += 1).unwrap();
            n
        })
    });
    group.bench_function("parse json (stream, io::Read)", |b| {
        b.iter(|| {
            let mut n = 0usize;
            json::for_each_project(black_box(root_json.as_bytes()), |_| n += 1).unwrap();
            n
        })
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
