#!/usr/bin/env python3
"""tests/vectors/selection.jsonl: the file pip 26.3 picks for a project, through pip's own
LinkEvaluator (format control, wheel tags) and CandidateEvaluator (specifier, pre-releases,
ordering by version, tag priority and build tag), for many targets and option sets."""
from pip._vendor.packaging.specifiers import SpecifierSet
from packaging.utils import canonicalize_name
from pip._internal.index.package_finder import CandidateEvaluator, LinkEvaluator, LinkType
from pip._internal.models.candidate import InstallationCandidate
from pip._internal.models.format_control import FormatControl
from pip._internal.models.link import Link
from pip._internal.models.target_python import TargetPython

from common import header, write

FILES = [
    "foo-0.9-py2.py3-none-any.whl",
    "foo-1.0.tar.gz",
    "foo-1.0.zip",
    "foo-1.0-py3-none-any.whl",
    "foo-1.0-2-py3-none-any.whl",
    "foo-1.0-10-py3-none-any.whl",
    "foo-1.0-2a-py3-none-any.whl",
    "foo-1.0-cp311-cp311-manylinux_2_17_x86_64.manylinux2014_x86_64.whl",
    "foo-1.0-1-cp311-cp311-manylinux_2_17_x86_64.whl",
    "foo-1.1-cp311-cp311-win_amd64.whl",
    "foo-1.1-cp39-abi3-macosx_11_0_arm64.whl",
    "foo-1.1-cp39-abi3-manylinux_2_28_x86_64.whl",
    "foo-1.1.tar.gz",
    "foo-1.2-cp312-cp312-manylinux_2_28_x86_64.whl",
    "foo-1.2-cp313-cp313t-manylinux_2_28_x86_64.whl",
    "foo-1.2-cp312-cp312-macosx_10_13_universal2.whl",
    "foo-2.0b1-py3-none-any.whl",
    "foo-2.0b1.tar.gz",
    "Foo-1.3.post1-py3-none-any.whl",
    "bar-3.0-py3-none-any.whl",
    "bar-3.0.tar.gz",
]
SUBSETS = [
    ("all", FILES),
    ("wheels only", [f for f in FILES if f.endswith(".whl")]),
    ("sdists only", [f for f in FILES if not f.endswith(".whl")]),
    ("no post", [f for f in FILES if "post" not in f]),
    ("old", [f for f in FILES if f.startswith(("foo-0", "foo-1.0", "bar"))]),
]
TARGETS = [
    ("cp", "3.11", ["cp311"], ["manylinux_2_28_x86_64"]),
    ("cp", "3.11", ["cp311"], ["win_amd64"]),
    ("cp", "3.12", ["cp312"], ["macosx_14_0_arm64"]),
    ("cp", "3.13", ["cp313t"], ["manylinux_2_28_x86_64"]),
    ("cp", "3.12", ["cp312"], ["manylinux2014_x86_64"]),
    ("pp", "3.10", ["pypy310_pp73"], ["manylinux_2_28_x86_64"]),
]
SPECIFIERS = ["", ">=1.1", "<1.1", "==1.0", ">=2.0b1", "<2", "!=1.1", "~=1.0", ">1.3"]
FORMATS = [
    [],
    [("only", ":all:")],
    [("no", ":all:")],
    [("only", ":all:"), ("no", "foo")],
    [("no", ":all:"), ("only", "Foo")],
    [("no", "foo,:none:")],
]


def best(target, files, specifier, pre, formats):
    impl, version, abis, platforms = target
    target_python = TargetPython(
        platforms=platforms,
        py_version_info=tuple(int(x) for x in version.split(".")),
        abis=abis,
        implementation=impl,
    )
    control = FormatControl(set(), set())
    for kind, value in formats:
        if kind == "only":
            FormatControl.handle_mutual_excludes(value, control.only_binary, control.no_binary)
        else:
            FormatControl.handle_mutual_excludes(value, control.no_binary, control.only_binary)
    link_evaluator = LinkEvaluator(
        project_name="foo",
        canonical_name=canonicalize_name("foo"),
        formats=control.get_allowed_formats("foo"),
        target_python=target_python,
        allow_yanked=False,
    )
    candidates = []
    for filename in files:
        link = Link(f"https://files.example/{filename}")
        kind, detail = link_evaluator.evaluate_link(link)
        if kind == LinkType.candidate:
            candidates.append(InstallationCandidate("foo", detail, link))
    evaluator = CandidateEvaluator.create(
        project_name="foo",
        target_python=target_python,
        specifier=SpecifierSet(specifier, prereleases=True if pre else None),
    )
    result = evaluator.compute_best_candidate(candidates).best_candidate
    return result.link.filename if result else None


if __name__ == "__main__":
    rows = []
    for target in TARGETS:
        for note, files in SUBSETS:
            for specifier in SPECIFIERS:
                for pre in (False, True):
                    for formats in FORMATS:
                        rows.append({
                            "target": {"implementation": target[0], "python": target[1], "abis": target[2], "platforms": target[3]},
                            "files": note,
                            "specifier": specifier,
                            "pre": pre,
                            "formats": formats,
                            "best": best(target, files, specifier, pre, formats),
                        })
    write(
        "selection.jsonl",
        header(source="pip's LinkEvaluator + CandidateEvaluator; file subsets named in scripts/vectors/selection.py", files={n: f for n, f in SUBSETS}),
        rows,
    )
