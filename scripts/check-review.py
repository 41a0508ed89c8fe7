"""The checks of scripts/check-review: `check-review.py BIN_DIR REPO REF_PYTHON [--update-screenshot]`.

Runs in the review venv (cyclonedx-python-lib with its JSON validator, jsonschema); pip runs
from the reference venv (REF_PYTHON)."""

import hashlib
import html
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import jsonschema
from cyclonedx.schema import SchemaVersion
from cyclonedx.validation.json import JsonStrictValidator

bin_dir, repo, ref_python = Path(sys.argv[1]), Path(sys.argv[2]), sys.argv[3]
update_screenshot = "--update-screenshot" in sys.argv[4:]
build_index, mirror, approve = (str(bin_dir / n) for n in ("build_index", "mirror", "approve"))
wheelhouse = repo / "examples" / "wheelhouse"
schema = json.loads((repo / "docs" / "review-report.schema.json").read_text())
work = Path(tempfile.mkdtemp(prefix="check-review-"))
servers = []
passed = failed = 0
started = time.monotonic()


def check(what, ok, detail=""):
    global passed, failed
    if ok:
        passed += 1
        print(f"ok      {what}")
    else:
        failed += 1
        print(f"FAILED  {what}{': ' + detail[-2000:] if detail else ''}")


def run(cmd, **kw):
    return subprocess.run(cmd, capture_output=True, text=True, timeout=120, **kw)


