"""The checks of scripts/check-pins: `check-pins.py BUILD_INDEX UV STATE_DIR`."""

import base64
import glob
import hashlib
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

build_index, uv, state = sys.argv[1], sys.argv[2], Path(sys.argv[3])
work = Path(tempfile.mkdtemp(prefix="check-pins-"))
servers = []
passed = 0
failed = []

# name, version, Requires-Python (None: absent), Python tag.
WHEELS = [
    ("demo", "2.0", ">=3.12", "py3"),
    ("demo", "1.0", ">=3.8", "py3"),
    ("plain", "1.1", ">=3.8", "py3"),
    ("plain", "1.0", ">=3.8", "py3"),
    ("skip", "2.0", ">=3.8,!=3.11.*", "py3"),
    ("skip", "1.0", ">=3.8", "py3"),
    ("tagged", "2.0", None, "py312"),
    ("tagged", "1.0", None, "py3"),
]
# What pip picks on each Python, by project.
EXPECTED = {
    "3.8": {"demo": "1.0", "plain": "1.1", "skip": "2.0", "tagged": "1.0"},
    "3.11": {"demo": "1.0", "plain": "1.1", "skip": "1.0", "tagged": "1.0"},
    "3.12": {"demo": "2.0", "plain": "1.1", "skip": "2.0", "tagged": "2.0"},
}
# The newest pip each Python runs (pip 26.3 needs 3.10).
PIP = {"3.8": "pip==25.0.1", "3.11": "pip==26.3", "3.12": "pip==26.3"}


def check(what, ok, detail=""):
    global passed
    if ok:
        passed += 1
        print(f"ok    {what}")
    else:
        failed.append(what)
        print(f"FAIL  {what}{': ' + detail if detail else ''}")


