//! Instruction-count probe: `valgrind --tool=callgrind target/release/probe PHASE`.
fn main() {
    let text = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../data/pypi-slice.tsv"
    ))
    .unwrap();
    let versions: Vec<&str> = text
        .lines()
        .filter_map(|l| l.split_once('\t'))
        .map(|(_, v)| v)
        .collect();
    let phase = std::env::args().nth(1).unwrap_or_default();
    match phase.as_str() {
        "parse-ours" => {
            let v: Vec<_> = versions
                .iter()
                .filter_map(|v| v.parse::<pypackaging::Version>().ok())
                .collect();
            std::hint::black_box(v);
        }
        "parse-pep440rs" => {
            let v: Vec<pypackaging::Version> =
                versions.iter().filter_map(|v| v.parse().ok()).collect();
            std::hint::black_box(v);
        }
        "parse-uv" => {
            let v: Vec<uv_pep440::Version> =
                versions.iter().filter_map(|v| v.parse().ok()).collect();
            std::hint::black_box(v);
        }
        "sort-ours" => {
            let mut v: Vec<_> = versions
                .iter()
                .filter_map(|v| v.parse::<pypackaging::Version>().ok())
                .collect();
            pypackaging::version::sort_by_version(&mut v, |v| v);
            std::hint::black_box(v);
        }
        "sortable" => {
            let mut v: Vec<pypackaging::version::SortableVersion> =
                versions.iter().filter_map(|v| v.parse().ok()).collect();
            v.sort_unstable();
            std::hint::black_box(v);
        }
        "sortable-parse" => {
            let v: Vec<pypackaging::version::SortableVersion> =
                versions.iter().filter_map(|v| v.parse().ok()).collect();
            std::hint::black_box(v);
        }
        "sort-ord" => {
            let mut v: Vec<_> = versions
                .iter()
                .filter_map(|v| v.parse::<pypackaging::Version>().ok())
                .collect();
            v.sort_unstable();
            std::hint::black_box(v);
        }
        "sort-uv" => {
            let mut v: Vec<uv_pep440::Version> =
                versions.iter().filter_map(|v| v.parse().ok()).collect();
            v.sort_unstable();
            std::hint::black_box(v);
        }
        "names-ours" => {
            for l in text.lines() {
                let _ = std::hint::black_box(pypackaging::PackageName::new(
                    l.split('\t').next().unwrap(),
                ));
            }
        }
        "names-uv" => {
            for l in text.lines() {
                let _ = std::hint::black_box(
                    <uv_normalize::PackageName as std::str::FromStr>::from_str(
                        l.split('\t').next().unwrap(),
                    ),
                );
            }
        }
        // Filename phases: the first 100,000 generated wheels; `wheels-setup` is the baseline
        // (generating them, and for `compat-*` parsing them) to subtract.
        "wheels-setup" => {
            std::hint::black_box(wheels());
        }
        "wheels-ours" => {
            for f in &wheels() {
                let _ = std::hint::black_box(pypackaging::WheelFilename::parse(f));
            }
        }
        "wheels-uv" => {
            for f in &wheels() {
                let _ = std::hint::black_box(
                    <uv_distribution_filename::WheelFilename as std::str::FromStr>::from_str(f),
                );
            }
        }
        "target-ours" => {
            for _ in 0..100 {
                std::hint::black_box(pypackaging_compare::our_target());
            }
        }
        "target-uv" => {
            for _ in 0..100 {
                std::hint::black_box(pypackaging_compare::uv_target());
            }
        }
        "compat-setup-ours" | "compat-ours" | "compat-priority-ours" => {
            let target = pypackaging_compare::our_target();
            let parsed: Vec<_> = wheels()
                .iter()
                .filter_map(|f| pypackaging::WheelFilename::parse(f).ok())
                .collect();
            if phase == "compat-ours" {
                for w in &parsed {
                    let _ = std::hint::black_box(target.compatibility(w.tags()));
                }
            }
            // What choosing a file needs: the priority, no diagnostic.
            if phase == "compat-priority-ours" {
                for w in &parsed {
                    let _ = std::hint::black_box(target.best_priority(w.tags()));
                }
            }
        }
        "compat-setup-uv" | "compat-uv" => {
            let tags = pypackaging_compare::uv_target();
            let parsed: Vec<uv_distribution_filename::WheelFilename> =
                wheels().iter().filter_map(|f| f.parse().ok()).collect();
            if phase == "compat-uv" {
                for w in &parsed {
                    std::hint::black_box(w.compatibility(&tags));
                }
            }
        }
        // METADATA phases: every head-to-head file parsed 10 times (`probe meta-ours valid`:
        // only the files this crate validates); `meta-setup` (reading and selecting the
        // files) is the baseline to subtract.
        "meta-setup" | "meta-ours" | "meta-cache-ours" | "meta-raw-ours" | "meta-uv" => {
            let files = pypackaging_compare::metadata_files(
                std::env::args().nth(2).as_deref() == Some("valid"),
            );
            for _ in 0..10 {
                // One marker cache per pass over the (different) files.
                let mut cache = pypackaging::version::MarkerCache::new();
                for file in &files {
                    let data = std::hint::black_box(&file.data);
                    match phase.as_str() {
                        "meta-cache-ours" => {
                            let _ = std::hint::black_box(
                                pypackaging::metadata::CoreMetadata::parse_with(data, &mut cache),
                            );
                        }
                        "meta-ours" => {
                            let _ = std::hint::black_box(
                                pypackaging::metadata::CoreMetadata::parse(data),
                            );
                        }
                        "meta-raw-ours" => {
                            std::hint::black_box(pypackaging::metadata::RawMetadata::parse(data));
                        }
                        "meta-uv" => {
                            let _ = std::hint::black_box(uv_pypi_types::Metadata23::parse(data));
                        }
                        _ => {}
                    }
                }
            }
        }
        // Requirements phases: `req-setup` (reading the generated file) is the baseline to
        // subtract; run `wall requirements` once first so that the file exists.
        "req-setup" => {
            std::hint::black_box(pypackaging_compare::requirements_file_cached());
        }
        "req-ours" => {
            let text = pypackaging_compare::requirements_file_cached();
            std::hint::black_box(pypackaging_compare::our_requirements(&text));
        }
        "req-uv" => {
            let text = pypackaging_compare::requirements_file_cached();
            std::hint::black_box(pypackaging_compare::uv_requirements(&text));
        }
        // Simple-page phases over the pages `cargo bench --bench simple` writes to
        // target/simple-bench/: `pages-read` (reading the four files) is the baseline of the
        // `parse-*` phases, `pages-model` (reading, then parsing both JSON pages into models)
        // the baseline of the `render-*` phases. Each phase parses or renders once.
        p if p.starts_with("pages-")
            || p.starts_with("parse-page")
            || p.starts_with("parse-root")
            || p.starts_with("render-") =>
        {
            simple_pages(p);
        }
        _ => {}
    }
}

