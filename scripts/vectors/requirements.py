#!/usr/bin/env python3
"""tests/vectors/requirements.jsonl: pip's own reading of tests/data/requirements/*.txt.

Each top-level file there is read with pip's `parse_requirements` (as `pip install -r FILE`
does, with a PackageFinder and command options), then every requirement is built with
`install_req_from_parsed_requirement`, and the command-level checks pip runs after reading
(`--require-hashes` with `--no-require-hashes`) are applied. The working directory is the data
directory, so paths in the files resolve there. The network is cut: a URL include fails.

A case records what the `inspect requirements` probe prints: `entries` and `options`, or `error`
with the `file` and `line` pip was reading when it failed (`line` null when pip's check runs after
reading).
"""
import logging
import os
import sys
from optparse import Values

from common import ROOT, header, write

from pip._internal.exceptions import CommandError, InstallationError
from pip._internal.index.collector import LinkCollector
from pip._internal.index.package_finder import PackageFinder
from pip._internal.models.release_control import ReleaseControl
from pip._internal.utils.misc import parse_netloc
from pip._internal.models.search_scope import SearchScope
from pip._internal.models.selection_prefs import SelectionPreferences
from pip._internal.network.session import PipSession
from pip._internal.req import req_file
from pip._internal.req.constructors import install_req_from_parsed_requirement

DATA = ROOT / "tests" / "data" / "requirements"

# The environment `${VAR}` cases see (tests/conformance_requirements.rs uses the same).
ENV = {"PIP_USER": "user", "PIP_TOKEN": "tok", "FOO_VERSION": "1.0", "EMPTY_VAR": "", "INC_FILE": "base.txt"}

# Where pip was when it failed: the file and line of the last logical line handed out.
CURRENT = {"file": None, "line": None}
_get_file_content = req_file.get_file_content
_preprocess = req_file.preprocess


def get_file_content(url, session, **kw):
    CURRENT["opening"] = url
    return _get_file_content(url, session, **kw)


def preprocess(content):
    name = CURRENT.get("opening")
    for lineno, line in _preprocess(content):
        CURRENT["file"], CURRENT["line"] = name, lineno
        yield lineno, line


req_file.get_file_content = get_file_content
req_file.preprocess = preprocess

# Record every option line's options, to report the raw values as the probe does.
OPTION_LINES = []
_handle_option_line = req_file.handle_option_line


def handle_option_line(opts, filename, lineno, *args, **kw):
    OPTION_LINES.append(opts)
    return _handle_option_line(opts, filename, lineno, *args, **kw)


req_file.handle_option_line = handle_option_line


class NoNetwork(PipSession):
    def request(self, method, url, *args, **kwargs):
        raise InstallationError(f"network access refused: {url}")


def rel(name):
    """pip names included files by absolute path; the probe by the joined relative path."""
    if "://" in name:
        return name
    return os.path.relpath(os.path.abspath(name), DATA)


def read(name):
    OPTION_LINES.clear()
    CURRENT.update(file=None, line=None, opening=None)
    session = NoNetwork()
    finder = PackageFinder.create(
        link_collector=LinkCollector(session=session, search_scope=SearchScope([], [], False)),
        selection_prefs=SelectionPreferences(allow_yanked=False, release_control=ReleaseControl()),
    )
    options = Values({"require_hashes": False, "no_require_hashes": False, "features_enabled": []})
    entries = []
    try:
        for parsed in req_file.parse_requirements(name, session, finder=finder, options=options):
            ireq = install_req_from_parsed_requirement(parsed)
            # pip compares digests lower-cased (`Hashes.__init__`), as the probe prints them.
            hashes = {
                alg: [d.lower() for d in digests]
                for alg, digests in ((parsed.options or {}).get("hashes") or {}).items()
            }
            entries.append({
                "file": rel(parsed.comes_from.split(" ", 1)[1].rsplit(" (line ", 1)[0]),
                "line": int(parsed.comes_from.rsplit("(line ", 1)[1].rstrip(")")),
                "requirement": parsed.requirement,
                "editable": parsed.is_editable,
                "constraint": parsed.constraint,
                "hashes": hashes,
            })
            del ireq
        if options.require_hashes and options.no_require_hashes:
            raise CommandError("--require-hashes and --no-require-hashes are mutually exclusive")
    except Exception as e:  # every pip error, and the decoding and codec errors
        where = CURRENT["file"]
        line = CURRENT["line"]
        if isinstance(e, CommandError) and "mutually exclusive" in str(e):
            line = None
        return {"error": str(e).splitlines()[0], "file": rel(where) if where else name, "line": line}
    fc = finder.format_control
    rc = finder.release_control
    # The index URLs pip's finder ends up with: one list, `--index-url` first when one took
    # effect (none does after `--no-index`).
    index_urls = list(finder.search_scope.index_urls)
    index_url = None
    if index_urls and any(o.index_url for o in OPTION_LINES):
        index_url = index_urls.pop(0)
    # The trusted hosts pip's session keeps: one per (host, port), in the spelling first given.
    trusted, origins = [], set()
    for o in OPTION_LINES:
        for host in o.trusted_hosts or []:
            origin = parse_netloc(host)
            if origin not in origins:
                origins.add(origin)
                trusted.append(host)
    return {
        "entries": entries,
        "options": {
            "index_url": index_url,
            "extra_index_urls": index_urls,
            "no_index": any(o.no_index for o in OPTION_LINES),
            "find_links": [o.find_links[0] for o in OPTION_LINES if o.find_links],
            "trusted_hosts": trusted,
            "require_hashes": bool(options.require_hashes),
            "no_require_hashes": bool(options.no_require_hashes),
            "only_binary": sorted(fc.only_binary),
            "no_binary": sorted(fc.no_binary),
            "prefer_binary": any(o.prefer_binary for o in OPTION_LINES),
            "pre": any(o.pre for o in OPTION_LINES),
            "all_releases": sorted(rc.all_releases) if rc else [],
            "only_final": sorted(rc.only_final) if rc else [],
        },
    }


if __name__ == "__main__":
    logging.disable(logging.CRITICAL)
    os.environ.update(ENV)
    os.environ.pop("UNSET_VAR", None)
    os.chdir(DATA)
    rows = []
    for path in sorted(DATA.glob("*.txt")):
        rows.append({"input": path.name, **read(path.name)})
    write(
        "requirements.jsonl",
        header(source="tests/data/requirements/*.txt read by pip's parse_requirements", env=ENV),
        rows,
    )
