#!/usr/bin/env python3
"""Times pypa/packaging on the inputs the Rust comparison uses, for the same operations.

Prints one line per operation: the best of several runs, per item and items per second.
Run by benches/compare/run inside the reference venv (scripts/ref-env.sh pins the versions).
"""
import sys
import time
from pathlib import Path

import packaging
from packaging.utils import InvalidName, canonicalize_name
from packaging.version import InvalidVersion, Version
from packaging import tags as ptags
from packaging.utils import InvalidWheelFilename, parse_wheel_filename

ROOT = Path(__file__).resolve().parents[2]


def rows():
    full = ROOT / "target" / "pypi-projects.tsv"
    path = full if full.exists() else ROOT / "benches" / "data" / "pypi-slice.tsv"
    lines = path.read_text(encoding="utf-8").splitlines()
    return path, [tuple(line.split("\t", 1)) for line in lines if "\t" in line]


def best_of(runs, fn):
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times)


def report(label, seconds, count):
    print(f"{label}: {seconds * 1e3:.1f} ms for {count} items, "
          f"{seconds / count * 1e9:.0f} ns/item, {count / seconds / 1e6:.2f} M items/s")


def names(data):
    def run():
        for name, _ in data:
            try:
                canonicalize_name(name, validate=True)
            except InvalidName:
                pass
    report(f"packaging {packaging.__version__} canonicalize_name(validate=True)", best_of(3, run), len(data))


def versions(data):
    def run():
        parsed = []
        for _, text in data:
            try:
                parsed.append(Version(text))
            except InvalidVersion:
                pass
        parsed.sort()
    report(f"packaging {packaging.__version__} Version() + sort", best_of(3, run), len(data))


def wheel_names():
    path = ROOT / "target" / "compare-wheels.txt"
    if not path.exists():
        sys.exit(f"{path} is missing: run the Rust side first (it writes the generated wheels)")
    return path.read_text(encoding="utf-8").splitlines()


def wheels(_data):
    names = wheel_names()

    def run():
        for name in names:
            try:
                parse_wheel_filename(name)
            except (InvalidWheelFilename, InvalidVersion):
                pass
    report(f"packaging {packaging.__version__} parse_wheel_filename", best_of(3, run), len(names))


def manylinux_platforms():
    """What packaging.tags.platform_tags() lists on a glibc 2.28 x86_64 machine, uv's order
    (linux_x86_64 last)."""
    out = []
    for minor in range(28, 4, -1):
        out.append(f"manylinux_2_{minor}_x86_64")
        legacy = {17: "manylinux2014_x86_64", 12: "manylinux2010_x86_64", 5: "manylinux1_x86_64"}
        if minor in legacy:
            out.append(legacy[minor])
    out.append("linux_x86_64")
    return out


def target_tags():
    platforms = manylinux_platforms()
    tags = list(ptags.cpython_tags((3, 11), ["cp311"], platforms))
    tags += list(ptags.compatible_tags((3, 11), "cp311", platforms))
    return {tag: i for i, tag in reversed(list(enumerate(tags)))}


def target(_data):
    from pip._internal.utils.compatibility_tags import get_supported
    count = 1000
    priorities = target_tags()
    print(f"packaging target: {len(priorities)} tags", file=sys.stderr)
    seconds = best_of(3, lambda: [target_tags() for _ in range(count)])
    report(f"packaging {packaging.__version__} cpython_tags + compatible_tags (+ priority dict)", seconds, count)
    seconds = best_of(3, lambda: [
        {t: i for i, t in enumerate(get_supported("311", ["manylinux_2_28_x86_64"], "cp", ["cp311"]))}
        for _ in range(count)])
    report(f"pip {pip_version()} get_supported (+ priority dict)", seconds, count)


def pip_version():
    import pip
    return pip.__version__


def compat(_data):
    """pip's Wheel.find_most_preferred_tag on the parsed tag sets: the best priority among a
    wheel's tags, or none."""
    priorities = target_tags()
    parsed = []
    for name in wheel_names():
        try:
            parsed.append(parse_wheel_filename(name)[3])
        except (InvalidWheelFilename, InvalidVersion):
            pass

    def run():
        compatible = 0
        for tags in parsed:
            best = min((priorities[t] for t in tags if t in priorities), default=None)
            compatible += best is not None
        return compatible

    print(f"{len(parsed)} wheels, compatible: {run()}", file=sys.stderr)
    report(f"packaging {packaging.__version__} frozenset[Tag] -> min priority", best_of(3, run), len(parsed))


