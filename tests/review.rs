//! The staging review: the report's JSON against docs/review-report.schema.json, the page,
//! the changes, the SBOM, approval.

use pypackaging::Hasher;
use pypackaging::hash::Digest;
use pypackaging::metadata::{Finding, Rule};
use pypackaging::review::{
    Changes, Decision, Report, ReviewError, ReviewFile, Sbom, purl, render_find_links, render_html,
};
use pypackaging::simple::Yanked;
use serde_json::Value;

fn sha(bytes: &[u8]) -> Digest {
    let mut h = Hasher::sha256();
    h.update(bytes);
    h.finish().as_slice()[0]
}

fn file(name: &str, bytes: &[u8]) -> ReviewFile {
    let dist = pypackaging::DistFilename::parse(name).unwrap();
    let project = dist.name().unwrap().to_string();
    ReviewFile::new(
        name,
        bytes.len() as u64,
        &sha(bytes),
        format!("simple/{project}/{name}"),
    )
    .unwrap()
}

fn sample() -> Report {
    let mut a = file("Demo_Pkg-1.0-py3-none-any.whl", b"wheel one");
    a.set_metadata(
        b"Metadata-Version: 2.4\nName: Demo_Pkg\nVersion: 1.0\nRequires-Python: >=3.9\n\
          License-Expression: MIT OR Apache-2.0\nRequires-Dist: idna>=3\n\
          Requires-Dist: tomli; python_version < \"3.11\"\n",
    );
    a.url = Some("https://files.example/demo_pkg-1.0-py3-none-any.whl".to_owned());
    a.provenance = Some("https://files.example/demo_pkg-1.0.provenance".to_owned());
    a.findings.push(
        Finding::new(
            Rule::WheelTagMismatch,
            "the <script> tag `py2` is not in the name",
        )
        .in_file("x.dist-info/WHEEL")
        .at_line(3),
    );
    let mut b = file("demo_pkg-1.0.tar.gz", b"sdist one");
    b.set_metadata(
        b"Metadata-Version: 2.1\nName: demo_pkg\nVersion: 1.0\nLicense: BSD 3-Clause\n\
          Classifier: License :: OSI Approved :: BSD License\nClassifier: Programming Language :: Python\n",
    );
    b.set_yanked(&Yanked::with_reason("broken & <bad>"));
    Report::new("mirror", vec![b, a])
}

/// A small validator for the subset of JSON Schema the documented schema uses.
fn validate(schema: &Value, root: &Value, v: &Value, at: &str, errors: &mut Vec<String>) {
    if let Some(r) = schema.get("$ref").and_then(Value::as_str) {
        let name = r.strip_prefix("#/$defs/").expect("a local $ref");
        return validate(&root["$defs"][name], root, v, at, errors);
    }
    if let Some(c) = schema.get("const")
        && c != v
    {
        errors.push(format!("{at}: {v} is not {c}"));
    }
    if let Some(e) = schema.get("enum").and_then(Value::as_array)
        && !e.contains(v)
    {
        errors.push(format!("{at}: {v} is not one of {e:?}"));
    }
    if let Some(options) = schema.get("oneOf").and_then(Value::as_array) {
        let ok = options
            .iter()
            .filter(|o| {
                let mut e = Vec::new();
                validate(o, root, v, at, &mut e);
                e.is_empty()
            })
            .count();
        if ok != 1 {
            errors.push(format!("{at}: {ok} of oneOf match"));
        }
    }
    if let Some(t) = schema.get("type") {
        let types: Vec<&str> = match t {
            Value::String(s) => vec![s.as_str()],
            Value::Array(a) => a.iter().filter_map(Value::as_str).collect(),
            _ => panic!("bad type"),
        };
        let is = |t: &str| match t {
            "null" => v.is_null(),
            "string" => v.is_string(),
            "integer" => v.is_u64() || v.is_i64(),
            "boolean" => v.is_boolean(),
            "array" => v.is_array(),
            "object" => v.is_object(),
            _ => panic!("type {t}"),
        };
        if !types.iter().any(|t| is(t)) {
            errors.push(format!("{at}: {v} is not {types:?}"));
        }
    }
    if let (Some(min), Some(n)) = (schema.get("minimum").and_then(Value::as_i64), v.as_i64())
        && n < min
    {
        errors.push(format!("{at}: {n} < {min}"));
    }
    if let (Some(p), Some(s)) = (schema.get("pattern").and_then(Value::as_str), v.as_str()) {
        assert_eq!(p, "^[0-9a-f]{64}$", "the one pattern the schema uses");
        if s.len() != 64
            || !s
                .bytes()
                .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
        {
            errors.push(format!("{at}: `{s}` is not 64 hex digits"));
        }
    }
    if let Some(obj) = v.as_object() {
        let props = schema.get("properties").and_then(Value::as_object);
        for req in schema
            .get("required")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            if !obj.contains_key(req.as_str().unwrap()) {
                errors.push(format!("{at}: missing `{req}`"));
            }
        }
        for (k, val) in obj {
            match props.and_then(|p| p.get(k)) {
                Some(s) => validate(s, root, val, &format!("{at}.{k}"), errors),
                None if schema.get("additionalProperties") == Some(&Value::Bool(false)) => {
                    errors.push(format!("{at}: key `{k}` is not documented"))
                }
                None => {}
            }
        }
    }
    if let (Some(items), Some(arr)) = (schema.get("items"), v.as_array()) {
        for (i, item) in arr.iter().enumerate() {
            validate(items, root, item, &format!("{at}[{i}]"), errors);
        }
    }
}

