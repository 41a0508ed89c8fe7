#!/usr/bin/env python3
"""tests/vectors/pep508.jsonl: packaging.requirements.Requirement (packaging 26.3) on
requirement strings built from real PyPI names and versions, plus hand-made tricky ones."""
import re

from packaging.requirements import InvalidRequirement, Requirement
from packaging.utils import canonicalize_name

from common import ROOT, header, write

TRICKY = [
    ("requests", "bare name"),
    ("Requests[Security,TESTS] >= 2.8.1, == 2.8.* ; python_version < '2.7'", "the PEP 508 example"),
    ("name[quux, strange];python_version<'2.7' and platform_version=='2'", "extras and marker"),
    ("name@http://foo.com", "URL"),
    ("name @ https://example.com/name-1.0-py3-none-any.whl#sha256=00 ; os_name == 'nt'", "URL and marker"),
    ("name @ file:///tmp/name-1.0.tar.gz", "file URL"),
    ("foo (>=1.0)", "parenthesized specifier"),
    ("foo>=1.0,<2", "compact"),
    ("foo ==1.0.0RC1", "non-normalized version"),
    ("foo===1.0-weird", "arbitrary equality"),
    ("foo~=1.4.2", "compatible release"),
    ("foo!=1.3.*", "not-equal wildcard"),
    ("foo; extra == 'Bar_Baz'", "extra marker"),
    ("foo; python_full_version >= '3.8.1' or sys_platform == \"win32\"", "or marker"),
    ("foo; (os_name == 'a' or os_name == 'b') and python_version > '3'", "nested marker"),
    ("foo[]", "empty extras"),
    ("foo[bar", "unclosed extras"),
    ("foo >= ", "missing version"),
    ("foo; ", "empty marker"),
    ("foo; os_name = 'a'", "single equals"),
    ("foo; python_version ~= '3.8'", "compatible marker"),
    ("foo; 'linux' in sys_platform", "in marker"),
    ("foo; platform_release not in 'x'", "not in marker"),
    ("-foo", "leading dash"),
    ("foo-", "trailing dash"),
    ("foo.bar_baz", "dots and underscores"),
    ("", "empty"),
    ("foo >=1.0 <2.0", "missing comma"),
    ("foo==1.0+local", "local version"),
    ("foo>=1.0+local", "local with >="),
    ("foo==1.*.0", "wildcard in the middle"),
    ("foo @ ", "empty URL"),
    ("foo[bar]@ https://x/y.whl", "extras and URL"),
    ("foo; implementation_name == 'cpython' and platform_machine == 'x86_64'", "two markers"),
    ("foo ; python_version >= '3.8' and python_version >= '3.9'", "redundant marker"),
]

OPS = [">=", "==", "~=", "<", "!=", "<=", ">"]


def describe(text):
    try:
        r = Requirement(text)
    except InvalidRequirement:
        return {"ok": False}
    return {
        "ok": True,
        "name": canonicalize_name(r.name),
        "extras": sorted({canonicalize_name(e) for e in r.extras}),
        "specifier": str(r.specifier),
        "url": r.url,
        "marker": str(r.marker) if r.marker is not None else None,
    }


def real():
    rows = [line.split("\t") for line in (ROOT / "benches" / "data" / "pypi-slice.tsv").read_text(encoding="utf-8").splitlines()]
    out = []
    for i, (name, version) in enumerate(rows):
        if i % 11:
            continue
        j = i // 11
        op = OPS[j % len(OPS)]
        if op == "~=" and "." not in version:
            op = ">="
        text = f"{name}{op}{version}"
        if j % 3 == 0:
            text = f"{name}[extra_{j % 5}] {op} {version}, <{j % 9 + 1}0"
        if j % 4 == 0:
            text += f" ; python_version >= '3.{j % 13}'"
        if j % 17 == 0:
            text = f"{name} @ https://files.example/{name}-{version}.tar.gz"
        out.append((text, "pypi"))
    return out


if __name__ == "__main__":
    write(
        "pep508.jsonl",
        header(source="hand-made tricky requirements, then requirements built from benches/data/pypi-slice.tsv"),
        [{"input": t, **describe(t), "note": n} for t, n in TRICKY + real()],
    )