def wheel(dest, name, version, requires_python, python_tag):
    """A tiny pure wheel, its RECORD hashed, its members dated 2026-01-01 (reproducible)."""
    tag = f"{python_tag}-none-any"
    info = f"{name}-{version}.dist-info"
    metadata = f"Metadata-Version: 2.1\nName: {name}\nVersion: {version}\n"
    if requires_python:
        metadata += f"Requires-Python: {requires_python}\n"
    members = {
        f"{name}/__init__.py": f"__version__ = {version!r}\n",
        f"{info}/METADATA": metadata,
        f"{info}/WHEEL": f"Wheel-Version: 1.0\nGenerator: check-pins\nRoot-Is-Purelib: true\nTag: {tag}\n",
    }
    record = []
    for path, text in members.items():
        data = text.encode()
        digest = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()
        record.append(f"{path},sha256={digest},{len(data)}")
    record.append(f"{info}/RECORD,,")
    members[f"{info}/RECORD"] = "\n".join(record) + "\n"
    with zipfile.ZipFile(dest / f"{name}-{version}-{tag}.whl", "w") as z:
        for path, text in members.items():
            z.writestr(zipfile.ZipInfo(path, (2026, 1, 1, 0, 0, 0)), text)


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def serve(root):
    port = free_port()
    cmd = [sys.executable, "-m", "http.server", "--bind", "127.0.0.1", str(port)]
    proc = subprocess.Popen(cmd, cwd=root, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    servers.append(proc)
    for _ in range(100):
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            return f"http://127.0.0.1:{port}/simple/"
        except OSError:
            time.sleep(0.05)
    raise SystemExit("the server did not start")


def run(cmd, **kw):
    return subprocess.run(cmd, capture_output=True, text=True, timeout=180, **kw)


def interpreter(version):
    """A real CPython `version` (`3.8`), or None."""
    candidates = [os.environ.get("PYPACKAGING_PYTHON_" + version.replace(".", "_"))]
    candidates.append(shutil.which(f"python{version}"))
    pattern = os.path.expanduser(f"~/.pyenv/versions/{version}.*/bin/python{version}")
    candidates += sorted(glob.glob(pattern), reverse=True)
    for c in filter(None, candidates):
        r = subprocess.run([c, "-c", "import sys; print('%d.%d' % sys.version_info[:2])"],
                           capture_output=True, text=True, timeout=30)
        if r.returncode == 0 and r.stdout.strip() == version:
            return c
    return None


def pip_venv(version, python):
    """A venv of `python` under STATE_DIR with the pinned pip (made once, then reused)."""
    venv = state / f"venv-{version}"
    stamp = venv / ".pins"
    bin_python = venv / "bin" / "python"
    fresh = bin_python.exists() and stamp.exists() and stamp.read_text() == PIP[version]
    if not fresh:
        shutil.rmtree(venv, ignore_errors=True)
        r = run([python, "-m", "venv", str(venv)])
        if r.returncode != 0:
            return None, r.stderr
        r = run([str(bin_python), "-m", "pip", "install", "--quiet", "--disable-pip-version-check",
                 PIP[version]])
        if r.returncode != 0:
            return None, r.stderr
        stamp.write_text(PIP[version])
    return str(bin_python), ""


def uv_picks(requirements, index, python_version=None, python=None):
    """`uv pip install --dry-run`: (returncode, {name: version}, output)."""
    target = work / "uv-target"
    cmd = [uv, "pip", "install", "--dry-run", "--no-deps", "--require-hashes", "--no-config",
           "--cache-dir", str(work / "uv-cache"), "--target", str(target),
           "--python", python or sys.executable, "--index-url", index, "-r", str(requirements)]
    if python_version:
        cmd += ["--python-version", python_version]
    r = run(cmd)
    out = r.stdout + r.stderr
    picks = {}
    for line in out.splitlines():
        line = line.strip()
        if line.startswith("+ ") and "==" in line:
            name, version = line[2:].split("==", 1)
            picks[name] = version
    return r.returncode, picks, out


def pip_picks(pip_python, requirements, index):
    """`pip install --dry-run --report -` on a real interpreter: (returncode, picks, output)."""
    cmd = [pip_python, "-m", "pip", "install", "--dry-run", "--no-deps", "--require-hashes",
           "--only-binary", ":all:", "--target", str(work / "pip-target"), "--no-cache-dir",
           "--disable-pip-version-check", "--quiet", "--index-url", index,
           "-r", str(requirements), "--report", "-"]
    r = run(cmd)
    picks = {}
    if r.returncode == 0:
        try:
            for item in json.loads(r.stdout)["install"]:
                picks[item["metadata"]["name"]] = item["metadata"]["version"]
        except (ValueError, KeyError) as e:
            return 1, {}, f"unreadable report ({e}): {r.stdout[-400:]}"
    return r.returncode, picks, r.stdout[-400:] + r.stderr[-1200:]


def main():
    wheelhouse = work / "wheelhouse"
    wheelhouse.mkdir()
    for spec in WHEELS:
        wheel(wheelhouse, *spec)
    out = work / "index"
    r = run([build_index, str(wheelhouse), str(out)])
    check("build_index builds the index", r.returncode == 0, r.stderr[-800:])
    if r.returncode != 0:
        return
    requirements = out / "requirements.txt"
    text = requirements.read_text()
    print("--- requirements.txt")
    print(text, end="")
    print("---")
    lines = text.splitlines()
    check("the first line names the Python range",
          lines[0] == "# Python: every version the files support", lines[0])
    check("one release for every Python: one plain line",
          any(l == "plain==1.1 \\" for l in lines) and sum(l.startswith("plain==") for l in lines) == 1)
    check("two releases: lines with python_full_version markers",
          any(l.startswith('demo==1.0 ; python_full_version >= "3.8" and python_full_version < "3.12"')
              for l in lines))
    index = serve(out)

    # The file as it was before issue 14: the newest release for every Python.
    digest = hashlib.sha256((wheelhouse / "demo-2.0-py3-none-any.whl").read_bytes()).hexdigest()
    old = work / "newest-only.txt"
    old.write_text(f"demo==2.0 --hash=sha256:{digest}\n")

    for version, expected in EXPECTED.items():
        rc, picks, log = uv_picks(requirements, index, python_version=version)
        check(f"uv --python-version {version}: accepted, picks {expected}",
              rc == 0 and picks == expected, f"rc {rc}, picks {picks}\n{log}")
        python = interpreter(version)
        if python is None:
            check(f"a Python {version} interpreter (PYPACKAGING_PYTHON_{version.replace('.', '_')})",
                  False, "none found: pip needs one to evaluate the file's markers")
            continue
        rc, picks, log = uv_picks(requirements, index, python=python)
        check(f"uv on {python}: accepted, picks {expected}",
              rc == 0 and picks == expected, f"rc {rc}, picks {picks}\n{log}")
        pip_python, error = pip_venv(version, python)
        if pip_python is None:
            check(f"a venv with {PIP[version]} on Python {version}", False, error[-800:])
            continue
        pip_version = run([pip_python, "-m", "pip", "--version"]).stdout.split()[1]
        rc, picks, log = pip_picks(pip_python, requirements, index)
        check(f"pip {pip_version} on Python {version}: accepted, picks {expected}",
              rc == 0 and picks == expected, f"rc {rc}, picks {picks}\n{log}")
        if version == "3.11":
            # Control: the checks can fail. The newest-only pin is refused on 3.11.
            rc, picks, log = uv_picks(old, index, python_version=version)
            print("      " + " | ".join(l.strip() for l in log.splitlines() if l.strip())[:300])
            check("control: uv --python-version 3.11 refuses the newest-only pin",
                  rc != 0 and "demo" not in picks and ">=3.12" in log, f"rc {rc}\n{log}")
            rc, picks, log = pip_picks(pip_python, old, index)
            print("      " + " | ".join(l.strip() for l in log.splitlines() if l.strip())[:300])
            check(f"control: pip {pip_version} on 3.11 refuses the newest-only pin",
                  rc != 0 and ">=3.12" in log, f"rc {rc}\n{log}")


try:
    main()
finally:
    for proc in servers:
        proc.terminate()
        try:
            proc.wait(timeout=5)
        except subprocess.TimeoutExpired:
            proc.kill()
    shutil.rmtree(work, ignore_errors=True)

print(f"{passed} passed, {len(failed)} failed")
sys.exit(1 if failed else 0)
