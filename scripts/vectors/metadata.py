#!/usr/bin/env python3
"""tests/vectors/metadata.jsonl: packaging.metadata.parse_email and Metadata.from_email.

Inputs are the files under tests/data/metadata/:

- real/: METADATA and PKG-INFO files of real wheels and sdists of every era. With
  METADATA_DOWNLOAD=1 this script downloads them into target/metadata-dl/ (not committed):
  wheels with `pip download --only-binary :all: --no-deps`, sdists with pypi-simple, because
  `pip download` of an sdist runs its build backend, which fails for old `setup.py` files. Only
  the extracted text files are committed.
- edge/: hand-made edge cases, written by this script from EDGE below.

Each vector: the file, its PEP 566 JSON form from parse_email (keys lower-case with `_`,
multiple-use fields and unparsed fields as lists, keywords split on commas, project URLs as
"label, url"), and the verdict of Metadata.from_email(validate=True) with the fields of every
error.
"""
import io
import json
import os
import subprocess
import sys
import tarfile
import zipfile
from pathlib import Path

from packaging.metadata import ExceptionGroup, InvalidMetadata, Metadata, parse_email, _RAW_TO_EMAIL_MAPPING

from common import ROOT, header, write

DATA = ROOT / "tests" / "data" / "metadata"
DOWNLOADS = ROOT / "target" / "metadata-dl"

# (project, version, kind): chosen for their era and the tool that wrote them.
REAL = [
    # PKG-INFO 1.0 / 1.1 / 1.2 of old sdists (distutils, setuptools of the day)
    ("simplejson", "2.0.9", "sdist"),
    ("six", "1.1.0", "sdist"),
    ("docutils", "0.8.1", "sdist"),
    ("pyparsing", "1.5.6", "sdist"),
    ("requests", "0.10.0", "sdist"),
    ("Markdown", "2.0", "sdist"),
    ("requests", "2.19.1", "sdist"),
    ("six", "1.12.0", "sdist"),
    ("argparse", "1.1", "sdist"),
    ("python-dateutil", "1.5", "sdist"),
    ("mock", "0.7.0", "sdist"),
    ("PyYAML", "3.10", "sdist"),
    ("MarkupSafe", "0.11", "sdist"),
    ("Pygments", "1.4", "sdist"),
    ("Werkzeug", "0.6", "sdist"),
    ("Jinja2", "2.5", "sdist"),
    ("nose", "1.0.0", "sdist"),
    ("importlib_metadata", "8.6.1", "sdist"),
    ("jaraco.functools", "4.1.0", "sdist"),
    ("wrapt", "1.17.2", "sdist"),
    ("pytz", "2013.7", "sdist"),
    ("Django", "1.4", "sdist"),
    # 2.x sdists
    ("attrs", "23.1.0", "sdist"),
    ("tomli", "2.0.1", "sdist"),
    ("hatchling", "1.27.0", "sdist"),
    ("packaging", "25.0", "sdist"),
    ("click", "8.2.0", "sdist"),
    # METADATA 2.0 / 2.1 / 2.2 / 2.3 / 2.4 of wheels (wheel, setuptools, flit, hatchling, poetry, pdm)
    ("six", "1.16.0", "wheel"),
    ("requests", "2.31.0", "wheel"),
    ("idna", "3.7", "wheel"),
    ("certifi", "2024.2.2", "wheel"),
    ("urllib3", "2.2.1", "wheel"),
    ("click", "8.1.7", "wheel"),
    ("flask", "3.0.3", "wheel"),
    ("attrs", "23.1.0", "wheel"),
    ("attrs", "25.3.0", "wheel"),
    ("rich", "13.7.0", "wheel"),
    ("httpx", "0.27.0", "wheel"),
    ("typing_extensions", "4.12.2", "wheel"),
    ("setuptools", "75.0.0", "wheel"),
    ("pip", "24.0", "wheel"),
    ("hatchling", "1.27.0", "wheel"),
    ("packaging", "25.0", "wheel"),
    ("pytest", "8.4.0", "wheel"),
    ("click", "8.2.0", "wheel"),
    ("importlib_metadata", "8.6.1", "wheel"),
    ("pdm-backend", "2.4.3", "wheel"),
    ("poetry-core", "2.1.3", "wheel"),
    ("wheel", "0.45.1", "wheel"),
    ("docutils", "0.21.2", "wheel"),
    ("Pygments", "2.18.0", "wheel"),
    ("markdown-it-py", "3.0.0", "wheel"),
    ("trove-classifiers", "2024.10.21.16", "wheel"),
    ("filelock", "3.16.1", "wheel"),
]