fn schema_errors(report: &Report) -> Vec<String> {
    let schema: Value = serde_json::from_str(include_str!("../docs/review-report.schema.json"))
        .expect("the schema parses");
    let value: Value = serde_json::from_str(&report.to_json()).unwrap();
    let mut errors = Vec::new();
    validate(&schema, &schema, &value, "$", &mut errors);
    errors
}

#[test]
fn the_report_validates_against_the_documented_schema() {
    let mut report = sample();
    assert_eq!(schema_errors(&report), Vec::<String>::new());
    let mut previous = sample();
    previous.files.pop();
    previous.files[0].sha256 = "0".repeat(64);
    previous.files[0].yanked = false;
    report.compare_with(&previous);
    report.files[0].decision = Some(Decision::Rejected);
    assert_eq!(schema_errors(&report), Vec::<String>::new());
    // The validator does catch what the schema forbids.
    let mut bad: Value = serde_json::from_str(&report.to_json()).unwrap();
    bad["files"][0]["extra"] = Value::Bool(true);
    bad["files"][0]["sha256"] = Value::String("ABC".into());
    let schema: Value =
        serde_json::from_str(include_str!("../docs/review-report.schema.json")).unwrap();
    let mut errors = Vec::new();
    validate(&schema, &schema, &bad, "$", &mut errors);
    assert_eq!(errors.len(), 2, "{errors:?}");
}

#[test]
fn every_documented_key_is_in_the_module_docs() {
    let docs = include_str!("../src/review.rs");
    let schema: Value =
        serde_json::from_str(include_str!("../docs/review-report.schema.json")).unwrap();
    for (path, def) in [
        ("", &schema),
        ("files[].", &schema["$defs"]["file"]),
        (
            "files[].license.",
            &schema["$defs"]["file"]["properties"]["license"],
        ),
        ("changes.", &schema["$defs"]["changes"]),
    ] {
        for key in def["properties"].as_object().unwrap().keys() {
            assert!(
                docs.contains(&format!("//! | `{path}{key}` |")),
                "`{path}{key}` is not in the doc table"
            );
        }
    }
}

#[test]
fn the_report_reads_metadata_and_keeps_stable_keys() {
    let report = sample();
    let wheel = &report.files[0];
    assert_eq!(wheel.project, "demo-pkg");
    assert_eq!(wheel.kind, "wheel");
    assert_eq!(wheel.requires_python.as_deref(), Some(">=3.9"));
    assert_eq!(wheel.requires_dist.len(), 2);
    assert_eq!(
        wheel.license.summary().as_deref(),
        Some("MIT OR Apache-2.0")
    );
    let sdist = &report.files[1];
    assert_eq!(sdist.license.text.as_deref(), Some("BSD 3-Clause"));
    assert_eq!(
        sdist.license.classifiers,
        ["License :: OSI Approved :: BSD License"]
    );
    assert!(sdist.yanked);
    let json = report.to_json();
    let keys: Vec<&str> = json
        .lines()
        .filter(|l| l.starts_with("  \"") || l.starts_with("      \""))
        .map(|l| l.trim().split('"').nth(1).unwrap())
        .take(20)
        .collect();
    insta::assert_snapshot!(keys.join(" "), @"schema tool files filename project version kind size sha256 path url requires_python requires_dist license yanked yanked_reason provenance findings filename project");
    assert_eq!(Report::from_json(&json).unwrap(), report);
}

