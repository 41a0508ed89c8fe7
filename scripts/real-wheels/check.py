"""The real-wheel sweep (see README.md here): builds an index of every pinned file with
`build_index`, then checks, from its build report, that every file is indexed and that the
warnings are the ones in expected-findings.tsv (both ways), and has pip and uv install a
hashed sample from the index served on loopback.

Usage: python check.py [--build-index PATH] [--update] [--keep] [--list]
  --build-index PATH  the binary (default $BUILD_INDEX, else target/release/examples/build_index)
  --update            rewrite expected-findings.tsv from the report
  --keep              keep the temporary folder (wheelhouse, index, logs) and print its path
  --list              print one line per file: group, kind, Metadata-Version, filename
Ends with "N passed, N failed" on a line of its own; exits 1 when anything failed.
"""

from __future__ import annotations

import collections
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tarfile
import tempfile
import time
import zipfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import fetch  # noqa: E402

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
EXPECTED = HERE / "expected-findings.tsv"
STEP_TIMEOUT = 600  # seconds for build_index, and for each pip or uv install

# The install sample: groups closed under their dependencies on Linux x86_64 and CPython 3.11,
# so that `--require-hashes` has a pin for everything it resolves. Versions and hashes come
# from the pins in manylinux-cp311.txt and pure.txt.
SAMPLE_TARGETS = ("manylinux-cp311", "pure")
SAMPLE = [
    ("requests", ["requests", "charset-normalizer", "idna", "urllib3", "certifi"]),
    ("yaml", ["pyyaml"]),
    ("jinja2", ["jinja2", "markupsafe"]),
    ("yarl", ["yarl", "multidict", "propcache", "idna"]),
    ("pydantic", ["pydantic", "pydantic-core", "annotated-types", "typing-extensions",
                  "typing-inspection"]),
    ("dateutil", ["python-dateutil", "six", "tzdata"]),
    ("msgpack", ["msgpack"]),
    ("attr", ["attrs"]),
    ("click", ["click"]),
    ("frozenlist", ["frozenlist"]),
]


class Checks:
    def __init__(self) -> None:
        self.passed = 0
        self.failed: list[str] = []

    def ok(self, what: str, quiet: bool = False) -> None:
        self.passed += 1
        if not quiet:
            print(f"ok: {what}", flush=True)

    def fail(self, what: str, detail: str = "") -> None:
        self.failed.append(what)
        print(f"FAIL: {what}" + (f"\n{detail.rstrip()}" if detail else ""), flush=True)

    def check(self, cond: bool, what: str, detail: str = "") -> bool:
        (self.ok(what) if cond else self.fail(what, detail))
        return cond


