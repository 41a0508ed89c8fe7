"""The checks of scripts/check-mirror-pypi: `check-mirror-pypi.py MIRROR INPUTS CACHE`.

INPUTS is scripts/mirror-pypi/: requirements.txt (every file of each pinned release hashed)
some-hashes.txt (only some files hashed, where pip keeps the candidates whose hash is
allowed before choosing the best one) and yanked.txt (pinned yanked releases). For each case, `pip download --no-deps --only-binary :all:` and `mirror --only-binary
:all:` with the same `--platform` list, `--python-version`, `--implementation` and `--abi`
must fetch the same files (names and sha256). Each tool keeps its files in CACHE/<target>/ so
that a warm run reads the index again but downloads nothing it has already verified."""

import hashlib
import json
import os
import subprocess
import sys
import time
from pathlib import Path

mirror, inputs, cache = sys.argv[1], Path(sys.argv[2]), Path(sys.argv[3])
python = sys.executable

LINUX = ("3.11", "cp311", ["manylinux_2_28_x86_64", "manylinux_2_17_x86_64", "manylinux2014_x86_64"])
MACOS = ("3.12", "cp312", ["macosx_11_0_arm64"])
WINDOWS = ("3.13", "cp313", ["win_amd64"])
# name, requirements file, (--python-version, --abi, --platform list best first, as both
# tools read it).
CASES = [
    ("cp311-manylinux", "requirements.txt", LINUX),
    ("cp312-macos-arm64", "requirements.txt", MACOS),
    ("cp313-windows", "requirements.txt", WINDOWS),
    ("some-hashes-cp311-manylinux", "some-hashes.txt", LINUX),
    ("some-hashes-cp313-windows", "some-hashes.txt", WINDOWS),
    ("yanked-cp311-manylinux", "yanked.txt", LINUX),
]

# pip reads only its defaults and the command line: no configuration file, and none of the
# environment's settings that add places to look (PIP_FIND_LINKS, PIP_INDEX_URL, ...). Its
# certificate settings (PIP_CERT) stay, as the mirror keeps SSL_CERT_FILE.
PIP_ENV = {k: v for k, v in os.environ.items()
           if not (k.startswith("PIP_") and k not in ("PIP_CERT", "PIP_DEFAULT_TIMEOUT"))}
PIP_ENV["PIP_CONFIG_FILE"] = os.devnull

passed = failed = 0


def check(what, ok, detail=""):
    global passed, failed
    if ok:
        passed += 1
        print(f"ok    {what}")
    else:
        failed += 1
        print(f"FAIL  {what}{': ' + detail if detail else ''}")


def sha256(path):
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def target_flags(python_version, abi, platforms):
    flags = ["--only-binary", ":all:", "--python-version", python_version, "--implementation", "cp", "--abi", abi]
    for p in platforms:
        flags += ["--platform", p]
    return flags + ["--require-hashes"]


def pip_files(dest, requirements, flags):
    """The files pip chose: {filename: sha256}, from its `Saved` and `already downloaded` lines."""
    cmd = [python, "-m", "pip", "download", "--no-deps", "--disable-pip-version-check", "--no-input",
           "--progress-bar", "off", "--cache-dir", str(cache / "pip-http"), *flags,
           "-r", str(requirements), "-d", str(dest)]
    r = subprocess.run(cmd, capture_output=True, text=True, timeout=600, env=PIP_ENV)
    files, reused = {}, 0
    for line in r.stdout.splitlines():
        line = line.strip()
        for prefix in ("Saved ", "File was already downloaded "):
            if line.startswith(prefix):
                reused += prefix.startswith("File")
                path = Path(line[len(prefix):])
                path = path if path.is_absolute() else Path.cwd() / path
                files[path.name] = sha256(path)
    return r, files, reused


def mirror_files(dest, requirements, flags):
    """The files the mirror verified this run: {filename: sha256}, from mirror-report.json."""
    r = subprocess.run([mirror, "-r", str(requirements), "--dest", str(dest), *flags],
                       capture_output=True, text=True, timeout=600)
    files, outcomes, reused = {}, [], 0
    report = dest / "mirror-report.json"
    if report.is_file():
        outcomes = json.loads(report.read_text())["outcomes"]
    for o in outcomes:
        name = o.get("file") if o["status"] == "mirrored" else o.get("what")
        present = o["status"] == "skipped" and "already present" in o["why"]
        reused += present
        if o["status"] == "mirrored" or present:
            path = next(dest.glob(f"simple/*/{name}"), None)
            files[name] = sha256(path) if path else "missing"
    return r, files, outcomes, reused


def main():
    for name, requirements_name, (python_version, abi, platforms) in CASES:
        requirements = inputs / requirements_name
        names = [line.split("==")[0] for line in requirements.read_text().splitlines()
                 if "==" in line and not line.startswith(("#", " "))]
        flags = target_flags(python_version, abi, platforms)
        start = time.monotonic()
        r, pip, pip_reused = pip_files(cache / name / "pip", requirements, flags)
        pip_time = time.monotonic() - start
        check(f"{name}: pip download exits 0", r.returncode == 0, (r.stdout + r.stderr)[-2000:])
        start = time.monotonic()
        m, ours, outcomes, ours_reused = mirror_files(cache / name / "mirror", requirements, flags)
        mirror_time = time.monotonic() - start
        check(f"{name}: mirror exits 0", m.returncode == 0, (m.stdout + m.stderr)[-2000:])
        check(f"{name}: pip chose one file per requirement", len(pip) == len(names), f"{sorted(pip)} for {names}")
        check(f"{name}: same filenames as pip", sorted(ours) == sorted(pip),
              f"mirror only {sorted(set(ours) - set(pip))}, pip only {sorted(set(pip) - set(ours))}")
        check(f"{name}: same sha256 as pip", ours == pip,
              str({f: (ours.get(f), pip.get(f)) for f in set(ours) | set(pip) if ours.get(f) != pip.get(f)}))
        if requirements_name == "yanked.txt":
            page = cache / name / "mirror" / "simple" / "attrs" / "index.json"
            listed = json.loads(page.read_text())["files"] if page.is_file() else []
            check(f"{name}: the mirror's index keeps the yank", listed and all(f.get("yanked") for f in listed), str(listed)[:500])
        mirrored = [o for o in outcomes if o["status"] == "mirrored"]
        check(f"{name}: every mirrored file reports its findings",
              all(isinstance(o.get("findings"), list) for o in mirrored), str(mirrored)[:500])
        warnings = sum(len(o.get("findings", [])) for o in outcomes)
        print(f"      {name}: pip {len(pip)} files ({pip_reused} re-used, {pip_time:.1f} s), mirror "
              f"{len(ours)} files ({ours_reused} re-used, {mirror_time:.1f} s, {warnings} warnings): "
              + ", ".join(sorted(pip)))


start = time.monotonic()
main()
print(f"check-mirror-pypi: {time.monotonic() - start:.1f} s")
print(f"{passed} passed, {failed} failed")
sys.exit(1 if failed else 0)