#[test]
fn reading_a_report_checks_its_schema() {
    let err = Report::from_json(r#"{"schema": 2, "tool": "x", "files": [], "changes": null}"#)
        .unwrap_err();
    insta::assert_snapshot!(err, @r#"review report has `"schema": 2`; this version reads schema 1"#);
    let err = Report::from_json(r#"{"version": 1}"#).unwrap_err();
    insta::assert_snapshot!(err, @"not a review report: no integer `schema` key");
    let err = ReviewFile::new("notes.txt", 1, &sha(b""), "x").unwrap_err();
    assert!(matches!(err, ReviewError::NotADistribution { .. }));
}

#[test]
fn the_page_escapes_and_shows_every_file_and_warning() {
    let mut report = sample();
    report.files[0].url = Some("javascript:alert(1)".to_owned());
    let html = render_html(&report);
    for f in &report.files {
        assert!(html.contains(&f.filename));
    }
    assert!(html.contains("the &lt;script&gt; tag `py2`"), "{html}");
    assert!(html.contains("yanked: broken &amp; &lt;bad&gt;"));
    assert!(!html.contains("<bad>"));
    assert!(!html.contains("href=\"javascript:"));
    assert!(html.contains("MIT OR Apache-2.0"));
    assert!(html.contains("<code>tomli; python_version &lt; &quot;3.11&quot;</code>"));
    // The content is in the table in order, not built by the script.
    let wheel_at = html
        .find("<td class=\"fn\">Demo_Pkg-1.0-py3-none-any.whl")
        .unwrap();
    let sdist_at = html.find("<td class=\"fn\">demo_pkg-1.0.tar.gz").unwrap();
    assert!(wheel_at < sdist_at && sdist_at < html.find("<script>").unwrap());
}

#[test]
fn changes_list_added_removed_reuploaded_and_yanked() {
    let previous = sample();
    let mut current = sample();
    current.files.remove(0);
    current.files[0].sha256 = "f".repeat(64);
    current.files.push(file("tiny-0.1-py3-none-any.whl", b"t"));
    current.files[1].set_yanked(&Yanked::Yanked(None));
    let mut previous2 = previous.clone();
    previous2.files[1].yanked = false;
    let changes = Changes::between(&previous2, &current);
    assert_eq!(changes.added, ["tiny-0.1-py3-none-any.whl"]);
    assert_eq!(changes.removed, ["Demo_Pkg-1.0-py3-none-any.whl"]);
    assert_eq!(changes.reuploaded.len(), 1);
    assert_eq!(
        changes.newly_yanked,
        ["demo_pkg-1.0.tar.gz", "tiny-0.1-py3-none-any.whl"]
    );
    let lines = changes.summary_lines();
    insta::assert_snapshot!(lines[0], @"since the last review (2 files): 1 added, 1 removed, 1 re-uploaded, 2 newly yanked");
    assert!(Changes::between(&previous, &previous).is_empty());
    current.changes = Some(changes);
    let html = render_html(&current);
    assert!(
        html.contains("Since the last review") && html.contains("<span class=\"new\">new</span>")
    );
}

#[test]
fn the_sbom_has_purls_hashes_and_licenses() {
    let report = sample();
    let sbom = Sbom::from_report(&report, "0.1.0");
    let v: Value = serde_json::from_str(&sbom.to_json()).unwrap();
    assert_eq!(v["bomFormat"], "CycloneDX");
    assert_eq!(v["specVersion"], "1.6");
    let serial = v["serialNumber"].as_str().unwrap();
    assert!(
        serial.starts_with("urn:uuid:") && serial.len() == 45,
        "{serial}"
    );
    let c = &v["components"][0];
    assert_eq!(c["purl"], "pkg:pypi/demo-pkg@1.0");
    assert_eq!(c["hashes"][0]["alg"], "SHA-256");
    assert_eq!(c["hashes"][0]["content"], report.files[0].sha256);
    assert_eq!(c["licenses"][0]["expression"], "MIT OR Apache-2.0");
    assert_eq!(c["bom-ref"], "Demo_Pkg-1.0-py3-none-any.whl");
    assert_eq!(c["externalReferences"][0]["type"], "distribution");
    let s = &v["components"][1];
    assert_eq!(s["licenses"][0]["license"]["name"], "BSD 3-Clause");
    assert_eq!(s["licenses"][1]["license"]["name"], "BSD License");
    assert_eq!(
        purl("Foo_Bar.baz", "1.0+local"),
        "pkg:pypi/foo-bar-baz@1.0%2Blocal"
    );
    // The same set gives the same serial number.
    assert_eq!(Sbom::from_report(&sample(), "0.1.0"), sbom);
}

#[test]
fn approval_honours_decisions_and_checks_bytes() {
    let mut report = sample();
    report.files[1].decision = Some(Decision::Rejected);
    let approved = report.approved(&[]).unwrap();
    assert_eq!(approved.len(), 1);
    let none = report
        .approved(&["Demo_Pkg-1.0-py3-none-any.whl".to_owned()])
        .unwrap();
    assert!(none.is_empty());
    let err = report.approved(&["typo.whl".to_owned()]).unwrap_err();
    insta::assert_snapshot!(err, @"cannot reject `typo.whl`: the report lists no such file");
    let f = &report.files[0];
    assert!(f.verify(&sha(b"wheel one"), 9).is_ok());
    let err = f.verify(&sha(b"wheel two"), 9).unwrap_err();
    insta::assert_snapshot!(err, @"`Demo_Pkg-1.0-py3-none-any.whl` differs from the reviewed report: the report says 9 bytes, sha256 ce51df934e544330314bb849e47d500515b0be600c401d1a76d0745055e3178b; the staged file has 9 bytes, sha256 b15a2c9ce7de6dc7cb1117578c3e58a3ed0c4cb8c142d13cc453fd19a1ed8bc9");
}

#[test]
fn the_find_links_page_links_every_file_with_its_hash() {
    let page = render_find_links([
        ("../files/", "a b-1.0.tar.gz", "ab"),
        ("", "c-1.0-py3-none-any.whl", "cd"),
    ]);
    assert!(page.contains("<a href=\"../files/a%20b-1.0.tar.gz#sha256=ab\">a b-1.0.tar.gz</a>"));
    assert!(page.contains("<a href=\"c-1.0-py3-none-any.whl#sha256=cd\">"));
}