def canonical(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def metadata_version(path: Path) -> str:
    """Metadata-Version of a wheel's METADATA or an sdist's top-level PKG-INFO ("none" when
    the file has none, "unreadable" when the archive cannot be read)."""
    text = None
    try:
        if path.name.endswith(".whl"):
            with zipfile.ZipFile(path) as z:
                names = [n for n in z.namelist()
                         if n.count("/") == 1 and n.endswith(".dist-info/METADATA")]
                text = z.read(names[0]) if names else None
        elif path.name.endswith(".zip"):
            with zipfile.ZipFile(path) as z:
                names = [n for n in z.namelist() if n.count("/") == 1 and n.endswith("/PKG-INFO")]
                text = z.read(names[0]) if names else None
        else:
            with tarfile.open(path) as t:
                members = [m for m in t.getmembers()
                           if m.name.count("/") == 1 and m.name.endswith("/PKG-INFO")]
                f = t.extractfile(members[0]) if members else None
                text = f.read() if f else None
    except (OSError, zipfile.BadZipFile, tarfile.TarError):
        return "unreadable"
    if text is None:
        return "none"
    for line in text.decode("utf-8", "replace").splitlines():
        if line.lower().startswith("metadata-version:"):
            return line.split(":", 1)[1].strip()
        if not line.strip():
            break
    return "none"


def build_tag(filename: str) -> bool:
    return filename.endswith(".whl") and len(filename[:-4].split("-")) == 6


def coverage(pins: list[fetch.Pin], cache: Path) -> list[tuple[str, str, str, str]]:
    rows = []
    for p in pins:
        kind = "wheel" if p.filename.endswith(".whl") else "sdist"
        rows.append((p.group, kind, metadata_version(cache / p.filename), p.filename))
    return rows


def print_coverage(rows: list[tuple[str, str, str, str]]) -> None:
    groups = collections.Counter((g, k) for g, k, _, _ in rows)
    versions = collections.Counter(v for _, _, v, _ in rows)
    print(f"\ncoverage: {len(rows)} files")
    print("  by group: " + ", ".join(f"{g} {k}s {n}" for (g, k), n in sorted(groups.items())))
    print("  by Metadata-Version: " + ", ".join(
        f"{v} {n}" for v, n in sorted(versions.items(), key=lambda x: x[0])))
    wheels = [f[:-4].split("-") for *_, f in rows if f.endswith(".whl")]
    abi3 = sum("abi3" in w[-2].split(".") for w in wheels)
    threaded = sum(any(a.endswith("t") for a in w[-2].split(".")) for w in wheels)
    tagged = sum(build_tag(f) for *_, f in rows)
    zips = sum(f.endswith(".zip") for *_, f in rows)
    print(f"  abi3 wheels: {abi3}; free-threaded wheels: {threaded}; wheels with a build tag:"
          f" {tagged}; .tar.gz sdists: {sum(f.endswith('.tar.gz') for *_, f in rows)};"
          f" .zip sdists: {zips}")


def link_wheelhouse(pins: list[fetch.Pin], cache: Path, wheelhouse: Path) -> None:
    wheelhouse.mkdir()
    for p in pins:
        try:
            os.link(cache / p.filename, wheelhouse / p.filename)
        except OSError:
            shutil.copy2(cache / p.filename, wheelhouse / p.filename)


def read_findings(files: list[dict]) -> list[str]:
    """The `filename<TAB>rule` rows of every warning kind per file, sorted, unique."""
    rows = {f"{f['filename']}\t{w['rule']}" for f in files for w in f.get("findings", [])
            if w.get("severity") == "warning"}
    return sorted(rows)


def compare_findings(checks: Checks, got: list[str], update: bool) -> None:
    header = ("# filename<TAB>rule: one row per warning kind per file that build_index reports"
              " for the pinned files; written by `check --update`, compared both ways.\n")
    if update:
        EXPECTED.write_text(header + "".join(r + "\n" for r in got))
        print(f"updated {EXPECTED.relative_to(ROOT)} ({len(got)} rows)")
    want = []
    if EXPECTED.exists():
        want = sorted({ln for ln in EXPECTED.read_text().splitlines()
                       if ln.strip() and not ln.startswith("#")})
    new = sorted(set(got) - set(want))
    gone = sorted(set(want) - set(got))
    diff = "".join(f"  + {r}\n" for r in new) + "".join(f"  - {r}\n" for r in gone)
    checks.check(not diff, f"warnings match expected-findings.tsv ({len(got)} rows)",
                 "new (+) and vanished (-) warnings; `check --update` rewrites the file after"
                 " review:\n" + diff)


def serve(python: str, directory: Path, log: Path) -> tuple[subprocess.Popen, str]:
    out = log.open("w")
    proc = subprocess.Popen(
        [python, "-u", "-m", "http.server", "0", "--bind", "127.0.0.1", "--directory",
         str(directory)], stdout=out, stderr=subprocess.STDOUT)
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        m = re.search(r"port (\d+)", log.read_text())
        if m:
            return proc, f"http://127.0.0.1:{m[1]}/simple/"
        if proc.poll() is not None:
            break
        time.sleep(0.1)
    proc.kill()
    raise RuntimeError("http.server did not start:\n" + log.read_text())


def compatible(python: str, filenames: list[str]) -> set[str]:
    code = ("import sys\nfrom packaging.tags import sys_tags\n"
            "from packaging.utils import parse_wheel_filename\n"
            "tags = set(sys_tags())\n"
            "for f in sys.argv[1:]:\n"
            "    if parse_wheel_filename(f)[3] & tags: print(f)\n")
    run = subprocess.run([python, "-c", code, *filenames], capture_output=True, text=True,
                         timeout=60, check=True)
    return set(run.stdout.split())


def sample_requirements(checks: Checks, python: str, pins: list[fetch.Pin],
                        status: dict[str, str], work: Path) -> tuple[Path, list[str]] | None:
    """Writes the hashed requirements of the install sample; returns it and the modules the
    sample imports, or None when it is empty."""
    by_name = {canonical(p.name): p for p in pins if p.target in SAMPLE_TARGETS}
    ok_files = compatible(python, [p.filename for p in by_name.values()
                                   if p.filename.endswith(".whl")])
    chosen: dict[str, fetch.Pin] = {}
    modules = []
    for module, names in SAMPLE:
        group = [by_name.get(canonical(n)) for n in names]
        bad = [n for n, p in zip(names, group)
               if p is None or p.filename not in ok_files or status.get(p.filename) != "indexed"]
        if bad:
            checks.fail(f"sample group `{module}` is installable from the index",
                        "not pinned, not compatible with this machine, or not indexed: "
                        + ", ".join(bad))
            continue
        modules.append(module)
        for p in group:
            chosen[canonical(p.name)] = p
    if not chosen:
        checks.fail("install sample is empty")
        return None
    req = work / "sample.txt"
    req.write_text("".join(f"{p.name}=={p.version} --hash=sha256:{p.sha256}\n"
                           for p in sorted(chosen.values(), key=lambda p: canonical(p.name))))
    print(f"sample: {len(chosen)} projects ({', '.join(sorted(chosen))})")
    return req, modules


def client_env(work: Path) -> dict[str, str]:
    """pip's and uv's environment: no configuration, cache or index of the machine's."""
    env = dict(os.environ, PIP_CONFIG_FILE="/dev/null", PIP_DISABLE_PIP_VERSION_CHECK="1",
               PIP_NO_CACHE_DIR="1", PIP_NO_INPUT="1", UV_CACHE_DIR=str(work / "uv-cache"),
               UV_NO_CONFIG="1", UV_NO_CACHE="1", UV_PYTHON_DOWNLOADS="never")
    for var in ("PIP_INDEX_URL", "PIP_EXTRA_INDEX_URL", "PIP_FIND_LINKS", "UV_INDEX_URL",
                "UV_EXTRA_INDEX_URL", "UV_INDEX", "UV_DEFAULT_INDEX", "UV_FIND_LINKS"):
        env.pop(var, None)
    return env


def install_from(checks: Checks, python: str, url: str, req: Path, modules: list[str],
                 work: Path, label: str = "") -> None:
    """pip and uv install `req` with --require-hashes from the index at `url` into fresh
    targets, and the modules import from there."""
    bin_dir = Path(python).parent
    env = client_env(work)
    lines = len(req.read_text().splitlines())
    for client in ("pip", "uv"):
        target = Path(tempfile.mkdtemp(prefix=f"{client}-target.", dir=work))
        cmd = {
            "pip": [python, "-m", "pip", "install", "--quiet", "--require-hashes",
                    "--index-url", url, "--only-binary", ":all:", "--target",
                    str(target), "-r", str(req)],
            "uv": [str(bin_dir / "uv"), "pip", "install", "--quiet", "--require-hashes",
                   "--python", python, "--index-url", url, "--target",
                   str(target), "-r", str(req)],
        }[client]
        start = time.monotonic()
        try:
            run = subprocess.run(cmd, env=env, capture_output=True, text=True,
                                 timeout=STEP_TIMEOUT)
            detail, code = run.stdout + run.stderr, run.returncode
        except subprocess.TimeoutExpired:
            detail, code = f"timed out after {STEP_TIMEOUT} s", -1
        took = time.monotonic() - start
        if not checks.check(code == 0, f"{client} install --require-hashes {label}"
                            f"({lines} projects, {took:.1f} s)", detail):
            continue
        if modules:
            imp = subprocess.run(
                [python, "-c", f"import {', '.join(modules)}"], capture_output=True, text=True,
                timeout=120, env=dict(os.environ, PYTHONPATH=str(target)), cwd=work)
            checks.check(imp.returncode == 0,
                         f"{client}: the sample imports ({', '.join(modules)})", imp.stderr)
        shutil.rmtree(target, ignore_errors=True)


def install_sample(checks: Checks, python: str, pins: list[fetch.Pin], status: dict[str, str],
                   work: Path) -> None:
    sample = sample_requirements(checks, python, pins, status, work)
    if sample is None:
        return
    req, modules = sample
    server, url = serve(python, work / "index", work / "http.log")
    try:
        install_from(checks, python, url, req, modules, work, "of the sample ")
    finally:
        server.terminate()
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()


def main(argv: list[str]) -> int:
    args = list(argv)
    update = "--update" in args
    keep = "--keep" in args
    listing = "--list" in args
    build_index = os.environ.get("BUILD_INDEX") or str(
        ROOT / "target" / "release" / "examples" / "build_index")
    if "--build-index" in args:
        build_index = args[args.index("--build-index") + 1]
    build_index = str(Path(build_index).resolve())
    python = sys.executable
    checks = Checks()
    start = time.monotonic()

    print("== fetch (cached)", flush=True)
    if fetch.main([]) != 0:
        checks.fail("every pinned file is in the cache")
        print(f"\n{checks.passed} passed, {len(checks.failed)} failed")
        return 1
    cache = fetch.cache_dir()
    pins = [p for t in fetch.targets() for p in t.pins]
    rows = coverage(pins, cache)
    if listing:
        for row in sorted(rows):
            print("\t".join(row))
        return 0

    work = Path(tempfile.mkdtemp(prefix="real-wheels."))
    try:
        print(f"\n== build_index ({build_index}) over {len(pins)} files", flush=True)
        link_wheelhouse(pins, cache, work / "wheelhouse")
        t0 = time.monotonic()
        try:
            run = subprocess.run([build_index, str(work / "wheelhouse"), str(work / "index"),
                                  "--skip-invalid"], capture_output=True, text=True,
                                 timeout=STEP_TIMEOUT)
            code, output = run.returncode, run.stdout + run.stderr
        except subprocess.TimeoutExpired:
            code, output = -1, f"timed out after {STEP_TIMEOUT} s"
        except OSError as e:
            code, output = -1, f"cannot run {build_index}: {e}"
        (work / "build_index.log").write_text(output)
        took = time.monotonic() - t0
        checks.check(code == 0, f"build_index --skip-invalid exits 0 ({took:.1f} s)",
                     output[-4000:])

        report_path = work / "index" / ".pypackaging" / "build-report.json"
        status: dict[str, str] = {}
        if report_path.is_file():
            report = json.loads(report_path.read_text())
            files = report.get("files", [])
            status = {f["filename"]: f["status"] for f in files}
            print(f"report: {report.get('indexed')} indexed, {report.get('refused')} refused,"
                  f" {report.get('left_out')} left out")
            reasons = {f["filename"]: [w for w in f.get("findings", [])
                                       if w.get("severity") == "refusal"] for f in files}
            for p in pins:
                s = status.get(p.filename, "missing from the report")
                detail = "".join(f"  - {w.get('rule')}: {w.get('message')}\n"
                                 for w in reasons.get(p.filename, []))
                if s == "indexed":
                    checks.ok(f"{p.filename} is indexed", quiet=True)
                else:
                    checks.fail(f"{p.filename} is indexed (status: {s})", detail)
            indexed = sum(status.get(p.filename) == "indexed" for p in pins)
            print(f"{indexed} of {len(pins)} files indexed (one check per file)")
            compare_findings(checks, read_findings(files), update)
        else:
            checks.fail("no build report: cannot check findings",
                        f"{report_path.relative_to(work)} was not written")
            # Without a report, the index's own file listing says what got in.
            status = {p.name: "indexed" for p in (work / "index" / "simple").glob("*/*")
                      if not p.name.endswith((".html", ".json", ".metadata"))}
            for p in pins:
                if p.filename in status:
                    checks.ok(f"{p.filename} is indexed", quiet=True)
                else:
                    checks.fail(f"{p.filename} is indexed (not in the index tree; no report)")
            indexed = sum(p.filename in status for p in pins)
            print(f"{indexed} of {len(pins)} files indexed (from the index tree, no report)")

        print("\n== pip and uv install a hashed sample from the index (loopback)", flush=True)
        if (work / "index" / "simple").is_dir():
            install_sample(checks, python, pins, status, work)
        else:
            checks.fail("the index was built (no simple/ tree to serve)")

        print_coverage(rows)
        print(f"\ncheck took {time.monotonic() - start:.1f} s")
    finally:
        if keep:
            print(f"kept {work}")
        else:
            shutil.rmtree(work, ignore_errors=True)
    if checks.failed:
        print(f"\n{len(checks.failed)} failed:\n" + "".join(f"  {f}\n" for f in checks.failed))
    print(f"{checks.passed} passed, {len(checks.failed)} failed")
    return 1 if checks.failed else 0


if __name__ == "__main__":
    # A `timeout` from the wrapper sends SIGTERM: unwind, so the server stops and the
    # temporary folder goes.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    sys.exit(main(sys.argv[1:]))
