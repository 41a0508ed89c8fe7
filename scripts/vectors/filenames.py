#!/usr/bin/env python3
"""tests/vectors/wheels.jsonl and sdists.jsonl: packaging.utils.parse_wheel_filename and
parse_sdist_filename (packaging 26.3) on real PyPI names and versions with a realistic tag mix,
in the spellings tools and people write, plus hand-made tricky filenames."""
import re

from packaging.utils import parse_sdist_filename, parse_wheel_filename

from common import ROOT, header, write

TAG_MIX = [
    "py3-none-any",
    "py2.py3-none-any",
    "py3-none-any",
    "cp311-cp311-manylinux_2_17_x86_64.manylinux2014_x86_64",
    "cp312-cp312-manylinux_2_28_aarch64",
    "cp312-cp312-win_amd64",
    "cp310-cp310-macosx_10_9_x86_64",
    "cp39-abi3-macosx_11_0_arm64",
    "cp313-cp313t-musllinux_1_2_aarch64",
    "pp310-pypy310_pp73-manylinux_2_17_x86_64.manylinux2014_x86_64",
    "cp27-cp27mu-manylinux1_x86_64",
    "cp36-cp36m-win32",
    "cp37-cp37m-manylinux2010_i686",
    "cp312-cp312-ios_13_0_arm64_iphoneos",
    "cp313-cp313-android_21_arm64_v8a",
    "cp312-cp312-pyodide_2024_0_wasm32",
    "cp314-cp314-pyemscripten_2026_0_wasm32",
    "py3-none-macosx_10_9_universal2",
    "cp311-cp311-linux_x86_64",
    "cp38-abi3-win_arm64",
    "cp315-abi3t-manylinux_2_34_x86_64",
    "cp310-cp310-macosx_10_9_x86_64.macosx_11_0_arm64.macosx_10_9_universal2",
    "graalpy311-graalpy242_311_native-manylinux_2_28_x86_64",
    "cp313-cp313d-win_amd64",
    "py2-none-any",
    "cp36.cp37.cp38-abi3-manylinux_2_5_x86_64.manylinux1_x86_64",
]
BUILDS = ["1", "2a", "007", "10_post", "0", "123abc"]

TRICKY_WHEELS = [
    ("foo-1.0-py3-none-any.whl", "plain"),
    ("foo-1.0-1-py3-none-any.whl", "build number"),
    ("foo-1.0-1a-py3-none-any.whl", "build with suffix"),
    ("foo-1.0-a1-py3-none-any.whl", "build must start with a digit"),
    ("foo-1.0--py3-none-any.whl", "empty build"),
    ("foo-1.0-00012-py3-none-any.whl", "build with leading zeros"),
    ("foo-1.0-99999999999999999999-py3-none-any.whl", "build beyond u64"),
    ("foo-1.0-py3-none-any.WHL", "upper-case extension"),
    ("foo-1.0-py3-none-any", "no extension"),
    ("foo-1.0-py3-none.whl", "three parts"),
    ("foo-1.0-1-2-py3-none-any.whl", "seven parts"),
    ("foo-py3-none-any.whl", "no version"),
    ("Foo_Bar-1.0-py3-none-any.whl", "upper case name"),
    ("foo.bar-1.0-py3-none-any.whl", "dot in name"),
    ("foo__bar-1.0-py3-none-any.whl", "double underscore"),
    ("foo_-1.0-py3-none-any.whl", "trailing underscore"),
    ("_foo-1.0-py3-none-any.whl", "leading underscore"),
    ("-1.0-py3-none-any.whl", "empty name"),
    ("fóo-1.0-py3-none-any.whl", "non-ASCII name"),
    ("foo bar-1.0-py3-none-any.whl", "space in name"),
    ("dir/foo-1.0-py3-none-any.whl", "path in name"),
    ("foo-1.0.0RC1-py3-none-any.whl", "non-normalized version"),
    ("foo-v1.0-py3-none-any.whl", "v prefix"),
    ("foo-1.0+local.1-py3-none-any.whl", "local version"),
    ("foo-1!2.0-py3-none-any.whl", "epoch"),
    ("foo-1.0.post1.dev2-py3-none-any.whl", "post dev"),
    ("foo-latest-py3-none-any.whl", "invalid version"),
    ("foo-1.0-py3.py2-none-any.whl", "unsorted tag set"),
    ("foo-1.0-py2.py3.py2-none-any.whl", "duplicate in tag set"),
    ("foo-1.0-PY3-NONE-ANY.whl", "upper-case tags"),
    ("foo-1.0-py3..py2-none-any.whl", "empty tag component"),
    ("foo-1.0-.py3-none-any.whl", "leading dot in tags"),
    ("foo-1.0-py3-none-.whl", "empty platform"),
    ("foo-1.0-3py-none-any.whl", "python tag not an identifier"),
    ("foo-1.0-py3-none-any.any.whl", "platform twice"),
    ("foo-1.0-cp311-cp311-manylinux_2_17_x86_64.manylinux2014_x86_64.whl", "manylinux pair"),
    ("foo-1.0-cp311-cp311-manylinux_02_17_x86_64.whl", "non-canonical manylinux numbers"),
    ("foo-1.0-cp311-cp311-Win_AMD64.whl", "mixed-case platform"),
    ("foo-1.0-cp313-cp313t-win_amd64.whl", "free-threaded"),
    ("foo-1.0-cp315-abi3t-win_amd64.whl", "abi3t"),
    ("foo-1.0-cp3x-none-any.whl", "odd python tag"),
    ("foo-1.0-py3-none-solaris_2_11_sparc.whl", "unknown platform"),
    ("foo-1.0-py3-none-any.whl.whl", "double extension"),
    ("foo-1.0-py3-none-any.whl ", "trailing space"),
    ("foo-1.0 -py3-none-any.whl", "space before dash"),
    ("foo-1.0-py3-none-any .whl", "space in platform"),
    (".whl", "only extension"),
    ("", "empty"),
    ("a-1-py3-none-any.whl", "shortest"),
    ("foo-1.0-_py3-none-any.whl", "underscore python tag"),
    ("foo-1.0-py3-none-macosx_10_9_x86_64.macosx_11_0_arm64.macosx_10_9_universal2.whl", "mac triple"),
    ("foo-1.0-py3-none-ios_13_0_arm64_iphoneos.ios_13_0_arm64_iphonesimulator.whl", "ios pair"),
    ("foo-1.0-py3-none-manylinux1_x86_64.manylinux2010_x86_64.manylinux2014_x86_64.whl", "legacy aliases"),
    ("foo-1.0-py2.py3-cp27mu.cp36m.cp37m.none-any.win32.win_amd64.whl", "large compressed set"),
    ("foo-1.0-py3-none-any\n.whl", "newline"),
    ("foo-1.0.0.0.0-py3-none-any.whl", "long release"),
    ("foo-01.02-py3-none-any.whl", "leading zeros in version"),
    ("foo-1.0-٣-py3-none-any.whl", "non-ASCII digit build"),
]