# Hand-made edge cases: file name -> bytes. Each name says what it probes.
EDGE = {
    "minimal-1.0": b"Metadata-Version: 1.0\nName: a\nVersion: 1\n",
    "missing-required": b"Summary: nothing else\n",
    "unknown-version-2.0": b"Metadata-Version: 2.0\nName: a\nVersion: 1\n",
    "too-new-fields": b"Metadata-Version: 1.0\nName: a\nVersion: 1\nRequires-Dist: b\nClassifier: X\n"
                      b"Description-Content-Type: text/plain\nDynamic: Summary\nLicense-Expression: MIT\n",
    "repeated-name": b"Metadata-Version: 2.1\nName: a\nName: b\nVersion: 1\n",
    "unknown-fields": b"Metadata-Version: 2.1\nName: a\nVersion: 1\nX-Custom: 1\nX-Custom: 2\nHomepage: h\n",
    "case-insensitive-names": b"METADATA-VERSION: 2.1\nname: a\nversion: 1\nrequires-dist: b\n",
    "folded-summary": b"Metadata-Version: 2.1\nName: a\nVersion: 1\nSummary: one\n  two\n",
    "folded-license": b"Metadata-Version: 2.1\nName: a\nVersion: 1\nLicense: line one\n        line two\n\tline three\n",
    "description-header-8-spaces": b"Metadata-Version: 1.1\nName: a\nVersion: 1\nDescription: Title\n        =====\n        \n        text\nPlatform: UNKNOWN\n",
    "description-header-pipe": b"Metadata-Version: 1.2\nName: a\nVersion: 1\nDescription: Title\n       |=====\n       |\n       |text\n",
    "description-header-and-body": b"Metadata-Version: 2.1\nName: a\nVersion: 1\nDescription: header\n\nbody\n",
    "description-body-crlf": b"Metadata-Version: 2.1\r\nName: a\r\nVersion: 1\r\n\r\nline\r\nline2\r\n",
    "bare-cr": b"Metadata-Version: 2.1\rName: a\rVersion: 1\r\rbody\r",
    "no-blank-line-before-body": b"Metadata-Version: 2.1\nName: a\nVersion: 1\nthis is not a header\nSummary: s\n",
    "space-before-colon": b"Metadata-Version: 2.1\nName: a\nVersion : 1\n",
    "continuation-first": b"  leading continuation\nMetadata-Version: 2.1\nName: a\nVersion: 1\n",
    "mbox-from-line": b"From nobody\nMetadata-Version: 2.1\nName: a\nVersion: 1\n",
    "empty-name-header": b"Metadata-Version: 2.1\n: no name\nName: a\nVersion: 1\n",
    "non-utf8-author": b"Metadata-Version: 2.1\nName: a\nVersion: 1\nAuthor: Ren\xe9\n",
    "non-utf8-body": b"Metadata-Version: 2.1\nName: a\nVersion: 1\n\nd\xe9j\xe0 vu\n",
    "utf8-everywhere": "Metadata-Version: 2.1\nName: a\nVersion: 1\nAuthor: Renée Ω\nSummary: 日本語\n\nBody ✓\n".encode(),
    "encoded-word": b"Metadata-Version: 2.1\nName: a\nVersion: 1\nAuthor: =?utf-8?q?Ren=C3=A9e?=\n",
    "keywords-commas": b"Metadata-Version: 2.1\nName: a\nVersion: 1\nKeywords: a, b ,c,,d e\n",
    "keywords-repeated": b"Metadata-Version: 2.1\nName: a\nVersion: 1\nKeywords: a\nKeywords: b\n",
    "project-urls": b"Metadata-Version: 2.1\nName: a\nVersion: 1\nProject-URL: Home, https://x\nProject-URL: Docs,https://y\nProject-URL: nolabel\n",
    "project-urls-duplicate": b"Metadata-Version: 2.1\nName: a\nVersion: 1\nProject-URL: Home, https://x\nProject-URL: Home, https://y\n",
    "invalid-name": b"Metadata-Version: 2.1\nName: -a-\nVersion: 1\n",
    "invalid-version": b"Metadata-Version: 2.1\nName: a\nVersion: one\n",
    "empty-version": b"Metadata-Version: 2.1\nName: a\nVersion:\n",
    "invalid-requires-dist": b"Metadata-Version: 2.1\nName: a\nVersion: 1\nRequires-Dist: b >=\nRequires-Dist: c (>=1.0)\nRequires-Dist: d; extra == 'x'\n",
    "invalid-requires-python": b"Metadata-Version: 2.1\nName: a\nVersion: 1\nRequires-Python: >=3.8,\n",
    "requires-python-ok": b"Metadata-Version: 1.2\nName: a\nVersion: 1\nRequires-Python: >=2.7, !=3.0.*, !=3.1.*\n",
    "content-types": b"Metadata-Version: 2.1\nName: a\nVersion: 1\nDescription-Content-Type: text/markdown; charset=UTF-8; variant=GFM\n",
    "content-type-html": b"Metadata-Version: 2.1\nName: a\nVersion: 1\nDescription-Content-Type: text/html\n",
    "content-type-variant": b"Metadata-Version: 2.1\nName: a\nVersion: 1\nDescription-Content-Type: text/markdown; variant=gfm\n",
    "content-type-charset": b"Metadata-Version: 2.1\nName: a\nVersion: 1\nDescription-Content-Type: text/x-rst; charset=latin-1\n",
    "content-type-upper": b"Metadata-Version: 2.1\nName: a\nVersion: 1\nDescription-Content-Type: TEXT/X-RST\n",
    "content-type-empty": b"Metadata-Version: 2.1\nName: a\nVersion: 1\nDescription-Content-Type: \n",
    "dynamic-ok": b"Metadata-Version: 2.2\nName: a\nVersion: 1\nDynamic: Requires-Dist\nDynamic: summary\n",
    "dynamic-forbidden": b"Metadata-Version: 2.2\nName: a\nVersion: 1\nDynamic: Version\nDynamic: Nope\n",
    "dynamic-2.6-with-value": b"Metadata-Version: 2.6\nName: a\nVersion: 1\nDynamic: Requires-Dist\nRequires-Dist: b\n",
    "extras-unnormalized-2.1": b"Metadata-Version: 2.1\nName: a\nVersion: 1\nProvides-Extra: Dev_Tools\n",
    "extras-unnormalized-2.3": b"Metadata-Version: 2.3\nName: a\nVersion: 1\nProvides-Extra: Dev_Tools\n",
    "extras-invalid": b"Metadata-Version: 2.3\nName: a\nVersion: 1\nProvides-Extra: -x\n",
    "license-expression-ok": b"Metadata-Version: 2.4\nName: a\nVersion: 1\nLicense-Expression: mit OR (apache-2.0 AND bsd-2-clause)\n",
    "license-expression-with": b"Metadata-Version: 2.4\nName: a\nVersion: 1\nLicense-Expression: GPL-2.0-or-later WITH Classpath-exception-2.0\n",
    "license-expression-unknown": b"Metadata-Version: 2.4\nName: a\nVersion: 1\nLicense-Expression: Use-it-after-midnight\n",
    "license-expression-syntax": b"Metadata-Version: 2.4\nName: a\nVersion: 1\nLicense-Expression: (MIT\n",
    "license-expression-ref": b"Metadata-Version: 2.4\nName: a\nVersion: 1\nLicense-Expression: LicenseRef-Proprietary OR licenseref-my.own-1\n",
    "license-expression-2.3": b"Metadata-Version: 2.3\nName: a\nVersion: 1\nLicense-Expression: MIT\n",
    "license-files-ok": b"Metadata-Version: 2.4\nName: a\nVersion: 1\nLicense-File: LICENSE\nLicense-File: licenses/NOTICE.txt\n",
    "license-file-parent": b"Metadata-Version: 2.4\nName: a\nVersion: 1\nLicense-File: ../LICENSE\n",
    "license-file-absolute": b"Metadata-Version: 2.4\nName: a\nVersion: 1\nLicense-File: /LICENSE\n",
    "license-file-backslash": b"Metadata-Version: 2.4\nName: a\nVersion: 1\nLicense-File: licenses\\LICENSE\n",
    "license-file-glob": b"Metadata-Version: 2.4\nName: a\nVersion: 1\nLicense-File: LICEN*\n",
    "license-file-dot": b"Metadata-Version: 2.4\nName: a\nVersion: 1\nLicense-File: ./LICENSE\n",
    "import-names-ok": b"Metadata-Version: 2.5\nName: a\nVersion: 1\nImport-Name: a\nImport-Name: a.b; private\nImport-Namespace: ns\n",
    "import-name-empty": b"Metadata-Version: 2.5\nName: a\nVersion: 1\nImport-Name:\n",
    "import-name-keyword": b"Metadata-Version: 2.5\nName: a\nVersion: 1\nImport-Name: a.class\n",
    "import-name-bad-option": b"Metadata-Version: 2.5\nName: a\nVersion: 1\nImport-Name: a; public\n",
    "import-name-2.4": b"Metadata-Version: 2.4\nName: a\nVersion: 1\nImport-Name: a\n",
    "summary-empty": b"Metadata-Version: 2.1\nName: a\nVersion: 1\nSummary:\n",
    "every-field-2.6": b"""Metadata-Version: 2.6
Name: Every-Field
Version: 1.0.post1
Dynamic: Classifier
Platform: any
Supported-Platform: linux
Summary: every field once
Description-Content-Type: text/markdown
Keywords: a,b
Home-page: https://example.org
Download-URL: https://example.org/dl
Author: A
Author-email: a@example.org
Maintainer: M
Maintainer-email: m@example.org
License: free text
License-Expression: MIT
License-File: LICENSE
Classifier: Programming Language :: Python
Requires-Dist: requests[security]>=2; python_version < "3.13"
Requires-Python: >=3.9
Requires-External: libpq (>=9)
Project-URL: Source, https://example.org/src
Provides-Extra: dev
Provides-Dist: other
Obsoletes-Dist: old
Import-Name: every_field
Import-Namespace: every
Requires: r
Provides: p
Obsoletes: o

# Every field
""",
}