def sha256(path):
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def serve(root):
    """`python -m http.server` on loopback over ROOT; returns its base URL."""
    port = free_port()
    proc = subprocess.Popen([sys.executable, "-m", "http.server", "--bind", "127.0.0.1", str(port)],
                            cwd=root, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    servers.append(proc)
    for _ in range(100):
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            break
        except OSError:
            time.sleep(0.05)
    return f"http://127.0.0.1:{port}"


def chromium(*args):
    profile = tempfile.mkdtemp(prefix="chromium-", dir=work)
    cmd = ["/usr/bin/chromium", "--headless", "--no-sandbox", "--disable-gpu",
           "--disable-background-networking", "--disable-component-update", "--disable-sync",
           "--no-first-run", f"--user-data-dir={profile}", *args]
    return subprocess.run(cmd, capture_output=True, text=True, timeout=90)


def check_report(label, folder, want_files, tool):
    """report.json valid and complete, report.html in Chromium's DOM, a valid SBOM."""
    report_path = folder / "report.json"
    check(f"{label}: report.json written", report_path.is_file(), str(folder))
    if not report_path.is_file():
        return None
    report = json.loads(report_path.read_text())
    errors = sorted(jsonschema.Draft202012Validator(schema).iter_errors(report), key=str)
    check(f"{label}: report.json valid against docs/review-report.schema.json", not errors,
          "; ".join(e.message for e in errors[:5]))
    names = [f["filename"] for f in report["files"]]
    check(f"{label}: report lists exactly the files", sorted(names) == sorted(want_files),
          f"{sorted(names)} != {sorted(want_files)}")
    check(f"{label}: report tool is {tool}", report["tool"] == tool, report["tool"])
    page = folder / "report.html"
    t = time.monotonic()
    dom = chromium("--dump-dom", page.as_uri())
    took = time.monotonic() - t
    missing = [n for n in names if html.escape(n, quote=False) not in dom.stdout]
    check(f"{label}: Chromium renders report.html with every file name in its DOM ({took:.1f}s)",
          dom.returncode == 0 and not missing and "<table" in dom.stdout,
          f"rc {dom.returncode}, missing {missing}; {dom.stderr[-500:]}")
    sbom = (folder / "sbom.cdx.json").read_text()
    invalid = JsonStrictValidator(SchemaVersion.V1_6).validate_str(sbom)
    check(f"{label}: sbom.cdx.json valid CycloneDX 1.6 (cyclonedx-python-lib strict)",
          invalid is None, str(invalid))
    bom = json.loads(sbom)
    purls = {c["bom-ref"]: c.get("purl") for c in bom["components"]}
    want_purls = {f["filename"]: f"pkg:pypi/{f['project']}@{f['version']}" for f in report["files"]}
    check(f"{label}: SBOM has one component per file, with purl and SHA-256",
          purls == want_purls and all(c["hashes"][0]["alg"] == "SHA-256" for c in bom["components"]),
          f"{purls} != {want_purls}")
    return report


try:
    # 1. build_index over examples/wheelhouse without tiny_utils.
    wh = work / "wheelhouse"
    wh.mkdir()
    all_files = sorted(p.name for p in wheelhouse.iterdir() if p.suffix in (".whl", ".gz", ".zip"))
    held = "tiny_utils-0.1.0-py3-none-any.whl"
    for name in all_files:
        if name != held:
            shutil.copy(wheelhouse / name, wh / name)
    stage = work / "stage"
    copy = work / "review-copy"
    t = time.monotonic()
    r = run([build_index, str(wh), str(stage), "--find-links-page", "--review", str(copy)])
    check(f"build_index with the review exits 0 ({time.monotonic() - t:.2f}s)", r.returncode == 0,
          r.stdout + r.stderr)
    review = stage / ".pypackaging" / "review"
    first = check_report("build_index", review, [n for n in all_files if n != held], "build_index")
    check("--review DIR gets the same three files",
          all((copy / n).read_bytes() == (review / n).read_bytes()
              for n in ("report.json", "report.html", "sbom.cdx.json")))
    check("nothing of the review outside OUT/.pypackaging/ and --review",
          sorted(p.name for p in stage.iterdir()) == [".pypackaging", "find-links", "requirements.txt", "simple"],
          str(sorted(p.name for p in stage.iterdir())))
    hello = next(f for f in first["files"] if f["filename"] == "hello_pypackaging-1.1.0-py3-none-any.whl")
    check("the report reads license and requirements from METADATA",
          hello["license"]["expression"] is not None or hello["license"]["text"] is not None
          or hello["license"]["classifiers"], json.dumps(hello))
    r = run([build_index, "--help"])
    check("--review and --find-links-page in build_index --help",
          "--review" in r.stdout and "--find-links-page" in r.stdout)

    # 2. A second run: tiny_utils added, the 1.0.0 wheel yanked.
    shutil.copy(wheelhouse / held, wh / held)
    yanked = "hello_pypackaging-1.0.0-py3-none-any.whl"
    r = run([build_index, str(wh), str(stage), "--find-links-page", "--yank", f"{yanked}=broken <b>&</b>"])
    check("second build_index run exits 0", r.returncode == 0, r.stdout + r.stderr)
    check("the summary lists the changes since the last review",
          "since the last review (5 files): 1 added, 0 removed, 0 re-uploaded, 1 newly yanked" in r.stdout
          and f"added        {held}" in r.stdout and f"yanked       {yanked}" in r.stdout, r.stdout)
    second = check_report("build_index second run", review, all_files, "build_index")
    check("previous.json is the first report", (review / "previous.json").is_file()
          and json.loads((review / "previous.json").read_text()) == first)
    changes = (second or {}).get("changes") or {}
    check("report.json changes: added and newly yanked",
          changes.get("added") == [held] and changes.get("newly_yanked") == [yanked]
          and changes.get("removed") == [] and changes.get("reuploaded") == [], json.dumps(changes))
    dom = chromium("--dump-dom", (review / "report.html").as_uri()).stdout
    check("the page shows the changes and the escaped yank reason",
          "Since the last review" in dom and "broken &lt;b&gt;&amp;&lt;/b&gt;" in dom and "<b>&amp;</b>" not in dom,
          dom[:3000])
    shot = work / "review-report.png"
    s = chromium("--screenshot=" + str(shot), "--window-size=1400,900", "--hide-scrollbars",
                 (review / "report.html").as_uri())
    check("Chromium screenshots the page", s.returncode == 0 and shot.is_file() and shot.stat().st_size > 10_000,
          s.stderr[-500:])

    # 3. The mirror over the staged index, served on loopback: the review with upstream URLs.
    upstream = serve(stage)
    reqs = work / "requirements.txt"
    h = {f["filename"]: f["sha256"] for f in second["files"]}
    reqs.write_text(
        "hello-pypackaging==1.1.0 --hash=sha256:{} --hash=sha256:{}\n"
        "tiny-utils==0.1.0 --hash=sha256:{}\n".format(
            h["hello_pypackaging-1.1.0-py3-none-any.whl"], h["hello_pypackaging-1.1.0.tar.gz"], h[held]))
    mdir = work / "mirror"
    margs = [mirror, "-r", str(reqs), "--dest", str(mdir), "--index-url", f"{upstream}/simple/",
             "--all-platforms", "--find-links-page"]
    t = time.monotonic()
    r = run(margs)
    check(f"mirror exits 0 ({time.monotonic() - t:.2f}s)", r.returncode == 0, r.stdout + r.stderr)
    mfiles = ["hello_pypackaging-1.1.0-py3-none-any.whl", "hello_pypackaging-1.1.0.tar.gz", held]
    mreport = check_report("mirror", mdir / "review", mfiles, "mirror")
    check("mirror report has each upstream URL",
          mreport is not None and all(f["url"] and f["url"].startswith(upstream) for f in mreport["files"]),
          json.dumps([f["url"] for f in (mreport or {"files": []})["files"]]))
    r = run(margs)
    check("mirror re-run: previous.json kept and nothing changed",
          r.returncode == 0 and (mdir / "review" / "previous.json").is_file()
          and "since the last review (3 files): 0 added, 0 removed, 0 re-uploaded, 0 newly yanked" in r.stdout,
          r.stdout + r.stderr)
    (mdir / "review" / "report.json").write_text('{"not": "ours"}')
    r = run(margs)
    check("mirror leaves a report.json it did not write alone (and says so)",
          r.returncode == 1 and "is not a review report" in r.stdout
          and (mdir / "review" / "report.json").read_text() == '{"not": "ours"}', r.stdout + r.stderr)

    # A re-upload: the upstream now states other bytes for a reviewed file. The mirror
    # refuses it (hash checks) and the review lists it.
    up2 = work / "upstream2"
    shutil.copytree(stage / "simple", up2 / "simple")
    other = "1" * 64
    (up2 / "simple" / "tiny-utils" / "index.json").unlink(missing_ok=True)
    (up2 / "simple" / "tiny-utils" / "index.html").write_text(
        f'<!DOCTYPE html><html><body><a href="{held}#sha256={other}">{held}</a></body></html>')
    md2 = work / "mirror-reupload"
    r1 = run([mirror, "-r", str(reqs), "--dest", str(md2), "--index-url", f"{upstream}/simple/", "--all-platforms"])
    r = run([mirror, "-r", str(reqs), "--dest", str(md2), "--index-url", f"{serve(up2)}/simple/", "--all-platforms"])
    re_report = json.loads((md2 / "review" / "report.json").read_text())
    re_up = (re_report.get("changes") or {}).get("reuploaded") or []
    check("mirror refuses a re-upload and the review lists it (old and new sha256)",
          r1.returncode == 0 and r.returncode == 1 and f"re-uploaded  {held}" in r.stdout
          and re_up and re_up[0]["filename"] == held and re_up[0]["after_sha256"] == other
          and re_up[0]["before_sha256"] == h[held], r1.stdout + r.stdout + r.stderr)

    # 3b. The mirror reads --find-links sources as pip does: a local folder, and an HTML page
    # of links over HTTP (an index without the projects beside them).
    empty = work / "empty-index"
    (empty / "simple").mkdir(parents=True)
    (empty / "simple" / "index.html").write_text("<!DOCTYPE html><html><body></body></html>")
    nothing = serve(empty)
    for label, where in (("a local folder", str(wh)), ("an HTML page over HTTP", f"{upstream}/find-links/index.html")):
        fdir = work / f"mirror-fl-{len(label)}"
        r = run([mirror, "-r", str(reqs), "--dest", str(fdir), "--index-url", f"{nothing}/simple/",
                 "--all-platforms", "--find-links", where])
        got = sorted(p.name for p in (fdir / "simple").glob("*/*") if p.name in mfiles)
        check(f"mirror takes the files from --find-links {label}", r.returncode == 0 and got == sorted(mfiles),
              r.stdout + r.stderr)
    bad = work / "bad-links"
    bad.mkdir()
    (bad / "index.html").write_text('<a href="{}/simple/hello-pypackaging/hello_pypackaging-1.1.0-py3-none-any.whl#sha256={}">'
                                    'hello_pypackaging-1.1.0-py3-none-any.whl</a>'.format(upstream, "0" * 64))
    fdir = work / "mirror-fl-bad"
    bad_reqs = work / "bad-reqs.txt"
    bad_reqs.write_text("hello-pypackaging==1.1.0\n")
    r = run([mirror, "-r", str(bad_reqs), "--dest", str(fdir), "--index-url", f"{nothing}/simple/",
             "--find-links", str(bad / "index.html")])
    check("mirror refuses a find-links file whose #sha256= does not match",
          r.returncode == 1 and "does not match the index's hash" in r.stdout
          and not any((fdir / "simple").glob("*/*.whl")), r.stdout + r.stderr)

    # 4. find-links: pip installs from the flat page with --no-index and --require-hashes.
    pin = work / "pin.txt"
    pin.write_text("hello-pypackaging==1.1.0 --hash=sha256:{}\n".format(h["hello_pypackaging-1.1.0-py3-none-any.whl"]))
    for label, where in (("build_index's", stage / "find-links" / "index.html"),
                         ("the mirror's", mdir / "find-links" / "index.html")):
        target = work / f"fl-{len(label)}"
        r = run([ref_python, "-m", "pip", "install", "--disable-pip-version-check", "--no-deps", "--no-index",
                 "--find-links", str(where), "--require-hashes", "-r", str(pin), "--target", str(target)])
        check(f"pip installs from {label} find-links page (--no-index --require-hashes)",
              r.returncode == 0 and any(target.glob("hello_pypackaging-1.1.0.dist-info")), r.stdout + r.stderr)
    served = serve(stage)
    target = work / "fl-http"
    r = run([ref_python, "-m", "pip", "install", "--disable-pip-version-check", "--no-deps", "--no-index",
             "--find-links", f"{served}/find-links/", "--require-hashes", "-r", str(pin), "--target", str(target)])
    check("pip installs from the find-links page over HTTP", r.returncode == 0, r.stdout + r.stderr)

    # 5. Approve into production: one file rejected in the report, one with --reject.
    reviewed = json.loads((review / "report.json").read_text())
    rejected = "fastsum-0.2.0-cp311-cp311-linux_x86_64.whl"
    for f in reviewed["files"]:
        if f["filename"] == rejected:
            f["decision"] = "rejected"
    edited = review / "report.json"
    edited_copy = work / "reviewed.json"
    edited_copy.write_text(json.dumps(reviewed, indent=2))
    prod = work / "prod"
    t = time.monotonic()
    r = run([approve, str(edited_copy), "--from", str(stage), "--into", str(prod),
             "--reject", "hello_pypackaging-1.0.0.tar.gz"])
    check(f"approve exits 0 ({time.monotonic() - t:.2f}s)", r.returncode == 0, r.stdout + r.stderr)
    published = sorted(p.name for p in (prod / "simple").glob("*/*") if not p.name.endswith((".metadata", ".html", ".json")))
    want = sorted(n for n in all_files if n not in (rejected, "hello_pypackaging-1.0.0.tar.gz"))
    check("PROD holds exactly the approved files", published == want, f"{published} != {want}")
    check("PROD keeps the report's yank", "data-yanked" in (prod / "simple" / "hello-pypackaging" / "index.html").read_text())
    check("PROD's files are the reviewed bytes", all(sha256(next((prod / "simple").glob(f"*/{n}"))) == h[n] for n in want))
    index = serve(prod)
    target = work / "prod-install"
    r = run([ref_python, "-m", "pip", "install", "--disable-pip-version-check", "--no-deps",
             "--index-url", f"{index}/simple/", "--require-hashes", "-r", str(pin), "--target", str(target)])
    check("pip installs from the production index with --require-hashes", r.returncode == 0, r.stdout + r.stderr)

    # The approval is refused when a staged file's bytes changed, and PROD stays as it was.
    manifest = (prod / ".pypackaging" / "manifest.json").read_bytes()
    staged = stage / "simple" / "hello-pypackaging" / "hello_pypackaging-1.1.0-py3-none-any.whl"
    before = sha256(staged)
    staged.unlink()  # a hard link to the wheelhouse: replace, do not write through
    data = (wh / staged.name).read_bytes() + b"\0"
    staged.write_bytes(data)
    after = hashlib.sha256(data).hexdigest()
    r = run([approve, str(edited), "--into", str(prod)])
    check("approve refuses a staged file whose bytes changed, naming it and both digests",
          r.returncode == 1 and staged.name in r.stderr and before in r.stderr and after in r.stderr,
          r.stdout + r.stderr)
    check("and PROD is untouched", (prod / ".pypackaging" / "manifest.json").read_bytes() == manifest)
    foreign = work / "foreign"
    foreign.mkdir()
    (foreign / "keep.txt").write_text("mine")
    r = run([approve, str(edited_copy), "--from", str(stage), "--into", str(foreign)])
    check("approve refuses a PROD build_index did not make", r.returncode == 1
          and "not an index build_index made" in r.stderr and sorted(os.listdir(foreign)) == ["keep.txt"], r.stderr)
    r = run([approve, str(edited_copy), "--from", str(stage), "--into", str(prod), "--reject", "typo.whl"])
    check("approve refuses a --reject the report does not list", r.returncode == 1 and "typo.whl" in r.stderr, r.stderr)

    # 6. A handful of real files, when the cache has them.
    cache = Path(os.environ.get("PYPACKAGING_CACHE", Path.home() / ".cache" / "pypackaging")) / "real-wheels"
    picks = ["Jinja2-2.8-py2.py3-none-any.whl", "attrs-26.1.0-py3-none-any.whl", "blinker-1.9.0.tar.gz",
             "bcrypt-5.0.0-cp38-abi3-manylinux_2_34_x86_64.whl", "certifi-2025.1.31-py3-none-any.whl",
             "colorama-0.4.6.tar.gz", "PyYAML-3.11.zip", "boto3-1.44.8-py3-none-any.whl"]
    present = [p for p in picks if (cache / p).is_file()]
    if present:
        real = work / "real"
        real.mkdir()
        for p in present:
            shutil.copy(cache / p, real / p)
        out = work / "real-out"
        t = time.monotonic()
        r = run([build_index, str(real), str(out)])
        took = time.monotonic() - t
        check(f"build_index over {len(present)} real files exits 0 ({took:.2f}s, "
              f"{sum((real / p).stat().st_size for p in present) / 1e6:.1f} MB)", r.returncode == 0, r.stdout + r.stderr)
        rr = check_report("real files", out / ".pypackaging" / "review", present, "build_index")
        if rr:
            warnings = sum(len(f["findings"]) for f in rr["files"])
            licensed = sum(1 for f in rr["files"] if any(f["license"].values()))
            sizes = {n: (out / ".pypackaging" / "review" / n).stat().st_size for n in ("report.json", "report.html", "sbom.cdx.json")}
            print(f"        real files: {warnings} findings, {licensed}/{len(rr['files'])} with a license, sizes {sizes}")
            check("real files: the warnings are in the page",
                  all(html.escape(fd["message"], quote=False)[:40] in (out / ".pypackaging" / "review" / "report.html").read_text()
                      for f in rr["files"] for fd in f["findings"]))
            shot = work / "review-report.png"
            chromium("--screenshot=" + str(shot), "--window-size=1400,900", "--hide-scrollbars",
                     (out / ".pypackaging" / "review" / "report.html").as_uri())
    else:
        print(f"skip    real files: none of the picks in {cache}")
    if update_screenshot and shot.is_file():
        shutil.copy(shot, repo / "docs" / "review-report.png")
        print(f"        wrote docs/review-report.png ({shot.stat().st_size} bytes)")
finally:
    for proc in servers:
        proc.terminate()
        try:
            proc.wait(timeout=5)
        except subprocess.TimeoutExpired:
            proc.kill()
    shutil.rmtree(work, ignore_errors=True)

print(f"check-review: {passed} passed, {failed} failed ({time.monotonic() - started:.1f}s)")
sys.exit(1 if failed else 0)
