"""build_index: nothing lost, every input checked alike, a usable command line.

Each case runs the binary on fresh temporary folders and checks its exit status, its message,
and that nothing it did not write changed. Usage: check-build-index.py BINARY WHEELHOUSE.
"""

import hashlib
import json
import os
import pathlib
import shutil
import subprocess
import sys
import tempfile

binary, source = sys.argv[1], pathlib.Path(sys.argv[2])
failures = []
passed = 0


def check(name, ok, detail=""):
    global passed
    if ok:
        passed += 1
        print(f"ok    {name}")
    else:
        failures.append(name)
        print(f"FAIL  {name}\n      {detail.strip()[:1500]}")


def run(*args, cwd=None):
    return subprocess.run([binary, *map(str, args)], capture_output=True, text=True, timeout=60, cwd=cwd)


def snapshot(root):
    """Every file below root (hidden ones too) with its sha256."""
    root = pathlib.Path(root)
    return {
        str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }


def index_files(out):
    """The files the index serves: everything but the marker folder."""
    return {k: v for k, v in snapshot(out).items() if not k.startswith(".pypackaging")}


work = pathlib.Path(tempfile.mkdtemp(prefix="check-build-index-"))
try:
    wh = work / "wh"
    shutil.copytree(source, wh)
    wh_before = snapshot(wh)

    # A folder with someone's notes is not an index: refused, and the notes stay.
    out = work / "notes-out"
    out.mkdir()
    (out / "notes.txt").write_text("my notes\n")
    r = run(wh, out)
    check("OUT with a foreign file is refused (exit 1)", r.returncode == 1, r.stdout + r.stderr)
    check("the refusal names the foreign entry", "notes.txt" in r.stderr, r.stderr)
    check("the foreign file stays, alone", snapshot(out) == {"notes.txt": hashlib.sha256(b"my notes\n").hexdigest()},
          str(snapshot(out)))

    # `build_index WH .` in a folder that is not an index.
    cwd = work / "project"
    cwd.mkdir()
    (cwd / "setup.py").write_text("print('hi')\n")
    r = run(wh, ".", cwd=cwd)
    check("`build_index WH .` in a non-index folder is refused", r.returncode == 1 and "setup.py" in r.stderr,
          r.stdout + r.stderr)
    check("  and the folder is untouched", sorted(os.listdir(cwd)) == ["setup.py"], str(os.listdir(cwd)))

    # OUT and the wheelhouse may not contain each other.
    r = run(wh, wh)
    check("`WH WH` is refused", r.returncode == 1 and "wheelhouse" in r.stderr, r.stdout + r.stderr)
    r = run(wh, wh / "index")
    check("OUT inside WH is refused", r.returncode == 1 and not (wh / "index").exists(), r.stdout + r.stderr)
    r = run(wh, work)
    check("WH inside OUT is refused", r.returncode == 1, r.stdout + r.stderr)
    check("  and the wheelhouse is untouched", snapshot(wh) == wh_before)

    # A plain file at OUT.
    plain = work / "plain"
    plain.write_text("not a folder\n")
    r = run(wh, plain)
    check("a plain file at OUT is refused", r.returncode == 1 and "file" in r.stderr, r.stdout + r.stderr)
    check("  and left as it was, with nothing beside it",
          plain.read_text() == "not a folder\n" and not [p for p in os.listdir(work) if p.startswith(".plain")],
          str(os.listdir(work)))

    # Junk inputs: a .tar.gz that is not a tarball and a corrupt .whl, checked alike.
    bad = work / "bad-wh"
    shutil.copytree(source, bad)
    (bad / "junk-1.0.tar.gz").write_bytes(b"this is not a tarball\n" * 10)
    (bad / "broken-1.0-py3-none-any.whl").write_bytes(b"PK\x03\x04 not really a zip")
    out = work / "bad-out"
    r = run(bad, out, "--report", work / "bad-report.json")
    check("junk sdist and corrupt wheel stop the build (exit 1)", r.returncode == 1, r.stdout + r.stderr)
    check("  both are named", "junk-1.0.tar.gz" in r.stderr and "broken-1.0-py3-none-any.whl" in r.stderr, r.stderr)
    check("  nothing is published", not (out / "simple").exists(), str(snapshot(out) if out.exists() else "absent"))
    try:
        report = json.loads((work / "bad-report.json").read_text())
        statuses = {f["filename"]: f["status"] for f in report["files"]}
        ok = (statuses.get("junk-1.0.tar.gz") == "refused" and statuses.get("broken-1.0-py3-none-any.whl") == "refused"
              and report["refused"] == 2 and report["version"] == 1)
        check("  the --report says refused for both", ok, json.dumps(report)[:800])
    except (OSError, ValueError, KeyError) as e:
        check("  the --report says refused for both", False, repr(e))
    r = run(bad, out, "--skip-invalid")
    served = index_files(out) if out.exists() else {}
    check("--skip-invalid publishes the rest", r.returncode == 0 and "simple/index.html" in served, r.stdout + r.stderr)
    check("  and leaves both out", not any("junk" in k or "broken" in k for k in served), str(sorted(served)))
    try:
        report = json.loads((out / ".pypackaging" / "build-report.json").read_text())
        statuses = {f["filename"]: f["status"] for f in report["files"]}
        check("  the build report marks them left-out",
              statuses.get("junk-1.0.tar.gz") == "left-out" and report["left_out"] == 2 and report["indexed"] == 6,
              json.dumps(report)[:800])
    except (OSError, ValueError, KeyError) as e:
        check("  the build report marks them left-out", False, repr(e))

    # The command line.
    r = run("--help")
    flags = ["--base-url", "--yank", "--skip-invalid", "--copy", "--report"]
    check("--help exits 0 and lists every flag", r.returncode == 0 and all(f in r.stdout for f in flags), r.stdout + r.stderr)
    check("  with its default", r.stdout.count("default") >= len(flags), r.stdout)
    r = run("--version")
    check("--version exits 0", r.returncode == 0 and r.stdout.strip(), r.stdout + r.stderr)
    r = run(wh, work / "x", "--frobnicate")
    check("an unknown flag exits 2 and names it", r.returncode == 2 and "--frobnicate" in r.stderr, r.stdout + r.stderr)
    r = run(wh)
    check("a missing OUT exits 2", r.returncode == 2, r.stdout + r.stderr)
    r = run(wh, work / "x", "--base-url", "notaurl")
    check("--base-url notaurl exits 2 naming the value and what was expected",
          r.returncode == 2 and "notaurl" in r.stderr and "notaurl/" not in r.stderr
          and "absolute http(s) URL" in r.stderr, r.stderr)
    r = run(wh, work / "x", "--yank", "nofile")
    check("--yank without = exits 2", r.returncode == 2 and "FILE=REASON" in r.stderr, r.stderr)
    check("  and writes nothing", not (work / "x").exists())

    # A foreign file inside a project folder survives rebuilds, even when the project goes.
    out = work / "index"
    r = run(wh, out)
    check("a fresh build exits 0", r.returncode == 0, r.stdout + r.stderr)
    foreign = out / "simple" / "tiny-utils" / "README.txt"
    foreign.write_text("kept by hand\n")
    (out / "NOTES").write_text("ops notes\n")
    r = run(wh, out)
    check("a rebuild with foreign files exits 0", r.returncode == 0, r.stdout + r.stderr)
    check("  and they survive", foreign.read_text() == "kept by hand\n" and (out / "NOTES").exists())
    check("re-run over unchanged input plans nothing", "put 0, delete 0" in r.stdout, r.stdout)
    fewer = work / "fewer"
    fewer.mkdir()
    for f in source.iterdir():
        if not f.name.startswith("tiny_utils"):
            shutil.copy(f, fewer / f.name)
    r = run(fewer, out)
    check("a build without tiny-utils exits 0", r.returncode == 0, r.stdout + r.stderr)
    left = sorted(p.name for p in (out / "simple" / "tiny-utils").iterdir()) if (out / "simple" / "tiny-utils").exists() else []
    check("  removes our tiny-utils files, keeps the foreign one", left == ["README.txt"], str(left))
    root = (out / "simple" / "index.json").read_text()
    check("  and the root no longer lists it", "tiny-utils" not in root, root)
    r = run(wh, out)
    check("tiny-utils comes back beside the foreign file", r.returncode == 0
          and (out / "simple" / "tiny-utils" / "index.json").exists() and foreign.exists(), r.stdout + r.stderr)
    # A foreign file where the index needs to write is refused, named, and kept.
    extra = work / "extra"
    extra.mkdir()
    shutil.copy(source / "tiny_utils-0.1.0-py3-none-any.whl", extra)
    clash = work / "clash-out"
    run(extra, clash)
    (clash / "simple" / "hello-pypackaging").mkdir()
    squat = clash / "simple" / "hello-pypackaging" / "hello_pypackaging-1.0.0.tar.gz"
    squat.write_text("someone else's\n")
    shutil.copy(source / "hello_pypackaging-1.0.0.tar.gz", extra)
    r = run(extra, clash)
    check("a foreign file at a key the index needs is refused and named",
          r.returncode == 1 and "hello_pypackaging-1.0.0.tar.gz" in r.stderr, r.stdout + r.stderr)
    check("  and kept", squat.read_text() == "someone else's\n")

    # A refused file leaves a published index as it was.
    served = index_files(out)
    (fewer / "junk-2.0.tar.gz").write_bytes(b"junk")
    r = run(fewer, out)
    check("a refused file stops a rebuild", r.returncode == 1 and "junk-2.0.tar.gz" in r.stderr, r.stdout + r.stderr)
    check("  and the published index is unchanged", index_files(out) == served)
    (fewer / "junk-2.0.tar.gz").unlink()

    # An index of the older build_index (`.build_index.json`) is taken over: what its state
    # lists, and the pages, are ours; anything else stays.
    legacy = work / "legacy"
    r = run(wh, legacy)
    sources = json.loads((legacy / ".pypackaging" / "manifest.json").read_text())["sources"]
    shutil.rmtree(legacy / ".pypackaging")
    state = {
        name: {k: seen[k] for k in ("size", "mtime_ns", "sha256", "requires_python", "project")}
        for name, seen in sources.items()
    }
    (legacy / ".build_index.json").write_text(json.dumps(state))
    (legacy / "simple" / "tiny-utils" / "mine.txt").write_text("mine\n")
    r = run(fewer, legacy)
    check("an old build_index tree is taken over", r.returncode == 0, r.stdout + r.stderr)
    check("  its state file is gone, our manifest is there",
          not (legacy / ".build_index.json").exists() and (legacy / ".pypackaging" / "manifest.json").exists())
    left = sorted(p.name for p in (legacy / "simple" / "tiny-utils").iterdir())
    check("  the files it listed are ours (removed), the rest stays", left == ["mine.txt"], str(left))
    fresh = work / "fresh"
    run(fewer, fresh)
    have = index_files(legacy)
    have.pop("simple/tiny-utils/mine.txt", None)
    check("  and it holds exactly the index", have == index_files(fresh), str(sorted(set(have) ^ set(index_files(fresh)))))
finally:
    shutil.rmtree(work, ignore_errors=True)

print(f"check-build-index: {passed} passed, {len(failures)} failed")
sys.exit(1 if failures else 0)