# Single field values, each checked by validating a 2.6 file holding just that field:
# (field, value). License expressions also get packaging's canonical form.
FIELD_VALUES = [
    *(("License-Expression", v) for v in [
        "MIT", "mit", "MIT OR Apache-2.0", "mit or apache-2.0 and bsd-3-clause", "(MIT)", "((mit))",
        "MIT AND (Apache-2.0 OR BSD-2-Clause)", "GPL-3.0-or-later WITH GCC-exception-3.1",
        "gpl-2.0-only with classpath-exception-2.0", "Apache-2.0+", "GPL-2.0+", "LicenseRef-Proprietary",
        "licenseref-public-domain", "LicenseRef-a.b-c", "LicenseRef-a_b", "LicenseRef-", "LicenseRef-x+",
        "LicenseRef-Foo OR licenseref-FOO", "", " ", "(", ")", "()", "MIT (", "(MIT", "MIT)", "MIT Apache-2.0",
        "MIT OR", "OR MIT", "AND", "MIT WITH", "WITH MIT", "MIT WITH Nope", "Nope WITH Classpath-exception-2.0",
        "MIT WITH Classpath-exception-2.0 WITH Classpath-exception-2.0", "(MIT) WITH Classpath-exception-2.0",
        "MIT WITH (Classpath-exception-2.0)", "MIT  OR\tApache-2.0", "MIT OR(Apache-2.0)", "MIT(OR)Apache-2.0",
        "GPL-2.0", "gpl-2.0-with-classpath-exception", "BSD-3-Clause-Clear", "Unlicense", "0bsd", "NOASSERTION",
        "NONE", "DocumentRef-x:LicenseRef-y", "MIT or not", "MIT+", "MIT++", "CC-BY-4.0 AND (MIT OR X11)",
    ]),
    *(("Description-Content-Type", v) for v in [
        "text/plain", "text/x-rst", "text/markdown", "TEXT/PLAIN", "text/markdown; charset=UTF-8",
        "text/markdown; charset=utf-8; variant=GFM", "text/markdown; variant=CommonMark", "text/markdown; variant=gfm",
        "text/markdown; variant=commonmark", "text/x-rst; variant=whatever", "text/plain; charset=latin-1",
        "text/plain; charset=\"utf-8\"", "text/plain;", "text/plain; ", "text/plain;charset=UTF-8", "text/html",
        "text/markdown; charset", "text/plain; x*", "text/plain; x=\"unterminated", "text/rst", "markdown",
        "", "text /plain", "text/plain (comment)", "text/plain; charset=utf-8; charset=latin-1", "application/json",
        "text/markdown ; variant = GFM", "text/x-rst;charset=UTF-8;", "text/plain; foo=bar",
    ]),
    *(("License-File", v) for v in [
        "LICENSE", "licenses/LICENSE.txt", "../LICENSE", "a/../b", "/LICENSE", "C:\\LICENSE", "C:/LICENSE",
        "c:LICENSE", "licenses\\LICENSE", "a//b", "./LICENSE", "a/./b", "a/", "LICEN*", "LICENSE?", "..foo",
        "\\\\server\\share\\x", "//server/share/x", "a b/c d.txt", "ß/é.txt",
    ]),
    *(("Import-Name", v) for v in [
        "foo", "foo.bar", "_private", "foo; private", "foo;private", "foo ;   private", "foo; private ",
        "foo; public", "foo;", "1foo", "foo-bar", "foo.", ".foo", "foo..bar", "class", "foo.class", "None",
        "match", "café", "名前", "foo bar", "foo.bar.baz; private",
    ]),
    *(("Requires-Python", v) for v in [
        ">=3.8", ">=3.8,", ",>=3.8", ">=3.8,,<4", ">= 3.8 , < 4", "3.8", "==3.*", "~=3", "~=3.8", ">=3.8.*",
        "!=3.0.*", "===3.8", "<3.8.0rc1", ">=3.8; python_version>'3'", "",
    ]),
    *(("Requires-Dist", v) for v in [
        "requests", "requests>=2", "requests (>=2.0)", "requests[security]>=2; python_version < '3.8'",
        "Requests[Security] >= 2.8.1 ; extra == 'dev'", "pkg @ https://example.org/pkg.whl", "pkg>=1,", "pkg>=",
        "pkg extra", "pkg; os_name == 'nt' and", "pkg==1.0.*", "pkg>=1.0.*", "-pkg", "pkg[]", "pkg[a,]",
        "pkg (==1.0)", "pkg===foo", "pkg; python_version > '3'  # comment", "2., b", "a.>=1", "a_ [x]",
        "requests[see Ω", "pkg; python_version == 'Ω'",
    ]),
    *(("Dynamic", v) for v in ["Requires-Dist", "requires-dist", "Version", "name", "metadata-version", "Nope",
                               "License-Expression", "Import-Name", "description"]),
    *(("Provides-Extra", v) for v in ["dev", "Dev", "dev_tools", "dev-tools", "-dev", "dev!", "", "a.b"]),
    *(("Name", v) for v in ["a", "A-b_c.d", "-a", "a-", "a b", "", "café"]),
    *(("Version", v) for v in ["1", "1.0", "v1.0", "1.0+local", "one", "", " 1.0 ", "1.0-dev"]),
]


