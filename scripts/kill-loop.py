"""Kill loop: build_index SIGKILLed at random moments never leaves OUT unreadable.

Alternates builds of OUT between two wheelhouses with different file sets (the example
wheelhouse plus generated copies of a wheel under other project names), some with --copy, and
kills each run after a random delay. Meanwhile a reader thread reads OUT as a static server's
client would: the root page, every project page, every linked file and .metadata sidecar,
with its sha256. A missing page or file, or a wrong hash, counts as a violation only if
re-reading the page that links it still links it (with that hash). Asserts no violation, that
OUT always exists, and that a final un-killed run leaves exactly the index (as a fresh build
writes it) plus the foreign files, with nothing in .pypackaging/tmp.

Usage: kill-loop.py BINARY WHEELHOUSE [ITERATIONS] [SECONDS]
"""

import base64
import hashlib
import io
import json
import os
import pathlib
import random
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
import zipfile

binary, source = sys.argv[1], pathlib.Path(sys.argv[2])
iterations = int(sys.argv[3]) if len(sys.argv) > 3 else 40
budget = float(sys.argv[4]) if len(sys.argv) > 4 else 120.0
rng = random.Random(int(os.environ.get("KILL_LOOP_SEED", "14")))


def sha256(data):
    return hashlib.sha256(data).hexdigest()


def renamed_wheel(template, project, version, dest):
    """A copy of a pure wheel under another project name: dist-info, METADATA Name and RECORD
    rewritten, so that it passes the same checks."""
    with zipfile.ZipFile(template) as src:
        old_info = next(n.split("/")[0] for n in src.namelist() if n.split("/")[0].endswith(".dist-info"))
        new_info = f"{project}-{version}.dist-info"
        members = []
        for info in src.infolist():
            name = info.filename
            data = src.read(name)
            if name.startswith(old_info + "/"):
                name = new_info + name[len(old_info):]
            if name == f"{new_info}/METADATA":
                data = re.sub(rb"(?m)^Name: .*$", f"Name: {project}".encode(), data)
                data = re.sub(rb"(?m)^Version: .*$", f"Version: {version}".encode(), data)
            if name == f"{new_info}/RECORD":
                continue
            members.append((name, data))
    record = io.StringIO()
    for name, data in members:
        digest = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()
        record.write(f"{name},sha256={digest},{len(data)}\n")
    record.write(f"{new_info}/RECORD,,\n")
    path = dest / f"{project}-{version}-py3-none-any.whl"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as out:
        for name, data in members:
            out.writestr(name, data)
        out.writestr(f"{new_info}/RECORD", record.getvalue())
    return path


class Reader(threading.Thread):
    """Reads OUT over and over, as clients of a static server would."""

    def __init__(self, out):
        super().__init__(daemon=True)
        self.out = out
        self.stop = threading.Event()
        self.passes = 0
        self.reads = 0
        self.violations = []
        self.out_missing = 0

    def read(self, rel):
        try:
            data = (self.out / rel).read_bytes()
            self.reads += 1
            return data
        except (FileNotFoundError, NotADirectoryError):
            return None

    def links(self, page_rel, data):
        """(file key, sha256, metadata sha256 or None) for every file a project page links."""
        folder = page_rel.rsplit("/", 1)[0]
        if page_rel.endswith(".json"):
            doc = json.loads(data)
            out = []
            for f in doc["files"]:
                meta = f.get("core-metadata")
                meta_sha = meta.get("sha256") if isinstance(meta, dict) else None
                out.append((f"{folder}/{f['url']}", f["hashes"]["sha256"], meta_sha))
            return out
        text = data.decode()
        out = []
        for m in re.finditer(r'<a href="([^"#]+)#sha256=([0-9a-f]+)"([^>]*)>', text):
            meta = re.search(r'data-core-metadata="sha256=([0-9a-f]+)"', m.group(3))
            out.append((f"{folder}/{m.group(1)}", m.group(2), meta.group(1) if meta else None))
        return out

    def projects(self, root_rel, data):
        if root_rel.endswith(".json"):
            return [p["name"] for p in json.loads(data)["projects"]]
        return re.findall(r'<a href="([^"/]+)/">', data.decode())

    def still_linked(self, page_rel, key, want):
        data = self.read(page_rel)
        if data is None:
            return False
        try:
            return any(k == key and (want is None or s == want) for k, s, _ in self.links(page_rel, data))
        except ValueError:
            return True

    def check_object(self, page_rel, key, want):
        data = self.read(key)
        if data is not None and sha256(data) == want:
            return
        if self.still_linked(page_rel, key, want):
            what = "missing" if data is None else "of another sha256"
            self.violations.append(f"{page_rel} links {key} ({want[:12]}), which is {what}")

    def one_pass(self, fmt):
        if not self.out.is_dir():
            self.out_missing += 1
            self.violations.append("OUT does not exist")
            return
        root_rel = f"simple/index.{fmt}"
        root = self.read(root_rel)
        if root is None:
            return  # before the first build finished
        try:
            names = self.projects(root_rel, root)
        except ValueError as e:
            self.violations.append(f"{root_rel} does not parse: {e}")
            return
        for name in names:
            page_rel = f"simple/{name}/index.{fmt}"
            page = self.read(page_rel)
            if page is None:
                again = self.read(root_rel)
                if again is not None and name in self.projects(root_rel, again):
                    self.violations.append(f"{root_rel} lists {name}, and {page_rel} is missing")
                continue
            try:
                links = self.links(page_rel, page)
            except ValueError as e:
                self.violations.append(f"{page_rel} does not parse: {e}")
                continue
            for key, want, meta in links:
                self.check_object(page_rel, key, want)
                if meta:
                    self.check_object(page_rel, key + ".metadata", meta)

    def run(self):
        while not self.stop.is_set():
            self.one_pass("json" if self.passes % 2 else "html")
            self.passes += 1


