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


if __name__ == "__main__":
    path, data = rows()
    print(f"input: {path}: {len(data)} rows", file=sys.stderr)
    wanted = sys.argv[1:]
    for name, fn in [("name", names), ("version", versions)]:
        if not wanted or any(w in name for w in wanted):
            fn(data)