def field_case(field, value):
    """A 2.6 file with Name and Version and the field (Name/Version replace the defaults)."""
    headers = {"Metadata-Version": "2.6", "Name": "a", "Version": "1"}
    headers[field] = value
    text = "".join(f"{k}: {v}\n" for k, v in headers.items())
    data = text.encode()
    row = {"field": field, "input": value, "file": text, **verdict(data)}
    if field == "License-Expression":
        from packaging.licenses import canonicalize_license_expression
        try:
            row["canonical"] = canonicalize_license_expression(value)
        except ValueError:
            row["canonical"] = None
    return row


def download():
    from pypi_simple import PyPISimple

    DOWNLOADS.mkdir(parents=True, exist_ok=True)
    python = sys.executable
    with PyPISimple() as client:
        for project, version, kind in REAL:
            if kind == "wheel":
                subprocess.run([python, "-m", "pip", "download", "--quiet", "--no-deps", "--only-binary", ":all:",
                                "--python-version", "3.12", "-d", str(DOWNLOADS), f"{project}=={version}"], check=True)
            else:
                page = client.get_project_page(project)
                dists = [p for p in page.packages if p.version == version and p.package_type == "sdist"]
                if not dists:
                    print(f"no sdist of {project} {version}", file=sys.stderr)
                    continue
                dist = sorted(dists, key=lambda p: not p.filename.endswith(".tar.gz"))[0]
                target = DOWNLOADS / dist.filename
                if not target.exists():
                    client.download_package(dist, path=target)


