"""The checks of scripts/check-mirror: `mirror BINARY WHEELHOUSE`."""

import gzip
import hashlib
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

mirror, wheelhouse = sys.argv[1], Path(sys.argv[2])
# Optional: the build_index and serve examples, for an upstream the crate's own tools publish.
build_index, serve_bin = (sys.argv[3], sys.argv[4]) if len(sys.argv) > 4 else (None, None)
work = Path(tempfile.mkdtemp(prefix="check-mirror-"))
servers = []
problems = []
checks = 0


def check(what, ok, detail=""):
    global checks
    checks += 1
    if not ok:
        problems.append(f"{what}{': ' + detail if detail else ''}")


def sha256(path):
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def project_of(filename):
    name = filename.split("-")[0]
    return name.lower().replace("_", "-").replace(".", "-")


def build_tree(root, files):
    """A static index as build_index lays it out: simple/<project>/index.{html,json} and the
    files beside them, linked with sha256 hashes. Written here by hand so that the upstream is
    independent of the code under test."""
    projects = {}
    for f in files:
        projects.setdefault(project_of(f.name), []).append(f)
    for project, paths in projects.items():
        page = root / "simple" / project
        page.mkdir(parents=True)
        for f in paths:
            shutil.copy(f, page / f.name)
        names = sorted(f.name for f in paths)
        links = "".join(f'<a href="{n}#sha256={sha256(page / n)}">{n}</a>\n' for n in names)
        (page / "index.html").write_text(f"<!DOCTYPE html>\n<html><body>\n{links}</body></html>\n")
        doc = {
            "meta": {"api-version": "1.1"},
            "name": project,
            "files": [
                {"filename": n, "url": n, "hashes": {"sha256": sha256(page / n)}}
                for n in names
            ],
        }
        (page / "index.json").write_text(json.dumps(doc))


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_port(port):
    """Waits (5 s at most) until something listens on the loopback port."""
    for _ in range(100):
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            return
        except OSError:
            time.sleep(0.05)


SLOW_SERVER = r"""
import http.server, sys, time
class Slow(http.server.SimpleHTTPRequestHandler):
    def do_GET(self):
        if "fastsum" in self.path and self.path.endswith(".whl"):
            time.sleep(60)
        return super().do_GET()
    def log_message(self, *a):
        pass
http.server.ThreadingHTTPServer(("127.0.0.1", int(sys.argv[1])), Slow).serve_forever()
"""