fn simple_pages(phase: &str) {
    use pypackaging::simple::{ProjectList, RenderOptions, html, json};
    const PAGE_URL: &str = "https://pypi.org/simple/big-project/";
    const ROOT_URL: &str = "https://pypi.org/simple/";
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/../../target/simple-bench");
    let read = |f: &str| {
        std::fs::read_to_string(format!("{dir}/{f}"))
            .expect("run `cargo bench --bench simple` first")
    };
    let (page_html, page_json, root_html, root_json) = (
        read("page.html"),
        read("page.json"),
        read("root.html"),
        read("root.json"),
    );
    use std::hint::black_box as b;
    match phase {
        // Wall clock, best of N rounds (`probe pages-wall N`): every parse and render next
        // to a copy of the same bytes, rendering into a `String` of the page's size.
        "pages-wall" => {
            let rounds: usize = std::env::args()
                .nth(2)
                .and_then(|n| n.parse().ok())
                .unwrap_or(10);
            let page = json::parse_project_page(&page_json, PAGE_URL)
                .unwrap()
                .value;
            let list: ProjectList = json::parse_project_list(&root_json).unwrap().value;
            let best = |f: &mut dyn FnMut()| {
                (0..rounds)
                    .map(|_| {
                        let t = std::time::Instant::now();
                        f();
                        t.elapsed().as_secs_f64() * 1e3
                    })
                    .fold(f64::MAX, f64::min)
            };
            let abs = RenderOptions::absolute();
            let render = |len: usize, f: &dyn Fn(&mut String)| {
                let mut out = String::with_capacity(len);
                f(&mut out);
                b(out);
            };
            let rows: [(&str, &str, Box<dyn Fn()>); 12] = [
                (
                    "page.html",
                    "copy",
                    Box::new(|| {
                        b(page_html.as_bytes().to_vec());
                    }),
                ),
                (
                    "page.html",
                    "render",
                    Box::new(|| {
                        render(page_html.len(), &|o| {
                            html::write_project_page(o, b(&page), &abs).unwrap()
                        })
                    }),
                ),
                (
                    "page.html",
                    "parse",
                    Box::new(|| {
                        b(html::parse_project_page(b(&page_html), PAGE_URL).unwrap());
                    }),
                ),
                (
                    "page.json",
                    "copy",
                    Box::new(|| {
                        b(page_json.as_bytes().to_vec());
                    }),
                ),
                (
                    "page.json",
                    "render",
                    Box::new(|| {
                        render(page_json.len(), &|o| {
                            json::write_project_page(o, b(&page), &abs).unwrap()
                        })
                    }),
                ),
                (
                    "page.json",
                    "parse",
                    Box::new(|| {
                        b(json::parse_project_page(b(&page_json), PAGE_URL).unwrap());
                    }),
                ),
                (
                    "root.html",
                    "copy",
                    Box::new(|| {
                        b(root_html.as_bytes().to_vec());
                    }),
                ),
                (
                    "root.html",
                    "render",
                    Box::new(|| {
                        render(root_html.len(), &|o| {
                            html::write_project_list(o, b(&list), &abs).unwrap()
                        })
                    }),
                ),
                (
                    "root.html",
                    "parse",
                    Box::new(|| {
                        b(html::ProjectListReader::new(b(&root_html), ROOT_URL)
                            .unwrap()
                            .filter(Result::is_ok)
                            .count());
                    }),
                ),
                (
                    "root.json",
                    "copy",
                    Box::new(|| {
                        b(root_json.as_bytes().to_vec());
                    }),
                ),
                (
                    "root.json",
                    "render",
                    Box::new(|| {
                        render(root_json.len(), &|o| {
                            json::write_project_list(o, b(&list)).unwrap()
                        })
                    }),
                ),
                (
                    "root.json",
                    "parse",
                    Box::new(|| {
                        let mut n = 0usize;
                        json::for_each_project_in(b(&root_json), |_| n += 1).unwrap();
                        b(n);
                    }),
                ),
            ];
            for (file, what, f) in &rows {
                println!("{file}\t{what}\t{:.2}", best(&mut || f()));
            }
        }
        "parse-page-html" => {
            b(html::parse_project_page(b(&page_html), PAGE_URL).unwrap());
        }
        "parse-page-json" => {
            b(json::parse_project_page(b(&page_json), PAGE_URL).unwrap());
        }
        "parse-root-html" => {
            b(html::ProjectListReader::new(b(&root_html), ROOT_URL)
                .unwrap()
                .filter(Result::is_ok)
                .count());
        }
        "parse-root-json" => {
            let mut n = 0usize;
            json::for_each_project_in(b(&root_json), |_| n += 1).unwrap();
            b(n);
        }
        _ if phase == "pages-model" || phase.starts_with("render-") => {
            let page = json::parse_project_page(&page_json, PAGE_URL)
                .unwrap()
                .value;
            let list: ProjectList = json::parse_project_list(&root_json).unwrap().value;
            let mut out = String::with_capacity(page_json.len().max(root_html.len()));
            match phase {
                "render-page-html" => {
                    html::write_project_page(&mut out, b(&page), &RenderOptions::absolute())
                        .unwrap()
                }
                "render-page-json" => {
                    json::write_project_page(&mut out, b(&page), &RenderOptions::absolute())
                        .unwrap()
                }
                "render-root-html" => {
                    html::write_project_list(&mut out, b(&list), &RenderOptions::absolute())
                        .unwrap()
                }
                "render-root-json" => json::write_project_list(&mut out, b(&list)).unwrap(),
                _ => {}
            }
            b(out);
        }
        _ => {}
    }
}

fn wheels() -> Vec<String> {
    pypackaging_compare::wheel_filenames_n(100_000)
}