def extract():
    out = DATA / "real"
    out.mkdir(parents=True, exist_ok=True)
    for path in sorted(DOWNLOADS.iterdir()):
        name = path.name
        if name.endswith(".whl"):
            with zipfile.ZipFile(path) as z:
                member = next(n for n in z.namelist() if n.count("/") == 1 and n.endswith(".dist-info/METADATA"))
                data, target = z.read(member), name[:-4] + ".METADATA"
        elif name.endswith((".tar.gz", ".tgz")):
            with tarfile.open(path) as t:
                member = min((m for m in t.getmembers() if m.name.endswith("/PKG-INFO")), key=lambda m: m.name.count("/"))
                data, target = t.extractfile(member).read(), name.rsplit(".tar.gz", 1)[0] + ".PKG-INFO"
        elif name.endswith(".zip"):
            with zipfile.ZipFile(path) as z:
                member = min((n for n in z.namelist() if n.endswith("/PKG-INFO")), key=lambda n: n.count("/"))
                data, target = z.read(member), name[:-4] + ".PKG-INFO"
        else:
            continue
        (out / target).write_bytes(data)


def write_edge():
    out = DATA / "edge"
    out.mkdir(parents=True, exist_ok=True)
    for name, data in EDGE.items():
        (out / name).write_bytes(data)


