//! `inspect project-html|project-json|root-html|root-json FILE URL` (parse a simple API page
//! served at URL) and `inspect render-html|render-json MODEL` (render a project page model).

use pypackaging::simple::{
    CoreMetadata, Hashes, ProjectList, ProjectPage, RenderOptions, SimpleError, Warning, Yanked,
    html, json,
};
use serde_json::{Map, Value, json};

fn hashes(h: &Hashes) -> Value {
    let mut map = Map::new();
    for d in &h.digests {
        map.insert(d.algorithm().to_string(), Value::String(d.hex()));
    }
    for (name, value) in &h.unparsed {
        map.insert(name.clone(), Value::String(value.clone()));
    }
    Value::Object(map)
}

fn warnings(w: &[Warning]) -> Value {
    w.iter().map(|w| Value::String(w.to_string())).collect()
}

fn meta(m: &pypackaging::simple::Meta) -> Value {
    let mut v = json!({
        "api-version": m.api_version.map(|v| v.to_string()),
        "_last-serial": m.last_serial,
    });
    if !m.tracks.is_empty() {
        v["tracks"] = json!(m.tracks);
    }
    v
}

/// The probe's JSON form of a project page (PROBE.md), with `warnings`.
pub fn page_value(page: &ProjectPage, w: &[Warning]) -> Value {
    let files: Vec<Value> = page
        .files
        .iter()
        .map(|f| {
            json!({
                "filename": f.filename,
                "url": f.url,
                "hashes": hashes(&f.hashes),
                "requires-python": f.requires_python,
                "yanked": match &f.yanked {
                    Yanked::No => json!(false),
                    Yanked::Yanked(None) => json!(true),
                    Yanked::Yanked(Some(r)) => json!(r),
                },
                "core-metadata": match &f.core_metadata {
                    CoreMetadata::Absent => Value::Null,
                    CoreMetadata::Unavailable => json!(false),
                    CoreMetadata::Available(h) if h.is_empty() => json!(true),
                    CoreMetadata::Available(h) => hashes(h),
                },
                "gpg-sig": f.gpg_sig,
                "provenance": f.provenance,
                "size": f.size,
                "upload-time": f.upload_time,
            })
        })
        .collect();
    let mut v = json!({
        "meta": meta(&page.meta),
        "name": page.name,
        "files": files,
        "versions": page.versions,
        "project-status": page.status.as_ref().map(|s| json!({
            "status": s.status.as_ref().map(|m| m.as_str()),
            "reason": s.reason,
        })),
        "warnings": warnings(w),
    });
    if !page.alternate_locations.is_empty() {
        v["alternate-locations"] = json!(page.alternate_locations);
    }
    v
}

/// The probe's JSON form of a root page, with `warnings`.
pub fn list_value(list: &ProjectList, w: &[Warning]) -> Value {
    let projects: Vec<Value> = list
        .projects
        .iter()
        .map(|p| match &p.url {
            Some(url) => json!({"name": p.name, "url": url}),
            None => json!({"name": p.name}),
        })
        .collect();
    json!({"meta": meta(&list.meta), "projects": projects, "warnings": warnings(w)})
}

fn error(e: &SimpleError) -> Value {
    json!({"error": e.to_string()})
}

/// Parses `text` as the page kind `kind` served at `url`, as the probe prints it.
pub fn parse(kind: &str, text: &str, url: &str) -> Value {
    let result = match kind {
        "project-html" => {
            html::parse_project_page(text, url).map(|p| page_value(&p.value, &p.warnings))
        }
        "project-json" => {
            json::parse_project_page(text, url).map(|p| page_value(&p.value, &p.warnings))
        }
        "root-html" => {
            html::parse_project_list(text, url).map(|p| list_value(&p.value, &p.warnings))
        }
        _ => json::parse_project_list(text).map(|p| list_value(&p.value, &p.warnings)),
    };
    result.unwrap_or_else(|e| error(&e))
}

/// A page model (the probe's project shape, PEP 691 JSON with absolute URLs) as a page.
pub fn model(text: &str) -> Result<ProjectPage, String> {
    let mut value: Value = serde_json::from_str(text).map_err(|e| format!("model: {e}"))?;
    // The probe prints `"api-version": null` for HTML pages without the meta tag.
    if value["meta"]["api-version"].is_null()
        && let Some(meta) = value.get_mut("meta").and_then(Value::as_object_mut)
    {
        meta.insert("api-version".into(), json!("1.0"));
    }
    json::parse_project_page(&value.to_string(), "https://model.invalid/")
        .map(|p| p.value)
        .map_err(|e| format!("model: {e}"))
}

/// Renders a model as `render-html` or `render-json` prints it.
pub fn render(kind: &str, text: &str) -> Result<String, String> {
    let page = model(text)?;
    let mut out = String::new();
    let options = RenderOptions::absolute();
    let written = if kind == "render-html" {
        html::write_project_page(&mut out, &page, &options)
    } else {
        json::write_project_page(&mut out, &page, &options)
    };
    written.map_err(|e| e.to_string())?;
    Ok(out)
}

fn read(path: &str) -> Result<String, (u8, String)> {
    let bytes = std::fs::read(path).map_err(|e| (1, format!("{path}: {e}")))?;
    Ok(String::from_utf8_lossy(&bytes).into_owned())
}

fn page_probe(kind: &str, args: &[String]) -> Result<String, (u8, String)> {
    let [file, url] = args else {
        return Err((2, format!("{kind} takes FILE URL")));
    };
    Ok(parse(kind, &read(file)?, url).to_string())
}

fn render_probe(kind: &str, args: &[String]) -> Result<String, (u8, String)> {
    let [file] = args else {
        return Err((2, format!("{kind} takes MODEL")));
    };
    // A model that is not a page prints `{"error": ...}`, as a page that must be rejected does.
    match render(kind, &read(file)?) {
        Ok(text) => Ok(text),
        Err(e) => Ok(json!({"error": e}).to_string()),
    }
}

/// `inspect project-html FILE URL`.
pub fn project_html(args: &[String]) -> Result<String, (u8, String)> {
    page_probe("project-html", args)
}

/// `inspect project-json FILE URL`.
pub fn project_json(args: &[String]) -> Result<String, (u8, String)> {
    page_probe("project-json", args)
}

/// `inspect root-html FILE URL`.
pub fn root_html(args: &[String]) -> Result<String, (u8, String)> {
    page_probe("root-html", args)
}

/// `inspect root-json FILE URL`.
pub fn root_json(args: &[String]) -> Result<String, (u8, String)> {
    page_probe("root-json", args)
}

/// `inspect render-html MODEL`.
pub fn render_html(args: &[String]) -> Result<String, (u8, String)> {
    render_probe("render-html", args)
}

/// `inspect render-json MODEL`.
pub fn render_json(args: &[String]) -> Result<String, (u8, String)> {
    render_probe("render-json", args)
}