def index_files(out):
    return {
        str(p.relative_to(out)): sha256(p.read_bytes())
        for p in sorted(out.rglob("*"))
        if p.is_file() and not str(p.relative_to(out)).startswith(".pypackaging")
    }


def main():
    started = time.monotonic()
    work = pathlib.Path(tempfile.mkdtemp(prefix="kill-loop-"))
    try:
        template = source / "tiny_utils-0.1.0-py3-none-any.whl"
        a, b = work / "wh-a", work / "wh-b"
        a.mkdir()
        b.mkdir()
        for f in source.iterdir():
            shutil.copy(f, a / f.name)
            if f.name.startswith(("hello_pypackaging-1.0.0", "fastsum")):
                shutil.copy(f, b / f.name)
        # Made once and copied: the same filename with other bytes (zip timestamps) would be
        # the documented window of a reused filename, not what this loop tests.
        gen = work / "gen"
        gen.mkdir()
        for i in range(45):
            wheel = renamed_wheel(template, f"kill_proj_{i:02d}", "1.0", gen)
            for wh, ok in ((a, i < 30), (b, i >= 15)):
                if ok:
                    shutil.copy(wheel, wh / wheel.name)
        out = work / "out"
        fresh = work / "fresh"
        r = subprocess.run([binary, a, fresh], capture_output=True, text=True, timeout=60)
        assert r.returncode == 0, r.stdout + r.stderr
        t0 = time.monotonic()
        r = subprocess.run([binary, a, out], capture_output=True, text=True, timeout=60)
        duration = time.monotonic() - t0
        assert r.returncode == 0, r.stdout + r.stderr
        foreign = {
            out / "NOTES.txt": "ops notes\n",
            out / "simple" / "hello-pypackaging" / "KEEP.txt": "kept\n",
            out / "simple" / "tiny-utils" / "KEEP.txt": "kept too\n",
        }
        for path, text in foreign.items():
            path.write_text(text)

        reader = Reader(out)
        reader.start()
        killed = finished = failed = copies = 0
        done = 0
        for i in range(iterations):
            if time.monotonic() - started > budget:
                break
            wh = b if i % 2 == 0 else a
            args = [binary, wh, out]
            if rng.random() < 0.4:
                args.append("--copy")
                copies += 1
            proc = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
            time.sleep(rng.uniform(0, duration * 1.5))
            if proc.poll() is None:
                proc.send_signal(signal.SIGKILL)
            code = proc.wait(timeout=60)
            err = proc.stderr.read().decode()
            proc.stderr.close()
            if code == 0:
                finished += 1
            elif code == -signal.SIGKILL:
                killed += 1
            else:
                failed += 1
                print(f"run {i} exited {code}: {err.strip()[:500]}")
            done += 1
        r = subprocess.run([binary, a, out], capture_output=True, text=True, timeout=60)
        time.sleep(0.05)
        reader.stop.set()
        reader.join(timeout=30)

        problems = []
        if r.returncode != 0:
            problems.append(f"final run exited {r.returncode}: {r.stderr}")
        want = index_files(fresh)
        have = index_files(out)
        for path, text in foreign.items():
            key = str(path.relative_to(out))
            if have.pop(key, None) != sha256(text.encode()):
                problems.append(f"foreign file {key} lost or changed")
        if have != want:
            extra = sorted(set(have) - set(want))
            missing = sorted(set(want) - set(have))
            changed = sorted(k for k in set(want) & set(have) if want[k] != have[k])
            problems.append(f"final OUT differs from a fresh build: extra {extra}, missing {missing}, changed {changed}")
        tmp = out / ".pypackaging" / "tmp"
        leftover = os.listdir(tmp) if tmp.is_dir() else ["(no .pypackaging/tmp)"]
        if leftover:
            problems.append(f".pypackaging/tmp not empty: {leftover}")
        beside = [p for p in os.listdir(work) if p.startswith(".out.")]
        if beside:
            problems.append(f"left beside OUT: {beside}")
        if failed:
            problems.append(f"{failed} runs failed (not killed)")

        print(
            f"kill-loop: {done} iterations in {time.monotonic() - started:.1f}s "
            f"(un-killed build {duration * 1000:.0f} ms; {killed} killed, {finished} finished, "
            f"{copies} with --copy); reader: {reader.passes} passes, {reader.reads} reads, "
            f"{len(reader.violations)} violations, OUT missing {reader.out_missing} times"
        )
        for v in reader.violations[:20]:
            print(f"  violation: {v}")
        for p in problems:
            print(f"  FAIL: {p}")
        return 1 if reader.violations or problems else 0
    finally:
        shutil.rmtree(work, ignore_errors=True)


sys.exit(main())