TRICKY_SDISTS = [
    ("foo-1.0.tar.gz", "plain"),
    ("foo-1.0.zip", "zip"),
    ("foo-1.0.tar.bz2", "bz2 is not an sdist here"),
    ("foo-1.0.tgz", "tgz"),
    ("foo-1.0.TAR.GZ", "upper-case extension"),
    ("foo.tar.gz", "no dash"),
    ("-1.0.tar.gz", "empty name"),
    ("foo-.tar.gz", "empty version"),
    ("foo-bar-1.0.tar.gz", "legacy hyphenated name"),
    ("Foo_Bar-1.0.tar.gz", "upper-case name"),
    ("foo_bar-1.0.tar.gz", "canonical"),
    ("foo.bar-1.0.tar.gz", "dotted name"),
    ("foo-1.0.0RC1.tar.gz", "non-normalized version"),
    ("foo-1.0-1.tar.gz", "version with dash splits at the last one"),
    ("foo-1.0+local.tar.gz", "local version"),
    ("foo-1!1.0.tar.gz", "epoch"),
    ("foo bar-1.0.tar.gz", "space in name"),
    ("dir/foo-1.0.tar.gz", "path"),
    ("_foo-1.0.tar.gz", "leading underscore"),
    ("foo-latest.tar.gz", "invalid version"),
    ("foo-1.0.tar.gz.zip", "double extension"),
    (".tar.gz", "only extension"),
    ("", "empty"),
    ("foo--1.0.tar.gz", "double dash"),
    ("foo-v1.0.tar.gz", "v prefix"),
]


def describe_wheel(text):
    try:
        name, version, build, tags = parse_wheel_filename(text)
    except ValueError:
        return {"ok": False}
    return {
        "ok": True,
        "name": name,
        "version": str(version),
        "build": list(build) if build else None,
        "tags": sorted(str(t) for t in tags),
    }


def describe_sdist(text):
    try:
        name, version = parse_sdist_filename(text)
    except ValueError:
        return {"ok": False}
    return {
        "ok": True,
        "name": name,
        "version": str(version),
        "format": "tar.gz" if text.endswith(".tar.gz") else "zip",
    }


def spell(name, i):
    """The spellings found on indexes: escaped as-is, canonical, raw, dotted."""
    kind = i % 5
    if kind == 0:
        return re.sub(r"[-_.]+", "_", name)
    if kind == 1:
        return re.sub(r"[-_.]+", "_", name).lower()
    if kind == 2:
        return name
    if kind == 3:
        return name.replace("-", ".")
    return re.sub(r"[-_.]+", "_", name).upper()


def real():
    rows = [line.split("\t") for line in (ROOT / "benches" / "data" / "pypi-slice.tsv").read_text(encoding="utf-8").splitlines()]
    wheels, sdists = [], []
    for i, (name, version) in enumerate(rows):
        if i % 8 == 0:
            build = f"-{BUILDS[i % len(BUILDS)]}" if i % 56 == 0 else ""
            tags = TAG_MIX[(i // 8) % len(TAG_MIX)]
            wheels.append((f"{spell(name, i // 8)}-{version}{build}-{tags}.whl", "pypi"))
        if i % 10 == 3:
            ext = ".zip" if i % 70 == 3 else ".tar.gz"
            sdists.append((f"{spell(name, i // 10)}-{version}{ext}", "pypi"))
    return wheels, sdists


if __name__ == "__main__":
    wheels, sdists = real()
    write(
        "wheels.jsonl",
        header(source="hand-made tricky filenames, then real PyPI names/versions (benches/data/pypi-slice.tsv) with a tag mix"),
        [{"input": t, **describe_wheel(t), "note": n} for t, n in TRICKY_WHEELS + wheels],
    )
    write(
        "sdists.jsonl",
        header(source="hand-made tricky filenames, then real PyPI names/versions (benches/data/pypi-slice.tsv)"),
        [{"input": t, **describe_sdist(t), "note": n} for t, n in TRICKY_SDISTS + sdists],
    )
