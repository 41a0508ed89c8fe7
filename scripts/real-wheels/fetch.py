"""Fetches the pinned real wheels and sdists into the cache (see README.md here).

Each `*.txt` beside this file is a hashed requirements file for one target: a header line
`# pip-download: FLAGS` gives the `pip download` flags (platform, Python version, ABI, or
`--no-binary :all:` for sdists), and each requirement line pins one exact file by its sha256,
with the file's name and size in its trailing comment. A file already in the cache with the
right sha256 is reused; only the missing ones go to `pip download --no-deps --require-hashes`.

Usage: python fetch.py [--list] [TARGET.txt ...]   (run through ./fetch, which picks the
reference venv's python). Prints how many files it fetched and their total size.
"""

from __future__ import annotations

import hashlib
import os
import re
import shlex
import signal
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
PIP_TIMEOUT = 900  # seconds for one target's `pip download`
LINE = re.compile(
    r"^(?P<name>[A-Za-z0-9._-]+)==(?P<version>\S+) --hash=sha256:(?P<sha256>[0-9a-f]{64})"
    r"\s+# (?P<filename>\S+) (?P<size>\d+)$"
)


@dataclass
class Pin:
    target: str
    group: str
    name: str
    version: str
    sha256: str
    filename: str
    size: int
    line: str


@dataclass
class Target:
    name: str
    group: str
    flags: list[str]
    pins: list[Pin]


def cache_dir() -> Path:
    base = os.environ.get("PYPACKAGING_CACHE") or os.path.join(
        os.path.expanduser("~"), ".cache", "pypackaging"
    )
    return Path(base) / "real-wheels"


def read_target(path: Path) -> Target:
    flags, group, pins = None, None, []
    for n, raw in enumerate(path.read_text().splitlines(), 1):
        line = raw.strip()
        if line.startswith("# pip-download:"):
            flags = shlex.split(line.split(":", 1)[1])
        elif line.startswith("# group:"):
            group = line.split(":", 1)[1].strip()
        elif line and not line.startswith("#"):
            m = LINE.match(line)
            if not m:
                sys.exit(f"{path.name}:{n}: not `name==version --hash=sha256:HEX  # file size`")
            pins.append(
                Pin(path.stem, "", m["name"], m["version"], m["sha256"], m["filename"],
                    int(m["size"]), line.split("  #")[0])
            )
    if flags is None or group is None:
        sys.exit(f"{path.name}: missing `# pip-download:` or `# group:` header line")
    for pin in pins:
        pin.group = group
    return Target(path.stem, group, flags, pins)


def targets(names: list[str] | None = None) -> list[Target]:
    paths = sorted(HERE.glob("*.txt"))
    if names:
        paths = [HERE / (n if n.endswith(".txt") else n + ".txt") for n in names]
    return [read_target(p) for p in paths]


def sha256_of(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def cached(cache: Path, pin: Pin) -> bool:
    path = cache / pin.filename
    return path.is_file() and path.stat().st_size == pin.size and sha256_of(path) == pin.sha256


def pip_env() -> dict[str, str]:
    env = dict(os.environ)
    # Files come from the configured index only, never from a local wheel folder.
    for var in ("PIP_FIND_LINKS", "PIP_NO_INDEX", "PIP_REQUIRE_HASHES", "PIP_TARGET"):
        env.pop(var, None)
    env.update(PIP_DISABLE_PIP_VERSION_CHECK="1", PIP_NO_INPUT="1")
    return env


def fetch_target(python: str, cache: Path, target: Target, missing: list[Pin]) -> list[str]:
    """Downloads `missing` with pip; returns problems (empty when every file arrived)."""
    problems = []
    with tempfile.TemporaryDirectory(dir=cache, prefix=".partial-") as tmp:
        req = Path(tmp) / "requirements.txt"
        req.write_text("".join(p.line + "\n" for p in missing))
        dest = Path(tmp) / "files"
        cmd = [python, "-m", "pip", "download", "--quiet", "--no-deps", "--require-hashes",
               "-d", str(dest), *target.flags, "-r", str(req)]
        try:
            run = subprocess.run(cmd, env=pip_env(), timeout=PIP_TIMEOUT, capture_output=True,
                                 text=True)
        except subprocess.TimeoutExpired:
            return [f"{target.name}: pip download timed out after {PIP_TIMEOUT} s"]
        if run.returncode != 0:
            problems.append(f"{target.name}: pip download failed ({run.returncode}):\n"
                            + run.stdout + run.stderr)
        got = {p.name for p in dest.iterdir()} if dest.is_dir() else set()
        for pin in missing:
            src = dest / pin.filename
            if not src.is_file():
                if not run.returncode:
                    problems.append(f"{target.name}: pip did not download {pin.filename}"
                                    f" (got: {', '.join(sorted(got)) or 'nothing'})")
                continue
            if sha256_of(src) != pin.sha256:
                problems.append(f"{target.name}: {pin.filename}: sha256 differs from the pin")
                continue
            os.replace(src, cache / pin.filename)
            got.discard(pin.filename)
        if got and not run.returncode:
            problems.append(f"{target.name}: pip downloaded unpinned files: {sorted(got)}")
    return problems


def main(argv: list[str]) -> int:
    listing = "--list" in argv
    names = [a for a in argv if not a.startswith("--")]
    cache = cache_dir()
    cache.mkdir(parents=True, exist_ok=True)
    all_targets = targets(names or None)
    if listing:
        for t in all_targets:
            for p in t.pins:
                print(f"{t.name}\t{t.group}\t{p.filename}\t{p.sha256}\t{p.size}")
        return 0
    start = time.monotonic()
    fetched, fetched_bytes, total, total_bytes, problems = 0, 0, 0, 0, []
    seen: dict[str, str] = {}
    for t in all_targets:
        for p in t.pins:
            if p.filename in seen:
                problems.append(f"{t.name}: {p.filename} is also pinned in {seen[p.filename]}")
            seen[p.filename] = t.name
        missing = [p for p in t.pins if not cached(cache, p)]
        total += len(t.pins)
        total_bytes += sum(p.size for p in t.pins)
        if not missing:
            continue
        print(f"fetch: {t.name}: {len(missing)} of {len(t.pins)} files to download", flush=True)
        errs = fetch_target(sys.executable, cache, t, missing)
        problems += errs
        for p in missing:
            if (cache / p.filename).is_file():
                fetched += 1
                fetched_bytes += p.size
    took = time.monotonic() - start
    print(f"fetch: {total} files ({total_bytes / 1e6:.1f} MB) in {cache}; fetched {fetched} "
          f"({fetched_bytes / 1e6:.1f} MB) in {took:.1f} s")
    for p in problems:
        print(f"fetch: FAIL: {p}", file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))  # unwind: partial downloads go
    sys.exit(main(sys.argv[1:]))