def pages(_data):
    """pypi-simple parsing the pages `cargo bench --bench simple` renders (it writes them to
    target/simple-bench/): a 50,000-file project page and the root page, HTML and JSON. JSON
    timings include json.loads, as a client reading a response does."""
    import json
    import pypi_simple
    from pypi_simple import IndexPage, ProjectPage
    folder = ROOT / "target" / "simple-bench"
    if not (folder / "root.json").exists():
        sys.exit(f"{folder} is missing: run `cargo bench --bench simple` first (it writes the pages)")
    version = pypi_simple.__version__
    cases = [
        ("page.html", lambda t: ProjectPage.from_html("big-project", t, "https://pypi.org/simple/big-project/"),
         lambda p: len(p.packages)),
        ("page.json", lambda t: ProjectPage.from_json_data(json.loads(t), "https://pypi.org/simple/big-project/"),
         lambda p: len(p.packages)),
        ("root.html", lambda t: IndexPage.from_html(t), lambda p: len(p.projects)),
        ("root.json", lambda t: IndexPage.from_json_data(json.loads(t)), lambda p: len(p.projects)),
    ]
    for file, parse, count in cases:
        text = (folder / file).read_text(encoding="utf-8")
        runs = 1 if file.startswith("root") and file.endswith("html") else 3
        results = []
        seconds = best_of(runs, lambda: results.append(parse(text)))
        items = count(results[-1])
        mib = len(text.encode()) / 2**20
        print(f"pypi-simple {version} parse {file}: {seconds * 1e3:.0f} ms for {items} entries, "
              f"{len(text.encode())} B, {mib / seconds:.2f} MiB/s")


def metadata(_data):
    """Metadata.from_email(validate=True) on the head-to-head METADATA files (the list the Rust
    side writes: all of them, then those pypackaging validates), every file 100 times per run."""
    from packaging.metadata import ExceptionGroup, Metadata
    listing = ROOT / "target" / "compare-metadata.txt"
    if not listing.exists():
        sys.exit(f"{listing} is missing: run the Rust side first (it selects the files)")
    real = ROOT / "tests" / "data" / "metadata" / "real"
    rows = [line.split("\t") for line in listing.read_text().splitlines()]
    for only_valid in (False, True):
        files = [(real / name).read_bytes() for name, valid in rows
                 if valid == "true" or not only_valid]
        rejected = 0
        for data in files:
            try:
                Metadata.from_email(data, validate=True)
            except (ExceptionGroup, ValueError):
                rejected += 1
        size = sum(len(data) for data in files)
        print(f"metadata: {len(files)} files, {size} bytes, packaging rejects {rejected}",
              file=sys.stderr)

        def run():
            for _ in range(100):
                for data in files:
                    try:
                        Metadata.from_email(data, validate=True)
                    except (ExceptionGroup, ValueError):
                        pass
        seconds = best_of(5, run)
        label = ", all valid" if only_valid else ""
        report(f"packaging {packaging.__version__} Metadata.from_email(validate=True){label}",
               seconds, 100 * len(files))
        print(f"  {size * 100 / seconds / 1e6:.2f} MB/s")
def requirements(_data):
    """pip's own requirements-file reader on the generated 20,000-line hashed file: lines,
    options and hashes (`parse_requirements`), then each requirement built as pip install -r
    builds it (`install_req_from_parsed_requirement`, which parses PEP 508 with packaging)."""
    import logging
    from optparse import Values

    from pip._internal.index.collector import LinkCollector
    from pip._internal.index.package_finder import PackageFinder
    from pip._internal.models.release_control import ReleaseControl
    from pip._internal.models.search_scope import SearchScope
    from pip._internal.models.selection_prefs import SelectionPreferences
    from pip._internal.network.session import PipSession
    from pip._internal.req import req_file
    from pip._internal.req.constructors import install_req_from_parsed_requirement

    logging.disable(logging.CRITICAL)
    path = ROOT / "target" / "compare-requirements.txt"
    if not path.exists():
        sys.exit(f"{path} is missing: run the Rust side first (`wall requirements` writes it)")
    lines = len(path.read_text(encoding="utf-8").splitlines())
    session = PipSession()

    def parse(build):
        finder = PackageFinder.create(
            link_collector=LinkCollector(session=session, search_scope=SearchScope([], [], False)),
            selection_prefs=SelectionPreferences(allow_yanked=False, release_control=ReleaseControl()),
        )
        options = Values({"require_hashes": False, "no_require_hashes": False, "features_enabled": []})
        parsed = list(req_file.parse_requirements(str(path), session, finder=finder, options=options))
        if build:
            parsed = [install_req_from_parsed_requirement(p) for p in parsed]
        return parsed

    count = len(parse(True))
    print(f"{path}: {lines} lines, {count} requirements", file=sys.stderr)
    report(f"pip {pip_version()} parse_requirements (lines, options, hashes)",
           best_of(5, lambda: parse(False)), lines)
    report(f"pip {pip_version()} parse_requirements + install_req_from_parsed_requirement",
           best_of(5, lambda: parse(True)), lines)


if __name__ == "__main__":
    path, data = rows()
    print(f"input: {path}: {len(data)} rows", file=sys.stderr)
    wanted = sys.argv[1:]
    for name, fn in [("name", names), ("version", versions), ("wheel filename parse", wheels),
                     ("target tag set", target), ("compatibility", compat),
                     ("pages", pages), ("METADATA parse", metadata),
                     ("requirements", requirements)]:
        if not wanted or any(w in name for w in wanted):
            fn(data)