def as_text(value):
    return value.decode("latin-1") if isinstance(value, bytes) else value


def pep566(raw, unparsed):
    doc = {}
    for key, value in raw.items():
        field = _RAW_TO_EMAIL_MAPPING[key].replace("-", "_")
        if key == "project_urls":
            value = [f"{label}, {url}" for label, url in value.items()]
        doc[field] = value
    for key, values in unparsed.items():
        doc[key.replace("-", "_")] = [as_text(v) for v in values]
    return doc


def verdict(data):
    try:
        Metadata.from_email(data, validate=True)
    except ExceptionGroup as group:
        errors = [e for e in group.exceptions]
        return {"valid": False, "error_fields": sorted({e.field.replace("_", "-") for e in errors}),
                "packaging_errors": [str(e) for e in errors]}
    return {"valid": True, "error_fields": [], "packaging_errors": []}


if __name__ == "__main__":
    if os.environ.get("METADATA_DOWNLOAD") == "1":
        download()
        extract()
    write_edge()
    rows = []
    for path in sorted(DATA.rglob("*")):
        if not path.is_file():
            continue
        data = path.read_bytes()
        raw, unparsed = parse_email(data)
        rows.append({"file": str(path.relative_to(DATA)), "json": pep566(raw, unparsed), **verdict(data)})
    write("metadata-fields.jsonl", header(source="FIELD_VALUES: one field of a 2.6 file, validated by Metadata.from_email"),
          [field_case(f, v) for f, v in FIELD_VALUES])
    write("metadata.jsonl", header(source="tests/data/metadata/: real METADATA/PKG-INFO (see REAL) and hand-made edge cases (EDGE)"), rows)
