"""Expectations for tests/data/simple/ pages: what pypi-simple and pip make of each page.

Each row: {"file", "kind" (inspect kind), "url" (page URL), "pypi_simple": {...} or
{"error": ...}, "pip": [...] or null}. The Rust side (tests/conformance_simple.rs) parses the same
file through the `inspect` code and compares the fields both sides define.
"""
import json
import warnings
from importlib.metadata import version
from pathlib import Path

import pypi_simple
from pip._internal.index.collector import IndexContent, parse_links

from common import ROOT, header, write

DATA = ROOT / "tests" / "data" / "simple"
PROJECT_URL = "https://index.example/simple/demo/"
ROOT_URL = "https://index.example/simple/"


def kind_of(name):
    root = "-root." in name
    if name.endswith(".json"):
        return "root-json" if root else "project-json"
    return "root-html" if root else "project-html"


def yanked(is_yanked, reason):
    if not is_yanked:
        return False
    return reason if reason else True


def metadata(pkg):
    if pkg.has_metadata is None:
        return None
    if not pkg.has_metadata:
        return False
    return pkg.metadata_digests or True


def package(pkg):
    return {
        "filename": pkg.filename,
        "url": pkg.url,
        "hashes": pkg.digests,
        "requires-python": pkg.requires_python,
        "yanked": yanked(pkg.is_yanked, pkg.yanked_reason),
        "core-metadata": metadata(pkg),
        "gpg-sig": pkg.has_sig,
        "provenance": pkg.provenance_url,
        "size": pkg.size,
    }


def with_pypi_simple(kind, text, url):
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            if kind == "project-html":
                page = pypi_simple.ProjectPage.from_html("demo", text, base_url=url)
            elif kind == "project-json":
                page = pypi_simple.ProjectPage.from_json_data(json.loads(text), base_url=url)
            elif kind == "root-html":
                page = pypi_simple.IndexPage.from_html(text)
            else:
                page = pypi_simple.IndexPage.from_json_data(json.loads(text))
        except Exception as e:  # noqa: BLE001 - any rejection is an expectation
            return {"error": f"{type(e).__name__}: {e}"}
    out = {
        "api-version": page.repository_version,
        "newer-minor-warning": any("minor" in str(w.message) for w in caught),
    }
    if kind.startswith("root"):
        out["projects"] = list(page.projects)
        return out
    out["files"] = [package(p) for p in page.packages]
    out["project-status"] = (
        None if page.status is None and page.status_reason is None
        else {"status": page.status and str(page.status), "reason": page.status_reason}
    )
    if kind == "project-json":
        out["versions"] = page.versions
    return out


def with_pip(kind, text, url):
    if kind not in ("project-html", "project-json"):
        return None
    content_type = "text/html" if kind == "project-html" else "application/vnd.pypi.simple.v1+json"
    try:
        links = list(parse_links(IndexContent(text.encode(), content_type, "utf-8", url, cache_link_parsing=False)))
    except Exception as e:  # noqa: BLE001
        return {"error": f"{type(e).__name__}: {e}"}
    return [
        {
            "url": link.url_without_fragment,
            "requires-python": link.requires_python,
            "yanked": yanked(link.is_yanked, link.yanked_reason),
            "hashes": link._hashes,
            "core-metadata": None if link.metadata_file_data is None
            else (link.metadata_file_data.hashes or True),
        }
        for link in links
    ]


def html5lib_decoded(value):
    """What html5lib's tokenizer (the HTML5 one) makes of `value` in an attribute and in text."""
    from html5lib._tokenizer import HTMLTokenizer
    from html5lib.constants import tokenTypes

    attribute, text = None, ""
    for token in HTMLTokenizer(f'<a data-x="{value}">{value}</a>'):
        if token["type"] == tokenTypes["StartTag"]:
            attribute = dict(token["data"])["data-x"]
        elif token["type"] in (tokenTypes["Characters"], tokenTypes["SpaceCharacters"]):
            text += token["data"]
    return {"input": value, "attribute": attribute, "text": text}


def reference_cases():
    """Character references: every named one (with `;`), every legacy one without `;` before
    the characters HTML5's attribute rule looks at, numeric edge cases."""
    from html5lib.constants import entities

    names = sorted(entities, key=lambda n: n.encode())
    values = [f"&{n}" for n in names if n.endswith(";")]
    for n in (n for n in names if not n.endswith(";")):
        values += [f"&{n}", f"&{n}x", f"&{n}=", f"&{n}1", f"&{n}-", f"a&{n}b;"]
    for n in ["#0", "#x0", "#00000065", "#x110000", "#1114111", "#1114112", "#xD800", "#xDFFF",
              "#55296", "#x7F", "#x80", "#x81", "#x8D", "#x9F", "#150", "#xFDD0", "#xFFFE",
              "#x1F", "#x0D", "#13", "#9", "#x", "#", "#;", "#x;", "#65", "#x41", "#X41",
              "#99999999999999999999", "#x0000000000000000000041"]:
        values += [f"&{n};", f"&{n}", f"&{n}z"]
    values += ["&", "&;", "& x", "&&amp;", "&amp;amp;", "&nosuch;", "&nosuch", "&notin", "&notit;",
               "&notinx;", "&AMP;", "&Amp;", "&ampamp;", "&lt=", "&copy2024", "?a=1&b=2&copy=3",
               "&CounterClockwiseContourIntegral;", "&CounterClockwiseContourIntegral",
               "&" + "a" * 40 + ";"]
    return [html5lib_decoded(v) for v in values]


def main():
    rows = []
    for path in sorted(DATA.iterdir()):
        if path.suffix not in (".html", ".json"):
            continue
        kind = kind_of(path.name)
        url = ROOT_URL if kind.startswith("root") else PROJECT_URL
        text = path.read_text(encoding="utf-8")
        rows.append({
            "file": path.name,
            "kind": kind,
            "url": url,
            "pypi_simple": with_pypi_simple(kind, text, url),
            "pip": with_pip(kind, text, url),
        })
    # Last, so that the line numbers of the pages above stay put.
    rows.append({"file": None, "kind": "references", "cases": reference_cases()})
    write(
        "simple.jsonl",
        header(**{"pypi-simple": version("pypi-simple"), "html5lib": version("html5lib")}),
        rows,
    )


if __name__ == "__main__":
    main()
