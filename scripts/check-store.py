"""The index on a real distributed object store: a three-node Garage cluster on loopback
(scripts/garage/cluster, replication factor 3), `publish` (pypackaging-store) and
`serve --from` (pypackaging-server). Run by scripts/check-store; loopback only, every loop
bounded in count and time, every process stopped on exit; ends with "N passed, N failed".

1. examples/wheelhouse and the real-wheel set (scripts/real-wheels, cached) built by build_index
   and published to stages `dev` and `prod`; the publish time of the real-wheel set.
2. pip and uv install with --require-hashes from the bucket's website endpoint (static pages)
   and from two `serve --from` instances on different nodes.
3. One node stopped in the middle of installs and of a promote: they succeed; it is started
   again and the cluster heals (every object readable through that node).
4. A second publish after adding one wheel puts exactly its objects (counted from the store's
   listing); a run over an unchanged index puts nothing.
5. publish killed at random points (bounded): no page ever links to a missing object, and the
   next run completes the index.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts" / "real-wheels"))
import check as real  # noqa: E402
import fetch  # noqa: E402

ap = argparse.ArgumentParser()
ap.add_argument("--publish", required=True)
ap.add_argument("--serve", required=True)
ap.add_argument("--build-index", required=True)
# Below the ephemeral range (32768-60999 on Linux): a client socket given a node's port as its
# local port would keep a stopped node from binding it again.
ap.add_argument("--base-port", type=int, default=29100)
ap.add_argument("--kills", type=int, default=12)
ap.add_argument("--keep", action="store_true")
args = ap.parse_args()

checks = real.Checks()
python = sys.executable
work = Path(tempfile.mkdtemp(prefix="check-store."))
cluster_dir = work / "garage"
cluster = [str(ROOT / "scripts" / "garage" / "cluster")]
procs: list[subprocess.Popen] = []
figures: dict[str, str] = {}
BUCKET = "pypackaging"
full_publish = 0.0


def run(cmd, timeout=600, env=None, check=True):
    r = subprocess.run([str(c) for c in cmd], capture_output=True, text=True, timeout=timeout,
                       env=env)
    if check and r.returncode != 0:
        raise RuntimeError(f"{' '.join(map(str, cmd))}: exit {r.returncode}\n{r.stdout}{r.stderr}")
    return r


def store_env(node: int = 1) -> dict[str, str]:
    info = json.loads((cluster_dir / "cluster.json").read_text())
    env = dict(os.environ)
    env.update(AWS_ACCESS_KEY_ID=info["access_key_id"],
               AWS_SECRET_ACCESS_KEY=info["secret_access_key"],
               AWS_REGION=info["region"],
               AWS_ENDPOINT_URL=info["nodes"][node - 1]["s3"],
               AWS_ALLOW_HTTP="true")
    return env


def web(node: int = 1) -> str:
    info = json.loads((cluster_dir / "cluster.json").read_text())
    url = info["nodes"][node - 1]["web"]
    # The website endpoint takes the bucket from the Host: `localhost` is the bucket's alias.
    return url.replace("127.0.0.1", "localhost").rstrip("/")


def publish(*argv, node=1, timeout=900):
    return run([args.publish, *argv], timeout=timeout, env=store_env(node))


def listing(stage: str, node=1) -> dict[str, dict]:
    r = publish("list", f"s3://{BUCKET}/idx", "--stage", stage, node=node)
    return {o["key"]: o for o in map(json.loads, r.stdout.splitlines())}


def changed(before: dict[str, dict], after: dict[str, dict]) -> set[str]:
    return {k for k, o in after.items()
            if k not in before or (before[k]["e_tag"], before[k]["last_modified"])
            != (o["e_tag"], o["last_modified"])}


def build(wheelhouse: Path, out: Path) -> None:
    run([args.build_index, wheelhouse, out], timeout=900)


def get(url: str, method: str = "GET", timeout: float = 30) -> tuple[int, bytes]:
    req = urllib.request.Request(url, method=method)
    try:
        with urllib.request.urlopen(req, timeout=timeout) as r:
            return r.status, r.read()
    except urllib.error.HTTPError as e:
        return e.code, b""


def consistent(base: str) -> tuple[bool, str, int]:
    """At this instant (no writer running): the root lists only projects whose pages are
    there, and every page links only to files and .metadata that are there."""
    status, body = get(f"{base}/simple/index.json")
    if status == 404:
        return True, "no root yet", 0
    if status != 200:
        return False, f"root: {status}", 0
    seen = 0
    for p in json.loads(body)["projects"]:
        name = real.canonical(p["name"])
        s, page = get(f"{base}/simple/{name}/index.json")
        s2, _ = get(f"{base}/simple/{name}/", "HEAD")
        if s != 200 or s2 != 200:
            return False, f"the root lists {name}; its pages answer {s}/{s2}", seen
        for f in json.loads(page)["files"]:
            url = f"{base}/simple/{name}/{f['filename']}"
            if get(url, "HEAD")[0] != 200:
                return False, f"{name}'s page links {f['filename']}, which is missing", seen
            if f.get("core-metadata") and get(url + ".metadata", "HEAD")[0] != 200:
                return False, f"{name}'s page links {f['filename']}.metadata, missing", seen
            seen += 1
    return True, "", seen


def start_serve(stage: str, node: int) -> str:
    log = open(work / f"serve-{stage}-{node}.log", "ab")
    p = subprocess.Popen([args.serve, "--from", f"s3://{BUCKET}/idx", "--stage", stage,
                          "--allow-http", "--bind", "127.0.0.1:0"],
                         stdout=subprocess.PIPE, stderr=log, env=store_env(node))
    procs.append(p)
    line = [b""]
    t = threading.Thread(target=lambda: line.__setitem__(0, p.stdout.readline()), daemon=True)
    t.start()
    t.join(20)
    text = line[0].decode()
    if "http://127.0.0.1:" not in text:
        raise RuntimeError(f"serve --from did not start: {text!r}, see {log.name}")
    port = int(text.split("http://127.0.0.1:")[1].split("/")[0])
    return f"http://127.0.0.1:{port}"


def real_set() -> tuple[list[fetch.Pin], Path]:
    if fetch.main([]) != 0:
        raise RuntimeError("the real-wheel set could not be fetched")
    return [p for t in fetch.targets() for p in t.pins], fetch.cache_dir()


def main() -> int:
    start = time.monotonic()
    t = time.monotonic()
    up = run([*cluster, "up", cluster_dir, "--base-port", args.base_port], timeout=300)
    print(up.stdout.strip())
    figures["cluster up, healthy"] = f"{time.monotonic() - t:.1f} s"

    print("\n== examples/wheelhouse to stage dev", flush=True)
    wh_out = work / "wh-out"
    build(ROOT / "examples" / "wheelhouse", wh_out)
    r = publish("push", wh_out, f"s3://{BUCKET}/idx", "--stage", "dev")
    objects = len(json.loads((wh_out / ".pypackaging" / "manifest.json").read_text())["objects"])
    checks.check(f"put {objects} " in r.stdout, f"first publish puts every object ({objects})",
                 r.stdout + r.stderr)
    before = listing("dev")
    r = publish("push", wh_out, f"s3://{BUCKET}/idx", "--stage", "dev")
    checks.check("put 0 " in r.stdout and changed(before, listing("dev")) == set(),
                 "a publish over an unchanged index puts nothing (listing unchanged)",
                 r.stdout)
    status, body = get(f"{web()}/idx/dev/simple/")
    checks.check(status == 200 and b"hello-pypackaging" in body,
                 "the website endpoint serves the root page of stage dev", str(status))
    real.install_from(checks, python, f"{web()}/idx/dev/simple/", wh_out / "requirements.txt",
                      [], work, "of examples/wheelhouse from the website endpoint ")

    print("\n== the real-wheel set to stage prod", flush=True)
    pins, cache = real_set()
    files = sorted({p.filename for p in pins})
    # Held out for the second publish: a wheel of a project with other files, not in the
    # install sample.
    sample_names = {real.canonical(n) for _, names in real.SAMPLE for n in names}
    by_project: dict[str, list[fetch.Pin]] = {}
    for p in pins:
        by_project.setdefault(real.canonical(p.name), []).append(p)
    held = next(p for name, ps in sorted(by_project.items()) if len(ps) > 1
                and name not in sample_names for p in ps if p.filename.endswith(".whl"))
    wh_a, wh_b = work / "real-a", work / "real-b"
    for wh, names in ((wh_a, [f for f in files if f != held.filename]), (wh_b, files)):
        wh.mkdir()
        for f in names:
            os.link(cache / f, wh / f)
    out_a, out_b = work / "out-a", work / "out-b"
    build(wh_a, out_a)
    build(wh_b, out_b)
    size = sum((cache / f).stat().st_size for f in files)
    t = time.monotonic()
    r = publish("push", out_b, f"s3://{BUCKET}/idx", "--stage", "prod", "--jobs", "8")
    took = time.monotonic() - t
    global full_publish
    full_publish = took
    figures["publish of the real-wheel set"] = (
        f"{took:.1f} s for {len(files)} files, {size / 1e6:.1f} MB ({r.stdout.strip()})")
    checks.check(r.returncode == 0, f"the real-wheel set is published ({took:.1f} s)")
    ok, why, n = consistent(f"{web()}/idx/prod")
    checks.check(ok and n == len(files), f"every page's links resolve on the website ({n} files)",
                 why)

    print("\n== installs from the website endpoint and two serve --from instances", flush=True)
    status = {f: "indexed" for f in files}
    sample = real.sample_requirements(checks, python, pins, status, work)
    assert sample
    req, modules = sample
    serve_a = start_serve("prod", 1)
    serve_b = start_serve("prod", 2)
    for label, url in (("website endpoint", f"{web()}/idx/prod/simple/"),
                       ("serve --from (node 1)", f"{serve_a}/simple/"),
                       ("serve --from (node 2)", f"{serve_b}/simple/")):
        real.install_from(checks, python, url, req, modules, work, f"from the {label} ")

    print("\n== node 3 stopped in the middle of installs and a promote, then healed", flush=True)
    stopper = threading.Timer(1.0, lambda: run([*cluster, "stop-node", cluster_dir, 3]))
    stopper.start()
    real.install_from(checks, python, f"{serve_b}/simple/", req, modules, work,
                      "while node 3 stops, through serve --from ")
    stopper.join()
    # Live nodes notice a stopped peer within seconds (2.7 to 8.8 s measured): poll, bounded.
    deadline, st = time.monotonic() + 30, {}
    while time.monotonic() < deadline:
        st = json.loads(run([*cluster, "status", cluster_dir]).stdout)
        if "degraded" in json.dumps(st):
            break
        time.sleep(1)
    checks.check("degraded" in json.dumps(st),
                 "the cluster says degraded with node 3 down (polled up to 30 s)",
                 json.dumps(st)[:300])
    real.install_from(checks, python, f"{web(2)}/idx/prod/simple/", req, modules, work,
                      "with node 3 down, from node 2's website endpoint ")
    before = listing("prod")
    r = publish("promote", "hello-pypackaging", "1.1.0", f"s3://{BUCKET}/idx", "--from", "dev",
                "--to", "prod", node=2)
    got = changed(before, listing("prod"))
    checks.check({"simple/hello-pypackaging/hello_pypackaging-1.1.0-py3-none-any.whl",
                  "simple/hello-pypackaging/index.html", "simple/index.html"} <= got,
                 f"promote dev -> prod with node 3 down ({r.stdout.strip()})", str(sorted(got)))
    t = time.monotonic()
    run([*cluster, "start-node", cluster_dir, 3], timeout=120)
    heal = run([*cluster, "wait-healthy", cluster_dir, "--timeout", "120"], timeout=150,
               check=False)
    figures["node 3 started until healthy"] = f"{time.monotonic() - t:.1f} s"
    checks.check(heal.returncode == 0, "node 3 rejoins and the cluster is healthy again",
                 heal.stdout + heal.stderr)
    ok, why, n = consistent(f"{web(3)}/idx/prod")
    checks.check(ok and n == len(files) + 2,
                 f"node 3's website endpoint serves every page and file ({n})", why)
    real.install_from(checks, python, f"{web(3)}/idx/prod/simple/", req, modules, work,
                      "from node 3's website endpoint after the heal ")

    print("\n== a second publish adds one wheel; an unchanged one puts nothing", flush=True)
    stage = "add"
    publish("push", out_a, f"s3://{BUCKET}/idx", "--stage", stage)
    l1 = listing(stage)
    r = publish("push", out_b, f"s3://{BUCKET}/idx", "--stage", stage)
    l2 = listing(stage)
    project = real.canonical(held.name)
    old_objects = json.loads((out_a / ".pypackaging" / "manifest.json").read_text())["objects"]
    new_objects = json.loads((out_b / ".pypackaging" / "manifest.json").read_text())["objects"]
    want = {k for k, o in new_objects.items() if old_objects.get(k) != o}
    core = {f"simple/{project}/{held.filename}", f"simple/{project}/{held.filename}.metadata",
            f"simple/{project}/index.html", f"simple/{project}/index.json"}
    got = changed(l1, l2)
    checks.check(got == want and core <= want and "simple/index.html" not in want,
                 f"adding {held.filename} puts exactly its {len(want)} objects (counted from the"
                 f" listing: {', '.join(sorted(k.rsplit('/', 1)[-1] for k in want))})",
                 f"changed: {sorted(got)}; want {sorted(want)}; {r.stdout}")
    checks.check(f"put {len(want)} " in r.stdout, f"publish counts the same {len(want)} puts",
                 r.stdout)
    r = publish("push", out_b, f"s3://{BUCKET}/idx", "--stage", stage)
    checks.check("put 0 " in r.stdout and changed(l2, listing(stage)) == set(),
                 "a run over the unchanged index puts nothing (listing unchanged)", r.stdout)

    print(f"\n== publish killed at random points ({args.kills} runs, bounded)", flush=True)
    stage, rng, cut, bad = "kill", random.Random(20261204), 0, []
    loop_start = time.monotonic()
    for i in range(args.kills):
        if time.monotonic() - loop_start > 600:
            break
        # Between the real-wheel set and examples/wheelhouse: every run has ~800 puts or
        # ~600 deletes to do, so a kill lands in any tier.
        out = wh_out if i % 2 else out_b
        p = subprocess.Popen([args.publish, "push", out, f"s3://{BUCKET}/idx", "--stage", stage],
                             stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                             env=store_env(1 + i % 2))
        # Anywhere in a run, up to past the time a whole publish of the set took.
        time.sleep(rng.uniform(0.05, max(2.5, 1.2 * full_publish)))
        if p.poll() is None:
            cut += 1
            p.send_signal(signal.SIGKILL)
        p.wait(timeout=60)
        ok, why, _ = consistent(f"{web()}/idx/{stage}")
        if not ok:
            bad.append(f"run {i}: {why}")
    checks.check(cut >= args.kills // 3 and not bad,
                 f"{cut} of {args.kills} runs killed mid-publish, no page ever linked a missing"
                 " object", "; ".join(bad))
    publish("push", out_b, f"s3://{BUCKET}/idx", "--stage", stage)
    ok, why, n = consistent(f"{web()}/idx/{stage}")
    keys = set(listing(stage))
    want = set(json.loads((out_b / ".pypackaging" / "manifest.json").read_text())["objects"])
    checks.check(ok and keys == want, f"the next run completes the index ({n} files)",
                 f"{why}; extra {sorted(keys - want)[:5]}, missing {sorted(want - keys)[:5]}")

    figures["total"] = f"{time.monotonic() - start:.0f} s"
    return 0


try:
    code = main()
except Exception as e:  # noqa: BLE001
    checks.fail("the run went to its end", repr(e))
    code = 1
finally:
    for p in procs:
        p.terminate()
        try:
            p.wait(timeout=10)
        except subprocess.TimeoutExpired:
            p.kill()
    if (cluster_dir / "cluster.json").exists() and not args.keep:
        subprocess.run([*cluster, "down", str(cluster_dir)], capture_output=True, timeout=120)
    if not args.keep:
        shutil.rmtree(work, ignore_errors=True)
    else:
        print(f"kept {work}")

print("\nfigures:")
for k, v in figures.items():
    print(f"  {k}: {v}")
print(f"\n{checks.passed} passed, {len(checks.failed)} failed")
sys.exit(1 if checks.failed or code else 0)