def serve(root, slow=False):
    port = free_port()
    if slow:
        cmd = [sys.executable, "-c", SLOW_SERVER, str(port)]
    else:
        cmd = [sys.executable, "-m", "http.server", "--bind", "127.0.0.1", str(port)]
    proc = subprocess.Popen(cmd, cwd=root, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    servers.append(proc)
    wait_port(port)
    return f"http://127.0.0.1:{port}/simple/"


def run(args, **kw):
    return subprocess.run([mirror, *args], capture_output=True, text=True, timeout=120, **kw)


def mirrored(dest):
    """The distributions in a mirror (or upstream) tree."""
    simple = dest / "simple"
    if not simple.is_dir():
        return []
    return sorted(p.name for p in simple.glob("*/*") if p.name.endswith((".whl", ".tar.gz")))


def report(dest):
    return json.loads((dest / "mirror-report.json").read_text())


def main():
    upstream = work / "upstream"
    build_tree(upstream, sorted(wheelhouse.iterdir()))
    index = serve(upstream)

    h = {p.name: sha256(p) for p in wheelhouse.iterdir()}
    reqs = work / "reqs"
    reqs.mkdir()
    (reqs / "base.txt").write_text(
        "tiny-utils==0.1.0 --hash=sha256:{}\n".format(h["tiny_utils-0.1.0-py3-none-any.whl"])
    )
    (reqs / "requirements.txt").write_text(
        "# staging set\n"
        "--only-binary :all:\n"
        "-r base.txt\n"
        "hello-pypackaging==1.1.0 \\\n"
        "    --hash=sha256:{} \\\n"
        "    --hash=sha256:{}\n"
        "fastsum==0.2.0 ; sys_platform == 'linux' --hash=sha256:{}\n".format(
            h["hello_pypackaging-1.1.0-py3-none-any.whl"],
            h["hello_pypackaging-1.1.0.tar.gz"],
            h["fastsum-0.2.0-cp311-cp311-linux_x86_64.whl"],
        )
    )
    requirements = str(reqs / "requirements.txt")
    linux = ["--python-version", "3.11", "--platform", "linux_x86_64"]
    windows = ["--python-version", "3.12", "--platform", "win_amd64"]

    # Target 1 over HTTP: CPython 3.11 on Linux gets the three wheels.
    dest = work / "linux"
    r = run(["-r", requirements, "--dest", str(dest), "--index-url", index, *linux])
    check("linux mirror exits 0", r.returncode == 0, r.stdout + r.stderr)
    want = [
        "fastsum-0.2.0-cp311-cp311-linux_x86_64.whl",
        "hello_pypackaging-1.1.0-py3-none-any.whl",
        "tiny_utils-0.1.0-py3-none-any.whl",
    ]
    check("linux mirror has exactly the linux wheels", mirrored(dest) == want, str(mirrored(dest)))
    for name in mirrored(dest):
        check(f"{name} is byte-identical", sha256(next(dest.glob(f"simple/*/{name}"))) == h[name])

    # Target 2 over file://, from the tree the first mirror published (JSON pages): CPython 3.12
    # on Windows gets the pure wheels only; fastsum's marker is false there.
    dest = work / "windows"
    r = run(["-r", requirements, "--dest", str(dest), "--index-url", (work / "linux" / "simple").as_uri(), *windows])
    check("windows mirror exits 0", r.returncode == 0, r.stdout + r.stderr)
    check("windows mirror has only pure wheels", mirrored(dest) == want[1:], str(mirrored(dest)))
    skipped = [o for o in report(dest)["outcomes"] if o["status"] == "skipped"]
    check("fastsum skipped by its marker", any("marker" in o["why"] for o in skipped), str(skipped))

    # Without --only-binary (command line `:none:` wins over the file), the sdist qualifies
    # too, but the wheel is still the best file; with --all-platforms every 1.1.0 file arrives.
    dest = work / "all"
    r = run(["-r", requirements, "--dest", str(dest), "--index-url", index, *windows, "--only-binary", ":none:", "--all-platforms"])
    check("all-platforms mirror exits 0", r.returncode == 0, r.stdout + r.stderr)
    check(
        "all-platforms gets every file of the pinned versions",
        mirrored(dest) == ["hello_pypackaging-1.1.0-py3-none-any.whl", "hello_pypackaging-1.1.0.tar.gz", "tiny_utils-0.1.0-py3-none-any.whl"],
        str(mirrored(dest)),
    )

    # The requirements file read over HTTP: its `-r base.txt` include is joined to its URL.
    served_reqs = serve(reqs).replace("/simple/", "/requirements.txt")
    dest = work / "remote-requirements"
    r = run(["-r", served_reqs, "--dest", str(dest), "--index-url", index, *linux])
    check("mirror of a requirements URL exits 0", r.returncode == 0, r.stdout + r.stderr)
    check("requirements URL and its include both read", mirrored(dest) == want, str(mirrored(dest)))

    # Upstream published by build_index and served by serve (PEP 691 negotiation).
    if build_index:
        published = work / "built"
        subprocess.run([build_index, str(wheelhouse), str(published)], check=True, capture_output=True, timeout=120)
        port = free_port()
        servers.append(subprocess.Popen([serve_bin, str(published), "--bind", f"127.0.0.1:{port}"],
                                        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL))
        wait_port(port)
        dest = work / "from-serve"
        r = run(["-r", requirements, "--dest", str(dest), "--index-url", f"http://127.0.0.1:{port}/simple/", *linux])
        check("mirror from serve exits 0", r.returncode == 0, r.stdout + r.stderr)
        check("mirror from serve has exactly the linux wheels", mirrored(dest) == want, str(mirrored(dest)))

    # A constraints file pins and hashes an unpinned requirement, as pip applies it.
    (reqs / "constraints.txt").write_text(
        "hello-pypackaging==1.0.0 --hash=sha256:{}\n".format(h["hello_pypackaging-1.0.0-py3-none-any.whl"])
    )
    (reqs / "constrained.txt").write_text("-c constraints.txt\n-r base.txt\nhello-pypackaging\n")
    dest = work / "constrained"
    r = run(["-r", str(reqs / "constrained.txt"), "--dest", str(dest), "--index-url", index, *linux])
    check("constrained mirror exits 0", r.returncode == 0, r.stdout + r.stderr)
    check(
        "the constraint chose 1.0.0",
        mirrored(dest) == ["hello_pypackaging-1.0.0-py3-none-any.whl", "tiny_utils-0.1.0-py3-none-any.whl"],
        str(mirrored(dest)),
    )

    # A file changed upstream, index hash unchanged: refused, nothing lands.
    tampered = work / "tampered"
    shutil.copytree(upstream, tampered)
    changed_wheel = tampered / "simple" / "tiny-utils" / "tiny_utils-0.1.0-py3-none-any.whl"
    with open(changed_wheel, "ab") as f:
        f.write(b"\0")
    dest = work / "refused"
    r = run(["-r", requirements, "--dest", str(dest), "--index-url", serve(tampered), *linux])
    check("tampered mirror exits 1", r.returncode == 1, r.stdout + r.stderr)
    check("tampered file not mirrored", "tiny_utils-0.1.0-py3-none-any.whl" not in mirrored(dest), str(mirrored(dest)))
    check("other files still mirrored", "hello_pypackaging-1.1.0-py3-none-any.whl" in mirrored(dest), str(mirrored(dest)))
    check("refusal names the mismatch", "does not match" in r.stdout, r.stdout)
    partial = dest / ".partial"
    check("no partial file left", not partial.exists() or not any(partial.iterdir()))

    # The index re-hashed to the changed bytes: the requirements file's hash still refuses it.
    build = work / "rehashed"
    changed = [p for p in wheelhouse.iterdir() if not p.name.startswith("tiny_utils")]
    build_tree(build, changed + [changed_wheel])
    dest = work / "refused2"
    r = run(["-r", requirements, "--dest", str(dest), "--index-url", serve(build), *linux])
    check("re-hashed index refused", r.returncode == 1 and "does not match the requirements file" in r.stdout, r.stdout)
    check("re-hashed file not mirrored", "tiny_utils-0.1.0-py3-none-any.whl" not in mirrored(dest))

    # Files whose bytes match every hash but that pip or installer would refuse (a wheel that
    # is not a zip, an sdist that is not a tar): the install check refuses them, nothing lands,
    # the report keeps the findings; the good file beside them still lands.
    source = work / "corrupt-files"
    source.mkdir()
    (source / "broken_wheel-1.0-py3-none-any.whl").write_bytes(b"not a zip archive\n" * 10)
    (source / "broken_sdist-1.0.tar.gz").write_bytes(gzip.compress(b"not a tar archive\n" * 10))
    shutil.copy(wheelhouse / "tiny_utils-0.1.0-py3-none-any.whl", source)
    build_tree(work / "corrupt-upstream", sorted(source.iterdir()))
    (reqs / "corrupt.txt").write_text("".join(
        f"{n}=={v} --hash=sha256:{sha256(source / f)}\n" for n, v, f in [
            ("broken-wheel", "1.0", "broken_wheel-1.0-py3-none-any.whl"),
            ("broken-sdist", "1.0", "broken_sdist-1.0.tar.gz"),
            ("tiny-utils", "0.1.0", "tiny_utils-0.1.0-py3-none-any.whl"),
        ]))
    dest = work / "corrupt"
    r = run(["-r", str(reqs / "corrupt.txt"), "--dest", str(dest), "--index-url", serve(work / "corrupt-upstream"), *linux])
    check("corrupt files: mirror exits 1", r.returncode == 1, r.stdout + r.stderr)
    check("corrupt files: only the good one lands", mirrored(dest) == ["tiny_utils-0.1.0-py3-none-any.whl"], str(mirrored(dest)))
    failed = {o["what"]: o for o in report(dest)["outcomes"] if o["status"] == "failed"}
    for name in ["broken_wheel-1.0-py3-none-any.whl", "broken_sdist-1.0.tar.gz"]:
        o = failed.get(name, {})
        check(f"{name} refused by the install check", "would refuse" in o.get("why", ""), str(o))
        check(f"{name}'s refusal is in the report",
              any(f["severity"] == "refusal" for f in o.get("findings", [])), str(o))
    good = [o for o in report(dest)["outcomes"] if o["status"] == "mirrored"]
    check("mirrored outcomes carry a findings array", all(isinstance(o.get("findings"), list) for o in good) and good, str(good))

    # A refused file left in DIR (by an older, laxer run) fails its job and is left in place
    # (the mirror deletes nothing it finds), and no page links it.
    leftover = dest / "simple" / "broken-wheel" / "broken_wheel-1.0-py3-none-any.whl"
    leftover.parent.mkdir(parents=True, exist_ok=True)
    shutil.copy(source / leftover.name, leftover)
    r = run(["-r", str(reqs / "corrupt.txt"), "--dest", str(dest), "--index-url", serve(work / "corrupt-upstream"), *linux])
    page = dest / "simple" / "broken-wheel" / "index.html"
    linked = page.exists() and leftover.name in page.read_text()
    check("a refused file already in DIR fails, is left in place and is not linked",
          r.returncode == 1 and leftover.exists() and not linked and "left in place" in r.stdout, r.stdout)

    # The command line: help and version exit 0; wrong usage exits 2 and says why.
    r = run(["--help"])
    check("--help exits 0 and lists the flags", r.returncode == 0 and all(
        f in r.stdout for f in ["--requirement", "--dest", "--index-url", "--extra-index-url", "--trusted-host",
                                "--python-version", "--implementation", "--abi", "--platform", "--only-binary",
                                "--no-binary", "--require-hashes", "--pre", "--all-platforms", "--jobs"]), r.stdout + r.stderr)
    r = run(["--version"])
    check("--version exits 0", r.returncode == 0 and r.stdout.startswith("mirror "), r.stdout + r.stderr)
    r = run(["--dest", str(work / "x")])
    check("a missing -r exits 2 and names it", r.returncode == 2 and "--requirement" in r.stderr, r.stderr)
    r = run(["-r", requirements, "--dest", str(work / "x"), "--jobs=0"])
    check("--jobs=0 exits 2 and names the value", r.returncode == 2 and "`0` is not a number from 1 to 64" in r.stderr, r.stderr)
    r = run(["-r", requirements, "--dest", str(work / "x"), "--bogus"])
    check("an unknown flag exits 2", r.returncode == 2 and "--bogus" in r.stderr, r.stderr)

    # Interrupted: fastsum's download stalls, the mirror is killed once the others land, and a
    # second run skips what is there and fetches the rest.
    dest = work / "resume"
    slow = serve(upstream, slow=True)
    proc = subprocess.Popen(
        [mirror, "-r", requirements, "--dest", str(dest), "--index-url", slow, *linux, "--jobs", "1"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.time() + 60
    while time.time() < deadline and len(mirrored(dest)) < 2:
        time.sleep(0.1)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    check("interrupted run left two files", len(mirrored(dest)) == 2, str(mirrored(dest)))
    r = run(["-r", requirements, "--dest", str(dest), "--index-url", index, *linux])
    check("resumed mirror exits 0", r.returncode == 0, r.stdout + r.stderr)
    check("resumed mirror complete", mirrored(dest) == want, str(mirrored(dest)))
    outcomes = report(dest)["outcomes"]
    present = [o for o in outcomes if o["status"] == "skipped" and "already present" in o["why"]]
    fetched = [o for o in outcomes if o["status"] == "mirrored"]
    check("resume skipped the two present files", len(present) == 2, str(outcomes))
    check("resume fetched only fastsum", [o["file"] for o in fetched] == [want[0]], str(outcomes))

    # pip installs from the mirrored index with --require-hashes (when the mirror publishes one).
    published = work / "linux" / "simple"
    if (published / "index.html").is_file():
        target = work / "installed"
        pip = subprocess.run(
            [sys.executable, "-m", "pip", "install", "--quiet", "--disable-pip-version-check", "--no-deps",
             "--require-hashes", "--target", str(target), "--index-url", serve(work / "linux"),
             "--only-binary", ":all:", "--python-version", "3.11", "--platform", "linux_x86_64",
             "--implementation", "cp", "-r", requirements],
            capture_output=True, text=True, timeout=120,
        )
        check("pip installs from the mirror with --require-hashes", pip.returncode == 0, pip.stdout + pip.stderr)
        check("pip installed hello_pypackaging", (target / "hello_pypackaging").exists() or any(target.glob("hello_pypackaging*")))
    else:
        print("note: the mirror wrote no index (no publish step); pip install not checked")


try:
    main()
finally:
    for proc in servers:
        proc.terminate()
        proc.wait()
    shutil.rmtree(work, ignore_errors=True)

for p in problems:
    print("FAIL", p)
print(f"check-mirror: {checks} checks, {len(problems)} failed")
sys.exit(1 if problems else 0)
